import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../store/databases.js';
import { ARTICLES } from './fixtures.js';
import {
  type ArticleName,
  CLEARED,
  call,
  PRINCIPALS,
  type PrincipalName,
  type Reply,
  type Running,
  type Seeded,
  seed,
  startServer,
} from './helpers.js';

// The authorisation matrix: every endpoint × every role × every marking (CLEAR stored by the CLI,
// CLEAR, GREEN, AMBER shared with another organisation, AMBER not shared, AMBER+STRICT, RED), and no
// response may carry anything of what the caller is not cleared for: no incident id, document id or
// marker word of those articles.

const TLP: Readonly<Record<ArticleName, string>> = {
  clearLocal: 'clear',
  clear: 'clear',
  green: 'green',
  amber: 'amber',
  amberGamma: 'amber',
  strict: 'amber+strict',
  red: 'red',
};
const ARTICLE_NAMES = Object.keys(ARTICLES) as ArticleName[];
const PRINCIPAL_NAMES = Object.keys(PRINCIPALS) as PrincipalName[];
const NOWHERE = 'ffffffffffffffff';

describe.each(testDialects())('authorisation matrix on $kind', (dialect) => {
  let running: Running;
  let seeded: Seeded;

  beforeAll(async () => {
    running = await startServer(dialect);
    seeded = await seed(running);
  });
  afterAll(async () => {
    await running?.close();
    await dialect.cleanup();
  });

  const sees = (p: PrincipalName, a: ArticleName) => CLEARED[a].includes(p);

  /** Everything of the articles `p` is not cleared for, that must appear in no response. */
  function forbidden(p: PrincipalName): string[] {
    return ARTICLE_NAMES.filter((a) => !sees(p, a)).flatMap((a) => [
      ...seeded.incidents[a],
      seeded.documents[a],
      ARTICLES[a].marker.toLowerCase(),
    ]);
  }

  function noLeak(p: PrincipalName, what: string, reply: Reply, except: readonly string[] = []): void {
    const text = reply.text.toLowerCase();
    for (const secret of forbidden(p)) {
      if (except.includes(secret)) continue;
      expect(
        text.includes(secret.toLowerCase()),
        `${p} ${what} leaks ${secret}: ${reply.text.slice(0, 300)}`,
      ).toBe(false);
    }
  }

  async function get(p: PrincipalName, path: string): Promise<Reply> {
    const reply = await call(running.url, 'GET', path, seeded.keys[p]);
    noLeak(p, `GET ${path}`, reply);
    return reply;
  }

  it.each(PRINCIPAL_NAMES)(
    '%s: GET /incidents pages show exactly the cleared incidents, each with its marking',
    async (p) => {
      const seen = new Map<string, { tlp: string; sources: string[]; evidence: { document_id: string }[] }>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const reply: Reply = await get(p, `/api/v1/incidents?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(reply.status).toBe(200);
        const body = reply.body as {
          incidents: { id: string; tlp: string; sources: string[]; evidence: { document_id: string }[] }[];
          next_cursor: string | null;
        };
        expect(body.incidents.length).toBeLessThanOrEqual(2);
        for (const i of body.incidents) seen.set(i.id, i);
        cursor = body.next_cursor;
        pages += 1;
      } while (cursor !== null && pages < 20);
      const expected = ARTICLE_NAMES.filter((a) => sees(p, a));
      expect([...seen.keys()].sort()).toEqual(expected.flatMap((a) => seeded.incidents[a]).sort());
      for (const a of expected) {
        for (const id of seeded.incidents[a]) {
          const i = seen.get(id);
          expect(i?.tlp, `${a} ${id}`).toBe(TLP[a]);
          expect(i?.sources).toEqual([seeded.documents[a]]);
          for (const e of i?.evidence ?? []) expect(e.document_id).toBe(seeded.documents[a]);
        }
      }
    },
  );

  it.each(PRINCIPAL_NAMES)(
    '%s: GET /incidents/:id and /documents/:id answer 404 alike for hidden and missing',
    async (p) => {
      const missingIncident = await call(running.url, 'GET', `/api/v1/incidents/${NOWHERE}`, seeded.keys[p]);
      const missingDocument = await call(running.url, 'GET', `/api/v1/documents/${NOWHERE}`, seeded.keys[p]);
      for (const a of ARTICLE_NAMES) {
        for (const id of seeded.incidents[a]) {
          for (const ask of [id, id.slice(0, 6)]) {
            const reply = await call(running.url, 'GET', `/api/v1/incidents/${ask}`, seeded.keys[p]);
            if (sees(p, a)) {
              expect(reply.status, `${p} ${a} ${ask}`).toBe(200);
              expect((reply.body as { id: string; tlp: string }).id).toBe(id);
              expect((reply.body as { tlp: string }).tlp).toBe(TLP[a]);
              noLeak(p, `GET incident ${ask}`, reply);
            } else {
              expect(reply.status, `${p} ${a} ${ask}`).toBe(404);
              expect(reply.text.replace(ask, NOWHERE)).toBe(missingIncident.text);
            }
          }
        }
        const doc = seeded.documents[a];
        const reply = await call(running.url, 'GET', `/api/v1/documents/${doc}`, seeded.keys[p]);
        if (sees(p, a)) {
          expect(reply.status).toBe(200);
          const body = reply.body as { text: string; tlp: string; incidents: string[] };
          expect(body.text).toContain(ARTICLES[a].marker);
          expect(body.tlp).toBe(TLP[a]);
          expect(body.incidents.sort()).toEqual([...seeded.incidents[a]].sort());
          noLeak(p, `GET document ${a}`, reply);
        } else {
          expect(reply.status).toBe(404);
          expect(reply.text.replace(doc, NOWHERE)).toBe(missingDocument.text);
        }
      }
    },
  );

  it.each(PRINCIPAL_NAMES)('%s: text search finds only cleared articles', async (p) => {
    for (const a of ARTICLE_NAMES) {
      const reply = await get(p, `/api/v1/incidents?q=${ARTICLES[a].marker}`);
      expect(reply.status).toBe(200);
      const ids = (reply.body as { incidents: { id: string }[] }).incidents.map((i) => i.id);
      expect(ids.sort(), `${p} q=${ARTICLES[a].marker}`).toEqual(
        sees(p, a) ? [...seeded.incidents[a]].sort() : [],
      );
    }
    // Filters go through the same filter.
    for (const path of [
      'country=NG',
      'attack_type=armed_assault',
      'group=discovered:quorvash-brigade',
      'since=2024-01-01&until=2024-12-31',
    ]) {
      expect((await get(p, `/api/v1/incidents?${path}`)).status).toBe(200);
    }
  });

  it.each(PRINCIPAL_NAMES)(
    '%s: documents, STIX, groups, discovered groups and me leak nothing',
    async (p) => {
      const docs = await get(p, '/api/v1/documents?limit=3');
      expect(docs.status).toBe(200);
      const all: string[] = [];
      let body = docs.body as { documents: { id: string; tlp: string }[]; next_cursor: string | null };
      all.push(...body.documents.map((d) => d.id));
      while (body.next_cursor !== null) {
        const next = await get(p, `/api/v1/documents?limit=3&cursor=${body.next_cursor}`);
        body = next.body as typeof body;
        all.push(...body.documents.map((d) => d.id));
      }
      expect(all.sort()).toEqual(
        ARTICLE_NAMES.filter((a) => sees(p, a))
          .map((a) => seeded.documents[a])
          .sort(),
      );

      const stix = await get(p, '/api/v1/stix');
      expect(stix.status).toBe(200);
      const objects = (
        stix.body as { objects: { type: string; id: string; object_marking_refs?: string[] }[] }
      ).objects;
      expect(objects.filter((o) => o.type === 'incident')).toHaveLength(
        ARTICLE_NAMES.filter((a) => sees(p, a)).flatMap((a) => seeded.incidents[a]).length,
      );
      expect(objects.filter((o) => o.type === 'report')).toHaveLength(
        ARTICLE_NAMES.filter((a) => sees(p, a)).length,
      );

      const discovered = await get(p, '/api/v1/groups/discovered');
      expect(discovered.status).toBe(200);
      const ids = (discovered.body as { groups: { id: string }[] }).groups.map((g) => g.id);
      expect(ids.includes('discovered:quorvash-brigade')).toBe(sees(p, 'amber'));

      expect((await get(p, '/api/v1/groups')).status).toBe(200);
      const me = await get(p, '/api/v1/me');
      expect(me.body).toMatchObject({ org: PRINCIPALS[p].org, role: PRINCIPALS[p].role });
    },
  );

  it.each(PRINCIPAL_NAMES)('%s: writes and administration by role', async (p) => {
    const { role } = PRINCIPALS[p];
    const key = seeded.keys[p];
    // Ingest: analysts and admins; posting again what one's organisation holds changes nothing, and
    // another organisation's text is a copy of one's own (src/tlp/marking.ts).
    const post = await call(running.url, 'POST', '/api/v1/documents', key, {
      text: ARTICLES.clear.text,
      tlp: 'clear',
    });
    noLeak(p, 'POST /documents', post);
    const own = PRINCIPALS[p].org === 'alpha';
    expect(post.status).toBe(role === 'viewer' ? 403 : own ? 200 : 201);
    if (role === 'viewer') expect(post.body).toMatchObject({ error: { code: 'forbidden' } });
    else expect(post.body).toMatchObject({ status: own ? 'duplicate' : 'stored', tlp: 'clear' });

    // Group decisions: analysts, on discovered groups they see (here none is in force: 400).
    const undo = await call(
      running.url,
      'POST',
      '/api/v1/groups/discovered/discovered:quorvash-brigade/unmerge',
      key,
    );
    noLeak(p, 'POST unmerge', undo, ['quorvash']);
    expect(undo.status).toBe(role === 'viewer' ? 403 : sees(p, 'amber') ? 400 : 404);

    // Administration: admins only, their own organisation.
    for (const path of ['/api/v1/orgs', '/api/v1/keys']) {
      const reply = await get(p, path);
      expect(reply.status, `${p} ${path}`).toBe(role === 'admin' ? 200 : 403);
    }
    if (role === 'admin') {
      const keys = (await get(p, '/api/v1/keys')).body as { keys: { org: string }[] };
      expect(new Set(keys.keys.map((k) => k.org))).toEqual(new Set([PRINCIPALS[p].org]));
      const share = await call(running.url, 'PUT', '/api/v1/orgs/beta/shares/alpha', key);
      expect(share.status).toBe(403);
    }
  });

  it('merges a discovered group only for cleared analysts, and the merge shows to them alone', async () => {
    const path = '/api/v1/groups/discovered/discovered:quorvash-brigade/merge';
    const body = { into: 'iswap', reason: 'test' };
    const gamma = await call(running.url, 'POST', path, seeded.keys.gammaAnalyst, body);
    expect(gamma.status).toBe(404);
    const beta = await call(running.url, 'POST', path, seeded.keys.betaAnalyst, body);
    expect(beta.status, beta.text).toBe(200);
    expect((await get('gammaAnalyst', '/api/v1/groups/discovered')).body).toEqual({ groups: [] });
    const undo = await call(
      running.url,
      'POST',
      path.replace('/merge', '/unmerge'),
      seeded.keys.alphaAnalyst,
    );
    expect(undo.status).toBe(200);
  });

  it('a key that is missing, wrong or revoked gets 401 on every endpoint', async () => {
    const created = await running.store.access.createKey({ org: 'gamma', role: 'admin' });
    await running.store.access.revokeKey(created.id);
    for (const path of [
      '/api/v1/incidents',
      `/api/v1/incidents/${seeded.incidents.clear[0]}`,
      '/api/v1/documents',
      '/api/v1/stix',
      '/api/v1/groups',
      '/api/v1/groups/discovered',
      '/api/v1/orgs',
      '/api/v1/keys',
      '/api/v1/me',
    ]) {
      for (const key of [null, created.key]) {
        const reply = await call(running.url, 'GET', path, key);
        expect(reply.status, `${path} ${key ? 'revoked' : 'no key'}`).toBe(401);
        expect(reply.body).toMatchObject({ error: { code: 'unauthenticated' } });
      }
    }
    expect((await call(running.url, 'POST', '/api/v1/documents', null, { text: 'x' })).status).toBe(401);
  });
});
