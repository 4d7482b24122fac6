/**
 * The attack-type, target-type and weapon-type models (src/extract/fields/types-model.ts): for each
 * train record, the incident the scorer would score (highest toll), its features, and the coders'
 * category. One logistic model per field, each category scored with features conjoined with it
 * (one-vs-rest). GTD summaries (2011, 1993, the GTD half of the drone set) teach all three fields;
 * RAND's descriptions teach the weapon too.
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  attackCode,
  type CodedIncident,
  prepared,
  targetCode,
  weaponCode,
} from '../../src/eval/incidents/index.js';
import { groupMap, tollOrder } from '../../src/eval/incidents/score.js';
import { type AnnotatedSentence, annotate } from '../../src/extract/annotate.js';
import { type Cluster, findClusters } from '../../src/extract/clusters.js';
import { countriesNamed, findDateline } from '../../src/extract/fields/places.js';
import { typeCandidates, typeFeatures } from '../../src/extract/fields/types-model.js';
import {
  ATTACK_TYPES,
  extractIncidents,
  type IncidentDraft,
  TARGET_TYPES,
  WEAPON_TYPES,
} from '../../src/extract/index.js';
import { type Example, type LinearModel, trainLogistic } from '../../src/learn/index.js';
import { resolveDraft } from '../../src/resolve/index.js';
import { trainRecords } from './data.js';

export interface Row {
  readonly features: readonly string[];
  readonly attack: string | null;
  readonly target: string | null;
  readonly weapon: string | null;
  readonly gtd: boolean;
}

/** The clusters as extraction finds them (the country named most only places drafts: left out). */
function clustersOf(
  id: string,
  text: string,
  published: string | null,
): { clusters: Cluster[]; sentences: AnnotatedSentence[] } {
  const sentences = annotate(text);
  const countries = countriesNamed(sentences);
  const clusters = findClusters({
    documentId: id,
    text,
    published: published ? new Date(`${published}T12:00:00Z`) : null,
    sentences,
    countriesNamed: countries,
    mainCountry: null,
    dateline: findDateline(id, text, sentences, countries),
  });
  return { clusters, sentences };
}

function rowOf(record: CodedIncident, gtd: boolean, groups: ReturnType<typeof groupMap>): Row | null {
  const { text, published } = prepared(record);
  const id = `eval:${record.id}`;
  const drafts = extractIncidents({ id, text, published });
  // The draft the scorer scores: highest toll, the first among equals.
  let best: IncidentDraft | null = null;
  let bestToll = -1;
  for (const d of drafts) {
    const toll = tollOrder(resolveDraft(d, groups));
    if (toll > bestToll) [best, bestToll] = [d, toll];
  }
  if (!best) return null;
  const { clusters, sentences } = clustersOf(id, text, published);
  const cluster = clusters[best.ordinal];
  if (!cluster) return null;
  const features = typeFeatures(cluster.parts, typeCandidates(id, text, cluster.parts), sentences).map(
    (f) => f.name,
  );
  return {
    features,
    attack: gtd ? attackCode(record.eventType) : null,
    target: gtd ? targetCode(record.target) : null,
    weapon: weaponCode(record.weapon),
    gtd,
  };
}

let rows: Row[] | undefined;

/** Every train record's row, in file order; kept in $TYPES_ROWS (a JSON file) when set, to iterate fast. */
export function allRows(): Row[] {
  if (rows) return rows;
  const cache = process.env.TYPES_ROWS;
  if (cache && existsSync(cache)) {
    rows = JSON.parse(readFileSync(cache, 'utf8')) as Row[];
    return rows;
  }
  const groups = groupMap();
  const sets: [string, boolean, (r: CodedIncident) => boolean][] = [
    ['gtd-2011', true, () => true],
    ['gtd-1993', true, () => true],
    ['drone-gtd-acled', true, (r) => r.textKind.startsWith('GTD')],
    ['rand-rdwti', false, () => true],
  ];
  rows = [];
  for (const [set, gtd, keep] of sets)
    for (const r of trainRecords(set)) {
      if (!keep(r)) continue;
      const row = rowOf(r, gtd, groups);
      if (row) rows.push(row);
    }
  if (cache) writeFileSync(cache, JSON.stringify(rows));
  return rows;
}

/** Weights kept per model (about 40 bytes each in the JSON). $TYPES_MAX and $TYPES_OPTIONS override
 * them and the training options for cross-validation (scripts/train/types-cv.ts). */
const MAX_WEIGHTS = Number(process.env.TYPES_MAX ?? 7000);
const OPTIONS = JSON.parse(
  process.env.TYPES_OPTIONS ?? '{"epochs":16,"rate":0.05,"l2":1e-5,"minCount":3}',
) as {
  epochs: number;
  rate: number;
  l2: number;
  minCount: number;
};

/** The strongest weights only, so that the model stays small (< 300 KB). */
function pruned(model: LinearModel, max = MAX_WEIGHTS): LinearModel {
  const kept = Object.entries(model.weights)
    .filter(([f, w]) => f.endsWith('|bias') || Math.abs(w) >= 0.02)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1))
    .slice(0, max);
  return { ...model, weights: Object.fromEntries(kept) };
}

/** One logistic model per category (this one against the rest), joined into one model whose
 * features are conjoined with the category ("police|w:constable", "police|bias"). */
export function trainField(
  name: string,
  labels: readonly string[],
  pick: (r: Row) => string | null,
  trainedOn: string,
  train: readonly Row[] = allRows(),
): LinearModel {
  const labelled = train.filter((r) => pick(r) !== null);
  const weights: Record<string, number> = {};
  for (const label of labels) {
    const examples: Example[] = labelled.map((r) => ({
      features: r.features,
      label: pick(r) === label ? 1 : 0,
    }));
    const m = trainLogistic(examples, { name, trainedOn, ...OPTIONS });
    weights[`${label}|bias`] = m.bias;
    for (const [f, w] of Object.entries(m.weights)) weights[`${label}|${f}`] = w;
  }
  return pruned({ name, trainedOn, examples: labelled.length, bias: 0, weights });
}

const GTD = 'GTD summaries: gtd-2011, gtd-1993, drone-gtd-acled (GTD records), train parts';

export const attackTypeModel = () => trainField('attack-type', ATTACK_TYPES, (r) => r.attack, GTD);
export const targetTypeModel = () => trainField('target-type', TARGET_TYPES, (r) => r.target, GTD);
/** GTD's rows count three times: RAND's many descriptions would otherwise set GTD's weapon coding. */
export const weaponRows = (train: readonly Row[]) => train.flatMap((r) => (r.gtd ? [r, r, r] : [r]));
export const weaponTypeModel = () =>
  trainField(
    'weapon-type',
    WEAPON_TYPES,
    (r) => r.weapon,
    `${GTD}; rand-rdwti train part`,
    weaponRows(allRows()),
  );
