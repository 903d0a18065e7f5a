import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { redisEnv, securityEnv, testBrokers } from './env';
import { ROOT } from './screener-process';

export const OFAC_FILE = join(ROOT, 'data', 'sanctions', 'ofac', 'sdn_advanced-2025-11-19.xml.bz2');
export const UN_FILE = join(ROOT, 'data', 'sanctions', 'un', 'un-consolidated-2025-11-20.xml');
export const MOF_FILE = join(ROOT, 'data', 'sanctions', 'jp-mof', 'shisantouketsu20260305.xlsx');

/** Loads a list file into Redis under `prefix` with the built loader, as an operator would. */
export async function loadListWithCli(prefix: string, file = OFAC_FILE): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'dist', 'apps', 'list-loader', 'main.js'), file],
    {
      env: {
        PATH: process.env.PATH ?? '',
        ...redisEnv(),
        REDIS_KEY_PREFIX: prefix,
        KAFKA_BROKERS: testBrokers().join(','),
        ...securityEnv(),
      },
      maxBuffer: 16 << 20,
    },
  );
  return stdout;
}

export interface LoaderRun {
  code: number;
  logs: Array<Record<string, unknown>>;
  stderr: string;
}

/** Runs the built loader as an operator would, configured by environment only. */
export function runLoader(
  prefix: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<LoaderRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'apps', 'list-loader', 'main.js'), ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          ...redisEnv(),
          REDIS_KEY_PREFIX: prefix,
          KAFKA_BROKERS: testBrokers().join(','),
          ...securityEnv(),
          ...extraEnv,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const logs = stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, logs, stderr });
      },
    );
  });
}

let seq = 0;

export function onchainTransfer(patch: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    type: 'onchain-transfer',
    eventId: `onchain-${process.pid}-${Date.now()}-${seq}`,
    chain: 'ethereum',
    txHash: `0x${seq.toString(16).padStart(64, '0')}`,
    index: 0,
    blockTime: '2026-03-15T09:30:00Z',
    from: ['0x00000000219ab540356cbb839cbe05303d7705fa'],
    to: '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae',
    asset: 'ETH',
    amount: '1.25',
    ...patch,
  };
}

/** A domestic, fully valued exchange transfer: on its own it raises no alert at all. */
export function exchangeTransfer(patch: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    type: 'exchange-transfer',
    eventId: `exchange-${process.pid}-${Date.now()}-${seq}`,
    exchangeId: 'jp-exchange-1',
    direction: 'withdrawal',
    occurredAt: '2026-03-15T09:30:00Z',
    account: { id: `acct-${seq}`, residency: 'JP', kind: 'individual' },
    chain: 'bitcoin',
    asset: 'BTC',
    amount: '0.1',
    valueJpy: '1500000',
    address: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    counterparty: { walletType: 'hosted', vaspId: 'jp-vasp-2', vaspCountry: 'JP', residency: 'JP' },
    ...patch,
  };
}

/** A domestic withdrawal to a counterparty of the given name: only NAME_MATCH can fire. */
export function withdrawalToName(
  name: string,
  patch: Record<string, unknown> = {},
): Record<string, unknown> {
  return exchangeTransfer({
    counterparty: {
      walletType: 'hosted',
      vaspId: 'jp-vasp-2',
      vaspCountry: 'JP',
      residency: 'JP',
      name,
    },
    ...patch,
  });
}

export const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
