import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLES, PUBLISHED } from '../../server/fixtures.js';
import { ROOT, taxii } from '../../server/taxii-helpers.js';
import { testDialects } from '../../store/databases.js';
import {
  call,
  freshDocumentId,
  freshIncidentId,
  get,
  incidentObjects,
  type Posted,
  type Reply,
  rawRequest,
  seedArticles,
  startWorld,
  type World,
} from './helpers.js';

/*
 * Smaller items that the TLP promise rests on, fixed in parallel:
 * - GET /api/v1/brief with a group name outside Latin-1 answers without a 500, and a crafted name
 *   cannot put a second filename= (or a header) into Content-Disposition;
 * - unknown fields and wrong JSON types in a body are refused with 400 (nothing dropped silently,
 *   no number turned into a string), and nothing is stored;
 * - U+0000 in a JSON body is refused with 400 and never stored;
 * - TAXII discovery never reflects the request's Host (or X-Forwarded-Host);
 * - every /api/v1 and /taxii2 response carries Cache-Control: no-store.
 */

const NUL_WORD = 'Nulvaria';

describe.each(testDialects())(
  'request and response hygiene on $kind',
  (dialect) => {
    let world: World;
    let posted: Record<string, Posted>;

    beforeAll(async () => {
      world = await startWorld(dialect);
      posted = await seedArticles(world, [
        {
          name: 'clear',
          poster: 'alphaAnalyst',
          tlp: 'clear',
          published: PUBLISHED,
          text: ARTICLES.clear.text,
        },
        {
          name: 'green',
          poster: 'alphaAnalyst',
          tlp: 'green',
          published: PUBLISHED,
          text: ARTICLES.green.text,
        },
      ]);
    }, 60_000);
    afterAll(async () => {
      await world?.close();
      await dialect.cleanup();
    });

    const admin = () => world.keys.alphaAdmin;
    const postJson = (path: string, body: unknown, key = admin()) => call(world.url, 'POST', path, key, body);

    describe('brief names', () => {
      it.each([
        ['a known group by its Cyrillic alias', 'ИГИЛ'],
        ['a discovered group named outside Latin-1', 'discovered:ωmega-бригада'],
        ['a discovered group named in Arabic', 'discovered:كتيبة'],
      ])('%s answers without a 500', async (_what, group) => {
        for (const format of ['md', 'html']) {
          const reply = await get(
            world,
            'alphaAnalyst',
            `/api/v1/brief?group=${encodeURIComponent(group)}&format=${format}`,
          );
          expect(reply.status, `${format}: ${reply.text.slice(0, 200)}`).toBeLessThan(500);
        }
      });

      it.each([
        ['a second filename=', 'discovered:x"; filename="evil.exe'],
        ['a filename*=', "discovered:x\"; filename*=UTF-8''evil.exe"],
        ['a header of its own (CR LF)', 'discovered:x\r\nSet-Cookie: session=stolen'],
      ])('a crafted name cannot add %s to Content-Disposition', async (_what, group) => {
        const reply = await get(
          world,
          'alphaAnalyst',
          `/api/v1/brief?group=${encodeURIComponent(group)}&format=md`,
        );
        expect(reply.status, reply.text.slice(0, 200)).toBeLessThan(500);
        expect(reply.headers.get('set-cookie')).toBeNull();
        const disposition = reply.headers.get('content-disposition') ?? '';
        expect(disposition.match(/filename\*?\s*=/gi)?.length ?? 0, disposition).toBeLessThanOrEqual(1);
        expect(disposition, disposition).not.toMatch(/evil/);
      });
    });

    describe('JSON bodies', () => {
      const incident = () => posted.clear?.incidents[0] as string;
      const bodies = (): [string, string, unknown][] => [
        ['POST', '/api/v1/documents', { text: ARTICLES.red.text, tlp: 'clear', bogus: 1 }],
        [
          'POST',
          '/api/v1/documents',
          { text: ARTICLES.red.text, tlp: 'clear', __proto__x: 'y', titel: 'typo' },
        ],
        ['POST', '/api/v1/documents/fetch', { url: 'https://127.0.0.1/feed', bogus: true }],
        ['POST', '/api/v1/orgs', { name: 'delta', bogus: 1 }],
        ['POST', '/api/v1/keys', { role: 'viewer', user: 'zed', bogus: 1 }],
        [
          'POST',
          '/api/v1/groups/discovered/discovered:quorvash-brigade/merge',
          { into: 'iswap', reason: 'r', bogus: 1 },
        ],
        ['POST', `/api/v1/incidents/${incident()}/merge`, { other: incident(), reason: 'r', bogus: 1 }],
        [
          'POST',
          `/api/v1/incidents/${incident()}/split`,
          { document: posted.clear?.document, reason: 'r', bogus: 1 },
        ],
      ];
      const wrongTypes = (): [string, string, unknown][] => [
        ['POST', '/api/v1/documents', { text: 12345678, tlp: 'clear' }],
        ['POST', '/api/v1/documents', { text: ARTICLES.red.text, tlp: 'clear', title: 42 }],
        ['POST', '/api/v1/documents', { text: ARTICLES.red.text, tlp: 'clear', url: 7 }],
        ['POST', '/api/v1/documents', { text: ARTICLES.red.text, tlp: 'clear', published: 20240512 }],
        ['POST', '/api/v1/documents', { text: ARTICLES.red.text, tlp: 'red', recipients: 'beta/bo' }],
        ['POST', '/api/v1/documents', { text: ARTICLES.red.text, tlp: 'clear', title: true }],
        ['POST', '/api/v1/documents', { text: [ARTICLES.red.text], tlp: 'clear' }],
        ['POST', '/api/v1/orgs', { name: 12345 }],
        ['POST', '/api/v1/keys', { role: 'viewer', user: 42 }],
        ['POST', `/api/v1/incidents/${incident()}/merge`, { other: 1234, reason: 'r' }],
        ['POST', `/api/v1/incidents/${incident()}/merge`, { other: incident(), reason: 99 }],
      ];

      /** What a stray write would change: documents, organisations, keys, incidents as alpha reads them. */
      async function state() {
        const [docs, orgs, keys, incidents] = await Promise.all([
          get(world, 'alphaAdmin', '/api/v1/documents?limit=500'),
          get(world, 'alphaAdmin', '/api/v1/orgs'),
          get(world, 'alphaAdmin', '/api/v1/keys'),
          get(world, 'alphaAdmin', '/api/v1/incidents?limit=500'),
        ]);
        return [docs.text, orgs.text, keys.text, incidents.text];
      }

      it('unknown fields are refused with 400, and nothing is stored', async () => {
        const start = await state();
        const wrong: string[] = [];
        for (const [method, path, body] of bodies()) {
          const reply = await call(world.url, method, path, admin(), body);
          if (reply.status !== 400)
            wrong.push(`${path} ${JSON.stringify(body).slice(0, 80)}: ${reply.status}`);
        }
        expect(wrong).toEqual([]);
        expect(await state()).toEqual(start);
      });

      it('wrong JSON types are refused with 400 (no number made a string, no string made a list)', async () => {
        const start = await state();
        const wrong: string[] = [];
        for (const [method, path, body] of wrongTypes()) {
          const reply = await call(world.url, method, path, admin(), body);
          if (reply.status !== 400)
            wrong.push(`${path} ${JSON.stringify(body).slice(0, 80)}: ${reply.status}`);
        }
        expect(wrong).toEqual([]);
        expect(await state()).toEqual(start);
      });

      it('U+0000 anywhere in a JSON body is refused with 400 and never stored', async () => {
        const text = `Gunmen killed five people at the ${NUL_WORD} market in Kabul, Afghanistan on Monday, police said.`;
        const cases: [string, unknown][] = [
          ['/api/v1/documents', { text: text.replace('Monday,', 'Monday,\u0000'), tlp: 'clear' }],
          ['/api/v1/documents', { text, tlp: 'clear', title: `${NUL_WORD}\u0000 attack` }],
          ['/api/v1/documents', { text, tlp: 'clear', url: `https://news.example.org/${NUL_WORD}\u0000` }],
          ['/api/v1/documents', { text, tlp: 'clear', published: '2024-05-12\u0000' }],
          ['/api/v1/orgs', { name: `d\u0000${NUL_WORD}` }],
        ];
        const wrong: string[] = [];
        for (const [path, body] of cases) {
          const reply = await postJson(path, body);
          if (reply.status !== 400)
            wrong.push(`${path} ${JSON.stringify(body).slice(0, 90)}: ${reply.status}`);
        }
        // And through TAXII: an incident object whose name holds U+0000.
        const objects = incidentObjects({
          incident: freshIncidentId(),
          document: freshDocumentId(),
          tlp: 'clear',
          name: `${NUL_WORD}\u0000 report`,
        });
        const t = await taxii(world.url, 'POST', `${ROOT}/collections/all/objects/`, {
          key: world.keys.alphaAnalyst,
          body: { objects },
        });
        if (t.status !== 400) wrong.push(`TAXII POST with U+0000: ${t.status}`);
        expect(wrong).toEqual([]);
        for (const path of [
          '/api/v1/documents?limit=500',
          `/api/v1/incidents?q=${NUL_WORD}`,
          '/api/v1/stix?limit=500',
          '/api/v1/orgs',
        ]) {
          const reply = await get(world, 'alphaAdmin', path);
          expect(reply.text.toLowerCase(), path).not.toContain(NUL_WORD.toLowerCase());
        }
      });
    });

    it('TAXII discovery never reflects the Host or X-Forwarded-Host of the request', async () => {
      const headers = {
        authorization: `Bearer ${world.keys.alphaViewer}`,
        accept: 'application/taxii+json;version=2.1',
      };
      const extras: Record<string, string>[] = [
        { host: 'evil.example:8443' },
        { host: 'evil.example' },
        { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      ];
      for (const extra of extras) {
        const reply = await rawRequest(world.url, '/taxii2/', { ...headers, ...extra });
        expect(reply.status, reply.body).toBe(200);
        expect(reply.body, JSON.stringify(extra)).not.toContain('evil.example');
      }
    });

    it('every /api/v1 and /taxii2 response carries Cache-Control: no-store, errors included', async () => {
      const key = world.keys.alphaAnalyst;
      const id = posted.clear?.incidents[0] as string;
      const doc = posted.clear?.document as string;
      const replies: [string, Reply][] = [];
      const add = async (what: string, reply: Promise<Reply>) => replies.push([what, await reply]);
      for (const path of [
        '/api/v1/me',
        '/api/v1/incidents',
        `/api/v1/incidents/${id}`,
        `/api/v1/incidents/${id}/reports`,
        '/api/v1/incidents/ffffffffffffffff',
        '/api/v1/incidents?cursor=bogus',
        '/api/v1/documents',
        `/api/v1/documents/${doc}`,
        '/api/v1/stix',
        '/api/v1/groups',
        '/api/v1/groups/discovered',
        '/api/v1/overview',
        '/api/v1/map',
        '/api/v1/timeline',
        '/api/v1/alerts',
        '/api/v1/threat',
        '/api/v1/graph',
        '/api/v1/brief?format=md',
        '/api/v1/brief',
        '/api/v1/export/incidents.csv',
        '/api/v1/export/incidents.geojson',
        '/api/v1/groups/taliban/profile',
        '/api/v1/nothing-here',
      ])
        await add(`GET ${path}`, call(world.url, 'GET', path, key));
      await add('GET /api/v1/incidents without a key', call(world.url, 'GET', '/api/v1/incidents'));
      await add(
        'POST /api/v1/documents',
        call(world.url, 'POST', '/api/v1/documents', key, { text: ARTICLES.amber.text }),
      );
      await add(
        'POST /api/v1/documents (invalid)',
        call(world.url, 'POST', '/api/v1/documents', key, { text: '' }),
      );
      await add('GET /api/v1/keys (403)', call(world.url, 'GET', '/api/v1/keys', key));
      const t = (path: string, options = {}) => taxii(world.url, 'GET', path, { key, ...options });
      for (const path of [
        '/taxii2/',
        `${ROOT}/`,
        `${ROOT}/collections/`,
        `${ROOT}/collections/all/`,
        `${ROOT}/collections/all/objects/?limit=2`,
        `${ROOT}/collections/all/manifest/?limit=2`,
        `${ROOT}/collections/nope/objects/`,
        `${ROOT}/status/nope/`,
      ])
        await add(`TAXII GET ${path}`, t(path));
      await add('TAXII without a key', taxii(world.url, 'GET', '/taxii2/'));
      await add('TAXII 406', t(`${ROOT}/`, { accept: 'text/html' }));
      const objects = incidentObjects({
        incident: freshIncidentId(),
        document: freshDocumentId(),
        tlp: 'amber',
      });
      const posting = await taxii<{ id: string }>(world.url, 'POST', `${ROOT}/collections/all/objects/`, {
        key,
        body: { objects },
      });
      replies.push(['TAXII POST', posting]);
      await add('TAXII GET status', t(`${ROOT}/status/${posting.body.id}/`));
      const missing = replies
        .filter(([, r]) => !/(^|,)\s*no-store\s*(,|$)/i.test(r.headers.get('cache-control') ?? ''))
        .map(([what, r]) => `${what} (${r.status}): ${r.headers.get('cache-control')}`);
      expect(missing).toEqual([]);
    });
  },
  90_000,
);
