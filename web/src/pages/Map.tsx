import { get, type IncidentSummary } from '../api';
import { filtersOf, type Route } from '../router';
import { ATTACK_COLOURS, ErrorBox, FilterBar, Loading, PageTitle, place, useLoad, words } from '../ui';
import { projection, WorldMap } from '../WorldMap';

interface MapReply {
  points: IncidentSummary[];
  capped: boolean;
  limit: number;
  unplaced: number;
}

const radius = (p: IncidentSummary) => Math.min(28, 3 + Math.sqrt((p.killed ?? 0) + (p.wounded ?? 0)) * 1.3);

export function MapPage({ route }: { route: Route }) {
  const filters = filtersOf(route.params);
  const key = JSON.stringify(filters);
  const { data, error, loading } = useLoad(() => get<MapReply>('/map', { ...filters, limit: 2000 }), [key]);
  const points = data?.points ?? [];
  return (
    <>
      <PageTitle>Map</PageTitle>
      <FilterBar route={route} />
      <ErrorBox error={error} />
      {loading && <Loading what="the incidents" />}
      {data && (
        <p aria-live="polite" data-testid="map-status">
          {points.length.toLocaleString('en')} incident{points.length === 1 ? '' : 's'} on the map
          {data.capped && (
            <strong className="warn">
              {' '}
              — the newest {data.limit.toLocaleString('en')} only: there are more; narrow the filter to see
              them
            </strong>
          )}
          {data.unplaced > 0 && `; ${data.unplaced} without a known place are not shown`}.
        </p>
      )}
      <WorldMap label={`Map of ${points.length} incidents`}>
        {(view) =>
          points.map((p) => {
            const xy = projection([p.lon as number, p.lat as number]);
            if (xy === null) return null;
            const type = p.attack_types[0] ?? 'unknown';
            const text = `${p.date ?? 'undated'}, ${place(p)}: ${p.attack_types.map(words).join(', ') || 'attack'}${
              p.killed !== null ? `, ${p.killed} killed` : ''
            }${p.wounded !== null ? `, ${p.wounded} wounded` : ''}${
              p.groups.length ? `, ${p.groups.map((g) => `${g.name} (${g.attribution})`).join(', ')}` : ''
            } — TLP:${p.tlp.toUpperCase()}`;
            return (
              <a key={p.id} href={`#/incident/${p.id}`} aria-label={text} className="point" data-id={p.id}>
                <circle
                  cx={xy[0]}
                  cy={xy[1]}
                  r={radius(p) / view.k}
                  style={{ fill: ATTACK_COLOURS[type] ?? '#999' }}
                  strokeWidth={1 / view.k}
                >
                  <title>{text}</title>
                </circle>
              </a>
            );
          })
        }
      </WorldMap>
      <section aria-labelledby="legend-title" className="legend">
        <h2 id="legend-title">Legend</h2>
        <p className="muted">
          Size: killed and wounded. Colour: the first attack type. Select a point to open the incident.
        </p>
        <ul className="plain inline">
          {Object.entries(ATTACK_COLOURS).map(([t, c]) => (
            <li key={t}>
              <svg width="14" height="14" aria-hidden="true">
                <circle cx="7" cy="7" r="6" style={{ fill: c }} />
              </svg>{' '}
              {words(t)}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
