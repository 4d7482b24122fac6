import { z } from 'zod';
import { readContent } from './content.js';
import { isIsoDate } from './dates.js';
import type { SourceResult } from './document.js';
import { numberedLines } from './lines.js';
import { tooLarge } from './load-file.js';
import { makeDocument } from './make-document.js';
import type { ResolvedOptions } from './options.js';

// null is accepted as "absent": exports from databases write missing fields that way.
const optionalText = z.string().nullish();

const lineSchema = z.object({
  text: z
    .string({ error: (issue) => (issue.input === undefined ? 'missing' : undefined) })
    .refine((text) => text.trim() !== '', 'must not be empty'),
  title: optionalText,
  url: optionalText,
  source: optionalText,
  published: optionalText.refine((date) => date == null || isIsoDate(date.trim()), {
    message: 'must be a date (YYYY-MM-DD or ISO date-time)',
  }),
});

/**
 * One result per non-blank line, read line by line so a huge file streams; a bad line is an error
 * at `path:LINE` and the other lines are still read.
 */
export async function* readJsonLines(path: string, options: ResolvedOptions): AsyncGenerator<SourceResult> {
  for await (const line of numberedLines(path)) {
    if ('error' in line) yield { ok: false, input: path, reason: line.error };
    else yield readLine(line.text, `${path}:${line.n}`, options);
  }
}

function readLine(line: string, origin: string, options: ResolvedOptions): SourceResult {
  const fail = (reason: string): SourceResult => ({ ok: false, input: origin, reason });
  const size = Buffer.byteLength(line, 'utf8');
  if (size > options.maxBytes) return fail(`line ${tooLarge(size, options.maxBytes)}`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return fail(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = lineSchema.safeParse(value);
  if (!parsed.success) return fail(parsed.error.issues.map(describeIssue).join('; '));
  const { text, title, url, source, published } = parsed.data;
  const content = readContent(text, 'sniff');
  if (!content.ok) return fail(content.reason);
  // The line's own fields win over what its HTML says; the HTML fills the gaps.
  const found = content.article;
  return makeDocument(
    {
      text: found.text,
      title: title?.trim() || found.title,
      url: url?.trim() || found.url,
      outlet: source?.trim() || found.outlet,
      published: published?.trim() || found.published,
    },
    origin,
    options,
  );
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.join('.');
  return field === '' ? issue.message : `${field}: ${issue.message}`;
}
