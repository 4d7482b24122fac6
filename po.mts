import { readFileSync } from 'node:fs';
import { extractIncidents } from './src/extract/index.ts';
import { nameGazetteer } from './src/extract/names.ts';
import { tokenize } from './src/extract/text/tokens.ts';
const split = process.argv[2] ?? 'train';
const grit = readFileSync(`../shared/eval/muc4/grit_${split}.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const g = nameGazetteer();
let miss = new Map<string, number>(); let inKb = 0, notKb = 0, found = 0;
for (const d of grit.slice(0, 600)) {
  const drafts = extractIncidents({ id: d.docid, text: d.doctext, published: '1990-01-01' });
  const pred = new Set(drafts.flatMap((x) => x.perpetrators.flatMap((p) => p.value.aliasesSeen.map((a) => a.toLowerCase()))));
  for (const ent of d.extracts.PerpOrg) {
    const names = ent.map((m: any) => m[0]);
    if (names.some((n: string) => pred.has(n))) { found++; continue; }
    const known = names.some((n: string) => g.match(tokenize(n)).some((m) => m.entries.some((e) => e.kind === 'group')));
    if (known) inKb++; else notKb++;
    const k = (known ? 'KB ' : 'NEW ') + names[0];
    miss.set(k, (miss.get(k) ?? 0) + 1);
  }
}
console.log({ found, inKb, notKb });
console.log([...miss].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${v} ${k}`).join('\n'));
