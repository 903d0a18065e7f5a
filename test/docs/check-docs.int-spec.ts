import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/screener-process';

// An OpenAPI check runs swagger-cli and redocly as child processes: seconds each on a busy machine.
jest.setTimeout(60_000);

const CHECKER = join(ROOT, 'scripts', 'check-docs.js');
const ASYNCAPI = readFileSync(join(ROOT, 'docs', 'asyncapi.yaml'), 'utf8');
const COMPOSE = readFileSync(join(ROOT, 'docker', 'compose.yml'), 'utf8');
const CONTRACT = readFileSync(join(ROOT, 'docs', 'integration.md'), 'utf8');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the checker as `npm run docs:check` does, with the documents given. */
function check(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CHECKER, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A small OpenAPI 3 document of the Screening API's shape, valid as written, and without an
 * error for redocly's recommended rules (its warnings: no licence, operationId or 4XX answer).
 */
function openApi(): Record<string, unknown> {
  return {
    openapi: '3.0.0',
    info: { title: 'sekimori', version: '0.1.0' },
    servers: [{ url: 'http://127.0.0.1:3000' }],
    security: [{ bearer: [] }],
    paths: {
      '/v1/addresses/{chain}/{address}': {
        get: {
          summary: 'The list entries of one address',
          parameters: [
            { name: 'chain', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'address', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'the list matches of one address',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/Matches' } },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: { Matches: { type: 'array', items: { type: 'object' } } },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}

/** Replaces one exact passage of a document, failing loudly if it is not there. */
function edit(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

describe('docs:check (scripts/check-docs.js)', () => {
  let dir: string;
  const write = (name: string, content: string): string => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sekimori-docs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('AsyncAPI (@asyncapi/parser)', () => {
    it('accepts docs/asyncapi.yaml, with every topic of the contract', async () => {
      const run = await check(['--asyncapi', join(ROOT, 'docs', 'asyncapi.yaml')]);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/asyncapi\.yaml: ok \(AsyncAPI 3\.1\.0, 8 channels\)/);
      expect(run.code).toBe(0);
      for (const topic of [
        'decisions.v1',
        'lists.v1',
        'alerts.v1',
        'transfers.dlq.v1',
        'reviews.v1',
      ]) {
        expect(ASYNCAPI).toContain(`address: ${topic}`);
      }
    });

    it('refuses a message key outside bindings.kafka, naming each message', async () => {
      const file = write(
        'key-outside-bindings.yaml',
        edit(
          ASYNCAPI,
          `    rate:
      name: rate
      bindings:
        kafka:
          key: { type: string, description: asset symbol }
          bindingVersion: 0.5.0
`,
          `    rate:
      name: rate
      key: { type: string, description: asset symbol }
`,
        ),
      );
      const run = await check(['--asyncapi', file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /error asyncapi-document-resolved:\d+ at components\.messages\.rate\.key: Property "key" is not expected/,
      );
      expect(run.stderr).toMatch(/FAILED \(asyncapi\)/);
    });

    it('refuses a reference to a schema that is not there', async () => {
      const file = write(
        'dangling-ref.yaml',
        edit(
          ASYNCAPI,
          "ruleId: { $ref: '#/components/schemas/ruleId' }",
          "ruleId: { $ref: '#/components/schemas/ruleIds' }",
        ),
      );
      const run = await check(['--asyncapi', file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/'#\/components\/schemas\/ruleIds' does not exist/);
    });

    it('refuses YAML that does not parse, with its line', async () => {
      const run = await check(['--asyncapi', write('broken.yaml', 'asyncapi: 3.1.0\ninfo: [\n')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/error parser:\d+ .*flow collection/);
    });

    it('prints warnings and passes a document that has only warnings', async () => {
      const file = write('older.yaml', edit(ASYNCAPI, 'asyncapi: 3.1.0', 'asyncapi: 3.0.0'));
      const run = await check(['--asyncapi', file]);
      expect(run.stdout).toMatch(/info asyncapi-latest-version/);
      expect(run.code).toBe(0);
    });
  });

  describe('OpenAPI (@seriousme/openapi-schema-validator, swagger-cli, redocly)', () => {
    it('accepts a valid OpenAPI 3 document, printing redocly warnings', async () => {
      const run = await check(['--openapi', write('valid.json', JSON.stringify(openApi()))]);
      expect(run.stdout).toMatch(
        /valid\.json: ok \(OpenAPI 3\.0\.0, 1 paths; swagger-cli and redocly: no errors\)/,
      );
      expect(run.stdout).toMatch(/valid\.json: redocly warn info-license at #\/info/);
      expect(run.code).toBe(0);
    });

    it('accepts docs/openapi.json', async () => {
      const run = await check(['--openapi', join(ROOT, 'docs', 'openapi.json')]);
      expect(run.stdout).toMatch(/openapi\.json: ok \(OpenAPI 3\.0\.0, \d+ paths; swagger-cli/);
      expect(run.code).toBe(0);
    });

    it('refuses JSON Schema 3.1 inside a 3.0 document, by swagger-cli and redocly', async () => {
      const doc = openApi() as { components: { schemas: Record<string, object> } };
      // As class-validator-jsonschema writes a required nested class: siblings of a $ref, which
      // the OpenAPI Initiative's schema does not look at, but the users' tools do.
      doc.components.schemas.Matches = {
        type: 'array',
        items: { $ref: '#/components/schemas/Match', type: 'object', not: { type: 'null' } },
      };
      doc.components.schemas.Match = { type: 'object' };
      const run = await check(['--openapi', write('null-type.json', JSON.stringify(doc))]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/swagger-cli: .*Matches\/items\/not\/type must be equal to/);
      expect(run.stderr).toMatch(/redocly error struct at .*Matches\/items\/not\/type/);
    });

    it('refuses an empty servers list (redocly)', async () => {
      const run = await check([
        '--openapi',
        write('no-servers.json', JSON.stringify({ ...openApi(), servers: [] })),
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/redocly error no-empty-servers at #\/servers/);
    });

    it('refuses a response without its required description', async () => {
      const doc = openApi() as { paths: Record<string, { get: { responses: object } }> };
      doc.paths['/v1/addresses/{chain}/{address}'].get.responses = { '200': {} };
      const run = await check(['--openapi', write('no-description.json', JSON.stringify(doc))]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/responses\/200 must have required property 'description'/);
    });

    it('refuses a $ref that resolves to nothing', async () => {
      const text = edit(
        JSON.stringify(openApi()),
        '#/components/schemas/Matches"',
        '#/components/schemas/Match"',
      );
      const run = await check(['--openapi', write('dangling.json', text)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Can't resolve #\/components\/schemas\/Match\b/);
    });

    it('refuses what is not JSON or names no OpenAPI version', async () => {
      const notJson = await check(['--openapi', write('truncated.json', '{"openapi": "3.0')]);
      expect(notJson.code).toBe(1);
      expect(notJson.stderr).toMatch(/truncated\.json: not JSON/);
      const noVersion = await check(['--openapi', write('swagger.json', '{"swagger": "9"}')]);
      expect(noVersion.code).toBe(1);
      expect(noVersion.stderr).toMatch(/Cannot find supported swagger\/openapi version/);
    });

    it('fails, saying where it comes from, when the document is missing', async () => {
      const run = await check(['--openapi', join(dir, 'openapi.json')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/openapi\.json: missing: it is generated from the screener/);
    });
  });

  describe('compose file (compose specification schema)', () => {
    it('accepts docker/compose.yml', async () => {
      const run = await check(['--compose', join(ROOT, 'docker', 'compose.yml')]);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/compose\.yml: ok \(compose specification, 5 services\)/);
      expect(run.code).toBe(0);
    });

    it('refuses a key the specification does not have', async () => {
      const file = write(
        'misspelt.yml',
        edit(
          COMPOSE,
          '    healthcheck:\n      test: ["CMD", "node"',
          '    helthcheck:\n      test: ["CMD", "node"',
        ),
      );
      const run = await check(['--compose', file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /\/services\/screener must NOT have additional properties: helthcheck/,
      );
    });

    it('refuses a dependency condition compose does not know', async () => {
      const file = write(
        'condition.yml',
        edit(COMPOSE, 'service_completed_successfully', 'service_finished'),
      );
      const run = await check(['--compose', file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/condition must be equal to one of the allowed values/);
    });

    it('refuses a dependency on a missing service and an undeclared volume', async () => {
      let text = edit(
        COMPOSE,
        '      list-loader:\n        condition:',
        '      loader:\n        condition:',
      );
      text = edit(text, '- redis-data:/data', '- redis-state:/data');
      const run = await check(['--compose', write('references.yml', text)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/\/services\/screener\/depends_on: no service named loader/);
      expect(run.stderr).toMatch(/\/services\/redis\/volumes: volume redis-state is not declared/);
    });

    it('refuses an empty file and YAML that does not parse', async () => {
      const empty = await check(['--compose', write('empty.yml', '')]);
      expect(empty.code).toBe(1);
      expect(empty.stderr).toMatch(/empty\.yml: \/ must be object/);
      const broken = await check(['--compose', write('broken.yml', 'services:\n  a: [\n')]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/broken\.yml: Flow sequence .* at line 3, column 1:\n/);
    });
  });

  it('checks every document given and fails if any fails; a wrong option is a usage error', async () => {
    const run = await check([
      '--compose',
      join(ROOT, 'docker', 'compose.yml'),
      '--openapi',
      join(dir, 'absent.json'),
    ]);
    expect(run.stdout).toMatch(/compose\.yml: ok/);
    expect(run.stderr).toMatch(/absent\.json: FAILED \(openapi\)/);
    expect(run.code).toBe(1);
    const usage = await check(['--swagger', 'x.json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown argument --swagger\nusage:/);
  });

  describe('docs/integration.md and docs/asyncapi.yaml agree', () => {
    type Messages = Record<string, { payload: { properties: Record<string, unknown> } }>;
    const messages = (parse(ASYNCAPI) as { components: { messages: Messages } }).components
      .messages;
    const fieldsOf = (message: string): string[] =>
      Object.keys(messages[message].payload.properties).sort();
    /** The backticked names in the first column of the table under a heading. */
    const tableFields = (heading: string): string[] => {
      const section = CONTRACT.split(`\n## ${heading}\n`)[1].split('\n## ')[0];
      const rows = section.split('\n').filter((l) => /^\| `/.test(l));
      return rows
        .flatMap((l) => [...l.split('|')[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]))
        .sort();
    };

    it('on the fields of a decision', () => {
      expect(fieldsOf('decision')).toEqual(tableFields('Decisions'));
    });

    it('on the fields of a list version', () => {
      const line = /`(\{ "type": "list-version".*\})`/.exec(CONTRACT)?.[1] ?? '';
      // The top-level names: nested `{ addresses, names }` dropped, `"type": ...` read as `type`.
      const names = line
        .slice(1, -1)
        .replace(/\{[^}]*\}/g, '')
        .split(',')
        .map((part) => part.split(':')[0].trim().replace(/"/g, ''));
      expect(names).toContain('previousVersion');
      expect(fieldsOf('listVersion')).toEqual(names.sort());
    });
  });
});
