/** The check character for 17 characters of the GB 32100-2015 charset. */
export function usccCheckCharacter(body: string): string;
/** What is wrong with a unified social credit code as {zh, en}, or null when it is valid. */
export function usccProblem(value: string): { zh: string; en: string } | null;
