import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept: here to
 * twice that. The screener promotes a lot of short-lived garbage (a batch's events live across
 * its Redis round trips and its produce), and with V8's own factor, which rises to 4 when
 * collections are cheap, a process with about 80 MB live peaked at 410-450 MB. At 2 it peaks
 * near 280 MB for the same CPU per event; at 1.5 under 250 MB, but with a quarter more CPU per
 * event (docs/performance.md, "Memory").
 *
 * Set at run time, as the first thing the process does, so that no command line has to carry
 * a V8 flag: an unknown one stops `node` at start, while here a V8 without the flag prints
 * "unrecognized flag" and the screener runs with V8's default. An operator's own
 * `node --heap-growing-percent=N` wins.
 */
const HEAP_GROWING_PERCENT = 100;

if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
