import Joi from 'joi';
import type { Label } from '../i18n/labels';
import type { EventDefinition } from './event-definition';
import { badRequest, materialLabel, materialName, refuse } from './event-definition';
import { field, materialCode, signedNow, text, isoInstant } from './fields';
import { AT_WINDOW } from './senders';

const codes = () => Joi.array().min(1).max(50).unique().items(materialCode.required());
const labelsOf = (item: Parameters<typeof materialLabel>[0], list: string[]) => Object.fromEntries(list.map((code) => [code, materialLabel(item, code)]));

/** 容缺受理: accepted with secondary materials missing on the applicant's promise; the certificate waits for them. */
export const deficiencyEvents: EventDefinition[] = [
  {
    type: 'ACCEPT_WITH_DEFICIENCY',
    label: { zh: '容缺受理', en: 'Accepted with missing secondary materials' },
    sentBy: AT_WINDOW,
    payload: Joi.object({
      missing: field(codes().required(), { zh: '容缺材料', en: 'Materials owed' }),
      promise: Joi.object({
        signedBy: field(text(100).required(), { zh: '承诺书签署人', en: 'Promise signed by' }),
        signedAt: field(isoInstant.required(), { zh: '签署时间', en: 'Signed at' }, signedNow),
      }).required(),
    }),
    itemRefusal: (item) => (item.allowsDeficientAcceptance ? null : `事项“${item.name}”不适用容缺受理 / Item ${item.code} does not allow deficient acceptance`),
    check: async ({ app, item, creditKinds }, event) => {
      const name = (code: string) => materialName(item, code).zh;
      const credit = await creditKinds(app.applicant.uscc);
      if (credit.length) refuse(`申请人有失信记录（${credit.join(', ')}），不适用容缺受理 / The applicant has a credit record (${credit.join(', ')}) and cannot be accepted with missing materials`);
      const missing = event.missing as string[];
      const unknown = missing.filter((code) => !item.materials.some((m) => m.code === code));
      if (unknown.length) throw badRequest('missing', `未知材料 / Unknown material code(s): ${unknown.join(', ')}`);
      const core = missing.filter((code) => item.materials.find((m) => m.code === code)?.core);
      if (core.length) throw badRequest('missing', `核心材料不能容缺 / Core materials cannot be missing: ${core.map(name).join('、')} (${core.join(', ')})`);
      const provided = missing.filter((code) => app.materials.some((m) => m.code === code && m.provided));
      if (provided.length) throw badRequest('missing', `材料已提交，无需容缺 / Already provided: ${provided.join(', ')}`);
      // What is really absent counts, not only what the clerk listed; waivable materials come by data sharing or pledge.
      const absent = app.materials.filter((m) => !m.provided && !item.materials.find((x) => x.code === m.code)?.waivable).map((m) => m.code);
      const coreAbsent = absent.filter((code) => item.materials.find((m) => m.code === code)?.core);
      if (coreAbsent.length) {
        refuse(`核心材料不齐全，不适用容缺受理，请一次性告知补正：${coreAbsent.map(name).join('、')} / Core materials are missing (${coreAbsent.join(', ')}); deficient acceptance needs every core material, send a correction notice instead`);
      }
      const unlisted = absent.filter((code) => !missing.includes(code));
      if (unlisted.length) throw badRequest('missing', `以下材料也未提交，须一并列明：${unlisted.map(name).join('、')} / Also missing, list them too: ${unlisted.join(', ')}`);
    },
    records: (_ctx, event) => {
      const missing = event.missing as string[];
      return { deficiency: { missing, outstanding: missing, promise: event.promise as { signedBy: string; signedAt: string } } };
    },
    action: {
      label: { zh: '容缺受理', en: 'Accept with deficiency' },
      order: 20,
      hint: { zh: '核心材料须齐全；勾选容缺的次要材料，申请人签署容缺受理承诺书。', en: 'Core materials must be complete; tick the secondary materials owed; the applicant signs the promise.' },
      warning: (app, item): Label | null => {
        const core = (code: string) => item.materials.find((m) => m.code === code)?.core ?? false;
        const coreMissing = app.materials.filter((m) => !m.provided && core(m.code)).map((m) => materialLabel(item, m.code));
        if (coreMissing.length) return { zh: `核心材料未齐，不能容缺受理：${coreMissing.map((l) => l.zh).join('、')}`, en: `Core materials missing, deficient acceptance is not possible: ${coreMissing.map((l) => l.en).join('、')}` };
        return app.materials.some((m) => !m.provided && !core(m.code)) ? null : { zh: '没有未提交的次要材料', en: 'No secondary material is missing' };
      },
      choices: ({ app, item }) => {
        const owed = app.materials.filter((m) => !m.provided && !item.materials.find((s) => s.code === m.code)?.core).map((m) => m.code);
        return { missing: { enum: owed, labels: labelsOf(item, owed), default: owed }, 'promise.signedBy': { default: app.applicant.contact?.name ?? '' } };
      },
    },
  },
  {
    type: 'SUPPLEMENT',
    label: { zh: '补齐容缺材料', en: 'Missing materials supplied' },
    sentBy: AT_WINDOW,
    payload: Joi.object({ materials: field(codes().required(), { zh: '本次补交的材料', en: 'Materials supplied now' }) }),
    // The machine's guards read whether the supplied list is empty or not, never which codes it holds.
    probes: [{ materials: [] }],
    check: ({ app }, event) => {
      const outstanding = app.details.deficiency?.outstanding ?? [];
      const extra = (event.materials as string[]).filter((code) => !outstanding.includes(code));
      if (extra.length) throw badRequest('materials', `这些材料不在容缺清单中 / Not among the missing materials (${outstanding.join(', ') || 'none'}): ${extra.join(', ')}`);
    },
    records: ({ app }, event) => {
      const deficiency = app.details.deficiency!;
      return { deficiency: { ...deficiency, outstanding: deficiency.outstanding.filter((c) => !(event.materials as string[]).includes(c)) } };
    },
    // Supplied materials count as provided from now on.
    materials: ({ app }, event) => app.materials.map((m) => ((event.materials as string[]).includes(m.code) ? { ...m, provided: true } : m)),
    action: {
      label: { zh: '补交容缺材料', en: 'Record supplement' },
      order: 60,
      choices: ({ app, item }) => {
        const outstanding = app.details.deficiency?.outstanding ?? [];
        const owed = app.materials.filter((m) => outstanding.includes(m.code)).map((m) => m.code);
        return { materials: { enum: owed, labels: labelsOf(item, owed), default: owed } };
      },
    },
  },
];
