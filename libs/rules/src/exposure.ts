import type { ListMatch, ListSide } from '@sekimori/contracts';
import type { ScreeningContext } from './context';

/**
 * Where an address's exposure came from: the on-chain transfer in which it received funds
 * directly from a sanctioned address, and the list entry that address matched then.
 */
export interface ExposureSource {
  /** The transfer that created the exposure. */
  eventId: string;
  /** Its `blockTime`. */
  seenAt: string;
  /** The chain of that transfer and the sanctioned sender's address as the list matched it. */
  chain: string;
  address: string;
  listId: string;
  listVersion: string;
  entityId: string;
  entityName: string;
  programs: string[];
}

/** An address of the event being screened that has a recorded exposure. */
export interface AddressExposure {
  side: ListSide;
  /** This event's chain and the address as normalised for it. */
  chain: string;
  address: string;
  source: ExposureSource;
}

/**
 * The list match that makes this event expose its `to` address: an on-chain transfer with a
 * listed sender whose recipient is not listed itself (a listed recipient needs no exposure
 * record; the direct match covers it). The first sender match in event order, so a redelivery
 * names the same source. Null when the event exposes nothing.
 */
export function exposingMatch(ctx: Pick<ScreeningContext, 'event' | 'matches'>): ListMatch | null {
  if (ctx.event.type !== 'onchain-transfer') return null;
  if (ctx.matches.some((m) => m.side === 'to')) return null;
  return ctx.matches.find((m) => m.side === 'from') ?? null;
}

/** The exposure record an exposing match gives the event's `to` address. */
export function exposureSourceOf(
  ctx: Pick<ScreeningContext, 'event'>,
  match: ListMatch,
): ExposureSource {
  const event = ctx.event;
  return {
    eventId: event.eventId,
    seenAt: event.type === 'onchain-transfer' ? event.blockTime : event.occurredAt,
    chain: match.chain,
    address: match.address,
    listId: match.listId,
    listVersion: match.listVersion,
    entityId: match.entityId,
    entityName: match.entityName,
    programs: match.programs,
  };
}
