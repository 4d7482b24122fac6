import { useState } from 'react';
import { download, get, type Incident } from '../api';
import { filtersOf, type Route } from '../router';
import { countText, ErrorBox, FilterBar, Loading, PageTitle, TlpBadge, useLoad, words } from '../ui';

interface Page {
  incidents: Incident[];
  next_cursor: string | null;
}

type SortKey = 'date' | 'place' | 'type' | 'group' | 'killed' | 'wounded' | 'tlp';
const COLUMNS: readonly [SortKey, string][] = [
  ['date', 'Date'],
  ['place', 'Place'],
  ['type', 'Attack type'],
  ['group', 'Group (attribution)'],
  ['killed', 'Killed'],
  ['wounded', 'Wounded'],
  ['tlp', 'TLP'],
];
const TLP_ORDER = ['clear', 'green', 'amber', 'amber+strict', 'red'];
/** Columns the server sorts the whole filter by (`sort` of GET /incidents); the others sort the page. */
const SERVER_SORT: Partial<Record<SortKey, string>> = {
  date: 'date',
  place: 'country',
  group: 'group',
  killed: 'killed',
  wounded: 'wounded',
};

function sortValue(i: Incident, key: SortKey): string | number {
  switch (key) {
    case 'date':
      return i.date ?? '';
    case 'place':
      return `${i.country ?? ''} ${i.city ?? ''}`;
    case 'type':
      return i.attack_types.join(',');
    case 'group':
      return i.perpetrator_groups.map((g) => g.group).join(',');
    case 'killed':
      return i.killed?.value ?? i.killed?.min ?? -1;
    case 'wounded':
      return i.wounded?.value ?? i.wounded?.min ?? -1;
    case 'tlp':
      return TLP_ORDER.indexOf(i.tlp);
  }
}

const PAGE = 50;

export function IncidentsPage({ route }: { route: Route }) {
  const filters = filtersOf(route.params);
  const key = JSON.stringify(filters);
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: 'date', asc: false });
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const serverSort = SERVER_SORT[sort.key];
  const order = serverSort === undefined ? null : { sort: serverSort, order: sort.asc ? 'asc' : 'desc' };
  const orderKey = JSON.stringify(order);
  // Cursors belong to one filter and order (the API refuses a cursor under another): a new filter or
  // order starts on the first page, in the same render.
  const pagingKey = `${key} ${orderKey}`;
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({
    key: pagingKey,
    cursors: [null],
  });
  const cursors = paging.key === pagingKey ? paging.cursors : [null];
  const setCursors = (next: (string | null)[]) => setPaging({ key: pagingKey, cursors: next });
  const cursor = cursors.at(-1) ?? null;
  const { data, error, loading } = useLoad(
    () => get<Page>('/incidents', { ...filters, ...(order ?? {}), limit: PAGE, cursor }),
    [key, orderKey, cursor],
  );
  // Server-sorted columns come in order; the type and TLP columns sort the page shown.
  const rows = [...(data?.incidents ?? [])];
  if (serverSort === undefined)
    rows.sort((a, b) => {
      const x = sortValue(a, sort.key);
      const y = sortValue(b, sort.key);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.asc ? c : -c;
    });
  const exportAs = async (format: 'csv' | 'geojson' | 'stix') => {
    setExportError(null);
    setExported(null);
    try {
      if (format === 'stix') {
        const r = await download('/stix', { ...filters, limit: 500 }, 'vigil-incidents.stix.json');
        setExported(
          `STIX 2.1 bundle downloaded${r.headers.get('x-next-cursor') ? ' (the first 500 incidents; the API pages the rest)' : ''}.`,
        );
      } else {
        const r = await download(`/export/incidents.${format}`, filters, `vigil-incidents.${format}`);
        setExported(
          `${format === 'csv' ? 'CSV (GTD columns)' : 'GeoJSON'} downloaded: ${r.headers.get('x-vigil-count') ?? '?'} incidents${
            r.headers.get('x-vigil-truncated') ? ', truncated at 100,000' : ''
          }.`,
        );
      }
    } catch (e) {
      setExportError(e);
    }
  };
  return (
    <>
      <PageTitle>Incidents</PageTitle>
      <FilterBar route={route} />
      <fieldset className="toolbar">
        <legend>Export this filter:</legend>
        <button type="button" className="secondary" onClick={() => exportAs('csv')}>
          CSV
        </button>
        <button type="button" className="secondary" onClick={() => exportAs('geojson')}>
          GeoJSON
        </button>
        <button type="button" className="secondary" onClick={() => exportAs('stix')}>
          STIX
        </button>
        <span aria-live="polite" data-testid="export-status">
          {exported}
        </span>
      </fieldset>
      <ErrorBox error={exportError} />
      <ErrorBox error={error} />
      {loading && <Loading what="incidents" />}
      {data && (
        <>
          <table className="incidents">
            <caption>
              Page {cursors.length}: {rows.length} incidents, sorted by the server on date, place, group,
              killed and wounded; attack type and TLP sort this page.
            </caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                {COLUMNS.map(([k, label]) => (
                  <th
                    key={k}
                    scope="col"
                    aria-sort={sort.key === k ? (sort.asc ? 'ascending' : 'descending') : 'none'}
                  >
                    <button
                      type="button"
                      className="sort"
                      onClick={() =>
                        setSort({
                          key: k,
                          asc: sort.key === k ? !sort.asc : !['date', 'killed', 'wounded'].includes(k),
                        })
                      }
                    >
                      {label}
                      <span aria-hidden="true">{sort.key === k ? (sort.asc ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((i) => (
                <tr key={i.id}>
                  <td>
                    <a href={`#/incident/${i.id}`}>
                      <code>{i.id.slice(0, 8)}</code>
                    </a>
                  </td>
                  <td className="nowrap">{i.date ?? 'undated'}</td>
                  <td>{[i.city, i.country].filter(Boolean).join(', ') || '–'}</td>
                  <td>{i.attack_types.map(words).join(', ') || '–'}</td>
                  <td>
                    {i.perpetrator_groups.length === 0
                      ? '–'
                      : i.perpetrator_groups.map((g, n) => (
                          <span key={g.group_id}>
                            {n > 0 && ', '}
                            <a href={`#/group/${encodeURIComponent(g.group_id)}`}>{g.group}</a> (
                            {g.attribution})
                          </span>
                        ))}
                  </td>
                  <td className="num">{countText(i.killed)}</td>
                  <td className="num">{countText(i.wounded)}</td>
                  <td>
                    <TlpBadge tlp={i.tlp} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 && <p>No incidents match.</p>}
          <nav className="pager" aria-label="Pages">
            <button
              type="button"
              disabled={cursors.length <= 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Previous page
            </button>
            <button
              type="button"
              disabled={data.next_cursor === null}
              onClick={() => setCursors([...cursors, data.next_cursor])}
            >
              Next page
            </button>
          </nav>
        </>
      )}
    </>
  );
}
