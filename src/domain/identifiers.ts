// GB 32100-2015 charset: the value of a character is its index (I, O, S, V, Z are never used).
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * Check character for the first 17 characters of a unified social credit code (GB 32100-2015).
 * Throws if `body` is not 17 characters from the code's charset.
 */
export function usccCheckCharacter(body: string): string {
  if (body.length !== 17) throw new Error(`USCC body must be 17 characters, got ${body.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARSET.indexOf(body[i]);
    if (value < 0) throw new Error(`USCC body has an invalid character '${body[i]}' at position ${i + 1}`);
    sum += value * USCC_WEIGHTS[i];
  }
  // 31 − (Σ mod 31) is 1…31; 31 wraps to index 0 ('0').
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/**
 * What is wrong with a unified social credit code, as a bilingual message, or null when it is valid.
 * Reports the first problem only: length, then characters, then the division digits, then the check character.
 */
export function usccProblem(s: string): string | null {
  const chars = [...s];
  if (chars.length !== 18) {
    return `统一社会信用代码应为18位，实际为${chars.length}位 / A unified social credit code has 18 characters, got ${chars.length}`;
  }
  for (let i = 0; i < 18; i++) {
    const c = chars[i];
    if (!USCC_CHARSET.includes(c)) {
      const upper = USCC_CHARSET.includes(c.toUpperCase());
      const zh = upper ? '请使用大写字母' : '不得使用I、O、S、V、Z及其他字符';
      const en = upper ? 'use upper case' : 'I, O, S, V, Z and other characters are not used';
      return `第${i + 1}位字符“${c}”不合法（${zh}） / Character ${i + 1} '${c}' is not allowed (${en})`;
    }
  }
  if (!/^\d{6}$/.test(s.slice(2, 8))) {
    return `第3–8位登记管理机关行政区划码应为6位数字，实际为“${s.slice(2, 8)}” / Characters 3–8 (administrative division) must be 6 digits, got '${s.slice(2, 8)}'`;
  }
  const expected = usccCheckCharacter(s.slice(0, 17));
  if (s[17] !== expected) {
    return `校验码错误：第18位应为“${expected}”，实际为“${s[17]}” / Wrong check character: character 18 should be '${expected}', got '${s[17]}'`;
  }
  return null;
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
