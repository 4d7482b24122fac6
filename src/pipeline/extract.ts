import { loadGroups } from '../knowledge/groups.js';
import type { Incident } from '../resolve/index.js';
import { type ReadOptions, readSources } from '../sources/index.js';
import { incidentsOf } from './ingest.js';

/** What one input gives when extracted without storing. */
export type ExtractOutcome =
  | {
      readonly status: 'extracted';
      readonly origin: string;
      readonly documentId: string;
      readonly url: string | null;
      readonly incidents: readonly Incident[];
    }
  | { readonly status: 'error'; readonly origin: string; readonly reason: string };

/** Reads and extracts every input, storing nothing: how analysts check the extractor on their text. */
export async function* extractSources(
  inputs: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<ExtractOutcome> {
  const groups = new Map(loadGroups().map((g) => [g.id, g]));
  for await (const result of readSources(inputs, options)) {
    if (!result.ok) {
      yield { status: 'error', origin: result.input, reason: result.reason };
      continue;
    }
    const doc = result.document;
    yield {
      status: 'extracted',
      origin: doc.origin,
      documentId: doc.id,
      url: doc.url,
      incidents: incidentsOf(doc, groups),
    };
  }
}
