import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenOptions, Store } from '../store/index.js';

/** Absolute path of a file shipped with the package (`samples/…`), from `src/cli/` or `dist/cli/` alike. */
export function packagePath(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** Writes to a stream, waiting when its buffer is full so a large listing does not pile up in memory. */
export async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export function print(line: string): Promise<void> {
  return write(process.stdout, `${line}\n`);
}

/** A JSON array with one element per line, written as it goes. */
export async function printJsonArray(items: Iterable<unknown>): Promise<void> {
  let first = true;
  await write(process.stdout, '[');
  for (const item of items) {
    await write(process.stdout, `${first ? '\n' : ',\n'}${JSON.stringify(item)}`);
    first = false;
  }
  await write(process.stdout, first ? ']\n' : '\n]\n');
}

/** Opens the store, runs `work` with it and always closes it. */
export async function withStore<T>(
  location: string,
  work: (store: Store) => Promise<T>,
  options: OpenOptions = {},
): Promise<T> {
  // Loaded here, not up front: `--help` and option errors need no database drivers.
  const { openStore } = await import('../store/index.js');
  const store = await openStore(location, options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
