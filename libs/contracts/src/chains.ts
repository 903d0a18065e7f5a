/**
 * Chain ids as the contract spells them. EVM chains share one address space: the same
 * address is the same holder on every one of them (docs/shared-contract.md, "Encoding").
 */
export const EVM_CHAINS = [
  'ethereum',
  'bsc',
  'polygon',
  'arbitrum',
  'optimism',
  'base',
  'avalanche',
] as const;
export const CHAIN_IDS = [
  'bitcoin',
  'litecoin',
  'bitcoin-cash',
  'tron',
  'solana',
  'ripple',
  ...EVM_CHAINS,
] as const;

export type EvmChainId = (typeof EVM_CHAINS)[number];
export type ChainId = (typeof CHAIN_IDS)[number];

const chainSet: ReadonlySet<string> = new Set(CHAIN_IDS);
const evmSet: ReadonlySet<string> = new Set(EVM_CHAINS);

export function isSupportedChain(chain: string): chain is ChainId {
  return chainSet.has(chain);
}

export function isEvmChain(chain: string): chain is EvmChainId {
  return evmSet.has(chain);
}
