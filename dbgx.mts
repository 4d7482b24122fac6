import { readFileSync } from 'node:fs';
import { annotate } from './src/extract/annotate.ts';
import { classifyTriggers } from './src/extract/events.ts';
const text = readFileSync(process.argv[2], 'utf8');
const grep = process.argv[3] ?? '';
for (const s of annotate(text)) {
  if (!s.sentence.text.includes(grep)) continue;
  console.log('S', s.sentence.index, s.sentence.text.slice(0, 150));
  const tk = (m: any) => s.sentence.tokens.slice(m.from, m.to).map((t) => t.norm).join(' ');
  console.log('  triggers', classifyTriggers(s).map((m) => tk(m.match) + ':' + m.use).join(', '));
  console.log('  names', s.names.map((m) => tk(m) + ':' + m.entries.map((e: any) => e.kind).join('/')).join(', '));
  console.log('  ctx', s.context.map((m) => tk(m) + ':' + m.entries.join('/')).join(', '));
  console.log('  cues', s.attributionCues.map((m) => tk(m) + ':' + m.entries.map((e) => e.attribution + '-' + e.position).join('/')).join(', '));
  console.log('  figures', s.figures.map((f) => tk(f) + '=' + JSON.stringify(f.count.value)).join(', '), 'casw', s.casualtyWords.map(tk).join(','));
}
