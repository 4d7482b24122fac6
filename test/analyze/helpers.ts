import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyFileSchema, historyRecords, type Knowledge, makeKnowledge } from '../../src/analyze/index.js';
import { knowledgeBase } from '../../src/knowledge/groups.js';
import { loadCountries } from '../../src/knowledge/places.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import type { Incident } from '../../src/resolve/index.js';
import { type Document, documentId } from '../../src/sources/index.js';

export const HISTORY = fileURLToPath(new URL('../../data/history/incidents.json', import.meta.url));
export const FOUNDING = fileURLToPath(
  new URL('../../../shared/examples/moscow-concert-hall.txt', import.meta.url),
);

export function knowledge(): Knowledge {
  return makeKnowledge(knowledgeBase().groups, loadCountries());
}

/** The bundled history as documents and incidents (what `vigil history load` stores). */
export function history(k: Knowledge = knowledge()) {
  const file = historyFileSchema.parse(JSON.parse(readFileSync(HISTORY, 'utf8')));
  return historyRecords(file, 'incidents.json', k);
}

export function foundingDocument(): Document {
  const text = readFileSync(FOUNDING, 'utf8');
  return {
    id: documentId(text),
    text,
    title: null,
    url: null,
    outlet: null,
    published: '2024-03-25',
    language: null,
    origin: FOUNDING,
  };
}

/** The founding article's incident, extracted and resolved as `vigil ingest` does. */
export function moscow(k: Knowledge = knowledge()): Incident {
  const [incident] = incidentsOf(foundingDocument(), k.groups);
  if (incident === undefined) throw new Error('the founding article gave no incident');
  return incident;
}

export const upTo = (incidents: readonly Incident[], date: string) =>
  incidents.filter((i) => i.date !== null && i.date.date <= date);
