import type { NameForms, NameScript } from './name-forms';
import { nameTokens } from './normalize-name';

/**
 * A listed name's NameForms kept as one string beside its normalized name, and unpacked only
 * when the name is scored. The index holds 56,000 names for the three shipped lists; as objects
 * with four arrays each they were about half of the screener's live heap, and the heap's
 * growth under load is a multiple of what stays live (docs/performance.md, "Memory").
 *
 * Layout: the script's code, then `keys`, `bare`, `loose` and `compact` separated by U+0001,
 * each list's items joined by a space (a key is letters and digits: never a space). `bare` and
 * `loose` are U+0002 when they equal `keys`, which most names' do.
 */
const FIELD = '\u0001';
const SAME = '\u0002';
const SCRIPTS: readonly NameScript[] = ['latin', 'cyrillic', 'kana', 'han', 'other'];

/** The packed form, or null when an item holds a separator (then keep the object itself). */
export function packForms(forms: NameForms): string | null {
  const script = SCRIPTS.indexOf(forms.script);
  const parts = [forms.keys, forms.bare, forms.loose];
  for (const list of parts) {
    for (const item of list) if (item === '' || !packable(item)) return null;
  }
  if (forms.compact !== null && forms.compact.includes(FIELD)) return null;
  const keys = forms.keys.join(' ');
  const sameAsKeys = (list: string[]): string => {
    const joined = list.join(' ');
    return joined === keys && list.length === forms.keys.length ? SAME : joined;
  };
  return (
    String.fromCharCode(48 + script) +
    [keys, sameAsKeys(forms.bare), sameAsKeys(forms.loose), forms.compact ?? ''].join(FIELD)
  );
}

/** The forms `packForms` packed, for the name whose normalized form is `normalized`. */
export function unpackForms(normalized: string, packed: string): NameForms {
  const script = SCRIPTS[packed.charCodeAt(0) - 48];
  const end1 = packed.indexOf(FIELD, 1);
  const end2 = packed.indexOf(FIELD, end1 + 1);
  const end3 = packed.indexOf(FIELD, end2 + 1);
  const keys = itemsOf(packed.slice(1, end1));
  const bare = packed.slice(end1 + 1, end2);
  const loose = packed.slice(end2 + 1, end3);
  return {
    words: nameTokens(normalized),
    keys,
    bare: bare === SAME ? keys : itemsOf(bare),
    loose: loose === SAME ? keys : itemsOf(loose),
    compact: script === 'kana' || script === 'han' ? packed.slice(end3 + 1) : null,
    script,
  };
}

/** An item holds none of the separators (a space, FIELD, SAME). */
function packable(item: string): boolean {
  return !item.includes(' ') && !item.includes(FIELD) && !item.includes(SAME);
}

function itemsOf(joined: string): string[] {
  return joined === '' ? [] : joined.split(' ');
}
