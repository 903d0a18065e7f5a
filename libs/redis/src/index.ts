export * from './drop-namespace';
export * from './redis-outage';
export * from './redis-script';
