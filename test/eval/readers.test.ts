import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, readGritLines, readGttLines } from '../../src/eval/index.js';

describe('MUC-4 JSON Lines readers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-muc4-read-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const file = async (name: string, lines: readonly string[]) => {
    const path = join(dir, name);
    await writeFile(path, `${lines.join('\n')}\n`);
    return path;
  };

  it('reads GTT documents with their templates, mentions as strings', async () => {
    const path = await file('gtt.jsonl', [
      JSON.stringify({
        docid: 'D-1',
        doctext: 'the fmln attacked the embassy.',
        templates: [
          {
            incident_type: 'attack',
            PerpInd: [],
            PerpOrg: [[['fmln', 4]]],
            Target: [[['embassy', 22]]],
            Victim: [],
            Weapon: [],
          },
        ],
      }),
      '',
      JSON.stringify({ docid: 'D-2', doctext: 'nothing happened.', published: '1990-01-10' }),
    ]);
    const { documents, errors, warnings } = await readAll(readGttLines(path));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(documents.map((d) => [d.docid, d.origin, d.published])).toEqual([
      ['D-1', `${path}:1`, null],
      ['D-2', `${path}:3`, '1990-01-10'],
    ]);
    expect(documents[0]?.templates).toEqual([
      {
        incident_type: 'attack',
        PerpInd: [],
        PerpOrg: [['fmln']],
        Target: [['embassy']],
        Victim: [],
        Weapon: [],
      },
    ]);
    expect(documents[1]?.templates).toBeNull();
  });

  it('names file:LINE and the problem for each bad line, and reads the rest', async () => {
    const path = await file('bad.jsonl', [
      JSON.stringify({ docid: 'A', doctext: 'one.' }),
      '{"docid": "B", "doctext": ',
      JSON.stringify({ docid: 'C' }),
      JSON.stringify({ docid: 'D', doctext: '   ' }),
      JSON.stringify({ docid: 'E', doctext: 'x', templates: [{ incident_type: 'attack', Victim: 'jose' }] }),
      JSON.stringify({ docid: 'A', doctext: 'again.' }),
      '[1, 2]',
      JSON.stringify({ docid: 'F', doctext: 'six.', published: 'yesterday' }),
      JSON.stringify({ docid: 'G', doctext: 'seven.' }),
    ]);
    const { documents, errors } = await readAll(readGttLines(path));
    expect(documents.map((d) => d.docid)).toEqual(['A', 'G']);
    expect(errors.map((e) => e.where)).toEqual([2, 3, 4, 5, 6, 7, 8].map((n) => `${path}:${n}`));
    expect(errors[0]?.problem).toMatch(/^invalid JSON/);
    expect(errors[1]?.problem).toBe('doctext: missing');
    expect(errors[2]?.problem).toBe('doctext: must not be empty');
    expect(errors[3]?.problem).toBe('templates[0].Victim: must be a list of entities');
    expect(errors[4]?.problem).toBe(`docid A was already read at ${path}:1`);
    expect(errors[5]?.problem).toBe('must be a JSON object');
    expect(errors[6]?.problem).toMatch(/^published: must be a date/);
  });

  it('truncates a doctext over the limit with a warning naming the line', async () => {
    const path = await file('big.jsonl', [
      JSON.stringify({ docid: 'small', doctext: 'short text.' }),
      JSON.stringify({ docid: 'big', doctext: `${'é'.repeat(60)}` }),
    ]);
    const { documents, errors, warnings } = await readAll(readGttLines(path, { maxTextBytes: 51 }));
    expect(errors).toEqual([]);
    expect(documents[1]?.doctext).toBe('é'.repeat(25));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.where).toBe(`${path}:2`);
    expect(warnings[0]?.problem).toBe(
      'doctext is 120 bytes, over the limit of 51 bytes: truncated to its first 50 bytes',
    );
  });

  it('reports a missing, empty or binary file once', async () => {
    const missing = join(dir, 'nope.jsonl');
    expect((await readAll(readGttLines(missing))).errors).toEqual([
      { where: missing, problem: 'does not exist (no such file or directory)' },
    ]);
    const empty = await file('empty.jsonl', ['']);
    expect((await readAll(readGttLines(empty))).errors).toEqual([{ where: empty, problem: 'empty file' }]);
    const binary = join(dir, 'bin.jsonl');
    await writeFile(binary, Buffer.from([0x7b, 0x00, 0x01, 0x7d]));
    expect((await readAll(readGttLines(binary))).errors[0]?.problem).toMatch(/^binary file/);
  });

  it('reads GRIT documents and requires extracts', async () => {
    const path = await file('grit.jsonl', [
      JSON.stringify({
        docid: 'D-1',
        doctext: 'the fmln attacked.',
        extracts: {
          PerpInd: [],
          PerpOrg: [
            [
              ['fmln', 4],
              ['farabundo marti', 40],
            ],
          ],
          Target: [],
          Victim: [],
          Weapon: [],
        },
      }),
      JSON.stringify({ docid: 'D-2', doctext: 'text.' }),
    ]);
    const { documents, errors } = await readAll(readGritLines(path));
    expect(documents[0]?.extracts.PerpOrg).toEqual([['fmln', 'farabundo marti']]);
    expect(documents[0]?.extracts.Weapon).toEqual([]);
    expect(errors).toEqual([{ where: `${path}:2`, problem: 'extracts: missing' }]);
  });
});
