import type {
  Clearance,
  IncidentCursor,
  IncidentFilter,
  IncidentSort,
  Listed,
  Store,
} from '../../src/store/index.js';

/** The ids of every page of `size` incidents the caller sees, following the cursor to the end. */
export async function walkIncidents(
  store: Store,
  caller: Clearance,
  filter: IncidentFilter,
  size: number,
  sort?: IncidentSort,
): Promise<string[]> {
  const out: string[] = [];
  let after: IncidentCursor | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page: { items: Listed[]; next: IncidentCursor | null } = await store.access.listIncidents(
      caller,
      filter,
      size,
      after,
      sort,
    );
    out.push(...page.items.map((i) => i.incident.id));
    if (page.next === null) return out;
    after = page.next;
  }
  throw new Error('no last page');
}
