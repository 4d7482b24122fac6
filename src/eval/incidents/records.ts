/**
 * Coder-gold incident records (the shared schema of `eval/incidents/`: one JSON object per line with
 * `id`, `text`, `text_kind`, `date`, `country`, `city`, `perpetrator`, `event_type`, `target`,
 * `weapon`, `killed`, `wounded`). A bad line is an error naming `file:LINE`; the others are still read.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { numberedLines } from '../../sources/index.js';
import type { LineResult } from '../readers.js';

export interface CodedIncident {
  readonly id: string;
  /** The text as given (GTD summaries still begin with their `MM/DD/YYYY:` stamp). */
  readonly text: string;
  readonly textKind: string;
  /** ISO day, month or year as the coders recorded it, or null. */
  readonly date: string | null;
  readonly country: string | null;
  readonly city: string | null;
  readonly perpetrator: string | null;
  readonly eventType: string | null;
  readonly target: string | null;
  readonly weapon: string | null;
  readonly killed: number | null;
  readonly wounded: number | null;
  /** `path:LINE`. */
  readonly origin: string;
}

const text = z.string().nullish();
const count = z
  .number()
  .finite()
  .nonnegative()
  .nullish()
  .transform((n) => (n === null || n === undefined ? null : Math.round(n)));
const line = z.object({
  id: z.union([z.string().min(1), z.number().transform(String)]),
  text: z.string().min(1, 'must not be empty'),
  text_kind: z.string().nullish(),
  date: text,
  country: text,
  city: text,
  perpetrator: text,
  event_type: text,
  target: text,
  weapon: text,
  killed: count,
  wounded: count,
});

const blankToNull = (s: string | null | undefined) =>
  s === undefined || s === null || s.trim() === '' ? null : s;

/** Parses one line; throws with the problem (field path and message) when it does not fit. */
export function parseCodedLine(raw: string, origin: string): CodedIncident {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('not JSON');
  }
  const parsed = line.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`);
  }
  const r = parsed.data;
  return {
    id: r.id,
    text: r.text,
    textKind: r.text_kind ?? '',
    date: blankToNull(r.date),
    country: blankToNull(r.country),
    city: blankToNull(r.city),
    perpetrator: blankToNull(r.perpetrator),
    eventType: blankToNull(r.event_type),
    target: blankToNull(r.target),
    weapon: blankToNull(r.weapon),
    killed: r.killed,
    wounded: r.wounded,
    origin,
  };
}

export async function* readCodedLines(path: string): AsyncGenerator<LineResult<CodedIncident>> {
  for await (const l of numberedLines(path)) {
    if ('error' in l) {
      yield { ok: false, error: { where: path, problem: l.error } };
      return;
    }
    const where = `${path}:${l.n}`;
    try {
      yield { ok: true, document: parseCodedLine(l.text, where), warnings: [] };
    } catch (error) {
      yield { ok: false, error: { where, problem: (error as Error).message } };
    }
  }
}

/** Every record of a file, read at once (the shared sets are a few megabytes); throws on the first
 * bad line, naming it. For a user's file, `readCodedLines` reports every bad line and goes on. */
export function readCodedFile(path: string): CodedIncident[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.trim() === '' ? [] : [parseCodedLine(line, `${path}:${i + 1}`)]));
}
