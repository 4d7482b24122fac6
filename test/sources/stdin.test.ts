import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ENGLISH, readAll, readOne } from './helpers.js';

const stdin = (...chunks: (string | Buffer)[]) => Readable.from(chunks);

describe('stdin (-)', () => {
  it('reads all of an injected stream as one plain text document with origin stdin', async () => {
    const result = await readOne('-', { stdin: stdin(ENGLISH.slice(0, 50), Buffer.from(ENGLISH.slice(50))) });
    expect(result).toMatchObject({ ok: true, document: { text: ENGLISH, origin: 'stdin', language: 'eng' } });
  });

  it('reads HTML when the input starts with a tag', async () => {
    const page = `<html><body><nav>Home | World | Sport</nav><article><p>${ENGLISH}</p></article></body></html>`;
    expect(await readOne('-', { stdin: stdin(page) })).toMatchObject({
      ok: true,
      document: { text: ENGLISH },
    });
  });

  it('reports empty stdin', async () => {
    expect(await readOne('-', { stdin: stdin('  \n') })).toEqual({
      ok: false,
      input: 'stdin',
      reason: 'empty input',
    });
  });

  it('reports stdin over maxBytes', async () => {
    expect(await readOne('-', { stdin: stdin('x'.repeat(600), 'y'.repeat(600)), maxBytes: 1000 })).toEqual({
      ok: false,
      input: 'stdin',
      reason: 'too large: over the limit of 1000 bytes',
    });
  });

  it('reads stdin in its place among other inputs', async () => {
    const results = await readAll(['/nonexistent/vigil.txt', '-'], { stdin: stdin(ENGLISH) });
    expect(results.map((r) => r.ok)).toEqual([false, true]);
  });
});
