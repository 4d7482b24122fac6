import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGLISH, readAll, tempFiles } from './helpers.js';

describe('read options', () => {
  it('applies the published option only to documents that have no date of their own', async () => {
    const feed = [
      JSON.stringify({ text: ENGLISH, published: '2023-01-15' }),
      JSON.stringify({ text: `${ENGLISH} Again.` }),
    ].join('\n');
    const dir = await tempFiles({ 'feed.jsonl': feed });
    const results = await readAll([join(dir, 'feed.jsonl')], { published: '2024-06-01' });
    expect(results.map((r) => r.ok && r.document.published)).toEqual(['2023-01-15', '2024-06-01']);
  });

  it('applies the outlet option only to documents that have no outlet of their own', async () => {
    const feed = [
      JSON.stringify({ text: ENGLISH, source: 'Reuters' }),
      JSON.stringify({ text: `${ENGLISH} Again.` }),
    ].join('\n');
    const dir = await tempFiles({ 'feed.jsonl': feed });
    const results = await readAll([join(dir, 'feed.jsonl')], { outlet: 'AFP' });
    expect(results.map((r) => r.ok && r.document.outlet)).toEqual(['Reuters', 'AFP']);
  });

  it('refuses a published option that is not a date, once, before reading anything', async () => {
    const dir = await tempFiles({ 'a.txt': ENGLISH });
    expect(await readAll([join(dir, 'a.txt')], { published: '01/06/2024' })).toEqual([
      {
        ok: false,
        input: 'published option',
        reason: "'01/06/2024' is not a date (YYYY-MM-DD or ISO date-time)",
      },
    ]);
  });
});
