export * from './retro-screening';
export * from './transfer-and-rate-stream';
export * from './review-stream';
