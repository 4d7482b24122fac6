import cliProgress from 'cli-progress';
import { write } from './io.js';

/** Where `vigil ingest` reports: result lines to stdout, problems to stderr, and a live counter on
 * stderr when it is a terminal. */
export interface Reporter {
  out(line: string): Promise<void>;
  err(line: string): Promise<void>;
  /** One more document read. */
  tick(origin: string): void;
  stop(): void;
}

const ORIGIN_WIDTH = 60;

/** With `progress`, a cli-progress counter; the lines then go through it so they do not break it. */
export function createReporter(progress: boolean): Reporter {
  if (!progress) {
    return {
      out: (line) => write(process.stdout, `${line}\n`),
      err: (line) => write(process.stderr, `${line}\n`),
      tick: () => {},
      stop: () => {},
    };
  }
  const bars = new cliProgress.MultiBar({
    stream: process.stderr,
    format: 'ingesting: {value} documents read {origin}',
    hideCursor: true,
    clearOnComplete: true,
    linewrap: false,
    // cli-progress never receives a total here: the number of documents in folders and JSON Lines is not known up front.
    emptyOnZero: true,
  });
  const counter = bars.create(0, 0, { origin: '' });
  // A line for stdout goes above the counter when both share the terminal, straight to stdout otherwise.
  const log = (line: string) => {
    bars.log(`${line}\n`);
    return Promise.resolve();
  };
  return {
    out: (line) => (process.stdout.isTTY ? log(line) : write(process.stdout, `${line}\n`)),
    err: log,
    tick: (origin) => counter.increment(1, { origin: `(${shorten(origin)})` }),
    stop() {
      bars.update(); // flushes lines still waiting for the next redraw
      bars.stop();
    },
  };
}

function shorten(origin: string): string {
  return origin.length <= ORIGIN_WIDTH ? origin : `…${origin.slice(origin.length - ORIGIN_WIDTH + 1)}`;
}
