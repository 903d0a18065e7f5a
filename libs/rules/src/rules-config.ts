import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  Max,
  Min,
  ValidateNested,
  validateSync,
  ValidationError,
} from 'class-validator';
import { IsCountry, IsDecimalString } from '@sekimori/contracts';
import type { AlertAction, RuleId, Severity } from '@sekimori/contracts';
import { money } from './money';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
export const ACTIONS: readonly AlertAction[] = ['block', 'hold', 'report', 'review'];

/** How one rule reports: the defaults are the severity/action table of docs/shared-contract.md. */
export class RuleSettings {
  @IsBoolean()
  enabled!: boolean;

  @IsIn(SEVERITIES)
  severity!: Severity;

  @IsIn(ACTIONS)
  action!: AlertAction;
}

export class PaymentReportSettings extends RuleSettings {
  /** The action when the location is unknown but the value is over the threshold (contract: review). */
  @IsIn(ACTIONS)
  unknownLocationAction!: AlertAction;
}

function settings(severity: Severity, action: AlertAction): RuleSettings {
  return Object.assign(new RuleSettings(), { enabled: true, severity, action });
}

/**
 * One entry per contract rule id, so that a new rule needs no new configuration class, only its
 * defaults here and in config/rules.default.json. Unknown keys are rejected at start.
 */
export class RuleSettingsById implements Record<RuleId, RuleSettings> {
  @ValidateNested()
  @Type(() => RuleSettings)
  SANCTIONS_ADDRESS_MATCH: RuleSettings = settings('critical', 'block');

  @ValidateNested()
  @Type(() => RuleSettings)
  RESTRICTED_JURISDICTION: RuleSettings = settings('high', 'hold');

  @ValidateNested()
  @Type(() => PaymentReportSettings)
  FEFTA_PAYMENT_REPORT: PaymentReportSettings = Object.assign(new PaymentReportSettings(), {
    ...settings('medium', 'report'),
    unknownLocationAction: 'review' as AlertAction,
  });

  @ValidateNested()
  @Type(() => RuleSettings)
  STRUCTURING: RuleSettings = settings('high', 'review');

  @ValidateNested()
  @Type(() => RuleSettings)
  VALUATION_MISSING: RuleSettings = settings('low', 'review');

  @ValidateNested()
  @Type(() => RuleSettings)
  INDIRECT_EXPOSURE: RuleSettings = settings('high', 'review');

  @ValidateNested()
  @Type(() => RuleSettings)
  NAME_MATCH: RuleSettings = settings('high', 'hold');

  @ValidateNested()
  @Type(() => RuleSettings)
  THIRD_COUNTRY_ROUTING: RuleSettings = settings('high', 'hold');

  @ValidateNested()
  @Type(() => RuleSettings)
  CONFIRMED_MATCH: RuleSettings = settings('critical', 'block');
}

/** Sanctioned or embargoed jurisdictions screened by default (docs/shared-contract.md, "Rule ids"). */
export const DEFAULT_RESTRICTED_COUNTRIES: readonly string[] = ['RU', 'BY', 'KP', 'IR', 'SY', 'CU'];

/**
 * Transshipment points named in the FinCEN–BIS joint alert of 28 June 2022, through which
 * export-controlled items have passed on their way to Russia or Belarus (docs/rules.md).
 */
// prettier-ignore
export const DEFAULT_THIRD_COUNTRIES: readonly string[] = [
  'AM', 'BR', 'CN', 'GE', 'IN', 'IL', 'KZ', 'KG', 'MX',
  'NI', 'RS', 'SG', 'ZA', 'TW', 'TJ', 'TR', 'AE', 'UZ',
];

/**
 * The rules configuration. `new RulesConfig()` is the defaults; config/rules.default.json holds
 * the same values for operators (a unit test keeps the two equal).
 */
export class RulesConfig {
  /** Where the reporting exchange is licensed; "outside Japan" and "resident" are relative to it. */
  @IsCountry()
  homeCountry = 'JP';

  /**
   * FEFTA Art. 55 payment report: a payment exceeding ¥30 million. Also the per-transfer ceiling
   * and the sum threshold of STRUCTURING. A decimal string, like every yen amount.
   */
  @IsDecimalString({ positive: true })
  reportThresholdJpy = '30000000';

  @IsInt()
  @Min(1)
  @Max(366)
  structuringWindowDays = 7;

  /**
   * How long an address stays exposed (INDIRECT_EXPOSURE) after it last received funds directly
   * from a sanctioned address. A policy choice, not a legal period: long enough to catch funds
   * that rest a few weeks before moving on, short enough that the record does not grow forever.
   */
  @IsInt()
  @Min(1)
  @Max(3650)
  exposureTtlDays = 90;

  /** INDIRECT_EXPOSURE follows funds through at most this many transfers from the listed address. */
  @IsInt()
  @Min(1)
  @Max(9)
  exposureMaxHops = 3;

  /**
   * Dust does not taint: a hop carries exposure only when the yen attributed to the source is at
   * least this much (dusting sends a few yen to thousands of addresses). Unknown values carry.
   */
  @IsDecimalString({ positive: false })
  exposureMinJpy = '10000';

  /** Nor does a small part of a larger transfer: the attributed share of the hop (0–1) must reach this. */
  @IsDecimalString({ positive: true })
  exposureMinShare = '0.1';

  /** The most paths one address or account keeps (fewest hops first); bounds the state per node. */
  @IsInt()
  @Min(1)
  @Max(32)
  exposureMaxPathsPerAddress = 4;

  @IsArray()
  @ArrayUnique()
  @IsCountry({ each: true })
  restrictedCountries: string[] = [...DEFAULT_RESTRICTED_COUNTRIES];

  /** THIRD_COUNTRY_ROUTING: how long after a tainted inflow an outflow to a third country counts. */
  @IsInt()
  @Min(1)
  @Max(8760)
  routingWindowHours = 72;

  /** The share (0–1) of the tainted inflows that must leave for third countries to raise it. */
  @IsDecimalString({ positive: true })
  routingMinShare = '0.5';

  @IsArray()
  @ArrayUnique()
  @IsCountry({ each: true })
  thirdCountries: string[] = [...DEFAULT_THIRD_COUNTRIES];

  /** A deposit from a VASP in one of these countries counts as an inflow (FIN-2022-Alert001). */
  @IsArray()
  @ArrayUnique()
  @IsCountry({ each: true })
  routingSourceVaspCountries: string[] = ['RU'];

  /** Fan-out: this many distinct foreign VASPs paid within `fanOutWindowHours` of an inflow. */
  @IsInt()
  @Min(2)
  @Max(100)
  fanOutMinVasps = 3;

  @IsInt()
  @Min(1)
  @Max(8760)
  fanOutWindowHours = 24;

  /** The most inflows and outflows one account's routing log keeps (newest first). */
  @IsInt()
  @Min(10)
  @Max(10000)
  routingMaxEntriesPerAccount = 200;

  @ValidateNested()
  @Type(() => RuleSettingsById)
  rules: RuleSettingsById = new RuleSettingsById();
}

/** A bad rules configuration: `field` is the dotted path of the first bad value. */
export class RulesConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RulesConfigError';
  }
}

type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Overlays `given` on `defaults`, object by object, so a file may set only what it changes. */
function overlay(defaults: PlainObject, given: PlainObject): PlainObject {
  const out: PlainObject = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    const base = defaults[key];
    out[key] = isPlainObject(base) && isPlainObject(value) ? overlay(base, value) : value;
  }
  return out;
}

function firstError(errors: ValidationError[], path: string): { field: string; message: string } {
  const first = errors[0];
  const field = path ? `${path}.${first.property}` : first.property;
  if (first.constraints && Object.keys(first.constraints).length > 0) {
    const message = Object.values(first.constraints)[0].replace(first.property, field);
    return { field, message: message.includes(field) ? message : `${field}: ${message}` };
  }
  if (first.children && first.children.length > 0) return firstError(first.children, field);
  return { field, message: `${field} is invalid` };
}

/**
 * Validates a plain configuration (parsed JSON) over the defaults and returns the typed config.
 * Throws a RulesConfigError whose message names the bad field, e.g.
 * `invalid rules configuration: rules.STRUCTURING.severity must be one of the following values: …`.
 */
export function validateRulesConfig(plain: unknown): RulesConfig {
  if (plain === undefined || plain === null) plain = {};
  if (!isPlainObject(plain)) {
    throw new RulesConfigError('', 'invalid rules configuration: it must be a JSON object');
  }
  const defaults = JSON.parse(JSON.stringify(new RulesConfig())) as PlainObject;
  const instance = plainToInstance(RulesConfig, overlay(defaults, plain));
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) {
    const { field, message } = firstError(errors, '');
    throw new RulesConfigError(field, `invalid rules configuration: ${message}`);
  }
  for (const field of ['exposureMinShare', 'routingMinShare'] as const) {
    if (money(instance[field]).gt(1)) {
      throw new RulesConfigError(field, `invalid rules configuration: ${field} must be at most 1`);
    }
  }
  if (instance.fanOutWindowHours > instance.routingWindowHours) {
    // The routing log keeps two routing windows; a longer fan-out window would read pruned entries.
    throw new RulesConfigError(
      'fanOutWindowHours',
      `invalid rules configuration: fanOutWindowHours (${instance.fanOutWindowHours}) must not exceed routingWindowHours (${instance.routingWindowHours})`,
    );
  }
  return instance;
}
