import type { Evidence } from '../extract/index.js';
import type { Incident } from '../resolve/index.js';
import { type Alert, type AlertParams, replayAlerts } from './alerts.js';
import { chartSvg, escapeXml, mapSvg, type WorldMap } from './brief-svg.js';
import { attributedGroups, compareIncidents, countOf, type Knowledge } from './common.js';
import { type CountryLink, countryLinks } from './implications.js';
import { type ReactionInput, reactionCountry } from './reactions.js';
import { computeThreat, type LevelChange, type ThreatAssessment, type ThreatParams } from './threat.js';

/* A situation report ("brief") on a group, a country or everything: key numbers by period, alerts,
 * threat level and its reasons, international implications, states' reactions, a map and a chart,
 * every statement footnoted to the documents and sentences it rests on. Pure: the same incidents,
 * reactions, documents and options give the same bytes (the generated-at line is an option). Text
 * from articles is untrusted: the renderers escape all of it, and the HTML has no script. */

export type BriefSubject =
  | { readonly kind: 'group'; readonly id: string }
  | { readonly kind: 'country'; readonly id: string }
  | { readonly kind: 'all' };

/** What a footnote says of a document. */
export interface BriefDocument {
  readonly id: string;
  readonly title: string | null;
  readonly outlet: string | null;
  readonly url: string | null;
  readonly published: string | null;
  readonly origin: string;
}

export interface BriefOptions {
  readonly subject: BriefSubject;
  /** Only incidents on or after this day (YYYY-MM-DD) count; the threat level still uses all. */
  readonly since?: string;
  /** The generated-at line (an ISO time); fixed for byte-identical output. */
  readonly generatedAt: string;
  readonly period?: 'year' | 'month';
  readonly alertParams?: Partial<AlertParams>;
  readonly threatParams?: Partial<ThreatParams>;
  /** Recent incidents listed one by one (default 10). */
  readonly recentIncidents?: number;
}

export interface BriefInput {
  readonly incidents: readonly Incident[];
  readonly knowledge: Knowledge;
  readonly reactions: readonly ReactionInput[];
  readonly documents: ReadonlyMap<string, BriefDocument>;
  /** Country outlines for the map; without them the brief has no map. */
  readonly world?: WorldMap;
}

/** A sentence of the brief with the footnotes it rests on. */
export interface Statement {
  readonly text: string;
  readonly cites: readonly number[];
}

export interface Footnote {
  readonly n: number;
  readonly document: BriefDocument;
  /** The evidence: the words and the sentence they are in. */
  readonly text: string;
  readonly sentence: string;
}

export interface PeriodRow {
  readonly period: string;
  readonly incidents: number;
  readonly killed: number;
  readonly wounded: number;
  readonly cites: readonly number[];
}

export interface Brief {
  readonly title: string;
  readonly subject: BriefSubject;
  readonly subjectName: string;
  readonly since: string | null;
  readonly generatedAt: string;
  /** Dates of the first and last incident in scope. */
  readonly span: { readonly first: string | null; readonly last: string | null };
  readonly summary: readonly Statement[];
  readonly periods: readonly PeriodRow[];
  readonly totals: { readonly incidents: number; readonly killed: number; readonly wounded: number };
  readonly recent: readonly Statement[];
  readonly alerts: readonly Statement[];
  readonly threat: {
    readonly headline: Statement;
    readonly components: readonly { name: string; value: number; points: number; detail: string }[];
    readonly changes: readonly Statement[];
  } | null;
  readonly others: readonly Statement[];
  readonly implications: readonly Statement[];
  readonly reactions: readonly Statement[];
  readonly mapSvg: string | null;
  readonly chartSvg: string;
  readonly footnotes: readonly Footnote[];
}

const REACTION_WORDS: Record<ReactionInput['kind'], string> = {
  condemn: 'condemned',
  concern: 'expressed concern about',
  blame: 'blamed',
  threaten: 'threatened',
  sanction: 'sanctioned',
  condolence: 'offered condolences over',
  support: 'offered help over',
};

const IMPLICATION_WORDS: Record<CountryLink['kind'], string> = {
  attacker_nationality: 'attackers’ nationality',
  group_home: 'group’s home country',
};

/** Incidents a brief covers: the subject's (a group's attributed attacks, a country's attacks, or all),
 * dated on or after `since` when given; in replay order. */
/** The documents a brief may cite: the sources of the incidents in scope and of the reactions. */
export function briefSourceIds(
  incidents: readonly Incident[],
  subject: BriefSubject,
  since: string | undefined,
  reactions: readonly { readonly documentId: string }[],
): string[] {
  const scope = briefScope(incidents, subject, since);
  return [...new Set([...scope.flatMap((i) => i.sources), ...reactions.map((r) => r.documentId)])].sort();
}

export function briefScope(
  incidents: readonly Incident[],
  subject: BriefSubject,
  since?: string,
): Incident[] {
  return incidents
    .filter((i) =>
      subject.kind === 'group'
        ? attributedGroups(i).some((g) => g.groupId === subject.id)
        : subject.kind === 'country'
          ? i.country === subject.id
          : true,
    )
    .filter((i) => since === undefined || (i.date !== null && i.date.date >= since))
    .sort(compareIncidents);
}

export function buildBrief(input: BriefInput, options: BriefOptions): Brief {
  const { knowledge } = input;
  const { subject } = options;
  const since = options.since ?? null;
  const scope = briefScope(input.incidents, subject, options.since);
  const inScope = new Set(scope.map((i) => i.id));
  const byId = new Map(input.incidents.map((i) => [i.id, i]));
  const notes = new Citations(input.documents);
  const countryName = (code: string) => knowledge.countries.get(code)?.name ?? code;
  const groupName = (id: string) =>
    knowledge.groups.get(id)?.name ??
    input.incidents.flatMap((i) => i.perpetratorGroups).find((g) => g.groupId === id)?.group ??
    id;
  const subjectName =
    subject.kind === 'group'
      ? groupName(subject.id)
      : subject.kind === 'country'
        ? countryName(subject.id)
        : 'all groups and countries';
  const cite = (incident: Incident, fields: readonly string[]) => notes.incident(incident, fields);

  // Key numbers by period.
  const period = options.period ?? 'year';
  const rows = new Map<string, { incidents: number; killed: number; wounded: number; cites: Set<number> }>();
  for (const i of scope) {
    const key =
      i.date === null ? 'undated' : period === 'year' ? i.date.date.slice(0, 4) : i.date.date.slice(0, 7);
    const row = rows.get(key) ?? { incidents: 0, killed: 0, wounded: 0, cites: new Set<number>() };
    row.incidents++;
    row.killed += countOf(i.killed);
    row.wounded += countOf(i.wounded);
    for (const n of cite(i, ['killed', 'wounded'])) row.cites.add(n);
    rows.set(key, row);
  }
  const periods: PeriodRow[] = [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([p, r]) => ({
      period: p,
      incidents: r.incidents,
      killed: r.killed,
      wounded: r.wounded,
      cites: [...r.cites],
    }));
  const totals = {
    incidents: scope.length,
    killed: periods.reduce((s, r) => s + r.killed, 0),
    wounded: periods.reduce((s, r) => s + r.wounded, 0),
  };
  const dated = scope.filter((i) => i.date !== null);
  const span = { first: dated[0]?.date?.date ?? null, last: dated.at(-1)?.date?.date ?? null };

  const describe = (i: Incident) => {
    const place =
      [i.city, i.country === null ? null : countryName(i.country)].filter(Boolean).join(', ') ||
      'place unknown';
    const groups = attributedGroups(i)
      .map((g) => `${g.group} (${g.attribution})`)
      .join('; ');
    return `${i.date?.date ?? 'undated'}, ${place}: ${countOf(i.killed)} killed, ${countOf(i.wounded)} wounded${groups ? `; ${groups}` : ''}${i.perpetratorNationalities.length ? `; attackers from ${i.perpetratorNationalities.map(countryName).join(', ')}` : ''} (incident ${i.id.slice(0, 8)})`;
  };
  const recentCount = options.recentIncidents ?? 10;
  const recent = [...scope]
    .reverse()
    .slice(0, recentCount)
    .map((i) => ({
      text: describe(i),
      cites: cite(i, ['date', 'city', 'country', 'killed', 'perpetrator_groups']),
    }));

  // Alerts about the subject's incidents.
  const alerts = replayAlerts(input.incidents, knowledge, options.alertParams ?? {})
    .filter(
      (a) =>
        inScope.has(a.incident) && (subject.kind !== 'group' || a.group === subject.id || a.group === null),
    )
    .sort((a, b) => cmp(b.date ?? '', a.date ?? '') || severityRank(b) - severityRank(a) || cmp(a.id, b.id))
    .map((a) => ({
      text: `[${a.severity}] ${a.title} (${a.date ?? 'undated'}): ${a.explanation}`,
      cites: notes.evidence(a.evidence),
    }));

  // Threat level, its components and its changes.
  const threatResult = computeThreat(input.incidents, knowledge, options.threatParams ?? {});
  let threat: Brief['threat'] = null;
  const others: Statement[] = [];
  const changeStatement = (c: LevelChange): Statement => {
    const incident = c.incident === null ? undefined : byId.get(c.incident);
    return {
      text: `${c.date}: ${c.from ?? '—'} → ${c.to} (${c.scoreBefore ?? '—'} → ${c.scoreAfter}). ${c.reason}`,
      cites: incident ? cite(incident, ['killed', 'country', 'perpetrator_groups']) : [],
    };
  };
  const headline = (a: ThreatAssessment): Statement => {
    const last = threatResult.changes
      .filter((c) => c.subject.kind === a.subject.kind && c.subject.id === a.subject.id)
      .at(-1);
    const lastIncident = last?.incident ? byId.get(last.incident) : undefined;
    const top = [...a.components]
      .sort((x, y) => y.contribution - x.contribution || cmp(x.name, y.name))
      .slice(0, 3);
    return {
      text: `${a.subject.name}: ${a.level.toUpperCase()}, ${a.score} of 100 as of ${a.asOf} (${a.incidents} incidents on record); largest components: ${top.map((c) => `${c.name} ${c.contribution} points (${c.detail})`).join('; ')}${last ? `. Last change ${last.date}: ${last.from ?? '—'} → ${last.to}` : ''}`,
      cites: lastIncident ? cite(lastIncident, ['killed', 'country', 'perpetrator_groups']) : [],
    };
  };
  if (subject.kind !== 'all') {
    const list = subject.kind === 'group' ? threatResult.groups : threatResult.countries;
    const a = list.find((x) => x.subject.id === subject.id);
    if (a) {
      const changes = threatResult.changes
        .filter((c) => c.subject.kind === subject.kind && c.subject.id === subject.id)
        .filter((c) => since === null || c.date >= since);
      threat = {
        headline: headline(a),
        components: a.components.map((c) => ({
          name: c.name,
          value: c.value,
          points: c.contribution,
          detail: c.detail,
        })),
        changes: changes.slice(-8).map(changeStatement),
      };
    }
  } else {
    for (const a of threatResult.groups.slice(0, 5)) others.push(headline(a));
    for (const a of threatResult.countries.slice(0, 5)) others.push(headline(a));
  }

  // International implications and reactions.
  const links = countryLinks(scope, knowledge);
  const implications = links.map((l) => ({
    text: `${l.from} → ${l.to} (${countryName(l.from)} → ${countryName(l.to)}): ${IMPLICATION_WORDS[l.kind]}; ${l.incidents.length} incident${l.incidents.length === 1 ? '' : 's'}, ${l.killed} killed, ${l.firstDate ?? 'undated'}${l.lastDate && l.lastDate !== l.firstDate ? ` to ${l.lastDate}` : ''}${l.groups.length ? `; ${l.groups.map(groupName).join(', ')}` : ''}`,
    cites: notes.evidence(l.evidence.slice(0, 4)),
  }));
  const reacting = input.reactions
    .filter(
      (r) =>
        (r.incident !== null && inScope.has(r.incident)) ||
        (subject.kind === 'country' && (r.actor.country === subject.id || r.target === subject.id)),
    )
    .sort((a, b) => cmp(a.actor.country, b.actor.country) || cmp(a.kind, b.kind) || cmp(a.id, b.id));
  const reactions = reacting.map((r) => {
    const incident = r.incident === null ? undefined : byId.get(r.incident);
    const aimed = reactionCountry(r, byId);
    const about = incident
      ? `the attack of ${incident.date?.date ?? 'unknown date'}${incident.country ? ` in ${countryName(incident.country)}` : ''} (incident ${incident.id.slice(0, 8)})`
      : 'an attack';
    const target = r.target !== null ? `; aimed at ${countryName(r.target)} (${r.target})` : '';
    return {
      text: `${countryName(r.actor.country)} (${r.actor.country}), as “${r.actor.text}”, ${REACTION_WORDS[r.kind]} ${about}${target}${aimed ? ` — link ${r.actor.country} → ${aimed}` : ''}`,
      cites: notes.evidence([r.evidence]),
    };
  });

  // Summary.
  const summary: Statement[] = [];
  const allCites = [...new Set(periods.flatMap((p) => p.cites))];
  summary.push({
    text: `${totals.incidents} incident${totals.incidents === 1 ? '' : 's'} on record${since ? ` since ${since}` : ''}${span.first ? ` (${span.first} to ${span.last})` : ''}: ${totals.killed} killed, ${totals.wounded} wounded.`,
    cites: allCites.slice(0, 12),
  });
  if (threat) summary.push(threat.headline);
  const top = alerts.filter((a) => /^\[(critical|high)\]/.test(a.text)).slice(0, 3);
  summary.push(...top);
  // The newest links between countries first (the latest attack's implications).
  summary.push(
    ...links
      .map((l, n) => ({ l, s: implications[n] as Statement }))
      .sort((a, b) => cmp(b.l.lastDate ?? '', a.l.lastDate ?? '') || cmp(a.l.kind, b.l.kind))
      .slice(0, 2)
      .map((x) => x.s),
  );
  if (reactions.length > 0)
    summary.push({
      text: `${reactions.length} reaction${reactions.length === 1 ? '' : 's'} of states on record: ${[...new Set(reacting.map((r) => `${countryName(r.actor.country)} (${r.kind})`))].join(', ')}.`,
      cites: [...new Set(reactions.flatMap((r) => r.cites))],
    });

  // Map and chart.
  const byCountry = new Map<string, number>();
  for (const i of scope) if (i.country) byCountry.set(i.country, (byCountry.get(i.country) ?? 0) + 1);
  const title = `Situation report: ${subjectName}`;
  const map =
    input.world === undefined
      ? null
      : mapSvg(input.world, {
          title: `${subjectName}: incidents${since ? ` since ${since}` : ''}`,
          incidentsByCountry: byCountry,
          points: scope
            .filter((i) => i.lat !== null && i.lon !== null)
            .map((i) => ({
              lat: i.lat as number,
              lon: i.lon as number,
              killed: countOf(i.killed),
              label: describe(i),
            })),
          links: [
            ...links.map((l) => ({ from: l.from, to: l.to, kind: 'implication' as const })),
            ...reacting
              .map((r) => ({
                from: r.actor.country,
                to: reactionCountry(r, byId),
                kind: 'reaction' as const,
              }))
              .filter((l): l is { from: string; to: string; kind: 'reaction' } => l.to !== null),
          ],
        });
  const chart = chartSvg(periods, `${subjectName}: incidents and killed by ${period}`);

  return {
    title,
    subject,
    subjectName,
    since,
    generatedAt: options.generatedAt,
    span,
    summary,
    periods,
    totals,
    recent,
    alerts,
    threat,
    others,
    implications,
    reactions,
    mapSvg: map,
    chartSvg: chart,
    footnotes: notes.list(),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const SEVERITY = ['low', 'medium', 'high', 'critical'];
const severityRank = (a: Alert) => SEVERITY.indexOf(a.severity);

/** Footnotes numbered in order of first citation, one per document and evidence span. */
class Citations {
  readonly #documents: ReadonlyMap<string, BriefDocument>;
  readonly #byKey = new Map<string, Footnote>();

  constructor(documents: ReadonlyMap<string, BriefDocument>) {
    this.#documents = documents;
  }

  evidence(evidence: readonly Evidence[]): number[] {
    const out: number[] = [];
    for (const e of evidence) {
      const key = `${e.documentId}|${e.start}|${e.end}`;
      let note = this.#byKey.get(key);
      if (note === undefined) {
        const document = this.#documents.get(e.documentId) ?? {
          id: e.documentId,
          title: null,
          outlet: null,
          url: null,
          published: null,
          origin: '',
        };
        note = { n: this.#byKey.size + 1, document, text: e.text, sentence: e.sentence };
        this.#byKey.set(key, note);
      }
      if (!out.includes(note.n)) out.push(note.n);
    }
    return out;
  }

  /** The evidence of an incident for the fields (the first that has any), one per source document. */
  incident(incident: Incident, fields: readonly string[]): number[] {
    const picked: Evidence[] = [];
    for (const documentId of incident.sources.length ? incident.sources : [null]) {
      const own = incident.evidence.filter((e) => documentId === null || e.documentId === documentId);
      const e = fields.map((f) => own.find((x) => x.field === f)).find((x) => x !== undefined) ?? own[0];
      if (e) picked.push(e);
    }
    return this.evidence(picked);
  }

  list(): Footnote[] {
    return [...this.#byKey.values()].sort((a, b) => a.n - b.n);
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Markdown with every article text escaped (no HTML passes through). */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]#|!])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

const safeUrl = (url: string | null) => (url !== null && /^https?:\/\/[^\s]+$/i.test(url) ? url : null);

function footnoteParts(f: Footnote): { source: string; url: string | null; sentence: string; text: string } {
  const d = f.document;
  const source = [
    d.outlet,
    d.title ? `“${d.title}”` : null,
    d.published ? `published ${d.published.slice(0, 10)}` : null,
    `document ${d.id.slice(0, 12)}`,
    d.origin && !safeUrl(d.url) ? `origin ${d.origin}` : null,
  ]
    .filter((x): x is string => x !== null && x !== '')
    .join(', ');
  return { source, url: safeUrl(d.url), sentence: f.sentence, text: f.text };
}

export interface RenderedMarkdown {
  readonly text: string;
  /** SVG files to write next to the Markdown (empty when they are embedded as data URIs). */
  readonly files: readonly { readonly name: string; readonly content: string }[];
}

/** The brief as Markdown with footnotes (`[^n]`). `images`: `{ baseName }` writes the map and chart as
 * `<baseName>-map.svg` and `<baseName>-chart.svg` next to it; otherwise they are data URIs. */
export function renderMarkdown(brief: Brief, images: { readonly baseName?: string } = {}): RenderedMarkdown {
  const files: { name: string; content: string }[] = [];
  const image = (alt: string, svg: string, suffix: string) => {
    if (images.baseName !== undefined) {
      const name = `${images.baseName}-${suffix}.svg`;
      files.push({ name, content: `${svg}\n` });
      return `![${alt}](${encodeURI(name)})`;
    }
    return `![${alt}](data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')})`;
  };
  const refs = (cites: readonly number[]) => cites.map((n) => `[^${n}]`).join('');
  const line = (s: Statement) => `- ${escapeMarkdown(s.text)}${refs(s.cites)}`;
  const out: string[] = [`# ${escapeMarkdown(brief.title)}`, ''];
  out.push(
    `Scope: ${escapeMarkdown(brief.subjectName)}${brief.since ? `, incidents since ${brief.since}` : ''}. Generated ${escapeMarkdown(brief.generatedAt)} by Vigil from the stored incidents; every statement is footnoted to its sources.`,
    '',
    '## Summary',
    '',
    ...brief.summary.map(line),
    '',
    '## Key numbers',
    '',
    '| period | incidents | killed | wounded | sources |',
    '| --- | ---: | ---: | ---: | --- |',
    ...brief.periods.map(
      (p) => `| ${p.period} | ${p.incidents} | ${p.killed} | ${p.wounded} | ${refs(p.cites)} |`,
    ),
    `| total | ${brief.totals.incidents} | ${brief.totals.killed} | ${brief.totals.wounded} | |`,
    '',
    image('Incidents and killed by period', brief.chartSvg, 'chart'),
    '',
  );
  if (brief.mapSvg !== null)
    out.push('## Map', '', image('Map of incidents and links', brief.mapSvg, 'map'), '');
  out.push('## Recent incidents', '', ...(brief.recent.length ? brief.recent.map(line) : ['None.']), '');
  out.push('## Alerts', '', ...(brief.alerts.length ? brief.alerts.map(line) : ['None.']), '');
  out.push('## Threat level', '');
  if (brief.threat) {
    out.push(
      `${escapeMarkdown(brief.threat.headline.text)}${refs(brief.threat.headline.cites)}`,
      '',
      '| component | value | points | detail |',
      '| --- | ---: | ---: | --- |',
      ...brief.threat.components.map(
        (c) => `| ${c.name} | ${c.value} | ${c.points} | ${escapeMarkdown(c.detail)} |`,
      ),
      '',
      'Changes of level:',
      '',
      ...(brief.threat.changes.length ? brief.threat.changes.map(line) : ['None in this period.']),
      '',
    );
  } else if (brief.others.length) out.push(...brief.others.map(line), '');
  else out.push('No assessment.', '');
  out.push(
    '## International implications',
    '',
    ...(brief.implications.length ? brief.implications.map(line) : ['None.']),
    '',
  );
  out.push(
    '## Reactions',
    '',
    ...(brief.reactions.length ? brief.reactions.map(line) : ['None on record.']),
    '',
  );
  out.push('## Sources', '');
  for (const f of brief.footnotes) {
    const p = footnoteParts(f);
    out.push(
      `[^${f.n}]: ${escapeMarkdown(p.source)}${p.url ? ` <${p.url.replace(/[<>\s]/g, encodeURIComponent)}>` : ''}. “${escapeMarkdown(p.sentence)}” (evidence: “${escapeMarkdown(p.text)}”)`,
    );
  }
  out.push('');
  return { text: out.join('\n'), files };
}

const escapeHtml = escapeXml;

const STYLE = `body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
td.n{text-align:right}sup{font-size:.7em}.meta{color:#555}.footnotes li{margin:.3em 0}
.footnotes q{font-style:italic}figure{margin:1em 0}svg{max-width:100%;height:auto}`;

/** The brief as one self-contained HTML file: inline SVG, inline style, no script (and a Content
 * Security Policy that forbids any), all text escaped. */
export function renderHtml(brief: Brief): string {
  const refs = (cites: readonly number[]) =>
    cites.map((n) => `<sup><a href="#fn-${n}">${n}</a></sup>`).join('');
  const item = (s: Statement) => `<li>${escapeHtml(s.text)}${refs(s.cites)}</li>`;
  const list = (items: readonly Statement[], none: string) =>
    items.length ? `<ul>\n${items.map(item).join('\n')}\n</ul>` : `<p>${none}</p>`;
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(brief.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(brief.title)}</h1>`,
    `<p class="meta">Scope: ${escapeHtml(brief.subjectName)}${brief.since ? `, incidents since ${escapeHtml(brief.since)}` : ''}. Generated ${escapeHtml(brief.generatedAt)} by Vigil from the stored incidents; every statement is footnoted to its sources.</p>`,
    '<h2>Summary</h2>',
    list(brief.summary, 'Nothing on record.'),
    '<h2>Key numbers</h2>',
    '<table><thead><tr><th>period</th><th>incidents</th><th>killed</th><th>wounded</th><th>sources</th></tr></thead><tbody>',
    ...brief.periods.map(
      (p) =>
        `<tr><td>${escapeHtml(p.period)}</td><td class="n">${p.incidents}</td><td class="n">${p.killed}</td><td class="n">${p.wounded}</td><td>${refs(p.cites)}</td></tr>`,
    ),
    `<tr><th>total</th><th class="n">${brief.totals.incidents}</th><th class="n">${brief.totals.killed}</th><th class="n">${brief.totals.wounded}</th><th></th></tr>`,
    '</tbody></table>',
    `<figure>${brief.chartSvg}</figure>`,
  ];
  if (brief.mapSvg !== null) out.push('<h2>Map</h2>', `<figure>${brief.mapSvg}</figure>`);
  out.push('<h2>Recent incidents</h2>', list(brief.recent, 'None.'));
  out.push('<h2>Alerts</h2>', list(brief.alerts, 'None.'));
  out.push('<h2>Threat level</h2>');
  if (brief.threat) {
    out.push(
      `<p>${escapeHtml(brief.threat.headline.text)}${refs(brief.threat.headline.cites)}</p>`,
      '<table><thead><tr><th>component</th><th>value</th><th>points</th><th>detail</th></tr></thead><tbody>',
      ...brief.threat.components.map(
        (c) =>
          `<tr><td>${escapeHtml(c.name)}</td><td class="n">${c.value}</td><td class="n">${c.points}</td><td>${escapeHtml(c.detail)}</td></tr>`,
      ),
      '</tbody></table>',
      '<p>Changes of level:</p>',
      list(brief.threat.changes, 'None in this period.'),
    );
  } else out.push(list(brief.others, 'No assessment.'));
  out.push('<h2>International implications</h2>', list(brief.implications, 'None.'));
  out.push('<h2>Reactions</h2>', list(brief.reactions, 'None on record.'));
  out.push('<h2>Sources</h2>', '<ol class="footnotes">');
  for (const f of brief.footnotes) {
    const p = footnoteParts(f);
    const link = p.url
      ? ` <a href="${escapeHtml(p.url)}" rel="noreferrer noopener">${escapeHtml(p.url)}</a>`
      : '';
    out.push(
      `<li id="fn-${f.n}">${escapeHtml(p.source)}${link}. <q>${escapeHtml(p.sentence)}</q> (evidence: “${escapeHtml(p.text)}”)</li>`,
    );
  }
  out.push('</ol>', '</body>', '</html>', '');
  return out.join('\n');
}
