import { randomUUID } from 'node:crypto';
import { addCalendarDays, endOfShanghaiDay, shanghaiDate } from '../../calendar';
import { routeApplication } from '../../catalog/routing';
import type { Catalog, CatalogItem } from '../../catalog/types';
import type { CertificateRecord } from '../../certificates/certificate-store';
import type { Actor, ApplicationRecord, TimelineEntry } from '../../engine/application-record';
import { timelineEntry } from '../../engine/plan-change';
import { hashQueryCode, newQueryCode } from '../../use-cases/submit-application';
import { usccCheckCharacter } from '../../domain/identifiers';
import type { Template } from './templates';

const DAY_MS = 86_400_000;
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** What makes one clone its own application: who applied, where, and when. */
export interface CloneSpec {
  /** A number unique among all clones of the run: names, codes and certificate numbers derive from it. */
  n: number;
  /** The applicant's county (administrative division); routing follows from it and the item's level. */
  division: string;
  /** Whole days every date of the template moves (negative: into the past). */
  shiftDays: number;
  /** For an open clone: when its pending timers fall due (all of them; null keeps the shifted ones). */
  timersDueAt?: Date | null;
  /** "Today" for the certificate's status: a validity that ended before it is stored expired. */
  today: string;
}

/** A clone ready to persist, with what the bench needs to find it again over the API. */
export interface Clone {
  record: ApplicationRecord;
  queryCode: string;
  certificate: CertificateRecord | null;
}

/** A valid USCC registered in `division`, deterministic in `n` so every run seeds the same holders. */
export function usccFor(division: string, n: number): string {
  let body = '';
  for (let v = n * 7_919 + 104_729, i = 0; i < 9; i++, v = Math.floor(v / USCC_CHARS.length)) body += USCC_CHARS[v % USCC_CHARS.length];
  const full = `91${division}${body}`;
  return full + usccCheckCharacter(full);
}

/** Copies a value with every Date, date and instant string moved by `days`, and listed strings replaced. */
function shifted(value: unknown, days: number, rename: Map<string, string>): unknown {
  if (value instanceof Date) return new Date(value.getTime() + days * DAY_MS);
  if (typeof value === 'string') {
    const renamed = rename.get(value);
    if (renamed !== undefined) return renamed;
    if (DATE_ONLY.test(value)) return addCalendarDays(value, days);
    if (INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return new Date(Date.parse(value) + days * DAY_MS).toISOString();
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => shifted(v, days, rename));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shifted(v, days, rename)]));
  return value;
}

/** Re-chains the timeline hashes after its entries changed, so `/timeline/verify` holds for the clone. */
function rechained(entries: TimelineEntry[]): TimelineEntry[] {
  const chain: TimelineEntry[] = [];
  for (const { hash: _old, ...entry } of entries) chain.push(timelineEntry(chain, entry));
  return chain;
}

/** Makes clones of templates: each a new application of the same path, numbered per jurisdiction and day as the service numbers them. */
export function createCloner(catalog: Catalog, itemOf: (code: string) => CatalogItem) {
  // Clone numbers start at 50000 in each jurisdiction-day sequence, above any the service hands out in a bench run.
  const sequences = new Map<string, number>();
  const nextNumber = (jurisdiction: string, day: string) => {
    const key = `${jurisdiction}-${day.replaceAll('-', '')}`;
    const n = (sequences.get(key) ?? 50_000) + 1;
    sequences.set(key, n);
    return `${key}-${n}`;
  };

  return function cloneOf(template: Template, spec: CloneSpec): Clone {
    const t = template.record;
    const item = itemOf(t.itemCode);
    const id = randomUUID();
    const route = routeApplication(catalog, item, spec.division);
    const province = routeApplication(catalog, { ...item, level: 'province' }, spec.division);
    const routing = { ...route, provinceJurisdiction: province.jurisdiction };
    const createdAt = new Date(t.createdAt.getTime() + spec.shiftDays * DAY_MS);
    const applicationNo = nextNumber(routing.jurisdiction, shanghaiDate(createdAt));
    const uscc = usccFor(spec.division, spec.n);
    const name = `烟台压测${spec.n}号化工有限公司`;
    const email = `c${spec.n}@bench.example`;
    const certificateNo = template.certificate
      ? `${template.certificate.number.split('-').slice(0, 2).join('-')}-${addCalendarDays(template.certificate.issuedOn, spec.shiftDays).slice(0, 4)}-S${String(spec.n).padStart(7, '0')}`
      : null;
    const rename = new Map<string, string>([
      [t.id, id],
      [t.applicationNo, applicationNo],
      [t.applicant.uscc, uscc],
      [t.applicant.name, name],
      [t.applicant.contact.email, email],
      ...(template.certificate && certificateNo ? [[template.certificate.number, certificateNo] as [string, string]] : []),
    ]);
    const moved = shifted({ ...t, outbox: [] }, spec.shiftDays, rename) as ApplicationRecord;
    // Clerks take it at the county window; reviewers sit where it is routed.
    const staffAt = (actor: Actor): Actor =>
      actor.kind !== 'staff' ? actor : { ...actor, jurisdiction: actor.role === 'clerk' ? spec.division : actor.role === 'province-reviewer' ? routing.provinceJurisdiction : routing.jurisdiction };
    let timers = moved.timers;
    if (spec.timersDueAt) {
      const dueAt = spec.timersDueAt;
      timers = timers.map((timer) => (timer.status === 'pending' ? { ...timer, dueAt, dueDate: shanghaiDate(dueAt) } : timer));
    }
    const pending = timers.filter((timer) => timer.status === 'pending').map((timer) => timer.dueAt.getTime());
    const queryCode = newQueryCode();
    const record: ApplicationRecord = {
      ...moved,
      id,
      applicationNo,
      queryCodeHash: hashQueryCode(queryCode),
      routing,
      intake: { jurisdiction: spec.division, by: staffAt(moved.intake.by) },
      timers,
      nextTimerAt: pending.length ? new Date(Math.min(...pending)) : null,
      timeline: rechained(moved.timeline.map((entry) => ({ ...entry, actor: staffAt(entry.actor) }))),
    };
    let certificate: CertificateRecord | null = null;
    if (template.certificate && certificateNo) {
      const c = shifted(template.certificate, spec.shiftDays, rename) as CertificateRecord;
      const lapsed = c.status === 'valid' && c.validUntil !== null && c.validUntil < spec.today;
      certificate = {
        ...c,
        number: certificateNo,
        applicationId: id,
        holder: { name, uscc, email },
        jurisdiction: routing.jurisdiction,
        status: lapsed ? 'expired' : c.status,
        history: lapsed ? [...c.history, { at: endOfShanghaiDay(c.validUntil!), action: 'expired', note: '有效期届满未延续 / validity ended without renewal' }] : c.history,
      };
    }
    return { record, queryCode, certificate };
  };
}

export type Cloner = ReturnType<typeof createCloner>;
