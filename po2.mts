import { readFileSync } from 'node:fs';
import { extractIncidents } from './src/extract/index.ts';
const grit = readFileSync(`../shared/eval/muc4/grit_train.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
let shown = 0;
for (const d of grit.slice(0, 600)) {
  const gold = d.extracts.PerpOrg.flatMap((e: any) => e.map((m: any) => m[0]));
  if (!gold.includes('fmln') && !gold.includes('shining path')) continue;
  const drafts = extractIncidents({ id: d.docid, text: d.doctext, published: '1990-01-01' });
  const pred = drafts.flatMap((x) => x.perpetrators.map((p) => p.value.alias));
  if (pred.length) continue;
  const name = gold.includes('fmln') ? 'fmln' : 'shining path';
  const i = d.doctext.indexOf(name);
  console.log(d.docid, 'drafts', drafts.length, '::', d.doctext.slice(Math.max(0, i - 200), i + 150).replace(/\s+/g, ' '));
  if (++shown > 8) break;
}
