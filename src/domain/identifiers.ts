import { usccCheckCharacter, usccProblem as usccProblemParts } from './uscc.js';

export { usccCheckCharacter };

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * What is wrong with a unified social credit code, as a bilingual message, or null when it is valid.
 * Reports the first problem only: length, then characters, then the division digits, then the check character.
 */
export function usccProblem(s: string): string | null {
  const problem = usccProblemParts(s);
  return problem && `${problem.zh} / ${problem.en}`;
}

/** True when `s` is a well-formed unified social credit code (GB 32100-2015) with a correct check character. */
export function isValidUscc(s: string): boolean {
  return usccProblem(s) === null;
}

/** True when `s` is an 18-character citizen identity number (GB 11643-1999) with a real birth date and a correct check character. */
export function isValidResidentId(s: string): boolean {
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const year = Number(s.slice(6, 10));
  const month = Number(s.slice(10, 12));
  const day = Number(s.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (year < 1800 || birth.getUTCFullYear() !== year || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_WEIGHTS[i];
  return s[17] === ID_CHECK[sum % 11];
}

const MOD37_36_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * ISO 7064 MOD 37,36 (the hybrid system with M = 36): the check character of an alphanumeric string, as the
 * electronic licence identifier (证照标识, GB/T 36903) carries it. Characters outside 0-9 and A-Z are not counted.
 */
export function mod37_36CheckCharacter(s: string): string {
  let p = 36;
  for (const c of s.toUpperCase()) {
    const value = MOD37_36_CHARSET.indexOf(c);
    if (value < 0) continue;
    // s = (p + a) mod M, with 0 read as M; then p = 2s mod (M + 1).
    const sum = (p + value) % 36 || 36;
    p = (sum * 2) % 37;
  }
  return MOD37_36_CHARSET[(37 - p) % 36];
}

/** True when the last alphanumeric character of `s` is the MOD 37,36 check of the ones before it. */
export function hasValidMod37_36Check(s: string): boolean {
  const chars = s.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return chars.length > 1 && mod37_36CheckCharacter(chars.slice(0, -1)) === chars.at(-1);
}
