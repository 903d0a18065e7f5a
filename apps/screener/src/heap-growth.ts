import { setFlagsFromString } from 'node:v8';

/**
 * Lets V8's old generation grow to twice what the last full collection kept, not V8's own
 * factor (up to 4): the screener promotes much short-lived batch garbage, and what the old space
 * holds counts that many times in the peak RSS. Twice against three times: 277 against 359 MB on
 * the bench's full stream, CPU within the runs' spread (docs/performance.md, 4 December). Set at
 * run time because an unknown V8 flag on the command line stops `node`; an operator's own flag
 * wins.
 */
const HEAP_GROWING_PERCENT = 100;

if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
