import { createRequire } from 'node:module';

/** The country outlines briefs draw: world-atlas's 110m TopoJSON, whose shapes are named by ISO
 * numeric code, and the numeric → alpha-2 codes from world-countries. */
export interface WorldOutlines {
  readonly topology: unknown;
  readonly alpha2ByNumeric: ReadonlyMap<string, string>;
}

let outlines: WorldOutlines | undefined;

export function loadWorldOutlines(): WorldOutlines {
  if (outlines === undefined) {
    const require = createRequire(import.meta.url);
    const countries = require('world-countries') as { cca2: string; ccn3: string }[];
    outlines = {
      topology: require('world-atlas/countries-110m.json') as unknown,
      alpha2ByNumeric: new Map(countries.filter((c) => c.ccn3).map((c) => [c.ccn3, c.cca2])),
    };
  }
  return outlines;
}
