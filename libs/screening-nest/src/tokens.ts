/** Injection tokens for the screener's infrastructure providers. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const REDIS = Symbol('REDIS');
export const RULE_ENGINE = Symbol('RULE_ENGINE');
/** Every Redis store, as `createScreeningStores` builds them. */
export const SCREENING_STORES = Symbol('SCREENING_STORES');
