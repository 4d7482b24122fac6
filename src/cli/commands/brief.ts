import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import type { BriefDocument, BriefSubject } from '../../analyze/index.js';
import { loadWorldOutlines } from '../../knowledge/world.js';
import { CliError } from '../errors.js';
import { print, withStore, write } from '../io.js';
import { allIncidents, analysisKnowledge, countryOption, resolveGroupOption } from './alerts.js';
import { databaseOf, withExamples } from './shared.js';

interface BriefCliOptions {
  readonly group?: string;
  readonly country?: string;
  readonly since?: string;
  readonly format: string;
  readonly out?: string;
  readonly period: string;
  readonly generatedAt?: string;
  readonly images?: string;
}

const FORMATS = ['md', 'html', 'pdf'] as const;
/** Browsers that can print HTML to PDF headless; the first found is used (or $VIGIL_CHROMIUM). */
const CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function registerBrief(program: Command): void {
  const command = program
    .command('brief')
    .description(
      'A situation report: key numbers by period, alerts, threat level and its reasons, international implications and states’ reactions, a map and a chart, every statement footnoted to its sources',
    )
    .option('--group <group>', 'about this group (id, name or alias)')
    .option('--country <CC>', 'about this country (ISO 3166-1 alpha-2)')
    .option('--since <date>', 'only incidents on or after this date (YYYY-MM-DD); the threat level uses all')
    .option(
      '--format <format>',
      'md, html (one self-contained file) or pdf (printed by a headless Chromium)',
      'md',
    )
    .option('--out <file>', 'write here (md: the map and chart as SVG files next to it); default stdout')
    .option('--period <period>', 'key numbers by year or month', 'year')
    .option(
      '--images <how>',
      'md only: "files" (next to --out, the default with --out) or "inline" (data URIs, the default on stdout)',
    )
    .option('--generated-at <time>', 'the generated-at line (default: now); fix it for byte-identical briefs')
    .action((options: BriefCliOptions, self: Command) => briefCommand(options, self));
  withExamples(
    command,
    'vigil brief --group ISKP --out iskp.md',
    'vigil brief --country RU --since 2024-01-01 --format html --out ru.html',
    'vigil brief --group ISKP --format pdf --out iskp.pdf',
  );
}

async function briefCommand(options: BriefCliOptions, command: Command): Promise<void> {
  if (options.group !== undefined && options.country !== undefined)
    throw new CliError('--group', 'give --group or --country, not both');
  if (options.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.since))
    throw new CliError('--since', `not a date (YYYY-MM-DD): "${options.since}"`);
  const format = options.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format))
    throw new CliError('--format', `unknown format "${options.format}" (md, html or pdf)`);
  if (options.period !== 'year' && options.period !== 'month')
    throw new CliError('--period', `"${options.period}" is not year or month`);
  if (options.images !== undefined && options.images !== 'files' && options.images !== 'inline')
    throw new CliError('--images', `"${options.images}" is not files or inline`);
  if (options.images === 'files' && options.out === undefined)
    throw new CliError('--images', 'files needs --out (the SVG files go next to it)');
  const chromium = format === 'pdf' ? findChromium() : null;
  if (format === 'pdf') {
    if (options.out === undefined) throw new CliError('--out', 'a PDF needs a file to write');
    if (chromium === null)
      throw new CliError(
        '--format',
        'pdf needs a headless Chromium (none at /usr/bin/chromium; set $VIGIL_CHROMIUM); use --format html and print it',
      );
  }
  const generatedAt = options.generatedAt ?? new Date().toISOString();

  const analyze = await import('../../analyze/index.js');
  const knowledge = await analysisKnowledge();
  const outlines = loadWorldOutlines();
  const world = analyze.worldMap(outlines.topology, outlines.alpha2ByNumeric);
  const brief = await withStore(databaseOf(command), async (store) => {
    const incidents = await allIncidents(store);
    const subject: BriefSubject =
      options.group !== undefined
        ? { kind: 'group', id: resolveGroupOption(options.group, knowledge, incidents) }
        : options.country !== undefined
          ? { kind: 'country', id: countryOption(options.country, knowledge) }
          : { kind: 'all' };
    const reactions = await store.reactions.listReactions();
    // The documents footnotes may cite: those of the incidents in scope and of the reactions.
    const documents = new Map<string, BriefDocument>();
    for (const id of analyze.briefSourceIds(incidents, subject, options.since, reactions)) {
      const d = await store.getDocument(id);
      if (d !== null)
        documents.set(id, {
          id,
          title: d.title,
          outlet: d.outlet,
          url: d.url,
          published: d.published,
          origin: d.origin,
        });
    }
    return analyze.buildBrief(
      { incidents, knowledge, reactions, documents, world },
      {
        subject,
        generatedAt,
        period: options.period as 'year' | 'month',
        ...(options.since === undefined ? {} : { since: options.since }),
      },
    );
  });

  if (format === 'md') {
    const files = options.out !== undefined && options.images !== 'inline';
    const base = options.out === undefined ? '' : basename(options.out, extname(options.out));
    const md = analyze.renderMarkdown(brief, files ? { baseName: base } : {});
    if (options.out === undefined) {
      await write(process.stdout, md.text);
      return;
    }
    for (const f of md.files) await writeFile(join(dirname(options.out), f.name), f.content);
    await writeFile(options.out, md.text);
    await print(
      `wrote ${options.out}${md.files.length ? ` (with ${md.files.map((f) => f.name).join(', ')})` : ''}: ${brief.footnotes.length} sources cited`,
    );
    return;
  }
  const html = analyze.renderHtml(brief);
  if (format === 'html') {
    if (options.out === undefined) await write(process.stdout, html);
    else {
      await writeFile(options.out, html);
      await print(`wrote ${options.out}: ${brief.footnotes.length} sources cited`);
    }
    return;
  }
  await printPdf(chromium as string, html, options.out as string);
  await print(`wrote ${options.out} (printed by ${chromium}): ${brief.footnotes.length} sources cited`);
}

function findChromium(): string | null {
  const fromEnv = process.env.VIGIL_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CHROMIUMS.find((p) => existsSync(p)) ?? null;
}

/** Prints the HTML to PDF with headless Chromium (no network: the page has no external resources). */
async function printPdf(chromium: string, html: string, out: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-brief-'));
  try {
    const page = join(dir, 'brief.html');
    const pdf = join(dir, 'brief.pdf');
    await writeFile(page, html);
    await promisify(execFile)(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-pdf-header-footer',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--print-to-pdf=${pdf}`,
        `file://${page}`,
      ],
      { timeout: 120_000 },
    );
    await writeFile(out, await readFile(pdf));
  } catch (error) {
    throw new CliError('--format', `pdf: Chromium failed: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
