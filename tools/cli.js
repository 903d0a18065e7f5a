'use strict';
// The command line of the plain-node tools (tools/*.js), with the rules of the built apps'
// parser (libs/config/src/command-line.ts): --help first, exit 0; a bad line prints why and the
// usage, exit 2. node:util's strict parser does the parsing.
const { parseArgs } = require('node:util');

/**
 * @param {string[]} argv
 * @param {{ usage: string, flags?: Record<string, { type: 'string' | 'boolean' }>, maxOperands: number }} spec
 * @returns {{ flags: Record<string, string | boolean | undefined>, operands: string[] }}
 */
function parseCommandLine(argv, spec) {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${spec.usage}\n`);
    process.exit(0);
  }
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: spec.flags ?? {},
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > spec.maxOperands) {
      throw new Error(`unexpected argument ${positionals[spec.maxOperands]}`);
    }
    return { flags: values, operands: positionals };
  } catch (error) {
    const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
    const reason =
      error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown option ${flag}`
        : error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? `${flag}: wrong or missing value`
          : error.message;
    usageError(spec.usage, reason);
  }
}

/** Prints the reason (and the usage, when given) to stderr and exits 2. */
function usageError(usage, reason) {
  process.stderr.write(usage ? `${reason}\n${usage}\n` : `${reason}\n`);
  process.exit(2);
}

/** KAFKA_BROKERS as a list; exit 2 with a message naming it when it is not host:port,... */
function brokersFromEnv(env) {
  const brokers = (env.KAFKA_BROKERS || 'localhost:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const bad = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
  if (brokers.length === 0 || bad !== undefined) {
    usageError(null, `KAFKA_BROKERS: "${bad ?? ''}" is not host:port`);
  }
  return brokers;
}

module.exports = { parseCommandLine, usageError, brokersFromEnv };
