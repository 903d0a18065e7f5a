import type { EvidenceVerdict, MatchEvidence } from '@sekimori/contracts';
import { BirthDateSpan, dayNumber, spanContains } from './birth-date';
import { compareIds, IdNumber } from './id-number';

export type Verdict = EvidenceVerdict;

/** What the secondary identifiers say about a name match: NAME_MATCH's `evidence`. */
export type Evidence = MatchEvidence;

/** A listed person's secondary identifiers, as kept at list load. */
export interface ListedIdentifiers {
  birthDates: readonly BirthDateSpan[];
  /** Nationalities and citizenships (ISO alpha-2). */
  countries: readonly string[];
  ids: readonly IdNumber[];
}

/** A screened party's, from the travel-rule record. */
export interface PartyIdentifiers {
  /** `YYYY-MM-DD`, as IVMS101 gives it. */
  birthDate?: string;
  /** Residence, and the countries that issued its documents (ISO alpha-2). */
  countries: readonly string[];
  ids: readonly IdNumber[];
}

/** How much each verdict moves a name's score: the defaults, and what an operator may set. */
export interface EvidenceWeights {
  /** Subtracted when the birth dates differ: more than the gap from 1 to the threshold. */
  birthDateDiffers: number;
  /** Added when a birth date agrees (capped at 1). */
  birthDateAgrees: number;
  /** Subtracted when the countries differ. */
  countryDiffers: number;
  /** Years each way a listed "circa" date stretches. */
  approximateYears: number;
}

// NAME_MATCH holds a person at 0.9: a differing birth date takes even an exact name (1) below it,
// and a fuzzy one further. Countries weigh little: people live and hold passports in several.
export const DEFAULT_EVIDENCE_WEIGHTS: EvidenceWeights = {
  birthDateDiffers: 0.15,
  birthDateAgrees: 0.05,
  countryDiffers: 0.05,
  approximateYears: 1,
};

export const UNKNOWN_EVIDENCE: Evidence = {
  birthDate: 'unknown',
  country: 'unknown',
  idNumber: 'unknown',
};

/** Any listed span holding the party's birth date agrees; spans that all miss it differ. */
export function compareBirthDates(
  listed: readonly BirthDateSpan[],
  given: string | undefined,
  approximateYears: number,
): Verdict {
  const day = given === undefined ? null : dayNumber(given);
  if (day === null || listed.length === 0) return 'unknown';
  return listed.some((span) => spanContains(span, day, approximateYears)) ? 'agrees' : 'differs';
}

export function compareCountries(listed: readonly string[], given: readonly string[]): Verdict {
  if (listed.length === 0 || given.length === 0) return 'unknown';
  return listed.some((code) => given.includes(code)) ? 'agrees' : 'differs';
}

export function compareEvidence(
  listed: ListedIdentifiers,
  party: PartyIdentifiers,
  weights: EvidenceWeights = DEFAULT_EVIDENCE_WEIGHTS,
): Evidence {
  return {
    birthDate: compareBirthDates(listed.birthDates, party.birthDate, weights.approximateYears),
    country: compareCountries(listed.countries, party.countries),
    idNumber: compareIds(listed.ids, party.ids),
  };
}

/**
 * The name's score after the evidence: an agreeing identification number makes the match certain
 * (1, whatever the name's score: a misspelt name with the listed passport is the listed person);
 * otherwise each differing identifier lowers it and an agreeing birth date raises it, within 0..1.
 * Unknown changes nothing.
 */
export function adjustScore(
  score: number,
  evidence: Evidence,
  weights: EvidenceWeights = DEFAULT_EVIDENCE_WEIGHTS,
): { score: number; certain: boolean } {
  if (evidence.idNumber === 'agrees') return { score: 1, certain: true };
  let adjusted = score;
  if (evidence.birthDate === 'differs') adjusted -= weights.birthDateDiffers;
  if (evidence.birthDate === 'agrees') adjusted += weights.birthDateAgrees;
  if (evidence.country === 'differs') adjusted -= weights.countryDiffers;
  // Rounded as name scores are, so that thresholds compare exactly (0.95 - 0.15 is not 0.8).
  const rounded = Math.round(Math.min(1, Math.max(0, adjusted)) * 1000) / 1000;
  return { score: rounded, certain: false };
}
