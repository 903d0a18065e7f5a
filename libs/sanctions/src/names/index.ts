export * from './name-entry';
export * from './name-index';
export * from './name-matcher';
export * from './normalise-name';
