/**
 * The perpetrator scorer (src/extract/fields/perpetrators.ts): for every candidate group name the
 * rules find in a coder summary, whether it is the group the coders named. Positives: candidates
 * whose name, bracketed short form or knowledge-base alias is the coders' group (compared as the
 * scorer compares them: letters only, bracket notes aside). Negatives: every other candidate, and
 * every candidate of a summary whose group the coders wrote as unknown. GTD 2011 and 1993 (train
 * parts) all; RAND (train part) only where it names a group: RAND leaves merely suspected groups
 * unknown, which GTD names, and GTD is what Vigil is judged on.
 *
 * News, so that the scorer is not taught by summaries alone (where nearly every capitalised name near
 * an attack is the doer): MUC-4 train stories (lower-case wire copy; positives are the names the keys
 * give as the perpetrator organisation, every other candidate is a negative, all of them in stories
 * with no incident or no organisation), and HRDsAttack news articles (train part) about attacks by
 * state actors or actors with permissions, where no name is an armed group that did it: every
 * candidate a negative.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CodedIncident, prepared } from '../../src/eval/incidents/index.js';
import { annotate } from '../../src/extract/annotate.js';
import { describeCandidates } from '../../src/extract/fields/perpetrators.js';
import { countriesNamed } from '../../src/extract/fields/places.js';
import { loadGroups } from '../../src/knowledge/groups.js';
import { type Example, type LinearModel, trainLogistic } from '../../src/learn/index.js';
import { sharedDir, trainRecords } from './data.js';

/** GTD is what Vigil is judged on and RAND has four times its named records: GTD's examples count
 * this many times. */
const GTD_COPIES = 3;

/** HRDsAttack perpetrator kinds that are never an armed group's name. */
const STATE_SIDE = /^(?:state actor|other state actors|other actors with permissions|regional orgs)$/i;

const UNKNOWN = /^(?:unknown|other|none|unaffiliated individual\(s\)|individual)$/i;

/** As src/eval/incidents/score.ts compares names: letters and digits only, bracket notes removed. */
const letters = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\([^)]*\)/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .toLowerCase();

function goldNames(perpetrator: string): Set<string> {
  const names = new Set([letters(perpetrator)]);
  for (const m of perpetrator.matchAll(/\(([^)]+)\)/g)) names.add(letters(m[1] as string));
  names.delete('');
  return names;
}

/** The examples in a fixed pseudo-random order (Fisher–Yates with a seeded generator). */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 0x9e3779b9;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export function trainPerpetrators(): LinearModel {
  const kb = new Map(loadGroups().map((g) => [g.id, [g.name, ...g.aliases]]));
  const examples: Example[] = [];
  const addText = (text: string, gold: ReadonlySet<string>, copies = 1) => {
    const sentences = annotate(text);
    const countries = countriesNamed(sentences);
    for (const s of sentences) {
      for (const d of describeCandidates(text, s, countries)) {
        const names = [d.written, ...(d.acronym ? [d.acronym] : []), ...(kb.get(d.candidate.groupId) ?? [])];
        const label = names.some((n) => gold.has(letters(n))) ? 1 : 0;
        for (let k = 0; k < copies; k++) examples.push({ features: d.features, label });
      }
    }
  };
  const add = (record: CodedIncident, text: string, copies = 1) => {
    const perpetrator = record.perpetrator?.trim() ?? '';
    addText(text, UNKNOWN.test(perpetrator) ? new Set<string>() : goldNames(perpetrator), copies);
  };
  for (const set of ['gtd-2011', 'gtd-1993'])
    for (const r of trainRecords(set)) if (r.perpetrator !== null) add(r, prepared(r).text, GTD_COPIES);
  for (const r of trainRecords('rand-rdwti'))
    if (r.perpetrator !== null && !UNKNOWN.test(r.perpetrator.trim())) add(r, r.text);
  const muc4 = readFileSync(join(sharedDir(), 'eval', 'muc4', 'train.jsonl'), 'utf8');
  for (const line of muc4.split('\n')) {
    if (line.trim() === '') continue;
    const doc = JSON.parse(line) as { doctext: string; templates: { PerpOrg?: [string, number][][] }[] };
    const gold = new Set(
      doc.templates.flatMap((t) => (t.PerpOrg ?? []).flatMap((entity) => entity.map(([m]) => letters(m)))),
    );
    addText(doc.doctext, gold);
  }
  for (const r of trainRecords('hrdsattack'))
    if (r.perpetrator !== null && STATE_SIDE.test(r.perpetrator.trim())) addText(r.text, new Set());
  // The learner takes examples in order: interleave the sets, so that none of them comes last.
  return trainLogistic(shuffled(examples), {
    name: 'perpetrators',
    trainedOn:
      'train parts of the shared coder-gold sets gtd-2011, gtd-1993 (all) and rand-rdwti (records naming a group): candidate group names labelled by the coders’ group; news: MUC-4 train stories (labelled by the keys’ perpetrator organisations) and hrdsattack articles (train part) on attacks by state actors (all negatives)',
    epochs: 10,
    minCount: 5,
  });
}
