import { geoCentroid, geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

/* The map and the chart of a brief, as SVG text made here (no browser, no script): the same data
 * always give the same bytes. Every text from the data is escaped. */

/** Countries with their outline (world-atlas `countries-110m.json`, ids ISO 3166-1 numeric). */
export interface WorldMap {
  readonly countries: readonly {
    readonly code: string | null;
    readonly name: string;
    readonly geometry: GeoJSON.Geometry;
  }[];
}

/** The world-atlas topology as countries with ISO alpha-2 codes (`numericToAlpha2`: "643" → "RU"). */
export function worldMap(topology: unknown, numericToAlpha2: ReadonlyMap<string, string>): WorldMap {
  const topo = topology as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.countries) as GeoJSON.FeatureCollection<
    GeoJSON.Geometry,
    { name: string }
  >;
  return {
    countries: fc.features.map((f) => ({
      code: numericToAlpha2.get(String(f.id ?? '').padStart(3, '0')) ?? null,
      name: f.properties?.name ?? String(f.id ?? ''),
      geometry: f.geometry,
    })),
  };
}

export const escapeXml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

export interface MapInput {
  /** Incidents per country (ISO alpha-2). */
  readonly incidentsByCountry: ReadonlyMap<string, number>;
  /** Located incidents: a dot sized by the killed. */
  readonly points: readonly {
    readonly lat: number;
    readonly lon: number;
    readonly killed: number;
    readonly label: string;
  }[];
  /** Country → country links drawn as arrows (implications, reactions). */
  readonly links: readonly {
    readonly from: string;
    readonly to: string;
    readonly kind: 'implication' | 'reaction';
  }[];
  readonly title: string;
}

const WIDTH = 960;
const HEIGHT = 500;
const SHADES = ['#fde0c5', '#facba6', '#f59e72', '#e4572e'];

/** A world map: countries shaded by incidents, located incidents as dots, links as arrows. */
export function mapSvg(world: WorldMap, input: MapInput): string {
  const projection = geoEqualEarth().fitExtent(
    [
      [10, 30],
      [WIDTH - 10, HEIGHT - 40],
    ],
    { type: 'Sphere' },
  );
  const path = geoPath(projection).digits(1);
  const max = Math.max(1, ...input.incidentsByCountry.values());
  const shade = (n: number) => SHADES[shadeClass(n, max)];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(input.title)}" font-family="sans-serif">`,
    `<title>${escapeXml(input.title)}</title>`,
    '<defs><marker id="vigil-map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#333"/></marker></defs>',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<path d="${path({ type: 'Sphere' }) ?? ''}" fill="#eef4f8" stroke="#c8d3db"/>`,
  ];
  const centroids = new Map<string, [number, number]>();
  const sorted = [...world.countries].sort((a, b) =>
    (a.code ?? a.name) < (b.code ?? b.name) ? -1 : (a.code ?? a.name) > (b.code ?? b.name) ? 1 : 0,
  );
  for (const c of sorted) {
    const d = path(c.geometry);
    if (!d) continue;
    const n = c.code === null ? 0 : (input.incidentsByCountry.get(c.code) ?? 0);
    const fill = n > 0 ? shade(n) : '#f7f7f7';
    const label = n > 0 ? `${c.name}: ${n} incident${n === 1 ? '' : 's'}` : c.name;
    out.push(
      `<path d="${d}" fill="${fill}" stroke="#9aa5ad" stroke-width="0.4"><title>${escapeXml(label)}</title></path>`,
    );
    if (c.code !== null && !centroids.has(c.code)) {
      const p = projection(geoCentroid({ type: 'Feature', geometry: c.geometry, properties: {} }));
      if (p) centroids.set(c.code, p);
    }
  }
  for (const link of input.links) {
    const a = centroids.get(link.from);
    const b = centroids.get(link.to);
    if (!a || !b) continue;
    const colour = link.kind === 'implication' ? '#333' : '#1f5fa8';
    const dash = link.kind === 'reaction' ? ' stroke-dasharray="5 3"' : '';
    // A gentle arc, bent to the left of the direction of travel.
    const mx = (a[0] + b[0]) / 2 - (b[1] - a[1]) * 0.2;
    const my = (a[1] + b[1]) / 2 + (b[0] - a[0]) * 0.2;
    out.push(
      `<path d="M${fmt(a[0])},${fmt(a[1])}Q${fmt(mx)},${fmt(my)} ${fmt(b[0])},${fmt(b[1])}" fill="none" stroke="${colour}" stroke-width="1.6"${dash} marker-end="url(#vigil-map-arrow)"><title>${escapeXml(`${link.from} → ${link.to} (${link.kind})`)}</title></path>`,
    );
  }
  const maxKilled = Math.max(1, ...input.points.map((p) => p.killed));
  for (const p of input.points) {
    const xy = projection([p.lon, p.lat]);
    if (!xy) continue;
    const r = 2.5 + 9 * Math.sqrt(p.killed / maxKilled);
    out.push(
      `<circle cx="${fmt(xy[0])}" cy="${fmt(xy[1])}" r="${fmt(r)}" fill="#b2182b" fill-opacity="0.7" stroke="#fff" stroke-width="0.6"><title>${escapeXml(p.label)}</title></circle>`,
    );
  }
  out.push(
    `<text x="12" y="20" font-size="15" fill="#222">${escapeXml(input.title)}</text>`,
    legend(max),
    '</svg>',
  );
  return out.join('\n');
}

/** The class of a count: 1..max cut into as many equal steps as there are shades. */
const shadeClass = (n: number, max: number) =>
  Math.min(SHADES.length - 1, Math.floor(((n - 1) * SHADES.length) / max));

function legend(max: number): string {
  const y = HEIGHT - 26;
  const parts = [`<g font-size="11" fill="#333">`, `<text x="12" y="${y - 4}">incidents per country</text>`];
  const steps = Math.min(SHADES.length, max);
  for (let i = 0; i < steps; i++) {
    const lo = Math.ceil((i * max) / SHADES.length) + 1;
    parts.push(
      `<rect x="${12 + i * 70}" y="${y}" width="16" height="12" fill="${SHADES[shadeClass(lo, max)]}" stroke="#9aa5ad" stroke-width="0.4"/>`,
      `<text x="${32 + i * 70}" y="${y + 10}">${lo}+</text>`,
    );
  }
  parts.push(
    `<circle cx="${20 + steps * 70}" cy="${y + 6}" r="5" fill="#b2182b" fill-opacity="0.7"/><text x="${30 + steps * 70}" y="${y + 10}">located incident (size: killed)</text>`,
    `<path d="M${230 + steps * 70},${y + 6}h30" stroke="#333" stroke-width="1.6" marker-end="url(#vigil-map-arrow)"/><text x="${266 + steps * 70}" y="${y + 10}">implication</text>`,
    `<path d="M${340 + steps * 70},${y + 6}h30" stroke="#1f5fa8" stroke-width="1.6" stroke-dasharray="5 3" marker-end="url(#vigil-map-arrow)"/><text x="${376 + steps * 70}" y="${y + 10}">reaction</text>`,
    '</g>',
  );
  return parts.join('');
}

export interface ChartRow {
  readonly period: string;
  readonly incidents: number;
  readonly killed: number;
  readonly wounded: number;
}

/** Two bar charts one above the other: incidents and killed per period. */
export function chartSvg(rows: readonly ChartRow[], title: string): string {
  const width = 720;
  const panel = 150;
  const top = 34;
  const left = 44;
  const height = top + 2 * (panel + 40) + 10;
  const inner = width - left - 16;
  const n = Math.max(1, rows.length);
  const slot = inner / n;
  const bar = Math.max(2, Math.min(40, slot * 0.7));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="20" font-size="15" fill="#222">${escapeXml(title)}</text>`,
  ];
  const series: [string, keyof ChartRow, string][] = [
    ['Incidents', 'incidents', '#4a6fa5'],
    ['Killed', 'killed', '#b2182b'],
  ];
  series.forEach(([label, key, colour], s) => {
    const y0 = top + s * (panel + 40) + 16;
    const base = y0 + panel;
    const max = Math.max(1, ...rows.map((r) => r[key] as number));
    out.push(
      `<text x="${left}" y="${y0 - 4}" fill="#333" font-weight="bold">${label}</text>`,
      `<line x1="${left}" y1="${base}" x2="${left + inner}" y2="${base}" stroke="#888"/>`,
    );
    rows.forEach((r, i) => {
      const v = r[key] as number;
      const h = (v / max) * (panel - 16);
      const x = left + i * slot + (slot - bar) / 2;
      out.push(
        `<rect x="${fmt(x)}" y="${fmt(base - h)}" width="${fmt(bar)}" height="${fmt(h)}" fill="${colour}"><title>${escapeXml(`${r.period}: ${v}`)}</title></rect>`,
        `<text x="${fmt(x + bar / 2)}" y="${fmt(base - h - 3)}" text-anchor="middle" fill="#222">${v}</text>`,
        `<text x="${fmt(x + bar / 2)}" y="${base + 13}" text-anchor="middle" fill="#444">${escapeXml(r.period)}</text>`,
      );
    });
  });
  out.push('</svg>');
  return out.join('\n');
}
