import type { Count, DateValue } from '../extract/index.js';
import type { IngestOutcome } from '../pipeline/ingest.js';
import type { Incident, IncidentEvidence } from '../resolve/index.js';
import { incidentJson } from '../resolve/index.js';
import type { IncidentReport, StoreStats } from '../store/index.js';

/** Pure text rendering for the CLI: every function returns a string and prints nothing. */

/** Shown where a value is not known. */
export const NONE = '—';
const SHORT_ID = 8;

export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/** A plain-text table: a header row, a rule, then one line per row; columns two spaces apart. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const width = widths[i] ?? 0;
        return c.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join('\n');
}

export function shortId(id: string): string {
  return id.slice(0, SHORT_ID);
}

/** `2024-03-22`, or `2024-03` / `2024` when only the month or year is known. */
export function formatDate(date: DateValue | null): string {
  if (date === null) return NONE;
  if (date.precision === 'year') return date.date.slice(0, 4);
  if (date.precision === 'month') return date.date.slice(0, 7);
  return date.date;
}

/** A reported figure in words: `139`, `at least 4`, `more than 100`, `about 30`, `24–99`. */
export function formatCount(count: Count | null): string {
  if (count === null) return NONE;
  const range = `${count.min}–${count.max ?? '?'}`;
  if (count.value === null) return count.min === count.max ? String(count.min) : range;
  switch (count.qualifier) {
    case 'at_least':
      return `at least ${count.value}`;
    case 'more_than':
      return `more than ${count.min - 1}`;
    case 'approximately':
      return `about ${count.value}`;
    case 'at_most':
      return `at most ${count.value}`;
    case 'range':
      return range;
    default:
      return String(count.value);
  }
}

/** `Moscow, RU`, `RU`, or `—`. */
export function formatPlace(incident: Pick<Incident, 'city' | 'country'>): string {
  const parts = [incident.city, incident.country].filter((p): p is string => p !== null && p !== '');
  return parts.length === 0 ? NONE : parts.join(', ');
}

function list(values: readonly string[]): string {
  return values.length === 0 ? NONE : values.join(', ');
}

function groups(incident: Incident): string {
  return incident.perpetratorGroups.length === 0
    ? NONE
    : incident.perpetratorGroups
        .map((g) => `${g.group} (${g.attribution}${g.discovered ? ', new group' : ''})`)
        .join('; ');
}

const INCIDENT_COLUMNS: readonly Column[] = [
  { header: 'id' },
  { header: 'date' },
  { header: 'place' },
  { header: 'attack type' },
  { header: 'group (attribution)' },
  { header: 'killed', align: 'right' },
  { header: 'wounded', align: 'right' },
];

/** The `vigil incidents` table, or `No incidents.` */
export function incidentsTable(incidents: readonly Incident[]): string {
  if (incidents.length === 0) return 'No incidents.';
  const rows = incidents.map((i) => [
    shortId(i.id),
    formatDate(i.date),
    formatPlace(i),
    list(i.attackTypes),
    groups(i),
    formatCount(i.killed),
    formatCount(i.wounded),
  ]);
  return renderTable(INCIDENT_COLUMNS, rows);
}

/**
 * The sentence with the matched text between « and ». `at` is where the text starts in the
 * sentence when known; otherwise its first occurrence is marked.
 */
export function markEvidence(sentence: string, text: string, at?: number | null): string {
  const start =
    at !== undefined && at !== null && sentence.slice(at, at + text.length) === text
      ? at
      : sentence.indexOf(text);
  if (text === '' || start < 0) return `${sentence} («${text}»)`;
  return `${sentence.slice(0, start)}«${text}»${sentence.slice(start + text.length)}`;
}

/**
 * Where the evidence text starts within its sentence, found from the document text: the occurrence
 * of the sentence that covers [start, end). Null when the sentence is not in the text verbatim.
 */
export function offsetInSentence(
  documentText: string,
  evidence: Pick<IncidentEvidence, 'start' | 'end' | 'sentence'>,
): number | null {
  if (evidence.sentence === '') return null;
  let from = documentText.lastIndexOf(evidence.sentence, evidence.start);
  while (from >= 0) {
    if (from + evidence.sentence.length >= evidence.end) return evidence.start - from;
    from = from === 0 ? -1 : documentText.lastIndexOf(evidence.sentence, from - 1);
  }
  return null;
}

/** The evidence block: what it supports and where it is, then the sentence with the match marked. */
export function formatEvidence(evidence: IncidentEvidence, at?: number | null): string[] {
  const inferred = evidence.inferred ? ' (inferred)' : '';
  return [
    `  evidence: ${evidence.value}${inferred} · document ${shortId(evidence.documentId)} [${evidence.start}–${evidence.end})`,
    `    ${markEvidence(evidence.sentence, evidence.text, at)}`,
  ];
}

interface DetailField {
  readonly label: string;
  readonly values: readonly string[];
  /** The evidence field names whose evidence is shown under this line. */
  readonly evidence: readonly string[];
}

function detailFields(i: Incident): DetailField[] {
  const coordinates =
    i.lat === null || i.lon === null
      ? NONE
      : `${i.lat}, ${i.lon}${i.placePrecision ? ` (${i.placePrecision})` : ''}`;
  const perpetrators =
    i.perpetratorsMin === null
      ? NONE
      : i.perpetratorsMax === null
        ? `at least ${i.perpetratorsMin}`
        : i.perpetratorsMax === i.perpetratorsMin
          ? String(i.perpetratorsMin)
          : `${i.perpetratorsMin}–${i.perpetratorsMax}`;
  return [
    {
      label: 'date',
      values: [i.date ? `${formatDate(i.date)} (${i.date.precision})` : NONE],
      evidence: ['date'],
    },
    { label: 'country', values: [i.country ?? NONE], evidence: ['country'] },
    { label: 'city', values: [i.city ?? NONE], evidence: ['city'] },
    { label: 'lat, lon', values: [coordinates], evidence: [] },
    { label: 'attack_types', values: [list(i.attackTypes)], evidence: ['attack_types'] },
    { label: 'weapon_types', values: [list(i.weaponTypes)], evidence: ['weapon_types'] },
    { label: 'target_types', values: [list(i.targetTypes)], evidence: ['target_types'] },
    { label: 'target_text', values: [list(i.targetText)], evidence: ['target_text'] },
    {
      label: 'perpetrator_groups',
      values:
        i.perpetratorGroups.length === 0
          ? [NONE]
          : i.perpetratorGroups.map(
              (g) =>
                `${g.group} [${g.groupId}] ${g.attribution}; seen as ${list(g.aliasesSeen)}` +
                (g.discovered ? '; not in the knowledge base: see `vigil groups --discovered`' : ''),
            ),
      evidence: ['perpetrator_groups'],
    },
    { label: 'perpetrators', values: [perpetrators], evidence: ['perpetrators_min', 'perpetrators_max'] },
    {
      label: 'perpetrator_nationalities',
      values: [list(i.perpetratorNationalities)],
      evidence: ['perpetrator_nationalities'],
    },
    { label: 'killed', values: [formatCount(i.killed)], evidence: ['killed'] },
    { label: 'wounded', values: [formatCount(i.wounded)], evidence: ['wounded'] },
    { label: 'kidnapped', values: [formatCount(i.kidnapped)], evidence: ['kidnapped'] },
    {
      label: 'perpetrators_killed',
      values: [formatCount(i.perpetratorsKilled)],
      evidence: ['perpetrators_killed'],
    },
    { label: 'suicide', values: [i.suicide ? 'yes' : 'no'], evidence: ['suicide'] },
    { label: 'outcome', values: [i.outcome], evidence: ['outcome'] },
    { label: 'perpetrator_text', values: [list(i.perpetratorText)], evidence: ['perpetrator_text'] },
    { label: 'victim_text', values: [list(i.victimText)], evidence: ['victim_text'] },
    { label: 'weapon_text', values: [list(i.weaponText)], evidence: ['weapon_text'] },
    { label: 'physical_target_text', values: [list(i.physicalTargetText)], evidence: [] },
    { label: 'sources', values: i.sources.length === 0 ? [NONE] : [...i.sources], evidence: [] },
  ];
}

/**
 * Every field of an incident with its value and, under it, each piece of evidence. `documents`
 * maps document ids to their text, to mark the exact occurrence in the sentence; without a
 * document the first occurrence is marked.
 */
export function incidentDetail(
  incident: Incident,
  documents: ReadonlyMap<string, string> = new Map(),
): string {
  const fields = detailFields(incident);
  const width = Math.max(...fields.map((f) => f.label.length)) + 2;
  const lines = [`incident ${incident.id}`, ''];
  const shown = new Set<IncidentEvidence>();
  const evidenceLines = (e: IncidentEvidence) => {
    shown.add(e);
    const text = documents.get(e.documentId);
    return formatEvidence(e, text === undefined ? null : offsetInSentence(text, e));
  };
  for (const field of fields) {
    field.values.forEach((value, n) => {
      lines.push(`${(n === 0 ? field.label : '').padEnd(width)}${value}`);
    });
    for (const e of incident.evidence) if (field.evidence.includes(e.field)) lines.push(...evidenceLines(e));
  }
  const rest = incident.evidence.filter((e) => !shown.has(e));
  if (rest.length > 0) {
    lines.push('other evidence');
    for (const e of rest) lines.push(...evidenceLines({ ...e, value: `${e.field} ${e.value}` }));
  }
  return lines.join('\n');
}

/** `vigil stats` as text. */
export function statsText(stats: StoreStats): string {
  const rows: [string, string][] = [
    ['database', `${stats.database.kind} ${stats.database.location}`],
    ['documents', String(stats.documents)],
    ['incidents', String(stats.incidents)],
    ['groups', String(stats.groups)],
    ['evidence', String(stats.evidence)],
  ];
  const kb = stats.knowledge_base;
  if (kb) {
    const files = kb.files.length === 0 ? '' : `; with ${kb.files.map((f) => f.path).join(', ')}`;
    rows.push([
      'knowledge base',
      `${kb.version.slice(0, 12)} (${kb.groups} groups${files}), synced ${kb.loaded_at}`,
    ]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}`).join('\n');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One line per ingested document: `stored <origin> (2 incidents)`, `already known <origin>`, `error <origin>: <reason>`. */
export function outcomeLine(outcome: IngestOutcome): string {
  switch (outcome.status) {
    case 'stored': {
      const merged = outcome.incidentIds.filter((id, i) => id !== outcome.incidents[i]?.id).length;
      const notes = [
        plural(outcome.incidents.length, 'incident', 'incidents'),
        ...(merged > 0 ? [`${merged} merged with earlier reports`] : []),
        ...(outcome.copyOf ? [`copy of ${shortId(outcome.copyOf)}`] : []),
      ];
      return `stored ${outcome.origin} (${notes.join(', ')})`;
    }
    case 'duplicate':
      return outcome.redated
        ? `already known ${outcome.origin} (an earlier copy: now dated ${outcome.redated.to.slice(0, 10)}, was ${outcome.redated.from?.slice(0, 10) ?? 'undated'})`
        : `already known ${outcome.origin}`;
    default:
      return `error ${outcome.origin}: ${outcome.reason}`;
  }
}

export interface IngestTally {
  stored: number;
  duplicate: number;
  error: number;
  incidents: number;
}

export function emptyTally(): IngestTally {
  return { stored: 0, duplicate: 0, error: 0, incidents: 0 };
}

export function countOutcome(tally: IngestTally, outcome: IngestOutcome): void {
  tally[outcome.status] += 1;
  if (outcome.status === 'stored') tally.incidents += outcome.incidents.length;
}

/** `3 stored, 1 already known, 1 refused`. */
export function summaryLine(tally: IngestTally): string {
  return `${tally.stored} stored, ${tally.duplicate} already known, ${tally.error} refused`;
}

/** One `vigil ingest --json` line: the outcome with its incidents in their public JSON shape. */
export function outcomeJson(outcome: IngestOutcome): string {
  switch (outcome.status) {
    case 'stored':
      return JSON.stringify({
        status: outcome.status,
        origin: outcome.origin,
        document_id: outcome.documentId,
        incidents: outcome.incidents.map(incidentJson),
        incident_ids: outcome.incidentIds,
        copy_of: outcome.copyOf,
      });
    case 'duplicate':
      return JSON.stringify({
        status: outcome.status,
        origin: outcome.origin,
        document_id: outcome.documentId,
        ...(outcome.redated ? { redated: outcome.redated } : {}),
      });
    default:
      return JSON.stringify({ status: outcome.status, origin: outcome.origin, reason: outcome.reason });
  }
}

/** Each report an incident was merged from, oldest first: outlet, date, its own tolls, and why it
 * was taken for the same incident — how the figures changed as reports came in. */
export function reportsText(reports: readonly IncidentReport[]): string {
  if (reports.length <= 1) return '';
  const rows = reports.map((r) => [
    r.published ?? '—',
    r.outlet ?? shortId(r.documentId),
    formatCount(r.incident.killed),
    formatCount(r.incident.wounded),
    r.copyOf
      ? `copy of ${shortId(r.copyOf)}`
      : r.score === null
        ? 'first report'
        : `score ${r.score}: ${r.reasons.join('; ')}`,
  ]);
  return `\nReports (${reports.length}), oldest first:\n${renderTable(
    [
      { header: 'published' },
      { header: 'source' },
      { header: 'killed', align: 'right' },
      { header: 'wounded', align: 'right' },
      { header: 'merged because' },
    ],
    rows,
  )}`;
}

/** A state's reaction as `vigil incident` and `vigil reactions` show it. */
export interface ReactionView {
  readonly kind: string;
  readonly actor: { readonly country: string; readonly text: string };
  readonly target: string | null;
  readonly incident: string | null;
  readonly evidence: IncidentEvidence | Omit<IncidentEvidence, 'field' | 'value' | 'inferred'>;
  readonly source: { readonly published: string | null; readonly outlet: string | null };
}

/** States' reactions to an incident: who, what kind, aimed at whom, and the sentence that says so. */
export function reactionsText(reactions: readonly ReactionView[]): string {
  if (reactions.length === 0) return '';
  const lines = [`\nReactions (${reactions.length}):`];
  for (const r of reactions) {
    const target = r.target === null ? '' : ` → ${r.target}`;
    const source = [r.source.published?.slice(0, 10), r.source.outlet].filter(Boolean).join(', ');
    lines.push(
      `  ${r.actor.country} ${r.kind}${target}: ${r.actor.text} · document ${shortId(r.evidence.documentId)}${source ? ` (${source})` : ''}`,
      `    ${markEvidence(r.evidence.sentence, r.evidence.text)}`,
    );
  }
  return lines.join('\n');
}
