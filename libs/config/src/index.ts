export * from './app-config';
export * from './config-error';
export type { Env } from './env-readers';
export * from './transport-security';
