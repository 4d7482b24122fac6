import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import { buildServer } from '../../src/server/app.js';
import { detectLanguage, documentId, normaliseText } from '../../src/sources/index.js';
import { type Principal, type Store, StoreError } from '../../src/store/index.js';
import { sqliteDatabases, vigil } from '../cli/helpers.js';
import { ARTICLES, PUBLISHED } from '../server/fixtures.js';
import { testDialects } from '../store/databases.js';

/** A cursor as a caller could make one (the sealed ones are refused unless the server made them). */
const forgedCursor = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/* SQL injection through every filter: the store's (what `vigil incidents` passes), the API's
 * (TLP-filtered, with full-text search and cursors), prefixes of ids and the CLI's options. The
 * store builds every statement with Kysely parameters; these hostile strings prove it: each is
 * read as a value (matching nothing, or what it literally says), never as SQL, and every table is
 * intact afterwards. */

const HOSTILE = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "RU' OR 'x'='x",
  "'; DROP TABLE incidents; --",
  '"; DROP TABLE documents; --',
  "x') UNION SELECT id, text FROM documents --",
  '1; UPDATE api_keys SET revoked_at = NULL; --',
  '%',
  '_',
  '\\',
  "''",
  '\u0000',
  "2024-01-01' OR date IS NULL OR '1'='1",
  "iskp' OR group_id LIKE '%",
  '" OR ""="',
  'NEAR(a b)',
  'a* OR b',
  '$1',
  '?',
  ':name',
];

const COUNTED = [
  'documents',
  'incidents',
  'incident_groups',
  'evidence',
  'incident_sources',
  'api_keys',
] as const;

async function counts(store: Store): Promise<Record<string, number>> {
  const stats = (await store.stats()) as unknown as Record<string, unknown>;
  return {
    documents: Number(stats.documents),
    incidents: Number(stats.incidents),
    evidence: Number(stats.evidence),
  };
}

describe.each(testDialects())('SQL injection into the $kind store', (dialect) => {
  afterAll(() => dialect.cleanup());

  it('every filter and id takes hostile strings as values', async () => {
    const store = await dialect.open(dialect.fresh());
    try {
      const groups = new Map(loadGroups().map((g) => [g.id, g]));
      await store.syncGroups(loadGroups());
      for (const article of Object.values(ARTICLES)) {
        const text = normaliseText(article.text);
        const doc = {
          id: documentId(text),
          text,
          title: null,
          url: null,
          outlet: null,
          published: PUBLISHED,
          language: detectLanguage(text),
          origin: 'x',
        };
        await store.saveDocument(doc, incidentsOf(doc, groups));
      }
      await store.access.addOrg('alpha');
      const key = (await store.access.createKey({ org: 'alpha', role: 'admin', user: 'adm' })).key;
      const principal = (await store.access.authenticate(key)) as Principal;
      const before = await counts(store);
      expect(before.incidents).toBeGreaterThan(0);
      const all = await store.listIncidents();

      for (const s of HOSTILE) {
        const context = `${dialect.kind}: ${JSON.stringify(s)}`;
        expect(await store.listIncidents({ country: s }), context).toEqual([]);
        expect(await store.listIncidents({ group: s }), context).toEqual([]);
        // A string compares as a string: `until` below every date matches nothing; `since` below every
        // date matches every dated incident, exactly as a plain value would.
        if (s < '1') expect((await store.listIncidents({ until: s })).length, context).toBe(0);
        expect((await store.listIncidents({ since: 'z', until: s })).length, context).toBe(0);
        expect(
          await store.getIncident(s).catch((e) => (e instanceof StoreError ? null : e)),
          context,
        ).toBeNull();
        expect(await store.getDocument(s), context).toBeNull();
        expect(await store.incidentReports(s), context).toEqual([]);
        // FTS5 reads its MATCH argument as a query, each word quoted; a NUL ends it early (the API's
        // words are letters and digits only, so none reaches it from outside).
        const fts = s.replaceAll('\u0000', '');
        const page = await store.access.listIncidents(
          principal,
          { country: s, group: s, since: s, until: s, attackType: s, words: [fts, 'kabul'] },
          50,
          { date: s, id: s },
        );
        expect(page.items, context).toEqual([]);
        const words = await store.access.listIncidents(principal, { words: fts.split(/\s+/) }, 50, null);
        expect(words.items.length, context).toBeLessThanOrEqual(all.length);
        expect(await store.access.findIncident(principal, s), context).toEqual([]);
        expect(await store.access.getDocument(principal, s), context).toBeNull();
        expect(await store.access.authenticate(s), context).toBeNull();
      }
      expect(await counts(store)).toEqual(before);
      expect(await store.listIncidents()).toEqual(all);
      expect(await store.access.authenticate(key)).not.toBeNull();
    } finally {
      await store.close();
    }
  });
});

describe('SQL injection through the API query parameters', () => {
  const dialect = testDialects()[0];
  if (dialect === undefined) throw new Error('no SQLite dialect');
  afterAll(() => dialect.cleanup());

  it('hostile group, q, cursor and ids are refused or matched as text; nothing changes', async () => {
    const store = await dialect.open(dialect.fresh());
    const app = await buildServer({
      store,
      log: { level: 'silent' },
      rateLimit: { max: 100_000, windowMs: 60_000 },
    });
    try {
      await store.access.addOrg('alpha');
      const key = (await store.access.createKey({ org: 'alpha', role: 'admin', user: 'adm' })).key;
      const get = (url: string) =>
        app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
      for (const article of Object.values(ARTICLES)) {
        const posted = await app.inject({
          method: 'POST',
          url: '/api/v1/documents',
          headers: { authorization: `Bearer ${key}` },
          payload: { text: article.text, published: PUBLISHED, tlp: 'green' },
        });
        expect(posted.statusCode).toBe(201);
      }
      const before = await counts(store);
      const everything = JSON.parse((await get('/api/v1/incidents?limit=500')).body).incidents.length;
      for (const s of HOSTILE) {
        const enc = encodeURIComponent(s);
        for (const url of [
          `/api/v1/incidents?group=${enc}`,
          `/api/v1/incidents?q=${enc}`,
          `/api/v1/incidents?country=${enc}`,
          `/api/v1/incidents?since=${enc}`,
          `/api/v1/incidents?attack_type=${enc}`,
          `/api/v1/incidents?cursor=${forgedCursor([s, s])}`,
          `/api/v1/incidents?cursor=${forgedCursor([null, s])}`,
          `/api/v1/documents?cursor=${forgedCursor([s, s])}`,
          `/api/v1/stix?q=${enc}`,
          `/api/v1/incidents/${enc}`,
          `/api/v1/documents/${enc}`,
        ]) {
          const reply = await get(url);
          expect(reply.statusCode, `${url}: ${reply.body}`).toBeLessThan(500);
          if (reply.statusCode === 200 && url.includes('/incidents?')) {
            const found = JSON.parse(reply.body).incidents.length;
            expect(found, url).toBeLessThanOrEqual(everything);
          }
        }
      }
      expect(await counts(store)).toEqual(before);
      expect(JSON.parse((await get('/api/v1/incidents?limit=500')).body).incidents.length).toBe(everything);
    } finally {
      await app.close();
    }
  });
});

describe('SQL injection through vigil incidents', () => {
  const databases = sqliteDatabases();
  afterAll(() => databases.cleanup());

  it('refuses hostile filters with a clear message and leaves the store as it was', async () => {
    const db = await databases.fresh();
    const file = join(dirname(db), 'in.jsonl');
    writeFileSync(
      file,
      `${Object.values(ARTICLES)
        .map((a) => JSON.stringify({ text: a.text, published: PUBLISHED }))
        .join('\n')}\n`,
    );
    expect((await vigil(['--db', db, 'ingest', file])).code).toBe(0);
    const stats = async () => JSON.parse((await vigil(['--db', db, 'stats', '--json'])).stdout);
    const before = await stats();
    for (const s of HOSTILE.slice(0, 8)) {
      for (const option of ['--country', '--group', '--since', '--until', '--limit']) {
        const run = await vigil(['--db', db, 'incidents', option, s, '--json']);
        expect(run.code, `${option} ${s}`).not.toBe(0);
        expect(run.stderr, `${option} ${s}`).toMatch(new RegExp(`${option}`));
        expect(run.stdout).toBe('');
      }
    }
    const after = await stats();
    for (const table of COUNTED.filter((t) => t in before)) expect(after[table]).toBe(before[table]);
  }, 120_000);
});
