import { setFlagsFromString } from 'node:v8';

/**
 * Lets V8's old generation grow to three times what the last full collection kept, not V8's
 * own factor (up to 4): the screener promotes much short-lived batch garbage, and the measured
 * trade-off is in docs/performance.md ("Latest measurement", item 5). Set at run time because an
 * unknown V8 flag on the command line stops `node`; an operator's own flag wins.
 */
const HEAP_GROWING_PERCENT = 200;

if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
