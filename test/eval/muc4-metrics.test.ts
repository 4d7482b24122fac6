import { describe, expect, it } from 'vitest';
import {
  attackTypeAgrees,
  countryIso2,
  distinctStringEntities,
  greedyAlign,
  isoDay,
  mean,
  mucDateContains,
  mucDateIsSingleDay,
  normalisePlaceName,
  parseDateline,
  parseMucDate,
  parseMucLocation,
  ratio,
  splitAlternatives,
} from '../../bench/muc4-metrics.js';

describe('normalisePlaceName', () => {
  it('strips diacritics and an optional trailing "city"', () => {
    expect(normalisePlaceName('Medellín')).toBe('medellin');
    expect(normalisePlaceName('GUATEMALA CITY')).toBe('guatemala');
    expect(normalisePlaceName('Guatemala City')).toBe(normalisePlaceName('GUATEMALA'));
    expect(normalisePlaceName('San Salvador')).toBe('san salvador');
  });
});

describe('ratio and mean', () => {
  it('guard empty inputs', () => {
    expect(ratio(1, 0)).toBe(0);
    expect(ratio(1, 4)).toBe(0.25);
    expect(mean([])).toBe(0);
    expect(mean([1, 2, 6])).toBe(3);
  });
});

describe('distinctStringEntities', () => {
  it('normalises, drops empties and duplicates', () => {
    expect(distinctStringEntities(['The embassy', 'embassy', 'the', 'Bus'])).toEqual([['embassy'], ['bus']]);
  });
});

describe('parseDateline', () => {
  it('reads day-month-year datelines', () => {
    expect(parseDateline('LIMA, 10 JAN 90 (EFE) -- [TEXT]')).toBe('1990-01-10');
    expect(parseDateline('GUATEMALA CITY, 4 FEB 90 (ACAN-EFE)')).toBe('1990-02-04');
    expect(parseDateline('BOGOTA, 18 APRIL 89 (AFP)')).toBe('1989-04-18');
    expect(parseDateline('TAIPEI (TAIWAN), 4 SEPT 89 (CNA)')).toBe('1989-09-04');
  });

  it('reads month-day-year datelines', () => {
    expect(parseDateline('PERTH (AUSTRALIA), JUNE 11 89 (AFP)')).toBe('1989-06-11');
  });

  it('gives null without a full date', () => {
    expect(parseDateline('CLANDESTINE, NO DATE (RADIO VENCEREMOS)')).toBeNull();
    expect(parseDateline('BUENOS AIRES, 25 JAN (NA)')).toBeNull();
    expect(parseDateline('')).toBeNull();
    expect(parseDateline(null)).toBeNull();
  });

  it('rejects impossible days', () => {
    expect(parseDateline('LIMA, 31 FEB 90 (EFE)')).toBeNull();
    expect(isoDay(1988, 2, 29)).toBe('1988-02-29');
    expect(isoDay(1989, 2, 29)).toBeNull();
  });
});

describe('MUC dates', () => {
  it('splits top-level alternatives and unwraps them', () => {
    expect(splitAlternatives('(09 DEC 89) / (- 09 DEC 89)')).toEqual(['09 DEC 89', '- 09 DEC 89']);
    expect(splitAlternatives('COLOMBIA: URABA (REGION / CITY)')).toEqual(['COLOMBIA: URABA (REGION / CITY)']);
  });

  it('parses single days, open and closed ranges', () => {
    expect(parseMucDate('09 JAN 90')).toEqual([{ from: '1990-01-09', to: '1990-01-09' }]);
    expect(parseMucDate('- 19 JAN 89')).toEqual([{ from: null, to: '1989-01-19' }]);
    expect(parseMucDate('26 DEC 89 - 27 DEC 89')).toEqual([{ from: '1989-12-26', to: '1989-12-27' }]);
    expect(parseMucDate('(25 MAY 89 - 26 MAY 89) / (25 MAY 89)')).toEqual([
      { from: '1989-05-25', to: '1989-05-26' },
      { from: '1989-05-25', to: '1989-05-25' },
    ]);
    expect(parseMucDate('-')).toEqual([]);
    expect(parseMucDate('*')).toEqual([]);
  });

  it('checks a day against the range', () => {
    expect(mucDateContains('09 JAN 90', '1990-01-09')).toBe(true);
    expect(mucDateContains('09 JAN 90', '1990-01-10')).toBe(false);
    expect(mucDateContains('- 19 JAN 89', '1989-01-19')).toBe(true);
    expect(mucDateContains('- 19 JAN 89', '1988-12-01')).toBe(true);
    expect(mucDateContains('- 19 JAN 89', '1989-01-20')).toBe(false);
    expect(mucDateContains('26 DEC 89 - 27 DEC 89', '1989-12-27')).toBe(true);
    expect(mucDateContains('26 DEC 89 - 27 DEC 89', '1989-12-25')).toBe(false);
    expect(mucDateContains('(08 MAR 90) / (07 MAR 90 - 08 MAR 90)', '1990-03-07')).toBe(true);
  });

  it('is null when the key has no date, false when the draft has none', () => {
    expect(mucDateContains('-', '1990-01-09')).toBeNull();
    expect(mucDateContains('09 JAN 90', null)).toBe(false);
  });

  it('tells single-day keys from ranges', () => {
    expect(mucDateIsSingleDay('09 JAN 90')).toBe(true);
    expect(mucDateIsSingleDay('- 09 JAN 90')).toBe(false);
    expect(mucDateIsSingleDay('(09 DEC 89) / (- 09 DEC 89)')).toBe(false);
  });
});

describe('MUC locations', () => {
  it('maps country names to ISO2', () => {
    expect(countryIso2('EL SALVADOR')).toBe('SV');
    expect(countryIso2('Perú')).toBe('PE');
    expect(countryIso2('? HONDURAS')).toBe('HN');
    expect(countryIso2('UNITED STATES')).toBe('US');
    expect(countryIso2('ATLANTIS')).toBeNull();
  });

  it('takes the country before the first colon and every CITY-typed part', () => {
    expect(parseMucLocation('PERU: LIMA (CITY): SAN ISIDRO (NEIGHBORHOOD)')).toEqual({
      countries: ['PE'],
      unmappedCountries: [],
      cities: ['lima'],
    });
    expect(parseMucLocation('COLOMBIA: URABA (REGION / CITY)').cities).toEqual(['uraba']);
    expect(parseMucLocation('CHILE: COPIAPO (CITY) - TALCA (CITY)').cities).toEqual(['copiapo', 'talca']);
    expect(parseMucLocation('GUATEMALA: SANTO TOMAS (FARM)').cities).toEqual([]);
  });

  it('merges alternatives', () => {
    expect(parseMucLocation('(COLOMBIA) / (COLOMBIA: BOGOTA (CITY))')).toEqual({
      countries: ['CO'],
      unmappedCountries: [],
      cities: ['bogota'],
    });
    expect(parseMucLocation('HONDURAS / EL SALVADOR').countries).toEqual(['HN', 'SV']);
  });

  it('reports what it cannot map and ignores empty values', () => {
    expect(parseMucLocation('ATLANTIS: POSEIDONIA (CITY)').unmappedCountries).toEqual(['ATLANTIS']);
    expect(parseMucLocation('-')).toEqual({ countries: [], unmappedCountries: [], cities: [] });
  });
});

describe('attackTypeAgrees', () => {
  it('maps the specific MUC types', () => {
    expect(attackTypeAgrees('BOMBING', ['bombing_explosion'])).toBe(true);
    expect(attackTypeAgrees('KIDNAPPING', ['hostage_kidnapping'])).toBe(true);
    expect(attackTypeAgrees('ARSON', ['facility_infrastructure'])).toBe(true);
    expect(attackTypeAgrees('BOMBING', ['armed_assault'])).toBe(false);
  });

  it('accepts any generic type for ATTACK', () => {
    for (const t of ['armed_assault', 'assassination', 'unknown'])
      expect(attackTypeAgrees('ATTACK', [t])).toBe(true);
    expect(attackTypeAgrees('ATTACK', ['bombing_explosion'])).toBe(false);
    expect(attackTypeAgrees('ATTACK', [])).toBe(false);
  });

  it('accepts any alternative and skips ungraded types', () => {
    expect(attackTypeAgrees('BOMBING / ATTACK', ['armed_assault'])).toBe(true);
    expect(attackTypeAgrees('ROBBERY', ['armed_assault'])).toBeNull();
    expect(attackTypeAgrees('FORCED WORK STOPPAGE', [])).toBeNull();
  });
});

describe('greedyAlign', () => {
  it('takes the best pairs first, one-to-one', () => {
    expect(
      greedyAlign([
        [1, 3],
        [2, 0],
      ]),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('still pairs zero-agreement cells and stops when a side runs out', () => {
    expect(greedyAlign([[0], [0], [0]])).toEqual([[0, 0]]);
    expect(greedyAlign([[0, 0, 0]])).toEqual([[0, 0]]);
    expect(greedyAlign([])).toEqual([]);
  });

  it('breaks ties by template then draft order', () => {
    expect(
      greedyAlign([
        [1, 1],
        [1, 1],
      ]),
    ).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});
