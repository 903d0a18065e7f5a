/** The label MOF writes before a party's crypto addresses in its free-text notes. */
const ADDRESS_LABEL = /暗号資産アドレス\s*[：:]/g;

/**
 * Shape of an address token: the alphabets of base58, bech32 and hex, 25 characters or more
 * (the shortest Bitcoin address). The chain and validity are decided by @sekimori/chains.
 */
const ADDRESS_TOKEN = /^[0-9A-Za-z]{25,120}$/;

/**
 * The crypto addresses a notes cell lists: after each `暗号資産アドレス：`, the tokens separated by
 * `；`, `;`, commas, spaces and line breaks, up to the first token that is not address-shaped
 * (the note goes on with `性別：男性` or prose). As written: classification comes later.
 */
export function cryptoAddressesIn(notes: string): string[] {
  const found: string[] = [];
  for (const label of notes.matchAll(ADDRESS_LABEL)) {
    const rest = notes.slice((label.index ?? 0) + label[0].length);
    for (const token of rest.split(/[；;,，、\s\u3000]+/)) {
      if (token === '') continue;
      if (!ADDRESS_TOKEN.test(token)) break;
      if (!found.includes(token)) found.push(token);
    }
  }
  return found;
}
