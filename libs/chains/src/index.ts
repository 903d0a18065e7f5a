export type { NormalizedAddress } from './normalize';
export { normalizeAddress, addressKey, MAX_ADDRESS_LENGTH } from './normalize';
export type { ListedAddress } from './classify';
export { classifyListedAddress } from './classify';
export { AddressMemo } from './address-memo';
