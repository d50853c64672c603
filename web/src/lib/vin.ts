// Client-side reading of a VIN (车辆识别代号) and a Chinese plate, mirroring the server's rules
// (crates/collateral/src/domain) so the appraisal form can warn about a wrong check digit while
// the VIN is typed. The server stays the judge: its field errors are what block a save.

export type VinReading =
  | { ok: true; value: string }
  | { ok: false; code: 'invalid_vin' }
  | { ok: false; code: 'invalid_vin_check_digit'; value: string; expected: string };

const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const LETTERS: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};

function transliterate(c: string): number | undefined {
  if (c >= '0' && c <= '9') return Number(c);
  return LETTERS[c];
}

/** The ISO 3779 check digit (position 9) of a 17-character VIN of valid characters. */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (transliterate(vin[i]) ?? 0) * WEIGHTS[i];
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/** Upper-cases and drops spaces and dashes, as the server does. */
export function normaliseVin(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

/** Reads a VIN: its shape (17 characters, no I, O or Q) and then its check digit. */
export function parseVin(raw: string): VinReading {
  const value = normaliseVin(raw);
  if (value.length !== 17 || [...value].some((c) => transliterate(c) === undefined)) {
    return { ok: false, code: 'invalid_vin' };
  }
  const expected = vinCheckDigit(value);
  if (value[8] !== expected) return { ok: false, code: 'invalid_vin_check_digit', value, expected };
  return { ok: true, value };
}

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

/** Normalises a plate (upper case, no separators), or null when it is not a plate. */
export function parsePlate(raw: string): string | null {
  const value = raw.replace(/[\s·•-]+/g, '').toUpperCase();
  const chars = [...value];
  if (chars.length < 7 || chars.length > 8) return null;
  if (!PROVINCES.includes(chars[0]) || !/^[A-Z]$/.test(chars[1])) return null;
  return chars.slice(2).every((c) => /^[0-9A-HJ-NP-Z]$/.test(c)) ? value : null;
}
