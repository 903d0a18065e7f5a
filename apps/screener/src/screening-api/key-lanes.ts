/**
 * At most `perKey` requests of one key in the screener at once; a key's further requests wait in
 * its own line, in arrival order, and start as its earlier ones finish. Another key never waits
 * behind them: a client with 32 connections otherwise had 32 screenings in progress, and a calm
 * key's request queued behind all of them (p90 63 ms at 50 requests/s). Nothing is refused here;
 * the line is bounded by the connections the server accepts.
 */
export class KeyLanes {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly perKey: number) {
    if (!Number.isInteger(perKey) || perKey < 1) {
      throw new RangeError(`perKey must be a whole number >= 1, got ${perKey}`);
    }
  }

  /** Runs `start` now or once the key has a free lane; `start` must call `leave` when done. */
  enter(key: string, start: () => void): void {
    const running = this.running.get(key) ?? 0;
    if (running < this.perKey) {
      this.running.set(key, running + 1);
      start();
      return;
    }
    const line = this.waiting.get(key);
    if (line === undefined) this.waiting.set(key, [start]);
    else line.push(start);
  }

  /** One of the key's requests is done: its lane goes to the next in its line, if any. */
  leave(key: string): void {
    const line = this.waiting.get(key);
    const next = line?.shift();
    if (next !== undefined) {
      if (line?.length === 0) this.waiting.delete(key);
      next();
      return;
    }
    const running = (this.running.get(key) ?? 1) - 1;
    if (running > 0) this.running.set(key, running);
    else this.running.delete(key);
  }

  /** Requests waiting for a lane, all keys together. */
  get waitingCount(): number {
    let count = 0;
    for (const line of this.waiting.values()) count += line.length;
    return count;
  }
}
