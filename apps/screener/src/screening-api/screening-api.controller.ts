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
import { DeadLetterCode, isSupportedChain, type ListMatch } from '@sekimori/contracts';
import { APP_CONFIG, decodeTransfer, ScreenTransfers } from '@sekimori/screening';
import { SanctionsListStore } from '@sekimori/list-store';
import { ApiKeyGuard } from './api-key.guard';
import { badInput, unlessUnavailable } from './api-errors';
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

/**
 * Which decoder a body goes to: the kind its `type` names. A body that is not a JSON object
 * goes to the exchange decoder, whose error (INVALID_JSON, SCHEMA_VIOLATION) says why; a `type`
 * that names neither kind is answered here.
 */
function kindOf(raw: Buffer): TransferKind | { code: DeadLetterCode; detail: string } {
  let type: unknown;
  try {
    type = (JSON.parse(strictUtf8.decode(raw)) as { type?: unknown } | null)?.type;
  } catch {
    return 'exchange-transfer';
  }
  if (type === 'onchain-transfer' || type === 'exchange-transfer') return type;
  return {
    code: DeadLetterCode.SCHEMA_VIOLATION,
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
  @API_ERROR_RESPONSES([400, 401, 413, 503])
  async screen(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ScreenAnswer> {
    const { maxMessageBytes } = this.config.screener;
    const raw = await readBody(req, maxMessageBytes);
    const kind = kindOf(raw);
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
  @API_ERROR_RESPONSES([400, 401, 503])
  async address(
    @Param('chain') chain: string,
    @Param('address') address: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AddressAnswer> {
    if (!isSupportedChain(chain)) {
      throw badInput({
        code: DeadLetterCode.UNSUPPORTED_CHAIN,
        detail: `chain "${chain.slice(0, 40)}" is not supported`,
        fields: ['chain'],
      });
    }
    const normalized = normalizeAddress(chain, address);
    if (!normalized.ok) {
      throw badInput({
        code: DeadLetterCode.INVALID_ADDRESS,
        detail: `not a valid ${chain} address: ${normalized.reason}`,
        fields: ['address'],
      });
    }
    const lookup = await unlessUnavailable(res, () => this.lists.lookup([normalized.key]));
    const matches: ListMatch[] = (lookup.hits.get(normalized.key) ?? []).map((entry) => ({
      listId: entry.listId,
      listVersion: entry.listVersion,
      entityId: entry.entityId,
      entityName: entry.entityName,
      programs: entry.programs,
      chain,
      address: normalized.canonical,
      side: 'address',
    }));
    return { chain, address: normalized.canonical, matches, listVersion: lookup.listVersion };
  }
}
