import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept: here to
 * three times that. The screener promotes a lot of short-lived garbage (a batch's events live
 * across its Redis round trips and its produce), and V8's own factor, which rises to 4 when
 * collections are cheap, took the 100k-event bench to 450-470 MB. At 3 it peaks near 380 MB for
 * the same CPU per event; at 2 near 300 MB but with about a fifth more CPU per event, which costs
 * throughput (docs/performance.md, "Latest measurement", item 5).
 *
 * Set at run time, as the first thing the process does, so that no command line has to carry
 * a V8 flag: an unknown one stops `node` at start, while here a V8 without the flag prints
 * "unrecognized flag" and the screener runs with V8's default. An operator's own
 * `node --heap-growing-percent=N` wins.
 */
const HEAP_GROWING_PERCENT = 200;

if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
