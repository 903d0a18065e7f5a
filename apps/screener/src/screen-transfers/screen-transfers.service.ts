import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ListMatch } from '@sekimori/contracts';
import type { AppConfig } from '@sekimori/config';
import { type BatchOutcome, type ConsumedBatch, type OutboundRecord } from '@sekimori/kafka';
import {
  type CrossBorderVerdict,
  crossBorderVerdict,
  isStructuringCandidate,
  type RuleEngine,
  type ScreeningContext,
  type StructuringState,
  valueInJpy,
} from '@sekimori/rules';
import {
  type CounterpartyName,
  counterpartyNameOf,
  type ListLookup,
  matchCounterpartyName,
  SanctionsListStore,
} from '@sekimori/sanctions';
import { ExposureStore, trackExposures } from '../enrichment/exposure.store';
import { type PinRequest, RatesStore } from '../enrichment/rates.store';
import { StructuringWindowStore } from '../enrichment/structuring-window.store';
import { BatchReport } from '../observability/batch-report';
import { APP_CONFIG, LOGGER, RULE_ENGINE } from '../infrastructure/tokens';
import { ScreeningMetrics } from '../observability/screening-metrics';
import { buildAlert } from './alert-factory';
import { decodeTransfer, type ScreenableTransfer } from './transfer-decoder';

const DAY_MS = 86_400_000;

const UNKNOWN_LOCATION: CrossBorderVerdict = {
  crossBorder: null,
  origin: null,
  destination: null,
  reasons: [],
};

/** The only name screened (contract, NAME_MATCH): an exchange transfer's counterparty name. */
function counterpartyName(transfer: ScreenableTransfer): string | undefined {
  return transfer.kind === 'exchange-transfer' ? transfer.event.counterparty.name : undefined;
}

interface Screened {
  transfer: ScreenableTransfer;
  offset: string;
  context: ScreeningContext;
}

/**
 * The use case: one batch of transfers in, its alerts and dead letters out.
 * decode → validate → enrich (one lookup per store for the whole batch) → evaluate → publish.
 */
@Injectable()
export class ScreenTransfersService {
  constructor(
    @Inject(APP_CONFIG) readonly config: AppConfig,
    @Inject(LOGGER) readonly log: Logger,
    @Inject(RULE_ENGINE) private readonly engine: RuleEngine,
    private readonly lists: SanctionsListStore,
    private readonly rates: RatesStore,
    private readonly windows: StructuringWindowStore,
    private readonly exposures: ExposureStore,
    readonly metrics: ScreeningMetrics,
  ) {}

  async screen(batch: ConsumedBatch): Promise<BatchOutcome> {
    const expected =
      batch.topic === this.config.topics.exchange ? 'exchange-transfer' : 'onchain-transfer';
    const report = new BatchReport(this, batch);
    const records: OutboundRecord[] = [];
    const transfers: Array<{ transfer: ScreenableTransfer; offset: string }> = [];

    for (const message of batch.messages) {
      const decoded = decodeTransfer(message.value, expected, this.config.screener.maxMessageBytes);
      if (decoded.ok) {
        transfers.push({ transfer: decoded, offset: message.offset });
        continue;
      }
      records.push(report.deadLetter(message, decoded));
    }

    // Enrichment: every store is asked once for the whole batch. Any failure here throws, and
    // the batch is held and retried: nothing is screened against a missing list.
    // The list lookup and the rates do not depend on each other: one round trip's wait instead
    // of two (on a busy host each wait costs a scheduler slice; docs/performance.md).
    // Exposure records are read beside them; which addresses this batch exposes needs the
    // list hits, so those are written beside the structuring windows.
    const verdicts = transfers.map((t) => this.verdictOf(t.transfer));
    const addressKeys = [
      ...new Set(transfers.flatMap((t) => t.transfer.addresses.map((a) => a.key))),
    ];
    // Counterparty names (NAME_MATCH) ride on the same list lookup: no extra round trip. Each is
    // normalised once, here, for the lookup and for the match.
    const names = transfers.map((t) => counterpartyNameOf(counterpartyName(t.transfer)));
    const nameKeys = [...new Set(names.flatMap((n) => n?.key ?? []))];
    const [lookup, rateOf, exposed] = await Promise.all([
      this.lists.lookup(addressKeys, nameKeys),
      this.ratesFor(
        transfers.map((t) => t.transfer),
        verdicts,
      ),
      this.exposures.get(addressKeys),
    ]);
    const screened = transfers.map(({ transfer, offset }, i) => ({
      transfer,
      offset,
      context: this.contextOf(transfer, lookup, verdicts[i], rateOf(transfer), names[i]),
    }));
    const [windows] = await Promise.all([
      this.recordWindows(screened),
      this.exposures.record(trackExposures(screened, exposed)),
    ]);

    const detectedAt = new Date().toISOString();
    for (const item of screened) {
      item.context.structuring = windows.get(item.transfer.event.eventId) ?? null;
      for (const finding of this.engine.evaluate(item.context)) {
        const alert = buildAlert(item.transfer, item.context, finding, detectedAt);
        records.push(report.alert(item.offset, alert));
      }
    }
    return { records, delivered: report.delivered };
  }

  /**
   * The rate each transfer without a `valueJpy` is valued with. Exchange transfers that are or
   * may be cross-border (the only ones whose value decides a rule) get the rate pinned to their
   * eventId, so a redelivery is valued as the first delivery was and raises no new alert; the
   * pin is kept as long as the structuring result (twice the window). Others use the latest.
   */
  private async ratesFor(
    transfers: ScreenableTransfer[],
    verdicts: CrossBorderVerdict[],
  ): Promise<(transfer: ScreenableTransfer) => string | null> {
    const pins: PinRequest[] = [];
    const assets = new Set<string>();
    transfers.forEach((t, i) => {
      if (t.event.valueJpy !== undefined) return;
      if (t.kind === 'exchange-transfer' && verdicts[i].crossBorder !== false) {
        pins.push({ eventId: t.event.eventId, asset: t.event.asset });
      } else {
        assets.add(t.event.asset);
      }
    });
    const holdMs = 2 * this.engine.config.structuringWindowDays * DAY_MS;
    const [pinned, latest] = await Promise.all([
      this.rates.pinMany(pins, holdMs),
      this.rates.getMany([...assets]),
    ]);
    return (t) => {
      const rate = pinned.get(t.event.eventId);
      return rate !== undefined ? rate : (latest.get(t.event.asset) ?? null);
    };
  }

  private verdictOf(transfer: ScreenableTransfer): CrossBorderVerdict {
    return transfer.kind === 'exchange-transfer'
      ? crossBorderVerdict(transfer.event, this.engine.config.homeCountry)
      : UNKNOWN_LOCATION;
  }

  private contextOf(
    transfer: ScreenableTransfer,
    lookup: ListLookup,
    verdict: CrossBorderVerdict,
    rate: string | null,
    name: CounterpartyName | null,
  ): ScreeningContext {
    const matches: ListMatch[] = [];
    for (const address of transfer.addresses) {
      for (const entry of lookup.hits.get(address.key) ?? []) {
        matches.push({
          listId: entry.listId,
          listVersion: entry.listVersion,
          entityId: entry.entityId,
          entityName: entry.entityName,
          programs: entry.programs,
          chain: transfer.chain,
          address: address.canonical,
          side: address.side,
        });
      }
    }
    return {
      event: transfer.event,
      matches,
      listVersion: lookup.listVersion,
      valuation: valueInJpy(transfer.event, rate),
      verdict,
      structuring: null,
      exposures: [],
      nameMatches: matchCounterpartyName(name, lookup.nameHits),
    };
  }

  private async recordWindows(screened: Screened[]): Promise<Map<string, StructuringState>> {
    const items = [];
    for (const { transfer, context } of screened) {
      if (
        transfer.kind !== 'exchange-transfer' ||
        !isStructuringCandidate(context, this.engine.config)
      )
        continue;
      items.push({
        accountId: transfer.event.account.id,
        eventId: transfer.event.eventId,
        occurredAt: transfer.event.occurredAt,
        valueJpy: context.valuation.valueJpy as string,
      });
    }
    return items.length === 0 ? new Map() : this.windows.record(items);
  }
}
