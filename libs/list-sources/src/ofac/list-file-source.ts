import { spawn, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import unbzip2 from 'unbzip2-stream';
import { ListParseError } from '../list-entry';

export type Decompressor = 'none' | 'bzip2' | 'unbzip2-stream';

/** How a `.bz2` file is decompressed: `auto` prefers the system `bzip2` and falls back to JS. */
export type DecompressorChoice = 'auto' | 'system' | 'js';

/** The uncompressed bytes of a list file, and how it ends. */
export interface ListFileSource {
  readonly decompressor: Decompressor;
  readonly bytes: Readable;
  /**
   * Resolves once the bytes were delivered completely; rejects with a `ListParseError` when the
   * decompressor failed (truncated or corrupt archive). Await it after the last chunk: a
   * truncated archive still yields a prefix of the XML before its decompressor gives up.
   */
  readonly completed: Promise<void>;
  /** Stops reading (and the decompressor process) early. */
  destroy(): void;
}

const BZIP2_MAGIC = Buffer.from('BZh', 'latin1');
const READ_CHUNK = 1 << 20;
const JS_BZIP2_INPUT_CHUNK = 16 << 10;

let systemBzip2: boolean | undefined;

/** Whether a `bzip2` executable is on the PATH (checked once per process). */
export function hasSystemBzip2(): boolean {
  if (systemBzip2 === undefined) {
    const probe = spawnSync('bzip2', ['--help'], { stdio: 'ignore' });
    systemBzip2 = probe.error === undefined;
  }
  return systemBzip2;
}

/**
 * Opens a list file for streaming, decompressing bzip2 when the file starts with the bzip2
 * magic `BZh` (whatever its name). The system `bzip2` is about 3x faster than the JS decoder
 * on the OFAC file (2.5 s against 8 s) and runs on its own core, so it is preferred.
 */
export async function openListFile(
  path: string,
  choice: DecompressorChoice = 'auto',
): Promise<ListFileSource> {
  const compressed = await startsWithBzip2Magic(path);
  if (!compressed) return plainSource(path);
  const useSystem = choice === 'system' || (choice === 'auto' && hasSystemBzip2());
  return useSystem ? systemBzip2Source(path) : jsBzip2Source(path);
}

async function startsWithBzip2Magic(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new ListParseError(`cannot open list file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const head = Buffer.alloc(BZIP2_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(BZIP2_MAGIC);
  } finally {
    await handle.close();
  }
}

function plainSource(path: string): ListFileSource {
  const bytes = createReadStream(path, { highWaterMark: READ_CHUNK });
  const completed = new Promise<void>((resolve, reject) => {
    bytes.once('end', resolve);
    bytes.once('error', (error) =>
      reject(
        new ListParseError(`cannot read list file ${path}: ${error.message}`, { cause: error }),
      ),
    );
  });
  completed.catch(() => undefined);
  return { decompressor: 'none', bytes, completed, destroy: () => bytes.destroy() };
}

function systemBzip2Source(path: string): ListFileSource {
  const child = spawn('bzip2', ['-dc', '--', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 2000) stderr += text;
  });
  const completed = new Promise<void>((resolve, reject) => {
    child.once('error', (error) =>
      reject(new ListParseError(`cannot run bzip2 on ${path}: ${error.message}`, { cause: error })),
    );
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      // bzip2's first line names the problem ("Compressed file ends unexpectedly;"); the rest is advice.
      const first = stderr
        .trim()
        .split('\n')[0]
        ?.replace(/^bzip2: /, '')
        .replace(/[;.\s]+$/, '');
      const detail = first || `exit ${code ?? signal}`;
      reject(
        new ListParseError(
          `bzip2 could not decompress ${path}: ${detail}: the archive looks truncated or corrupt`,
        ),
      );
    });
  });
  completed.catch(() => undefined);
  return {
    decompressor: 'bzip2',
    bytes: child.stdout,
    completed,
    destroy: () => {
      child.stdout.destroy();
      if (child.exitCode === null) child.kill();
    },
  };
}

function jsBzip2Source(path: string): ListFileSource {
  // unbzip2-stream is an old-style `through` stream; the PassThrough gives a modern Readable.
  const bytes = new PassThrough({ highWaterMark: READ_CHUNK });
  // OFAC's XML compresses about 36:1 and the decoder expands a whole input chunk at once, so
  // small input chunks keep the expanded text in flight (and the peak RSS) small.
  const file = createReadStream(path, { highWaterMark: JS_BZIP2_INPUT_CHUNK });
  const completed = new Promise<void>((resolve, reject) => {
    pipeline(file, unbzip2(), bytes, (error) => {
      if (!error) return resolve();
      reject(
        new ListParseError(
          `could not decompress ${path}: ${error.message}: the archive looks truncated or corrupt`,
          { cause: error },
        ),
      );
    });
  });
  completed.catch(() => undefined);
  return { decompressor: 'unbzip2-stream', bytes, completed, destroy: () => file.destroy() };
}
