import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import type { Incident } from '../../src/resolve/index.js';
import { documentId } from '../../src/sources/index.js';

const groups = new Map(loadGroups().map((g) => [g.id, g]));

/** Incidents of a short text written for a test, published on the given day. */
export function incidentsIn(text: string, published = '2024-05-15'): Incident[] {
  return incidentsOf(
    {
      id: documentId(text),
      text,
      published,
      title: null,
      url: null,
      outlet: null,
      language: 'eng',
      origin: 'test',
    },
    groups,
  );
}
