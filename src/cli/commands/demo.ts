import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { countOutcome, emptyTally, incidentsTable, outcomeLine, summaryLine } from '../format.js';
import { packagePath, print, withStore } from '../io.js';
import { createReporter } from '../progress.js';
import { databaseOf, useKnowledgeBaseOf, withExamples, withKnowledgeBaseOption } from './shared.js';

/** The sample articles shipped with the package. */
export const SAMPLES = 'samples/articles.jsonl';

/** The organisation and user of the key `vigil demo --serve` prints. */
export const DEMO_ORG = 'demo';
export const DEMO_USER = 'dashboard';

interface DemoOptions {
  readonly serve?: boolean;
  readonly port: string;
  readonly host: string;
}

export function registerDemo(program: Command): void {
  const command = program
    .command('demo')
    .description(
      'Ingest the bundled sample articles and print the incident table; with --serve, then serve the dashboard with a fresh admin key (what `npm start` runs)',
    )
    .option(
      '--serve',
      'then serve the dashboard and API, printing its URL and an admin key of organisation demo',
    )
    .option('--port <n>', 'with --serve: port to listen on (0 for any free port)', '8080')
    .option('--host <address>', 'with --serve: address to listen on', '127.0.0.1');
  withKnowledgeBaseOption(command).action((options: DemoOptions, self: Command) =>
    demoCommand(options, self),
  );
  withExamples(command, 'vigil demo', 'vigil demo --db /tmp/demo.db', 'vigil demo --serve --port 8080');
}

function portOf(value: string): number {
  const port = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535)
    throw new CliError('--port', `'${value}' is not a port (0–65535)`);
  return port;
}

async function demoCommand(options: DemoOptions, command: Command): Promise<void> {
  const port = portOf(options.port);
  const location = databaseOf(command);
  const samples = packagePath(SAMPLES);
  await useKnowledgeBaseOf(command);
  const { ingest } = await import('../../pipeline/ingest.js');
  const tally = emptyTally();
  await withStore(location, async (store) => {
    const reporter = createReporter(process.stderr.isTTY === true);
    try {
      for await (const outcome of ingest(store, [samples])) {
        countOutcome(tally, outcome);
        reporter.tick(outcome.origin);
        if (outcome.status === 'error') await reporter.err(outcomeLine(outcome));
      }
    } finally {
      reporter.stop();
    }
    if (tally.error > 0) {
      // The samples ship with Vigil: refusing one is Vigil's fault, not the user's.
      throw new CliError(samples, `${tally.error} bundled sample articles were refused`, EXIT.internal);
    }
    await print(`Sample articles ingested into ${store.location}: ${summaryLine(tally)}\n`);
    await print(incidentsTable(await store.listIncidents()));
    await print('\nShow one incident with its evidence: vigil incident <id>');
  });
  if (options.serve) await serveDemo(location, port, options.host);
}

/** Serves the demo database with a fresh admin key of organisation `demo` (the earlier demo keys are
 * revoked, so only the key printed last works); the key is printed once, with the URL. */
async function serveDemo(location: string, port: number, host: string): Promise<void> {
  const { openStore } = await import('../../store/index.js');
  const { runServer } = await import('./serve.js');
  const store = await openStore(location);
  let key: string;
  try {
    if (!(await store.access.listOrgs()).some((o) => o.name === DEMO_ORG))
      await store.access.addOrg(DEMO_ORG);
    for (const k of await store.access.listKeys(DEMO_ORG)) {
      if (k.userId === `${DEMO_ORG}/${DEMO_USER}` && k.revokedAt === null) await store.access.revokeKey(k.id);
    }
    key = (await store.access.createKey({ org: DEMO_ORG, role: 'admin', user: DEMO_USER })).key;
  } catch (error) {
    await store.close();
    throw error;
  }
  await runServer(store, {
    port,
    host,
    level: 'warn',
    onListening: async (url) => {
      await print(`\nDashboard: ${url}/`);
      await print(
        `API key (admin of organisation ${DEMO_ORG}; shown only now, replaced at the next start): ${key}`,
      );
      await print(`Signed in at once: ${url}/#key=${key}`);
      await print('Stop with Ctrl-C.');
    },
  });
}
