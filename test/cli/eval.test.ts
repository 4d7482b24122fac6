import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigil } from './helpers.js';

const ROLES = ['PerpInd', 'PerpOrg', 'Target', 'Victim', 'Weapon'] as const;
const TYPES = ['attack', 'bombing', 'kidnapping', 'arson', 'robbery', 'forced work stoppage'];
const MUC4 = fileURLToPath(new URL('../../../shared/eval/muc4/', import.meta.url));

const DOCS = [
  {
    docid: 'T-0001',
    doctext:
      'urban guerrillas of the farabundo marti national liberation front (fmln) dynamited two power pylons in san miguel yesterday, the army reported.',
    templates: [
      {
        incident_type: 'bombing',
        PerpInd: [[['urban guerrillas', 0]]],
        PerpOrg: [
          [
            ['farabundo marti national liberation front', 24],
            ['fmln', 67],
          ],
        ],
        Target: [[['power pylons', 88]]],
        Victim: [],
        Weapon: [],
      },
    ],
  },
  { docid: 'T-0002', doctext: 'the government announced new economic measures today.', templates: [] },
  {
    docid: 'T-0003',
    doctext: 'gunmen kidnapped businessman jose ramirez in bogota on monday, police said.',
    templates: [
      {
        incident_type: 'kidnapping',
        PerpInd: [[['gunmen', 0]]],
        PerpOrg: [],
        Target: [],
        Victim: [[['jose ramirez', 29]]],
        Weapon: [],
      },
    ],
  },
];

interface TemplateJson {
  readonly incident_type: string;
  readonly [role: string]: unknown;
}

function expectTemplateShape(t: TemplateJson): void {
  expect(TYPES).toContain(t.incident_type);
  for (const role of ROLES) {
    const entities = t[role];
    expect(Array.isArray(entities), role).toBe(true);
    for (const entity of entities as unknown[]) {
      expect(Array.isArray(entity)).toBe(true);
      expect((entity as unknown[]).length).toBeGreaterThan(0);
      for (const mention of entity as unknown[]) expect(typeof mention).toBe('string');
    }
  }
}

interface Row {
  readonly p: number;
  readonly r: number;
  readonly f1: number;
}

function expectScores(rows: Readonly<Record<string, unknown>>, keys: readonly string[]): void {
  for (const key of [...keys, 'micro_avg']) {
    const row = rows[key] as Row;
    for (const value of [row.p, row.r, row.f1]) {
      expect(typeof value, key).toBe('number');
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
  }
}

interface EvalJson {
  readonly documents: number;
  readonly gtt: Readonly<Record<string, unknown>>;
  readonly ceaf_ree: Readonly<Record<string, unknown>> | null;
}

describe('vigil extract --muc4 and vigil eval muc4', () => {
  let dir: string;
  let gold: string;
  let grit: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-eval-'));
    gold = join(dir, 'gold.jsonl');
    const lines = DOCS.map((d) => JSON.stringify(d));
    // Line 3 is malformed; the three documents are on lines 1, 2 and 4.
    await writeFile(gold, `${lines[0]}\n${lines[1]}\n{"docid": "T-0009", "doctext": \n${lines[2]}\n`);
    grit = join(dir, 'grit.jsonl');
    const gritLines = DOCS.map((d) => {
      const extracts = Object.fromEntries(
        ROLES.map((role) => [
          role,
          d.templates.flatMap((t) => (t as Record<string, unknown>)[role] as unknown[]),
        ]),
      );
      return JSON.stringify({ docid: d.docid, doctext: d.doctext, extracts });
    });
    await writeFile(grit, `${gritLines.join('\n')}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('eval and eval muc4 have help with a description, the options and an example', async () => {
    for (const [command, option] of [
      ['eval', 'muc4'],
      ['eval muc4', '--grit <grit_gold.jsonl>'],
    ] as const) {
      const run = await vigil([...command.split(' '), '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: vigil ${command} `));
      expect(run.stdout.split('\n')[2]).toMatch(/^[A-Z].{10,}[^.]$/);
      expect(run.stdout).toContain(option);
      expect(run.stdout).toMatch(/^Examples?:\n {2}\$ vigil eval muc4 /m);
    }
    expect((await vigil(['--help'])).stdout).toMatch(/^ {2}eval /m);
  });

  it('extract --muc4 writes one {docid, templates} line per document and names the bad line', async () => {
    const run = await vigil(['extract', '--muc4', gold], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error ${gold}:3: invalid JSON`);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    const docs = lines.map((l) => JSON.parse(l) as { docid: string; templates: TemplateJson[] });
    expect(docs.map((d) => d.docid)).toEqual(['T-0001', 'T-0002', 'T-0003']);
    for (const d of docs) {
      expect(Object.keys(d).sort()).toEqual(['docid', 'templates']);
      for (const t of d.templates) expectTemplateShape(t);
    }
    expect(existsSync(join(dir, 'vigil.db'))).toBe(false);
  });

  it('extract --muc4 truncates a doctext over --max-bytes with a warning, and needs no other input', async () => {
    const big = join(dir, 'big.jsonl');
    await writeFile(big, `${JSON.stringify({ docid: 'B', doctext: 'the army reported. '.repeat(200) })}\n`);
    const run = await vigil(['extract', '--muc4', big, '--max-bytes', '1KB', '--published', '1990-01-10']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`warning ${big}:1: doctext is 3800 bytes, over the limit of 1024 bytes`);
    expect(JSON.parse(run.stdout).docid).toBe('B');
  });

  it('extract needs inputs or --muc4, not both', async () => {
    const none = await vigil(['extract']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^vigil: .*--muc4/);
    const both = await vigil(['extract', '--muc4', gold, gold]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/^vigil: --muc4: /);
  });

  it('eval muc4 --json prints both metrics, scores the readable documents and exits 1 for the bad line', async () => {
    const run = await vigil(['eval', 'muc4', gold, '--grit', grit, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error ${gold}:3: invalid JSON`);
    const result = JSON.parse(run.stdout) as EvalJson;
    expect(result.documents).toBe(3);
    expectScores(result.gtt, ['incident_type', ...ROLES]);
    expect(result.ceaf_ree).not.toBeNull();
    expectScores(result.ceaf_ree ?? {}, ROLES);
    expect(result.gtt.micro_avg).toMatchObject({ r_den: 2 + 5 });
  });

  it('eval muc4 prints readable tables; without --grit only the template metric', async () => {
    const run = await vigil(['eval', 'muc4', gold]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('GTT template metric');
    expect(run.stdout).toMatch(/^incident_type\s/m);
    expect(run.stdout).toMatch(/^micro avg\s/m);
    expect(run.stdout).not.toContain('CEAF-REE');
    const json = JSON.parse((await vigil(['eval', 'muc4', gold, '--json'])).stdout) as EvalJson;
    expect(json.ceaf_ree).toBeNull();
  });

  it('eval muc4 exits 1 on an unreadable gold or GRIT file', async () => {
    const missing = join(dir, 'missing.jsonl');
    const run = await vigil(['eval', 'muc4', missing]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`vigil: ${missing}: does not exist (no such file or directory)\n`);
    expect(run.stdout).toBe('');
    const noGrit = await vigil(['eval', 'muc4', gold, '--grit', missing]);
    expect(noGrit.code).toBe(1);
    expect(noGrit.stderr).toContain(`vigil: ${missing}: does not exist`);
    const noTemplates = join(dir, 'docs.jsonl');
    await writeFile(noTemplates, `${JSON.stringify({ docid: 'X', doctext: 'text.' })}\n`);
    const bare = await vigil(['eval', 'muc4', noTemplates]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain(`error ${noTemplates}:1: templates: missing`);
  });

  const HAVE_DEV = existsSync(join(MUC4, 'dev.jsonl')) && existsSync(join(MUC4, 'grit_dev.jsonl'));
  it.skipIf(!HAVE_DEV)('scores the first 20 MUC-4 dev documents', async () => {
    const first20 = (name: string) =>
      `${readFileSync(join(MUC4, name), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(0, 20)
        .join('\n')}\n`;
    const devGold = join(dir, 'dev20.jsonl');
    const devGrit = join(dir, 'grit_dev20.jsonl');
    await writeFile(devGold, first20('dev.jsonl'));
    await writeFile(devGrit, first20('grit_dev.jsonl'));

    const run = await vigil(['eval', 'muc4', devGold, '--grit', devGrit, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as EvalJson;
    expect(result.documents).toBe(20);
    expectScores(result.gtt, ['incident_type', ...ROLES]);
    expectScores(result.ceaf_ree ?? {}, ROLES);

    const extracted = await vigil(['extract', '--muc4', devGold]);
    expect(extracted.code).toBe(0);
    const docs = extracted.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { docid: string; templates: TemplateJson[] });
    expect(docs).toHaveLength(20);
    for (const d of docs) for (const t of d.templates) expectTemplateShape(t);
  });
});
