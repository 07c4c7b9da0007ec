// Status and event labels live with their definitions: the charts' `meta` (src/processes/statuses.ts) and src/events.
export type { Label } from '../../machines/process-types';
import type { Label } from '../../machines/process-types';

/** The time limits and deadlines of an application (clocks and timers), as a notice names them. */
export const DEADLINE_LABELS: Record<string, Label> = {
  decision: { zh: '办理时限', en: 'decision time limit' },
  city: { zh: '市级审查时限', en: 'city review time limit' },
  province: { zh: '省级审查时限', en: 'provincial review time limit' },
  intake: { zh: '受理期限', en: 'intake period' },
  correction: { zh: '补正期限', en: 'correction deadline' },
  supplement: { zh: '容缺材料补交期限', en: 'deadline for the missing materials' },
  verification: { zh: '承诺事项核查期限', en: 'verification deadline' },
};

export const label = (table: Record<string, Label>, key: string): Label => table[key] ?? { zh: key, en: key };
