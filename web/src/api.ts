/* The dashboard's only way to the server: every request carries the key as a bearer token and goes
 * to the same origin's /api/v1, which filters everything by the caller's clearance. */

const KEY = 'vigil.key';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, key);
}

export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

type Query = Record<string, string | number | undefined | null>;

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

async function request(method: string, path: string, body?: unknown, key = storedKey()): Promise<Response> {
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    let code = 'error';
    let message = `${response.status} ${response.statusText}`;
    try {
      const parsed = (await response.json()) as { error?: { code: string; message: string } };
      if (parsed.error) ({ code, message } = parsed.error);
    } catch {
      // not JSON
    }
    if (response.status === 401) window.dispatchEvent(new CustomEvent('vigil:unauthenticated'));
    throw new ApiFailure(response.status, code, message);
  }
  return response;
}

export async function get<T>(path: string, query?: Query, key?: string): Promise<T> {
  return (await (await request('GET', `${path}${queryString(query)}`, undefined, key)).json()) as T;
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return (await (await request('POST', path, body)).json()) as T;
}

/** Fetches a file with the key and hands it to the browser as a download. */
export async function getText(path: string, query?: Query): Promise<string> {
  return (await request('GET', `${path}${queryString(query)}`)).text();
}

export async function download(path: string, query: Query, filename: string): Promise<Response> {
  const response = await request('GET', `${path}${queryString(query)}`);
  const blob = await response.clone().blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return response;
}

// The shapes the API returns (the parts the dashboard reads).

export type Tlp = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

export interface Me {
  key_id: string;
  org: string;
  user: string | null;
  role: 'viewer' | 'analyst' | 'admin';
}

export interface Count {
  value: number | null;
  min: number;
  max: number | null;
  qualifier: string;
}

export interface Evidence {
  field: string;
  value: string;
  inferred: boolean;
  document_id: string;
  start: number;
  end: number;
  text: string;
  sentence: string;
}

export interface Incident {
  id: string;
  date: string | null;
  date_precision: string | null;
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  place_precision: string | null;
  attack_types: string[];
  weapon_types: string[];
  target_types: string[];
  target_text: string[];
  perpetrator_groups: {
    group: string;
    group_id: string;
    aliases_seen: string[];
    attribution: string;
    discovered: boolean;
  }[];
  perpetrators_min: number | null;
  perpetrators_max: number | null;
  perpetrator_nationalities: string[];
  perpetrator_text: string[];
  victim_text: string[];
  weapon_text: string[];
  physical_target_text: string[];
  killed: Count | null;
  wounded: Count | null;
  kidnapped: Count | null;
  perpetrators_killed: Count | null;
  suicide: boolean;
  outcome: string;
  sources: string[];
  evidence: Evidence[];
  tlp: Tlp;
}

export interface IncidentSummary {
  id: string;
  date: string | null;
  date_precision: string | null;
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  attack_types: string[];
  groups: { id: string; name: string; attribution: string }[];
  killed: number | null;
  wounded: number | null;
  tlp: Tlp;
}

export interface AlertItem {
  id: string;
  kind: string;
  severity: string;
  group: string | null;
  group_name: string | null;
  incident: string;
  date: string | null;
  country: string | null;
  title: string;
  explanation: string;
  evidence: Evidence[];
  tlp: Tlp | null;
}

export interface Component {
  name: string;
  value: number;
  detail: string;
  score: number;
  weight: number;
  contribution: number;
}

export interface Assessment {
  subject: { kind: 'group' | 'country'; id: string; name: string };
  as_of: string;
  level: string;
  score: number;
  incidents: number;
  components: Component[];
}

export interface DocumentOut {
  id: string;
  title: string | null;
  url: string | null;
  outlet: string | null;
  published: string | null;
  origin: string;
  tlp: Tlp;
  text: string;
  incidents: string[];
}

export interface ReportOut {
  document_id: string;
  published: string | null;
  outlet: string | null;
  title: string | null;
  url: string | null;
  copy_of: string | null;
  score: number | null;
  reasons: string[];
  tlp: Tlp;
  incident: Omit<Incident, 'tlp'> | null;
}

export interface IngestResult {
  status: 'stored' | 'duplicate';
  document_id: string;
  tlp: Tlp | null;
  incidents: Incident[];
}
