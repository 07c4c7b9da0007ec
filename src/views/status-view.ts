import { takesMaterials } from '../auth/access-policy';
import { INTERNAL_CHAIN_EVENTS } from '../auth/review-chain';
import { DOCUMENT_ISSUED } from '../events/system-events';
import { shanghaiDate } from '../calendar';
import type { ApplicationRecord, TimerRecord } from '../engine/application-record';
import { eventLabel } from '../events';
import { statusLabel } from '../processes/statuses';
import type { Services } from '../services';
import { clockView } from './application-view';
import { DEADLINE_RECALCULATED, describeMoves, type DeadlineMove } from '../engine/recalculate-deadlines';

/** The public status page (办件查询): plain language, what is expected of the applicant now, and nothing internal. */
export function toStatusView(services: Services, app: ApplicationRecord) {
  const item = services.itemOf(app.itemCode);
  const materialName = (code?: string) => item.materials.find((m) => m.code === code)?.name ?? '';
  const timer = (name: string) => app.timers.find((t) => t.name === name && t.status === 'pending');
  const clock = clockView(services, app.clocks.decision, item);

  // A provisional date says so in the sentence itself, not only in a flag beside it.
  const by = (t: TimerRecord | undefined) => ({
    deadline: t?.dueDate ?? null,
    provisional: t?.provisional ?? false,
    zh: t ? `，截止 ${t.dueDate}${t.provisional ? '（暂定）' : ''}` : '',
    en: t ? ` by ${t.dueDate}${t.provisional ? ' (provisional)' : ''}` : '',
  });
  let expected: { zh: string; en: string; deadline: string | null; provisional: boolean } | null = null;
  if (app.status === 'correction_required' && app.details.correction) {
    const d = by(timer('correction'));
    const items = app.details.correction.items.map((i) => [materialName(i.material), i.description].filter(Boolean).join('：'));
    expected = {
      zh: `补正材料：${items.join('；')}${d.zh}`,
      en: `Supply the corrections listed${d.en}: ${app.details.correction.items.map((i) => i.description).join('; ')}`,
      deadline: d.deadline,
      provisional: d.provisional,
    };
  } else if (app.details.deficiency?.outstanding.length && ['accepted_deficient', 'approved_pending_supplement', 'suspended'].includes(app.status)) {
    const d = by(timer('supplement'));
    const names = app.details.deficiency.outstanding.map((c) => materialName(c) || c);
    expected = {
      zh: `补交容缺材料：${names.join('、')}${d.zh}；逾期未补交将终止办理`,
      en: `Supply the missing materials${d.en}: ${app.details.deficiency.outstanding.join(', ')}; otherwise processing ends`,
      deadline: d.deadline,
      provisional: d.provisional,
    };
  }
  const running = clock && 'dueDate' in clock && !clock.stopped ? clock : null;

  return {
    applicationNo: app.applicationNo,
    itemName: item.name,
    itemNameEn: item.nameEn,
    applicantName: app.applicant.name,
    status: app.status,
    statusLabel: statusLabel(app.status),
    submittedOn: shanghaiDate(new Date(app.createdAt)),
    dueDate: running?.dueDate ?? null,
    provisional: running?.provisional ?? false,
    expected,
    certificateNo: app.details.certificateNo ?? null,
    // The applicant may upload files to these materials now (with a token from its number and query code).
    takesMaterials: takesMaterials(app.status),
    materials: app.materials.map((m) => ({ code: m.code, name: materialName(m.code) || m.code, nameEn: item.materials.find((x) => x.code === m.code)?.nameEn ?? m.code, provided: m.provided })),
    // A recalculated deadline names both dates, which the applicant needs to read.
    // Issued documents are listed on their own (GET …/documents, with the enterprise's token), not as steps.
    timeline: app.timeline.filter((t) => t.event !== DOCUMENT_ISSUED && !INTERNAL_CHAIN_EVENTS.has(t.event)).map((t) => ({
      date: shanghaiDate(new Date(t.at)),
      event: t.event,
      ...eventLabel(t.event),
      status: t.toStatus,
      ...(t.event === DEADLINE_RECALCULATED ? { detail: describeMoves((t.data?.moves ?? []) as DeadlineMove[]) } : {}),
    })),
  };
}
