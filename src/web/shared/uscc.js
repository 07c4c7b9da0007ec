// Browser copy of the GB 32100-2015 check in src/domain/identifiers.ts; test/web-uscc.test.ts keeps the two in step.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for 17 characters of the charset. */
export function usccCheckCharacter(body) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(body[i]) * WEIGHTS[i];
  return CHARSET[(31 - (sum % 31)) % 31];
}

/** What is wrong with a unified social credit code as {zh, en}, or null when it is valid. */
export function usccProblem(value) {
  const chars = [...value];
  if (chars.length !== 18) {
    return { zh: `应为18位，当前${chars.length}位`, en: `18 characters needed, ${chars.length} typed` };
  }
  for (let i = 0; i < 18; i++) {
    const c = chars[i];
    if (!CHARSET.includes(c)) {
      return CHARSET.includes(c.toUpperCase())
        ? { zh: `第${i + 1}位“${c}”请使用大写字母`, en: `Character ${i + 1} '${c}': use upper case` }
        : { zh: `第${i + 1}位“${c}”不合法（不使用I、O、S、V、Z）`, en: `Character ${i + 1} '${c}' is not allowed (no I, O, S, V, Z)` };
    }
  }
  if (!/^\d{6}$/.test(value.slice(2, 8))) {
    return { zh: '第3–8位应为6位行政区划码', en: 'Characters 3–8 must be a 6-digit division code' };
  }
  const expected = usccCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) {
    return { zh: `校验码错误：第18位应为“${expected}”`, en: `Wrong check character: the 18th should be '${expected}'` };
  }
  return null;
}
