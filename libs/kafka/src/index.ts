export * from './backoff';
export * from './batch-consumer';
export * from './batch-transport';
export * from './dead-letter';
export * from './delivery';
export * from './kafka-client';
export * from './records';
export * from './kafka-security';
