import type { ReactNode } from 'react';
import { SERIES_COLOURS } from './ui';

/* Small SVG charts (no chart library): lines over time and bars, each with a title and a data
 * table for screen readers. */

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

const W = 900;
const H = 260;
const PAD = { left: 48, right: 12, top: 12, bottom: 44 };

function ticks(max: number): number[] {
  if (max <= 0) return [0];
  const step = 10 ** Math.floor(Math.log10(max));
  const nice = max / step > 5 ? step * 2 : max / step > 2 ? step : step / 2;
  const out = [];
  for (let v = 0; v <= max + 1e-9; v += Math.max(1, nice)) out.push(Math.round(v));
  return out;
}

/** A chart's title, its periods and the values of each series per period. */
interface SeriesProps {
  readonly title: string;
  readonly labels: readonly string[];
  readonly series: Series[];
}

/** Where a value sits on the vertical axis, for values from 0 to `max`. */
const valueY = (max: number) => (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);

/** What both charts share: the caption, the frame with its value axis (grid lines and numbers),
 * and the numbers as a table; `legend` goes between the chart and the table. */
function Chart({
  title,
  labels,
  series,
  max,
  legend,
  children,
}: SeriesProps & { max: number; legend?: ReactNode; children: ReactNode }) {
  const y = valueY(max);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}: chart; the table below has the numbers`}
      >
        {ticks(max).map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="axis">
              {t}
            </text>
          </g>
        ))}
        {children}
      </svg>
      {legend}
      <details>
        <summary>Numbers of “{title}”</summary>
        <DataTable title={title} labels={labels} series={series} />
      </details>
    </figure>
  );
}

export function LineChart({ title, labels, series }: SeriesProps) {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (n: number) =>
    PAD.left + (labels.length <= 1 ? 0.5 : n / (labels.length - 1)) * (W - PAD.left - PAD.right);
  const y = valueY(max);
  const every = Math.max(1, Math.ceil(labels.length / 12));
  const legend = (
    <ul className="plain inline chart-legend">
      {series.map((s, n) => (
        <li key={s.name}>
          <span className="swatch" style={{ background: SERIES_COLOURS[n % SERIES_COLOURS.length] }} />{' '}
          {s.name}
        </li>
      ))}
    </ul>
  );
  return (
    <Chart title={title} labels={labels} series={series} max={max} legend={legend}>
      {labels.map((l, n) =>
        n % every === 0 ? (
          <text key={l} x={x(n)} y={H - PAD.bottom + 16} textAnchor="middle" className="axis">
            {l}
          </text>
        ) : null,
      )}
      {series.map((s, n) => (
        <g key={s.name} style={{ stroke: SERIES_COLOURS[n % SERIES_COLOURS.length] }}>
          <polyline
            fill="none"
            strokeWidth={2}
            points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
          />
          {s.values.map((v, i) =>
            v > 0 ? (
              <circle
                key={labels[i]}
                cx={x(i)}
                cy={y(v)}
                r={3}
                style={{ fill: SERIES_COLOURS[n % SERIES_COLOURS.length] }}
              >
                <title>{`${s.name}, ${labels[i]}: ${v}`}</title>
              </circle>
            ) : null,
          )}
        </g>
      ))}
    </Chart>
  );
}

export function BarChart({
  title,
  labels,
  values,
}: {
  title: string;
  labels: readonly string[];
  values: readonly number[];
}) {
  const max = Math.max(1, ...values);
  const band = (W - PAD.left - PAD.right) / Math.max(1, labels.length);
  const y = valueY(max);
  const every = Math.max(1, Math.ceil(labels.length / 12));
  return (
    <Chart title={title} labels={labels} series={[{ name: title, values }]} max={max}>
      {labels.map((l, n) => (
        <g key={l}>
          <rect
            x={PAD.left + n * band + band * 0.15}
            y={y(values[n] ?? 0)}
            width={band * 0.7}
            height={H - PAD.bottom - y(values[n] ?? 0)}
            className="bar"
          >
            <title>{`${l}: ${values[n] ?? 0}`}</title>
          </rect>
          {n % every === 0 && (
            <text
              x={PAD.left + n * band + band / 2}
              y={H - PAD.bottom + 16}
              textAnchor="middle"
              className="axis"
            >
              {l}
            </text>
          )}
        </g>
      ))}
    </Chart>
  );
}

function DataTable({ title, labels, series }: SeriesProps) {
  return (
    <table className="small">
      <caption className="visually-hidden">{title}</caption>
      <thead>
        <tr>
          <th scope="col">Period</th>
          {series.map((s) => (
            <th key={s.name} scope="col" className="num">
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {labels.map((l, n) => (
          <tr key={l}>
            <th scope="row">{l}</th>
            {series.map((s) => (
              <td key={s.name} className="num">
                {s.values[n] ?? 0}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
