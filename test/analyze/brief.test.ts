import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BriefDocument,
  type BriefInput,
  buildBrief,
  relationsGraph,
  renderHtml,
  renderMarkdown,
  type WorldMap,
  worldMap,
} from '../../src/analyze/index.js';
import { extractReactions } from '../../src/extract/index.js';
import { knowledgeBase } from '../../src/knowledge/groups.js';
import { incidentsOf, ingest } from '../../src/pipeline/ingest.js';
import type { Store } from '../../src/store/index.js';
import { testDialects } from '../store/databases.js';
import { FOUNDING, foundingDocument, history, knowledge } from './helpers.js';

// The founding article read after the compiled history: the United States' reaction is stored with
// its evidence, and a brief on ISKP carries the expansion alert for Russia, the threat level and
// why it rose, TJ → RU and the US reaction, each footnoted to the article.
const k = knowledge();
const past = history(k);
const require = createRequire(import.meta.url);
const world: WorldMap = worldMap(
  require('world-atlas/countries-110m.json'),
  new Map(
    (require('world-countries') as { cca2: string; ccn3: string }[])
      .filter((c) => c.ccn3)
      .map((c) => [c.ccn3, c.cca2]),
  ),
);
const GENERATED = '2024-04-01T00:00:00Z';

async function briefInput(store: Store): Promise<BriefInput> {
  const incidents = await store.listIncidents();
  const reactions = await store.reactions.listReactions();
  const documents = new Map<string, BriefDocument>();
  const ids = new Set([...incidents.flatMap((i) => i.sources), ...reactions.map((r) => r.documentId)]);
  for (const id of [...ids].sort()) {
    const d = await store.getDocument(id);
    if (d)
      documents.set(id, {
        id,
        title: d.title,
        outlet: d.outlet,
        url: d.url,
        published: d.published,
        origin: d.origin,
      });
  }
  return { incidents, knowledge: k, reactions, documents, world };
}

async function loadHistory(store: Store) {
  await store.syncKnowledgeBase(knowledgeBase());
  await store.saveImported(past.documents, past.incidents);
}

async function ingestFounding(store: Store) {
  for await (const o of ingest(store, [FOUNDING], { published: '2024-03-25' }))
    expect(o.status).toBe('stored');
}

for (const dialect of testDialects()) {
  describe(`reactions and briefs over a ${dialect.kind} store`, { timeout: 120_000 }, () => {
    afterAll(() => dialect.cleanup());

    it('stores the US concern reaction with its evidence and shows it in the graph', async () => {
      const store = await dialect.open(dialect.fresh());
      try {
        await loadHistory(store);
        await ingestFounding(store);
        const moscow = (await store.listIncidents()).find((i) => i.country === 'RU');
        const reactions = await store.reactions.listReactions();
        expect(reactions).toHaveLength(1);
        expect(reactions[0]).toMatchObject({
          kind: 'concern',
          actor: { country: 'US', text: 'the United States' },
          target: null,
          incident: moscow?.id,
          evidence: { text: 'the United States expressing deep concerns', documentId: foundingDocument().id },
          source: { origin: FOUNDING, published: '2024-03-25' },
        });
        expect(await store.reactions.listReactions({ country: 'us' })).toHaveLength(1);
        expect(await store.reactions.listReactions({ country: 'TJ' })).toHaveLength(0);
        expect(await store.reactions.reactionsOfIncident(moscow?.id ?? '')).toHaveLength(1);
        const graph = relationsGraph(await store.listIncidents(), k, 'iskp', reactions);
        expect(graph.edges).toContainEqual({
          source: 'country:US',
          target: 'country:RU',
          kind: 'reaction_concern',
          weight: 1,
          basis: 'reactions',
          incidents: [moscow?.id],
        });

        const brief = buildBrief(await briefInput(store), {
          subject: { kind: 'group', id: 'iskp' },
          generatedAt: GENERATED,
        });
        const md = renderMarkdown(brief).text;
        // One footnote per evidence span: the article's several spans are several notes.
        const founding = brief.footnotes
          .filter((f) => f.document.origin === FOUNDING)
          .map((f) => `[^${f.n}]`);
        expect(founding.length).toBeGreaterThan(0);
        const lines = md.split('\n');
        const cited = (needle: string) =>
          lines.find((l) => l.includes(needle) && founding.some((note) => l.includes(note)));
        expect(cited('First attack by Islamic State Khorasan Province in Russia')).toBeDefined();
        expect(cited('First attack by Islamic State Khorasan Province in Eastern Europe')).toBeDefined();
        expect(cited('rose from substantial to severe after incident')).toContain('lethality 209 → 348');
        expect(cited('TJ → RU (Tajikistan → Russia): attackers’ nationality')).toBeDefined();
        const us = lines.find((l) => l.includes('United States (US)') && l.includes('expressed concern'));
        const usNote = brief.footnotes.find((f) => f.text === 'the United States expressing deep concerns');
        expect(usNote?.document.origin).toBe(FOUNDING);
        expect(us).toContain(`[^${usNote?.n}]`);
        expect(md).toContain(`Islamic State Khorasan Province: SUBSTANTIAL`);
        expect(md).toMatch(/\| lethality \| 277 \| 18\.37 \|/);
        expect(lines).toContain(
          `[^${usNote?.n}]: published 2024-03-25, document ${foundingDocument().id.slice(0, 12)}, origin ${FOUNDING}. “Furthermore, the attack has prompted a reevaluation of the global threat level posed by ISKP, with countries like the United States expressing deep concerns over the group's capacity to carry out high-profile attacks outside of their traditional stronghold.” (evidence: “the United States expressing deep concerns”)`,
        );
        expect(brief.mapSvg).toContain('<svg');
        expect(brief.chartSvg).toContain('<svg');
      } finally {
        await store.close();
      }
    });

    it('gives byte-identical briefs for the same data, whatever order it arrived in', async () => {
      const a = await dialect.open(dialect.fresh());
      const b = await dialect.open(dialect.fresh());
      try {
        await loadHistory(a);
        await ingestFounding(a);
        await b.syncKnowledgeBase(knowledgeBase());
        await ingestFounding(b);
        await loadHistory(b);
        for (const subject of [
          { kind: 'group', id: 'iskp' },
          { kind: 'country', id: 'RU' },
          { kind: 'all' },
        ] as const) {
          const options = { subject, generatedAt: GENERATED, since: '2020-01-01' };
          const [ba, bb] = [
            buildBrief(await briefInput(a), options),
            buildBrief(await briefInput(b), options),
          ];
          expect(renderMarkdown(bb).text).toBe(renderMarkdown(ba).text);
          expect(renderHtml(bb)).toBe(renderHtml(ba));
          expect(renderMarkdown(ba, { baseName: 'x' }).files.map((f) => f.name)).toEqual([
            'x-chart.svg',
            'x-map.svg',
          ]);
        }
        const other = buildBrief(await briefInput(a), {
          subject: { kind: 'group', id: 'iskp' },
          generatedAt: 'later',
        });
        expect(renderHtml(other)).toContain('Generated later');
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}

describe('brief HTML', () => {
  it('escapes text planted in an article and has no script', () => {
    const doc = foundingDocument();
    const text = doc.text.replace(
      'outside of their traditional stronghold.',
      'outside of their traditional stronghold <script>alert("x")</script> <img src=x onerror=alert(1)>.',
    );
    const planted = {
      ...doc,
      id: 'planted',
      text,
      title: '<script>alert(2)</script>',
      outlet: 'Evil & Co',
      url: 'javascript:alert(3)',
    };
    const incidents = [...past.incidents, ...incidentsOf(planted, k.groups)];
    const reactions = extractReactions(
      planted,
      incidents.filter((i) => i.sources.includes('planted')),
    );
    expect(reactions.map((r) => r.evidence.sentence)).toEqual([expect.stringContaining('<script>')]);
    const documents = new Map<string, BriefDocument>([
      [
        'planted',
        {
          id: 'planted',
          title: planted.title,
          outlet: planted.outlet,
          url: planted.url,
          published: planted.published,
          origin: 'x',
        },
      ],
    ]);
    const brief = buildBrief(
      { incidents, knowledge: k, reactions, documents, world },
      { subject: { kind: 'group', id: 'iskp' }, generatedAt: GENERATED },
    );
    const html = renderHtml(brief);
    expect(html).not.toMatch(/<script|<img|javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Evil &amp; Co');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    const md = renderMarkdown(brief).text;
    expect(md).not.toMatch(/<script|<img|javascript:/i);
    expect(md).toContain('&lt;script&gt;');
  });
});
