import type { Actor } from './application-record';

/** The engine itself, for deadlines and effect results. */
export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'system', name: '系统 / system' };
