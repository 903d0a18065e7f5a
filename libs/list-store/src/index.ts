export { ListKeys } from './list-keys';
export { ListSourceStore, type ListSourceState } from './list-source-store';
export { SanctionsListStore } from './sanctions-list-store';
export {
  DEFAULT_RETAIN_VERSIONS,
  OlderListError,
  type ListSwitchMessage,
  type PublishableList,
  type PublishOptions,
  type PublishResult,
} from './list-switch';
export type { ListCounts, ListDelta, VersionMeta } from './list-versions';
export { NameIndexCache } from './name-index-cache';
