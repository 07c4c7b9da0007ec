/** Check character for the first 17 characters of a unified social credit code (GB 32100-2015); throws on a bad body. */
export function usccCheckCharacter(body: string): string;
/** What is wrong with a unified social credit code as {zh, en}, or null when it is valid. */
export function usccProblem(value: string): { zh: string; en: string } | null;
