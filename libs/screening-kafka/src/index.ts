export * from './retro-screening';
export * from './transfer-and-rate-stream';
