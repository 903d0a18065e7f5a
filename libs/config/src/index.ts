export * from './app-config';
export * from './config-error';
export type { Env } from './env-readers';
export * from './command-line';
export * from './loader-config';
export * from './rules-config';
export * from './transport-security';
export * from './updater-config';
