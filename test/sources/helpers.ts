import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { type ReadOptions, readSources, type SourceResult } from '../../src/sources/index.js';

const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temp folder, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-sources-'));
  made.push(dir);
  return dir;
}

/** Writes files (path relative to the folder → content) and returns the folder. */
export async function tempFiles(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return dir;
}

export async function readAll(inputs: string[], options: ReadOptions = {}): Promise<SourceResult[]> {
  const results: SourceResult[] = [];
  for await (const result of readSources(inputs, options)) results.push(result);
  return results;
}

/** The single result of reading one input, for tests that expect exactly one. */
export async function readOne(input: string, options: ReadOptions = {}): Promise<SourceResult> {
  const results = await readAll([input], options);
  if (results.length !== 1) throw new Error(`expected one result, got ${JSON.stringify(results, null, 2)}`);
  return results[0] as SourceResult;
}

export const ENGLISH =
  'A car bomb exploded near a crowded market in the city centre on Saturday morning, killing five ' +
  'people and wounding at least twelve others, police officials said.';
