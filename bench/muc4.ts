/**
 * Evaluates Vigil's extractor on the MUC-4 dev (or train) split. Never on test: those files are kept back.
 *
 *   npx tsx bench/muc4.ts [--split dev|train] [--json] [--data DIR]
 *
 * Data: ../shared/eval/muc4 relative to the project (see its README.md), or --data / $MUC4_DIR.
 * The metrics are explained in bench/README.md. CEAF-REE, the GTT template metric and the template view
 * of incidents are the product's (src/eval/, as `vigil eval muc4`); the key-slot helpers are bench-only
 * (bench/muc4-metrics.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addCounts,
  documentEntities,
  type MatchCounts,
  NO_COUNTS,
  type RoleScore,
  scoreEntities,
  withPrf,
} from '../src/eval/ceaf-ree.js';
import { dedupeTemplates, GTT_KEYS, type GttScore, gttScore } from '../src/eval/gtt-metric.js';
import { type Prf, prf } from '../src/eval/scores.js';
import type { Muc4Template } from '../src/eval/types.js';
import { muc4Templates } from '../src/eval/view.js';
import type { IncidentDraft } from '../src/extract/index.js';
import type { Incident } from '../src/resolve/index.js';
import {
  attackTypeAgrees,
  distinctStringEntities,
  greedyAlign,
  mean,
  mucDateContains,
  mucDateIsSingleDay,
  normalisePlaceName,
  parseDateline,
  parseMucLocation,
  ratio,
} from './muc4-metrics.js';

// ---------------------------------------------------------------------------------------------------
// Data

const ROLES = ['PerpInd', 'PerpOrg', 'Target', 'Victim', 'Weapon'] as const;
type Role = (typeof ROLES)[number];

type Mention = [string, number];
type Entity = Mention[];

interface GttTemplate {
  readonly incident_type: string;
  readonly [role: string]: unknown;
}
interface GttDoc {
  readonly docid: string;
  readonly doctext: string;
  readonly templates: readonly GttTemplate[];
}
interface GritDoc {
  readonly docid: string;
  readonly doctext: string;
  readonly extracts: Readonly<Record<Role, readonly Entity[]>>;
}
interface KeyTemplate {
  readonly template_id: string;
  readonly optional: boolean;
  readonly relevant: boolean;
  readonly gtt_template_index: number | null;
  readonly slots: Readonly<Record<string, readonly string[]>>;
}
interface KeyDoc {
  readonly docid: string;
  readonly dateline: string | null;
  readonly key_templates: readonly KeyTemplate[];
}

interface BenchDoc {
  readonly id: string;
  readonly text: string;
  readonly published: string | null;
  readonly gtt: GttDoc;
  readonly grit: GritDoc;
  readonly keys: KeyDoc;
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export function defaultDataDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return process.env.MUC4_DIR ?? resolve(here, '../../shared/eval/muc4');
}

/** The split's documents with their three gold files aligned by docid. */
export function loadSplit(dataDir: string, split: 'dev' | 'train'): BenchDoc[] {
  const gtt = readJsonl<GttDoc>(join(dataDir, `${split}.jsonl`));
  const grit = new Map(readJsonl<GritDoc>(join(dataDir, `grit_${split}.jsonl`)).map((d) => [d.docid, d]));
  const keys = new Map(readJsonl<KeyDoc>(join(dataDir, `${split}.full_keys.jsonl`)).map((d) => [d.docid, d]));
  return gtt.map((g) => {
    const gr = grit.get(g.docid);
    const k = keys.get(g.docid);
    if (!gr || !k)
      throw new Error(`${g.docid}: missing from grit_${split}.jsonl or ${split}.full_keys.jsonl`);
    if (gr.doctext !== g.doctext) throw new Error(`${g.docid}: GRIT and GTT texts differ`);
    return { id: g.docid, text: g.doctext, published: parseDateline(k.dateline), gtt: g, grit: gr, keys: k };
  });
}

// ---------------------------------------------------------------------------------------------------
// Metrics

interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

function relevance(docs: readonly BenchDoc[], drafts: readonly IncidentDraft[][]): Confusion & Prf {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  docs.forEach((d, i) => {
    const pred = (drafts[i]?.length ?? 0) > 0;
    const gold = d.gtt.templates.length > 0;
    if (pred && gold) tp++;
    else if (pred) fp++;
    else if (gold) fn++;
    else tn++;
  });
  return { tp, fp, fn, tn, ...prf(tp, tp + fp, tp + fn) };
}

function incidentCounts(docs: readonly BenchDoc[], drafts: readonly IncidentDraft[][]) {
  const rows = docs.map((d, i) => ({
    gold: dedupeTemplates(d.gtt.templates).length,
    pred: drafts[i]?.length ?? 0,
  }));
  const relevant = rows.filter((r) => r.gold > 0);
  const irrelevant = rows.filter((r) => r.gold === 0);
  return {
    goldTemplatesFile: docs.reduce((a, d) => a + d.gtt.templates.length, 0),
    goldTemplatesDeduped: rows.reduce((a, r) => a + r.gold, 0),
    drafts: rows.reduce((a, r) => a + r.pred, 0),
    meanAbsDiffAllDocs: mean(rows.map((r) => Math.abs(r.pred - r.gold))),
    meanAbsDiffRelevantDocs: mean(relevant.map((r) => Math.abs(r.pred - r.gold))),
    relevantDocs: relevant.length,
    relevantDocsExactCount: relevant.filter((r) => r.pred === r.gold).length,
    exactCountShareRelevant: ratio(relevant.filter((r) => r.pred === r.gold).length, relevant.length),
    meanDraftsOnIrrelevantDocs: mean(irrelevant.map((r) => r.pred)),
  };
}

/** Variant: only the alias written where the group is first attributed (what REE systems usually output). */
function perpOrgFirstAlias(drafts: readonly IncidentDraft[]): string[][] {
  const byGroup = new Map<string, string>();
  for (const d of drafts)
    for (const p of d.perpetrators)
      if (!byGroup.has(p.value.groupId)) byGroup.set(p.value.groupId, p.value.alias);
  return distinctStringEntities(byGroup.values());
}

/** Variant: every distinct alias string as its own entity. */
function perpOrgPerString(drafts: readonly IncidentDraft[]): string[][] {
  return distinctStringEntities(
    drafts.flatMap((d) => d.perpetrators.flatMap((p) => [p.value.alias, ...p.value.aliasesSeen])),
  );
}

function goldEntities(doc: BenchDoc, role: Role): string[][] {
  return (doc.grit.extracts[role] ?? []).map((e) => e.map((m) => m[0])).filter((e) => e.length > 0);
}

/** CEAF-REE on the product's view (`documentEntities(muc4Templates(incidents))`, as `vigil eval muc4`),
 * plus two bench-only PerpOrg variants computed from the drafts. */
function slotScores(
  docs: readonly BenchDoc[],
  drafts: readonly IncidentDraft[][],
  templates: readonly Muc4Template[][],
) {
  const totals: Record<Role, MatchCounts> = {
    PerpInd: NO_COUNTS,
    PerpOrg: NO_COUNTS,
    Target: NO_COUNTS,
    Victim: NO_COUNTS,
    Weapon: NO_COUNTS,
  };
  let firstAlias = NO_COUNTS;
  let perString = NO_COUNTS;
  docs.forEach((doc, i) => {
    const ds = drafts[i] ?? [];
    const pred = documentEntities(templates[i] ?? []);
    for (const role of ROLES)
      totals[role] = addCounts(totals[role], scoreEntities(pred[role], goldEntities(doc, role)));
    const goldOrg = goldEntities(doc, 'PerpOrg');
    firstAlias = addCounts(firstAlias, scoreEntities(perpOrgFirstAlias(ds), goldOrg));
    perString = addCounts(perString, scoreEntities(perpOrgPerString(ds), goldOrg));
  });
  const micro = ROLES.reduce((acc, r) => addCounts(acc, totals[r]), NO_COUNTS);
  const roles = Object.fromEntries(ROLES.map((r) => [r, withPrf(totals[r])])) as Record<Role, RoleScore>;
  return {
    roles,
    micro: withPrf(micro),
    perpOrgVariants: { firstAliasOnly: withPrf(firstAlias), everyAliasSeparately: withPrf(perString) },
  };
}

/** GTT gold as plain mention strings (offsets dropped). */
function gttGold(doc: BenchDoc): Muc4Template[] {
  return doc.gtt.templates.map((t) => {
    const out: Record<string, unknown> = { incident_type: t.incident_type };
    for (const role of ROLES)
      out[role] = ((t[role] as readonly Entity[] | undefined) ?? []).map((e) => e.map((m) => m[0]));
    return out as unknown as Muc4Template;
  });
}

/** The GTT template metric (incident type + 5 roles), as `vigil eval muc4` computes it. */
function templateMetric(docs: readonly BenchDoc[], templates: readonly Muc4Template[][]): GttScore {
  return gttScore(docs.map((d, i) => ({ pred: templates[i] ?? [], gold: gttGold(d) })));
}

// Extra slots (full keys) ---------------------------------------------------------------------------

const EXTRA_SLOTS = ['date', 'dateSingleDayGold', 'dateRangeGold', 'country', 'city', 'attackType'] as const;
type ExtraSlot = (typeof EXTRA_SLOTS)[number];

interface SlotTally {
  /** Gold templates with a gradable value for this slot. */
  graded: number;
  /** Of those, how many were aligned to a draft. */
  aligned: number;
  hits: number;
}

function slotValue(t: KeyTemplate, name: string): string | null {
  const lines = t.slots[name] ?? [];
  return lines.length === 0 ? null : lines.join(' / ');
}

/** Per slot: null = not gradable for this template, else whether the draft agrees (no draft = false). */
function gradePair(t: KeyTemplate, d: IncidentDraft | null): Record<ExtraSlot, boolean | null> {
  const dateValue = slotValue(t, 'INCIDENT: DATE');
  const draftDay = d?.date && d.date.value.precision === 'day' ? d.date.value.date : null;
  const date = dateValue === null ? null : mucDateContains(dateValue, draftDay);
  const single = dateValue !== null && mucDateIsSingleDay(dateValue);
  const loc = parseMucLocation(slotValue(t, 'INCIDENT: LOCATION') ?? '-');
  const place = d?.place?.value ?? null;
  const type = slotValue(t, 'INCIDENT: TYPE');
  return {
    date,
    dateSingleDayGold: date !== null && single ? date : null,
    dateRangeGold: date !== null && !single ? date : null,
    country: loc.countries.length === 0 ? null : place !== null && loc.countries.includes(place.country),
    city:
      loc.cities.length === 0
        ? null
        : place?.city != null && loc.cities.includes(normalisePlaceName(place.city)),
    attackType: type === null ? null : attackTypeAgrees(type, d?.attackTypes.map((a) => a.value) ?? []),
  };
}

function agreement(g: Record<ExtraSlot, boolean | null>): number {
  return (g.date ? 1 : 0) + (g.country ? 1 : 0) + (g.city ? 1 : 0) + (g.attackType ? 1 : 0);
}

function emptyTallies(): Record<ExtraSlot, SlotTally> {
  return Object.fromEntries(EXTRA_SLOTS.map((s) => [s, { graded: 0, aligned: 0, hits: 0 }])) as Record<
    ExtraSlot,
    SlotTally
  >;
}

function tally(
  tallies: Record<ExtraSlot, SlotTally>,
  g: Record<ExtraSlot, boolean | null>,
  aligned: boolean,
) {
  for (const s of EXTRA_SLOTS) {
    const v = g[s];
    if (v === null) continue;
    tallies[s].graded++;
    if (aligned) tallies[s].aligned++;
    if (v) tallies[s].hits++;
  }
}

function extraSlots(docs: readonly BenchDoc[], drafts: readonly IncidentDraft[][]) {
  const greedy = emptyTallies();
  const first = emptyTallies();
  const typeConfusion: Record<string, number> = {};
  let templates = 0;
  let optionalTemplates = 0;
  let alignedPairs = 0;
  const unmappedCountries = new Set<string>();
  docs.forEach((doc, i) => {
    const ds = drafts[i] ?? [];
    const ts = doc.keys.key_templates.filter((t) => t.relevant);
    templates += ts.length;
    optionalTemplates += ts.filter((t) => t.optional).length;
    for (const t of ts) {
      for (const c of parseMucLocation(slotValue(t, 'INCIDENT: LOCATION') ?? '-').unmappedCountries) {
        unmappedCountries.add(c);
      }
    }
    // Greedy alignment on agreement (date + country + city + type).
    const grades = ts.map((t) => ds.map((d) => gradePair(t, d)));
    const pairs = greedyAlign(grades.map((row) => row.map(agreement)));
    alignedPairs += pairs.length;
    const draftOf = new Map(pairs.map(([ti, di]) => [ti, di]));
    ts.forEach((t, ti) => {
      const di = draftOf.get(ti);
      const d = di === undefined ? null : (ds[di] ?? null);
      tally(
        greedy,
        di === undefined ? gradePair(t, null) : (grades[ti]?.[di] ?? gradePair(t, d)),
        d !== null,
      );
      const goldType = slotValue(t, 'INCIDENT: TYPE') ?? '-';
      const predTypes = d === null ? '(no draft)' : d.attackTypes.map((a) => a.value).join('+') || '(none)';
      const key = `${goldType} → ${predTypes}`;
      typeConfusion[key] = (typeConfusion[key] ?? 0) + 1;
    });
    // First relevant template vs first draft.
    const t0 = ts[0];
    if (t0) tally(first, gradePair(t0, ds[0] ?? null), ds[0] !== undefined);
  });
  const summarise = (t: Record<ExtraSlot, SlotTally>) =>
    Object.fromEntries(
      EXTRA_SLOTS.map((s) => [
        s,
        {
          ...t[s],
          accuracy: ratio(t[s].hits, t[s].graded),
          accuracyWhenAligned: ratio(t[s].hits, t[s].aligned),
        },
      ]),
    ) as Record<ExtraSlot, SlotTally & { accuracy: number; accuracyWhenAligned: number }>;
  return {
    relevantKeyTemplates: templates,
    optionalKeyTemplates: optionalTemplates,
    alignedPairs,
    greedy: summarise(greedy),
    firstVsFirst: summarise(first),
    unmappedCountries: [...unmappedCountries].sort(),
    attackTypeConfusion: Object.fromEntries(Object.entries(typeConfusion).sort((a, b) => b[1] - a[1])),
  };
}

// ---------------------------------------------------------------------------------------------------
// Run

type Extract = (doc: { id: string; text: string; published: string | null }) => IncidentDraft[];

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function run(split: 'dev' | 'train', dataDir: string) {
  const docs = loadSplit(dataDir, split);

  const t0 = performance.now();
  const mod = (await import('../src/extract/index.js')) as { extractIncidents: Extract };
  const importMs = performance.now() - t0;
  const extract = mod.extractIncidents;
  const input = (d: BenchDoc) => ({ id: d.id, text: d.text, published: d.published });

  const first = docs[0];
  if (!first) throw new Error('no documents');
  const t1 = performance.now();
  extract(input(first));
  const firstCallMs = performance.now() - t1;

  const t2 = performance.now();
  for (const d of docs) extract(input(d));
  const warmupMs = performance.now() - t2;

  const perDoc: number[] = [];
  const drafts: IncidentDraft[][] = [];
  const t3 = performance.now();
  for (const d of docs) {
    const s = performance.now();
    drafts.push(extract(input(d)));
    perDoc.push(performance.now() - s);
  }
  const totalMs = performance.now() - t3;
  const sorted = [...perDoc].sort((a, b) => a - b);
  const chars = docs.reduce((a, d) => a + d.text.length, 0);

  // The product's view: drafts resolved into incidents, then seen as GTT templates.
  const { resolveDraft } = await import('../src/resolve/index.js');
  const { loadGroups } = await import('../src/knowledge/groups.js');
  const groups = new Map(loadGroups().map((g) => [g.id, g]));
  const templates = drafts.map((ds) => muc4Templates(ds.map((d): Incident => resolveDraft(d, groups))));

  return {
    split,
    dataDir,
    documents: docs.length,
    documentsWithoutDateline: docs.filter((d) => d.published === null).length,
    relevance: relevance(docs, drafts),
    incidentCount: incidentCounts(docs, drafts),
    templateMetric: templateMetric(docs, templates),
    slots: slotScores(docs, drafts, templates),
    extraSlots: extraSlots(docs, drafts),
    throughput: {
      importMs,
      firstCallMs,
      warmupPassMs: warmupMs,
      timedPassMs: totalMs,
      docsPerSecond: docs.length / (totalMs / 1000),
      charsPerSecond: chars / (totalMs / 1000),
      meanMsPerDoc: mean(perDoc),
      p50MsPerDoc: percentile(sorted, 0.5),
      p95MsPerDoc: percentile(sorted, 0.95),
      maxMsPerDoc: sorted[sorted.length - 1] ?? 0,
      node: process.version,
    },
  };
}

type Report = Awaited<ReturnType<typeof run>>;

// ---------------------------------------------------------------------------------------------------
// Output

const pct = (x: number) => `${(100 * x).toFixed(1)}`;

function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((v, c) => (c === 0 ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0))).join('  ');
  return [
    line(cells[0] ?? []),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

function render(r: Report): string {
  const out: string[] = [];
  out.push(
    `MUC-4 ${r.split}: ${r.documents} documents (${r.documentsWithoutDateline} without a dated dateline)`,
  );
  out.push(`data: ${r.dataDir}`);

  const rel = r.relevance;
  out.push('', '1. Document relevance (predicted: >= 1 draft; gold: >= 1 template)');
  out.push(
    table(
      ['', 'TP', 'FP', 'FN', 'TN', 'P', 'R', 'F1'],
      [['relevant', rel.tp, rel.fp, rel.fn, rel.tn, pct(rel.p), pct(rel.r), pct(rel.f1)]],
    ),
  );

  const ic = r.incidentCount;
  out.push('', '2. Incident count (gold = GTT templates after exact de-dup)');
  out.push(
    table(
      ['', 'value'],
      [
        ['gold templates (file / de-duped)', `${ic.goldTemplatesFile} / ${ic.goldTemplatesDeduped}`],
        ['drafts', ic.drafts],
        ['mean |drafts - gold|, all docs', ic.meanAbsDiffAllDocs.toFixed(2)],
        ['mean |drafts - gold|, relevant docs', ic.meanAbsDiffRelevantDocs.toFixed(2)],
        [
          'relevant docs with exact count',
          `${ic.relevantDocsExactCount}/${ic.relevantDocs} (${pct(ic.exactCountShareRelevant)}%)`,
        ],
        ['mean drafts on irrelevant docs', ic.meanDraftsOnIrrelevantDocs.toFixed(2)],
      ],
    ),
  );

  const g = r.templateMetric;
  out.push(
    '',
    '3. GTT template metric (per document best injective template mapping; incident type + 5 roles)',
  );
  const gttRow = (name: string, s: GttScore['micro']) => [
    name,
    `${s.pNum}/${s.pDen}`,
    `${s.rNum}/${s.rDen}`,
    pct(s.p),
    pct(s.r),
    pct(s.f1),
  ];
  out.push(
    table(
      ['key', 'P hits', 'R hits', 'P', 'R', 'F1'],
      [...GTT_KEYS.map((k) => gttRow(k, g.keys[k])), gttRow('micro avg (type + 5 roles)', g.micro)],
    ),
  );
  if (g.cappedDocuments > 0 || g.inexactDocuments > 0)
    out.push(
      `   ${g.cappedDocuments} documents with more than 8 predicted templates (the rest unmapped), ${g.inexactDocuments} with the search cut short.`,
    );

  out.push('', '4. Role fillers, CEAF-REE strict (GRIT doc-level gold; one-to-one maximum matching)');
  const roleRow = (name: string, s: RoleScore) => [
    name,
    s.predicted,
    s.gold,
    s.matched,
    pct(s.p),
    pct(s.r),
    pct(s.f1),
  ];
  out.push(
    table(
      ['role', 'pred', 'gold', 'match', 'P', 'R', 'F1'],
      [
        ...ROLES.map((role) => roleRow(role, r.slots.roles[role])),
        roleRow('micro (5 roles)', r.slots.micro),
        roleRow('PerpOrg, first alias only*', r.slots.perpOrgVariants.firstAliasOnly),
        roleRow('PerpOrg, each alias apart*', r.slots.perpOrgVariants.everyAliasSeparately),
      ],
    ),
  );
  out.push(
    '   Predictions: the incidents as GTT templates (src/eval), merged per document (entities sharing a mention).',
    '   * variants from the drafts, not in the micro average; the PerpOrg row uses one entity per group with all its aliases.',
  );

  const x = r.extraSlots;
  out.push(
    '',
    `5. Incident slots vs the 1992 keys (${x.relevantKeyTemplates} relevant key templates, ${x.optionalKeyTemplates} optional)`,
  );
  const slotRows = (label: string, t: Report['extraSlots']['greedy']) =>
    (
      [
        ['date (day inside key range)', t.date],
        ['  key = a single day', t.dateSingleDayGold],
        ['  key = a range / open range', t.dateRangeGold],
        ['country', t.country],
        ['city (keys with a CITY part)', t.city],
        ['attack type', t.attackType],
      ] as const
    ).map(([name, s]) => [
      `${label} ${name}`,
      s.hits,
      s.aligned,
      s.graded,
      pct(s.accuracy),
      pct(s.accuracyWhenAligned),
    ]);
  out.push(
    table(
      ['slot', 'hits', 'aligned', 'graded', 'acc %', 'acc|aligned %'],
      [...slotRows('[greedy]', x.greedy), ...slotRows('[first]', x.firstVsFirst)],
    ),
  );
  out.push(
    `   [greedy]: templates and drafts aligned one-to-one per document, greedily by agreement (${x.alignedPairs} pairs);`,
    '   optimistic, since it aligns on the slots it scores. [first]: first draft vs first relevant template.',
    '   acc = hits / graded (templates with no aligned draft count as misses); acc|aligned = hits / aligned.',
  );
  if (x.unmappedCountries.length > 0)
    out.push(`   unmapped key countries: ${x.unmappedCountries.join(', ')}`);

  const t = r.throughput;
  out.push('', `6. Throughput (single process, Node ${t.node})`);
  out.push(
    table(
      ['', 'value'],
      [
        ['import of src/extract', `${t.importMs.toFixed(0)} ms`],
        ['first call (loads gazetteers)', `${t.firstCallMs.toFixed(0)} ms`],
        ['warm-up pass', `${t.warmupPassMs.toFixed(0)} ms`],
        ['timed pass', `${t.timedPassMs.toFixed(0)} ms`],
        ['documents / second', t.docsPerSecond.toFixed(1)],
        ['characters / second', t.charsPerSecond.toFixed(0)],
        [
          'ms / doc: mean, p50, p95, max',
          [t.meanMsPerDoc, t.p50MsPerDoc, t.p95MsPerDoc, t.maxMsPerDoc].map((v) => v.toFixed(1)).join(', '),
        ],
      ],
    ),
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// CLI

const USAGE = 'usage: npx tsx bench/muc4.ts [--split dev|train] [--json] [--data DIR]';

function parseArgs(argv: readonly string[]) {
  let split: 'dev' | 'train' = 'dev';
  let json = false;
  let dataDir = defaultDataDir();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--json') json = true;
    else if (a === '--split' || a.startsWith('--split=')) {
      const v = a === '--split' ? argv[++i] : a.slice('--split='.length);
      if (v === 'test') throw new Error('the MUC-4 test split is held out: evaluate on dev (or train) only');
      if (v !== 'dev' && v !== 'train') throw new Error(`unknown split ${v ?? '(missing)'}\n${USAGE}`);
      split = v;
    } else if (a === '--data' || a.startsWith('--data=')) {
      const v = a === '--data' ? argv[++i] : a.slice('--data='.length);
      if (!v) throw new Error(`--data needs a directory\n${USAGE}`);
      dataDir = resolve(v);
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return { split, json, dataDir };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(join(args.dataDir, `${args.split}.jsonl`))) {
    throw new Error(`MUC-4 data not found in ${args.dataDir} (set --data or MUC4_DIR)`);
  }
  const report = await run(args.split, args.dataDir);
  console.log(args.json ? JSON.stringify(report, null, 2) : render(report));
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
