import { type AlertItem, type Assessment, get, type IncidentSummary } from '../api';
import {
  ErrorBox,
  LevelBadge,
  Loading,
  PageTitle,
  place,
  SeverityBadge,
  TlpBadge,
  useLoad,
  words,
} from '../ui';

interface Overview {
  counts: {
    incidents: number;
    killed: number;
    wounded: number;
    countries: number;
    groups: number;
    documents: number;
    by_tlp: Record<string, number>;
  };
  latest_incidents: IncidentSummary[];
  latest_alerts: AlertItem[];
  threat: { as_of: string | null; groups: Assessment[]; countries: Assessment[] };
}

export function OverviewPage() {
  const { data, error, loading } = useLoad(() => get<Overview>('/overview'), []);
  return (
    <>
      <PageTitle>Overview</PageTitle>
      <ErrorBox error={error} />
      {loading && <Loading what="the overview" />}
      {data && (
        <>
          <section aria-labelledby="counts-title">
            <h2 id="counts-title" className="visually-hidden">
              Counts
            </h2>
            <dl className="cards">
              {(
                [
                  ['Incidents', data.counts.incidents],
                  ['Killed', data.counts.killed],
                  ['Wounded', data.counts.wounded],
                  ['Countries', data.counts.countries],
                  ['Groups', data.counts.groups],
                  ['Documents', data.counts.documents],
                ] as const
              ).map(([label, n]) => (
                <div key={label} className="card">
                  <dt>{label}</dt>
                  <dd data-testid={`count-${label.toLowerCase()}`}>{n.toLocaleString('en')}</dd>
                </div>
              ))}
            </dl>
            <p className="muted">
              Incidents by marking:{' '}
              {Object.entries(data.counts.by_tlp).map(([tlp, n]) => (
                <span key={tlp} className="nowrap">
                  <TlpBadge tlp={tlp} /> {n}{' '}
                </span>
              ))}
              {Object.keys(data.counts.by_tlp).length === 0 && 'none yet'}
            </p>
          </section>
          <div className="columns">
            <section aria-labelledby="latest-title">
              <h2 id="latest-title">Latest incidents</h2>
              {data.latest_incidents.length === 0 ? (
                <p>
                  No incidents yet: <a href="#/ingest">ingest an article</a>.
                </p>
              ) : (
                <ul className="plain">
                  {data.latest_incidents.map((i) => (
                    <li key={i.id}>
                      <a href={`#/incident/${i.id}`}>
                        {i.date ?? 'undated'} · {place(i)} ·{' '}
                        {i.attack_types.map(words).join(', ') || 'attack'}
                      </a>{' '}
                      {i.killed !== null && <span>{i.killed} killed </span>}
                      <TlpBadge tlp={i.tlp} />
                    </li>
                  ))}
                </ul>
              )}
              <h2>Latest alerts</h2>
              {data.latest_alerts.length === 0 ? (
                <p className="muted">No alerts.</p>
              ) : (
                <ul className="plain">
                  {data.latest_alerts.map((a) => (
                    <li key={a.id}>
                      <SeverityBadge severity={a.severity} /> {a.date ?? ''}{' '}
                      <a href={`#/incident/${a.incident}`}>{a.title}</a> <TlpBadge tlp={a.tlp} />
                    </li>
                  ))}
                </ul>
              )}
              <p>
                <a href="#/alerts">All alerts</a>
              </p>
            </section>
            <section aria-labelledby="threat-title">
              <h2 id="threat-title">Threat levels{data.threat.as_of ? ` as of ${data.threat.as_of}` : ''}</h2>
              <ThreatTable title="Groups" rows={data.threat.groups} link />
              <ThreatTable title="Countries" rows={data.threat.countries} />
            </section>
          </div>
        </>
      )}
    </>
  );
}

export function ThreatTable({ title, rows, link }: { title: string; rows: Assessment[]; link?: boolean }) {
  if (rows.length === 0) return <p className="muted">{title}: no dated incidents.</p>;
  return (
    <table>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{title === 'Groups' ? 'Group' : 'Country'}</th>
          <th scope="col">Level</th>
          <th scope="col" className="num">
            Score
          </th>
          <th scope="col">Components (points)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.subject.id}>
            <td>
              {link ? (
                <a href={`#/group/${encodeURIComponent(a.subject.id)}`}>{a.subject.name}</a>
              ) : (
                a.subject.name
              )}
            </td>
            <td>
              <LevelBadge level={a.level} />
            </td>
            <td className="num">{a.score}</td>
            <td className="small">
              {a.components.map((c) => (
                <span key={c.name} title={c.detail}>
                  {c.name}&nbsp;{c.contribution}
                  {'; '}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
