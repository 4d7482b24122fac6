import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { print, withStore, write } from '../io.js';
import { allIncidents, analysisKnowledge, resolveGroupOption } from './alerts.js';
import { databaseOf, withExamples } from './shared.js';

interface GraphOptions {
  readonly group?: string;
  readonly format?: string;
  readonly json?: boolean;
}

export function registerGraph(program: Command): void {
  const command = program
    .command('graph')
    .description(
      'The relations graph: group–group (offshoot, affiliate, faction, successor, rival), group–country (home, operates in, targets), media arms, country–country implications (attackers’ nationality → country attacked, group home → country attacked) and states’ reactions (reaction_<kind>)',
    )
    .option('--group <group>', 'only the edges touching this group (id, name or alias)')
    .option('--format <format>', 'json or graphml', 'json')
    .option('--json', 'same as --format json')
    .action((options: GraphOptions, self: Command) => graphCommand(options, self));
  withExamples(command, 'vigil graph --group ISKP', 'vigil graph --format graphml > vigil.graphml');
}

async function graphCommand(options: GraphOptions, command: Command): Promise<void> {
  const format = options.json ? 'json' : (options.format ?? 'json');
  if (format !== 'json' && format !== 'graphml')
    throw new CliError('--format', `unknown format "${format}" (json or graphml)`);
  const { relationsGraph, toGraphml } = await import('../../analyze/index.js');
  const knowledge = await analysisKnowledge();
  const graph = await withStore(databaseOf(command), async (store) => {
    const incidents = await allIncidents(store);
    const focus =
      options.group === undefined ? undefined : resolveGroupOption(options.group, knowledge, incidents);
    return relationsGraph(incidents, knowledge, focus, await store.reactions.listReactions());
  });
  if (format === 'graphml') await write(process.stdout, toGraphml(graph));
  else await print(JSON.stringify(graph, null, 2));
}
