import type { Command } from 'commander';
import type { GroupDecision, Store } from '../../store/index.js';
import { print, withStore } from '../io.js';
import { type DecisionOptions, decider, reasonOf } from './decisions.js';
import {
  databaseOf,
  knowledgeBaseLine,
  useKnowledgeBaseOf,
  withExamples,
  withKnowledgeBaseOption,
} from './shared.js';

/** The knowledge base (with `--kb` files) in the store first, so that merges can name any of its groups. */
async function withGroups<T>(command: Command, work: (store: Store) => Promise<T>): Promise<T> {
  const kb = await useKnowledgeBaseOf(command);
  return withStore(databaseOf(command), async (store) => {
    await store.syncKnowledgeBase(kb);
    return work(store);
  });
}

const decisionLine = (d: GroupDecision) =>
  `${d.decidedAt}  ${d.kind === 'merge' ? 'merged into' : 'promoted to'} ${d.intoGroupId} by ${d.by}: ${d.reason}` +
  (d.undoneAt ? `  (undone ${d.undoneAt} by ${d.undoneBy})` : '');

export function registerGroups(program: Command): void {
  const groups = program
    .command('groups')
    .description('List armed groups, and merge, promote or unmerge the ones Vigil discovered in the news')
    .option('--discovered', 'groups found in articles that the knowledge base does not know')
    .option('--json', 'as JSON');
  withKnowledgeBaseOption(groups).action((options: { discovered?: boolean; json?: boolean }, self: Command) =>
    withGroups(self, async (store) => {
      if (options.discovered) {
        const found = await store.listDiscoveredGroups();
        if (options.json) return print(JSON.stringify(found, null, 2));
        if (found.length === 0) return print('no discovered groups');
        for (const g of found) {
          const status = g.decision ? decisionLine(g.decision) : 'open: merge or promote it';
          await print(`${g.id}  "${g.names.join('", "')}"  ${g.incidents} incident(s)  ${status}`);
        }
        return;
      }
      const known = await store.listGroups();
      if (options.json) return print(JSON.stringify(known, null, 2));
      await print(knowledgeBaseLine(await store.knowledgeBaseStamp()));
      for (const g of known) await print(`${g.id}  ${g.name}  ${g.ideology}  ${g.home_countries.join(',')}`);
    }),
  );
  withExamples(groups, 'vigil groups', 'vigil groups --discovered');

  const merge = groups
    .command('merge')
    .description('Count a discovered group as a known one, from now on and for documents ingested later')
    .argument('<discovered>', 'discovered group id (discovered:…)')
    .argument('<group>', 'id of the group it is')
    .option('--reason <text>', 'why (required)')
    .option('--by <name>', 'who decides (default: $VIGIL_USER, else your login name)')
    .action((discovered: string, into: string, options: DecisionOptions, self: Command) =>
      withGroups(self, async (store) => {
        const d = await store.decideGroup({
          kind: 'merge',
          groupId: discovered,
          into,
          by: decider(options),
          reason: reasonOf(options),
        });
        await print(`${d.groupId} ${decisionLine(d)}`);
      }),
    );
  withExamples(
    merge,
    'vigil groups merge discovered:wilayat-khorasan iskp --reason "Wilayat Khorasan is ISKP\'s own name"',
  );

  const promote = groups
    .command('promote')
    .description('Make a discovered group a group of its own in this database')
    .argument('<discovered>', 'discovered group id (discovered:…)')
    .requiredOption('--name <name>', 'its canonical name')
    .option('--reason <text>', 'why (required)')
    .option('--by <name>', 'who decides (default: $VIGIL_USER, else your login name)')
    .action((discovered: string, options: DecisionOptions & { name: string }, self: Command) =>
      withGroups(self, async (store) => {
        const d = await store.decideGroup({
          kind: 'promote',
          groupId: discovered,
          name: options.name,
          by: decider(options),
          reason: reasonOf(options),
        });
        await print(`${d.groupId} ${decisionLine(d)}`);
      }),
    );
  withExamples(
    promote,
    'vigil groups promote discovered:dignity-brigade --name "Dignity Brigade" --reason "claimed three bombings"',
  );

  const unmerge = groups
    .command('unmerge')
    .description('Undo the merge or promotion of a discovered group')
    .argument('<discovered>', 'discovered group id (discovered:…)')
    .option('--by <name>', 'who undoes it (default: $VIGIL_USER, else your login name)')
    .action((discovered: string, options: DecisionOptions, self: Command) =>
      withGroups(self, async (store) => {
        const d = await store.undoGroupDecision(discovered, decider(options));
        await print(`${d.groupId} ${decisionLine(d)}`);
      }),
    );
  withExamples(unmerge, 'vigil groups unmerge discovered:wilayat-khorasan');

  const history = groups
    .command('history')
    .description('Every merge and promotion of a group, undone ones too')
    .argument('<group>', 'a discovered or known group id')
    .option('--json', 'as JSON')
    .action((id: string, options: { json?: boolean }, self: Command) =>
      withGroups(self, async (store) => {
        const decisions = await store.groupDecisionHistory(id);
        if (options.json) return print(JSON.stringify(decisions, null, 2));
        if (decisions.length === 0) return print(`no decisions about ${id}`);
        for (const d of decisions) await print(`${d.groupId} ${decisionLine(d)}`);
      }),
    );
  withExamples(history, 'vigil groups history iskp');
}
