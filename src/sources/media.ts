import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { readContent } from './content.js';
import { isIsoDate } from './dates.js';
import { parseFeed } from './feed.js';
import { identifyLanguage, normaliseLanguageCode } from './language-id.js';
import { numberedLines } from './lines.js';
import { loadTextFile, tooLarge } from './load-file.js';
import { MEDIA_KINDS, type MediaKind, type MediaResult, mediaItemId } from './media-item.js';
import { documentId, normaliseText, withoutControls } from './normalise.js';
import { readTelegramExport, unidentified } from './telegram.js';

export { MEDIA_KINDS, type MediaItem, type MediaKind, type MediaResult } from './media-item.js';
export { readTelegramExport } from './telegram.js';

/** How `readMediaFile` reads. */
export interface MediaReadOptions {
  /** Largest file (or JSON Lines line) read, in bytes. Default 100 MiB: channel exports are large. */
  readonly maxBytes?: number;
  /** Channel of a single statement file (`.txt`, `.md`, `.html`), and of items that name none. */
  readonly channel?: string;
  /** Publication date of a statement file, and of items that carry none. */
  readonly published?: string;
  /** Kind of a statement file's item (default `statement`). */
  readonly kind?: MediaKind;
}

export const DEFAULT_MEDIA_MAX_BYTES = 100 * 1024 * 1024;

export const MEDIA_EXTENSIONS = ['.json', '.jsonl', '.xml', '.rss', '.atom', '.txt', '.md', '.html', '.htm'];

/**
 * Media items of one file, by its extension: `.json` a Telegram Desktop export (`result.json`),
 * `.jsonl` one item per line `{channel, date, text, language?, kind?, id?, title?}`, `.xml` `.rss`
 * `.atom` an RSS or Atom feed (one item per entry, the feed's title as channel), `.txt` `.md` `.html`
 * one statement (channel and date from the options). Bad input never throws: it is an `error`
 * result naming the file, line or message, and the other items are still read.
 */
export async function* readMediaFile(
  path: string,
  options: MediaReadOptions = {},
): AsyncGenerator<MediaResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MEDIA_MAX_BYTES;
  const extension = extname(path).toLowerCase();
  if (!MEDIA_EXTENSIONS.includes(extension)) {
    yield {
      status: 'error',
      input: path,
      reason: `unsupported: cannot read ${extension === '' ? 'a file with no extension' : `'${extension}' files`} as media; supported: ${MEDIA_EXTENSIONS.join(' ')}`,
    };
    return;
  }
  if (extension === '.jsonl') {
    yield* readMediaLines(path, maxBytes, options);
    return;
  }
  const loaded = await loadTextFile(path, maxBytes);
  if (!loaded.ok) {
    yield { status: 'error', input: path, reason: loaded.reason };
    return;
  }
  if (extension === '.json') yield* readTelegramExport(loaded.text, path);
  else if (['.xml', '.rss', '.atom'].includes(extension)) yield* readFeedFile(loaded.text, path, options);
  else yield readStatement(loaded.text, extension === '.html' || extension === '.htm', path, options);
}

function withLanguage(
  base: { id: string; channel: string; channelId: string | null; messageId: string | null; kind: MediaKind },
  text: string,
  fields: { published: string | null; title: string | null; origin: string; declared?: string | null },
): MediaResult {
  const declared = fields.declared ?? null;
  const guess = declared ? { code: declared, method: 'declared' as const } : identifyLanguage(text);
  return {
    status: 'item',
    item: {
      ...base,
      channel: withoutControls(base.channel),
      published: fields.published,
      language: guess?.code ?? null,
      languageMethod: guess?.method ?? null,
      title: withoutControls(fields.title ?? '').trim() || null,
      text,
      origin: fields.origin,
    },
    warnings: guess ? [] : [unidentified(text)],
  };
}

function readStatement(raw: string, html: boolean, path: string, options: MediaReadOptions): MediaResult {
  const channel = options.channel?.trim();
  if (!channel)
    return { status: 'error', input: path, reason: 'a statement file needs --channel (who published it)' };
  const content = readContent(raw, html ? 'html' : 'text');
  if (!content.ok) return { status: 'error', input: path, reason: content.reason };
  const text = normaliseText(content.article.text);
  if (text === '') return { status: 'error', input: path, reason: 'no text' };
  const kind = options.kind ?? 'statement';
  return withLanguage(
    {
      id: mediaItemId(['file', channel.toLowerCase(), documentId(text)]),
      channel,
      channelId: null,
      messageId: null,
      kind,
    },
    text,
    {
      published: options.published ?? content.article.published ?? null,
      title: content.article.title ?? null,
      origin: path,
    },
  );
}

function readFeedFile(xml: string, path: string, options: MediaReadOptions): MediaResult[] {
  const parsed = parseFeed(xml, pathToFileURL(path).href);
  if (!parsed.ok) return [{ status: 'error', input: path, reason: parsed.reason }];
  const channel = parsed.feed.title?.trim() || options.channel?.trim() || path;
  return parsed.feed.entries.map((entry, i): MediaResult => {
    const origin = `${path}#${i + 1}`;
    const html = entry.content ?? entry.summary ?? '';
    const content = readContent(html, 'html');
    const text = content.ok ? normaliseText(content.article.text) : '';
    if (text === '') return { status: 'skipped', input: origin, reason: 'no text' };
    return withLanguage(
      {
        id: mediaItemId(['feed', channel.toLowerCase(), entry.key]),
        channel,
        channelId: null,
        messageId: entry.key,
        kind: 'post',
      },
      text,
      { published: entry.published ?? options.published ?? null, title: entry.title, origin },
    );
  });
}

const lineSchema = z.object({
  channel: z.string().refine((c) => c.trim() !== '', 'must not be empty'),
  date: z.string().refine((d) => isIsoDate(d.trim()), 'must be a date (YYYY-MM-DD or ISO date-time)'),
  text: z.string().refine((t) => t.trim() !== '', 'must not be empty'),
  language: z
    .string()
    .nullish()
    .refine((l) => l == null || normaliseLanguageCode(l) !== null, 'must be an ISO 639-1 or 639-3 code'),
  kind: z.enum(MEDIA_KINDS).nullish(),
  id: z.union([z.string(), z.number()]).nullish(),
  title: z.string().nullish(),
});

async function* readMediaLines(
  path: string,
  maxBytes: number,
  options: MediaReadOptions,
): AsyncGenerator<MediaResult> {
  for await (const line of numberedLines(path)) {
    if ('error' in line) {
      yield { status: 'error', input: path, reason: line.error };
      continue;
    }
    const origin = `${path}:${line.n}`;
    const size = Buffer.byteLength(line.text, 'utf8');
    if (size > maxBytes) {
      yield { status: 'error', input: origin, reason: `line ${tooLarge(size, maxBytes)}` };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      yield {
        status: 'error',
        input: origin,
        reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}`,
      };
      continue;
    }
    const withDefaults =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? {
            ...(options.channel ? { channel: options.channel } : {}),
            ...(options.published ? { date: options.published } : {}),
            ...value,
          }
        : value;
    const parsed = lineSchema.safeParse(withDefaults);
    if (!parsed.success) {
      const fields = (
        typeof withDefaults === 'object' && withDefaults !== null ? withDefaults : {}
      ) as Record<string, unknown>;
      const issues = parsed.error.issues.map((i) => {
        const field = String(i.path[0] ?? '');
        return field === ''
          ? `not a JSON object with channel, date and text`
          : `${i.path.join('.')}: ${fields[field] === undefined ? 'missing' : i.message}`;
      });
      yield { status: 'error', input: origin, reason: issues.join('; ') };
      continue;
    }
    const { channel, date, text: raw, language, kind, id, title } = parsed.data;
    const text = normaliseText(raw);
    const messageId = id == null ? null : String(id);
    yield withLanguage(
      {
        id: mediaItemId(['jsonl', channel.trim().toLowerCase(), messageId ?? documentId(text)]),
        channel: channel.trim(),
        channelId: null,
        messageId,
        kind: kind ?? 'post',
      },
      text,
      {
        published: date.trim(),
        title: title?.trim() || null,
        origin,
        declared: language ? normaliseLanguageCode(language) : null,
      },
    );
  }
}
