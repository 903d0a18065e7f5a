export * from './screen-transfers/alert-factory';
export * from './screen-transfers/decision';
export * from './screen-transfers/screen-transfers';
export * from './screen-transfers/screening-stores.port';
export * from './screen-transfers/transfer-decoder';
export * from './replay/list-versions';
export * from './replay/replay-report';
export * from './replay/replay-screening';
