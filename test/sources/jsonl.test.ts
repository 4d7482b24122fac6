import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGLISH, readAll, tempFiles } from './helpers.js';

const line = (value: unknown) => JSON.stringify(value);

describe('JSON Lines files', () => {
  it('reports a malformed line with its line number and still reads the other lines', async () => {
    const content = [
      line({ text: ENGLISH, title: 'First' }),
      '{"text": "unterminated',
      line({ text: 'Second article about a shooting at a checkpoint in the north of the country.' }),
    ].join('\n');
    const dir = await tempFiles({ 'feed.jsonl': content });
    const path = join(dir, 'feed.jsonl');
    const results = await readAll([path]);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ ok: true, document: { title: 'First', origin: `${path}:1` } });
    expect(results[1]).toMatchObject({ ok: false, input: `${path}:2` });
    expect(results[1]?.ok === false && results[1].reason).toMatch(/^invalid JSON: /);
    expect(results[2]).toMatchObject({ ok: true, document: { origin: `${path}:3` } });
  });

  it('skips blank lines but counts them in line numbers', async () => {
    const dir = await tempFiles({
      'feed.jsonl': `\n${line({ text: ENGLISH })}\n   \n\n${line({ nope: 1 })}\n`,
    });
    const path = join(dir, 'feed.jsonl');
    const results = await readAll([path]);
    expect(results.map((r) => (r.ok ? r.document.origin : r.input))).toEqual([`${path}:2`, `${path}:5`]);
  });

  it.each([
    ['missing text', { title: 'x' }, 'text: '],
    ['empty text', { text: '  ' }, 'text: must not be empty'],
    ['text of the wrong type', { text: 42 }, 'text: '],
    ['title of the wrong type', { text: ENGLISH, title: ['a'] }, 'title: '],
    [
      'a published that is not a date',
      { text: ENGLISH, published: 'yesterday' },
      'published: must be a date',
    ],
    ['an impossible calendar date', { text: ENGLISH, published: '2024-02-30' }, 'published: must be a date'],
    ['a line that is not an object', [1, 2], ''],
  ])('reports %s as an error for that line', async (_, value, reason) => {
    const dir = await tempFiles({ 'feed.jsonl': line(value) });
    const [result] = await readAll([join(dir, 'feed.jsonl')]);
    expect(result).toMatchObject({ ok: false, input: `${join(dir, 'feed.jsonl')}:1` });
    expect(result?.ok === false && result.reason).toContain(reason);
  });

  it('maps source to outlet and keeps title, url and published', async () => {
    const value = {
      text: ENGLISH,
      title: 'Market bombing',
      url: 'https://news.example/a',
      source: 'Reuters',
      published: '2024-05-01T12:00:00Z',
    };
    const dir = await tempFiles({ 'feed.jsonl': line(value) });
    const [result] = await readAll([join(dir, 'feed.jsonl')]);
    expect(result).toMatchObject({
      ok: true,
      document: {
        text: ENGLISH,
        title: 'Market bombing',
        url: 'https://news.example/a',
        outlet: 'Reuters',
        published: '2024-05-01T12:00:00Z',
      },
    });
  });

  it('treats null optional fields as absent', async () => {
    const dir = await tempFiles({ 'feed.jsonl': line({ text: ENGLISH, title: null, published: null }) });
    const [result] = await readAll([join(dir, 'feed.jsonl')]);
    expect(result).toMatchObject({ ok: true, document: { title: null, published: null } });
  });

  it('turns HTML in text into article text', async () => {
    const html = `<nav>Home | World</nav><article><p>${ENGLISH}</p><p>Second paragraph of the report.</p></article>`;
    const dir = await tempFiles({ 'feed.jsonl': line({ text: html }) });
    const [result] = await readAll([join(dir, 'feed.jsonl')]);
    expect(result).toMatchObject({
      ok: true,
      document: { text: `${ENGLISH}\n\nSecond paragraph of the report.` },
    });
  });

  it('applies maxBytes to each line, not to the whole file', async () => {
    const short = line({ text: 'A short report of an attack on a police post, 30 words.' });
    const long = line({ text: 'x'.repeat(500) });
    const dir = await tempFiles({ 'feed.jsonl': [short, short, short, long].join('\n') });
    const results = await readAll([join(dir, 'feed.jsonl')], { maxBytes: 200 });
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[3]).toMatchObject({
      reason: `line too large: ${long.length} bytes, over the limit of 200 bytes`,
    });
  });

  it('reports a file with only blank lines as empty', async () => {
    const dir = await tempFiles({ 'feed.jsonl': '\n  \n\n' });
    expect(await readAll([join(dir, 'feed.jsonl')])).toEqual([
      { ok: false, input: join(dir, 'feed.jsonl'), reason: 'empty file' },
    ]);
  });

  it('reads CRLF line ends and a leading byte order mark', async () => {
    const dir = await tempFiles({
      'feed.jsonl': `\uFEFF${line({ text: ENGLISH })}\r\n${line({ text: ENGLISH })}\r\n`,
    });
    const results = await readAll([join(dir, 'feed.jsonl')]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
  });
});
