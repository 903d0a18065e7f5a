/**
 * The provisions and guidance the rules encode, in words, as alerts carry them in `legalBasis`.
 * docs/rules.md gives the public source of each and marks what could not be confirmed.
 */
export const LegalBasis = {
  FEFTA_PAYMENT_REPORT:
    'Foreign Exchange and Foreign Trade Act (FEFTA), Article 55: a payment from Japan to a foreign state, from a foreign state to Japan, or between a resident and a non-resident, exceeding ¥30 million (including payments in crypto-assets), must be reported to the Minister of Finance.',
  FEFTA_CONFIRMATION_DUTY:
    'FEFTA as amended by Act No. 28 of 2022 (in force 10 May 2022): crypto-asset exchange service providers must confirm, before transferring crypto-assets for a customer (including to another customer of the same exchange), that the payment is not one restricted by asset-freeze or other sanctions measures.',
  FSA_REQUEST_2022_03_14:
    "FSA request of 14 March 2022 to crypto-asset exchange service providers (with the Ministry of Finance): do not transfer crypto-assets to addresses of persons subject to Japan's asset-freeze measures, confirm before transferring when in doubt, report such transfers, and strengthen monitoring of crypto-asset transactions.",
  FATF_RED_FLAGS_STRUCTURING:
    'FATF, Virtual Assets Red Flag Indicators of Money Laundering and Terrorist Financing (September 2020): structuring virtual-asset transfers in amounts under record-keeping or reporting thresholds.',
  FATF_INDIRECT_EXPOSURE:
    'FATF guidance on virtual assets (Virtual Assets Red Flag Indicators, September 2020; Updated Guidance for a Risk-Based Approach to Virtual Assets and VASPs, October 2021): funds received from, or sent to, addresses linked directly or indirectly to illicit or sanctioned sources are a red flag calling for closer examination of the source of funds.',
  FINCEN_RUSSIA_EVASION:
    'FinCEN Alert FIN-2022-Alert001 (7 March 2022), potential Russian sanctions evasion: sanctioned actors may evade sanctions through financial institutions in third countries; red flags include transactions with virtual-currency addresses on OFAC lists and customers using a virtual-currency exchanger or foreign money services business in a high-risk jurisdiction.',
  FINCEN_BIS_TRANSSHIPMENT:
    'FinCEN and BIS joint alert of 28 June 2022 on Russian and Belarusian export control evasion (SAR key term FIN-2022-RUSSIABIS): names common transshipment points to Russia and Belarus (AM, BR, CN, GE, IN, IL, KZ, KG, MX, NI, RS, SG, ZA, TW, TJ, TR, AE, UZ).',
  FATF_RED_FLAGS_ROUTING:
    'FATF, Virtual Assets Red Flag Indicators of Money Laundering and Terrorist Financing (September 2020): funds received from, or sent to, VASPs in high-risk jurisdictions; deposits quickly withdrawn or moved on (pass-through); transfers to several VASPs in a short time, especially VASPs in other jurisdictions.',
  FINCEN_STRUCTURING:
    'FinCEN (US): structuring transactions to evade reporting thresholds is a recognised money-laundering red flag (31 U.S.C. 5324; FinCEN advisory FIN-2019-A003 on convertible virtual currency).',
  OFAC_SDN:
    'OFAC Specially Designated Nationals and Blocked Persons List (SDN): property and interests in property of listed persons are blocked; digital-currency addresses are published as identifiers of listed persons.',
  OFAC_SDN_NAMES:
    'OFAC Specially Designated Nationals and Blocked Persons List (SDN): dealings with listed persons, named with their aliases, are prohibited; OFAC FAQ 5 advises that a name match is checked against the other identifying information of the entry before it is treated as a hit, hence a hold for review rather than a block.',
  UN_CONSOLIDATED_NAMES:
    "UN Security Council Consolidated List: Member States freeze the funds and assets of the persons and entities the Security Council designates (Japan gives effect to the designations with asset-freeze measures under FEFTA); a name match is confirmed against the entry's other identifiers before it is treated as a hit.",
  JP_MOF:
    "Foreign Exchange and Foreign Trade Act (外為法, FEFTA), Articles 16 and 21: payments to, and capital transactions (crypto-asset transfers included) with, the persons Japan designates for asset-freeze measures by public notice (告示) require the Minister of Finance's permission; the Ministry of Finance lists them in its 経済制裁措置及び対象者リスト (list jp-mof), with the notice date and number of each designation.",
  JP_MOF_NAMES:
    "Foreign Exchange and Foreign Trade Act (外為法, FEFTA), Articles 16 and 21: dealings with the persons Japan designates for asset-freeze measures by public notice (告示) require the Minister of Finance's permission; MOF asks that names be checked broadly, aliases and near spellings included, and a name match is confirmed against the entry's other identifiers before it is treated as a hit.",
  OWN_LIST: (listId: string): string =>
    `The exchange's own list ${listId}: the operator listed this party or address for the reason given, under its internal controls (FEFTA confirmation duty and its risk-based AML/CFT measures).`,
  SANCTIONS_LIST_NAMES: (listId: string): string =>
    `Sanctions list ${listId}: dealings with the persons it names are prohibited without permission; a name match is confirmed against the entry's other identifiers before it is treated as a hit.`,
  SANCTIONS_LIST: (listId: string): string =>
    `Sanctions list ${listId}: transfers to or from an address of a listed person are prohibited without permission.`,
} as const;
