import type { Command } from 'commander';
import type { ApiKeyInfo, Role } from '../../store/index.js';
import { CliError } from '../errors.js';
import { print, printJsonArray, withStore } from '../io.js';
import { databaseOf, withExamples } from './shared.js';

const ROLES: readonly string[] = ['viewer', 'analyst', 'admin'];

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Create, list and revoke the API keys of `vigil serve`');
  withExamples(
    keys
      .command('create')
      .description('Create an API key and print it once: only its SHA-256 is stored')
      .requiredOption('--org <name>', 'the organisation of the key')
      .requiredOption(
        '--role <role>',
        'viewer (read), analyst (read, ingest, group decisions) or admin (all)',
      )
      .option('--user <name>', 'the user of the key (created if new): needed to receive TLP:RED')
      .option('--json', 'print {"id", "key", "org", "user", "role"}')
      .action((options: { org: string; role: string; user?: string; json?: boolean }, self: Command) => {
        const role = options.role.trim().toLowerCase();
        if (!ROLES.includes(role))
          throw new CliError('--role', `'${options.role}' is not viewer, analyst or admin`);
        return withStore(databaseOf(self), async (store) => {
          const created = await store.access.createKey({
            org: options.org,
            role: role as Role,
            user: options.user,
          });
          if (options.json) {
            await print(JSON.stringify({ ...keyJson(created), key: created.key }));
          } else {
            await print(created.key);
            process.stderr.write(
              `vigil: key ${created.id} for ${created.userId ?? created.org} (${created.role}); it is shown only now\n`,
            );
          }
        });
      }),
    'vigil keys create --org acme --role analyst --user ana',
  );
  withExamples(
    keys
      .command('list')
      .description('List API keys (never the keys themselves): id, organisation, user, role, state')
      .option('--org <name>', 'only the keys of this organisation')
      .option('--json', 'a JSON array')
      .action((options: { org?: string; json?: boolean }, self: Command) =>
        withStore(databaseOf(self), async (store) => {
          const list = await store.access.listKeys(options.org);
          if (options.json) await printJsonArray(list.map(keyJson));
          else if (list.length === 0) await print('No keys.');
          else
            for (const k of list)
              await print(
                `${k.id}  ${k.org}  ${k.userId ?? '-'}  ${k.role}  ${k.revokedAt ? `revoked ${k.revokedAt}` : `created ${k.createdAt}`}`,
              );
        }),
      ),
    'vigil keys list --org acme',
  );
  withExamples(
    keys
      .command('revoke')
      .description('Revoke an API key: it is refused from now on')
      .argument('<id>', 'the key id shown by `vigil keys list`')
      .action((id: string, _options: unknown, self: Command) =>
        withStore(databaseOf(self), async (store) => {
          const k = await store.access.revokeKey(id);
          await print(`revoked key ${k.id} (${k.userId ?? k.org}, ${k.role})`);
        }),
      ),
    'vigil keys revoke 3f9c2a1b7d4e6f08',
  );
  withExamples(keys, 'vigil keys create --org acme --role viewer', 'vigil keys list');
}

function keyJson(k: ApiKeyInfo) {
  return {
    id: k.id,
    org: k.org,
    user: k.userId,
    role: k.role,
    created_at: k.createdAt,
    revoked_at: k.revokedAt,
  };
}
