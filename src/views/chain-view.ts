import { CHAIN_STEPS } from '../../machines/review-chain';
import type { ChainStep } from '../../machines/process-types';
import type { Principal } from '../auth/access-policy';
import { chainStepOf } from '../auth/review-chain';
import { shanghaiDate } from '../calendar';
import type { CatalogItem } from '../catalog/types';
import type { ApplicationRecord, ClockRecord } from '../engine/application-record';
import { viewClock, type Light } from '../engine/clock';
import type { Services } from '../services';
import type { OpenApplication } from '../store/open-applications';

/** A chain step's clock as people read it, with the step's own light. */
export interface StepClockView {
  step: ChainStep;
  label: { zh: string; en: string };
  startedOn: string;
  dueDate: string;
  limitWorkingDays: number;
  /** Working days left of the step's share (negative once past it). */
  remainingWorkingDays: number;
  stopped: boolean;
  light: Light;
}

const labelOf = (step: ChainStep) => CHAIN_STEPS.find((s) => s.step === step)!.label;

/**
 * A step within its share of the promised limit is green; past its share it turns yellow (the later steps' time is being
 * spent), and red once it is past its share by more than the item's warning days. A year with no schedule reads green.
 */
export function stepClockView(services: Pick<Services, 'now' | 'calendar'>, step: ChainStep, clock: ClockRecord | null | undefined, item: CatalogItem): StepClockView | null {
  if (!clock) return null;
  try {
    const view = viewClock(clock, shanghaiDate(services.now()), 0, services.calendar);
    const over = -view.remainingWorkingDays;
    const light: Light = over <= 0 ? 'green' : over <= item.warningDays ? 'yellow' : 'red';
    return { step, label: labelOf(step), startedOn: view.startedOn, dueDate: view.dueDate, limitWorkingDays: view.limitWorkingDays, remainingWorkingDays: view.remainingWorkingDays, stopped: view.stopped, light };
  } catch (e) {
    if ((e as { code?: string }).code === 'CALENDAR_YEAR_MISSING') return null;
    throw e;
  }
}

/** The chain of an application for staff: its length, the step in hand with its light, the assignment and what each step said. */
export function chainView(services: Pick<Services, 'now' | 'calendar'>, app: ApplicationRecord, item: CatalogItem) {
  if (item.reviewSteps === 1 && !app.details.reviewChain) return null;
  const step = chainStepOf(app);
  const steps = CHAIN_STEPS.filter((s) => item.reviewSteps === 3 || s.step !== 'checking');
  const record = app.details.reviewChain;
  return {
    reviewSteps: item.reviewSteps,
    step,
    stepLabel: step ? labelOf(step) : null,
    steps: steps.map((s, i) => ({ ...s, share: item.reviewStepShares[i] ?? null, clock: stepClockView(services, s.step, app.clocks[s.step], item), by: record?.actors[s.step] ?? [] })),
    assignment: record?.assignment ?? null,
    proposal: record?.proposal ?? null,
    check: record?.check ?? null,
    returned: record?.returned ?? null,
  };
}

/** The work-list row's step: which one waits, whose case it is, and its light. */
export function listStep(services: Pick<Services, 'now' | 'calendar'>, entry: Pick<OpenApplication, 'chainStep' | 'stepClock' | 'assignee'>, item: CatalogItem) {
  if (!entry.chainStep) return null;
  return { step: entry.chainStep, label: labelOf(entry.chainStep), assignee: entry.assignee ?? null, clock: stepClockView(services, entry.chainStep, entry.stepClock, item) };
}

// The one-step review waits for a reviewer in these statuses.
const ONE_STEP_REVIEW = new Set(['under_review', 'accepted_deficient', 'suspended']);

/**
 * Whether an open application waits for this staff member's step: the handler's own cases, the chief's queue (unassigned
 * cases to assign, and checks, of the chief's section 科室 when the account has one), the leader's signatures; one-step reviews
 * for reviewers, intake for the window. `department` is the department the case's item is routed to.
 */
export function waitsFor(principal: Principal, entry: Pick<OpenApplication, 'chainStep' | 'assignee' | 'status'>, department: string): boolean {
  if (principal.kind !== 'staff') return false;
  const step = entry.chainStep ?? null;
  const mine = step === 'handling' && entry.assignee === principal.sub;
  const section = !principal.department || principal.department === department;
  switch (principal.role) {
    case 'reviewer': return mine || (!step && ONE_STEP_REVIEW.has(entry.status) && section);
    case 'chief': return mine || (section && (step === 'checking' || (step === 'handling' && !entry.assignee)));
    case 'leader': return step === 'signing';
    case 'clerk': return ['submitted', 'correction_required'].includes(entry.status);
    default: return true;
  }
}
