import type {
  ExchangeTransfer,
  ExposedNode,
  ExposureHop,
  ExposurePath,
  ExposureSource,
  ListMatch,
  ListSide,
  OnchainTransfer,
} from '@sekimori/contracts';
export type { ExposureHop, ExposurePath, ExposureSource } from '@sekimori/contracts';
import { type Money, money, toDecimalString } from '../money';
import type { RulesConfig } from '../rules-config';

/** A transfer and its list hits: what the exposure graph needs of a screening context. */
export interface ListedTransfer {
  event: OnchainTransfer | ExchangeTransfer;
  matches: ListMatch[];
}

/** A listed transfer with its yen value, which the hops it adds carry (null: not valued). */
export interface ValuedTransfer extends ListedTransfer {
  valueJpy: string | null;
}

const DAY_MS = 86_400_000;

/** Where a node sits in the event: a list side for an address, `account` for an exchange account. */
export type NodeSide = ListSide | 'account';

/** A node of the exposure graph: an address (keyed by its list lookup key) or an exchange account. */
export interface FlowNode {
  /** The record's key: the address's list lookup key, or `accountNodeKey(...)`. */
  key: string;
  /** As a person reads it: the address spelled for this event's chain, or the account. */
  label: string;
  side: NodeSide;
}

/**
 * A transfer seen as funds moving from its senders to its recipient. Its nodes are known from
 * the event alone, before its value is (the stored paths of the nodes are read beside the rate).
 */
export interface Flow {
  eventId: string;
  at: string;
  chain: string;
  asset: string;
  amount: string;
  senders: FlowNode[];
  recipient: FlowNode | null;
}

/** A node of the event being screened with a recorded exposure path that predates the event. */
export type AddressExposure = ExposedNode;

/** The address of an event as the screener validated it (`EventAddress` without the field). */
export interface FlowAddress {
  side: ListSide;
  canonical: string;
  key: string;
}

/**
 * An exchange account as a node: funds deposited into it and withdrawn from it are hops. The
 * `account:` space cannot be an address lookup key (those start with a chain's address space);
 * the exchange id's length keeps ids that contain ':' apart.
 */
export function accountNodeKey(exchangeId: string, accountId: string): string {
  return `account:${exchangeId.length}:${exchangeId}:${accountId}`;
}

function accountNode(exchangeId: string, accountId: string): FlowNode {
  return {
    key: accountNodeKey(exchangeId, accountId),
    label: `account ${accountId} at ${exchangeId}`,
    side: 'account',
  };
}

/**
 * The event as a flow of funds. On-chain: every `from` to `to`. Exchange: a deposit moves funds
 * from the external wallet into the account, a withdrawal from the account to the wallet, an
 * internal transfer from the account to the counterparty's account when the event names it.
 */
export function flowOf(
  event: OnchainTransfer | ExchangeTransfer,
  addresses: readonly FlowAddress[],
): Flow {
  // Plain literals, no object spread: spreading a function's result goes through V8's slow
  // property copy, and this runs for every transfer (it was 4% of the screener's CPU).
  let at: string;
  let ends: { senders: FlowNode[]; recipient: FlowNode | null };
  if (event.type === 'onchain-transfer') {
    const to = addresses.find((a) => a.side === 'to');
    at = event.blockTime;
    ends = {
      senders: addresses.filter((a) => a.side === 'from').map(nodeOf),
      recipient: to === undefined ? null : nodeOf(to),
    };
  } else {
    const wallet = addresses.find((a) => a.side === 'address');
    at = event.occurredAt;
    ends = exchangeEnds(event, accountNode(event.exchangeId, event.account.id), wallet);
  }
  return {
    eventId: event.eventId,
    chain: event.chain,
    asset: event.asset,
    amount: event.amount,
    at,
    senders: ends.senders,
    recipient: ends.recipient,
  };
}

function nodeOf(a: FlowAddress): FlowNode {
  return { key: a.key, label: a.canonical, side: a.side };
}

function exchangeEnds(
  event: ExchangeTransfer,
  account: FlowNode,
  wallet: FlowAddress | undefined,
): { senders: FlowNode[]; recipient: FlowNode | null } {
  switch (event.direction) {
    case 'deposit':
      return { senders: wallet ? [nodeOf(wallet)] : [], recipient: account };
    case 'withdrawal':
      return { senders: [account], recipient: wallet ? nodeOf(wallet) : null };
    case 'internal': {
      const other = event.counterparty.accountId;
      return {
        senders: [account],
        recipient: other === undefined ? null : accountNode(event.exchangeId, other),
      };
    }
  }
}

function hopOf(flow: Flow, valueJpy: string | null, from: FlowNode, to: FlowNode): ExposureHop {
  return {
    eventId: flow.eventId,
    at: flow.at,
    chain: flow.chain,
    from: from.label,
    to: to.label,
    asset: flow.asset,
    amount: flow.amount,
    valueJpy,
  };
}

function sourceOf(match: ListMatch): ExposureSource {
  return {
    chain: match.chain,
    address: match.address,
    listId: match.listId,
    listVersion: match.listVersion,
    entityId: match.entityId,
    entityName: match.entityName,
    programs: match.programs,
  };
}

/** A stable id of a path: the source entity and the transfers it went through. */
export function pathId(path: ExposurePath): string {
  const hops = path.hops.map((h) => h.eventId).join('>');
  return `${path.source.listId}|${path.source.entityId}|${hops}`;
}

/**
 * The order in which an address keeps its paths when it carries more than the cap: fewest hops
 * first, then by id. The Redis store sorts its hash fields (`<hops>|<pathId>`) the same way.
 */
export function pathRank(path: ExposurePath): string {
  return `${path.hops.length}|${pathId(path)}`;
}

/** `existing` plus `added` (an id already held is kept as it was), best `cap` by `pathRank`. */
export function mergePaths(
  existing: readonly ExposurePath[],
  added: readonly ExposurePath[],
  cap: number,
): ExposurePath[] {
  const byRank = new Map<string, ExposurePath>();
  for (const path of [...existing, ...added]) {
    const rank = pathRank(path);
    if (!byRank.has(rank)) byRank.set(rank, path);
  }
  return [...byRank.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, cap)
    .map(([, path]) => path);
}

/** Dust does not taint: a path carries on only with enough attributed yen and a large enough share. */
function carries(path: ExposurePath, config: RulesConfig): boolean {
  if (money(path.share).lt(money(config.exposureMinShare))) return false;
  // An unknown yen value is not dust: it cannot be shown to be small.
  return path.attributedJpy === null || money(path.attributedJpy).gte(money(config.exposureMinJpy));
}

/**
 * A path that starts at a listed sender: the whole transfer is attributed to the source. Even
 * dust exposes its direct recipient (the contract's one-hop rule); the minimums decide only
 * whether exposure passes on, and a few yen never do.
 */
export function startPath(source: ExposureSource, hop: ExposureHop): ExposurePath {
  return {
    source,
    hops: [hop],
    attributedAmount: hop.amount,
    attributedJpy: hop.valueJpy,
    share: '1',
  };
}

function minOf(a: Money, b: Money): Money {
  return a.lte(b) ? a : b;
}

/**
 * The path one hop longer, or null when it stops here: over the hop limit, a transfer earlier
 * than the last hop (funds cannot leave before they arrive), one it already went through, or
 * weakened below the minimum share or yen. What is attributed is capped by what was attributed
 * before, compared in yen when both are known, else in the asset when it is the same; when
 * neither is possible the whole transfer is attributed (it cannot be shown to be clean).
 */
export function extendPath(
  path: ExposurePath,
  hop: ExposureHop,
  config: RulesConfig,
): ExposurePath | null {
  if (path.hops.length >= config.exposureMaxHops) return null;
  if (path.hops.some((h) => h.eventId === hop.eventId)) return null;
  const last = path.hops[path.hops.length - 1];
  if (Date.parse(hop.at) < Date.parse(last.at)) return null;
  const amount = money(hop.amount);
  let share: Money;
  if (hop.valueJpy !== null && path.attributedJpy !== null && money(hop.valueJpy).gt(0)) {
    const value = money(hop.valueJpy);
    share = minOf(value, money(path.attributedJpy)).div(value);
  } else if (hop.asset === last.asset) {
    share = minOf(amount, money(path.attributedAmount)).div(amount);
  } else {
    share = money('1');
  }
  const extended: ExposurePath = {
    source: path.source,
    hops: [...path.hops, hop],
    attributedAmount: toDecimalString(amount.times(share).toDecimalPlaces(18)),
    attributedJpy:
      hop.valueJpy === null
        ? null
        : toDecimalString(money(hop.valueJpy).times(share).toDecimalPlaces(2)),
    share: toDecimalString(share.toDecimalPlaces(6)),
  };
  return carries(extended, config) ? extended : null;
}

/**
 * Whether a recorded path may be held against an event: it ended before (or at) the event's
 * time, not in this very event (a redelivery), and within the exposure lifetime. Judging by
 * event time keeps a redelivery's findings the same after later transfers added paths.
 */
export function pathApplies(path: ExposurePath, eventId: string, at: string, config: RulesConfig) {
  const last = path.hops[path.hops.length - 1];
  if (path.hops.some((h) => h.eventId === eventId)) return false;
  const age = Date.parse(at) - Date.parse(last.at);
  return age >= 0 && age <= config.exposureTtlDays * DAY_MS;
}

export interface ExposureStep {
  /** The event's nodes with an applicable path, best path per node, senders first. */
  seen: AddressExposure[];
  /** New paths for the recipient (empty when it gets none). */
  created: ExposurePath[];
}

/**
 * One event's step through the exposure graph: which of its nodes were exposed before it, and
 * which paths it gives its recipient. A listed sender starts a path; an exposed sender extends
 * each of its paths by this transfer. A listed recipient gets none: its direct match covers it.
 */
const NO_PATHS: readonly ExposurePath[] = [];

export function exposureStep(
  ctx: ValuedTransfer,
  flow: Flow,
  known: (key: string) => readonly ExposurePath[],
  config: RulesConfig,
): ExposureStep {
  const applicable = (node: FlowNode): readonly ExposurePath[] => {
    const held = known(node.key);
    return held.length === 0
      ? NO_PATHS
      : held.filter((p) => pathApplies(p, flow.eventId, flow.at, config));
  };
  // Senders first, then the recipient: each node's paths are worked out once.
  const nodes = flow.recipient ? [...flow.senders, flow.recipient] : flow.senders;
  const pathsOf = nodes.map(applicable);
  const seen: AddressExposure[] = [];
  nodes.forEach((node, i) => {
    const best = pathsOf[i][0];
    if (best !== undefined) {
      seen.push({ side: node.side, chain: flow.chain, address: node.label, path: best });
    }
  });
  const created: ExposurePath[] = [];
  const recipient = flow.recipient;
  const listed = (node: FlowNode) =>
    ctx.matches.find((m) => m.side === node.side && m.address === node.label);
  if (recipient !== null && listed(recipient) === undefined) {
    flow.senders.forEach((sender, i) => {
      const match = listed(sender);
      // Most transfers carry nothing onward: no hop is built for them.
      if (match === undefined && pathsOf[i].length === 0) return;
      const hop = hopOf(flow, ctx.valueJpy, sender, recipient);
      const paths =
        match !== undefined
          ? [startPath(sourceOf(match), hop)]
          : pathsOf[i].map((p) => extendPath(p, hop, config));
      for (const path of paths) if (path !== null) created.push(path);
    });
  }
  return {
    seen,
    created: created.length === 0 ? [] : mergePaths([], created, config.exposureMaxPathsPerAddress),
  };
}

/** Whether this event starts a path at a listed sender (it is blocked by its direct match). */
export function exposingMatch(ctx: ListedTransfer): ListMatch | null {
  if (ctx.matches.some((m) => m.side === 'to')) return null;
  if (ctx.event.type === 'onchain-transfer') {
    return ctx.matches.find((m) => m.side === 'from') ?? null;
  }
  if (ctx.event.direction !== 'deposit') return null;
  return ctx.matches.find((m) => m.side === 'address') ?? null;
}
