import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { attributedGroups } from '../../src/analyze/common.js';
import { storedThreat, updateAnalysis } from '../../src/analyze/incremental.js';
import { type Alert, computeThreat, replayAlerts, type ThreatResult } from '../../src/analyze/index.js';
import { replaySubject, stepOf } from '../../src/analyze/threat.js';
import { knowledgeBase } from '../../src/knowledge/groups.js';
import { storeDocument } from '../../src/pipeline/ingest.js';
import type { Incident } from '../../src/resolve/index.js';
import { type Document, documentId } from '../../src/sources/index.js';
import type { Store } from '../../src/store/index.js';
import { testDialects } from '../store/databases.js';
import { history, knowledge } from './helpers.js';

/* Incremental analysis gives exactly what a full recomputation gives. The corpus: the compiled
 * history (data/history, one short document per attack) and the resolution corpus
 * (test/fixtures/resolution: many reports per attack, tolls that rise, groups named in later reports,
 * wire copies), ingested one document at a time, each stored document updating the alerts and levels
 * of the groups and countries it touched. At checkpoints and at the end, what the store holds is
 * compared with alerts and levels recomputed from every stored incident; then the same corpus in the
 * reverse order must give the same (only when alerts were first raised differs: that is when the data
 * that raised them arrived). */

const k = knowledge();
const kb = knowledgeBase();
const groups = new Map(kb.groups.map((g) => [g.id, g]));

interface FixtureArticle {
  readonly id: string;
  readonly text: string;
  readonly title: string;
  readonly url: string;
  readonly source: string;
  readonly published: string;
}

function corpus(): Document[] {
  const fixture = readFileSync(new URL('../fixtures/resolution/articles.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as FixtureArticle)
    .map(
      (a): Document => ({
        id: documentId(a.text),
        text: a.text,
        title: a.title,
        url: a.url,
        outlet: a.source,
        published: a.published,
        language: 'eng',
        origin: `resolution#${a.id}`,
      }),
    );
  return [...history(k).documents, ...fixture];
}

/** What the analysis reads of an incident (sources as a set). */
function analysed(i: Incident): string {
  return JSON.stringify({
    date: i.date?.date ?? null,
    country: i.country,
    city: i.city,
    killed: i.killed,
    wounded: i.wounded,
    groups: attributedGroups(i).map((g) => g.groupId),
    attribution: i.perpetratorGroups.map((g) => g.attribution),
    sources: [...i.sources].sort(),
  });
}

/** Alerts as plain data, their sources and evidence as sets. */
function normalise(alerts: readonly Alert[]): unknown {
  return JSON.parse(
    JSON.stringify(
      alerts.map((a) => ({
        ...a,
        sources: [...a.sources].sort(),
        evidence: a.evidence.map((e) => JSON.stringify(e)).sort(),
      })),
    ),
  );
}

/** Stored alerts and levels next to the same recomputed from every stored incident. */
async function compare(store: Store) {
  const incidents = await store.listIncidents();
  const full = replayAlerts(incidents, k);
  const stored = (await store.analysis.listAlerts<Alert>()).map((s) => s.alert);
  const byId = (a: Alert, b: Alert) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  expect(JSON.parse(JSON.stringify([...stored].sort(byId)))).toEqual(
    JSON.parse(JSON.stringify([...full].sort(byId))),
  );
  const threat = await storedThreat(store.analysis, k);
  expect(JSON.parse(JSON.stringify(threat))).toEqual(JSON.parse(JSON.stringify(computeThreat(incidents, k))));
  return { alerts: full.length, changes: threat.changes.length, incidents: incidents.length };
}

describe('one subject replayed from a step', () => {
  it('gives the tail of its full replay, alerts and changes alike', () => {
    const incidents = history(k).incidents;
    const steps = incidents.map(stepOf).sort();
    for (const subject of [
      { kind: 'group', id: 'iskp' },
      { kind: 'country', id: 'AF' },
      { kind: 'group', id: 'boko-haram' },
    ] as const) {
      const full = replaySubject(subject, incidents, k);
      const fullAlerts =
        subject.kind === 'group' ? replayAlerts(incidents, k, {}, { group: subject.id }) : [];
      expect(full.changes.length).toBeGreaterThan(2);
      for (const from of [steps[0] as string, steps[20] as string, steps[40] as string, '9999']) {
        const part = replaySubject(subject, incidents, k, {}, from);
        expect(part.changes).toEqual(full.changes.slice(part.skipped));
        expect(part.changes.every((c) => c.step >= from)).toBe(true);
        expect(full.changes.slice(0, part.skipped).every((c) => c.step < from)).toBe(true);
        expect(part.state).toEqual(full.state);
        if (subject.kind === 'group')
          expect(replayAlerts(incidents, k, {}, { group: subject.id, from })).toEqual(
            fullAlerts.filter((a) => `${a.date} ${a.incident}` >= from),
          );
      }
    }
  });
});

const dialects = testDialects();
afterAll(() => Promise.all(dialects.map((d) => d.cleanup())));

for (const dialect of dialects) {
  describe(`incremental analysis on ${dialect.kind}`, { timeout: 300_000 }, () => {
    const results: {
      alerts: Alert[];
      raisedAt: Map<string, string>;
      threat: ThreatResult;
      incidents: Map<string, string>;
    }[] = [];

    for (const [name, order] of [
      ['in the order written', (docs: Document[]) => docs],
      ['in reverse', (docs: Document[]) => [...docs].reverse()],
    ] as const) {
      it(`ingested one document at a time ${name}, equals a full recomputation`, async () => {
        const store = await dialect.open(dialect.fresh());
        try {
          await store.syncKnowledgeBase(kb);
          const docs = order(corpus());
          let stored = 0;
          for (const [n, doc] of docs.entries()) {
            const outcome = await storeDocument(store, doc, groups);
            if (outcome.status === 'stored') stored++;
            expect(await store.analysis.pending()).toBe(0);
            if (n % 60 === 59) await compare(store);
          }
          expect(stored).toBeGreaterThan(150);
          const counts = await compare(store);
          // Reports were merged: incidents with several sources, fewer incidents than reports.
          const incidents = await store.listIncidents();
          expect(incidents.filter((i) => i.sources.length > 1).length).toBeGreaterThan(10);
          expect(counts.alerts).toBeGreaterThan(50);
          expect(counts.changes).toBeGreaterThan(100);
          const listed = await store.analysis.listAlerts<Alert>();
          results.push({
            alerts: listed.map((s) => s.alert).sort((a, b) => (a.id < b.id ? -1 : 1)),
            raisedAt: new Map(listed.map((s) => [s.alert.id, s.raisedAt])),
            threat: await storedThreat(store.analysis, k),
            incidents: new Map(incidents.map((i) => [i.id, analysed(i)])),
          });
        } finally {
          await store.close();
        }
      });
    }

    it('gives the same alerts and levels whatever the order, for the same incidents', () => {
      const [a, b] = results;
      expect(a && b).toBeTruthy();
      if (!a || !b) return;
      // Resolution gives the same incidents in both orders (an exact copy published earlier re-dates
      // the stored one). A source's place in an incident's list, and so in an alert's, is the order
      // it arrived in: compared as sets.
      expect([...b.incidents]).toEqual([...a.incidents]);
      expect(normalise(b.alerts)).toEqual(normalise(a.alerts));
      expect(a.alerts.length).toBeGreaterThan(50);
      const levels = (t: ThreatResult) =>
        JSON.parse(JSON.stringify({ groups: t.groups, countries: t.countries, changes: t.changes }));
      expect(levels(b.threat)).toEqual(levels(a.threat));
      // When an alert was first raised is when the data that raised it was stored: the order decides.
      for (const alert of a.alerts) {
        expect(a.raisedAt.get(alert.id)).toBeTruthy();
        expect(b.raisedAt.get(alert.id)).toBeTruthy();
      }
    });

    it('follows every write path: an import, an analyst’s decision about a group, a rebuild', async () => {
      const store = await dialect.open(dialect.fresh());
      try {
        await store.syncKnowledgeBase(kb);
        const past = history(k);
        // Not through ingest: the store notes what was written, the next update takes it up.
        await store.saveImported(past.documents.slice(0, 30), past.incidents.slice(0, 30));
        expect(await store.analysis.pending()).toBeGreaterThan(0);
        const first = await updateAnalysis(store.analysis, k);
        expect(first.rebuilt).toBe(true);
        await store.saveImported(past.documents.slice(30), past.incidents.slice(30));
        const next = await updateAnalysis(store.analysis, k);
        expect(next).toMatchObject({ rebuilt: false, incidents: past.incidents.length - 30 });
        expect(next.subjects).toBeGreaterThan(0);
        await compare(store);

        // A group the extractor found, then merged by an analyst into ISKP: its incidents count as
        // ISKP's from then on, so ISKP's alerts and levels change.
        const text =
          'Gunmen of the Wilayat Hind Brigade attacked a police post in Jalalabad, Afghanistan on 12 May 2024, killing 14 policemen. The Wilayat Hind Brigade claimed responsibility.';
        const doc: Document = {
          id: documentId(text),
          text,
          title: null,
          url: null,
          outlet: null,
          published: '2024-05-13',
          language: 'eng',
          origin: 'test',
        };
        await storeDocument(store, doc, groups);
        await compare(store);
        const discovered = (await store.listDiscoveredGroups())[0];
        expect(discovered).toBeDefined();
        if (discovered !== undefined) {
          await store.decideGroup({
            kind: 'merge',
            groupId: discovered.id,
            into: 'iskp',
            by: 'analyst',
            reason: 'the same group',
          });
          expect(await store.analysis.pending()).toBeGreaterThan(0);
          await updateAnalysis(store.analysis, k);
          await compare(store);
          const iskp = (await store.listIncidents({ group: 'iskp' })).length;
          const threat = await storedThreat(store.analysis, k, 'none');
          expect(threat.groups.find((g) => g.subject.id === 'iskp')?.incidents).toBe(iskp);
        }
        const { rebuildAnalysis } = await import('../../src/analyze/incremental.js');
        const before = await store.analysis.listAlerts();
        const rebuilt = await rebuildAnalysis(store.analysis, k);
        expect(rebuilt).toMatchObject({ rebuilt: true, raised: [], withdrawn: [] });
        expect((await store.analysis.listAlerts()).map((s) => s.raisedAt)).toEqual(
          before.map((s) => s.raisedAt),
        );
        await compare(store);
      } finally {
        await store.close();
      }
    });
  });
}
