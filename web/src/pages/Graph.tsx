import cytoscape from 'cytoscape';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { get } from '../api';
import { navigate, type Route } from '../router';
import { ErrorBox, Loading, PageTitle, useLoad, words } from '../ui';

interface GraphReply {
  nodes: { id: string; kind: 'group' | 'country' | 'media'; label: string }[];
  edges: {
    source: string;
    target: string;
    kind: string;
    weight: number;
    basis: string;
    incidents: string[];
  }[];
}

const EDGE_KINDS = [
  'offshoot-of',
  'affiliate-of',
  'faction-of',
  'successor-of',
  'rival-of',
  'home',
  'operates-in',
  'targets',
  'media-arm-of',
  'attacker_nationality',
  'group_home',
];
const NODE_COLOURS = { group: '#d55e00', country: '#0072b2', media: '#009e73' } as const;

export function GraphPage({ route }: { route: Route }) {
  const id = useId();
  const group = route.params.get('group') ?? undefined;
  const [focus, setFocus] = useState(group ?? '');
  const [active, setActive] = useState(true);
  const [kinds, setKinds] = useState<Set<string>>(() => new Set(EDGE_KINDS));
  const { data, error, loading } = useLoad(() => get<GraphReply>('/graph', { group }), [group]);
  const container = useRef<HTMLDivElement>(null);

  const shown = useMemo(() => {
    if (data === null) return { nodes: [], edges: [] };
    let edges = data.edges.filter((e) => kinds.has(e.kind));
    if (active && group === undefined) {
      // Only the groups the incidents name, their relations, and the countries the incidents tie.
      const busy = new Set(
        data.edges
          .filter((e) => e.basis === 'incidents')
          .flatMap((e) => [e.source, e.target])
          .filter((n) => n.startsWith('group:')),
      );
      edges = edges.filter(
        (e) =>
          busy.has(e.source) ||
          busy.has(e.target) ||
          (e.basis === 'incidents' && e.source.startsWith('country:') && e.target.startsWith('country:')),
      );
    }
    const ids = new Set(edges.flatMap((e) => [e.source, e.target]));
    return { nodes: data.nodes.filter((n) => ids.has(n.id)), edges };
  }, [data, kinds, active, group]);

  useEffect(() => {
    if (container.current === null || shown.nodes.length === 0) return;
    const cy = cytoscape({
      container: container.current,
      elements: [
        ...shown.nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind } })),
        ...shown.edges.map((e, n) => ({
          data: { id: `e${n}`, source: e.source, target: e.target, kind: e.kind, weight: e.weight },
        })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 10,
            color: '#1a1a1a',
            'text-valign': 'bottom',
            'text-margin-y': 3,
            width: 14,
            height: 14,
          },
        },
        ...Object.entries(NODE_COLOURS).map(([kind, colour]) => ({
          selector: `node[kind = "${kind}"]`,
          style: { 'background-color': colour, shape: kind === 'country' ? 'round-rectangle' : 'ellipse' },
        })),
        {
          selector: 'edge',
          style: {
            width: 'mapData(weight, 1, 20, 1, 6)',
            'line-color': '#9a9a9a',
            'target-arrow-color': '#9a9a9a',
            'target-arrow-shape': 'triangle',
            'curve-style': 'bezier',
            label: shown.nodes.length <= 60 ? 'data(kind)' : '',
            'font-size': 7,
            color: '#555',
          },
        },
        { selector: 'edge[kind = "rival-of"]', style: { 'line-color': '#cc0000', 'line-style': 'dashed' } },
      ] as cytoscape.StylesheetJson,
      layout: {
        name: shown.nodes.length > 150 ? 'concentric' : 'cose',
        animate: false,
      } as cytoscape.LayoutOptions,
      wheelSensitivity: 0.3,
    });
    cy.on('tap', 'node[kind = "group"]', (event) => {
      const nodeId = String(event.target.id());
      navigate(`/group/${encodeURIComponent(nodeId.replace(/^group:/, ''))}`);
    });
    return () => cy.destroy();
  }, [shown]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate('/graph', { group: focus.trim() || undefined });
  };
  return (
    <>
      <PageTitle>Graph</PageTitle>
      <form className="filters" onSubmit={submit} aria-label="Graph filters">
        <label htmlFor={`${id}-group`}>
          Around group
          <input
            id={`${id}-group`}
            value={focus}
            onChange={(e) => setFocus(e.target.value)}
            placeholder="ISKP"
          />
        </label>
        <button type="submit">Show</button>
        {group !== undefined && (
          <button type="button" className="secondary" onClick={() => navigate('/graph')}>
            Whole graph
          </button>
        )}
        {group === undefined && (
          <label className="check">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> only
            groups with incidents and their relations
          </label>
        )}
      </form>
      <fieldset className="filters">
        <legend>Relations shown</legend>
        {EDGE_KINDS.map((k) => (
          <label key={k} className="check">
            <input
              type="checkbox"
              checked={kinds.has(k)}
              onChange={(e) => {
                const next = new Set(kinds);
                if (e.target.checked) next.add(k);
                else next.delete(k);
                setKinds(next);
              }}
            />{' '}
            {words(k)}
          </label>
        ))}
      </fieldset>
      <ErrorBox error={error} />
      {loading && <Loading what="the graph" />}
      <p aria-live="polite">
        {shown.nodes.length} nodes, {shown.edges.length} relations. Groups orange, countries blue squares,
        media arms green; select a group to open its profile.
      </p>
      <div
        ref={container}
        className="graph"
        role="img"
        aria-label="Relations graph; the list below has the same"
      />
      <details>
        <summary>The relations as a list</summary>
        <ul className="small">
          {shown.edges.map((e) => {
            const label = (nodeId: string) => data?.nodes.find((n) => n.id === nodeId)?.label ?? nodeId;
            const link = (nodeId: string) =>
              nodeId.startsWith('group:') ? (
                <a href={`#/group/${encodeURIComponent(nodeId.slice(6))}`}>{label(nodeId)}</a>
              ) : (
                label(nodeId)
              );
            return (
              <li key={`${e.source}-${e.kind}-${e.target}`}>
                {link(e.source)} {words(e.kind)} {link(e.target)}
                {e.basis === 'incidents' ? ` (${e.weight} incidents)` : ''}
              </li>
            );
          })}
        </ul>
      </details>
    </>
  );
}
