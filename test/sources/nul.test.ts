import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { documentId, normaliseText } from '../../src/sources/index.js';
import { testDialects } from '../store/databases.js';
import { ENGLISH, readAll, tempFiles } from './helpers.js';

/* U+0000 never enters the store: what sources read loses it (and the other C0 controls but tab and
 * line ends), so an article's id is that of its text without them on every store. */

const WITH_NUL = {
  text: ENGLISH.replace(' ', ' \u0000\u0007'),
  title: 'Market\u0000 bombing',
  url: 'https://news.example/a\u0000',
  source: 'Reu\u0000ters',
};

describe('control characters in what sources read', () => {
  it('are removed from text, title, url and outlet, and the id is that of the clean text', async () => {
    const dir = await tempFiles({ 'feed.jsonl': JSON.stringify(WITH_NUL) });
    const [result] = await readAll([join(dir, 'feed.jsonl')]);
    expect(result).toMatchObject({
      ok: true,
      document: {
        text: ENGLISH,
        title: 'Market bombing',
        url: 'https://news.example/a',
        outlet: 'Reuters',
        id: documentId(ENGLISH),
      },
    });
  });

  it('keep tab and line ends, and make a vertical tab or form feed a line end', () => {
    expect(normaliseText('one\ttwo\r\nthree\ffour\u000bfive\u001f')).toBe('one\ttwo\nthree\nfour\nfive');
  });

  it('leave the id of text without them as it was: sha256 of the text lower-cased, spaces collapsed', () => {
    expect(documentId('Five people were killed.\r\n\r\n\r\nPolice  said so. ')).toBe(
      'a09561ff94c88131aaa3a58268122a3ffc6daac9f9ae8ab946a338419c150845',
    );
  });
});

describe.each(testDialects())('a JSON Lines article with NUL ingested into $kind', (dialect) => {
  afterAll(() => dialect.cleanup());

  it('is stored without it', async () => {
    const dir = await tempFiles({ 'in.jsonl': JSON.stringify(WITH_NUL) });
    const store = await dialect.open(dialect.fresh());
    try {
      const outcomes = [];
      for await (const outcome of ingest(store, [join(dir, 'in.jsonl')])) outcomes.push(outcome);
      expect(outcomes).toMatchObject([{ status: 'stored', documentId: documentId(ENGLISH) }]);
      const stored = await store.getDocument(documentId(ENGLISH));
      expect(stored).toMatchObject({
        text: ENGLISH,
        title: 'Market bombing',
        url: 'https://news.example/a',
        outlet: 'Reuters',
      });
      expect(JSON.stringify(stored)).not.toContain('\\u0000');
    } finally {
      await store.close();
    }
  });
});
