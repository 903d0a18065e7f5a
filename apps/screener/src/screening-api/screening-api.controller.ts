import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { normalizeAddress } from '@sekimori/chains';
import type { AppConfig } from '@sekimori/config';
import { isSupportedChain, type ListMatch, listMatchOf } from '@sekimori/contracts';
import { decodeTransfer, ScreenTransfers } from '@sekimori/screening';
import { APP_CONFIG } from '@sekimori/screening-nest';
import { SanctionsListStore } from '@sekimori/list-store';
import { ApiKeyGuard } from './api-key.guard';
import { type ApiRequestNotes, notesOf } from './api-request';
import { ApiErrorCode, badInput, unlessUnavailable } from './api-errors';
import { readBody } from './read-body';
import {
  type AddressAnswer,
  API_ERROR_RESPONSES,
  SCREEN_ANSWER_SCHEMA,
  ADDRESS_ANSWER_SCHEMA,
  TRANSFER_BODY_SCHEMA,
  type ScreenAnswer,
} from './openapi-schemas';

type TransferKind = 'onchain-transfer' | 'exchange-transfer';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** An eventId for the access log: bounded, since the body is the client's to choose. */
const EVENT_ID_LOG_CHARS = 128;

/**
 * Which decoder a body goes to: the kind its `type` names. A body that is not a JSON object
 * goes to the exchange decoder, whose error (INVALID_JSON, SCHEMA_VIOLATION) says why; a `type`
 * that names neither kind is answered here. Its `eventId`, when it has one, is noted for the
 * access log.
 */
function kindOf(
  raw: Buffer,
  notes: ApiRequestNotes,
): TransferKind | { code: ApiErrorCode; detail: string } {
  let body: { type?: unknown; eventId?: unknown } | null;
  try {
    body = JSON.parse(strictUtf8.decode(raw)) as { type?: unknown; eventId?: unknown } | null;
  } catch {
    return 'exchange-transfer';
  }
  const eventId = body?.eventId;
  if (typeof eventId === 'string') notes.eventId = eventId.slice(0, EVENT_ID_LOG_CHARS);
  const type = body?.type;
  if (type === 'onchain-transfer' || type === 'exchange-transfer') return type;
  return {
    code: ApiErrorCode.SCHEMA_VIOLATION,
    detail: 'type must be "onchain-transfer" or "exchange-transfer"',
  };
}

/**
 * The screening API: the stream's answer on request, before a transfer is made. It decodes,
 * validates and normalises as the stream does and calls the same use case in `preview` mode,
 * which reads the lists and the state and writes nothing.
 */
@ApiTags('screening')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('v1')
export class ScreeningApiController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly screening: ScreenTransfers,
    private readonly lists: SanctionsListStore,
  ) {}

  @Post('screen')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Screen a transfer before it is made',
    description:
      'The decision the stream would give this event now, with its alerts. Read-only: nothing is published and no state is written; STRUCTURING answers what the window would hold with this transfer included.',
  })
  @ApiBody({ schema: TRANSFER_BODY_SCHEMA })
  @ApiResponse({ status: 200, description: 'Screened', schema: SCREEN_ANSWER_SCHEMA })
  @API_ERROR_RESPONSES([400, 401, 408, 413, 429, 503])
  async screen(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ScreenAnswer> {
    const { maxMessageBytes } = this.config.screener;
    const raw = await readBody(req, res, maxMessageBytes, this.config.api.bodyTimeoutMs);
    const kind = kindOf(raw, notesOf(req));
    if (typeof kind !== 'string') throw badInput({ ...kind, fields: ['type'] });
    const decoded = decodeTransfer(raw, kind, maxMessageBytes);
    if (!decoded.ok) throw badInput(decoded);
    const [screened] = await unlessUnavailable(res, () =>
      this.screening.screen([decoded], 'preview'),
    );
    return {
      decision: screened.decision,
      alerts: screened.alerts,
      listVersion: screened.context.listVersion,
    };
  }

  @Get('addresses/:chain/:address')
  @ApiOperation({
    summary: 'The list entries of one address',
    description: 'Every loaded list is looked up, with the chain’s case rules; empty when none.',
  })
  @ApiParam({ name: 'chain', example: 'ethereum' })
  @ApiParam({ name: 'address', example: '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9' })
  @ApiResponse({ status: 200, description: 'Looked up', schema: ADDRESS_ANSWER_SCHEMA })
  @API_ERROR_RESPONSES([400, 401, 429, 503])
  async address(
    @Param('chain') chain: string,
    @Param('address') address: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AddressAnswer> {
    if (!isSupportedChain(chain)) {
      throw badInput({
        code: ApiErrorCode.UNSUPPORTED_CHAIN,
        detail: `chain "${chain.slice(0, 40)}" is not supported`,
        fields: ['chain'],
      });
    }
    const normalized = normalizeAddress(chain, address);
    if (!normalized.ok) {
      throw badInput({
        code: ApiErrorCode.INVALID_ADDRESS,
        detail: `not a valid ${chain} address: ${normalized.reason}`,
        fields: ['address'],
      });
    }
    const lookup = await unlessUnavailable(res, () => this.lists.lookup([normalized.key]));
    const matches: ListMatch[] = (lookup.hits.get(normalized.key) ?? []).map((entry) =>
      listMatchOf(entry, chain, normalized.canonical, 'address'),
    );
    return { chain, address: normalized.canonical, matches, listVersion: lookup.listVersion };
  }
}
