import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import { buildServer } from '../../src/server/app.js';
import type { Store } from '../../src/store/index.js';
import { testDialects } from '../store/databases.js';

/** A cursor as a caller could make one (the sealed ones are refused unless the server made them). */
const forgedCursor = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/* U+0000 arrives easily from outside (`"\u0000"` in JSON, `%00` in a URL) and PostgreSQL text cannot
 * hold it. Vigil's rule: it never enters the store. The API refuses a request that carries it with a
 * 400 naming the field (rather than storing something other than what was sent); sources remove it
 * from what they read (test/sources/nul.test.ts). */

const TEXT = 'Gunmen killed five people at a market in Kabul on Monday, police said.';
const refusal = (field: string) => `${field} contains U+0000 (NUL), which Vigil does not accept`;

describe.each(testDialects())('NUL characters in the $kind store', (dialect) => {
  let store: Store;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let headers: Record<string, string>;

  beforeAll(async () => {
    store = await dialect.open(dialect.fresh());
    app = await buildServer({ store, log: { level: 'silent' } });
    await store.access.addOrg('alpha');
    const key = (await store.access.createKey({ org: 'alpha', role: 'admin', user: 'adm' })).key;
    headers = { authorization: `Bearer ${key}` };
  });
  afterAll(async () => {
    await app?.close();
    await dialect.cleanup();
  });

  it.each([
    [{ text: `${TEXT}\u0000` }, 'body.text'],
    [{ text: TEXT, title: 'Kabul\u0000 attack' }, 'body.title'],
    [{ text: TEXT, url: 'https://news.example.org/a\u0000b' }, 'body.url'],
    [{ text: TEXT, tlp: 'red', recipients: ['alpha/adm', 'x\u0000'] }, 'body.recipients[1]'],
    [{ text: TEXT, 'ti\u0000tle': 'x' }, 'a property name in body'],
  ])('refuses a posted article %j with 400 naming %s, and stores nothing', async (payload, field) => {
    const reply = await app.inject({ method: 'POST', url: '/api/v1/documents', headers, payload });
    expect(reply.statusCode, reply.body).toBe(400);
    expect(reply.json()).toEqual({ error: { code: 'invalid_request', message: refusal(field) } });
    const list = await app.inject({ method: 'GET', url: '/api/v1/documents', headers });
    expect(list.json().documents).toEqual([]);
  });

  it.each([
    ['/api/v1/incidents/%00', 'params.id'],
    ['/api/v1/documents/abc%00', 'params.id'],
    ['/api/v1/incidents?q=kabul%00', 'querystring.q'],
    ['/api/v1/incidents?unknown=%00', 'querystring.unknown'],
    ['/api/v1/map?group=a%00b', 'querystring.group'],
  ])('refuses GET %s with 400 naming %s', async (url, field) => {
    const reply = await app.inject({ method: 'GET', url, headers });
    expect(reply.statusCode, reply.body).toBe(400);
    expect(reply.json()).toEqual({ error: { code: 'invalid_request', message: refusal(field) } });
  });

  it('looks up a cursor that decodes to a NUL without an internal error', async () => {
    for (const url of [
      `/api/v1/incidents?cursor=${forgedCursor([null, '\u0000'])}`,
      `/api/v1/documents?cursor=${forgedCursor(['\u0000', 'x'])}`,
    ]) {
      const reply = await app.inject({ method: 'GET', url, headers });
      expect(reply.statusCode, `${url}: ${reply.body}`).toBeLessThan(500);
    }
  });

  it('refuses a TAXII envelope with a NUL in a STIX object, and NUL in TAXII parameters, as TAXII errors', async () => {
    const taxii = { ...headers, accept: 'application/taxii+json;version=2.1' };
    const identity = {
      type: 'identity',
      spec_version: '2.1',
      id: 'identity--0d7b6b6e-0c8f-4a36-9a7b-3f9b9c6f1a11',
      created: '2024-05-10T00:00:00.000Z',
      modified: '2024-05-10T00:00:00.000Z',
      name: 'Wire\u0000',
      x_custom: { any: 'property' },
    };
    const posted = await app.inject({
      method: 'POST',
      url: '/taxii2/vigil/collections/all/objects/',
      headers: { ...taxii, 'content-type': 'application/taxii+json;version=2.1' },
      payload: JSON.stringify({ objects: [identity] }),
    });
    expect(posted.statusCode, posted.body).toBe(400);
    expect(posted.json()).toMatchObject({
      error_code: 'invalid_request',
      http_status: '400',
      description: refusal('body.objects[0].name'),
    });
    for (const [url, field] of [
      ['/taxii2/vigil/collections/%00/', 'params.id'],
      ['/taxii2/vigil/collections/all/objects/?match[id]=x%00', 'querystring.match[id]'],
    ] as const) {
      const reply = await app.inject({ method: 'GET', url, headers: taxii });
      expect(reply.statusCode, `${url}: ${reply.body}`).toBe(400);
      expect(reply.json()).toMatchObject({ error_code: 'invalid_request', description: refusal(field) });
    }
  });

  it('saves a document that reaches the store with NUL (not through the API or a source) without an error', async () => {
    // What reaches PostgreSQL loses its NULs (src/store/connect.ts); SQLite holds them as given.
    const doc = {
      id: 'f'.repeat(64),
      text: 'A car bomb exploded in Mogadishu on Friday,\u0000 killing nine people.',
      title: '\u0000',
      url: null,
      outlet: 'Wire\u0000',
      published: '2024-05-10',
      language: 'eng',
      origin: 'direct',
    };
    const saved = await store.saveDocument(
      doc,
      incidentsOf(doc, new Map(loadGroups().map((g) => [g.id, g]))),
    );
    expect(saved.status).toBe('stored');
    expect((await store.saveDocument(doc, [])).status).toBe('duplicate');
    expect(await store.getDocument(doc.id)).not.toBeNull();
  });
});
