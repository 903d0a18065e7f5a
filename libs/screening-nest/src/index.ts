export * from './logger';
export * from './screening.module';
export * from './tokens';
