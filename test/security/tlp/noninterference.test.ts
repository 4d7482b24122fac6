import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, taxii } from '../../server/taxii-helpers.js';
import { testDialects } from '../../store/databases.js';
import { article, CORPUS, HIDDEN_WORDS } from './corpus.js';
import {
  allItems,
  allStix,
  allTaxii,
  firstDifference,
  get,
  type IncidentOut,
  mostRestrictive,
  normaliseTimes,
  type Posted,
  type PrincipalName,
  type Reply,
  seedArticles,
  sees,
  startWorld,
  type World,
} from './helpers.js';

/*
 * Non-interference, tested differentially: every value a caller receives must be computed only from
 * what that caller may see. Store "full" holds every article of the corpus, posted by its
 * organisation under its marking in a fixed order; store "only(P)" holds only the articles principal
 * P may see, posted the same way in the same order (document ids derive from text and holding, so
 * they are the same in both). For P, every read must give the same answer from both stores once
 * wall-clock timestamps are replaced by their rank. Any difference is something P learnt about an
 * article they are not cleared for.
 *
 * A third store, "twin", is built exactly as "full": it must answer exactly as "full" does (the
 * comparison itself is deterministic), and the scenarios are checked to be what they claim to be
 * (the reports really merge in "full", the hidden words are really searchable by their readers).
 */

const PS = ['gammaAnalyst', 'betaViewer', 'alphaViewer'] as const satisfies readonly PrincipalName[];
type P = (typeof PS)[number];
const SORTS = ['date', 'killed', 'wounded', 'country', 'group'] as const;

/** Filters of GET /incidents (and the map, the exports) that read the store's values. */
const FILTERS = [
  ...['SO', 'PK', 'NG', 'ML', 'BF', 'BE', 'KE', 'IQ'].map((c) => `country=${c}`),
  ...['al-shabaab', 'ttp', 'jnim', 'islamic-state'].map((g) => `group=${g}`),
  'since=2024-06-01',
  'until=2024-04-30',
  'since=2024-03-01&until=2024-03-31',
  'since=2024-03-04&until=2024-03-04',
  'since=2024-06-11&until=2024-06-12',
  ...['armed_assault', 'bombing_explosion', 'facility_infrastructure', 'unknown'].map(
    (t) => `attack_type=${t}`,
  ),
  ...['police', 'bus station', 'killed', 'market', 'officers', 'gunmen'].map(
    (q) => `q=${encodeURIComponent(q)}`,
  ),
  ...Object.values(HIDDEN_WORDS).map((w) => `q=${w.toLowerCase()}`),
  'q=dravenholt%20police',
  'q=afgooye',
  'q=shabaab',
  'q=taliban',
  'country=SO&sort=killed',
  'country=KE&sort=wounded&order=asc',
  'group=al-shabaab&sort=date&order=asc',
];

const DASHBOARD = [
  '/api/v1/overview',
  '/api/v1/map',
  '/api/v1/map?country=SO',
  '/api/v1/map?group=al-shabaab',
  ...['none', 'group', 'country'].flatMap((by) =>
    ['month', 'year'].map((interval) => `/api/v1/timeline?by=${by}&interval=${interval}`),
  ),
  '/api/v1/timeline?q=dravenholt',
  '/api/v1/export/incidents.csv',
  '/api/v1/export/incidents.geojson',
  '/api/v1/export/incidents.csv?group=al-shabaab',
  '/api/v1/export/incidents.geojson?country=KE',
  '/api/v1/alerts?limit=500',
  '/api/v1/alerts?group=al-shabaab',
  '/api/v1/alerts?country=SO',
  '/api/v1/threat',
  ...['al-shabaab', 'ttp', 'jnim', 'islamic-state'].map((g) => `/api/v1/groups/${g}/profile`),
  '/api/v1/brief?format=md',
  '/api/v1/brief?format=html',
  '/api/v1/brief?group=al-shabaab&format=md',
  '/api/v1/brief?country=SO&format=md',
  '/api/v1/brief?country=KE&format=md',
  '/api/v1/brief?country=BE&format=md',
  '/api/v1/graph',
  '/api/v1/graph?group=al-shabaab',
  '/api/v1/groups/discovered',
];

const COLLECTIONS = [
  'all',
  'tlp-clear',
  'tlp-green',
  'tlp-amber',
  'tlp-amber-strict',
  'tlp-red',
  'group-al-shabaab',
  'group-jnim',
  'group-islamic-state',
  'region-africa',
  'region-asia',
  'region-europe',
];

/** What a reply says: its status and its body (JSON, else text). */
const said = (r: Reply) => ({ status: r.status, body: r.body });

describe.each(testDialects())(
  'non-interference (full store vs cleared-only store) on $kind',
  (dialect) => {
    const since = Date.now() - 1000;
    let full: World;
    let twin: World;
    const only = {} as Record<P, World>;
    let posted: Record<string, Posted>;
    const postedOnly = {} as Record<P, Record<string, Posted>>;
    /** Document id (in "full") → the article it holds. */
    const articleOf = new Map<string, string>();

    beforeAll(async () => {
      [full, twin, only.gammaAnalyst, only.betaViewer, only.alphaViewer] = await Promise.all([
        startWorld(dialect),
        startWorld(dialect),
        startWorld(dialect),
        startWorld(dialect),
        startWorld(dialect),
      ]);
      const seeded = await Promise.all([
        seedArticles(full, CORPUS),
        seedArticles(twin, CORPUS),
        ...PS.map((p) =>
          seedArticles(
            only[p],
            CORPUS.filter((a) => sees(p, a)),
          ),
        ),
      ]);
      posted = seeded[0] as Record<string, Posted>;
      PS.forEach((p, n) => {
        postedOnly[p] = seeded[n + 2] as Record<string, Posted>;
      });
      for (const [name, p] of Object.entries(posted)) articleOf.set(p.document, name);
    }, 180_000);
    afterAll(async () => {
      await Promise.all([full, twin, ...Object.values(only)].map((w) => w?.close()));
      await dialect.cleanup();
    });

    /** Differences between what P reads from the full store and from their cleared-only store. */
    async function compare(
      p: P,
      reads: readonly (readonly [string, (w: World) => Promise<unknown>])[],
      other: World = only[p],
    ): Promise<string[]> {
      const out: string[] = [];
      for (const [label, read] of reads) {
        const [a, b] = await Promise.all([read(full), read(other)]);
        const d = firstDifference(normaliseTimes(a, since), normaliseTimes(b, since));
        if (d !== undefined)
          out.push(`${label}: at ${d.path} full store gives ${d.a}, cleared-only store ${d.b}`);
      }
      return out;
    }

    const list = (p: P, path: string, key: 'incidents' | 'documents' = 'incidents', limit = 2) =>
      [path, async (w: World) => (await allItems(w, p, path, key, limit)).items] as const;

    describe('preconditions: the scenarios are what they claim', () => {
      it('in the full store the attack pairs are one incident each (as alpha/ana, who reads both)', async () => {
        const incidents = (
          await allItems<IncidentOut>(full, 'alphaAnalyst', '/api/v1/incidents', 'incidents', 50)
        ).items;
        const holding = (...names: string[]) =>
          incidents.filter((i) => names.every((n) => i.sources.includes((posted[n] as Posted).document)));
        expect(holding('s1Clear', 's1Amber'), 'scenario 1: CLEAR and AMBER merged').toHaveLength(1);
        expect(
          holding('s2Clear', 's2Red'),
          'scenario 2: the RED copy tied to the CLEAR article',
        ).toHaveLength(1);
        expect(
          holding('s5X', 's5H', 's5Y'),
          'scenario 5: both CLEAR reports joined through the RED one',
        ).toHaveLength(1);
        const s1 = holding('s1Clear', 's1Amber')[0] as IncidentOut;
        expect(s1).toMatchObject({ country: 'SO', city: 'Afgooye' });
        expect((s1.killed as { value: number }).value).toBe(14);
      });

      it('without the hidden report the two CLEAR reports of scenario 5 are two incidents', async () => {
        const incidents = (
          await allItems<IncidentOut>(only.gammaAnalyst, 'gammaAnalyst', '/api/v1/incidents', 'incidents', 50)
        ).items;
        const x = postedOnly.gammaAnalyst.s5X as Posted;
        const y = postedOnly.gammaAnalyst.s5Y as Posted;
        const ofX = incidents.filter((i) => i.sources.includes(x.document));
        const ofY = incidents.filter((i) => i.sources.includes(y.document));
        expect(ofX).toHaveLength(1);
        expect(ofY).toHaveLength(1);
        expect(ofX[0]?.id).not.toBe(ofY[0]?.id);
      });

      it('each hidden word is found by a reader of its article, and only its article has it', async () => {
        for (const [name, word] of Object.entries(HIDDEN_WORDS)) {
          const a = article(name);
          const reply = await get<{ incidents: IncidentOut[] }>(
            full,
            a.poster,
            `/api/v1/incidents?q=${word}`,
          );
          expect(reply.status).toBe(200);
          expect(reply.body.incidents.length, `q=${word} as ${a.poster}`).toBeGreaterThan(0);
          for (const other of CORPUS)
            if (other.name !== name) expect(other.text.toLowerCase()).not.toContain(word.toLowerCase());
        }
      });

      it('the comparison is deterministic: a twin of the full store answers exactly as it', async () => {
        const p = 'gammaAnalyst';
        const diffs = await compare(
          p,
          [
            list(p, '/api/v1/incidents'),
            list(p, '/api/v1/incidents?sort=killed'),
            list(p, '/api/v1/documents', 'documents'),
            ['stix', async (w) => (await allStix(w, p)).objects],
            ['taxii all', async (w) => (await allTaxii(w, p, 'all')).objects],
            ...[
              '/api/v1/overview',
              '/api/v1/brief?format=md',
              '/api/v1/export/incidents.csv',
              '/api/v1/threat',
            ].map((path) => [path, async (w: World) => said(await get(w, p, path))] as const),
          ],
          twin,
        );
        expect(diffs).toEqual([]);
      });
    });

    it('gammaAnalyst: the replies to their own POST /documents are the same', () => {
      const diffs: string[] = [];
      for (const a of CORPUS.filter((x) => x.poster === 'gammaAnalyst')) {
        const d = firstDifference(
          normaliseTimes(said((posted[a.name] as Posted).reply), since),
          normaliseTimes(said((postedOnly.gammaAnalyst[a.name] as Posted).reply), since),
        );
        if (d !== undefined)
          diffs.push(`POST ${a.name}: at ${d.path} full store gives ${d.a}, cleared-only ${d.b}`);
      }
      expect(diffs).toEqual([]);
    });

    it.each(PS)('%s: GET /incidents in every sort and order, page by page, is the same', async (p) => {
      const paths = [
        '/api/v1/incidents',
        ...SORTS.flatMap((s) =>
          (['asc', 'desc'] as const).map((o) => `/api/v1/incidents?sort=${s}&order=${o}`),
        ),
      ];
      expect(
        await compare(
          p,
          paths.map((path) => list(p, path)),
        ),
      ).toEqual([]);
    });

    it.each(PS)(
      '%s: GET /incidents with each filter (country, group, dates, attack type, q) is the same',
      async (p) => {
        expect(
          await compare(
            p,
            FILTERS.map((f) => list(p, `/api/v1/incidents?${f}`)),
          ),
        ).toEqual([]);
      },
    );

    it.each(PS)(
      '%s: every incident by id, with its reports, is the same (hidden ones 404 alike)',
      async (p) => {
        const listed = await Promise.all(
          [full, only[p]].map(
            async (w) => (await allItems<IncidentOut>(w, p, '/api/v1/incidents', 'incidents', 50)).items,
          ),
        );
        const ids = new Set([
          ...listed.flat().map((i) => i.id),
          ...Object.values(posted).flatMap((x) => x.incidents),
        ]);
        const reads = [...ids]
          .sort()
          .flatMap((id) => [
            [
              `GET /incidents/${id}`,
              async (w: World) => said(await get(w, p, `/api/v1/incidents/${id}`)),
            ] as const,
            [
              `GET /incidents/${id}/reports`,
              async (w: World) => said(await get(w, p, `/api/v1/incidents/${id}/reports`)),
            ] as const,
          ]);
        expect(await compare(p, reads)).toEqual([]);
      },
    );

    it.each(PS)('%s: GET /documents (paged) and every document by id are the same', async (p) => {
      const docs = Object.values(posted).map((x) => x.document);
      expect(
        await compare(p, [
          list(p, '/api/v1/documents', 'documents'),
          ...docs.map(
            (id) =>
              [
                `GET /documents/${id}`,
                async (w: World) => said(await get(w, p, `/api/v1/documents/${id}`)),
              ] as const,
          ),
        ]),
      ).toEqual([]);
    });

    it.each(PS)('%s: GET /api/v1/stix (paged by X-Next-Cursor, filtered, sorted) is the same', async (p) => {
      const queries = [
        '',
        'sort=killed',
        'sort=group&order=asc',
        'country=SO',
        'q=dravenholt',
        'group=al-shabaab',
      ];
      expect(
        await compare(
          p,
          queries.map(
            (q) => [`GET /stix?${q}`, async (w: World) => (await allStix(w, p, q)).objects] as const,
          ),
        ),
      ).toEqual([]);
    });

    it.each(PS)(
      '%s: the dashboard (overview, map, timeline, exports, alerts, threat, profiles, briefs, graph) is the same',
      async (p) => {
        expect(
          await compare(
            p,
            DASHBOARD.map((path) => [path, async (w: World) => said(await get(w, p, path))] as const),
          ),
        ).toEqual([]);
      },
    );

    it.each(PS)(
      '%s: TAXII objects of all, tlp-*, group-* and region-* collections (paged) are the same',
      async (p) => {
        expect(
          await compare(p, [
            ...COLLECTIONS.map(
              (c) =>
                [`TAXII ${c} objects`, async (w: World) => (await allTaxii(w, p, c, 7)).objects] as const,
            ),
            [
              'TAXII all manifest',
              async (w: World) =>
                said(
                  await taxii(w.url, 'GET', `${ROOT}/collections/all/manifest/?limit=1000`, {
                    key: w.keys[p],
                  }),
                ),
            ],
          ]),
        ).toEqual([]);
      },
    );

    it.each(PS)(
      '%s: each incident is marked with the most restrictive marking of the documents it was built from',
      async (p) => {
        const incidents = (await allItems<IncidentOut>(full, p, '/api/v1/incidents', 'incidents', 50)).items;
        const wrong: string[] = [];
        for (const i of incidents) {
          const docs = [...new Set([...i.sources, ...i.evidence.map((e) => e.document_id)])];
          const levels = docs.map((d) => {
            const name = articleOf.get(d);
            return name === undefined ? 'unknown' : article(name).tlp;
          });
          if (levels.includes('unknown'))
            wrong.push(`${i.id}: cites a document no one posted (${docs.join(', ')})`);
          else if (i.tlp !== mostRestrictive(levels))
            wrong.push(
              `${i.id}: tlp ${i.tlp}, built from ${docs.map((d) => `${articleOf.get(d)} (${article(articleOf.get(d) as string).tlp})`).join(', ')}`,
            );
        }
        // Scenario 1 read by a principal cleared for both reports: CLEAR + AMBER is AMBER, never CLEAR.
        if (sees(p, article('s1Amber'))) {
          const s1 = incidents.find((i) => i.sources.includes((posted.s1Amber as Posted).document));
          expect(s1?.sources).toContain((posted.s1Clear as Posted).document);
          if (s1?.tlp !== 'amber') wrong.push(`scenario 1 incident ${s1?.id}: tlp ${s1?.tlp}, not amber`);
        }
        expect(wrong).toEqual([]);
      },
    );
  },
  90_000,
);
