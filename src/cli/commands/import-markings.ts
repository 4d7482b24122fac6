import type { Incident } from '../../resolve/index.js';
import type { Document } from '../../sources/index.js';
import { heldImportId, renamed } from '../../stix/index.js';
import type { MarkingLevel, Store } from '../../store/index.js';
import { type Holding, holdingKey, sameHolding } from '../../tlp/index.js';
import { CliError } from '../errors.js';

/* What imported incidents (`vigil import stix`, `vigil pull`) are held under. An incident is held
 * at the level the import gives it (the strictest marking of it and of all it comes with: see
 * src/stix/import-markings.ts); one that nothing marks is held under `--tlp`, else TLP:AMBER:
 * whoever shared it unmarked did not say it may go further. CLEAR leaves the documents unmarked (what the CLI stores is CLEAR); GREEN is a holding
 * of the local CLI; AMBER, AMBER+STRICT and RED are held by `--org` (default `local`, created on
 * first use), and RED has no recipients: only the CLI, never an API key, reads it. The markings are
 * recorded before the documents, so that these are never readable unmarked. */

export const TLP_CHOICES = 'clear, green, amber, amber+strict, red';
const LEVELS: readonly MarkingLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
export const DEFAULT_IMPORT_TLP: MarkingLevel = 'amber';
export const DEFAULT_IMPORT_ORG = 'local';

export interface ImportMarkingOptions {
  readonly tlp?: string;
  readonly org?: string;
}

export function parseImportTlp(value: string | undefined): MarkingLevel | undefined {
  if (value === undefined) return undefined;
  const level = value.trim().toLowerCase();
  if (!(LEVELS as readonly string[]).includes(level))
    throw new CliError('--tlp', `'${value}' is not a TLP 2.0 level (${TLP_CHOICES})`);
  return level as MarkingLevel;
}

/** Imported incidents held as the options say, each with the documents it cites: their markings
 * recorded first (so that they are never readable unmarked), and their ids those the bundle gives
 * unless the store holds that id otherwise, in which case the import is a copy of its own under ids
 * scoped by its holding (src/stix/held.ts): an import never re-marks, extends or attaches to what is
 * held another way. Returns what to store, and each incident's level by its id as stored. */
export async function holdImported(
  store: Store,
  incidents: readonly { readonly tlp: MarkingLevel | null; readonly incident: Incident }[],
  documents: readonly Document[],
  options: ImportMarkingOptions,
): Promise<{ documents: Document[]; incidents: Incident[]; levels: Map<string, MarkingLevel> }> {
  const fallback = parseImportTlp(options.tlp) ?? DEFAULT_IMPORT_TLP;
  const org = options.org ?? DEFAULT_IMPORT_ORG;
  let orgReady = false;
  const given = new Map(documents.map((d) => [d.id, d]));
  const out = {
    documents: new Map<string, Document>(),
    incidents: [] as Incident[],
    levels: new Map<string, MarkingLevel>(),
  };
  for (const { tlp, incident } of incidents) {
    const level = tlp ?? fallback;
    const owner = level === 'clear' || level === 'green' ? null : org;
    if (owner !== null && !orgReady) {
      const known = (await store.access.listOrgs()).some((o) => o.name === owner);
      if (!known) {
        if (options.org !== undefined)
          throw new CliError(
            '--org',
            `unknown organisation ${owner} (add it with \`vigil orgs add ${owner}\`)`,
          );
        await store.access.addOrg(owner);
      }
      orgReady = true;
    }
    // CLEAR is no holding at all: documents unmarked, as the CLI stores them.
    const holding: Holding | null = level === 'clear' ? null : { tlp: level, org: owner, recipients: [] };
    const key = holding === null ? 'clear||' : holdingKey(holding);
    const heldHere = async (id: string) => {
      const marks = (await store.access.markingsOf([id])).get(id) ?? [];
      if (marks.length > 0)
        return holding !== null && marks.length === 1 && sameHolding(marks[0] as Holding, holding);
      return holding === null || (await store.getDocument(id)) === null;
    };
    const cited = [...new Set([...incident.sources, ...incident.evidence.map((e) => e.documentId)])];
    const kept = new Set<string>();
    for (const id of cited) if (await heldHere(id)) kept.add(id);
    const sameCopy = kept.size === cited.length;
    // An incident stored under this id is this import's own only if it cites nothing held otherwise.
    let keepIncident = sameCopy;
    for (const d of keepIncident ? await store.citedDocuments(incident.id) : [])
      if (!kept.has(d) && !(await heldHere(d))) keepIncident = false;
    const held = renamed(incident, given, {
      incident: (i) => (keepIncident ? i : heldImportId(key, i, 'incident')),
      document: (d) => (sameCopy ? d : heldImportId(key, d, 'document')),
    });
    if (holding !== null)
      for (const id of new Set([
        ...held.incident.sources,
        ...held.incident.evidence.map((e) => e.documentId),
      ]))
        await store.access.addMarking(id, holding);
    for (const d of held.documents) out.documents.set(d.id, d);
    out.incidents.push(held.incident);
    out.levels.set(held.incident.id, level);
  }
  return { documents: [...out.documents.values()], incidents: out.incidents, levels: out.levels };
}
