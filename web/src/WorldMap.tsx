import { geoGraticule10, geoNaturalEarth1, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { type KeyboardEvent, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';

/* The world from Natural Earth (world-atlas, bundled: no tile server), drawn with d3-geo into SVG.
 * Zoom with the wheel, the buttons or + and −; pan by dragging or with the arrow keys. */

export const WIDTH = 960;
export const HEIGHT = 500;

const topology = world as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
const countries = feature(topology, topology.objects.countries) as FeatureCollection<
  Geometry,
  { name: string }
>;
export const projection = geoNaturalEarth1().fitExtent(
  [
    [4, 4],
    [WIDTH - 4, HEIGHT - 4],
  ],
  { type: 'Sphere' },
);
const path = geoPath(projection);

export interface View {
  readonly k: number;
  readonly x: number;
  readonly y: number;
}
const HOME: View = { k: 1, x: 0, y: 0 };
const clampK = (k: number) => Math.min(40, Math.max(1, k));

/** The view zoomed by `factor` around the point (cx, cy) of the map. */
function zoomed(v: View, factor: number, cx = WIDTH / 2, cy = HEIGHT / 2): View {
  const k = clampK(v.k * factor);
  const f = k / v.k;
  return { k, x: cx - (cx - v.x) * f, y: cy - (cy - v.y) * f };
}

export function WorldMap({
  label,
  fill,
  children,
}: {
  label: string;
  /** Fill of a country by its ISO 3166-1 numeric code (world-atlas ids), else the land colour. */
  fill?: (numeric: string, name: string) => string | undefined;
  children?: (view: View) => ReactNode;
}) {
  const [view, setView] = useState<View>(HOME);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number; view: View; moved: boolean } | null>(null);

  const zoomAt = (factor: number) => setView((v) => zoomed(v, factor));

  useEffect(() => {
    const element = svg.current;
    if (element === null) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const box = element.getBoundingClientRect();
      const cx = ((event.clientX - box.left) / box.width) * WIDTH;
      const cy = ((event.clientY - box.top) / box.height) * HEIGHT;
      setView((v) => zoomed(v, event.deltaY < 0 ? 1.25 : 0.8, cx, cy));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, []);

  const shapes = useMemo(
    () =>
      countries.features.map((f: Feature<Geometry, { name: string }>) => (
        <path
          key={`${String(f.id)}-${f.properties.name}`}
          d={path(f) ?? ''}
          className="country"
          style={{ fill: fill?.(String(f.id), f.properties.name) }}
        >
          <title>{f.properties.name}</title>
        </path>
      )),
    [fill],
  );
  const graticule = useMemo(() => path(geoGraticule10()) ?? '', []);

  const onKey = (event: KeyboardEvent) => {
    const step = 40;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [step, 0],
      ArrowRight: [-step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setView((v) => ({ ...v, x: v.x + move[0], y: v.y + move[1] }));
    } else if (event.key === '+' || event.key === '=') zoomAt(1.5);
    else if (event.key === '-') zoomAt(1 / 1.5);
    else if (event.key === '0') setView(HOME);
  };

  return (
    <div className="map">
      <div className="map-tools" role="toolbar" aria-label="Map zoom">
        <button type="button" onClick={() => zoomAt(1.5)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomAt(1 / 1.5)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => setView(HOME)}>
          Reset view
        </button>
      </div>
      <svg
        ref={svg}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        aria-label={`${label}. Arrow keys pan, plus and minus zoom, 0 resets.`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the map takes the arrow keys and + − to pan and zoom
        tabIndex={0}
        onKeyDown={onKey}
        onPointerDown={(e) => {
          if ((e.target as Element).closest('a')) return;
          drag.current = { x: e.clientX, y: e.clientY, view, moved: false };
          (e.currentTarget as SVGSVGElement).setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (d === null) return;
          const box = (e.currentTarget as SVGSVGElement).getBoundingClientRect();
          const scale = WIDTH / box.width;
          setView({
            ...d.view,
            x: d.view.x + (e.clientX - d.x) * scale,
            y: d.view.y + (e.clientY - d.y) * scale,
          });
        }}
        onPointerUp={() => {
          drag.current = null;
        }}
      >
        <title>{label}</title>
        <rect width={WIDTH} height={HEIGHT} className="sea" />
        <g transform={`translate(${view.x} ${view.y}) scale(${view.k})`}>
          <path d={graticule} className="graticule" />
          {shapes}
          {children?.(view)}
        </g>
      </svg>
    </div>
  );
}
