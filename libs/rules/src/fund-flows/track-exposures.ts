import type { ExchangeTransfer, OnchainTransfer } from '@sekimori/contracts';
import type { RulesConfig } from '../rules-config';
import {
  type AddressExposure,
  type ExposurePath,
  exposureStep,
  type Flow,
  type FlowAddress,
  flowOf,
  mergePaths,
  type ValuedTransfer,
} from './exposure';

/** What a transfer's flow is built from: its event and its addresses' lookup keys. */
export interface FlowSource {
  event: OnchainTransfer | ExchangeTransfer;
  addresses: readonly FlowAddress[];
}

export interface TrackedExposures {
  /** Per item, in batch order: its nodes with a path that predates it. */
  exposures: AddressExposure[][];
  /** The paths the batch adds, per node, to be recorded. */
  created: Map<string, ExposurePath[]>;
}

const NO_PATHS: readonly ExposurePath[] = [];

/** The flow of each transfer: which node keys to read before the batch is tracked. */
export function flowsOf(transfers: readonly FlowSource[]): Flow[] {
  return transfers.map((transfer) => flowOf(transfer.event, transfer.addresses));
}

/** Every node key the flows touch, once. */
export function nodeKeysOf(flows: readonly Flow[]): string[] {
  const keys = new Set<string>();
  for (const flow of flows) {
    for (const node of flow.senders) keys.add(node.key);
    if (flow.recipient) keys.add(flow.recipient.key);
  }
  return [...keys];
}

/**
 * Each item's exposures, in batch order, from the stored paths and from the paths earlier
 * items of the same batch add (events of one partition are screened in order, so a transfer
 * out of an address right after the transfer into it is caught even in one batch).
 */
export function trackExposures(
  items: readonly ValuedTransfer[],
  flows: readonly Flow[],
  stored: ReadonlyMap<string, ExposurePath[]>,
  config: RulesConfig,
): TrackedExposures {
  const known = new Map(stored);
  const created = new Map<string, ExposurePath[]>();
  const cap = config.exposureMaxPathsPerAddress;
  const exposures = items.map((item, i) => {
    const flow = flows[i];
    const step = exposureStep(item, flow, (key) => known.get(key) ?? NO_PATHS, config);
    if (flow.recipient !== null && step.created.length > 0) {
      const key = flow.recipient.key;
      known.set(key, mergePaths(known.get(key) ?? [], step.created, cap));
      created.set(key, mergePaths(created.get(key) ?? [], step.created, cap));
    }
    return step.seen;
  });
  return { exposures, created };
}
