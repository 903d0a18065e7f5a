export * from './redis-outage';
export * from './redis-script';
