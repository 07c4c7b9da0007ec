import type { PermitEvent, ProcessContext } from './process-types';

type Args = { context: ProcessContext; event: PermitEvent };

// Timers are per request (assistance-A1, …) so each turns red by its own deadline; the inspection has one at a time.
export const assistanceTimerName = (requestId: string): string => `assistance-${requestId}`;
export const INSPECTION_TIMER = 'inspection';

/** The id the next request gets; the event's `records` names it the same way from the application's details. */
export const nextAssistanceId = (context: Pick<ProcessContext, 'assistanceSeq'>): string => `A${(context.assistanceSeq ?? 0) + 1}`;

const requestIdOf = (event: PermitEvent): string => ('requestId' in event ? String(event.requestId) : '');

const startAssistanceTimer = {
  type: 'startTimer',
  params: ({ context, event }: Args) => ({
    name: assistanceTimerName(nextAssistanceId(context)),
    event: 'ASSISTANCE_DEADLINE_PASSED',
    days: event.type === 'REQUEST_ASSISTANCE' ? event.workingDays : 0,
    basis: 'working' as const,
  }),
} as const;
const cancelAssistanceTimer = { type: 'cancelTimer', params: ({ event }: Args) => ({ name: assistanceTimerName(requestIdOf(event)) }) } as const;
const mailRequest = { type: 'mailDepartment', params: ({ context }: Args) => ({ requestId: nextAssistanceId(context), kind: 'request' as const }) } as const;
const mailReminder = { type: 'mailDepartment', params: ({ event }: Args) => ({ requestId: requestIdOf(event), kind: 'reminder' as const }) } as const;

// Yellow from the day after the inspection date, red once its result is `inspectionResultDays` working days late.
const startInspectionTimer = {
  type: 'startTimer',
  params: ({ context, event }: Args) => ({
    name: INSPECTION_TIMER,
    event: 'INSPECTION_OVERDUE',
    days: context.inspectionResultDays ?? 3,
    basis: 'working' as const,
    from: event.type === 'SCHEDULE_INSPECTION' ? event.date : undefined,
  }),
} as const;
const cancelInspectionTimer = { type: 'cancelTimer', params: { name: INSPECTION_TIMER } } as const;

/**
 * 部门协查 and 现场核查 as self-transitions (actions only): spread into the `on` of the review parents and, for the
 * inspection, of 告知承诺 verification. Excluded time pauses the decision clock while anything excluded is open.
 */
export const assistanceEvents = {
  REQUEST_ASSISTANCE: [
    { guard: 'assistanceExcluded', actions: [startAssistanceTimer, mailRequest, 'openAssistance', 'pauseClock'] },
    { actions: [startAssistanceTimer, mailRequest, 'openAssistance'] },
  ],
  // Answered through the link or recorded by the reviewer; `check` refuses a request that is not open.
  RECORD_ASSISTANCE: [
    { guard: 'closesLastExcludedRequest', actions: [cancelAssistanceTimer, 'closeAssistance', 'resumeClock'] },
    { guard: 'assistanceOpen', actions: [cancelAssistanceTimer, 'closeAssistance'] },
  ],
  WITHDRAW_ASSISTANCE: [
    { guard: 'closesLastExcludedRequest', actions: [cancelAssistanceTimer, 'closeAssistance', 'resumeClock'] },
    { guard: 'assistanceOpen', actions: [cancelAssistanceTimer, 'closeAssistance'] },
  ],
  REMIND_ASSISTANCE: { guard: 'assistanceOpen', actions: mailReminder },
  // The fired timer stays in the record; the request shows red until it is answered or withdrawn.
  ASSISTANCE_DEADLINE_PASSED: { actions: 'noteOverdue' },
} as const;

export const inspectionEvents = {
  SCHEDULE_INSPECTION: [
    { guard: 'inspectionExcludedNoneOpen', actions: [startInspectionTimer, { type: 'mailApplicant', params: { kind: 'inspection' as const } }, 'openInspection', 'pauseClock'] },
    { guard: 'noInspectionOpen', actions: [startInspectionTimer, { type: 'mailApplicant', params: { kind: 'inspection' as const } }, 'openInspection'] },
  ],
  RECORD_INSPECTION: [
    { guard: 'closesExcludedInspection', actions: [cancelInspectionTimer, 'closeInspection', 'resumeClock'] },
    { guard: 'inspectionOpen', actions: [cancelInspectionTimer, 'closeInspection'] },
  ],
  INSPECTION_OVERDUE: { actions: 'noteOverdue' },
} as const;

/** Both, for the review states. */
export const whileReviewing = { ...assistanceEvents, ...inspectionEvents } as const;

const open = (context: ProcessContext) => context.openAssistance ?? [];

/** Context updates (pure); `assign` wraps them in the chart. */
export const assistanceContext = {
  openAssistance: ({ context }: Args) => ({ assistanceSeq: (context.assistanceSeq ?? 0) + 1, openAssistance: [...open(context), nextAssistanceId(context)] }),
  closeAssistance: ({ context, event }: Args) => ({ openAssistance: open(context).filter((id) => id !== requestIdOf(event)) }),
  openInspection: () => ({ inspectionOpen: true }),
  closeInspection: () => ({ inspectionOpen: false }),
};

/** Guards: whether this closes the last excluded thing that keeps the decision clock paused. */
export const assistanceGuards = {
  assistanceExcluded: ({ context }: Args) => context.assistanceExcluded === true,
  inspectionExcludedNoneOpen: ({ context }: Args) => context.inspectionExcluded === true && context.inspectionOpen !== true,
  // Only what is open can be answered, reminded, withdrawn or recorded; one inspection at a time.
  assistanceOpen: ({ context }: Args) => open(context).length > 0,
  inspectionOpen: ({ context }: Args) => context.inspectionOpen === true,
  noInspectionOpen: ({ context }: Args) => context.inspectionOpen !== true,
  closesLastExcludedRequest: ({ context, event }: Args) =>
    context.assistanceExcluded === true && open(context).length === 1 && open(context)[0] === requestIdOf(event) &&
    !(context.inspectionExcluded === true && context.inspectionOpen === true),
  // An excluded request or inspection is open: the decision clock stays paused for it.
  excludedWorkOpen: ({ context }: Args) => (context.assistanceExcluded === true && open(context).length > 0) || (context.inspectionExcluded === true && context.inspectionOpen === true),
  closesExcludedInspection: ({ context }: Args) =>
    context.inspectionExcluded === true && context.inspectionOpen === true && !(context.assistanceExcluded === true && open(context).length > 0),
};
