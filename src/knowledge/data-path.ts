import { fileURLToPath } from 'node:url';

/** Absolute path of a file in the package's `data/` folder, from `src/` or `dist/` alike. */
export function dataPath(name: string): string {
  return fileURLToPath(new URL(`../../data/${name}`, import.meta.url));
}
