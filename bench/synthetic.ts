/**
 * Synthetic data at GTD scale for the load and memory benchmarks.
 *
 * - `syntheticArticles(n, seed)`: news-like articles (an attack sentence naming a city, a toll, a
 *   claim, then paragraphs of filler words so no two are near-duplicates), dated 1970–2024 with
 *   GTD's skew towards recent years, one JSON Lines object each.
 * - `buildStore(path, scale)`: a SQLite store of `scale.incidents` incidents and `scale.documents`
 *   documents (GTD: 250k incidents; 1M documents at four reports an incident), with GTD-like
 *   distributions over countries (Zipf over the countries GTD counts most), groups (about half
 *   unattributed, the rest Zipf over the knowledge base), years and attack types. Incidents and
 *   their evidence are real extractor output from synthetic articles, re-dated and re-placed; rows
 *   are written with the store's own row mapping (incidentToRows) in large transactions, bypassing
 *   re-clustering (the reports table stays empty: the store is for reading). What insertIncident
 *   keeps besides (migration 0014_search: the search text, TAXII first appearances; 0017: each
 *   group's incidents by date) is then filled by `fillGroupDates` and `rebuildSearchIndexes` (about
 *   3–4 minutes at GTD scale), which also optimises the full-text indexes and runs ANALYZE.
 *
 * The store is cached under `.vigil/bench/` (gitignored), keyed by its size and schema version.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import wordListPath from 'word-list';
import { loadGroups } from '../src/knowledge/groups.js';
import { incidentsOf } from '../src/pipeline/ingest.js';
import type { Incident } from '../src/resolve/index.js';
import { documentId, normaliseText } from '../src/sources/index.js';
import { connect } from '../src/store/connect.js';
import { incidentToRows } from '../src/store/incident-rows.js';
import { openStore } from '../src/store/index.js';
import { fillGroupDates, rebuildSearchIndexes } from '../src/store/search.js';

export const CACHE = new URL('../.vigil/bench/', import.meta.url);

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index drawn from a Zipf distribution over n items (s = 1.1): a few very common, a long tail. */
function zipf(n: number, random: () => number): number {
  const weights = zipfWeights(n);
  const r = random() * (weights.at(-1) as number);
  let lo = 0;
  let hi = weights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((weights[mid] as number) < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
const zipfCache = new Map<number, number[]>();
function zipfWeights(n: number): number[] {
  let w = zipfCache.get(n);
  if (w === undefined) {
    w = [];
    let sum = 0;
    for (let i = 1; i <= n; i++) {
      sum += 1 / i ** 1.1;
      w.push(sum);
    }
    zipfCache.set(n, w);
  }
  return w;
}

/** Cities the gazetteer knows, in the order of GTD's most attacked countries. */
const PLACES: readonly [string, string][] = [
  ['Baghdad', 'IQ'],
  ['Kabul', 'AF'],
  ['Peshawar', 'PK'],
  ['Srinagar', 'IN'],
  ['Bogota', 'CO'],
  ['Manila', 'PH'],
  ['Lima', 'PE'],
  ['San Salvador', 'SV'],
  ['Belfast', 'GB'],
  ['Mogadishu', 'SO'],
  ['Maiduguri', 'NG'],
  ['Istanbul', 'TR'],
  ['Bangkok', 'TH'],
  ['Sanaa', 'YE'],
  ['Colombo', 'LK'],
  ['Bilbao', 'ES'],
  ['Damascus', 'SY'],
  ['Algiers', 'DZ'],
  ['Paris', 'FR'],
  ['Cairo', 'EG'],
  ['Tripoli', 'LY'],
  ['Bamako', 'ML'],
  ['Nairobi', 'KE'],
  ['Moscow', 'RU'],
  ['Jerusalem', 'IL'],
  ['Beirut', 'LB'],
  ['Mosul', 'IQ'],
  ['Kandahar', 'AF'],
  ['Quetta', 'PK'],
  ['Mumbai', 'IN'],
  ['Dhaka', 'BD'],
  ['Ouagadougou', 'BF'],
  ['Niamey', 'NE'],
  ['Bangui', 'CF'],
  ['Kinshasa', 'CD'],
  ['Goma', 'CD'],
  ['Athens', 'GR'],
  ['Rome', 'IT'],
  ['London', 'GB'],
  ['Brussels', 'BE'],
  ['Oklahoma City', 'US'],
  ['Jakarta', 'ID'],
  ['Kathmandu', 'NP'],
  ['Tehran', 'IR'],
  ['Amman', 'JO'],
  ['Tunis', 'TN'],
  ['Karachi', 'PK'],
  ['Lahore', 'PK'],
  ['Jalalabad', 'AF'],
  ['Kirkuk', 'IQ'],
];
const GROUP_NAMES = [
  'the Taliban',
  'Islamic State',
  'al-Shabaab',
  'Boko Haram',
  'the Shining Path',
  'the FARC',
  'the PKK',
  'the New People’s Army',
  'the IRA',
  'ETA',
  'Tehrik-i-Taliban Pakistan',
  'al-Qaeda in the Arabian Peninsula',
  'the Liberation Tigers of Tamil Eelam',
  'Abu Sayyaf',
  'Lashkar-e-Taiba',
  'Hamas',
];
const ATTACKS: readonly [number, (place: string, n: number, m: number) => string][] = [
  [
    48,
    (p, n, m) =>
      `A car bomb exploded near a crowded market in ${p}, killing ${n} people and wounding ${m}, police said.`,
  ],
  [
    24,
    (p, n, m) =>
      `Gunmen opened fire on a bus carrying civilians in ${p}, killing ${n} people and wounding ${m}, officials said.`,
  ],
  [
    6,
    (p, n) =>
      `A local official was shot dead outside his home in ${p} in an attack that also killed ${n} bodyguards.`,
  ],
  [6, (p, n) => `Militants abducted ${n + 2} aid workers from a village near ${p}, officials said.`],
  [
    6,
    (p) =>
      `Attackers set fire to a police station and a power substation in ${p} overnight, causing heavy damage.`,
  ],
  [4, (p, n) => `An explosion of unknown origin killed ${n} people at a checkpoint in ${p}.`],
];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

let words: string[] | undefined;
function word(random: () => number): string {
  words ??= readFileSync(wordListPath, 'utf8')
    .split('\n')
    .filter((w) => w.length > 2 && w.length < 11);
  return words[Math.floor(random() * words.length)] as string;
}

function filler(random: () => number): string {
  const sentences = 3 + Math.floor(random() * 4);
  const out: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const n = 8 + Math.floor(random() * 12);
    const ws = Array.from({ length: n }, () => word(random));
    out.push(`${(ws[0] as string)[0]?.toUpperCase()}${ws.join(' ').slice(1)}.`);
  }
  return out.join(' ');
}

/** A year from 1970 to 2024, skewed to recent years as GTD's counts are. */
function year(random: () => number): number {
  return 1970 + Math.floor(54 * Math.sqrt(random()));
}

export interface SyntheticArticle {
  readonly text: string;
  readonly title: string;
  readonly source: string;
  readonly published: string;
  readonly url: string;
}

/** The n-th synthetic article of a seeded stream (deterministic, independent of the others). */
export function syntheticArticle(n: number, seed = 1): SyntheticArticle {
  const random = prng(seed * 1_000_003 + n);
  const [city] = PLACES[zipf(PLACES.length, random)] as [string, string];
  let r = random() * 94;
  let attack = ATTACKS[0]?.[1] as (typeof ATTACKS)[0][1];
  for (const [w, f] of ATTACKS) {
    if (r < w) {
      attack = f;
      break;
    }
    r -= w;
  }
  const killed = 1 + Math.floor(random() * random() * 60);
  const wounded = Math.floor(random() * 120);
  const day = WEEKDAYS[Math.floor(random() * 7)] as string;
  const claim =
    random() < 0.5
      ? `${GROUP_NAMES[zipf(GROUP_NAMES.length, random)]} claimed responsibility for the attack in a statement.`
      : 'No group immediately claimed responsibility.';
  const published = `${year(random)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const text = [
    `${attack(city, killed, wounded).replace(/\.$/, '')} on ${day}.`,
    claim,
    filler(random),
    filler(random),
    `Reference ${seed}-${n}.`,
  ].join('\n\n');
  return {
    text,
    title: `${city}: attack kills ${killed}`,
    source: `Wire ${1 + (n % 40)}`,
    published,
    url: `https://wire${1 + (n % 40)}.example/${published}/${n}`,
  };
}

export interface Scale {
  readonly incidents: number;
  readonly documents: number;
}
export const DEFAULT_SCALE: Scale = { incidents: 25_000, documents: 100_000 };
export const FULL_SCALE: Scale = { incidents: 250_000, documents: 1_000_000 };
/** 3: migration 0014_search (search text, TAXII first appearances, sort keys) filled after the load. */
const BUILDER_VERSION = 3;

export function storePath(scale: Scale): string {
  return new URL(`gtd-${scale.incidents}-${scale.documents}-v${BUILDER_VERSION}.db`, CACHE).pathname;
}

/** Builds the store once (cached); returns its path. */
export async function buildStore(scale: Scale, log: (line: string) => void = console.error): Promise<string> {
  const path = storePath(scale);
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const started = Date.now();
  const store = await openStore(partial);
  const groups = loadGroups();
  await store.syncGroups(groups);
  await store.close();
  const byId = new Map(groups.map((g) => [g.id, g]));
  // Templates: real extractor output on synthetic articles, with their evidence.
  const templates: { incident: Incident; text: string }[] = [];
  for (let n = 0; templates.length < 400 && n < 4000; n++) {
    const a = syntheticArticle(n, 7);
    const text = normaliseText(a.text);
    const doc = {
      id: 'template',
      text,
      title: a.title,
      url: a.url,
      outlet: a.source,
      published: a.published,
      language: 'eng',
      origin: 'x',
    };
    for (const incident of incidentsOf(doc, byId))
      if (incident.country !== null) templates.push({ incident, text });
  }
  log(
    `bench store: ${templates.length} templates; writing ${scale.incidents} incidents, ${scale.documents} documents`,
  );
  const db = new SqliteDatabase(partial);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // A page cache of 1 GiB: the rows go into a dozen indexes in random key order (hashed ids), and
  // with SQLite's default 2 MB every insert re-reads index pages (ten times slower past ~50 MB).
  db.pragma('cache_size = -1048576');
  // Secondary indexes are built once at the end, from sorted data: kept during the load, each of the
  // millions of inserts updated a dozen of them in random key order (most of the hour a build took).
  const deferred = db
    .prepare<[], { name: string; sql: string }>(
      `select name, sql from sqlite_master where type = 'index' and sql is not null
       and tbl_name in ('documents', 'incidents', 'incident_groups', 'evidence', 'incident_sources')`,
    )
    .all();
  for (const { name } of deferred) db.exec(`drop index "${name}"`);
  // So are the triggers (they mark incidents for analysis: done in one statement below).
  const triggers = db
    .prepare<[], { name: string; sql: string }>(
      `select name, sql from sqlite_master where type = 'trigger'
       and tbl_name in ('documents', 'incidents', 'incident_groups', 'evidence', 'incident_sources')`,
    )
    .all();
  for (const { name } of triggers) db.exec(`drop trigger "${name}"`);
  const insert = (table: string, row: Record<string, unknown>) => {
    const keys = Object.keys(row);
    return db.prepare(
      `insert into ${table} (${keys.join(', ')}) values (${keys.map((k) => `@${k}`).join(', ')})`,
    );
  };
  let insertDoc: SqliteDatabase.Statement | undefined;
  let insertIncident: SqliteDatabase.Statement | undefined;
  let insertGroup: SqliteDatabase.Statement | undefined;
  let insertEvidence: SqliteDatabase.Statement | undefined;
  const insertSource = db.prepare(
    'insert into incident_sources (incident_id, document_id, position) values (?, ?, ?)',
  );
  const random = prng(42);
  const groupIds = groups.map((g) => g.id);
  const docsPerIncident = scale.documents / scale.incidents;
  let docs = 0;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const t = templates[Math.floor(random() * templates.length)] as (typeof templates)[0];
      const [, country] = PLACES[zipf(PLACES.length, random)] as [string, string];
      const date = `${year(random)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      const id = `${i.toString(16).padStart(8, '0')}${documentId(`incident ${i}`).slice(0, 24)}`;
      // Documents per incident: geometric around the mean, at least one; the last incident takes the rest.
      const remaining = scale.documents - docs;
      let k = 1;
      while (random() > 1 / docsPerIncident && k < 40) k++;
      k =
        i === scale.incidents - 1
          ? remaining
          : Math.max(1, Math.min(k, remaining - (scale.incidents - 1 - i)));
      const sources: string[] = [];
      for (let d = 0; d < k; d++) {
        const text = `${t.text}\n\nSynthetic report ${i}.${d}.`;
        const docId = documentId(text);
        sources.push(docId);
        const row = {
          id: docId,
          text,
          title: `Report ${i}.${d}`,
          url: `https://wire${d % 40}.example/${date}/${i}-${d}`,
          outlet: `Wire ${d % 40}`,
          published: date,
          language: 'eng',
          origin: `bench:${i}.${d}`,
          ingested_at: new Date(Date.UTC(2024, 0, 1) + (docs + d) * 1000).toISOString(),
        };
        insertDoc ??= insert('documents', row);
        insertDoc.run(row);
      }
      docs += k;
      const attributed = random() < 0.5;
      const group = groupIds[zipf(groupIds.length, random)] as string;
      const incident: Incident = {
        ...t.incident,
        id,
        country,
        date: { ...(t.incident.date ?? { precision: 'day' }), date } as Incident['date'],
        perpetratorGroups: attributed
          ? [
              {
                ...(t.incident.perpetratorGroups[0] ?? { aliasesSeen: [], attribution: 'claimed' }),
                groupId: group,
                group: byId.get(group)?.name ?? group,
              } as Incident['perpetratorGroups'][0],
            ]
          : [],
        sources,
        evidence: t.incident.evidence.map((e) => ({ ...e, documentId: sources[0] as string })),
      };
      const rows = incidentToRows(incident, new Date(Date.UTC(2024, 0, 1) + i * 4000).toISOString());
      insertIncident ??= insert('incidents', rows.incident as unknown as Record<string, unknown>);
      insertIncident.run(rows.incident);
      for (const g of rows.groups) {
        insertGroup ??= insert('incident_groups', g as unknown as Record<string, unknown>);
        insertGroup.run(g);
      }
      for (const e of rows.evidence) {
        insertEvidence ??= insert('evidence', e as unknown as Record<string, unknown>);
        insertEvidence.run(e);
      }
      sources.forEach((s, position) => {
        insertSource.run(id, s, position);
      });
    }
  });
  const STEP = 5000;
  for (let i = 0; i < scale.incidents; i += STEP) {
    batch(i, Math.min(scale.incidents, i + STEP));
    log(
      `bench store: ${Math.min(scale.incidents, i + STEP)} incidents, ${docs} documents (${Math.round((Date.now() - started) / 1000)} s)`,
    );
  }
  log(`bench store: building ${deferred.length} indexes`);
  for (const index of deferred) db.exec(index.sql);
  for (const trigger of triggers) db.exec(trigger.sql);
  db.exec('insert or ignore into analysis_dirty (incident_id) select id from incidents');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  // The rows were written directly: fill what insertIncident keeps (search text, first appearances).
  const indexed = await connect(partial);
  try {
    await sql`pragma cache_size = -1048576`.execute(indexed.db);
    await fillGroupDates(indexed.db);
    await rebuildSearchIndexes(indexed.db, 'sqlite', log);
  } finally {
    await indexed.db.destroy();
  }
  renameSync(partial, path);
  rmSync(`${partial}-wal`, { force: true });
  rmSync(`${partial}-shm`, { force: true });
  log(`bench store: built ${path} in ${Math.round((Date.now() - started) / 1000)} s`);
  return path;
}
