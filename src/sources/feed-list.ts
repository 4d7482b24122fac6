import { readFile, stat } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { describeFsError } from './fs-errors.js';

/** One feed of a watch list. */
export interface WatchedFeed {
  readonly url: string;
  /** Seconds between polls. */
  readonly interval: number;
  /** Outlet for its entries, over the feed's own title. */
  readonly outlet: string | null;
}

export type FeedListResult =
  | { readonly ok: true; readonly feeds: readonly WatchedFeed[] }
  | { readonly ok: false; readonly reason: string };

/** Default time between two polls of a feed: 15 minutes. */
export const DEFAULT_INTERVAL_SECONDS = 15 * 60;
const MIN_INTERVAL_SECONDS = 10;
const MAX_LIST_BYTES = 1024 * 1024;
const UNITS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A duration in seconds: a number of seconds or a number with a unit (`90`, `30s`, `5m`, `1h`,
 * `1d`), at least 10 s; null when it is none of these.
 */
export function parseInterval(value: string | number): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/i.exec(String(value).trim());
  if (!match) return null;
  const seconds = Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= MIN_INTERVAL_SECONDS ? Math.round(seconds) : null;
}

const interval = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const seconds = parseInterval(value);
  if (seconds === null) {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is not an interval of at least ${MIN_INTERVAL_SECONDS} s (such as 90, 30s, 5m, 1h)`,
    });
    return z.NEVER;
  }
  return seconds;
});

const url = z
  .string()
  .trim()
  .refine(
    (value) => /^https?:\/\//i.test(value) && URL.canParse(value),
    'must be an http:// or https:// URL',
  );

const feedObject = z.strictObject({
  url,
  interval: interval.optional(),
  outlet: z.string().trim().min(1).optional(),
});
const listObject = z.strictObject({ interval: interval.optional(), feeds: z.array(z.unknown()) });

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Zod's first issue as `path: message` (`feeds[0].url: must be …`); no unions, so the message is the useful one. */
function check<T>(schema: z.ZodType<T>, value: unknown, prefix: string): Parsed<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = `${prefix}${(issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
  return { ok: false, reason: `${where.replace(/^\./, '') || 'the list'}: ${issue?.message ?? 'invalid'}` };
}

/**
 * The feeds of a YAML watch list: a list of feeds, or `{interval, feeds}`; each feed a URL or
 * `{url, interval, outlet}`. The list's interval is the default of its feeds, `defaultInterval`
 * (seconds) the default of the list.
 *
 * @example
 * interval: 15m
 * feeds:
 *   - url: https://example.org/feed.xml
 *     interval: 5m
 *     outlet: Example News
 *   - https://news.example.net/rss
 */
export async function readFeedList(
  path: string,
  defaultInterval = DEFAULT_INTERVAL_SECONDS,
): Promise<FeedListResult> {
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > MAX_LIST_BYTES) return { ok: false, reason: `too large for a list of feeds (${size} bytes)` };
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, reason: describeFsError(error) };
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    return {
      ok: false,
      reason: `invalid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    };
  }
  const shape = 'expected a list of feeds, or {interval, feeds}; each feed a URL or {url, interval, outlet}';
  let listInterval = defaultInterval;
  let items: unknown[];
  let prefix = '';
  if (Array.isArray(value)) items = value;
  else if (value !== null && typeof value === 'object') {
    const top = check(listObject, value, '');
    if (!top.ok) return top;
    items = top.value.feeds;
    listInterval = top.value.interval ?? defaultInterval;
    prefix = 'feeds';
  } else return { ok: false, reason: shape };
  if (items.length === 0) return { ok: false, reason: 'lists no feeds' };
  const feeds: WatchedFeed[] = [];
  for (const [i, item] of items.entries()) {
    const entry = check(
      typeof item === 'string' ? z.object({ url }) : feedObject,
      typeof item === 'string' ? { url: item } : item,
      `${prefix}[${i}]`,
    );
    if (!entry.ok) return entry;
    const { url: feedUrl, interval: own, outlet } = entry.value as z.infer<typeof feedObject>;
    feeds.push({ url: new URL(feedUrl).href, interval: own ?? listInterval, outlet: outlet ?? null });
  }
  const seen = new Set<string>();
  for (const { url: feedUrl } of feeds) {
    if (seen.has(feedUrl)) return { ok: false, reason: `lists ${feedUrl} twice` };
    seen.add(feedUrl);
  }
  return { ok: true, feeds };
}
