import { readFileSync } from 'node:fs';
import { annotate } from './src/extract/annotate.ts';
import { findPerpetratorGroups, findAttackerCount } from './src/extract/fields/perpetrators.ts';
import { findCasualties } from './src/extract/fields/casualties.ts';
import { classifyTriggers } from './src/extract/events.ts';
const text = readFileSync('/tmp/d84.txt', 'utf8');
const s = annotate(text)[0]!;
console.log(classifyTriggers(s).map(m=>m.use), findPerpetratorGroups('x', text, s).map(g=>g.value), findCasualties('x', text, s).length, findAttackerCount('x', text, s));
