import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGLISH, readAll, readOne, tempFiles } from './helpers.js';

// Root reads files whatever their mode, so an unreadable file cannot be made.
const isRoot = process.getuid?.() === 0;

describe('bad input becomes an error naming the input, never an exception', () => {
  it('reports a path that does not exist, saying why', async () => {
    const dir = await tempFiles({});
    const missing = join(dir, 'missing.txt');
    expect(await readOne(missing)).toEqual({
      ok: false,
      input: missing,
      reason: 'does not exist (no such file or directory)',
    });
  });

  it.skipIf(isRoot)('reports a file that cannot be read, saying why', async () => {
    const dir = await tempFiles({ 'secret.txt': ENGLISH });
    const path = join(dir, 'secret.txt');
    await chmod(path, 0o000);
    expect(await readOne(path)).toEqual({
      ok: false,
      input: path,
      reason: 'is not readable (permission denied)',
    });
  });

  it('reports an empty file', async () => {
    const dir = await tempFiles({ 'empty.txt': '' });
    expect(await readOne(join(dir, 'empty.txt'))).toMatchObject({ ok: false, reason: 'empty file' });
  });

  it('reports a file of only whitespace as empty', async () => {
    const dir = await tempFiles({ 'blank.md': ' \n\t\r\n  \n' });
    expect(await readOne(join(dir, 'blank.md'))).toMatchObject({ ok: false, reason: 'empty file' });
  });

  it('reports a binary file with NUL bytes', async () => {
    const dir = await tempFiles({ 'photo.txt': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]) });
    const path = join(dir, 'photo.txt');
    expect(await readOne(path)).toEqual({
      ok: false,
      input: path,
      reason: 'binary file (NUL bytes in the first 8 KB), not text',
    });
  });

  it('reports a file that is not valid UTF-8 as binary', async () => {
    const latin1 = Buffer.from('Caf\xe9 bombing in the city centre', 'latin1');
    const dir = await tempFiles({ 'latin1.txt': latin1 });
    expect(await readOne(join(dir, 'latin1.txt'))).toMatchObject({
      ok: false,
      reason: 'binary file (invalid UTF-8 in the first 8 KB), not text',
    });
  });

  it('reports a binary JSON Lines file once, not once per line', async () => {
    const dir = await tempFiles({ 'dump.jsonl': new Uint8Array([0x7b, 0x00, 0x0a, 0x00, 0x0a, 0x7d]) });
    const results = await readAll([join(dir, 'dump.jsonl')]);
    expect(results).toEqual([
      {
        ok: false,
        input: join(dir, 'dump.jsonl'),
        reason: 'binary file (NUL bytes in the first 8 KB), not text',
      },
    ]);
  });

  it('reports a file over maxBytes with its size and the limit, without reading it', async () => {
    const dir = await tempFiles({ 'long.txt': 'x'.repeat(2000) });
    expect(await readOne(join(dir, 'long.txt'), { maxBytes: 1000 })).toMatchObject({
      ok: false,
      reason: 'too large: 2000 bytes, over the limit of 1000 bytes',
    });
  });

  it('reports HTML with no article body', async () => {
    const html = '<html><head><title>Home</title></head><body><nav><a href="/">Home</a></nav></body></html>';
    const dir = await tempFiles({ 'index.html': html });
    const path = join(dir, 'index.html');
    expect(await readOne(path)).toEqual({ ok: false, input: path, reason: 'HTML with no article body' });
  });

  it('reports an unsupported extension given explicitly, listing the supported ones', async () => {
    const dir = await tempFiles({ 'report.pdf': '%PDF-1.7' });
    const path = join(dir, 'report.pdf');
    expect(await readOne(path)).toEqual({
      ok: false,
      input: path,
      reason: "unsupported: cannot read '.pdf' files; supported: .txt .md .html .htm .jsonl",
    });
  });

  it('keeps reading the other inputs after a bad one', async () => {
    const dir = await tempFiles({ 'good.txt': ENGLISH });
    await writeFile(join(dir, 'empty.txt'), '');
    const results = await readAll([join(dir, 'nope.txt'), join(dir, 'empty.txt'), join(dir, 'good.txt')]);
    expect(results.map((r) => r.ok)).toEqual([false, false, true]);
  });
});
