/**
 * Jaro-Winkler similarity (Winkler 1990: prefix scale 0.1, prefix of at most 4) of two strings,
 * 0 to 1. Own code rather than a package: it runs on every candidate of every screened name, on
 * short ASCII skeletons, so it keeps its match flags in two 32-bit masks (no allocation; typed
 * arrays per call made a search ten times slower) and falls back to arrays past 31 characters.
 * The npm packages seen are unmaintained since 2016 (`jaro-winkler`) or come inside a large
 * toolkit (`talisman`, `natural`).
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const [matches, transpositions] = la <= 31 && lb <= 31 ? countShort(a, b) : countLong(a, b);
  if (matches === 0) return 0;
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Matching characters within the Jaro window, and the transpositions among them. */
function countShort(a: string, b: string): [number, number] {
  const la = a.length;
  const lb = b.length;
  const span = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let inA = 0;
  let inB = 0;
  let matches = 0;
  for (let i = 0; i < la; i += 1) {
    const from = i > span ? i - span : 0;
    const to = i + span < lb - 1 ? i + span : lb - 1;
    const c = a.charCodeAt(i);
    for (let j = from; j <= to; j += 1) {
      if ((inB & (1 << j)) === 0 && c === b.charCodeAt(j)) {
        inA |= 1 << i;
        inB |= 1 << j;
        matches += 1;
        break;
      }
    }
  }
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i += 1) {
    if ((inA & (1 << i)) === 0) continue;
    while ((inB & (1 << k)) === 0) k += 1;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions += 1;
    k += 1;
  }
  return [matches, transpositions];
}

function countLong(a: string, b: string): [number, number] {
  const la = a.length;
  const lb = b.length;
  const span = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  const inA: boolean[] = new Array<boolean>(la).fill(false);
  const inB: boolean[] = new Array<boolean>(lb).fill(false);
  let matches = 0;
  for (let i = 0; i < la; i += 1) {
    const from = Math.max(0, i - span);
    const to = Math.min(lb - 1, i + span);
    for (let j = from; j <= to; j += 1) {
      if (!inB[j] && a.charCodeAt(i) === b.charCodeAt(j)) {
        inA[i] = true;
        inB[j] = true;
        matches += 1;
        break;
      }
    }
  }
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i += 1) {
    if (!inA[i]) continue;
    while (!inB[k]) k += 1;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions += 1;
    k += 1;
  }
  return [matches, transpositions];
}
