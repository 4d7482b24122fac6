import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Envelope, ROOT, taxii } from '../../server/taxii-helpers.js';
import { testDialects } from '../../store/databases.js';
import { CORPUS } from './corpus.js';
import { flip, revealed } from './cursor-forms.js';
import {
  allItems,
  extraKey,
  get,
  type IncidentOut,
  type PrincipalName,
  type Reply,
  seedArticles,
  startWorld,
  type World,
} from './helpers.js';

/*
 * Cursors are opaque and authenticated. Today next_cursor is base64url JSON of the last item's sort
 * key and id (["killed","desc",14,"<id>"]): it tells the caller the stored value of the sort key,
 * merged from reports they may not read (gamma's cursor after the Somali incident says 14 killed,
 * a toll only alpha's AMBER report gives), and any cursor the caller writes is accepted. The contract:
 * no cursor (REST next_cursor of every sort, /documents, X-Next-Cursor of /stix, TAXII next) reveals a
 * sort-key value in any form; a cursor with one character changed, one written in the old format and
 * one issued to another key are refused with 400 (invalid_cursor on /api/v1).
 */

const SORTS = ['date', 'killed', 'wounded', 'country', 'group'] as const;

const oldFormat = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

interface Count {
  value: number | null;
  min: number;
}
/** The sort-key values an incident shows (killed, wounded, date, country, groups). */
function sortValues(i: IncidentOut): (string | number)[] {
  const count = (c: unknown) => (c === null ? null : ((c as Count).value ?? (c as Count).min));
  const groups = (i.perpetrator_groups as { group: string; group_id: string }[]).flatMap((g) => [
    g.group,
    g.group_id,
  ]);
  return [
    count(i.killed),
    count(i.wounded),
    i.date as string | null,
    i.country as string | null,
    ...groups,
  ].filter((v): v is string | number => v !== null);
}

describe.each(testDialects())(
  'cursors are opaque and authenticated on $kind',
  (dialect) => {
    let world: World;
    /** Each incident's values as the store holds them (alpha's analyst reads the merged records). */
    const stored = new Map<string, (string | number)[]>();

    beforeAll(async () => {
      world = await startWorld(dialect);
      await seedArticles(world, CORPUS);
      const all = await allItems<IncidentOut>(world, 'alphaAnalyst', '/api/v1/incidents', 'incidents', 100);
      for (const i of all.items) stored.set(i.id, sortValues(i));
    }, 120_000);
    afterAll(async () => {
      await world?.close();
      await dialect.cleanup();
    });

    const incidentPaths = [
      '/api/v1/incidents',
      ...SORTS.flatMap((s) =>
        (['asc', 'desc'] as const).map((o) => `/api/v1/incidents?sort=${s}&order=${o}`),
      ),
    ];

    it.each(['gammaAnalyst', 'betaViewer', 'alphaAnalyst'] as const)(
      '%s: no next_cursor of /incidents (every sort) or X-Next-Cursor of /stix reveals a sort-key value',
      async (p) => {
        const found: string[] = [];
        for (const path of incidentPaths) {
          const { replies } = await allItems<IncidentOut>(world, p, path, 'incidents', 1);
          for (const r of replies) {
            const cursor = r.body.next_cursor;
            const last = (r.body.incidents as IncidentOut[]).at(-1);
            if (cursor === null || last === undefined) continue;
            const values = [...sortValues(last), ...(stored.get(last.id) ?? [])];
            const hits = revealed(cursor, values);
            if (hits.length > 0) found.push(`${path} after ${last.id}: ${cursor} reveals ${hits.join(', ')}`);
          }
        }
        for (const query of ['', 'sort=killed', 'sort=group&order=asc']) {
          let cursor: string | null = null;
          for (let n = 0; n < 50; n++) {
            const params = new URLSearchParams(query);
            params.set('limit', '1');
            if (cursor !== null) params.set('cursor', cursor);
            const stix: Reply<{
              objects: { type: string; extensions?: Record<string, { vigil_id?: string }> }[];
            }> = await get(world, p, `/api/v1/stix?${params}`);
            expect(stix.status).toBe(200);
            cursor = stix.headers.get('x-next-cursor');
            if (cursor === null) break;
            const ids = stix.body.objects
              .filter((o) => o.type === 'incident')
              .flatMap((o) => Object.values(o.extensions ?? {}).map((x) => x.vigil_id))
              .filter((id): id is string => id !== undefined);
            const values = ids.flatMap((id) => stored.get(id) ?? []);
            const hits = revealed(cursor, values);
            if (hits.length > 0) found.push(`/stix?${query}: ${cursor} reveals ${hits.join(', ')}`);
          }
        }
        expect(found).toEqual([]);
      },
    );

    it.each(['gammaAnalyst', 'alphaAnalyst'] as const)(
      '%s: next_cursor of /documents and next of TAXII pages reveal no timestamp',
      async (p) => {
        const found: string[] = [];
        const docs = await allItems<{ ingested_at: string; published: string | null }>(
          world,
          p,
          '/api/v1/documents',
          'documents',
          1,
        );
        for (const r of docs.replies) {
          const cursor = r.body.next_cursor;
          const last = (r.body.documents as { ingested_at: string; published: string | null }[]).at(-1);
          if (cursor === null || last === undefined) continue;
          const hits = revealed(cursor, [last.ingested_at, ...(last.published ? [last.published] : [])]);
          if (hits.length > 0) found.push(`/documents: ${cursor} reveals ${hits.join(', ')}`);
        }
        let next: string | undefined;
        for (let n = 0; n < 200; n++) {
          const params = new URLSearchParams({ limit: '3' });
          if (next !== undefined) params.set('next', next);
          const page = await taxii<Envelope>(world.url, 'GET', `${ROOT}/collections/all/objects/?${params}`, {
            key: world.keys[p],
          });
          expect(page.status).toBe(200);
          if (!page.body.more || page.body.next === undefined) break;
          next = page.body.next;
          const added = [
            page.headers.get('x-taxii-date-added-last'),
            page.headers.get('x-taxii-date-added-first'),
          ];
          const hits = revealed(
            next,
            added.filter((a): a is string => a !== null),
          );
          if (hits.length > 0) found.push(`TAXII next ${next} reveals ${hits.join(', ')}`);
        }
        expect(found).toEqual([]);
      },
    );

    /** A first page's cursor of each kind, as gamma gets it. */
    async function cursors(p: PrincipalName, key = world.keys[p]) {
      const rest = async (path: string) => {
        const r = await get<{ next_cursor: string | null }>(
          { ...world, keys: { ...world.keys, [p]: key } },
          p,
          path,
        );
        expect(r.status).toBe(200);
        return r.body.next_cursor as string;
      };
      const stix = await get(
        { ...world, keys: { ...world.keys, [p]: key } },
        p,
        '/api/v1/stix?limit=1&sort=wounded',
      );
      const page = await taxii<Envelope>(world.url, 'GET', `${ROOT}/collections/all/objects/?limit=2`, {
        key,
      });
      return {
        'incidents (date)': {
          path: '/api/v1/incidents?limit=1',
          cursor: await rest('/api/v1/incidents?limit=1'),
        },
        'incidents (killed desc)': {
          path: '/api/v1/incidents?limit=1&sort=killed&order=desc',
          cursor: await rest('/api/v1/incidents?limit=1&sort=killed&order=desc'),
        },
        'incidents (group asc)': {
          path: '/api/v1/incidents?limit=1&sort=group&order=asc',
          cursor: await rest('/api/v1/incidents?limit=1&sort=group&order=asc'),
        },
        documents: { path: '/api/v1/documents?limit=1', cursor: await rest('/api/v1/documents?limit=1') },
        stix: {
          path: '/api/v1/stix?limit=1&sort=wounded',
          cursor: stix.headers.get('x-next-cursor') as string,
        },
        taxii: { path: `${ROOT}/collections/all/objects/?limit=2`, cursor: page.body.next as string },
      };
    }

    /** The status (and error code) of reading a page after `cursor`, as `key`. */
    async function use(path: string, cursor: string, key: string): Promise<string> {
      if (path.startsWith(ROOT)) {
        const r = await taxii(world.url, 'GET', `${path}&next=${encodeURIComponent(cursor)}`, { key });
        return String(r.status);
      }
      const r = await fetch(`${world.url}${path}&cursor=${encodeURIComponent(cursor)}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const body = (await r.json().catch(() => ({}))) as { error?: { code?: string } };
      return r.status === 400 ? `400 ${body.error?.code}` : String(r.status);
    }
    const refused = (path: string) => (path.startsWith(ROOT) ? '400' : '400 invalid_cursor');

    it('a genuine cursor reads the next page for the key it was issued to', async () => {
      const key = world.keys.gammaAnalyst;
      for (const [kind, { path, cursor }] of Object.entries(await cursors('gammaAnalyst'))) {
        expect(typeof cursor, kind).toBe('string');
        expect(await use(path, cursor, key), kind).toBe('200');
      }
    });

    it('a cursor with any single character changed is refused with 400', async () => {
      const key = world.keys.gammaAnalyst;
      const accepted: string[] = [];
      for (const [kind, { path, cursor }] of Object.entries(await cursors('gammaAnalyst'))) {
        // Characters in every part of a sealed cursor (nonce, tag, sealed value) and at both ends;
        // test/access/cursor.test.ts changes each character of one in turn.
        const ends = [
          0,
          1,
          8,
          15,
          16,
          20,
          37,
          38,
          45,
          Math.floor(cursor.length / 2),
          cursor.length - 2,
          cursor.length - 1,
        ];
        const positions = [...new Set(ends.filter((n) => n >= 0 && n < cursor.length))];
        for (let n = 0; n < positions.length; n += 16) {
          const results = await Promise.all(
            positions
              .slice(n, n + 16)
              .map(async (at) => [at, await use(path, flip(cursor, at), key)] as const),
          );
          for (const [at, status] of results)
            if (status !== refused(path)) accepted.push(`${kind}: character ${at} changed → ${status}`);
        }
      }
      expect(accepted).toEqual([]);
    });

    it('a cursor written in the old format (base64url JSON of the sort key and id) is refused with 400', async () => {
      const key = world.keys.gammaAnalyst;
      const seen = (
        await get<{ incidents: IncidentOut[] }>(world, 'gammaAnalyst', '/api/v1/incidents?limit=500')
      ).body.incidents;
      const first = seen[0] as IncidentOut;
      const docs = (
        await get<{ documents: { id: string; ingested_at: string }[] }>(
          world,
          'gammaAnalyst',
          '/api/v1/documents',
        )
      ).body.documents;
      const doc = docs[0] as { id: string; ingested_at: string };
      const crafted: [string, string][] = [
        ['/api/v1/incidents?limit=1', oldFormat([first.date, first.id])],
        ['/api/v1/incidents?limit=1', oldFormat([null, first.id])],
        ['/api/v1/incidents?limit=1&sort=killed&order=desc', oldFormat(['killed', 'desc', 54, first.id])],
        [
          '/api/v1/incidents?limit=1&sort=group&order=asc',
          oldFormat(['group', 'asc', 'al-Shabaab', first.id]),
        ],
        ['/api/v1/incidents?limit=1&sort=country&order=desc', oldFormat(['country', 'desc', 'SO', first.id])],
        ['/api/v1/stix?limit=1&sort=killed&order=desc', oldFormat(['killed', 'desc', 54, first.id])],
        ['/api/v1/stix?limit=1', oldFormat([first.date, first.id])],
        ['/api/v1/documents?limit=1', oldFormat([doc.ingested_at, doc.id])],
        [`${ROOT}/collections/all/objects/?limit=1`, oldFormat([new Date().toISOString(), first.id, 0])],
        [`${ROOT}/collections/all/objects/?limit=1`, oldFormat(['1970-01-01T00:00:00.000Z', first.id, 0])],
      ];
      const accepted: string[] = [];
      for (const [path, cursor] of crafted) {
        const status = await use(path, cursor, key);
        if (status !== refused(path))
          accepted.push(`${path} after ${Buffer.from(cursor, 'base64url')} → ${status}`);
      }
      expect(accepted).toEqual([]);
    });

    it('a cursor issued to another key (another organisation, or another key of the same one) is refused with 400', async () => {
      const others = {
        betaViewer: world.keys.betaViewer,
        'gamma, a second key': await extraKey(world, 'gammaAnalyst', 'gil2'),
      };
      const accepted: string[] = [];
      for (const [kind, { path, cursor }] of Object.entries(await cursors('gammaAnalyst'))) {
        for (const [who, key] of Object.entries(others)) {
          const status = await use(path, cursor, key);
          if (status !== refused(path)) accepted.push(`${kind} used by ${who} → ${status}`);
        }
      }
      expect(accepted).toEqual([]);
    });

    it('a cursor of one sort order is refused in another (400 invalid_cursor)', async () => {
      const { 'incidents (killed desc)': killed } = await cursors('gammaAnalyst');
      for (const path of [
        '/api/v1/incidents?limit=1&sort=killed&order=asc',
        '/api/v1/incidents?limit=1&sort=wounded',
      ]) {
        expect(await use(path, killed.cursor, world.keys.gammaAnalyst), path).toBe('400 invalid_cursor');
      }
    });
  },
  90_000,
);
