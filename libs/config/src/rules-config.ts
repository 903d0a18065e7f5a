import { readFileSync } from 'node:fs';
import type { AppConfig } from './app-config';
import { ConfigError } from './config-error';
import { RulesConfigError, validateRulesConfig, type RulesConfig } from '@sekimori/rules';

const VARIABLE_OF: Record<string, string> = {
  reportThresholdJpy: 'FEFTA_REPORT_THRESHOLD_JPY',
  structuringWindowDays: 'STRUCTURING_WINDOW_DAYS',
  exposureMaxHops: 'EXPOSURE_MAX_HOPS',
  routingWindowHours: 'ROUTING_WINDOW_HOURS',
  restrictedCountries: 'RESTRICTED_COUNTRIES',
  homeCountry: 'HOME_COUNTRY',
};

/**
 * The rules configuration: defaults, then the file named by RULES_CONFIG, then one variable per
 * threshold. Validated once at boot; a bad value names the variable or the file's field.
 */
export function loadRulesConfig(config: AppConfig): RulesConfig {
  let fromFile: Record<string, unknown> = {};
  if (config.rules.configFile) {
    try {
      fromFile = JSON.parse(readFileSync(config.rules.configFile, 'utf8')) as Record<
        string,
        unknown
      >;
    } catch (error) {
      throw new ConfigError(
        'RULES_CONFIG',
        `cannot read ${config.rules.configFile}: ${(error as Error).message}`,
      );
    }
  }
  try {
    return validateRulesConfig({ ...fromFile, ...config.rules.overrides });
  } catch (error) {
    if (!(error instanceof RulesConfigError)) throw error;
    const top = error.field.split('.')[0];
    const variable =
      top in config.rules.overrides
        ? VARIABLE_OF[top]
        : config.rules.configFile
          ? `RULES_CONFIG (${config.rules.configFile})`
          : 'rules';
    throw new ConfigError(variable, error.message);
  }
}
