import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSources, type SourceResult } from '../../src/sources/index.js';
import { POSTGRES_URL, vigil } from '../cli/helpers.js';

/* File inputs and the command line: folders never lead outside themselves through symlinked
 * folders (nor loop), feed lists and queued jobs take only http(s) URLs, oversized inputs are
 * refused before they are read, and a database password never reaches the output. */

let dir: string;
const ARTICLE =
  'Gunmen opened fire on a police checkpoint in Kandahar on Monday, killing four officers, officials said.';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-sec-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(inputs: string[], maxBytes?: number): Promise<SourceResult[]> {
  const out: SourceResult[] = [];
  for await (const r of readSources(inputs, maxBytes === undefined ? {} : { maxBytes })) out.push(r);
  return out;
}

describe('folders', () => {
  it('do not follow a symlinked folder out of the tree, and a symlink loop ends', async () => {
    const outside = join(dir, 'outside');
    const tree = join(dir, 'tree');
    mkdirSync(outside, { recursive: true });
    mkdirSync(join(tree, 'sub'), { recursive: true });
    writeFileSync(join(outside, 'private.txt'), `PRIVATE ${ARTICLE}`);
    writeFileSync(join(tree, 'sub', 'story.txt'), ARTICLE);
    symlinkSync(outside, join(tree, 'escape'));
    symlinkSync(tree, join(tree, 'sub', 'loop'));
    const results = await read([tree]);
    expect(results.map((r) => (r.ok ? r.document.origin : r.input))).toEqual([
      join(tree, 'sub', 'story.txt'),
    ]);
  });

  it('refuse an oversized file before reading it, and a binary one', async () => {
    const big = join(dir, 'big.txt');
    writeFileSync(big, ARTICLE.repeat(20_000));
    const [result] = await read([big], 100_000);
    expect(result?.ok === false && result.reason).toMatch(
      /^too large: \d+ bytes, over the limit of 100000 bytes$/,
    );
    const binary = join(dir, 'x.html');
    writeFileSync(binary, Buffer.from([0x3c, 0x70, 0x3e, 0, 1, 2, 3, 0xff, 0xfe]));
    const [bin] = await read([binary]);
    expect(bin?.ok).toBe(false);
  });
});

describe('the command line', () => {
  it('a feed list with file:, gopher: or internal-looking entries is refused, naming them', async () => {
    const list = join(dir, 'feeds.yaml');
    writeFileSync(list, 'feeds:\n  - file:///etc/passwd\n  - gopher://127.0.0.1:70/\n');
    const run = await vigil(['--db', join(dir, 'w.db'), 'watch', list, '--once']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/http:\/\/ or https:\/\//);
    expect(run.stderr).not.toMatch(/root:x:0:0/);
  });

  it('stdin cannot be queued, and a queued path is made absolute', async () => {
    const db = join(dir, 'q.db');
    const refused = await vigil(['--db', db, 'ingest', '--queue', '-']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/stdin cannot be queued/);
    const queued = await vigil(['--db', db, 'ingest', '--queue', 'relative/file.jsonl', '--json'], {
      cwd: dir,
    });
    expect(queued.code, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout).input).toBe(join(dir, 'relative/file.jsonl'));
  });

  it('never prints a database password: not in stats, not in errors', async () => {
    const url = new URL(POSTGRES_URL);
    url.password = 'hunter2-secret';
    // Trust authentication ignores the password: the store opens, and says where it is.
    const stats = await vigil(['--db', url.toString(), 'stats', '--json']);
    expect(stats.stdout + stats.stderr).not.toContain('hunter2-secret');
    if (stats.code === 0) expect(JSON.parse(stats.stdout).database.location).toMatch(/\*\*\*/);
    const unreachable = await vigil(['--db', 'postgres://vigil:hunter2-secret@127.0.0.1:1/x', 'stats']);
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.stdout + unreachable.stderr).not.toContain('hunter2-secret');
  }, 60_000);
});
