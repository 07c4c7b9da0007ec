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
