/**
 * The place scorer (src/extract/fields/incident-place.ts): which candidate town of a coder summary
 * is the incident's. Examples: every candidate of place-candidates.ts in the train parts of GTD 2011,
 * GTD 1993 and RAND; positive when its name (as written, or the gazetteer's) is the coders' city.
 */
import { createHash } from 'node:crypto';
import { prepared, sameCity } from '../../src/eval/incidents/index.js';
import { annotate } from '../../src/extract/annotate.js';
import { documentCandidates, PLACES_MODEL } from '../../src/extract/fields/incident-place.js';
import { type Example, type LinearModel, trainLogistic } from '../../src/learn/index.js';
import { trainRecords } from './data.js';

/** RAND has ten times GTD's records: a fixed share keeps the summaries' styles balanced. */
const RAND_SHARE = 0.4;
const share = (id: string) => createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32;

export function placeExamples(sets: readonly string[]): Example[] {
  const examples: Example[] = [];
  for (const set of sets) {
    for (const r of trainRecords(set)) {
      if (!r.city || /^unknown$/i.test(r.city.trim())) continue;
      if (set === 'rand-rdwti' && share(r.id) >= RAND_SHARE) continue;
      const { text } = prepared(r);
      const gold = r.city;
      const { candidates } = documentCandidates(text, annotate(text));
      for (const c of candidates) {
        const label = sameCity(gold, c.name) || (c.city !== null && sameCity(gold, c.city.name)) ? 1 : 0;
        examples.push({ features: c.features, label });
      }
    }
  }
  return examples;
}

export function trainPlaces(): LinearModel {
  return trainLogistic(placeExamples(['gtd-2011', 'gtd-1993', 'rand-rdwti']), {
    name: PLACES_MODEL,
    trainedOn:
      'candidate towns of coder summaries in the train parts of GTD 2011, GTD 1993 and RAND (a fixed 40% share): positive when the coders name that city',
    minCount: 5,
  });
}
