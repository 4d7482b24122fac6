import type { Command } from 'commander';
import type { Store } from '../../store/index.js';
import { CliError } from '../errors.js';
import { print, withStore } from '../io.js';
import { type DecisionOptions, decider, reasonOf } from './decisions.js';
import { databaseOf, withExamples } from './shared.js';

async function incidentIdOf(store: Store, input: string): Promise<string> {
  const incident = await store.getIncident(input.trim());
  if (!incident) throw new CliError(input, 'no incident with this id or id prefix');
  return incident.id;
}

/** `vigil incidents merge` and `vigil incidents split`: an analyst's correction of incident
 * resolution, kept on every later ingest. */
export function registerIncidentDecisions(incidents: Command): void {
  const merge = incidents
    .command('merge')
    .description('Make two incidents one, whatever the match scores say, also after later ingests')
    .argument('<incident>', 'incident id or unique prefix')
    .argument('<other>', 'incident id or unique prefix')
    .option('--reason <text>', 'why (required)')
    .option('--by <name>', 'who decides (default: $VIGIL_USER, else your login name)')
    .action((a: string, b: string, options: DecisionOptions, self: Command) =>
      withStore(databaseOf(self), async (store) => {
        const decision = { by: decider(options), reason: reasonOf(options) };
        const merged = await store.mergeIncidents(
          await incidentIdOf(store, a),
          await incidentIdOf(store, b),
          decision,
        );
        await print(`merged into ${merged}`);
      }),
    );
  withExamples(merge, 'vigil incidents merge 071255d2 5be1c9a0 --reason "same attack, two districts named"');

  const split = incidents
    .command('split')
    .description("Take one source's report out of an incident, for good")
    .argument('<incident>', 'incident id or unique prefix')
    .argument('<document>', 'id of the source document whose report leaves (see `vigil incident <id>`)')
    .option('--reason <text>', 'why (required)')
    .option('--by <name>', 'who decides (default: $VIGIL_USER, else your login name)')
    .action((id: string, documentId: string, options: DecisionOptions, self: Command) =>
      withStore(databaseOf(self), async (store) => {
        const decision = { by: decider(options), reason: reasonOf(options) };
        const incident = await store.getIncident(id.trim());
        if (!incident) throw new CliError(id, 'no incident with this id or id prefix');
        const document = incident.sources.filter((s) => s.startsWith(documentId.trim()));
        if (document.length !== 1) {
          throw new CliError(
            documentId,
            `not one of the sources of ${incident.id}: ${incident.sources.join(', ')}`,
          );
        }
        const [rest, part] = await store.splitIncident(incident.id, document[0] as string, decision);
        await print(`split: ${rest} and ${part}`);
      }),
    );
  withExamples(
    split,
    'vigil incidents split 071255d2 9f3a --reason "this outlet reports the Kazan shooting"',
  );
}
