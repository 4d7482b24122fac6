import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { StixObject } from '../../stix/index.js';
import { CliError } from '../errors.js';
import { print, withStore, write } from '../io.js';
import { parseBytes, parsePositiveInt } from '../options.js';
import { holdImported, parseImportTlp, TLP_CHOICES } from './import-markings.js';
import { parseTimeout } from './ingest.js';
import {
  databaseOf,
  useKnowledgeBaseOf as knowledgeBaseOfCommand,
  withExamples,
  withKnowledgeBaseOption,
} from './shared.js';

interface PullOptions {
  readonly apiKey?: string;
  readonly user?: string;
  readonly password?: string;
  readonly addedAfter?: string;
  readonly limit: string;
  readonly maxBytes: string;
  readonly timeout: string;
  readonly allowPrivate?: boolean;
  readonly json?: boolean;
  readonly tlp?: string;
  readonly org?: string;
}

const TAXII = 'application/taxii+json;version=2.1';
const MAX_PAGES = 100_000;

export function registerPull(program: Command): void {
  const command = program
    .command('pull')
    .description(
      "Import the incidents of another TAXII 2.1 server's collection, page by page, through the STIX import (pulling twice stores once)",
    )
    .argument(
      '<collection-url>',
      'the collection, such as https://taxii.example.org/taxii2/vigil/collections/<id>/',
    )
    .option('--api-key <key>', 'sent as Authorization: Bearer <key> (default: $VIGIL_TAXII_KEY)')
    .option('--user <name>', 'HTTP Basic user name (with --password)')
    .option('--password <password>', 'HTTP Basic password (default: $VIGIL_TAXII_PASSWORD)')
    .option('--added-after <timestamp>', 'only objects added after this time (such as 2024-05-01T00:00:00Z)')
    .option('--limit <n>', 'objects asked for per page', '1000')
    .option('--max-bytes <n>', 'largest page read (such as 10MB)', '100MB')
    .option('--timeout <duration>', 'time limit of each page fetched (such as 60s)', '60s')
    .option('--allow-private', 'also fetch from private, loopback and other non-public addresses')
    .option(
      '--tlp <level>',
      `marking of incidents that carry no TLP 2.0 marking (${TLP_CHOICES}; default amber); marked ones keep theirs`,
    )
    .option('--org <name>', 'organisation holding AMBER, AMBER+STRICT and RED incidents (default local)')
    .option('--json', 'one JSON object: what was stored, already known, the pages and the warnings');
  withKnowledgeBaseOption(command).action((url: string, options: PullOptions, self: Command) =>
    pullCommand(url, options, self),
  );
  withExamples(
    command,
    'vigil pull https://partner.example.org/taxii2/vigil/collections/all/ --api-key "$KEY"',
    'vigil pull https://cti.example.net/taxii2/api1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/ --user me --password "$PW" --added-after 2024-05-01T00:00:00Z',
  );
}

interface Envelope {
  readonly more?: unknown;
  readonly next?: unknown;
  readonly objects?: unknown;
}

async function pullCommand(collectionUrl: string, options: PullOptions, command: Command): Promise<void> {
  const base = objectsUrl(collectionUrl);
  const limit = parsePositiveInt('--limit', options.limit);
  const maxBytes = parseBytes('--max-bytes', options.maxBytes);
  const timeoutMs = parseTimeout('--timeout', options.timeout);
  const addedAfter = options.addedAfter?.trim();
  if (addedAfter !== undefined && Number.isNaN(Date.parse(addedAfter)))
    throw new CliError(
      '--added-after',
      `'${options.addedAfter}' is not a timestamp (such as 2024-05-01T00:00:00Z)`,
    );
  const headers = authorization(options);
  parseImportTlp(options.tlp);

  const kb = await knowledgeBaseOfCommand(command);
  const { createFetcher } = await import('../../sources/fetch.js');
  const { checkBundle, planImport } = await import('../../stix/index.js');
  const fetcher = createFetcher({ timeoutMs, policy: { allowPrivate: options.allowPrivate === true } });
  const stored: string[] = [];
  const known: string[] = [];
  const warnings: { object_id: string; path: string; message: string }[] = [];
  const done = new Set<string>();
  // Every object read so far: an incident may cite a report (or a threat actor) another page carried.
  const objects = new Map<string, StixObject>();
  let pages = 0;
  // The last incident read: its notes and relationships may be on the next page.
  let lastIncident: string | undefined;
  let count = 0;
  try {
    await withStore(databaseOf(command), async (store) => {
      await store.syncKnowledgeBase(kb);
      let next: string | undefined;
      for (;;) {
        if (pages >= MAX_PAGES) throw new CliError(base, `more than ${MAX_PAGES} pages`);
        const url = new URL(base);
        url.searchParams.set('limit', String(limit));
        if (addedAfter !== undefined) url.searchParams.set('added_after', addedAfter);
        if (next !== undefined) url.searchParams.set('next', next);
        const result = await fetcher.fetch(url.href, { maxBytes, accept: TAXII, headers });
        if (!result.ok) throw new CliError(url.href, result.reason);
        if (result.notModified) throw new CliError(url.href, 'the server answered 304 Not Modified');
        const type = result.contentType?.split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/taxii+json' && type !== 'application/json')
          throw new CliError(url.href, `not a TAXII response (${result.contentType ?? 'no content type'})`);
        let envelope: Envelope;
        try {
          envelope = JSON.parse(result.body.toString('utf8')) as Envelope;
        } catch (error) {
          throw new CliError(url.href, `not JSON: ${(error as Error).message}`);
        }
        const items = envelope.objects ?? [];
        if (typeof envelope !== 'object' || envelope === null || !Array.isArray(items))
          throw new CliError(url.href, 'not a TAXII envelope (no objects array)');
        pages += 1;
        count += items.length;
        // Each page is checked as it comes (tolerating what other platforms emit, as import stix does).
        const check = checkBundle(
          { type: 'bundle', id: `bundle--${randomUUID()}`, objects: items },
          { lenient: true },
        );
        if (check.bundle === null) {
          for (const e of check.errors)
            await write(process.stderr, `error ${e.objectId} ${e.path}: ${e.message}\n`);
          throw new CliError(
            url.href,
            `page ${pages} is not valid STIX 2.1 (${check.errors.length} problems); nothing more stored`,
          );
        }
        for (const o of check.bundle.objects) {
          const seen = objects.get(o.id);
          if (seen === undefined || String(o.modified ?? '') >= String(seen.modified ?? ''))
            objects.set(o.id, o);
          if (o.type === 'incident') lastIncident = o.id;
        }
        const more = envelope.more === true && typeof envelope.next === 'string' && envelope.next !== '';
        if (envelope.more === true && !more)
          warnings.push({
            object_id: 'envelope',
            path: '/next',
            message: 'more without next: stopped there',
          });
        // The last incident read waits for the next page (which may carry its notes) unless this is the last.
        const plan = planImport(
          { type: 'bundle', id: check.bundle.id, objects: [...objects.values()] },
          kb.groups,
        );
        const ready = plan.incidents.filter(
          (p) => !done.has(p.stixId) && (!more || p.stixId !== lastIncident),
        );
        if (ready.length > 0) {
          const held = await holdImported(store, ready, plan.documents, options);
          const saved = await store.saveImported(held.documents, held.incidents);
          stored.push(...saved.stored);
          known.push(...saved.known);
          for (const [n, p] of ready.entries()) {
            done.add(p.stixId);
            const id = held.incidents[n]?.id ?? p.incident.id;
            if (!options.json) {
              const verb = saved.stored.includes(id) ? 'stored' : 'already known';
              await print(`${verb} ${id} ${p.name}`);
            }
          }
        }
        if (!more) {
          for (const w of [...check.warnings, ...plan.warnings])
            warnings.push({ object_id: w.objectId, path: w.path, message: w.message });
          break;
        }
        next = envelope.next as string;
      }
    });
  } finally {
    await fetcher.close();
  }
  if (options.json) {
    await print(JSON.stringify({ stored, known, pages, objects: count, warnings }));
    return;
  }
  for (const w of warnings) await write(process.stderr, `warning ${w.object_id} ${w.path}: ${w.message}\n`);
  await print(
    `${stored.length} stored, ${known.length} already known (${pages} page${pages === 1 ? '' : 's'}, ${count} objects)`,
  );
}

/** The objects endpoint of a collection URL (given with or without `objects/`). */
function objectsUrl(collectionUrl: string): string {
  if (!URL.canParse(collectionUrl)) throw new CliError(collectionUrl, 'not a URL');
  const url = new URL(collectionUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(collectionUrl, `unsupported URL scheme ${url.protocol}`);
  if (url.search !== '') throw new CliError(collectionUrl, 'give the collection URL without a query');
  let path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  if (!path.endsWith('/objects/')) path = `${path}objects/`;
  url.pathname = path;
  return url.href;
}

function authorization(options: PullOptions): Record<string, string> {
  const key = options.apiKey ?? process.env.VIGIL_TAXII_KEY;
  const password = options.password ?? process.env.VIGIL_TAXII_PASSWORD;
  if (options.apiKey !== undefined && (options.user !== undefined || options.password !== undefined))
    throw new CliError('--api-key', 'give either --api-key or --user and --password, not both');
  if (options.user !== undefined) {
    if (password === undefined) throw new CliError('--user', 'needs --password (or $VIGIL_TAXII_PASSWORD)');
    return { authorization: `Basic ${Buffer.from(`${options.user}:${password}`).toString('base64')}` };
  }
  if (options.password !== undefined) throw new CliError('--password', 'needs --user');
  return key === undefined || key === '' ? {} : { authorization: `Bearer ${key}` };
}
