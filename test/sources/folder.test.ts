import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGLISH, readAll, tempFiles } from './helpers.js';

const html = `<html><body><article><p>${ENGLISH}</p></article></body></html>`;

describe('folders', () => {
  it('reads supported files in nested folders in sorted order, skipping other and hidden files', async () => {
    const dir = await tempFiles({
      'b.txt': ENGLISH,
      'a/z.md': ENGLISH,
      'a/deeper/page.html': html,
      'a/feed.jsonl': `${JSON.stringify({ text: ENGLISH })}\n${JSON.stringify({ text: ENGLISH })}`,
      'c.htm': html,
      'notes.pdf': '%PDF',
      'image.png': new Uint8Array([0, 1, 2]),
      '.hidden.txt': ENGLISH,
      '.git/HEAD.txt': ENGLISH,
    });
    const results = await readAll([dir]);
    expect(results.map((r) => (r.ok ? r.document.origin : `error ${r.input}`))).toEqual([
      join(dir, 'a/deeper/page.html'),
      `${join(dir, 'a/feed.jsonl')}:1`,
      `${join(dir, 'a/feed.jsonl')}:2`,
      join(dir, 'a/z.md'),
      join(dir, 'b.txt'),
      join(dir, 'c.htm'),
    ]);
  });

  it('reports bad files inside a folder by their own path and reads the rest', async () => {
    const dir = await tempFiles({ 'a.txt': '', 'b.txt': ENGLISH });
    expect(await readAll([dir])).toEqual([
      { ok: false, input: join(dir, 'a.txt'), reason: 'empty file' },
      expect.objectContaining({ ok: true }),
    ]);
  });

  it('gives no results for a folder with nothing to read', async () => {
    const dir = await tempFiles({ 'x.csv': 'a,b' });
    expect(await readAll([dir])).toEqual([]);
  });
});
