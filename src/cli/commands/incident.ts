import type { Command } from 'commander';
import { incidentJson } from '../../resolve/incident-json.js';
import { CliError } from '../errors.js';
import { incidentDetail, reactionsText, reportsText } from '../format.js';
import { print, withStore } from '../io.js';
import { databaseOf, withExamples } from './shared.js';

const MIN_PREFIX = 4;

export function registerIncident(program: Command): void {
  const command = program
    .command('incident')
    .description('Show one incident: every field with its value and the evidence for it')
    .argument('<id>', `incident id, or a unique prefix of at least ${MIN_PREFIX} characters`)
    .option('--json', 'the incident as JSON instead of text')
    .action((id: string, options: { json?: boolean }, self: Command) => incidentCommand(id, options, self));
  withExamples(command, 'vigil incident 071255d2', 'vigil incident 071255d2 --json');
}

async function incidentCommand(input: string, options: { json?: boolean }, command: Command): Promise<void> {
  const id = input.trim();
  if (id === '') throw new CliError('incident id', 'must not be empty');
  await withStore(databaseOf(command), async (store) => {
    const incident = await store.getIncident(id);
    if (incident === null) {
      const hint = id.length < MIN_PREFIX ? ` (a prefix needs at least ${MIN_PREFIX} characters)` : '';
      throw new CliError(input, `no incident with this id or id prefix${hint}`);
    }
    const reports = await store.incidentReports(incident.id);
    if (options.json) {
      const history = reports.map((r) => ({
        document: r.documentId,
        published: r.published,
        outlet: r.outlet,
        url: r.url,
        copy_of: r.copyOf,
        killed: r.incident.killed,
        wounded: r.incident.wounded,
        score: r.score,
        reasons: r.reasons,
      }));
      await print(JSON.stringify({ ...incidentJson(incident), reports: history }, null, 2));
      return;
    }
    // The documents' text tells which occurrence in a sentence is the evidence.
    const documents = new Map<string, string>();
    for (const documentId of new Set(incident.evidence.map((e) => e.documentId))) {
      const doc = await store.getDocument(documentId);
      if (doc !== null) documents.set(documentId, doc.text);
    }
    const reactions = await store.reactions.reactionsOfIncident(incident.id);
    await print(incidentDetail(incident, documents) + reportsText(reports) + reactionsText(reactions));
  });
}
