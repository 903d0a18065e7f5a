export * from './drop-namespace';
export * from './redis-outage';
export * from './redis-script';
export * from './create-redis';
export * from './verify-redis-access';
