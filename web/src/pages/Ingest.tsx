import { type FormEvent, useId, useState } from 'react';
import { type IngestResult, type Me, post } from '../api';
import { countText, ErrorBox, PageTitle, place, TlpBadge, words } from '../ui';

const LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

let outcomeCount = 0;

interface Outcome {
  readonly n?: number;
  readonly origin: string;
  readonly result?: IngestResult;
  readonly error?: unknown;
}

/** The text of an uploaded file: HTML is read as the browser reads it (scripts never run). */
function fileText(name: string, content: string): string {
  if (!/\.html?$/i.test(name)) return content;
  const doc = new DOMParser().parseFromString(content, 'text/html');
  for (const e of doc.querySelectorAll('script, style, noscript, nav, header, footer, aside')) e.remove();
  return (doc.body?.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}

export function IngestPage({ me }: { me: Me }) {
  const id = useId();
  const [text, setText] = useState('');
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [published, setPublished] = useState('');
  const [tlp, setTlp] = useState<(typeof LEVELS)[number]>('amber');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const allowed = me.role === 'analyst' || me.role === 'admin';
  const common = () => ({ tlp, ...(published ? { published } : {}) });

  const run = async (work: () => Promise<Outcome[]>) => {
    setBusy(true);
    try {
      setOutcomes((await work()).map((o) => ({ ...o, n: ++outcomeCount })));
    } finally {
      setBusy(false);
    }
  };
  const submitText = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      try {
        const result = await post<IngestResult>('/documents', {
          text,
          ...(title.trim() ? { title: title.trim() } : {}),
          ...common(),
        });
        return [{ origin: title.trim() || 'pasted text', result }];
      } catch (error) {
        return [{ origin: 'pasted text', error }];
      }
    });
  };
  const submitUrl = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      try {
        const r = await post<{ documents: IngestResult[]; errors: { input: string; reason: string }[] }>(
          '/documents/fetch',
          { url: url.trim(), ...common() },
        );
        return [
          ...r.documents.map((result) => ({ origin: url.trim(), result })),
          ...r.errors.map((e) => ({ origin: e.input, error: new Error(e.reason) })),
        ];
      } catch (error) {
        return [{ origin: url.trim(), error }];
      }
    });
  };
  const submitFiles = (files: FileList | null) => {
    if (files === null || files.length === 0) return;
    run(async () => {
      const out: Outcome[] = [];
      for (const file of Array.from(files)) {
        try {
          const content = fileText(file.name, await file.text());
          const result = await post<IngestResult>('/documents', {
            text: content,
            title: file.name.replace(/\.[a-z]+$/i, ''),
            ...common(),
          });
          out.push({ origin: file.name, result });
        } catch (error) {
          out.push({ origin: file.name, error });
        }
      }
      return out;
    });
  };

  if (!allowed)
    return (
      <>
        <PageTitle>Ingest</PageTitle>
        <p>Ingesting needs an analyst's key; yours is a {me.role}'s.</p>
      </>
    );
  return (
    <>
      <PageTitle>Ingest</PageTitle>
      <p className="muted">
        Articles are stored under your organisation ({me.org}) with the marking chosen here; the incidents
        found are shown at once.
      </p>
      <fieldset className="filters">
        <legend>For every article below</legend>
        <label htmlFor={`${id}-tlp`}>
          Marking
          <select id={`${id}-tlp`} value={tlp} onChange={(e) => setTlp(e.target.value as typeof tlp)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                TLP:{l.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-published`}>
          Published (when the article does not say)
          <input
            id={`${id}-published`}
            type="date"
            value={published}
            onChange={(e) => setPublished(e.target.value)}
          />
        </label>
      </fieldset>
      <div className="columns">
        <form onSubmit={submitText} aria-label="Paste an article">
          <h2>Paste text</h2>
          <label htmlFor={`${id}-title`}>Title</label>
          <input id={`${id}-title`} value={title} onChange={(e) => setTitle(e.target.value)} />
          <label htmlFor={`${id}-text`}>Article text</label>
          <textarea
            id={`${id}-text`}
            rows={12}
            required
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" disabled={busy || text.trim() === ''}>
            Ingest text
          </button>
        </form>
        <div>
          <form onSubmit={submitUrl} aria-label="Fetch a URL">
            <h2>From a URL</h2>
            <label htmlFor={`${id}-url`}>Page or feed URL (public addresses only)</label>
            <input
              id={`${id}-url`}
              type="url"
              required
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
            <button type="submit" disabled={busy || url.trim() === ''}>
              Fetch and ingest
            </button>
          </form>
          <h2>Upload files</h2>
          <label htmlFor={`${id}-files`}>Text, Markdown or HTML files</label>
          <input
            id={`${id}-files`}
            type="file"
            multiple
            accept=".txt,.md,.html,.htm,text/plain,text/html,text/markdown"
            disabled={busy}
            onChange={(e) => submitFiles(e.target.files)}
          />
        </div>
      </div>
      <section aria-labelledby={`${id}-results`} aria-live="polite" aria-busy={busy}>
        <h2 id={`${id}-results`}>Results</h2>
        {busy && <p>Ingesting…</p>}
        {outcomes.length === 0 && !busy && <p className="muted">Nothing ingested yet.</p>}
        {outcomes.map((o) => (
          <div key={o.n} className="outcome" data-testid="ingest-outcome">
            <h3>{o.origin}</h3>
            <ErrorBox error={o.error} />
            {o.result && (
              <>
                <p>
                  {o.result.status === 'stored' ? 'Stored' : 'Already known'} as document{' '}
                  <code>{o.result.document_id.slice(0, 12)}</code> <TlpBadge tlp={o.result.tlp} />:{' '}
                  {o.result.incidents.length} incident{o.result.incidents.length === 1 ? '' : 's'}.
                </p>
                <ul>
                  {o.result.incidents.map((i) => (
                    <li key={i.id}>
                      <a href={`#/incident/${i.id}`}>
                        {i.date ?? 'undated'} · {place(i)} ·{' '}
                        {i.attack_types.map(words).join(', ') || 'attack'}
                      </a>{' '}
                      {i.perpetrator_groups.map((g) => `${g.group} (${g.attribution})`).join(', ')} · killed{' '}
                      {countText(i.killed)} · wounded {countText(i.wounded)} <TlpBadge tlp={i.tlp} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        ))}
      </section>
    </>
  );
}
