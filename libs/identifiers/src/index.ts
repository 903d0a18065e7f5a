export * from './birth-date';
export * from './country';
export * from './evidence';
export * from './id-number';
export * from './list-birth-dates';
export * from './travel-rule-names';
export * from './compact';
export * from './listed-ids';
