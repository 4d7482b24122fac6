import { afterAll, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import { buildServer } from '../../src/server/app.js';
import { detectLanguage, documentId, normaliseText } from '../../src/sources/index.js';
import { testDialects } from '../store/databases.js';

/** A cursor as a caller could make one (the sealed ones are refused unless the server made them). */
const forgedCursor = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/* U+0000 arrives easily from outside (`"\u0000"` in JSON, `%00` in a URL) and PostgreSQL text cannot
 * hold it: before the fix every such request was a 500 and a JSON Lines article with one stopped a
 * whole `vigil ingest` into PostgreSQL. Both stores must take it in their stride. */

describe.each(testDialects())('NUL characters in the $kind store', (dialect) => {
  afterAll(() => dialect.cleanup());

  it('an article, its title and ids with NUL are stored or looked up, never an internal error', async () => {
    const store = await dialect.open(dialect.fresh());
    const app = await buildServer({ store, log: { level: 'silent' } });
    try {
      await store.access.addOrg('alpha');
      const key = (await store.access.createKey({ org: 'alpha', role: 'admin', user: 'adm' })).key;
      const headers = { authorization: `Bearer ${key}` };
      const posted = await app.inject({
        method: 'POST',
        url: '/api/v1/documents',
        headers,
        payload: {
          text: 'Gunmen killed five people at a market in Kabul on Monday,\u0000 police said.',
          title: 'Kabul\u0000 attack',
          url: 'https://news.example.org/a\u0000b',
        },
      });
      expect(posted.statusCode, posted.body).toBe(201);
      for (const url of [
        '/api/v1/incidents/%00',
        '/api/v1/documents/abc%00',
        `/api/v1/incidents?cursor=${forgedCursor([null, '\u0000'])}`,
        `/api/v1/documents?cursor=${forgedCursor(['\u0000', 'x'])}`,
      ]) {
        const reply = await app.inject({ method: 'GET', url, headers });
        expect(reply.statusCode, `${url}: ${reply.body}`).toBeLessThan(500);
      }
      // As `vigil ingest` stores a JSON Lines article with a NUL in it.
      const text = normaliseText('A car bomb exploded in Mogadishu on Friday,\u0000 killing nine people.');
      const doc = {
        id: documentId(text),
        text,
        title: '\u0000',
        url: null,
        outlet: 'Wire\u0000',
        published: '2024-05-10',
        language: detectLanguage(text),
        origin: 'in.jsonl:1',
      };
      const saved = await store.saveDocument(
        doc,
        incidentsOf(doc, new Map(loadGroups().map((g) => [g.id, g]))),
      );
      expect(saved.status).toBe('stored');
      expect((await store.saveDocument(doc, [])).status).toBe('duplicate');
      expect(await store.getDocument(doc.id)).not.toBeNull();
    } finally {
      await app.close();
    }
  });
});
