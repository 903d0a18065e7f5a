#!/usr/bin/env node
// npm run docs:check: the API documents and the compose file, each checked by its official tool.
//
//   node scripts/check-docs.js                  all three, at their usual paths (below)
//   node scripts/check-docs.js --openapi FILE   only the documents named (--asyncapi, --openapi, --compose)
//
// asyncapi  docs/asyncapi.yaml  @asyncapi/parser (the AsyncAPI Initiative's own parser and rules)
// openapi   docs/openapi.json   @seriousme/openapi-schema-validator (the OpenAPI Initiative's JSON
//                               schemas for 2.0, 3.0, 3.1 and 3.2, plus every $ref resolved), then
//                               the two tools users run on it: `swagger-cli validate`
//                               (@apidevtools/swagger-cli) and `redocly lint` (@redocly/cli, the
//                               ruleset in redocly.yaml); both offline, no telemetry
// compose   docker/compose.yml  the compose specification's JSON schema (docker/schema/, vendored),
//                               with ajv, plus the cross-references the schema cannot express
// contract  docs/shared-contract.md  the copy of the team's contract that ships with the code: the
//                               same bytes as ../shared/CONTRACT.md where that exists (a checkout
//                               without it has only the copy, which is then taken as it is)
// dashboard docs/monitoring/grafana-dashboard.json  JSON with panels, whose queries name only
//                               metrics the services export
// alerts    docs/monitoring/alerts.yml  Prometheus rule groups in YAML, the same way
//                               (the exported names come from the built programs' registries,
//                               `--list-metrics`: run npm run build first)
// Exits 1 when any document has an error (warnings are printed, not fatal), 2 on a usage error.
'use strict';
const { execFile } = require('node:child_process');
const { readFile } = require('node:fs/promises');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
const DEFAULTS = {
  asyncapi: 'docs/asyncapi.yaml',
  openapi: 'docs/openapi.json',
  compose: 'docker/compose.yml',
  contract: 'docs/shared-contract.md',
  dashboard: 'docs/monitoring/grafana-dashboard.json',
  alerts: 'docs/monitoring/alerts.yml',
};
const SHARED_CONTRACT = path.join(REPO_ROOT, '..', 'shared', 'CONTRACT.md');
const COMPOSE_SCHEMA = path.join(REPO_ROOT, 'docker', 'schema', 'compose-spec.json');
const USAGE =
  'usage: node scripts/check-docs.js [--asyncapi FILE] [--openapi FILE] [--compose FILE] [--contract FILE]\n' +
  '                                  [--dashboard FILE] [--alerts FILE]\n' +
  '  With no option, checks docs/asyncapi.yaml, docs/openapi.json, docker/compose.yml,\n' +
  '  docs/shared-contract.md and the dashboard and alert rules under docs/monitoring/.';

// Spectral's severities, as @asyncapi/parser reports them; hints are style advice, not printed.
const SEVERITY = ['error', 'warning', 'info', 'hint'];

/**
 * Files given are read relative to the working directory; the defaults relative to the repository.
 * @returns {{ kind: string, file: string, absolute: string }[] | null} null for --help
 */
function parseArgs(argv) {
  const targets = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return null;
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    const kind = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !Object.hasOwn(DEFAULTS, kind))
      throw new UsageError(`unknown argument ${arg}`);
    const file = inline ?? argv[++i];
    if (file === undefined || file === '' || file.startsWith('--')) {
      throw new UsageError(`${flag} needs a file`);
    }
    targets.push({ kind, file, absolute: path.resolve(file) });
  }
  if (targets.length > 0) return targets;
  return Object.entries(DEFAULTS).map(([kind, file]) => ({
    kind,
    file,
    absolute: path.join(REPO_ROOT, file),
  }));
}

class UsageError extends Error {}

/** Reads a document, turning a missing file into one readable sentence. */
async function readDocument(file, whenMissing) {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') throw new DocumentError([`missing: ${whenMissing}`]);
    throw new DocumentError([`cannot read it: ${error.message}`]);
  }
}

/** A document that failed its check: every problem found, and the warnings printed beside them. */
class DocumentError extends Error {
  constructor(problems, warnings = []) {
    super(problems.join('; '));
    this.problems = problems;
    this.warnings = warnings;
  }
}

async function checkAsyncApi(file) {
  const text = await readDocument(
    file,
    'it is the machine-readable form of docs/integration.md, every topic and message',
  );
  const { Parser } = require('@asyncapi/parser');
  const { document, diagnostics } = await new Parser().parse(text, {
    source: file,
  });
  const errors = [];
  const warnings = [];
  for (const d of diagnostics) {
    const where = d.path && d.path.length > 0 ? d.path.join('.') : '(document)';
    const line = d.range ? `:${d.range.start.line + 1}` : '';
    const text = `${SEVERITY[d.severity] ?? d.severity} ${d.code}${line} at ${where}: ${d.message}`;
    if (d.severity === 0) errors.push(text);
    else if (d.severity <= 2) warnings.push(text);
  }
  // The parser returns no document when it found an error; never call that valid, even without one.
  if (errors.length > 0 || document === undefined) {
    throw new DocumentError(
      errors.length > 0 ? errors : ['the parser returned no document'],
      warnings,
    );
  }
  const channels = document.channels().length;
  return { summary: `AsyncAPI ${document.version()}, ${channels} channels`, warnings };
}

async function checkOpenApi(file) {
  const text = await readDocument(
    file,
    'it is generated from the screener controllers with @nestjs/swagger; build it before checking',
  );
  let spec;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new DocumentError([`not JSON: ${error.message}`]);
  }
  // An object, not the text: the validator reads a string without a newline as a file name.
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const validator = new Validator({ allErrors: true });
  const result = await validator.validate(spec);
  if (!result.valid) {
    const errors = Array.isArray(result.errors)
      ? result.errors.map((e) => `${e.instancePath || '/'} ${e.message}${params(e.params)}`)
      : [String(result.errors)];
    throw new DocumentError(errors);
  }
  const users = await usersValidators(file);
  const paths = Object.keys(spec.paths ?? {}).length;
  return {
    summary: `OpenAPI ${validator.specificationVersion}, ${paths} paths; swagger-cli and redocly: no errors`,
    warnings: users.warnings,
  };
}

/** Runs a tool from node_modules/.bin; resolves with its exit code and output, never rejects. */
function runTool(name, args) {
  const bin = path.join(REPO_ROOT, 'node_modules', '.bin', name);
  // Redocly would otherwise send usage data and look for a newer version: CI has no network.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  return new Promise((resolve) => {
    execFile(
      bin,
      args,
      { cwd: REPO_ROOT, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({
          code,
          output: `${stdout}${stderr}`,
          spawnError: typeof error?.code === 'string' ? error : null,
        });
      },
    );
  });
}

/**
 * The OpenAPI document as the tools its users run see it: swagger-cli's validation and redocly's
 * lint (redocly.yaml picks the ruleset). An error from either fails the check; redocly's
 * warnings are printed.
 */
async function usersValidators(file) {
  const errors = [];
  const swagger = await runTool('swagger-cli', ['validate', file]);
  if (swagger.spawnError) errors.push(`swagger-cli did not run: ${swagger.spawnError.message}`);
  else if (swagger.code !== 0) {
    errors.push(...lines(swagger.output).map((l) => `swagger-cli: ${l}`));
  }
  const redocly = await runTool('redocly', [
    'lint',
    file,
    '--format=json',
    '--config',
    path.join(REPO_ROOT, 'redocly.yaml'),
  ]);
  const warnings = [];
  if (redocly.spawnError) errors.push(`redocly did not run: ${redocly.spawnError.message}`);
  else {
    // The JSON report is the one object in the output (a Node version notice may come before it).
    const start = redocly.output.indexOf('{');
    let report = null;
    try {
      report = JSON.parse(redocly.output.slice(start, redocly.output.lastIndexOf('}') + 1));
    } catch {
      errors.push(...lines(redocly.output).map((l) => `redocly: ${l}`));
    }
    for (const p of report?.problems ?? []) {
      const where = p.location?.[0]?.pointer ?? '(document)';
      const text = `redocly ${p.severity} ${p.ruleId} at ${where}: ${p.message}`;
      if (p.severity === 'error') errors.push(text);
      else warnings.push(text);
    }
    if (report !== null && redocly.code !== 0 && errors.length === 0) {
      errors.push(`redocly lint exited ${redocly.code}`);
    }
  }
  if (errors.length > 0) throw new DocumentError(errors, warnings);
  return { warnings };
}

const lines = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^[║╔╚]/.test(l));

async function checkCompose(file) {
  const text = await readDocument(file, 'it is the compose file an exchange starts sekimori with');
  const YAML = require('yaml');
  const doc = YAML.parseDocument(text, { merge: true, prettyErrors: true });
  // The first line names the problem and its line; the rest is the excerpt of the file.
  if (doc.errors.length > 0)
    throw new DocumentError(doc.errors.map((e) => e.message.split('\n')[0]));
  const compose = doc.toJS({ maxAliasCount: 100 });
  const Ajv2020 = require('ajv/dist/2020').default;
  const schema = JSON.parse(await readFile(COMPOSE_SCHEMA, 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (!validate(compose)) {
    throw new DocumentError(
      validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}${params(e.params)}`),
    );
  }
  // Only on a file of the schema's shape: the cross-references read services and volumes.
  const errors = composeReferences(compose);
  if (errors.length > 0) throw new DocumentError(errors);
  const services = Object.keys(compose.services ?? {}).length;
  return { summary: `compose specification, ${services} services`, warnings: [] };
}

/**
 * What `docker compose` refuses at start that the schema cannot see: a dependency on a service
 * that is not there, a named volume that is not declared.
 */
function composeReferences(compose) {
  const errors = [];
  const services = compose.services ?? {};
  const volumes = compose.volumes ?? {};
  for (const [name, service] of Object.entries(services)) {
    const dependsOn = Array.isArray(service.depends_on)
      ? service.depends_on
      : Object.keys(service.depends_on ?? {});
    for (const dep of dependsOn) {
      if (!(dep in services)) errors.push(`/services/${name}/depends_on: no service named ${dep}`);
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
      const type = typeof volume === 'string' ? null : volume.type;
      const named = source && !/^[./~]/.test(source) && !source.startsWith('$');
      if (named && (type === null || type === 'volume') && !(source in volumes)) {
        errors.push(`/services/${name}/volumes: volume ${source} is not declared under volumes`);
      }
    }
  }
  return errors;
}

/** ajv names the offending key or the allowed values in params, not in its message. */
function params(p) {
  if (p?.additionalProperty) return `: ${p.additionalProperty}`;
  if (p?.allowedValues) return `: ${p.allowedValues.join(', ')}`;
  return '';
}

/** The shipped copy of the contract against the team's, where the team's is at hand. */
async function checkContractCopy(file) {
  const copy = await readDocument(file, 'cp ../shared/CONTRACT.md docs/shared-contract.md');
  let shared;
  try {
    shared = await readFile(SHARED_CONTRACT, 'utf8');
  } catch {
    return {
      summary: `${copy.length} characters; no ../shared/CONTRACT.md to compare`,
      warnings: [],
    };
  }
  if (shared !== copy) {
    throw new DocumentError(
      [
        `differs from ${path.relative(process.cwd(), SHARED_CONTRACT)}: copy it again (cp ../shared/CONTRACT.md docs/shared-contract.md)`,
      ],
      [],
    );
  }
  return { summary: 'the same as ../shared/CONTRACT.md', warnings: [] };
}

// The programs whose /metrics a dashboard or rule may query, each asked for its registry's names.
const METRIC_SOURCES = [
  ['dist/apps/screener/main.js', '--list-metrics'],
  ['dist/apps/list-loader/main.js', 'update', '--list-metrics'],
];
// What a histogram or summary exports under its name.
const SERIES_SUFFIXES = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };
let exported = null;

/** Every series name the built programs export; their registries are the only list kept. */
function exportedSeries() {
  if (exported !== null) return exported;
  const { execFileSync } = require('node:child_process');
  exported = new Set();
  for (const [main, ...args] of METRIC_SOURCES) {
    let text;
    try {
      text = execFileSync(process.execPath, [path.join(REPO_ROOT, main), ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      });
    } catch (error) {
      throw new DocumentError([
        `cannot list the metrics of ${main} (npm run build first): ${error.message}`,
      ]);
    }
    for (const line of text.split('\n').filter(Boolean)) {
      const [name, type] = line.split(' ');
      exported.add(name);
      for (const suffix of SERIES_SUFFIXES[type] ?? []) exported.add(`${name}${suffix}`);
    }
  }
  return exported;
}

// PromQL words that are not metric names: operators, grouping modifiers.
const PROMQL_WORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression reads (not its functions, labels, strings or ranges). */
function metricsIn(expr) {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = [];
  for (const match of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\()/g)) {
    // A word cut short by the lookahead (`rat` of `rate(`) is part of a function name.
    const after = bare.slice(match.index + match[0].length);
    if (/^[a-zA-Z0-9_:]/.test(after) || /^\s*\(/.test(after)) continue;
    if (match.index > 0 && /[a-zA-Z0-9_:.]/.test(bare[match.index - 1])) continue;
    if (!PROMQL_WORDS.has(match[0].toLowerCase())) names.push(match[0]);
  }
  return names;
}

/** Problems with the expressions: none parse empty, every metric they name is exported. */
function unknownMetrics(expressions) {
  const series = exportedSeries();
  const problems = [];
  let named = 0;
  for (const { where, expr } of expressions) {
    if (typeof expr !== 'string' || expr.trim() === '') {
      problems.push(`${where}: no expression`);
      continue;
    }
    for (const name of metricsIn(expr)) {
      named += 1;
      if (!series.has(name))
        problems.push(`${where}: ${name} is not a metric sekimori exports (${expr})`);
    }
  }
  if (named === 0) problems.push('no expression names a metric');
  return problems;
}

async function checkDashboard(file) {
  const text = await readDocument(
    file,
    'the Grafana dashboard for the metrics of docs/operations.md',
  );
  let dashboard;
  try {
    dashboard = JSON.parse(text);
  } catch (error) {
    throw new DocumentError([`not JSON: ${error.message}`]);
  }
  if (typeof dashboard.title !== 'string' || !Array.isArray(dashboard.panels)) {
    throw new DocumentError(['a Grafana dashboard has a title and panels']);
  }
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const expressions = panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr })),
  );
  const problems = unknownMetrics(expressions);
  if (problems.length > 0) throw new DocumentError(problems);
  return {
    summary: `Grafana dashboard, ${panels.length} panels, ${expressions.length} queries`,
    warnings: [],
  };
}

async function checkAlerts(file) {
  const text = await readDocument(file, 'the Prometheus alert rules of docs/operations.md');
  const YAML = require('yaml');
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    throw new DocumentError(doc.errors.map((e) => e.message.split('\n')[0]));
  const { groups } = doc.toJS() ?? {};
  if (!Array.isArray(groups) || groups.length === 0) throw new DocumentError(['no rule groups']);
  const problems = [];
  const expressions = [];
  for (const [g, group] of groups.entries()) {
    if (typeof group?.name !== 'string') problems.push(`groups[${g}]: no name`);
    for (const [r, rule] of (group?.rules ?? []).entries()) {
      const where = `groups[${g}].rules[${r}] ${rule?.alert ?? rule?.record ?? ''}`.trim();
      if (typeof rule?.alert !== 'string' && typeof rule?.record !== 'string') {
        problems.push(`${where}: neither alert nor record`);
      }
      if (rule?.for !== undefined && !/^(\d+(ms|s|m|h|d|w|y))+$/.test(rule.for)) {
        problems.push(`${where}: for: ${rule.for} is not a duration`);
      }
      expressions.push({ where, expr: rule?.expr });
    }
  }
  problems.push(...unknownMetrics(expressions));
  if (problems.length > 0) throw new DocumentError(problems);
  return {
    summary: `Prometheus rules, ${groups.length} groups, ${expressions.length} rules`,
    warnings: [],
  };
}

const CHECKS = {
  asyncapi: checkAsyncApi,
  openapi: checkOpenApi,
  compose: checkCompose,
  contract: checkContractCopy,
  dashboard: checkDashboard,
  alerts: checkAlerts,
};

async function main() {
  let targets;
  try {
    targets = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`docs:check: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (targets === null) {
    console.log(USAGE);
    return 0;
  }
  let failed = 0;
  for (const { kind, file, absolute } of targets) {
    try {
      const { summary, warnings } = await CHECKS[kind](absolute);
      for (const w of warnings) console.log(`docs:check: ${file}: ${w}`);
      console.log(`docs:check: ${file}: ok (${summary})`);
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      failed += 1;
      for (const w of error.warnings) console.error(`docs:check: ${file}: ${w}`);
      for (const p of error.problems) console.error(`docs:check: ${file}: ${p}`);
      console.error(`docs:check: ${file}: FAILED (${kind})`);
    }
  }
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`docs:check: ${error.stack ?? error}`);
    process.exitCode = 1;
  },
);
