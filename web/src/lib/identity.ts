// Client-side readings of Chinese identity numbers, mirroring the server's rules so a form can
// show what an ID number says (birth date, sex, age) while it is typed and warn about a wrong
// check digit early. The server stays the judge: its field errors are what block a save.

export type Sex = 'male' | 'female';

export type ResidentIdReading =
  | { ok: true; value: string; birthDate: string; sex: Sex }
  | { ok: false; code: 'invalid_id_number' | 'invalid_id_check_digit' };

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643 check character of the first 17 digits of a resident ID number. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

function realDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Reads an 18-character resident ID number (身份证号码); spaces are ignored, `x` is upper-cased. */
export function parseResidentId(raw: string): ResidentIdReading {
  const value = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return { ok: false, code: 'invalid_id_number' };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  if (y < 1900 || !realDate(y, m, d)) return { ok: false, code: 'invalid_id_number' };
  if (residentIdCheckChar(value) !== value[17]) return { ok: false, code: 'invalid_id_check_digit' };
  return {
    ok: true,
    value,
    birthDate: value.slice(6, 10) + '-' + value.slice(10, 12) + '-' + value.slice(12, 14),
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** Whole years between a `YYYY-MM-DD` birth date and the `YYYY-MM-DD` date `on`. */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}

/** The Luhn (mod 10) check of a bank card number; spaces are ignored. */
export function luhnValid(raw: string): boolean {
  const digits = raw.replace(/\s+/g, '');
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The GB 32100 check of a unified social credit code (统一社会信用代码). */
export function creditCodeValid(raw: string): boolean {
  const value = raw.replace(/\s+/g, '').toUpperCase();
  if (value.length !== 18 || [...value].some((c) => !CREDIT_ALPHABET.includes(c))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_ALPHABET.indexOf(value[i]) * CREDIT_WEIGHTS[i];
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31] === value[17];
}
