import type { Command } from 'commander';
import type { StoredReaction } from '../../store/index.js';
import { CliError } from '../errors.js';
import { markEvidence, NONE, renderTable, shortId } from '../format.js';
import { print, withStore } from '../io.js';
import { allIncidents, analysisKnowledge, countryOption } from './alerts.js';
import { databaseOf, withExamples } from './shared.js';

interface ReactionsOptions {
  readonly country?: string;
  readonly incident?: string;
  readonly rescan?: boolean;
  readonly json?: boolean;
}

export function registerReactions(program: Command): void {
  const command = program
    .command('reactions')
    .description(
      'States’ reactions read from the articles: who (a country, its capital, an office or a leader) condemned, expressed concern, blamed, threatened, sanctioned, offered condolences or help, aimed at whom, about which incident, with the sentence that says so',
    )
    .option('--country <CC>', 'only reactions by this country or aimed at it (ISO 3166-1 alpha-2)')
    .option('--incident <id>', 'only reactions to this incident (id or unique prefix)')
    .option(
      '--rescan',
      'read the reactions again from every stored article that reports an incident (for stores filled before reactions were read, or after the word lists changed)',
    )
    .option('--json', 'a JSON array of reactions with their evidence and source')
    .action((options: ReactionsOptions, self: Command) => reactionsCommand(options, self));
  withExamples(
    command,
    'vigil ingest ../shared/examples/moscow-concert-hall.txt --published 2024-03-25 && vigil reactions',
    'vigil reactions --country US --json',
  );
}

async function reactionsCommand(options: ReactionsOptions, command: Command): Promise<void> {
  const knowledge = await analysisKnowledge();
  const country = options.country === undefined ? undefined : countryOption(options.country, knowledge);
  const { listed, rescanned } = await withStore(databaseOf(command), async (store) => {
    const rescanned = options.rescan ? await rescan(store) : null;
    let incidents: string[] | undefined;
    if (options.incident !== undefined) {
      const incident = await store.getIncident(options.incident.trim());
      if (incident === null) throw new CliError('--incident', `no incident "${options.incident}"`);
      incidents = [incident.id];
    }
    const listed = await store.reactions.listReactions({
      ...(country === undefined ? {} : { country }),
      ...(incidents === undefined ? {} : { incidents }),
    });
    return { listed, rescanned };
  });
  if (options.json) {
    await print(JSON.stringify(listed, null, 2));
    return;
  }
  if (rescanned !== null) await print(`read again ${rescanned} document${rescanned === 1 ? '' : 's'}`);
  await print(reactionsTable(listed));
}

/** The table of `vigil reactions`, each reaction followed by its sentence with the words marked. */
export function reactionsTable(reactions: readonly StoredReaction[]): string {
  if (reactions.length === 0) return 'No reactions.';
  const rows = reactions.map((r) => [
    r.source.published?.slice(0, 10) ?? NONE,
    r.actor.country,
    r.kind,
    r.target ?? NONE,
    r.incident === null ? NONE : shortId(r.incident),
    r.actor.text,
  ]);
  const table = renderTable(
    [
      { header: 'published' },
      { header: 'state' },
      { header: 'reaction' },
      { header: 'aimed at' },
      { header: 'incident' },
      { header: 'as written' },
    ],
    rows,
  ).split('\n');
  const lines = table.slice(0, 2);
  reactions.forEach((r, n) => {
    lines.push(table[n + 2] ?? '');
    lines.push(
      `    ${markEvidence(r.evidence.sentence, r.evidence.text)} · document ${shortId(r.documentId)}${r.source.outlet ? ` (${r.source.outlet})` : ''}`,
    );
  });
  lines.push(`${reactions.length} reaction${reactions.length === 1 ? '' : 's'}`);
  return lines.join('\n');
}

/** Reads the reactions again from each stored article behind an incident (history entries aside). */
async function rescan(store: Parameters<Parameters<typeof withStore>[1]>[0]): Promise<number> {
  const [{ extractReactions }, { incidentsOf }, { knowledgeBase }] = await Promise.all([
    import('../../extract/index.js'),
    import('../../pipeline/ingest.js'),
    import('../../knowledge/groups.js'),
  ]);
  const groups = new Map(knowledgeBase().groups.map((g) => [g.id, g]));
  const documentIds = [...new Set((await allIncidents(store)).flatMap((i) => i.sources))].sort();
  let n = 0;
  for (const id of documentIds) {
    const doc = await store.getDocument(id);
    if (doc === null || doc.text === '' || doc.origin.startsWith('history:')) continue;
    // The drafts' ids are the reports' ids: the store finds the incident each joined.
    await store.reactions.saveReactions(doc.id, extractReactions(doc, incidentsOf(doc, groups)));
    n++;
  }
  return n;
}
