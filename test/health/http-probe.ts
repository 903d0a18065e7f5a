import type { ScreenerProcess } from '../support/screener-process';

export interface HttpReply<T = unknown> {
  status: number;
  contentType: string | null;
  body: T;
  text: string;
}

/** The port the screener bound (HTTP_PORT=0 in tests), from its start line. */
export async function httpPortOf(screener: ScreenerProcess): Promise<number> {
  const line = await screener.waitForLog(
    'the start line',
    (l) => l.msg === 'sekimori screener started',
    60_000,
  );
  const port = line.httpPort;
  if (typeof port !== 'number' || port <= 0) {
    throw new Error(`start line has no httpPort: ${JSON.stringify(line)}`);
  }
  return port;
}

export async function httpGet<T = unknown>(port: number, path: string): Promise<HttpReply<T>> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: unknown = text;
  if (response.headers.get('content-type')?.includes('json')) body = JSON.parse(text);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: body as T,
    text,
  };
}

/** One sample of a Prometheus text exposition: `name{a="b"} value`. */
export function metricValue(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have: Record<string, string> = {};
    for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      have[pair[1]] = pair[2];
    }
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[4]);
  }
  return undefined;
}
