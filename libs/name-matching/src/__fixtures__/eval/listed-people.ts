import { nameFormsOf } from '../../name-forms';
import type { ListNames } from './eval-set';

/**
 * Whether a name is, word for word, a listed name or part of one of two words or more: the same
 * skeletons (nameForms) as a sub-multiset, or the same compact Japanese form. Independent of the
 * scorer and its thresholds, so it cannot hide the matcher's false alerts.
 */
export function listedPeople(lists: readonly ListNames[]): (given: string) => boolean {
  const byKey = new Map<string, number[]>();
  const keysOf: string[][] = [];
  const compacts = new Set<string>();
  for (const { names } of lists) {
    for (const entry of names) {
      const forms = nameFormsOf(entry.name);
      if (forms.compact !== null) compacts.add(forms.compact);
      const id = keysOf.length;
      keysOf.push(forms.keys);
      for (const key of new Set(forms.keys)) byKey.set(key, [...(byKey.get(key) ?? []), id]);
    }
  }
  return (given) => {
    const forms = nameFormsOf(given);
    if (forms.compact !== null && compacts.has(forms.compact)) return true;
    if (forms.keys.length < 2) return false;
    for (const id of byKey.get(forms.keys[0]) ?? []) {
      const left = [...keysOf[id]];
      const all = forms.keys.every((k) => {
        const at = left.indexOf(k);
        if (at < 0) return false;
        left.splice(at, 1);
        return true;
      });
      if (all) return true;
    }
    return false;
  };
}
