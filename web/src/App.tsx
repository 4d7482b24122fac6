import {
  type FormEvent,
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useEffect,
  useId,
  useState,
} from 'react';
import { get, type Me, storedKey, storeKey } from './api';
import { AlertsPage } from './pages/Alerts';
import { BriefsPage } from './pages/Briefs';
import { GroupPage } from './pages/Group';
import { IncidentPage } from './pages/Incident';
import { IncidentsPage } from './pages/Incidents';
import { IngestPage } from './pages/Ingest';
import { OverviewPage } from './pages/Overview';
import { TimelinePage } from './pages/Timeline';
import { type Route, useRoute } from './router';
import { ErrorBox, Loading } from './ui';

// The map and the graph carry their own libraries (world atlas, cytoscape): loaded when opened.
const MapPage = lazy(() => import('./pages/Map').then((m) => ({ default: m.MapPage })));
const GraphPage = lazy(() => import('./pages/Graph').then((m) => ({ default: m.GraphPage })));

const NAV: readonly [string, string][] = [
  ['/', 'Overview'],
  ['/map', 'Map'],
  ['/timeline', 'Timeline'],
  ['/incidents', 'Incidents'],
  ['/graph', 'Graph'],
  ['/alerts', 'Alerts'],
  ['/briefs', 'Briefs'],
  ['/ingest', 'Ingest'],
];

/** A key in the address (`#key=…`, as `npm start` prints it) signs in and is removed at once. */
function keyFromAddress(): string | null {
  const match = /^#key=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  if (match === null) return null;
  window.history.replaceState(null, '', `${window.location.pathname}#/`);
  // replaceState fires no hashchange: the router would stay on the `#key=…` address it read first.
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  return match[1] ?? null;
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const route = useRoute();

  const signIn = useCallback(async (key: string) => {
    setError(null);
    try {
      const who = await get<Me>('/me', undefined, key);
      storeKey(key);
      setMe(who);
    } catch (e) {
      storeKey(null);
      setMe(null);
      setError(e);
    }
  }, []);

  useEffect(() => {
    const key = keyFromAddress() ?? storedKey();
    if (key === null) setChecking(false);
    else signIn(key).finally(() => setChecking(false));
    const signOut = () => {
      storeKey(null);
      setMe(null);
    };
    window.addEventListener('vigil:unauthenticated', signOut);
    return () => window.removeEventListener('vigil:unauthenticated', signOut);
  }, [signIn]);

  if (checking) return <Loading what="the dashboard" />;
  if (me === null) return <SignIn onSignIn={signIn} error={error} />;
  return (
    <>
      <button type="button" className="skip" onClick={skipToMain}>
        Skip to content
      </button>
      <header className="top">
        <span className="brand">Vigil</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([path, label]) => (
              <li key={path}>
                <a href={`#${path}`} aria-current={current(route, path) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who" data-testid="who">
          {me.user ?? me.org} · {me.org} · {me.role}
        </span>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            storeKey(null);
            setMe(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the view" />}>{page(route, me)}</Suspense>
      </main>
    </>
  );
}

function skipToMain() {
  document.getElementById('main')?.focus();
}

function current(route: Route, path: string): boolean {
  if (path === '/') return route.path === '/';
  return route.path === path || (path === '/incidents' && route.path.startsWith('/incident/'));
}

function page(route: Route, me: Me): ReactNode {
  const [, first, second] = route.path.split('/');
  switch (first) {
    case '':
    case undefined:
      return <OverviewPage />;
    case 'map':
      return <MapPage route={route} />;
    case 'timeline':
      return <TimelinePage route={route} />;
    case 'incidents':
      return <IncidentsPage route={route} />;
    case 'incident':
      return <IncidentPage id={decodeURIComponent(second ?? '')} me={me} />;
    case 'group':
      return <GroupPage id={decodeURIComponent(second ?? '')} />;
    case 'graph':
      return <GraphPage route={route} />;
    case 'alerts':
      return <AlertsPage route={route} />;
    case 'briefs':
      return <BriefsPage route={route} />;
    case 'ingest':
      return <IngestPage me={me} />;
    default:
      return (
        <p>
          No such page. <a href="#/">Back to the overview</a>.
        </p>
      );
  }
}

function SignIn({ onSignIn, error }: { onSignIn: (key: string) => Promise<void>; error: unknown }) {
  const id = useId();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await onSignIn(key.trim());
    setBusy(false);
  };
  return (
    <main id="main" className="signin">
      <h1>Vigil</h1>
      <p>Terrorism incident records with the evidence behind every value.</p>
      <form onSubmit={submit} aria-label="Sign in">
        <label htmlFor={id}>API key</label>
        <input
          id={id}
          name="key"
          type="password"
          autoComplete="off"
          required
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-describedby={`${id}-help`}
        />
        <p id={`${id}-help`} className="muted">
          A key from <code>vigil keys create</code> (or the one <code>npm start</code> printed). It is kept in
          this tab only and sent to this server alone.
        </p>
        <button type="submit" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
      </form>
      <ErrorBox error={error} />
    </main>
  );
}
