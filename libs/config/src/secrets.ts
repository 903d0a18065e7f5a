import { accessSync, constants, readFileSync } from 'node:fs';
import { ConfigError } from './config-error';
import { type Env, str } from './env-readers';

/**
 * NAME or NAME_FILE (a secret mounted as a file, as Kubernetes and Docker secrets are), never
 * both: two sources for one password would leave the operator guessing which one is used.
 */
export function secret(env: Env, name: string): string | null {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  const hasDirect = direct !== undefined && direct !== '';
  const hasFile = file !== undefined && file !== '';
  if (hasDirect && hasFile) {
    throw new ConfigError(name, `set either ${name} or ${name}_FILE, not both`);
  }
  if (hasDirect) return direct;
  if (!hasFile) return null;
  const path = readableFile(env, `${name}_FILE`);
  if (path === null) return null;
  // A trailing newline is how `echo secret > file` writes it, never part of the password.
  const value = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  if (value === '') throw new ConfigError(`${name}_FILE`, `${path} is empty`);
  return value;
}

/** A path variable that must name a readable file; null when unset. */
export function readableFile(env: Env, name: string): string | null {
  const path = str(env, name, '');
  if (path === '') return null;
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      name,
      code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read (${code})`,
    );
  }
  return path;
}

/** A PEM file variable: readable and holding at least one block of the expected kind. */
export function pemFile(
  env: Env,
  name: string,
  kind: 'CERTIFICATE' | 'PRIVATE KEY',
): string | null {
  const path = readableFile(env, name);
  if (path === null) return null;
  const text = readFileSync(path, 'utf8');
  // "PRIVATE KEY" also matches "RSA PRIVATE KEY" and "EC PRIVATE KEY", the older encodings.
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(text)) {
    throw new ConfigError(name, `${path} holds no PEM ${kind.toLowerCase()}`);
  }
  return path;
}
