import { type FormEvent, useId, useState } from 'react';
import { download, getText } from '../api';
import { navigate, type Route } from '../router';
import { ErrorBox, Loading, PageTitle, useLoad } from '../ui';

/* Briefs: a situation report on a group, a country or everything, written by the server over what the
 * caller may see. Shown in a sandboxed frame (no scripts, no requests: the brief is self-contained)
 * and downloadable as HTML or Markdown. */

type BriefQuery = { group?: string; country?: string; since?: string; period?: string };

export function BriefsPage({ route }: { route: Route }) {
  const id = useId();
  const query: BriefQuery = {
    group: route.params.get('group') ?? undefined,
    country: route.params.get('country') ?? undefined,
    since: route.params.get('since') ?? undefined,
    period: route.params.get('period') ?? undefined,
  };
  const open = route.params.get('open') === '1';
  const [draft, setDraft] = useState(query);
  const [failure, setFailure] = useState<unknown>(null);
  const { data, error, loading } = useLoad(
    () => (open ? getText('/brief', { ...query, format: 'html' }) : Promise.resolve(null)),
    [JSON.stringify(query), open],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate('/briefs', { ...draft, open: '1' });
  };
  const name = query.group ?? query.country ?? 'all';
  const save = async (format: 'md' | 'html') => {
    try {
      setFailure(null);
      await download('/brief', { ...query, format }, `vigil-brief-${name.toLowerCase()}.${format}`);
    } catch (e) {
      setFailure(e);
    }
  };
  const field = (key: keyof BriefQuery, label: string, extra: Record<string, unknown> = {}) => (
    <label htmlFor={`${id}-${key}`}>
      {label}
      <input
        id={`${id}-${key}`}
        value={draft[key] ?? ''}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value || undefined })}
        {...extra}
      />
    </label>
  );
  return (
    <>
      <PageTitle>Briefs</PageTitle>
      <p>
        A situation report: key numbers by period, alerts, threat level and its reasons, implications and
        reactions, a map and a chart, every statement footnoted to the sources you may see. Give a group or a
        country, or neither for everything.
      </p>
      <form className="filters" onSubmit={submit} aria-label="Brief">
        {field('group', 'Group')}
        {field('country', 'Country', { size: 3, maxLength: 2 })}
        {field('since', 'Since', { type: 'date' })}
        <label htmlFor={`${id}-period`}>
          Numbers by
          <select
            id={`${id}-period`}
            value={draft.period ?? 'year'}
            onChange={(e) => setDraft({ ...draft, period: e.target.value })}
          >
            <option value="year">year</option>
            <option value="month">month</option>
          </select>
        </label>
        <button type="submit">Open brief</button>
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {failure ? <ErrorBox error={failure} /> : null}
      {loading && open ? <Loading what="the brief" /> : null}
      {data ? (
        <section aria-label="Brief">
          <p>
            <button type="button" onClick={() => save('html')}>
              Download HTML
            </button>{' '}
            <button type="button" onClick={() => save('md')}>
              Download Markdown
            </button>
          </p>
          <iframe title="Brief" className="brief" sandbox="" srcDoc={data} />
        </section>
      ) : null}
    </>
  );
}
