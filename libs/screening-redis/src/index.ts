export * from './enrichment-keys';
export * from './exposure.store';
export * from './rates.store';
export * from './retro.store';
export * from './routing.store';
export * from './screening-stores';
export * from './structuring-window.store';
export * from './review.store';
