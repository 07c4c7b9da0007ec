import type { Principal } from '../../auth/access-policy';
import type { CertificateRecord } from '../../certificates/certificate-store';
import type { ApplicationRecord } from '../../engine/application-record';
import { fireDueTimers } from '../../engine/permit-engine';
import { SYSTEM_ACTOR } from '../../engine/system-actor';
import type { Services } from '../../services';
import { actorOf, sendEvent } from '../../use-cases/send-event';
import { submitApplication, type SubmitApplicationInput } from '../../use-cases/submit-application';
import { applicationBody, freshUscc } from '../sample-applications';

/** Where a template stands: still in hand at the office, or finished. */
export type TemplateKind = 'open' | 'finished';

/** One application taken through the real use cases into a state that matters, as every clone of it starts. */
export interface Template {
  name: string;
  kind: TemplateKind;
  record: ApplicationRecord;
  /** Its certificate, when the path issued one (approved, 告知承诺). */
  certificate: CertificateRecord | null;
  /** The pending timer a clone can be given as due, to arrange a tick with work in it. */
  timerName: string | null;
}

const exp = Math.floor(Date.now() / 1000) + 86_400;
const clerk: Principal = { kind: 'staff', sub: 'bench-template-clerk', name: '压测窗口', role: 'clerk', jurisdiction: '370600', exp };
const reviewer: Principal = { kind: 'staff', sub: 'bench-template-reviewer', name: '压测审查', role: 'reviewer', jurisdiction: '370600', exp };
const provinceReviewer: Principal = { kind: 'staff', sub: 'bench-template-province', name: '压测省级审查', role: 'province-reviewer', jurisdiction: '370000', exp };

const signed = () => ({ signedBy: '王经理', signedAt: new Date().toISOString() });

type Step = { who: Principal; event: { type: string } & Record<string, unknown> } | { fireTimerInDays: number };

interface Path {
  name: string;
  kind: TemplateKind;
  item: string;
  provided?: string[];
  steps: Step[];
  timerName?: string;
}

// Items: 004 city standard, 003 county 容缺, 006 county 告知承诺 (12 months), 008 city 省市联审, 001 province (36 months).
const PATHS: Path[] = [
  { name: 'submitted', kind: 'open', item: '370000-AQ-XK-004', steps: [] },
  { name: 'underReview', kind: 'open', item: '370000-AQ-XK-004', steps: [{ who: clerk, event: { type: 'ACCEPT' } }] },
  {
    name: 'correctionRequested', kind: 'open', item: '370000-AQ-XK-004', timerName: 'correction',
    steps: [{ who: clerk, event: { type: 'REQUEST_CORRECTION', items: [{ material: 'M06', description: '请补充安全评价报告' }] } }],
  },
  {
    name: 'deficientAccepted', kind: 'open', item: '370000-AQ-XK-003', timerName: 'supplement',
    steps: [{ who: clerk, event: { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M06', 'M07'], promise: signed() } }],
  },
  {
    name: 'commitmentAwaitingVerification', kind: 'open', item: '370000-AQ-XK-006', timerName: 'verification',
    steps: [{ who: clerk, event: { type: 'ACCEPT_ON_COMMITMENT', pledge: { textVersion: '2026-01', ...signed() } } }],
  },
  { name: 'jointReview', kind: 'open', item: '370000-AQ-XK-008', steps: [{ who: clerk, event: { type: 'ACCEPT' } }] },
  {
    name: 'suspended', kind: 'open', item: '370000-AQ-XK-004',
    steps: [{ who: clerk, event: { type: 'ACCEPT' } }, { who: reviewer, event: { type: 'SUSPEND', reason: '现场核查', expectedWorkingDays: 10 } }],
  },
  { name: 'approved', kind: 'finished', item: '370000-AQ-XK-004', steps: [{ who: clerk, event: { type: 'ACCEPT' } }, { who: reviewer, event: { type: 'APPROVE' } }] },
  { name: 'approvedProvince', kind: 'finished', item: '370000-AQ-XK-001', steps: [{ who: clerk, event: { type: 'ACCEPT' } }, { who: provinceReviewer, event: { type: 'APPROVE' } }] },
  { name: 'approvedRetail', kind: 'finished', item: '370000-AQ-XK-006', steps: [{ who: clerk, event: { type: 'ACCEPT' } }, { who: reviewer, event: { type: 'APPROVE' } }] },
  { name: 'denied', kind: 'finished', item: '370000-AQ-XK-004', steps: [{ who: clerk, event: { type: 'ACCEPT' } }, { who: reviewer, event: { type: 'DENY', reason: '不符合安全条件' } }] },
  { name: 'notAccepted', kind: 'finished', item: '370000-AQ-XK-004', steps: [{ who: clerk, event: { type: 'REJECT', reason: '不属于本机关职权范围' } }] },
  { name: 'withdrawn', kind: 'finished', item: '370000-AQ-XK-004', steps: [{ who: clerk, event: { type: 'ACCEPT' } }, { who: clerk, event: { type: 'WITHDRAW', reason: '企业主动撤回' } }] },
  {
    name: 'terminated', kind: 'finished', item: '370000-AQ-XK-003',
    steps: [{ who: clerk, event: { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M06', 'M07'], promise: signed() } }, { fireTimerInDays: 40 }],
  },
];
/**
 * Runs one real application per path through the use cases (submit, events as the right staff, a fired
 * deadline) on the bench's own store, and returns each as the store holds it with its certificate.
 */
export async function buildTemplates(services: Services): Promise<Template[]> {
  const templates: Template[] = [];
  for (const path of PATHS) {
    const materials = (path.provided ?? ['M01', 'M02', 'M03', 'M04', 'M05']).map((code) => ({ code, provided: true }));
    const input = applicationBody(path.item, { uscc: freshUscc('370602'), materials }) as SubmitApplicationInput;
    const { application } = await submitApplication(services, input, actorOf(clerk));
    for (const step of path.steps) {
      if ('fireTimerInDays' in step) {
        await fireDueTimers(services.engine, services.store, application.id, new Date(services.now().getTime() + step.fireTimerInDays * 86_400_000), SYSTEM_ACTOR);
        await services.effects.runFor(application.id);
      } else {
        await sendEvent(services, step.who, application.id, step.event);
      }
    }
    const record = (await services.store.get(application.id))!;
    if ((path.kind === 'finished') !== (services.engine.snapshotOf(record).status === 'done')) throw new Error(`template ${path.name} ended in ${record.state}, not ${path.kind}`);
    templates.push({ name: path.name, kind: path.kind, record, certificate: await services.certificates.findByApplication(record.id), timerName: path.timerName ?? null });
  }
  return templates;
}
