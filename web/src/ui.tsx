import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { ApiFailure, type Tlp } from './api';
import { type Filters, filtersOf, navigate, type Route } from './router';

export const ATTACK_TYPES = [
  'assassination',
  'armed_assault',
  'bombing_explosion',
  'hijacking',
  'hostage_barricade',
  'hostage_kidnapping',
  'facility_infrastructure',
  'unarmed_assault',
  'unknown',
] as const;

/** Colours told apart also by people with the common colour-vision deficiencies (Okabe–Ito). */
export const ATTACK_COLOURS: Readonly<Record<string, string>> = {
  assassination: '#cc79a7',
  armed_assault: '#d55e00',
  bombing_explosion: '#e69f00',
  hijacking: '#56b4e9',
  hostage_barricade: '#0072b2',
  hostage_kidnapping: '#009e73',
  facility_infrastructure: '#f0e442',
  unarmed_assault: '#8c564b',
  unknown: '#999999',
};

export const SERIES_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#777777'];

export function words(value: string): string {
  return value.replace(/_/g, ' ');
}

export function TlpBadge({ tlp }: { tlp: Tlp | string | null | undefined }) {
  if (!tlp) return null;
  const cls = `tlp tlp-${tlp.replace('+', '-')}`;
  return (
    <span className={cls} title={`Traffic Light Protocol 2.0: ${tlp.toUpperCase()}`}>
      TLP:{tlp.toUpperCase()}
    </span>
  );
}

export function LevelBadge({ level }: { level: string }) {
  return <span className={`level level-${level}`}>{level}</span>;
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`severity severity-${severity}`}>{severity}</span>;
}

export function ErrorBox({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const message =
    error instanceof ApiFailure
      ? `${error.message} (${error.status} ${error.code})`
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** Loads data when its dependencies change; a newer load wins over a slower older one. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const key = JSON.stringify(deps);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the load depends on
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState({ data: null, error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return state;
}

export function PageTitle({ children }: { children: ReactNode }) {
  useEffect(() => {
    const text = typeof children === 'string' ? children : 'Vigil';
    document.title = `${text} · Vigil`;
  }, [children]);
  return <h1 id="page-title">{children}</h1>;
}

/** The incident filters of a view, kept in the URL so that they carry over to the other views. */
export function FilterBar({
  route,
  search = true,
  extra,
}: {
  route: Route;
  search?: boolean;
  extra?: ReactNode;
}) {
  const id = useId();
  const current = filtersOf(route.params);
  const [draft, setDraft] = useState<Filters>(current);
  const key = route.params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the form when the URL changes
  useEffect(() => setDraft(filtersOf(route.params)), [key]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const params: Record<string, string> = {};
    for (const [k, v] of route.params) params[k] = v;
    for (const k of ['since', 'until', 'group', 'country', 'attack_type', 'q'] as const) {
      const v = draft[k]?.trim();
      if (v) params[k] = v;
      else delete params[k];
    }
    delete params.page;
    navigate(route.path, params);
  };
  const field = (k: keyof Filters) => ({
    id: `${id}-${k}`,
    value: draft[k] ?? '',
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value }),
  });
  return (
    <form className="filters" onSubmit={submit} aria-label="Filters">
      <label htmlFor={`${id}-since`}>
        From
        <input type="date" {...field('since')} />
      </label>
      <label htmlFor={`${id}-until`}>
        To
        <input type="date" {...field('until')} />
      </label>
      <label htmlFor={`${id}-group`}>
        Group
        <input type="text" placeholder="id, name or alias" size={14} {...field('group')} />
      </label>
      <label htmlFor={`${id}-country`}>
        Country
        <input
          type="text"
          placeholder="RU"
          size={3}
          maxLength={2}
          pattern="[A-Za-z]{2}"
          {...field('country')}
        />
      </label>
      <label htmlFor={`${id}-attack_type`}>
        Attack type
        <select {...field('attack_type')}>
          <option value="">any</option>
          {ATTACK_TYPES.map((t) => (
            <option key={t} value={t}>
              {words(t)}
            </option>
          ))}
        </select>
      </label>
      {search && (
        <label htmlFor={`${id}-q`}>
          Search
          <input type="search" placeholder="words in the evidence" size={18} {...field('q')} />
        </label>
      )}
      {extra}
      <button type="submit">Apply</button>
      <button type="button" className="secondary" onClick={() => navigate(route.path)}>
        Clear
      </button>
    </form>
  );
}

export function countText(
  c: { value: number | null; min: number; max: number | null; qualifier: string } | null,
) {
  if (c === null) return '–';
  const v = c.value ?? c.min;
  const q: Record<string, string> = {
    at_least: 'at least ',
    more_than: 'more than ',
    approximately: 'about ',
    at_most: 'at most ',
  };
  if (c.qualifier === 'range' && c.max !== null) return `${c.min}–${c.max}`;
  return `${q[c.qualifier] ?? ''}${c.qualifier === 'more_than' ? c.min - 1 : v}`;
}

export function place(i: { city: string | null; country: string | null }): string {
  return [i.city, i.country].filter(Boolean).join(', ') || 'place unknown';
}

/** A text with the given character spans marked. */
export function Highlighted({
  text,
  spans,
}: {
  text: string;
  spans: readonly { start: number; end: number; label: string; id?: string }[];
}) {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: ReactNode[] = [];
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue; // overlapping: the first (longest) one is shown
    if (s.start > at) parts.push(text.slice(at, s.start));
    parts.push(
      <mark key={`${s.start}-${s.end}`} title={s.label} id={s.id}>
        {text.slice(s.start, s.end)}
        <span className="visually-hidden"> ({s.label})</span>
      </mark>,
    );
    at = s.end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
