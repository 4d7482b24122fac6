// Regenerates samples/articles.jsonl, the articles `vigil demo` (and `npm start`) ingests: the
// founding article from ../shared/examples plus samples/*.txt (first line the title, then a blank
// line, then the body), each dated from its expected record in test/fixtures/samples/.
// The JSON Lines file is committed so the product never needs ../shared at run time.
// Run: node scripts/build-samples.mjs
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const SOURCE = 'Vigil samples (written for this project)';

const articles = [
  {
    title: 'Moscow concert hall attack',
    published: '2024-03-25',
    text: read('../shared/examples/moscow-concert-hall.txt').trim(),
  },
];

const files = readdirSync(new URL('samples/', root))
  .filter((name) => name.endsWith('.txt'))
  .sort();
for (const name of files) {
  const slug = name.slice(0, -'.txt'.length);
  const raw = read(`samples/${name}`).replace(/\r\n/g, '\n');
  const match = /^([^\n]+)\n\n([\s\S]+)$/.exec(raw);
  if (!match) throw new Error(`samples/${name}: expected a title line, a blank line, then the body`);
  const { published } = JSON.parse(read(`test/fixtures/samples/${slug}.expected.json`));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(published))
    throw new Error(`${slug}: no published date in its expected record`);
  articles.push({ title: match[1].trim(), published, source: SOURCE, text: match[2].trim() });
}

const lines = articles.map((a) => JSON.stringify(a));
writeFileSync(new URL('samples/articles.jsonl', root), `${lines.join('\n')}\n`);
console.log(`samples/articles.jsonl: ${lines.length} articles`);
