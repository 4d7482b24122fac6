import { lazy, Suspense } from 'react';
import { type AlertItem, type Assessment, type Component, get, type IncidentSummary } from '../api';
import { BarChart } from '../charts';
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

const CountriesMap = lazy(() => import('./GroupMap').then((m) => ({ default: m.GroupMap })));

interface Tally {
  incidents: number;
  killed: number;
  wounded: number;
}

export interface CountryRow extends Tally {
  code: string;
  name: string;
  numeric: string | null;
  home: boolean;
}

interface GroupReply {
  id: string;
  known: {
    id: string;
    name: string;
    aliases: string[];
    ideology: string;
    home_countries: string[];
    active_from: number | null;
    active_to: number | null;
    media_arms: string[];
    adversaries: string[];
    designations: { by: string; list: string; since: number | null; source?: string }[];
  } | null;
  parent: { id: string; name: string } | null;
  children: { id: string; name: string }[];
  relations: { type: string; group: { id: string; name: string } }[];
  related_by: { type: string; group: { id: string; name: string } }[];
  profile: {
    name: string;
    totals: Tally;
    byYear: Record<string, Tally>;
    attackTypes: Record<string, number>;
    firstAttack: { date: string; incident: string } | null;
    lastAttack: { date: string; incident: string } | null;
    countriesOutsideHome: string[];
    attributions: Record<string, number>;
    confirmedShare: number;
  };
  countries: CountryRow[];
  home_countries: { code: string; name: string; numeric: string | null }[];
  threat: Assessment | null;
  threat_changes: {
    date: string;
    incident: string | null;
    from: string | null;
    to: string;
    score_after: number;
    reason: string;
  }[];
  alerts: AlertItem[];
  latest_incidents: IncidentSummary[];
}

const groupLink = (g: { id: string; name: string }) => (
  <a href={`#/group/${encodeURIComponent(g.id)}`}>{g.name}</a>
);

export function GroupPage({ id }: { id: string }) {
  const { data, error, loading } = useLoad(
    () => get<GroupReply>(`/groups/${encodeURIComponent(id)}/profile`),
    [id],
  );
  if (error) return <ErrorBox error={error} />;
  if (loading || data === null) return <Loading what="the group" />;
  const k = data.known;
  const years = Object.keys(data.profile.byYear)
    .filter((y) => y !== 'unknown')
    .sort();
  const span: string[] = [];
  if (years.length > 0) for (let y = Number(years[0]); y <= Number(years.at(-1)); y++) span.push(String(y));
  return (
    <>
      <PageTitle>{data.profile.name}</PageTitle>
      <p className="lead">
        {k ? `${words(k.ideology)} group` : 'A group the knowledge base does not know (discovered)'}
        {k && k.active_from !== null && `, active ${k.active_from}–${k.active_to ?? 'today'}`}.{' '}
        <a href={`#/incidents?group=${encodeURIComponent(data.id)}`}>Its incidents</a> ·{' '}
        <a href={`#/map?group=${encodeURIComponent(data.id)}`}>on the map</a> ·{' '}
        <a href={`#/timeline?group=${encodeURIComponent(data.id)}`}>timeline</a> ·{' '}
        <a href={`#/graph?group=${encodeURIComponent(data.id)}`}>graph</a>
      </p>
      <div className="columns">
        <section aria-labelledby="kb-title">
          <h2 id="kb-title">Names and relations</h2>
          <dl className="facts">
            <dt>Aliases</dt>
            <dd>{k?.aliases.join(', ') || '–'}</dd>
            <dt>Home countries</dt>
            <dd>{data.home_countries.map((c) => c.name).join(', ') || '–'}</dd>
            <dt>Parent</dt>
            <dd>{data.parent ? groupLink(data.parent) : '–'}</dd>
            <dt>Branches and factions</dt>
            <dd>
              {data.children.length === 0
                ? '–'
                : data.children.map((c, n) => (
                    <span key={c.id}>
                      {n > 0 && ', '}
                      {groupLink(c)}
                    </span>
                  ))}
            </dd>
            <dt>Relations</dt>
            <dd>
              {data.relations.length + data.related_by.length === 0 ? (
                '–'
              ) : (
                <ul className="plain">
                  {data.relations.map((r) => (
                    <li key={`out-${r.type}-${r.group.id}`}>
                      {words(r.type)} {groupLink(r.group)}
                    </li>
                  ))}
                  {data.related_by.map((r) => (
                    <li key={`in-${r.type}-${r.group.id}`}>
                      {groupLink(r.group)} is {words(r.type)} this group
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>Media arms</dt>
            <dd>{k?.media_arms.join(', ') || '–'}</dd>
            <dt>Designations</dt>
            <dd>
              {k?.designations.length ? (
                <ul className="plain">
                  {k.designations.map((d) => (
                    <li key={`${d.by}-${d.list}`}>
                      {d.by}: {d.list}
                      {d.since ? ` (since ${d.since})` : ''}
                    </li>
                  ))}
                </ul>
              ) : (
                '–'
              )}
            </dd>
          </dl>
        </section>
        <section aria-labelledby="threat-title">
          <h2 id="threat-title">Threat level</h2>
          {data.threat === null ? (
            <p>No dated incidents you can see: no level.</p>
          ) : (
            <>
              <p>
                <LevelBadge level={data.threat.level} /> score {data.threat.score} of 100 as of{' '}
                {data.threat.as_of} ({data.threat.incidents} incidents)
              </p>
              <Components components={data.threat.components} />
            </>
          )}
          {data.threat_changes.length > 0 && (
            <>
              <h3>Changes of level</h3>
              <ul className="plain small">
                {data.threat_changes.map((c) => (
                  <li key={`${c.date}-${c.to}-${c.incident}`}>
                    {c.date}: {c.from ?? '–'} → <LevelBadge level={c.to} /> {c.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
      <section aria-labelledby="activity-title">
        <h2 id="activity-title">Activity</h2>
        <p>
          {data.profile.totals.incidents} incidents, {data.profile.totals.killed} killed,{' '}
          {data.profile.totals.wounded} wounded
          {data.profile.firstAttack && `; first on ${data.profile.firstAttack.date}`}
          {data.profile.lastAttack && `, last on ${data.profile.lastAttack.date}`}. Attributions:{' '}
          {Object.entries(data.profile.attributions)
            .filter(([, n]) => n > 0)
            .map(([a, n]) => `${a} ${n}`)
            .join(', ') || 'none'}
          ; confirmed share {Math.round(data.profile.confirmedShare * 100)}%.
        </p>
        {span.length > 0 && (
          <>
            <BarChart
              title="Incidents per year"
              labels={span}
              values={span.map((y) => data.profile.byYear[y]?.incidents ?? 0)}
            />
            <BarChart
              title="Killed per year"
              labels={span}
              values={span.map((y) => data.profile.byYear[y]?.killed ?? 0)}
            />
          </>
        )}
        <p>
          Attack types:{' '}
          {Object.entries(data.profile.attackTypes)
            .map(([t, n]) => `${words(t)} ${n}`)
            .join(', ') || '–'}
        </p>
      </section>
      <section aria-labelledby="countries-title">
        <h2 id="countries-title">Countries</h2>
        <Suspense fallback={<Loading what="the map" />}>
          <CountriesMap countries={data.countries} home={data.home_countries} />
        </Suspense>
        <table>
          <thead>
            <tr>
              <th scope="col">Country</th>
              <th scope="col" className="num">
                Incidents
              </th>
              <th scope="col" className="num">
                Killed
              </th>
              <th scope="col">Home</th>
            </tr>
          </thead>
          <tbody>
            {data.countries.map((c) => (
              <tr key={c.code}>
                <td>
                  <a href={`#/incidents?group=${encodeURIComponent(data.id)}&country=${c.code}`}>{c.name}</a>
                </td>
                <td className="num">{c.incidents}</td>
                <td className="num">{c.killed}</td>
                <td>{c.home ? 'home' : 'outside home'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="galerts-title">
        <h2 id="galerts-title">Alerts</h2>
        {data.alerts.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="plain">
            {data.alerts.map((a) => (
              <li key={a.id}>
                <SeverityBadge severity={a.severity} /> {a.date}{' '}
                <a href={`#/incident/${a.incident}`}>{a.title}</a> <TlpBadge tlp={a.tlp} />
              </li>
            ))}
          </ul>
        )}
        <h2>Latest incidents</h2>
        <ul className="plain">
          {data.latest_incidents.map((i) => (
            <li key={i.id}>
              <a href={`#/incident/${i.id}`}>
                {i.date ?? 'undated'} · {place(i)}
              </a>{' '}
              <TlpBadge tlp={i.tlp} />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export function Components({ components }: { components: Component[] }) {
  return (
    <table className="small">
      <thead>
        <tr>
          <th scope="col">Component</th>
          <th scope="col" className="num">
            Value
          </th>
          <th scope="col" className="num">
            Points
          </th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {components.map((c) => (
          <tr key={c.name}>
            <th scope="row">{c.name}</th>
            <td className="num">{c.value}</td>
            <td className="num">
              {c.contribution} / {c.weight}
            </td>
            <td>{c.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
