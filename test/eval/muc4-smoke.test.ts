import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../bench/muc4.js';
import { parseDateline } from '../../bench/muc4-metrics.js';
import { extractIncidents } from '../../src/extract/index.js';

/** Smoke test only: the extractor runs on real MUC-4 dev text and its evidence offsets are exact.
 * No accuracy thresholds here: bench/muc4.ts measures accuracy. */

const DATA_DIR = defaultDataDir();
const HAVE_DATA =
  existsSync(join(DATA_DIR, 'dev.jsonl')) && existsSync(join(DATA_DIR, 'dev.full_keys.jsonl'));

interface Evidence {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Every Evidence object reachable from a draft, with the path to it for the failure message. */
function evidenceIn(value: unknown, path: string, out: Array<{ path: string; evidence: Evidence }>) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      evidenceIn(v, `${path}[${i}]`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (Array.isArray(obj.evidence)) {
      obj.evidence.forEach((e, i) => {
        out.push({ path: `${path}.evidence[${i}]`, evidence: e as Evidence });
      });
    }
    for (const [k, v] of Object.entries(obj)) if (k !== 'evidence') evidenceIn(v, `${path}.${k}`, out);
  }
}

function firstLines(path: string, n: number): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, n)
    .map((l) => JSON.parse(l) as unknown);
}

describe.skipIf(!HAVE_DATA)('extractor on the first 20 MUC-4 dev documents', () => {
  const docs = firstLines(join(DATA_DIR, 'dev.jsonl'), 20) as Array<{ docid: string; doctext: string }>;
  const keys = firstLines(join(DATA_DIR, 'dev.full_keys.jsonl'), 20) as Array<{
    docid: string;
    dateline: string | null;
  }>;

  it('reads 20 aligned documents', () => {
    expect(docs).toHaveLength(20);
    expect(keys.map((k) => k.docid)).toEqual(docs.map((d) => d.docid));
  });

  it('returns arrays of drafts whose evidence slices the document text exactly', () => {
    docs.forEach((d, i) => {
      const doc = { id: d.docid, text: d.doctext, published: parseDateline(keys[i]?.dateline) };
      const drafts = extractIncidents(doc);
      expect(Array.isArray(drafts)).toBe(true);
      drafts.forEach((draft, j) => {
        const found: Array<{ path: string; evidence: Evidence }> = [];
        evidenceIn(draft, `${d.docid}#${j}`, found);
        for (const { path, evidence } of found) {
          expect(d.doctext.slice(evidence.start, evidence.end), path).toBe(evidence.text);
        }
      });
    });
  });
});
