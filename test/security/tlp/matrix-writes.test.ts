import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLES } from '../../server/fixtures.js';
import { type ArticleName, CLEARED, type Seeded, seed, startServer } from '../../server/helpers.js';
import { testDialects } from '../../store/databases.js';
import { article } from './corpus.js';
import {
  allItems,
  call,
  get,
  incidentObjects,
  leaked,
  leaksIn,
  NO_RATE_LIMIT,
  normaliseTimes,
  type Posted,
  PRINCIPAL_NAMES,
  PRINCIPALS,
  type PrincipalName,
  post,
  postObjects,
  type Reply,
  seedArticles,
  sweep,
  type Tlp,
  type World,
} from './helpers.js';

/*
 * The authorisation matrix (test/server/matrix.test.ts) extended to the write paths and to the list
 * parameters: for every principal and every article marking, POST /documents of the article's exact
 * text (as TLP:RED for the poster alone, so that the poster's own copy is visible to no one else),
 * TAXII POST into every writable collection of objects naming the article's incident and document,
 * analysts' merge and split of incidents holding reports they may not read or that another
 * organisation holds under a non-public marking, and GET /incidents with q, group, since, until, sort
 * and cursor. Afterwards no response to anyone carries an id, marker word or title of an article they
 * are not cleared for, and no document changed marking.
 */

const TLP: Readonly<Record<ArticleName, Tlp>> = {
  clearLocal: 'clear',
  clear: 'clear',
  green: 'green',
  amber: 'amber',
  amberGamma: 'amber',
  strict: 'amber+strict',
  red: 'red',
};
/** Who reads each article best: its poster (the CLI's article: alpha's analyst). */
const OWNER: Readonly<Record<ArticleName, PrincipalName>> = {
  clearLocal: 'alphaAnalyst',
  clear: 'alphaAnalyst',
  green: 'alphaAnalyst',
  amber: 'alphaAnalyst',
  amberGamma: 'gammaAnalyst',
  strict: 'alphaAnalyst',
  red: 'alphaAnalyst',
};
const ARTICLE_NAMES = Object.keys(ARTICLES) as ArticleName[];
const WRITABLE = ['all', 'tlp-clear', 'tlp-green', 'tlp-amber', 'tlp-amber-strict', 'tlp-red'] as const;
const COLLECTION_TLP: Readonly<Record<(typeof WRITABLE)[number], Tlp>> = {
  all: 'clear',
  'tlp-clear': 'clear',
  'tlp-green': 'green',
  'tlp-amber': 'amber',
  'tlp-amber-strict': 'amber+strict',
  'tlp-red': 'red',
};
const writes = (p: PrincipalName) => PRINCIPALS[p].role !== 'viewer';

describe.each(testDialects())(
  'authorisation matrix of write paths and list parameters on $kind',
  (dialect) => {
    const since = Date.now() - 1000;
    let world: World;
    let seeded: Seeded;
    /** The mixed pair: beta's CLEAR and alpha's AMBER report of one attack, merged into one incident. */
    let mixed: Record<string, Posted>;

    const sees = (p: PrincipalName, a: ArticleName) => CLEARED[a].includes(p);

    beforeAll(async () => {
      const running = await startServer(dialect, NO_RATE_LIMIT);
      seeded = await seed(running);
      world = { running, url: running.url, keys: seeded.keys, close: () => running.close() };
      mixed = await seedArticles(world, [article('s1Clear'), article('s1Amber')]);
    }, 120_000);
    afterAll(async () => {
      await world?.close();
      await dialect.cleanup();
    });

    async function ownerView(a: ArticleName) {
      const owner = OWNER[a];
      const doc = await get(world, owner, `/api/v1/documents/${seeded.documents[a]}`);
      const incidents = await Promise.all(
        seeded.incidents[a].map((id) => get(world, owner, `/api/v1/incidents/${id}`)),
      );
      return normaliseTimes(
        [doc, ...incidents].map((r) => ({ status: r.status, body: r.body })),
        since,
      );
    }
    async function mixedView() {
      const id = mixed.s1Clear?.incidents[0] as string;
      const r = await get(world, 'alphaAnalyst', `/api/v1/incidents/${id}`);
      return normaliseTimes({ status: r.status, body: r.body }, since);
    }

    /** What must reach no one not cleared: the article's ids, its title (`Report <marker>`) and its
     * marker word (unless `p` posted the text itself: then its own copy carries the word). */
    function forbidden(p: PrincipalName): string[] {
      const visibleIds = new Set(ARTICLE_NAMES.filter((a) => sees(p, a)).flatMap((a) => seeded.incidents[a]));
      const out = ARTICLE_NAMES.filter((a) => !sees(p, a)).flatMap((a) => [
        ...seeded.incidents[a].filter((id) => !visibleIds.has(id)),
        seeded.documents[a],
        `Report ${ARTICLES[a].marker}`,
        ...(writes(p) ? [] : [ARTICLES[a].marker]),
      ]);
      if (PRINCIPALS[p].org === 'gamma') {
        const s1 = article('s1Amber');
        out.push(mixed.s1Amber?.document as string, s1.title as string, s1.url as string, 'Dravenholt');
      }
      return out;
    }
    /** Hidden ids, words and metadata in a reply; those the request itself named may be echoed (a
     * 404 names the id asked for, whether it is hidden or missing). */
    function noLeak(p: PrincipalName, what: string, reply: Reply, found: string[], asked = ''): void {
      const hits = leaked(
        reply.text,
        forbidden(p).filter((secret) => !asked.includes(secret)),
      );
      if (hits.length > 0) found.push(`${p} ${what} (${reply.status}) carries ${hits.join(', ')}`);
    }

    it.each(PRINCIPAL_NAMES)(
      "%s: POST /documents of each article's exact text: viewers 403, others 201 stored as a new document",
      async (p) => {
        const wrong: string[] = [];
        for (const a of ARTICLE_NAMES) {
          const reply = await post(
            world,
            { name: a, poster: p, tlp: 'red', text: ARTICLES[a].text },
            { as: p, tlp: 'red', recipients: [] },
          );
          noLeak(p, `POST ${a}`, reply, wrong);
          if (!writes(p)) {
            if (reply.status !== 403) wrong.push(`${p} POST ${a}: ${reply.status}, not 403`);
            continue;
          }
          // alpha/ana posting alpha's RED article again for itself alone: the same holding or another.
          const ownRed = a === 'red' && p === 'alphaAnalyst';
          const ok =
            (reply.status === 201 && reply.body.status === 'stored') ||
            (ownRed && reply.status === 200 && reply.body.status === 'duplicate');
          if (!ok) wrong.push(`${p} POST ${a}: ${reply.status} ${reply.body.status}, not 201 stored`);
          else if (!ownRed && reply.body.document_id === seeded.documents[a])
            wrong.push(`${p} POST ${a}: the stored document's id ${reply.body.document_id}`);
        }
        expect(wrong).toEqual([]);
      },
    );

    it.each(PRINCIPAL_NAMES)(
      "%s: TAXII POST into every writable collection: viewers 403; objects naming others' incidents are taken as new",
      async (p) => {
        const wrong: string[] = [];
        for (const collection of WRITABLE) {
          const hidden = ARTICLE_NAMES.filter((a) => !sees(p, a));
          const targets = writes(p) ? hidden : ['clear' as ArticleName];
          for (const a of targets) {
            const objects = incidentObjects({
              incident: seeded.incidents[a][0] as string,
              document: seeded.documents[a],
              tlp: COLLECTION_TLP[collection],
            });
            const reply = await postObjects(world, p, collection, objects);
            const expected = writes(p) ? 202 : 403;
            if (reply.status !== expected)
              wrong.push(`${p} POST ${collection} (${a}): ${reply.status}, not ${expected}`);
            if (writes(p) && JSON.stringify(reply.body).includes('already known'))
              wrong.push(`${p} POST ${collection} (${a}): "already known" tells the incident exists`);
          }
        }
        expect(wrong).toEqual([]);
      },
    );

    it('merge and split of incidents with reports the analyst may not read, or another organisation holds under a non-public marking, are refused; the owner sees no change', async () => {
      const m1 = mixed.s1Clear?.incidents[0] as string;
      // Each article's document and incidents, and the mixed incident, as their owners read them now.
      const before = new Map<string, unknown>();
      for (const a of ARTICLE_NAMES) before.set(a, await ownerView(a));
      before.set('mixed', await mixedView());
      const attempts: [PrincipalName, string, Record<string, string>][] = [
        // M1 holds alpha's AMBER report, which gamma may not read.
        [
          'gammaAnalyst',
          `/api/v1/incidents/${m1}/merge`,
          { other: seeded.incidents.clear[0] as string, reason: 'r' },
        ],
        ['gammaAnalyst', `/api/v1/incidents/${seeded.incidents.clear[0]}/merge`, { other: m1, reason: 'r' }],
        [
          'gammaAnalyst',
          `/api/v1/incidents/${m1}/split`,
          { document: mixed.s1Clear?.document as string, reason: 'r' },
        ],
        // Hidden incidents outright.
        [
          'gammaAnalyst',
          `/api/v1/incidents/${seeded.incidents.clear[0]}/merge`,
          { other: seeded.incidents.red[0] as string, reason: 'r' },
        ],
        [
          'betaAnalyst',
          `/api/v1/incidents/${seeded.incidents.strict[0]}/merge`,
          { other: seeded.incidents.clear[0] as string, reason: 'r' },
        ],
        // Beta reads alpha's AMBER, but alpha holds it: beta may not rewrite alpha's incidents.
        [
          'betaAnalyst',
          `/api/v1/incidents/${seeded.incidents.amber[0]}/merge`,
          { other: seeded.incidents.clear[0] as string, reason: 'r' },
        ],
        [
          'betaAnalyst',
          `/api/v1/incidents/${m1}/merge`,
          { other: seeded.incidents.green[0] as string, reason: 'r' },
        ],
        [
          'betaAnalyst',
          `/api/v1/incidents/${m1}/split`,
          { document: mixed.s1Amber?.document as string, reason: 'r' },
        ],
        [
          'betaAnalyst',
          `/api/v1/incidents/${seeded.incidents.amber[0]}/split`,
          { document: seeded.documents.amber, reason: 'r' },
        ],
        // Viewers write nothing.
        [
          'betaViewer',
          `/api/v1/incidents/${m1}/split`,
          { document: mixed.s1Clear?.document as string, reason: 'r' },
        ],
      ];
      const wrong: string[] = [];
      for (const [p, path, body] of attempts) {
        const reply = await call(world.url, 'POST', path, world.keys[p], body);
        noLeak(p, `POST ${path}`, reply, wrong, `${path} ${JSON.stringify(body)}`);
        if (reply.status < 400 || reply.status >= 500)
          wrong.push(
            `${p} POST ${path} ${JSON.stringify(body)}: ${reply.status} ${reply.text.slice(0, 160)}`,
          );
      }
      for (const a of ['clear', 'green', 'amber', 'strict', 'red'] as const) {
        if (JSON.stringify(await ownerView(a)) !== JSON.stringify(before.get(a)))
          wrong.push(`${OWNER[a]} reads ${a}'s document or incidents differently after the attempts`);
      }
      if (JSON.stringify(await mixedView()) !== JSON.stringify(before.get('mixed')))
        wrong.push('alpha reads the mixed incident differently after the attempts');
      expect(wrong).toEqual([]);
    });

    it.each(PRINCIPAL_NAMES)(
      '%s: GET /incidents with q, group, since, until, sort and cursor carries nothing they are not cleared for',
      async (p) => {
        const found: string[] = [];
        const queries = [
          ...ARTICLE_NAMES.map((a) => `q=${ARTICLES[a].marker}`),
          'q=dravenholt',
          ...['taliban', 'al-shabaab', 'jnim', 'iskp', 'discovered:quorvash-brigade'].map(
            (g) => `group=${g}`,
          ),
          'since=2024-05-01',
          'until=2024-05-31',
          'since=2024-05-10&until=2024-05-12',
          ...['date', 'killed', 'wounded', 'country', 'group'].flatMap((s) =>
            ['asc', 'desc'].map((o) => `sort=${s}&order=${o}`),
          ),
        ];
        for (const q of queries) {
          const { replies } = await allItems(world, p, `/api/v1/incidents?${q}`, 'incidents', 2);
          for (const r of replies) noLeak(p, `GET /incidents?${q}`, r, found);
        }
        expect(found).toEqual([]);
      },
    );

    it.each(PRINCIPAL_NAMES)(
      '%s: after all the writes, no response anywhere carries an id, marker or title they are not cleared for',
      async (p) => {
        expect(leaksIn(await sweep(world, p), forbidden(p))).toEqual([]);
      },
    );

    it('after all the writes no document changed marking, and each is read by exactly those cleared for it', async () => {
      const wrong: string[] = [];
      for (const a of ARTICLE_NAMES) {
        const owner = await get<{ tlp: string }>(world, OWNER[a], `/api/v1/documents/${seeded.documents[a]}`);
        if (owner.body.tlp !== TLP[a])
          wrong.push(`${a}: ${OWNER[a]} reads it as ${owner.body.tlp}, not ${TLP[a]}`);
        for (const p of PRINCIPAL_NAMES) {
          const reply = await get(world, p, `/api/v1/documents/${seeded.documents[a]}`);
          if ((reply.status === 200) !== sees(p, a)) wrong.push(`${a}: ${p} gets ${reply.status}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  },
  90_000,
);
