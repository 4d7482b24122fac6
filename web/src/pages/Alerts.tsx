import { type FormEvent, useEffect, useId, useState } from 'react';
import { type AlertItem, get } from '../api';
import { navigate, type Route } from '../router';
import { ErrorBox, Loading, PageTitle, SeverityBadge, TlpBadge, useLoad, words } from '../ui';

interface AlertsReply {
  alerts: AlertItem[];
  total: number;
  next_offset: number | null;
}

export function AlertsPage({ route }: { route: Route }) {
  const id = useId();
  const query = {
    group: route.params.get('group') ?? undefined,
    country: route.params.get('country') ?? undefined,
    severity: route.params.get('severity') ?? undefined,
  };
  const key = JSON.stringify(query);
  const [draft, setDraft] = useState(query);
  const [more, setMore] = useState<AlertItem[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const { data, error, loading } = useLoad(() => get<AlertsReply>('/alerts', { ...query, limit: 50 }), [key]);
  useEffect(() => {
    setMore([]);
    setNext(data?.next_offset ?? null);
  }, [data]);
  const loadMore = async () => {
    if (next === null) return;
    try {
      const page = await get<AlertsReply>('/alerts', { ...query, limit: 50, offset: next });
      setMore([...more, ...page.alerts]);
      setNext(page.next_offset);
    } catch (e) {
      setMoreError(e);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate('/alerts', draft);
  };
  const alerts = [...(data?.alerts ?? []), ...more];
  return (
    <>
      <PageTitle>Alerts</PageTitle>
      <form className="filters" onSubmit={submit} aria-label="Alert filters">
        <label htmlFor={`${id}-g`}>
          Group
          <input
            id={`${id}-g`}
            value={draft.group ?? ''}
            onChange={(e) => setDraft({ ...draft, group: e.target.value })}
          />
        </label>
        <label htmlFor={`${id}-c`}>
          Country
          <input
            id={`${id}-c`}
            size={3}
            maxLength={2}
            value={draft.country ?? ''}
            onChange={(e) => setDraft({ ...draft, country: e.target.value })}
          />
        </label>
        <label htmlFor={`${id}-s`}>
          Severity
          <select
            id={`${id}-s`}
            value={draft.severity ?? ''}
            onChange={(e) => setDraft({ ...draft, severity: e.target.value || undefined })}
          >
            <option value="">any</option>
            {['critical', 'high', 'medium', 'low'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button type="submit">Apply</button>
      </form>
      <ErrorBox error={error} />
      {loading && <Loading what="alerts" />}
      {data && (
        <p aria-live="polite">
          {data.total} alert{data.total === 1 ? '' : 's'}, newest first, raised by the incidents you can see.
        </p>
      )}
      <ol className="plain alerts">
        {alerts.map((a) => (
          <li key={a.id} className="alert">
            <p>
              <SeverityBadge severity={a.severity} /> <TlpBadge tlp={a.tlp} /> {a.date ?? 'undated'} ·{' '}
              {words(a.kind)} ·{' '}
              {a.group ? (
                <a href={`#/group/${encodeURIComponent(a.group)}`}>{a.group_name ?? a.group}</a>
              ) : (
                'no group'
              )}
            </p>
            <h2 className="alert-title">
              <a href={`#/incident/${a.incident}`}>{a.title}</a>
            </h2>
            <p>{a.explanation}</p>
            {a.evidence[0] && (
              <p className="small">
                Evidence: <q>{a.evidence[0].sentence}</q>
              </p>
            )}
          </li>
        ))}
      </ol>
      {next !== null && (
        <button type="button" onClick={loadMore}>
          More alerts
        </button>
      )}
      <ErrorBox error={moreError} />
    </>
  );
}
