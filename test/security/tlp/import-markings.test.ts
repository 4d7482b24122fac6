import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGroups } from '../../../src/knowledge/groups.js';
import { blankIncident, type Incident } from '../../../src/resolve/incident.js';
import { checkObject, exportBundle } from '../../../src/stix/index.js';
import { ARTICLES, PUBLISHED } from '../../server/fixtures.js';
import { testDialects } from '../../store/databases.js';
import {
  type Article,
  freshDocumentId,
  freshIncidentId,
  get,
  type IncidentOut,
  leaksIn,
  normaliseTimes,
  postObjects,
  type StixLike,
  seedArticles,
  startWorld,
  sweep,
  TLP_MARKING,
  type World,
} from './helpers.js';

/*
 * Markings of imports never go down. A STIX bundle in which a report marked AMBER lists AMBER
 * incidents and also an incident marked GREEN (exactly what Vigil's own export makes of one document
 * that reports incidents of two markings) is imported by alpha's analyst over TAXII POST into `all`.
 * Today each incident's documents are held under that incident's marking, so the GREEN incident puts
 * a GREEN marking on the AMBER report's document: the report's title and text, and every AMBER
 * incident citing it, become readable by everyone. After the import gamma (who reads GREEN, not
 * alpha's AMBER) must see none of those incidents, nor the report's title or text.
 */

const WORD = 'Zephyrine';
const TITLE = `Alpha field report: ${WORD} depot raids`;
const TEXT = `Field notes on the ${WORD} fuel depot raids near Herat, compiled from liaison reporting.`;
const STAMP = '2024-05-20T10:00:00.000Z';

/** Vigil's own export of three incidents reported by one document: two AMBER, one GREEN. */
function vigilBundle(): { objects: StixLike[]; incidents: string[]; document: string } {
  const document = freshDocumentId();
  const ids = [freshIncidentId(), freshIncidentId(), freshIncidentId()];
  const incident = (id: string, n: number): Incident => ({
    ...blankIncident(id, [document]),
    date: { date: `2024-05-1${n}`, precision: 'day' },
    country: 'AF',
    attackTypes: ['bombing_explosion'],
  });
  const green = ids[2] as string;
  const bundle = exportBundle({
    incidents: ids.map(incident),
    documents: [
      {
        id: document,
        title: TITLE,
        url: null,
        outlet: null,
        published: '2024-05-19',
        language: 'en',
        text: TEXT,
      },
    ],
    groups: loadGroups(),
    tlp: (i) => (i.id === green ? 'green' : 'amber'),
  });
  return { objects: bundle.objects as unknown as StixLike[], incidents: ids, document };
}

/** Another platform's bundle: a report marked AMBER listing three incidents, the third marked GREEN. */
function foreignBundle(): StixLike[] {
  const incident = (n: number, tlp: 'amber' | 'green'): StixLike => ({
    type: 'incident',
    spec_version: '2.1',
    id: `incident--${randomUUID()}`,
    created: STAMP,
    modified: STAMP,
    name: `${WORD} depot raid ${n}`,
    description: `Raid ${n} on a ${WORD} fuel depot near Herat.`,
    object_marking_refs: [TLP_MARKING[tlp]],
  });
  const incidents = [incident(1, 'amber'), incident(2, 'amber'), incident(3, 'green')];
  const report: StixLike = {
    type: 'report',
    spec_version: '2.1',
    id: `report--${randomUUID()}`,
    created: STAMP,
    modified: STAMP,
    name: TITLE,
    description: TEXT,
    published: STAMP,
    report_types: ['threat-report'],
    object_refs: incidents.map((i) => i.id),
    object_marking_refs: [TLP_MARKING.amber],
  };
  return [...incidents, report];
}

const SEED: readonly Article[] = [
  { name: 'clear', poster: 'alphaAnalyst', tlp: 'clear', published: PUBLISHED, text: ARTICLES.clear.text },
  { name: 'green', poster: 'alphaAnalyst', tlp: 'green', published: PUBLISHED, text: ARTICLES.green.text },
];

describe.each(testDialects())(
  'markings of imports never go down on $kind',
  (dialect) => {
    const since = Date.now() - 1000;
    let world: World;

    beforeAll(async () => {
      world = await startWorld(dialect);
      await seedArticles(world, SEED);
    }, 60_000);
    afterAll(async () => {
      await world?.close();
      await dialect.cleanup();
    });

    const list = async (p: 'gammaAnalyst' | 'alphaAnalyst') =>
      (await get<{ incidents: IncidentOut[] }>(world, p, '/api/v1/incidents?limit=500')).body.incidents;

    it.each([
      ['Vigil', true],
      ['another platform', false],
    ] as const)(
      "%s's bundle: an AMBER report listing AMBER incidents and a GREEN one shows gamma nothing of it",
      async (_who, vigil) => {
        const built = vigil ? vigilBundle() : { objects: foreignBundle(), incidents: [], document: '' };
        for (const o of built.objects) expect(checkObject(o), `${o.id} is valid STIX 2.1`).toEqual([]);
        const gammaBefore = await list('gammaAnalyst');
        const alphaBefore = await list('alphaAnalyst');
        const reply = await postObjects(world, 'alphaAnalyst', 'all', built.objects);
        expect(reply.status, reply.text.slice(0, 300)).toBe(202);
        expect(reply.body.failure_count, reply.text.slice(0, 500)).toBe(0);
        // The import worked: alpha reads three incidents more.
        expect((await list('alphaAnalyst')).length).toBe(alphaBefore.length + 3);
        // Gamma reads nothing new, and nothing of the report anywhere.
        expect(normaliseTimes(await list('gammaAnalyst'), since), 'gamma reads new incidents').toEqual(
          normaliseTimes(gammaBefore, since),
        );
        const secrets = [WORD, TITLE, TEXT, ...built.incidents, ...(built.document ? [built.document] : [])];
        expect(leaksIn(await sweep(world, 'gammaAnalyst'), secrets)).toEqual([]);
      },
    );
  },
  90_000,
);
