import type { ParsedResult } from 'chrono-node';
import type { AnnotatedSentence } from '../annotate.js';
import { chronoFor, RUSSIAN_RELATIVE_DAY } from '../russian.js';
import type { DateValue, Evidence, Field } from '../types.js';

const DAY_MS = 86_400_000;
// chrono reads these as the reference instant; in news they date nothing.
// "this year" is a period, for tallies ("killed more civilians this year"), not the day of an attack.
const NOT_A_DATE = /^(now|right now|currently|recently|so far|at the time|then|this year)$/i;

const iso = (d: Date) => d.toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, '0');

/** The first date in a sentence that can be the day of an attack, resolved against the publication
 * date: "on Friday" is the Friday before publication; nothing later than the day after publication. */
export function findDate(
  documentId: string,
  s: AnnotatedSentence,
  published: Date | null,
  anchors: readonly number[],
): Field<DateValue> | null {
  const reference = published ?? new Date();
  const tokens = s.sentence.tokens;
  const tokenAt = (offset: number) =>
    Math.max(
      0,
      tokens.findIndex((t) => t.start >= s.sentence.start + offset),
    );
  // Statements and claims are dated too: "said on Friday", "claimed responsibility on Monday".
  const speech = s.context.filter((m) => m.entries.includes('speech'));
  // Only claims and denials: "killed on Saturday", "stormed on Friday" (cues of who did it) date the
  // attack itself.
  const claims = s.attributionCues.filter((m) =>
    m.entries.some((e) => e.attribution === 'claimed' || e.attribution === 'denied'),
  );
  // So are new figures: "the toll rose to 133 on Saturday".
  const updates = s.context.filter((m) => m.entries.includes('update'));
  // The date of a statement ("officials said on Friday") is not the date of the attack; among the
  // others, the one nearest an attack word wins.
  // Strict parses (explicit dates) win over casual ones that overlap them: the casual parser reads
  // "the night of 14 April" as tonight.
  const parser = chronoFor(s.sentence.text);
  const strict = parser.strict.parse(s.sentence.text, { instant: reference }, { forwardDate: false });
  const casual = parser.casual
    .parse(s.sentence.text, { instant: reference }, { forwardDate: false })
    .filter(
      (c) => !strict.some((r) => c.index < r.index + r.text.length && r.index < c.index + c.text.length),
    );
  const isStatement = (r: ParsedResult) => {
    const at = tokenAt(r.index);
    return (
      speech.some((m) => m.to <= at && at - m.to <= 1) ||
      claims.some((m) => m.to === at) ||
      updates.some((m) => m.to <= at && at - m.to <= 2 && tokens[m.to]?.kind === 'number')
    );
  };
  const statement = [...strict, ...casual].find(isStatement);
  // "Tuesday's bombings", "Sunday's twin attacks": a day in the possessive before an attack word is
  // the attack's own, nearer it than any other ("revised the toll of Tuesday's bombings on Friday").
  const namesAttack = (r: ParsedResult) => {
    const end = r.index + r.text.trimEnd().length;
    if (!/^['’]s\b/u.test(s.sentence.text.slice(end))) return false;
    const after = tokenAt(end + 2);
    return anchors.some((a) => a >= after && a - after <= POSSESSIVE_WINDOW);
  };
  const results = [...strict, ...casual]
    .filter((r) => !isStatement(r))
    .map((r) => ({
      r,
      distance: namesAttack(r) ? -1 : Math.min(...anchors.map((a) => Math.abs(a - tokenAt(r.index)))),
    }))
    .sort((a, b) => a.distance - b.distance)
    .map(({ r }) => r);
  for (const r of results) {
    const text = r.text.trim();
    if (NOT_A_DATE.test(text)) continue;
    const c = r.start;
    const relative = !c.isCertain('year') && !c.isCertain('month') && !c.isCertain('day');
    const weekday = c.isCertain('weekday') && !c.isCertain('day');
    if (/\b(weeks?|hours?|minutes?|seconds?|later|earlier)\b/i.test(text)) continue;
    // "a day-long assault", "in a day": a duration, not a day.
    if (/^in\s+(a|an|one|\d+)\s+days?$/i.test(text) || s.sentence.text[r.index + r.text.length] === '-')
      continue;
    const before = s.sentence.text.slice(0, r.index);
    // "since March" starts a span (a tally, a campaign), not the day of an attack.
    if (/\bsince\s*$/i.test(before)) continue;
    // A month without a day or year is too often a name ("Theresa May"), unless introduced as a time
    // ("in February").
    // So is a capitalised month before an attack word ("the January bombing of a mosque").
    const introduced =
      /^(in|during|early|late|mid|last)\b/i.test(text) ||
      /\b(in|during|early|late|mid|last)\s*$/i.test(before) ||
      (/\bthe\s*$/i.test(before) &&
        /^\p{Lu}/u.test(text) &&
        s.triggers.some((t) => t.from === tokenAt(r.index + r.text.length)));
    if (!c.isCertain('day') && !weekday && !c.isCertain('year') && !relative && !introduced) continue;
    if (!published && !c.isCertain('year')) continue;
    if (
      relative &&
      !weekday &&
      !/\b(yesterday|today|tonight|last night)\b/i.test(text) &&
      !RUSSIAN_RELATIVE_DAY.test(text)
    )
      continue;
    // From the components, not c.date(), so the machine's time zone cannot shift the day.
    let date = new Date(`${c.get('year')}-${pad(c.get('month') ?? 1)}-${pad(c.get('day') ?? 1)}T12:00:00Z`);
    // A bare weekday in news is the most recent such day on or before publication, never after it
    // ("on Tuesday" in a Monday paper is the day before yesterday's Tuesday, six days back).
    if (published && weekday && iso(date) > iso(published)) date = new Date(date.getTime() - 7 * DAY_MS);
    else if (published && date.getTime() > published.getTime() + DAY_MS) {
      // A month (and day) without a year is the last one before publication ("the January bombing").
      if (c.isCertain('month') && !c.isCertain('year')) date.setUTCFullYear(date.getUTCFullYear() - 1);
      else if (!weekday) continue;
      else date = new Date(date.getTime() - 7 * DAY_MS);
    }
    const precision: DateValue['precision'] =
      c.isCertain('day') || weekday || relative ? 'day' : c.isCertain('month') ? 'month' : 'year';
    const value =
      precision === 'day'
        ? iso(date)
        : precision === 'month'
          ? `${iso(date).slice(0, 7)}-01`
          : `${date.getUTCFullYear()}-01-01`;
    const start = s.sentence.start + r.index + (r.text.length - r.text.trimStart().length);
    const evidence: Evidence = {
      documentId,
      start,
      end: start + text.length,
      text,
      sentence: s.sentence.text,
    };
    return { value: { date: value, precision }, evidence: [evidence], inferred: !c.isCertain('year') };
  }
  return (statement && daysBefore(documentId, s, statement, published)) ?? yearOnly(documentId, s);
}

/** Words an attack word may stand after a possessive day ("Sunday's twin suicide bombings"). */
const POSSESSIVE_WINDOW = 2;

const DAYS_BEFORE = /\b(a|one|two|three|four|five|six|\d) days? (?:earlier|before)\b/i;
const SMALL_NUMBERS: Readonly<Record<string, number>> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
};

/** "claimed responsibility on Monday for the bombing ... a day earlier": counted back from the date of
 * the statement. */
function daysBefore(
  documentId: string,
  s: AnnotatedSentence,
  statement: ParsedResult,
  published: Date | null,
): Field<DateValue> | null {
  const m = DAYS_BEFORE.exec(s.sentence.text);
  const word = m?.[1]?.toLowerCase();
  if (!m || !word) return null;
  const n = SMALL_NUMBERS[word] ?? Number(word);
  const c = statement.start;
  if (!c.isCertain('day') && !c.isCertain('weekday')) return null;
  let said = new Date(`${c.get('year')}-${pad(c.get('month') ?? 1)}-${pad(c.get('day') ?? 1)}T12:00:00Z`);
  if (published && !c.isCertain('day') && iso(said) > iso(published))
    said = new Date(said.getTime() - 7 * DAY_MS);
  else if (published && said.getTime() > published.getTime() + DAY_MS)
    said = new Date(said.getTime() - 7 * DAY_MS);
  const date = new Date(said.getTime() - n * DAY_MS);
  const start = s.sentence.start + m.index;
  const evidence: Evidence = {
    documentId,
    start,
    end: start + m[0].length,
    text: m[0],
    sentence: s.sentence.text,
  };
  return { value: { date: iso(date), precision: 'day' }, evidence: [evidence], inferred: true };
}

// chrono leaves a bare year alone; "in 2015" still dates an attack to its year.
const YEAR = /\b(?:in|during|of)\s+((?:19|20)\d\d)\b(?!\s*(?:people|persons|were|was|had|have|killed|dead))/i;

function yearOnly(documentId: string, s: AnnotatedSentence): Field<DateValue> | null {
  const m = YEAR.exec(s.sentence.text);
  if (!m?.[1]) return null;
  const start = s.sentence.start + m.index + m[0].length - m[1].length;
  const evidence: Evidence = { documentId, start, end: start + 4, text: m[1], sentence: s.sentence.text };
  return { value: { date: `${m[1]}-01-01`, precision: 'year' }, evidence: [evidence], inferred: false };
}

/** The earliest date a sentence names in any way ("since August 2011" included) close to one of its
 * attack words, for telling an attack recalled from the past ("since August 2011, when insurgents
 * shot down a helicopter") from the news. */
export function earliestDateIn(
  s: AnnotatedSentence,
  published: Date,
  anchors: readonly number[],
): Field<DateValue> | null {
  const tokens = s.sentence.tokens;
  const near = (offset: number) => {
    const at = tokens.findIndex((t) => t.start >= s.sentence.start + offset);
    return anchors.some((a) => Math.abs(a - at) <= HISTORY_WINDOW);
  };
  let earliest: Field<DateValue> | null = null;
  const parser = chronoFor(s.sentence.text);
  for (const r of parser.casual.parse(s.sentence.text, { instant: published }, { forwardDate: false })) {
    const c = r.start;
    // Only dates that name their year place a sentence in the past; "on Friday" is news.
    if (!c.isCertain('year') || !near(r.index)) continue;
    const precision: DateValue['precision'] = c.isCertain('day')
      ? 'day'
      : c.isCertain('month')
        ? 'month'
        : 'year';
    const date = `${c.get('year')}-${pad(c.get('month') ?? 1)}-${pad(precision === 'day' ? (c.get('day') ?? 1) : 1)}`;
    if (earliest && earliest.value.date <= date) continue;
    const start = s.sentence.start + r.index;
    const evidence: Evidence = {
      documentId: '',
      start,
      end: start + r.text.length,
      text: r.text,
      sentence: s.sentence.text,
    };
    earliest = { value: { date, precision }, evidence: [evidence], inferred: false };
  }
  // A year written before an attack word or right after it: "the 2002 Bali bombings", "the 1995
  // bombing", "the attack of 2013".
  for (const [i, t] of tokens.entries()) {
    if (
      t.kind !== 'number' ||
      !/^(19|20)\d\d$/.test(t.text) ||
      !anchors.some((a) => Math.abs(a - i) <= HISTORY_WINDOW)
    )
      continue;
    if (/^(people|persons|were|was|had|have|killed|dead)$/.test(tokens[i + 1]?.norm ?? '')) continue;
    const date = `${t.text}-01-01`;
    if (earliest && earliest.value.date <= date) continue;
    const evidence: Evidence = {
      documentId: '',
      start: t.start,
      end: t.end,
      text: t.text,
      sentence: s.sentence.text,
    };
    earliest = { value: { date, precision: 'year' }, evidence: [evidence], inferred: false };
  }
  return earliest;
}

const HISTORY_WINDOW = 8;
