import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import type {
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import {
  type Alert,
  DECISION_SEVERITY,
  type Decision,
  type ListMatch,
  RuleId,
  TRAVEL_RULE_CLASSES,
} from '@sekimori/contracts';

export interface ScreenAnswer {
  decision: Decision;
  alerts: Alert[];
  listVersion: string;
}

export interface AddressAnswer {
  chain: string;
  address: string;
  matches: ListMatch[];
  listVersion: string;
}

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string): SchemaObject => ({ type: 'string', description });
const strings: SchemaObject = { type: 'array', items: { type: 'string' } };
const decimal = (description: string): SchemaObject => ({
  type: 'string',
  pattern: '^[0-9]+(\\.[0-9]+)?$',
  description,
});

/** The request body: either transfer event of the contract, told apart by `type`. */
export const TRANSFER_BODY_SCHEMA: SchemaObject = {
  oneOf: [ref('OnchainTransfer'), ref('ExchangeTransfer')],
  discriminator: {
    propertyName: 'type',
    mapping: {
      'onchain-transfer': '#/components/schemas/OnchainTransfer',
      'exchange-transfer': '#/components/schemas/ExchangeTransfer',
    },
  },
};

/** The output messages, as docs/integration.md describes them (they are plain interfaces). */
const OUTPUT_SCHEMAS: Record<string, SchemaObject> = {
  ListMatch: {
    type: 'object',
    required: ['listId', 'listVersion', 'entityId', 'entityName', 'programs', 'chain', 'address'],
    properties: {
      listId: str('ofac-sdn, un-consolidated, jp-mof, or an own list id'),
      listVersion: str(),
      entityId: str(),
      entityName: str(),
      programs: strings,
      chain: str(),
      address: str('as normalised for its chain; empty for NAME_MATCH'),
      side: { type: 'string', enum: ['from', 'to', 'address'] },
      listedName: str('NAME_MATCH: the list’s spelling of the name that matched'),
      givenName: str('NAME_MATCH: the name as the event gave it'),
      nameOf: { type: 'string', enum: ['account', 'counterparty'] },
      score: { type: 'number', minimum: 0, maximum: 1 },
      method: str('NAME_MATCH: how it matched (exact, reordered, transliterated, fuzzy, ...)'),
      nameSource: str(
        'NAME_MATCH with travel-rule data: the field or IVMS101 identifier of the name',
      ),
      evidence: {
        type: 'object',
        description: 'NAME_MATCH with travel-rule data: the secondary identifiers compared',
        properties: Object.fromEntries(
          ['birthDate', 'country', 'idNumber'].map((k) => [
            k,
            { type: 'string', enum: ['agrees', 'differs', 'unknown'] },
          ]),
        ),
      },
    },
  },
  Alert: {
    type: 'object',
    required: [
      'type',
      'alertId',
      'ruleId',
      'severity',
      'action',
      'eventId',
      'eventType',
      'subjectKey',
      'occurredAt',
      'detectedAt',
      'crossBorder',
      'jurisdictions',
      'matches',
      'reasons',
      'legalBasis',
      'listVersion',
      'retroactive',
    ],
    properties: {
      type: { type: 'string', enum: ['alert'] },
      alertId: str('deterministic: the same event, rule and subject give the same id'),
      ruleId: { type: 'string', enum: [...Object.values(RuleId)] },
      severity: { type: 'string', enum: ['critical', 'high', 'medium', 'low'] },
      action: { type: 'string', enum: ['block', 'hold', 'report', 'review'] },
      eventId: str(),
      eventType: { type: 'string', enum: ['onchain-transfer', 'exchange-transfer'] },
      subjectKey: str(),
      occurredAt: { type: 'string', format: 'date-time' },
      detectedAt: { type: 'string', format: 'date-time' },
      crossBorder: { type: 'boolean', nullable: true },
      jurisdictions: {
        type: 'object',
        properties: {
          origin: { type: 'string', nullable: true },
          destination: { type: 'string', nullable: true },
        },
      },
      valueJpy: decimal('yen, where known'),
      valueSource: { type: 'string', enum: ['event', 'rate'] },
      matches: { type: 'array', items: ref('ListMatch') },
      reasons: strings,
      legalBasis: strings,
      listVersion: str(),
      retroactive: { type: 'boolean' },
    },
  },
  Decision: {
    type: 'object',
    required: [
      'type',
      'eventId',
      'eventType',
      'subjectKey',
      'occurredAt',
      'decision',
      'ruleIds',
      'alertIds',
      'listVersion',
      'screenedAt',
      'retroactive',
    ],
    properties: {
      type: { type: 'string', enum: ['decision'] },
      eventId: str(),
      eventType: {
        type: 'string',
        enum: ['onchain-transfer', 'exchange-transfer'],
        nullable: true,
      },
      subjectKey: { type: 'string', nullable: true },
      occurredAt: { type: 'string', format: 'date-time', nullable: true },
      decision: {
        type: 'string',
        enum: [...DECISION_SEVERITY],
        description: 'the most severe action among the alerts; pass when none',
      },
      ruleIds: strings,
      alertIds: strings,
      listVersion: str('every list version screened against: listId:version,...'),
      screenedAt: { type: 'string', format: 'date-time' },
      retroactive: { type: 'boolean' },
      unscreenable: str('the dead-letter code when the event could not be screened'),
      final: {
        type: 'boolean',
        enum: [true],
        description: 'on the decision re-issued once every hold and review alert has an outcome',
      },
      reviewIds: { ...strings, description: 'with final: the reviews behind it, as applied' },
      supersedes: {
        type: 'object',
        description: 'with final: the decision it replaces',
        properties: {
          decision: { type: 'string', enum: [...DECISION_SEVERITY] },
          alertIds: strings,
          screenedAt: { type: 'string', format: 'date-time' },
        },
      },
      suppressed: {
        type: 'array',
        description: 'matches not raised because a clearance is in force',
        items: {
          type: 'object',
          properties: {
            clearanceId: str(),
            ruleId: str(),
            listId: str(),
            entityId: str(),
            reviewer: str(),
          },
        },
      },
    },
  },
  Clearance: {
    type: 'object',
    properties: {
      clearanceId: str(),
      subjectKey: str(),
      ruleId: { type: 'string', enum: ['NAME_MATCH', 'INDIRECT_EXPOSURE'] },
      listId: str(),
      entityId: str(),
      address: str('INDIRECT_EXPOSURE only: the listed address the cleared exposure came from'),
      fingerprint: str(
        "the entry's names, aliases, programmes and listed addresses when cleared, hashed (f2:...)",
      ),
      reviewId: str(),
      alertId: str(),
      reviewer: str(),
      clearedAt: { type: 'string', format: 'date-time' },
      expiresAt: { type: 'string', format: 'date-time' },
    },
  },
  ApiError: {
    type: 'object',
    required: ['statusCode', 'message'],
    properties: {
      statusCode: { type: 'integer' },
      code: str(
        'the dead-letter code (400, 413), BODY_TIMEOUT (408), RATE_LIMITED (429), or why screening is unavailable (503: REDIS_UNAVAILABLE, LIST_MISSING)',
      ),
      message: str(),
      fields: { ...strings, description: 'offending field paths (400)' },
    },
  },
};

export const SCREEN_ANSWER_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['decision', 'alerts', 'listVersion'],
  properties: {
    decision: ref('Decision'),
    alerts: { type: 'array', items: ref('Alert') },
    listVersion: str(),
  },
};

export const ADDRESS_ANSWER_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['chain', 'address', 'matches', 'listVersion'],
  properties: {
    chain: str(),
    address: str('as normalised for its chain'),
    matches: { type: 'array', items: ref('ListMatch') },
    listVersion: str(),
  },
};

export const REVIEW_ACCEPTED_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['reviewId', 'alertId', 'eventId', 'outcome'],
  properties: {
    reviewId: str(),
    alertId: str(),
    eventId: str('the event whose final decision the review may complete'),
    outcome: { type: 'string', enum: ['cleared', 'confirmed', 'released'] },
  },
};

export const CLEARANCES_ANSWER_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['subjectKey', 'clearances', 'freeze'],
  properties: {
    subjectKey: str(),
    clearances: { type: 'array', items: ref('Clearance') },
    freeze: {
      type: 'object',
      nullable: true,
      description: 'the freeze a confirmed review made, until released',
      properties: {
        subjectKey: str(),
        reviewId: str(),
        alertId: str(),
        reviewer: str(),
        confirmedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
};

export const CLEARANCE_SCHEMA: ReferenceObject = ref('Clearance');
export const REVIEW_BODY_SCHEMA: ReferenceObject = ref('Review');

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: the dead-letter code the stream would give it, and the offending fields',
  401: 'No valid key: Authorization: Bearer <token>',
  403: 'A screening key where a reviewer key (REVIEW_API_KEYS) is required',
  404: 'UNKNOWN_ALERT (no such alert within REVIEW_WINDOW_DAYS) or UNKNOWN_CLEARANCE',
  408: 'The body did not arrive whole within API_BODY_TIMEOUT_MS; the connection is closed',
  413: 'The body is over MAX_MESSAGE_BYTES',
  429: 'This key is over API_RATE_LIMIT_PER_SECOND; retry after the Retry-After seconds',
  503: 'Redis or a required list is unavailable; retry after the Retry-After seconds',
};

/** The error answers of an operation, all in the ApiError shape. */
export function API_ERROR_RESPONSES(statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status],
        schema: ref('ApiError'),
        headers:
          status === 429 || status === 503
            ? { 'Retry-After': { description: 'seconds', schema: { type: 'integer' } } }
            : undefined,
      }),
    ),
  );
}

type ContractConverters = NonNullable<
  NonNullable<Parameters<typeof validationMetadatasToSchemas>[0]>['additionalConverters']
>;

/** Custom contract validators, as JSON Schema (class-validator-jsonschema knows the built-in ones). */
const CUSTOM_CONSTRAINTS: Record<string, SchemaObject> = {
  isDecimalString: decimal('a decimal string, never a JSON number'),
  isZonedTime: { type: 'string', format: 'date-time', description: 'ISO-8601 with a zone' },
  isCountry: { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' },
  isCalendarDate: { type: 'string', format: 'date', description: 'YYYY-MM-DD' },
  isKanaReading: {
    type: 'string',
    description: 'katakana, full or half width, with ー, ・, spaces',
  },
  isAbsentWith: { description: 'a person is either naturalPerson or legalPerson, not both' },
  // The default is JSON Schema's `not: { type: "null" }`, which OpenAPI 3.0 has no `null` type
  // for; in 3.0 a value is never null unless `nullable`, and `required` says it must be there.
  isDefined: {},
};

/**
 * In OpenAPI 3.0 a `$ref` stands alone: its siblings are ignored and validators flag them. The
 * generator puts `type: object` (from @IsObject) beside the $ref of a nested class.
 */
function refsAlone(schema: SchemaObject | ReferenceObject): SchemaObject | ReferenceObject {
  if ('$ref' in schema) return { $ref: schema.$ref };
  const properties = schema.properties;
  if (properties === undefined) return schema;
  return {
    ...schema,
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, property]) => [name, refsAlone(property)]),
    ),
  };
}

/**
 * Adds the contract's event schemas, generated from the very class-validator classes that
 * validate the stream and the API, and the output schemas, to a document made by
 * SwaggerModule.createDocument.
 */
export function withContractSchemas(document: OpenAPIObject): OpenAPIObject {
  // class-transformer keeps its @Type metadata in a module it does not type for import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const storage = require('class-transformer/cjs/storage') as {
    defaultMetadataStorage: MetadataStorage;
  };
  const generated = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: storage.defaultMetadataStorage,
    // Two copies of the OpenAPI types (Nest's and openapi3-ts') that differ only in `x-` keys.
    additionalConverters: CUSTOM_CONSTRAINTS as unknown as ContractConverters,
  }) as Record<string, SchemaObject>;
  const events = Object.fromEntries(
    [
      'OnchainTransfer',
      'TransferObserver',
      'ExchangeTransfer',
      'ExchangeAccount',
      'Counterparty',
      'Review',
      ...TRAVEL_RULE_CLASSES.map((cls) => cls.name),
    ]
      .filter((name) => generated[name] !== undefined)
      .map((name) => [name, refsAlone(generated[name])]),
  );
  return {
    ...document,
    components: {
      ...document.components,
      schemas: { ...document.components?.schemas, ...events, ...OUTPUT_SCHEMAS },
    },
  };
}
