import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import type { MediaAlert, MediaPeriod, MediaRecord } from '../../analyze/media.js';
import type { MediaEvidence } from '../../analyze/media-attribution.js';
import type { ArmedGroup } from '../../knowledge/groups.js';
import type { MediaItem } from '../../sources/media.js';
import type { MediaItemRecord, StoredMediaItem } from '../../store/index.js';
import { CliError, EXIT } from '../errors.js';
import { print, withStore, write } from '../io.js';
import { parseBytes, parseDay, parsePositiveInt, parsePublished, resolveGroupId } from '../options.js';
import { analysisKnowledge } from './alerts.js';
import { databaseOf, useKnowledgeBaseOf, withExamples, withKnowledgeBaseOption } from './shared.js';

/* `vigil media ingest <files...>` reads groups' media items (Telegram exports, JSON Lines, feeds,
 * statement files) and stores their metadata, language, attribution and audiences — never their text
 * unless `--keep-text`. `vigil media` shows output volumes per group and media arm by language and
 * audience over time, and the new-language and new-audience alerts. */

interface ReportOptions {
  readonly group?: string;
  readonly period: string;
  readonly since?: string;
  readonly until?: string;
  readonly minPrior: string;
  readonly json?: boolean;
}

interface IngestOptions {
  readonly keepText?: boolean;
  readonly channel?: string;
  readonly published?: string;
  readonly kind?: string;
  readonly maxBytes?: string;
  readonly json?: boolean;
}

const PERIODS: readonly MediaPeriod[] = ['week', 'month', 'year'];

export function registerMedia(program: Command): void {
  const media = program
    .command('media')
    .description(
      'Groups’ media output: volumes per group and media arm by language and audience over time, and alerts when a group starts publishing in a new language or to a new audience',
    )
    .option('--group <group>', 'only this group (id, name or alias)')
    .option('--period <period>', 'volumes per week, month or year', 'month')
    .option('--since <date>', 'items published on or after this day (YYYY-MM-DD)')
    .option('--until <date>', 'items published on or before this day (YYYY-MM-DD)')
    .option('--min-prior <n>', 'items a group must have before a language or audience counts as new', '3')
    .option('--json', 'one JSON object: {volumes, alerts}')
    .action((options: ReportOptions, self: Command) => mediaReport(options, self));
  withExamples(media, 'vigil media', 'vigil media --group ISKP --period week --json');

  const ingest = media
    .command('ingest')
    .description(
      'Read media items (Telegram Desktop result.json, JSON Lines, RSS/Atom files, statement files) and store their metadata, language, attribution and audiences',
    )
    .argument('<files...>', '.json (Telegram export), .jsonl, .xml/.rss/.atom, .txt/.md/.html')
    .option(
      '--keep-text',
      'also store each item’s full text (off by default: Vigil keeps only evidence snippets)',
    )
    .option('--channel <name>', 'channel of a statement file, and of JSON Lines items that name none')
    .option('--published <date>', 'publication date of a statement file, and of items that carry none')
    .option('--kind <kind>', 'kind of a statement file: statement, magazine, video or post', 'statement')
    .option('--max-bytes <n>', 'largest file read (default 100MB)')
    .option('--json', 'one JSON line per item');
  withKnowledgeBaseOption(ingest).action((files: string[], options: IngestOptions, self: Command) =>
    mediaIngest(files, options, self),
  );
  withExamples(
    ingest,
    'vigil media ingest ChatExport_2024-04-02/result.json',
    'vigil media ingest statement.txt --channel "Al-Azaim Foundation" --published 2024-03-23',
    'vigil media ingest posts.jsonl --keep-text',
  );
}

/** The stored record of an item: attribution and audiences with their evidence; the text only if kept. */
export function mediaRecordOf(
  item: MediaItem,
  groups: readonly ArmedGroup[],
  keepText: boolean,
  analysis: typeof import('../../analyze/media-attribution.js'),
): MediaItemRecord {
  const attribution = analysis.attributeMediaItem(item, groups);
  const audiences = analysis.mediaAudiences(item.text, item.language);
  const evidence: MediaEvidence[] = [
    ...(attribution ? [attribution.evidence] : []),
    ...audiences.flatMap((a) => (a.evidence ? [a.evidence] : [])),
  ];
  return {
    id: item.id,
    channel: item.channel,
    channelId: item.channelId,
    messageId: item.messageId,
    kind: item.kind,
    published: item.published,
    language: item.language,
    languageMethod: item.languageMethod,
    title: item.title === null ? null : [...item.title].slice(0, analysis.SNIPPET_LIMIT).join(''),
    origin: item.origin,
    groupId: attribution?.groupId ?? null,
    mediaArm: attribution?.mediaArm ?? null,
    attributionMethod: attribution?.method ?? null,
    audiences: audiences.map((a) => a.code),
    evidence,
    text: keepText ? item.text : null,
    textSha256: createHash('sha256').update(item.text, 'utf8').digest('hex'),
  };
}

async function mediaIngest(
  files: readonly string[],
  options: IngestOptions,
  command: Command,
): Promise<void> {
  // The knowledge base first (`--kb` files are checked before anything is read or stored).
  const kb = await useKnowledgeBaseOf(command);
  const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
  const kinds = ['statement', 'magazine', 'video', 'post'] as const;
  const kind = kinds.find((k) => k === options.kind);
  if (kind === undefined) throw new CliError('--kind', `'${options.kind}' is not one of ${kinds.join(', ')}`);
  const published =
    options.published === undefined ? undefined : parsePublished('--published', options.published);
  const maxBytes = options.maxBytes === undefined ? undefined : parseBytes('--max-bytes', options.maxBytes);
  const [{ readMediaFile }, analysis] = await Promise.all([
    import('../../sources/media.js'),
    import('../../analyze/media-attribution.js'),
  ]);
  const tally = { stored: 0, known: 0, refused: 0, skipped: 0, warnings: 0 };
  await withStore(databaseOf(command), async (store) => {
    for (const file of files) {
      for await (const result of readMediaFile(file, {
        ...(maxBytes === undefined ? {} : { maxBytes }),
        ...(options.channel === undefined ? {} : { channel: options.channel }),
        ...(published === undefined ? {} : { published }),
        kind,
      })) {
        if (result.status === 'skipped') {
          tally.skipped++;
          if (json)
            await print(JSON.stringify({ status: 'skipped', origin: result.input, reason: result.reason }));
          continue;
        }
        if (result.status === 'error') {
          tally.refused++;
          if (json)
            await print(JSON.stringify({ status: 'error', origin: result.input, reason: result.reason }));
          else await write(process.stderr, `error ${result.input}: ${result.reason}\n`);
          continue;
        }
        const { item, warnings } = result;
        for (const w of warnings) {
          tally.warnings++;
          await write(process.stderr, `warning ${item.origin}: ${w}\n`);
        }
        const record = mediaRecordOf(item, kb.groups, options.keepText === true, analysis);
        const saved = await store.media.saveMediaItem(record);
        if (saved === 'stored') tally.stored++;
        else tally.known++;
        if (json) {
          await print(
            JSON.stringify({
              status: saved === 'stored' ? 'stored' : 'duplicate',
              origin: item.origin,
              id: item.id,
              channel: item.channel,
              published: item.published,
              language: item.language,
              language_method: item.languageMethod,
              group: record.groupId,
              media_arm: record.mediaArm,
              attribution: record.attributionMethod,
              audiences: record.audiences,
              evidence: record.evidence,
              warnings,
            }),
          );
        } else {
          const who = record.groupId
            ? `${record.groupId}${record.mediaArm ? ` (${record.mediaArm})` : ''}`
            : 'unattributed';
          await print(
            saved === 'stored'
              ? `stored ${item.origin}  ${item.language ?? 'und'}  ${who}${record.audiences.length ? `  → ${record.audiences.join(',')}` : ''}`
              : `already known ${item.origin}`,
          );
        }
      }
    }
  });
  if (!json)
    await print(
      `${tally.stored} stored, ${tally.known} already known, ${tally.refused} refused, ${tally.skipped} skipped (service messages or no text)${tally.warnings ? `, ${tally.warnings} warning${tally.warnings === 1 ? '' : 's'}` : ''}`,
    );
  if (tally.refused > 0) process.exitCode = EXIT.badInput;
}

/** A stored item as the analysis sees it (no text). */
export function mediaRecord(s: StoredMediaItem): MediaRecord {
  return {
    id: s.id,
    channel: s.channel,
    kind: s.kind,
    published: s.published,
    language: s.language,
    groupId: s.groupId,
    mediaArm: s.mediaArm,
    audiences: s.audiences,
    origin: s.origin,
    evidence: s.evidence as MediaEvidence[],
  };
}

async function mediaReport(options: ReportOptions, command: Command): Promise<void> {
  const period = PERIODS.find((p) => p === options.period);
  if (period === undefined)
    throw new CliError('--period', `'${options.period}' is not one of ${PERIODS.join(', ')}`);
  const since = options.since === undefined ? undefined : parseDay('--since', options.since);
  const until = options.until === undefined ? undefined : parseDay('--until', options.until);
  const minPriorItems = parsePositiveInt('--min-prior', options.minPrior);
  const { attackedCountries, mediaAlerts, mediaVolumes } = await import('../../analyze/media.js');
  const { LANGUAGE_NAMES } = await import('../../sources/language-id.js');
  const knowledge = await analysisKnowledge();
  const group =
    options.group === undefined
      ? undefined
      : resolveGroupId('--group', options.group, [...knowledge.groups.values()]);
  const { items, incidents } = await withStore(databaseOf(command), async (store) => ({
    items: await store.media.listMediaItems(group === undefined ? {} : { group }),
    incidents: await store.listIncidents(),
  }));
  const records = items.map(mediaRecord);
  const inRange = (date: string | null) =>
    (since === undefined || (date !== null && date.slice(0, 10) >= since)) &&
    (until === undefined || (date !== null && date.slice(0, 10) <= until));
  const shown = records.filter((r) => inRange(r.published));
  const volumes = mediaVolumes(shown, knowledge, period);
  // Alerts replay each group's whole history; the range only chooses which are shown.
  const alerts = mediaAlerts(records, knowledge, attackedCountries(incidents), { minPriorItems }).filter(
    (a) => inRange(a.date),
  );
  if (options.json === true || command.optsWithGlobals<{ json?: boolean }>().json === true) {
    await print(JSON.stringify({ period, volumes, alerts }, null, 2));
    return;
  }
  if (volumes.length === 0) {
    await print('No media items.');
    return;
  }
  const lang = (code: string) => (code === 'und' ? 'unidentified' : (LANGUAGE_NAMES[code] ?? code));
  const counts = (r: Readonly<Record<string, number>>, name: (k: string) => string = (k) => k) =>
    Object.entries(r)
      .map(([k, n]) => `${name(k)} ${n}`)
      .join(', ') || '—';
  for (const v of volumes) {
    await print(
      `${v.groupName ?? 'Unattributed'}${v.group ? ` (${v.group})` : ''}: ${v.total} item${v.total === 1 ? '' : 's'}${v.firstItem ? `, ${v.firstItem} … ${v.lastItem}` : ''}`,
    );
    await print(`  languages  ${counts(v.byLanguage, lang)}`);
    await print(`  audiences  ${counts(v.byAudience)}`);
    if (v.group !== null)
      await print(
        `  arms       ${v.arms.map((a) => `${a.arm ?? '(the group itself)'} ${a.total}`).join(', ')}`,
      );
    for (const p of v.periods)
      await print(
        `    ${p.period.padEnd(8)}  ${String(p.total).padStart(4)}  ${counts(p.byLanguage, lang)}  |  ${counts(p.byAudience)}`,
      );
  }
  await print('');
  await printAlerts(alerts);
}

async function printAlerts(alerts: readonly MediaAlert[]): Promise<void> {
  for (const a of alerts) {
    await print(
      `${a.date ?? 'undated   '}  ${a.severity.padEnd(6)}  ${a.kind.padEnd(12)}  ${(a.group ?? '-').padEnd(14)}  ${a.title}`,
    );
    await print(`    ${a.explanation}`);
    const ev = a.evidence[0];
    if (ev) await print(`    evidence (${ev.where}): «${ev.match}» in "${ev.snippet}"`);
    await print(`    item ${a.item.slice(0, 12)} (${a.sources.join(', ')})`);
  }
  await print(`${alerts.length} media alert${alerts.length === 1 ? '' : 's'}`);
}
