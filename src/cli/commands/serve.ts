import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { LevelWithSilent } from 'pino';
import { publicBaseUrl } from '../../server/public-url.js';
import type { Store } from '../../store/index.js';
import { CliError, EXIT } from '../errors.js';
import { packagePath } from '../io.js';
import { parseBytes } from '../options.js';
import { databaseOf, withExamples } from './shared.js';

interface ServeOptions {
  readonly port: string;
  readonly host: string;
  readonly bodyLimit: string;
  readonly logLevel: string;
  readonly publicUrl?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description(
      'Serve the web dashboard and the REST API (incidents, documents, groups, ingest, STIX) with API keys and TLP access control',
    )
    .option('--port <n>', 'port to listen on (0 for any free port)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--body-limit <n>', 'largest request body (such as 1MB)', '1MB')
    .option(
      '--public-url <url>',
      'where clients reach the server (such as https://vigil.example.org), for the URLs TAXII discovery gives; default the address it listens on',
    )
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
  const publicUrl = options.publicUrl === undefined ? undefined : checkedPublicUrl(options.publicUrl);
  const { openStore } = await import('../../store/index.js');
  const store = await openStore(databaseOf(command));
  await runServer(store, { port, host: options.host, bodyLimit, level: level as LevelWithSilent, publicUrl });
}

function checkedPublicUrl(value: string): string {
  try {
    return publicBaseUrl(value);
  } catch (error) {
    throw new CliError('--public-url', (error as Error).message);
  }
}

export interface RunServerOptions {
  readonly port: number;
  readonly host: string;
  readonly bodyLimit?: number;
  readonly level?: LevelWithSilent;
  /** Where clients reach the server, for TAXII discovery (ServerOptions.publicUrl). */
  readonly publicUrl?: string;
  /** Called once listening, with the base URL (`http://127.0.0.1:8080`), before the banner. */
  readonly onListening?: (url: string) => Promise<void> | void;
}

/** Serves the API and the web dashboard over a store until SIGTERM or SIGINT (`vigil serve`, and
 * `vigil demo --serve`); the store is closed with the server. */
export async function runServer(store: Store, options: RunServerOptions): Promise<void> {
  const { buildServer } = await import('../../server/app.js');
  const webRoot = packagePath('dist/web');
  const app = await buildServer({
    store,
    webRoot,
    warm: true,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    publicUrl: options.publicUrl,
    log: { level: options.level ?? 'info' },
  });
  const { port, host } = options;
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError('serve', `cannot listen on ${host}:${port}: ${reason}`, EXIT.internal);
  }
  const address = app.server.address();
  const shown = typeof address === 'object' && address !== null ? `${host}:${address.port}` : host;
  const web = existsSync(join(webRoot, 'index.html'))
    ? 'dashboard /, '
    : 'no dashboard: `npm run build:web` builds it; ';
  await options.onListening?.(`http://${shown}`);
  process.stderr.write(
    `vigil: serving ${store.location} on http://${shown} (${web}API /api/v1, docs /docs)\n`,
  );
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
