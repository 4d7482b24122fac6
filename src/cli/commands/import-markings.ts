import type { MarkingLevel, Store } from '../../store/index.js';
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

/** Records the markings of incidents about to be imported; returns each one's level by incident id. */
export async function holdImported(
  store: Store,
  incidents: readonly {
    readonly tlp: MarkingLevel | null;
    readonly incident: {
      readonly id: string;
      readonly sources: readonly string[];
      readonly evidence: readonly { readonly documentId: string }[];
    };
  }[],
  options: ImportMarkingOptions,
): Promise<Map<string, MarkingLevel>> {
  const fallback = parseImportTlp(options.tlp) ?? DEFAULT_IMPORT_TLP;
  const org = options.org ?? DEFAULT_IMPORT_ORG;
  let orgReady = false;
  const levels = new Map<string, MarkingLevel>();
  for (const { tlp, incident } of incidents) {
    const level = tlp ?? fallback;
    levels.set(incident.id, level);
    if (level === 'clear') continue;
    const owner = level === 'green' ? null : org;
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
    for (const documentId of new Set([...incident.sources, ...incident.evidence.map((e) => e.documentId)])) {
      await store.access.addMarking(documentId, { tlp: level, org: owner, recipients: [] });
    }
  }
  return levels;
}
