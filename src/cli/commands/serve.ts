import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { parseBytes } from '../options.js';
import { databaseOf, withExamples } from './shared.js';

interface ServeOptions {
  readonly port: string;
  readonly host: string;
  readonly bodyLimit: string;
  readonly logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description(
      'Serve the REST API (incidents, documents, groups, ingest, STIX) with API keys and TLP access control',
    )
    .option('--port <n>', 'port to listen on (0 for any free port)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--body-limit <n>', 'largest request body (such as 1MB)', '1MB')
    .option(
      '--log-level <level>',
      `JSON log lines on stdout from this level: ${LOG_LEVELS.join(', ')}`,
      'info',
    )
    .action((options: ServeOptions, self: Command) => serveCommand(options, self));
  withExamples(
    command,
    'vigil serve --port 8080',
    'vigil keys create --org acme --role viewer && curl -H "Authorization: Bearer $KEY" localhost:8080/api/v1/incidents',
  );
}

async function serveCommand(options: ServeOptions, command: Command): Promise<void> {
  const port = /^\d+$/.test(options.port.trim()) ? Number(options.port.trim()) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535)
    throw new CliError('--port', `'${options.port}' is not a port (0–65535)`);
  const level = options.logLevel.trim().toLowerCase();
  if (!LOG_LEVELS.includes(level))
    throw new CliError('--log-level', `'${options.logLevel}' is not one of ${LOG_LEVELS.join(', ')}`);
  const bodyLimit = parseBytes('--body-limit', options.bodyLimit);
  const location = databaseOf(command);
  const { openStore } = await import('../../store/index.js');
  const { buildServer } = await import('../../server/app.js');
  const store = await openStore(location);
  const app = await buildServer({ store, bodyLimit, log: { level: level as 'info' } });
  try {
    await app.listen({ port, host: options.host });
  } catch (error) {
    await app.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError('serve', `cannot listen on ${options.host}:${port}: ${reason}`, EXIT.internal);
  }
  const address = app.server.address();
  const shown =
    typeof address === 'object' && address !== null ? `${options.host}:${address.port}` : options.host;
  process.stderr.write(`vigil: serving ${store.location} on http://${shown} (API /api/v1, docs /docs)\n`);
  // SIGTERM or SIGINT: stop accepting, finish the requests in flight, close the database, exit 0.
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      app.log.info({ signal }, 'signal received');
      app.close().then(
        () => resolve(),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          resolve();
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  process.stderr.write('vigil: stopped\n');
}
