import { type FormEvent, useId, useState } from 'react';
import { type DocumentOut, type Evidence, get, type Incident, type Me, post, type ReportOut } from '../api';
import { LineChart } from '../charts';
import { navigate } from '../router';
import { countText, ErrorBox, Highlighted, Loading, PageTitle, place, TlpBadge, useLoad, words } from '../ui';

const FIELDS: readonly [string, string, (i: Incident) => string][] = [
  ['date', 'Date', (i) => (i.date ? `${i.date} (${i.date_precision})` : '–')],
  ['city', 'City', (i) => i.city ?? '–'],
  ['country', 'Country', (i) => i.country ?? '–'],
  ['attack_types', 'Attack types', (i) => i.attack_types.map(words).join(', ') || '–'],
  ['weapon_types', 'Weapon types', (i) => i.weapon_types.map(words).join(', ') || '–'],
  ['target_types', 'Target types', (i) => i.target_types.map(words).join(', ') || '–'],
  ['target_text', 'Targets', (i) => i.target_text.join('; ') || '–'],
  [
    'perpetrator_groups',
    'Groups (attribution)',
    (i) => i.perpetrator_groups.map((g) => `${g.group} (${g.attribution})`).join(', ') || '–',
  ],
  [
    'perpetrators_min',
    'Perpetrators',
    (i) =>
      i.perpetrators_min === null
        ? '–'
        : i.perpetrators_max !== null && i.perpetrators_max !== i.perpetrators_min
          ? `${i.perpetrators_min}–${i.perpetrators_max}`
          : `at least ${i.perpetrators_min}`,
  ],
  [
    'perpetrator_nationalities',
    'Perpetrators’ nationalities',
    (i) => i.perpetrator_nationalities.join(', ') || '–',
  ],
  ['perpetrator_text', 'Perpetrators as written', (i) => i.perpetrator_text.join('; ') || '–'],
  ['victim_text', 'Victims as written', (i) => i.victim_text.join('; ') || '–'],
  ['weapon_text', 'Weapons as written', (i) => i.weapon_text.join('; ') || '–'],
  ['killed', 'Killed', (i) => countText(i.killed)],
  ['wounded', 'Wounded', (i) => countText(i.wounded)],
  ['kidnapped', 'Kidnapped', (i) => countText(i.kidnapped)],
  ['perpetrators_killed', 'Attackers killed', (i) => countText(i.perpetrators_killed)],
  ['suicide', 'Suicide attack', (i) => (i.suicide ? 'yes' : 'no')],
  ['outcome', 'Outcome', (i) => words(i.outcome)],
];

const spanId = (e: Evidence) => `ev-${e.document_id.slice(0, 8)}-${e.start}-${e.end}`;

function showInArticle(e: Evidence) {
  const mark = document.getElementById(spanId(e));
  const details = mark?.closest('details');
  if (details) details.open = true;
  mark?.scrollIntoView({ block: 'center' });
  mark?.setAttribute('tabindex', '-1');
  mark?.focus();
}

function Sentence({ e }: { e: Evidence }) {
  const at = e.sentence.indexOf(e.text);
  return (
    <q>
      {at < 0 ? (
        e.sentence
      ) : (
        <Highlighted text={e.sentence} spans={[{ start: at, end: at + e.text.length, label: e.field }]} />
      )}
    </q>
  );
}

export function IncidentPage({ id, me }: { id: string; me: Me }) {
  const incident = useLoad(() => get<Incident>(`/incidents/${encodeURIComponent(id)}`), [id]);
  const reports = useLoad(
    () => get<{ reports: ReportOut[] }>(`/incidents/${encodeURIComponent(id)}/reports`),
    [id],
  );
  const i = incident.data;
  const documents = useLoad(
    async () =>
      i === null
        ? []
        : Promise.all(i.sources.map((s) => get<DocumentOut>(`/documents/${s}`).catch(() => null))).then(
            (ds) => ds.filter((d): d is DocumentOut => d !== null),
          ),
    [i?.id, i?.sources.join(',')],
  );
  if (incident.error) return <ErrorBox error={incident.error} />;
  if (i === null) return <Loading what="the incident" />;
  const analyst = me.role === 'analyst' || me.role === 'admin';
  return (
    <>
      <PageTitle>{`Incident ${i.id.slice(0, 8)}`}</PageTitle>
      <p className="lead">
        {i.date ?? 'undated'} · {place(i)} · {i.attack_types.map(words).join(', ') || 'attack'}{' '}
        <TlpBadge tlp={i.tlp} />
      </p>
      <p className="muted">
        Id <code>{i.id}</code>.{' '}
        {i.lat !== null && (
          <a href={`#/map?country=${i.country ?? ''}`}>
            On the map ({i.lat.toFixed(2)}, {i.lon?.toFixed(2)})
          </a>
        )}
      </p>
      <section aria-labelledby="fields-title">
        <h2 id="fields-title">Fields and their evidence</h2>
        <table className="fields">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Value</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {FIELDS.map(([field, label, value]) => {
              const evidence = i.evidence.filter((e) => e.field === field);
              return (
                <tr key={field} data-field={field}>
                  <th scope="row">{label}</th>
                  <td>{value(i)}</td>
                  <td>
                    {evidence.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      <ul className="plain evidence">
                        {evidence.map((e) => (
                          <li key={`${e.document_id}-${e.start}-${e.end}-${e.value}`}>
                            <strong>{e.value}</strong>
                            {e.inferred && <em> (inferred)</em>}: <Sentence e={e} />{' '}
                            <button type="button" className="link" onClick={() => showInArticle(e)}>
                              show in article {e.document_id.slice(0, 8)}
                            </button>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="reports-title">
        <h2 id="reports-title">Sources and their figures over time</h2>
        <ErrorBox error={reports.error} />
        {reports.data && <Reports reports={reports.data.reports} />}
      </section>
      <section aria-labelledby="articles-title">
        <h2 id="articles-title">Articles, with the evidence marked</h2>
        <ErrorBox error={documents.error} />
        {documents.loading && <Loading what="the articles" />}
        {documents.data?.map((d, n) => (
          <details key={d.id} open={n === 0} className="article">
            <summary>
              {d.title ?? d.origin} {d.outlet && `· ${d.outlet}`}{' '}
              {d.published && `· ${d.published.slice(0, 10)}`} <TlpBadge tlp={d.tlp} />
            </summary>
            {d.url && (
              <p className="small">
                <a href={d.url} rel="noreferrer noopener" target="_blank">
                  {d.url}
                </a>
              </p>
            )}
            <div className="article-text" data-testid={`article-${d.id.slice(0, 8)}`}>
              <Highlighted
                text={d.text}
                spans={i.evidence
                  .filter((e) => e.document_id === d.id)
                  .sort((a, b) => b.end - b.start - (a.end - a.start))
                  .map((e) => ({
                    start: e.start,
                    end: e.end,
                    label: `${e.field}: ${e.value}`,
                    id: spanId(e),
                  }))}
              />
            </div>
          </details>
        ))}
      </section>
      {analyst && <AnalystActions incident={i} />}
    </>
  );
}

function Reports({ reports }: { reports: ReportOut[] }) {
  if (reports.length === 0)
    return <p className="muted">No reports recorded (stored before resolution, or imported from STIX).</p>;
  const dated = reports.filter((r) => r.published !== null && r.incident?.killed);
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">Published</th>
            <th scope="col">Source</th>
            <th scope="col" className="num">
              Killed
            </th>
            <th scope="col" className="num">
              Wounded
            </th>
            <th scope="col">Merged because</th>
            <th scope="col">TLP</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((r) => (
            <tr key={`${r.document_id}-${r.published}`}>
              <td className="nowrap">{r.published?.slice(0, 10) ?? '–'}</td>
              <td>
                {r.title ?? r.document_id.slice(0, 8)} {r.outlet && `(${r.outlet})`}
                {r.copy_of && <em> copy of {r.copy_of.slice(0, 8)}</em>}
              </td>
              <td className="num">{r.incident ? countText(r.incident.killed) : '–'}</td>
              <td className="num">{r.incident ? countText(r.incident.wounded) : '–'}</td>
              <td className="small">
                {r.score === null ? 'first report' : `score ${r.score}: ${r.reasons.join(', ')}`}
              </td>
              <td>
                <TlpBadge tlp={r.tlp} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dated.length > 1 && (
        <LineChart
          title="Killed as reported, source by source"
          labels={dated.map((r, n) => `${(r.published ?? '').slice(0, 10)} #${n + 1}`)}
          series={[
            {
              name: 'killed',
              values: dated.map((r) => r.incident?.killed?.value ?? r.incident?.killed?.min ?? 0),
            },
          ]}
        />
      )}
    </>
  );
}

function AnalystActions({ incident }: { incident: Incident }) {
  const id = useId();
  const [other, setOther] = useState('');
  const [reason, setReason] = useState('');
  const [document, setDocument] = useState(incident.sources[0] ?? '');
  const [splitReason, setSplitReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const merge = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const r = await post<{ merged: string }>(`/incidents/${incident.id}/merge`, {
        other: other.trim(),
        reason,
      });
      setDone(`Merged into ${r.merged}.`);
      navigate(`/incident/${r.merged}`);
    } catch (e) {
      setError(e);
    }
  };
  const split = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const r = await post<{ incidents: [string, string] }>(`/incidents/${incident.id}/split`, {
        document,
        reason: splitReason,
      });
      setDone(`Split into ${r.incidents[0]} and ${r.incidents[1]}.`);
      navigate(`/incident/${r.incidents[1]}`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby={`${id}-title`} className="actions">
      <h2 id={`${id}-title`}>Analyst decisions</h2>
      <p className="muted">Kept on every later ingest, with who decided and why.</p>
      <form onSubmit={merge} aria-label="Merge with another incident">
        <label htmlFor={`${id}-other`}>Merge with incident (id or prefix)</label>
        <input
          id={`${id}-other`}
          required
          value={other}
          onChange={(e) => setOther(e.target.value)}
          size={20}
        />
        <label htmlFor={`${id}-reason`}>Reason</label>
        <input
          id={`${id}-reason`}
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          size={40}
        />
        <button type="submit">Merge</button>
      </form>
      {incident.sources.length > 1 && (
        <form onSubmit={split} aria-label="Split a source out">
          <label htmlFor={`${id}-doc`}>Split out the report of</label>
          <select id={`${id}-doc`} value={document} onChange={(e) => setDocument(e.target.value)}>
            {incident.sources.map((s) => (
              <option key={s} value={s}>
                document {s.slice(0, 12)}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-split-reason`}>Reason</label>
          <input
            id={`${id}-split-reason`}
            required
            value={splitReason}
            onChange={(e) => setSplitReason(e.target.value)}
            size={40}
          />
          <button type="submit">Split</button>
        </form>
      )}
      <p aria-live="polite">{done}</p>
      <ErrorBox error={error} />
    </section>
  );
}
