// The one GB 32100-2015 check: the server imports it (identifiers.ts) and the browser loads this same file at /assets/uscc.js (src/web/serve-web.ts), so it stays a dependency-free ES module.
// The value of a character is its index in the charset (I, O, S, V, Z are never used).
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * Check character for the first 17 characters of a unified social credit code (GB 32100-2015).
 * Throws if `body` is not 17 characters from the code's charset.
 */
export function usccCheckCharacter(body) {
  if (body.length !== 17) throw new Error(`USCC body must be 17 characters, got ${body.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CHARSET.indexOf(body[i]);
    if (value < 0) throw new Error(`USCC body has an invalid character '${body[i]}' at position ${i + 1}`);
    sum += value * WEIGHTS[i];
  }
  // 31 − (Σ mod 31) is 1…31; 31 wraps to index 0 ('0').
  return CHARSET[(31 - (sum % 31)) % 31];
}

/**
 * What is wrong with a unified social credit code as {zh, en}, or null when it is valid.
 * Reports the first problem only: length, then characters, then the division digits, then the check character.
 */
export function usccProblem(value) {
  const chars = [...value];
  if (chars.length !== 18) {
    return { zh: `统一社会信用代码应为18位，实际为${chars.length}位`, en: `A unified social credit code has 18 characters, got ${chars.length}` };
  }
  for (let i = 0; i < 18; i++) {
    const c = chars[i];
    if (!CHARSET.includes(c)) {
      return CHARSET.includes(c.toUpperCase())
        ? { zh: `第${i + 1}位字符“${c}”不合法（请使用大写字母）`, en: `Character ${i + 1} '${c}' is not allowed (use upper case)` }
        : { zh: `第${i + 1}位字符“${c}”不合法（不得使用I、O、S、V、Z及其他字符）`, en: `Character ${i + 1} '${c}' is not allowed (I, O, S, V, Z and other characters are not used)` };
    }
  }
  if (!/^\d{6}$/.test(value.slice(2, 8))) {
    return { zh: `第3–8位登记管理机关行政区划码应为6位数字，实际为“${value.slice(2, 8)}”`, en: `Characters 3–8 (administrative division) must be 6 digits, got '${value.slice(2, 8)}'` };
  }
  const expected = usccCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) {
    return { zh: `校验码错误：第18位应为“${expected}”，实际为“${value[17]}”`, en: `Wrong check character: character 18 should be '${expected}', got '${value[17]}'` };
  }
  return null;
}
