export { ListKeys } from './list-keys';
export { ListSourceStore, type ListSourceState } from './list-source-store';
export {
  DEFAULT_RETAIN_VERSIONS,
  OlderListError,
  SanctionsListStore,
  UnknownVersionError,
} from './sanctions-list-store';
export { NameIndexCache } from './name-index-cache';
export type {
  PublishableList,
  ListCounts,
  ListHit,
  ListLookup,
  ListDelta,
  ListSwitchMessage,
  PublishOptions,
  PublishResult,
  VersionMeta,
} from './sanctions-list-store';
