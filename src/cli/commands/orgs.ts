import type { Command } from 'commander';
import type { MarkingLevel, Store } from '../../store/index.js';
import type { Holding } from '../../tlp/index.js';
import { CliError } from '../errors.js';
import { print, printJsonArray, withStore } from '../io.js';
import { databaseOf, withExamples } from './shared.js';

const TLP_CHOICES = 'clear, green, amber, amber+strict or red';
const LEVELS: readonly string[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

export function registerOrgs(program: Command): void {
  const orgs = program
    .command('orgs')
    .description('Manage the organisations that hold API keys and share TLP:AMBER with each other');
  withExamples(
    orgs
      .command('add')
      .description('Add an organisation')
      .argument('<name>', 'its name: letters, digits, . _ @ -')
      .action((name: string, _options: unknown, self: Command) =>
        withStore(databaseOf(self), async (store) => {
          await store.access.addOrg(name);
          await print(`added organisation ${name}`);
        }),
      ),
    'vigil orgs add acme',
  );
  withExamples(
    orgs
      .command('list')
      .description('List the organisations and whom each shares its TLP:AMBER with')
      .option('--json', 'a JSON array')
      .action((options: { json?: boolean }, self: Command) =>
        withStore(databaseOf(self), async (store) => {
          const list = await store.access.listOrgs();
          if (options.json) {
            await printJsonArray(
              list.map((o) => ({ name: o.name, created_at: o.createdAt, shares_with: o.sharesWith })),
            );
          } else if (list.length === 0) {
            await print('No organisations.');
          } else {
            for (const o of list)
              await print(
                `${o.name}${o.sharesWith.length > 0 ? ` (shares AMBER with ${o.sharesWith.join(', ')})` : ''}`,
              );
          }
        }),
      ),
    'vigil orgs list --json',
  );
  withExamples(
    orgs
      .command('share')
      .description("Let an organisation read another's TLP:AMBER (not AMBER+STRICT or RED)")
      .argument('<owner>', 'the organisation whose AMBER is shared')
      .argument('<with>', 'the organisation that may read it')
      .action((owner: string, withOrg: string, _options: unknown, self: Command) =>
        withStore(databaseOf(self), async (store) => {
          await store.access.shareOrg(owner, withOrg);
          await print(`${owner} shares its TLP:AMBER with ${withOrg}`);
        }),
      ),
    'vigil orgs share acme partner',
  );
  withExamples(
    orgs
      .command('unshare')
      .description('Stop sharing TLP:AMBER with an organisation')
      .argument('<owner>', 'the organisation whose AMBER was shared')
      .argument('<with>', 'the organisation that may no longer read it')
      .action((owner: string, withOrg: string, _options: unknown, self: Command) =>
        withStore(databaseOf(self), async (store) => {
          await store.access.unshareOrg(owner, withOrg);
          await print(`${owner} no longer shares its TLP:AMBER with ${withOrg}`);
        }),
      ),
    'vigil orgs unshare acme partner',
  );
  withExamples(orgs, 'vigil orgs add acme && vigil keys create --org acme --role analyst');
}

export interface MarkingCliOptions {
  readonly tlp?: string;
  readonly org?: string;
  readonly recipient?: string[];
}

/** `--tlp`, `--org` and `--recipient` of `vigil ingest`. */
export function addMarkingOptions(command: Command): Command {
  return command
    .option('--tlp <level>', `TLP 2.0 marking of the documents stored: ${TLP_CHOICES} (default clear)`)
    .option('--org <name>', 'the organisation that owns them (needed for amber and amber+strict)')
    .option('--recipient <user...>', 'TLP:RED only: users (org/name) who may read them');
}

/** The marking asked for, checked: null for the default (unmarked, that is CLEAR). */
export function markingOf(
  options: MarkingCliOptions,
): { tlp: MarkingLevel; org: string | null; recipients: string[] } | null {
  const tlp = (options.tlp ?? 'clear').trim().toLowerCase();
  if (!LEVELS.includes(tlp))
    throw new CliError('--tlp', `'${options.tlp}' is not a TLP 2.0 level (${TLP_CHOICES})`);
  const recipients = options.recipient ?? [];
  if ((tlp === 'amber' || tlp === 'amber+strict') && options.org === undefined)
    throw new CliError('--org', `--tlp ${tlp} needs the organisation that owns the documents`);
  if (tlp === 'red' && recipients.length === 0)
    throw new CliError('--recipient', '--tlp red needs the users (org/name) who may read the documents');
  if (tlp !== 'red' && recipients.length > 0) throw new CliError('--recipient', 'is for --tlp red only');
  if (tlp === 'clear' && options.org === undefined) return null;
  return { tlp: tlp as MarkingLevel, org: options.org ?? null, recipients };
}

/** The marking asked for as a holding, its organisation and recipients checked against the store. */
export async function checkedHolding(
  store: Store,
  marking: { tlp: MarkingLevel; org: string | null; recipients: string[] } | null,
): Promise<Holding | null> {
  if (marking === null) return null;
  if (marking.org !== null && !(await store.access.listOrgs()).some((o) => o.name === marking.org))
    throw new CliError('--org', `unknown organisation ${marking.org} (add it with \`vigil orgs add\`)`);
  const recipients = await store.access.resolveUsers(marking.recipients);
  return { tlp: marking.tlp, org: marking.org, recipients };
}
