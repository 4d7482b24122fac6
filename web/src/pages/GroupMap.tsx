import { useCallback } from 'react';
import { WorldMap } from '../WorldMap';
import type { CountryRow } from './Group';

/** The countries a group attacked (darker for more incidents) and its home countries (hatched blue). */
export function GroupMap({
  countries,
  home,
}: {
  countries: CountryRow[];
  home: { numeric: string | null }[];
}) {
  const max = Math.max(1, ...countries.map((c) => c.incidents));
  const key =
    countries.map((c) => `${c.numeric}:${c.incidents}`).join(',') + home.map((h) => h.numeric).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the countries
  const fill = useCallback(
    (numeric: string) => {
      const c = countries.find((x) => x.numeric === numeric);
      if (c) return `rgba(213, 94, 0, ${0.3 + (0.7 * c.incidents) / max})`;
      if (home.some((h) => h.numeric === numeric)) return '#9ecae1';
      return undefined;
    },
    [key],
  );
  return (
    <WorldMap
      label="Countries attacked (orange, darker for more incidents) and home countries (blue)"
      fill={fill}
    />
  );
}
