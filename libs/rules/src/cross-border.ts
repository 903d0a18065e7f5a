import type { ExchangeTransfer } from '@sekimori/contracts';

export interface CrossBorderVerdict {
  crossBorder: boolean | null;
  origin: string | null;
  destination: string | null;
  reasons: string[];
}

export const DEFAULT_HOME_COUNTRY = 'JP';

/** The verdict carried by an on-chain event: nothing about either party is known. */
export function unknownVerdict(reason?: string): CrossBorderVerdict {
  return { crossBorder: null, origin: null, destination: null, reasons: reason ? [reason] : [] };
}

type Tri = boolean | null;

/**
 * Whether an exchange transfer crosses the border, as docs/shared-contract.md ("Cross-border")
 * defines it for the amended FEFTA (Act No. 28 of 2022): the counterparty VASP is outside
 * Japan, OR the account's residency and the counterparty's residency differ. The second test
 * is what makes a transfer between two customers of the same exchange cross-border.
 *
 * The two tests are combined in three-valued logic: `true` as soon as one of them is known to
 * hold; `false` when every country that is known (account residency, counterparty residency,
 * counterparty VASP country) is the home country and at least one fact about the counterparty
 * side is known; otherwise `null` (unknown): an unhosted wallet with no residency, a hosted
 * wallet with no VASP country and no residency, or a non-resident account whose counterparty
 * is not known well enough to compare.
 *
 * `ipCountry` is deliberately not used: where a session came from says nothing about where the
 * payment goes or who is resident (it is checked by RESTRICTED_JURISDICTION instead).
 *
 * Origin and destination: the account side is the account holder's residency (the fact the
 * exchange confirmed at onboarding and the one FEFTA classifies by); the counterparty side is
 * the VASP's country when the counterparty's wallet is hosted at a known VASP (where the asset
 * lands: the "abroad" of a payment to abroad), else the counterparty's residency. Withdrawals
 * and internal transfers go account → counterparty, deposits counterparty → account.
 */
export function crossBorderVerdict(
  event: ExchangeTransfer,
  homeCountry: string = DEFAULT_HOME_COUNTRY,
): CrossBorderVerdict {
  const { account, counterparty, direction } = event;
  const accountCountry = account.residency;
  const internal = direction === 'internal';
  // An internal transfer stays at the reporting exchange, which is licensed in the home country.
  const vaspCountry = counterparty.vaspCountry ?? (internal ? homeCountry : undefined);
  const cpResidency = counterparty.residency;
  const reasons: string[] = [];

  let placeTest: Tri = null;
  if (vaspCountry !== undefined) {
    placeTest = vaspCountry !== homeCountry;
    if (placeTest) {
      reasons.push(`The counterparty's VASP is in ${vaspCountry}, outside ${homeCountry}.`);
    } else if (internal && counterparty.vaspCountry === undefined) {
      reasons.push(
        `Internal transfer between two customers of exchange ${event.exchangeId} (in ${homeCountry}).`,
      );
    } else {
      reasons.push(`The counterparty's VASP is in ${homeCountry}.`);
    }
  } else if (counterparty.walletType === 'unhosted') {
    reasons.push('The counterparty wallet is unhosted: no VASP location.');
  } else {
    reasons.push(
      `The counterparty's VASP country is not known (wallet type ${counterparty.walletType}).`,
    );
  }

  let residencyTest: Tri = null;
  if (cpResidency !== undefined) {
    residencyTest = cpResidency !== accountCountry;
    reasons.push(
      residencyTest
        ? `The account holder is resident in ${accountCountry} and the counterparty in ${cpResidency}.`
        : `The account holder and the counterparty are both resident in ${accountCountry}.`,
    );
  } else {
    reasons.push(
      `The account holder is resident in ${accountCountry}; the counterparty's residency is not known.`,
    );
  }

  let crossBorder: Tri;
  if (placeTest === true || residencyTest === true) {
    crossBorder = true;
  } else if (placeTest === false && residencyTest === false) {
    crossBorder = false;
  } else {
    const known = [accountCountry, counterparty.vaspCountry, cpResidency].filter(
      (c): c is string => c !== undefined,
    );
    const counterpartySideKnown = placeTest !== null || residencyTest !== null;
    crossBorder = counterpartySideKnown && known.every((c) => c === homeCountry) ? false : null;
  }
  reasons.push(
    crossBorder === true
      ? 'Cross-border under FEFTA.'
      : crossBorder === false
        ? `Domestic: everything known is in ${homeCountry}.`
        : 'Whether it crosses the border is unknown.',
  );

  const counterpartyCountry = counterparty.vaspCountry ?? cpResidency ?? null;
  const [origin, destination] =
    direction === 'deposit'
      ? [counterpartyCountry, accountCountry]
      : [accountCountry, counterpartyCountry];
  return { crossBorder, origin, destination, reasons };
}
