import type { ReactionKind } from '../extract/index.js';
import type { Incident } from '../resolve/index.js';
import { attributedGroups, type Knowledge } from './common.js';
import { countryLinks } from './implications.js';
import { type ReactionInput, reactionLinks } from './reactions.js';

export type NodeKind = 'group' | 'country' | 'media';
export type EdgeKind =
  | 'offshoot-of'
  | 'affiliate-of'
  | 'faction-of'
  | 'successor-of'
  | 'rival-of'
  | 'home'
  | 'operates-in'
  | 'targets'
  | 'media-arm-of'
  | 'attacker_nationality'
  | 'group_home'
  /** A state's reaction to another (`reaction_blame`: Moscow blamed Ukraine), see `reactionLinks`. */
  | `reaction_${ReactionKind}`;

export interface GraphNode {
  /** `group:iskp`, `country:RU`, `media:al-Azaim`. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
}

export interface GraphEdge {
  readonly source: string;
  readonly target: string;
  readonly kind: EdgeKind;
  /** Incidents behind the edge (1 for knowledge-base relations). */
  readonly weight: number;
  /** Where it comes from: the knowledge base or incidents. */
  readonly basis: 'knowledge' | 'incidents' | 'reactions';
  readonly incidents: readonly string[];
}

export interface RelationsGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/**
 * The relations graph: group–group relations, home countries and media arms from the knowledge
 * base; operates-in (every country attacked) and targets (countries attacked outside home) from the
 * incidents; and country–country implications (attackers' nationality → country attacked, group
 * home → country attacked). With `focus`, only the edges touching that group, and the implications
 * its incidents create. With `reactions` (stored reactions of states), country → country
 * `reaction_<kind>` edges too (to those of the focus group's incidents only, with a focus).
 */
export function relationsGraph(
  incidents: readonly Incident[],
  knowledge: Knowledge,
  focus?: string,
  reactions: readonly ReactionInput[] = [],
): RelationsGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const groupNode = (id: string, fallback?: string) => {
    const key = `group:${id}`;
    if (!nodes.has(key))
      nodes.set(key, { id: key, kind: 'group', label: knowledge.groups.get(id)?.name ?? fallback ?? id });
    return key;
  };
  const countryNode = (code: string) => {
    const key = `country:${code}`;
    if (!nodes.has(key))
      nodes.set(key, { id: key, kind: 'country', label: knowledge.countries.get(code)?.name ?? code });
    return key;
  };
  const mediaNode = (name: string) => {
    const key = `media:${name}`;
    if (!nodes.has(key)) nodes.set(key, { id: key, kind: 'media', label: name });
    return key;
  };
  const addEdge = (
    source: string,
    target: string,
    kind: EdgeKind,
    basis: GraphEdge['basis'],
    incident?: string,
  ) => {
    const key = `${kind}|${source}|${target}`;
    const old = edges.get(key);
    const list = incident === undefined ? [] : [incident];
    edges.set(
      key,
      old === undefined
        ? { source, target, kind, weight: 1, basis, incidents: list }
        : { ...old, weight: old.weight + 1, incidents: [...old.incidents, ...list] },
    );
  };
  const keep = (...groupIds: string[]) => focus === undefined || groupIds.includes(focus);

  const groups = [...knowledge.groups.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const g of groups) {
    for (const r of g.relations) {
      if (keep(g.id, r.group)) addEdge(groupNode(g.id), groupNode(r.group), r.type, 'knowledge');
    }
    if (!keep(g.id)) continue;
    for (const c of g.home_countries) addEdge(groupNode(g.id), countryNode(c), 'home', 'knowledge');
    for (const m of g.media_arms) addEdge(mediaNode(m), groupNode(g.id), 'media-arm-of', 'knowledge');
  }
  const sorted = [...incidents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const i of sorted) {
    if (i.country === null) continue;
    for (const g of attributedGroups(i)) {
      if (!keep(g.groupId)) continue;
      const home = knowledge.groups.get(g.groupId)?.home_countries ?? [];
      addEdge(groupNode(g.groupId, g.group), countryNode(i.country), 'operates-in', 'incidents', i.id);
      if (!home.includes(i.country))
        addEdge(groupNode(g.groupId, g.group), countryNode(i.country), 'targets', 'incidents', i.id);
    }
  }
  const relevant =
    focus === undefined ? sorted : sorted.filter((i) => attributedGroups(i).some((g) => g.groupId === focus));
  for (const link of countryLinks(relevant, knowledge)) {
    const source = countryNode(link.from);
    const target = countryNode(link.to);
    for (const id of link.incidents) addEdge(source, target, link.kind, 'incidents', id);
  }
  const relevantIds = new Set(relevant.map((i) => i.id));
  const reacting =
    focus === undefined
      ? reactions
      : reactions.filter((r) => r.incident !== null && relevantIds.has(r.incident));
  for (const link of reactionLinks(reacting, sorted)) {
    const source = countryNode(link.from);
    const target = countryNode(link.to);
    const kind: EdgeKind = `reaction_${link.kind}`;
    const key = `${kind}|${source}|${target}`;
    edges.set(key, {
      source,
      target,
      kind,
      weight: link.reactions.length,
      basis: 'reactions',
      incidents: link.incidents,
    });
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    nodes: [...nodes.values()].sort(byId),
    edges: [...edges.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e),
  };
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The graph as GraphML (directed; node `kind` and `label`, edge `kind`, `weight`, `basis`). */
export function toGraphml(graph: RelationsGraph): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    '  <key id="nkind" for="node" attr.name="kind" attr.type="string"/>',
    '  <key id="ekind" for="edge" attr.name="kind" attr.type="string"/>',
    '  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>',
    '  <key id="basis" for="edge" attr.name="basis" attr.type="string"/>',
    '  <key id="incidents" for="edge" attr.name="incidents" attr.type="string"/>',
    '  <graph id="vigil" edgedefault="directed">',
  ];
  for (const n of graph.nodes) {
    lines.push(
      `    <node id="${escapeXml(n.id)}"><data key="label">${escapeXml(n.label)}</data><data key="nkind">${n.kind}</data></node>`,
    );
  }
  graph.edges.forEach((e, n) => {
    lines.push(
      `    <edge id="e${n}" source="${escapeXml(e.source)}" target="${escapeXml(e.target)}"><data key="ekind">${e.kind}</data><data key="weight">${e.weight}</data><data key="basis">${e.basis}</data><data key="incidents">${escapeXml(e.incidents.join(' '))}</data></edge>`,
    );
  });
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}
