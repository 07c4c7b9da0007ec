import { shanghaiDate } from '../calendar/shanghai-time';
import type { CatalogItem } from '../catalog/types';
import type { CertificateRecord } from '../certificates/certificate-store';
import type { ApplicationRecord } from '../engine/application-record';
import type { Label } from '../i18n/labels';

/** The written instruments (行政许可文书) the engine issues, and the certificate (电子证照). */
export type InstrumentKind =
  | 'acceptance' | 'notAccepted' | 'correction' | 'deficientAcceptance' | 'commitment'
  | 'extension' | 'suspension' | 'approval' | 'denial' | 'certificate';

/** What a body builder reads: the application as the issuing event left it, and the office that signs. */
export interface InstrumentContext {
  app: ApplicationRecord;
  item: CatalogItem;
  /** The office that issues it, e.g. 烟台市应急管理部门（行政许可处）. */
  office: Label;
  /** 行政复议机关: the people's government at the office's level (行政复议法 2023, Art. 24). */
  reviewBody: string;
  /** The event that issued it and its Asia/Shanghai date. */
  event: string;
  issuedOn: string;
  pledgeText: (version: string) => string | undefined;
  /** The certificate, for the certificate itself. */
  certificate?: CertificateRecord;
}

/** What an instrument says, laid out by the renderer: paragraphs, an itemised list, a table of fields, a QR code. */
export interface InstrumentBody {
  paragraphs: string[];
  list?: { heading: string; items: string[] };
  fields?: [string, string][];
}

/** When an instrument is issued: on one of these events, or when the application enters one of these statuses from another. */
export interface IssuedOn {
  events?: string[];
  enters?: string[];
}

/** One instrument kind, defined once: its title, what issues it, the 字 of its 文号, whether it states the remedies, and its body. */
export interface InstrumentDefinition {
  kind: InstrumentKind;
  title: Label;
  issuedOn: IssuedOn;
  /** The kind character(s) in the 文号 (烟应急许受〔2026〕12号 → 受); null: the certificate keeps its certificate number. */
  numberKind: string | null;
  /** Refusals and denials tell the applicant how to challenge them. */
  remedies: boolean;
  body: (ctx: InstrumentContext) => InstrumentBody;
}

/** Dates people read on an instrument: 2026-03-02 → 2026年3月2日. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const materialName = (item: CatalogItem, code: string) => item.materials.find((m) => m.code === code)?.name ?? code;
const receivedOn = (app: ApplicationRecord) => chineseDate(shanghaiDate(new Date(app.createdAt)));
const applied = ({ app, item }: InstrumentContext) => `你单位于${receivedOn(app)}提出的“${item.name}”申请（申请编号 ${app.applicationNo}）`;
const timerDue = (app: ApplicationRecord, name: string) => {
  const due = [...app.timers].reverse().find((t) => t.name === name && t.status === 'pending')?.dueDate;
  return due ? chineseDate(due) : '—';
};
/** The reason a joint review's rejecting branch gave, else the decision's note. */
const denialReason = (app: ApplicationRecord) =>
  Object.values(app.details.opinions ?? {}).find((o) => o.opinion === 'reject')?.note || app.details.decision?.note || '不符合法定条件、标准';

/** Every instrument kind; the engine, the effect that issues them, the API and the pages all read this table. */
export const INSTRUMENTS: Record<InstrumentKind, InstrumentDefinition> = {
  acceptance: {
    kind: 'acceptance',
    title: { zh: '受理通知书', en: 'Notice of acceptance' },
    issuedOn: { events: ['ACCEPT', 'DEEMED_ACCEPTED'] },
    numberKind: '受',
    remedies: false,
    body: (ctx) => ({
      paragraphs: [
        ctx.event === 'DEEMED_ACCEPTED'
          ? `${applied(ctx)}，本机关未在法定期限内作出受理决定，依据《中华人民共和国行政许可法》第三十二条的规定，自收到申请材料之日起即为受理。`
          : `${applied(ctx)}，经审查，申请事项属于本机关职权范围，申请材料齐全、符合法定形式。依据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。`,
        `本机关将自受理之日起${ctx.item.promisedLimitDays}个工作日内（承诺时限）作出行政许可决定；依法需要听证、检验、检测、鉴定和专家评审的，所需时间不计算在上述期限内。`,
      ],
    }),
  },
  notAccepted: {
    kind: 'notAccepted',
    title: { zh: '不予受理决定书', en: 'Decision not to accept' },
    issuedOn: { enters: ['not_accepted'] },
    numberKind: '不受',
    remedies: true,
    body: (ctx) => ({
      paragraphs: [
        `${applied(ctx)}，经审查，因以下理由，依据《中华人民共和国行政许可法》第三十二条的规定，决定不予受理：`,
        ctx.event === 'CORRECTION_DEADLINE_PASSED'
          ? `你单位未在补正期限内补正全部材料（补正材料通知书所列事项）。`
          : `${ctx.app.details.refusalReason ?? ''}`,
      ],
    }),
  },
  correction: {
    kind: 'correction',
    title: { zh: '补正材料通知书', en: 'Notice to supply or correct materials' },
    issuedOn: { events: ['REQUEST_CORRECTION'] },
    numberKind: '补',
    remedies: false,
    body: (ctx) => ({
      paragraphs: [
        `${applied(ctx)}，经审查，申请材料不齐全或者不符合法定形式。依据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知你单位需要补正的全部内容（第${ctx.app.details.correction?.round ?? 1}次告知）：`,
      ],
      list: {
        heading: '需补正的材料及要求',
        items: (ctx.app.details.correction?.items ?? []).map((i) => (i.material ? `${materialName(ctx.item, i.material)}（${i.material}）：${i.description}` : i.description)),
      },
      fields: [['补正期限 / Deadline', `${timerDue(ctx.app, 'correction')}前`]],
    }),
  },
  deficientAcceptance: {
    kind: 'deficientAcceptance',
    title: { zh: '容缺受理通知书', en: 'Notice of acceptance with materials owed' },
    issuedOn: { events: ['ACCEPT_WITH_DEFICIENCY'] },
    numberKind: '容',
    remedies: false,
    body: (ctx) => {
      const deficiency = ctx.app.details.deficiency;
      return {
        paragraphs: [
          `${applied(ctx)}，核心材料齐全，次要材料有欠缺。根据你单位的容缺受理承诺（承诺人 ${deficiency?.promise.signedBy ?? ''}，签署于 ${deficiency?.promise.signedAt ?? ''}），决定予以容缺受理，审查同步进行；材料补齐后方可领取许可证件。`,
          `请在补交期限内向受理窗口补交下列材料（原件或复印件按清单要求）。逾期未补交或补交材料不符合要求的，终止办理，由你单位承担相应后果，并记入信用记录。`,
        ],
        list: { heading: '容缺材料', items: (deficiency?.missing ?? []).map((code) => `${materialName(ctx.item, code)}（${code}）`) },
        fields: [['补交期限 / Deadline', `${timerDue(ctx.app, 'supplement')}前`]],
      };
    },
  },
  commitment: {
    kind: 'commitment',
    title: { zh: '告知承诺书', en: 'Notice of conditions and signed pledge' },
    issuedOn: { events: ['ACCEPT_ON_COMMITMENT'] },
    numberKind: '承',
    remedies: false,
    body: (ctx) => {
      const pledge = ctx.app.details.pledge;
      const conditions = ctx.item.conditions?.length ? ctx.item.conditions : ctx.item.materials.map((m) => `具备${m.name}所证明的条件`);
      return {
        paragraphs: [
          `一、行政机关告知。你单位申请的“${ctx.item.name}”适用告知承诺制。依据${ctx.item.legalBasis}，申请人应当符合下列许可条件：`,
        ],
        list: { heading: '许可条件', items: conditions },
        fields: [
          ['二、申请人承诺 / Pledge', ctx.pledgeText(pledge?.textVersion ?? '') ?? ''],
          ['承诺书版本 / Text version', `${pledge?.textVersion ?? ''}（SHA-256 ${pledge?.textHash?.slice(0, 16) ?? ''}…）`],
          ['承诺人签字 / Signed by', pledge?.signedBy ?? ''],
          ['签署时间 / Signed at', pledge?.signedAt ?? ''],
          ['核查 / Verification', `本机关将在${ctx.item.verificationDays}个工作日内对承诺内容进行核查；承诺不实的，依法撤销行政许可并记入信用记录。`],
        ],
      };
    },
  },
  extension: {
    kind: 'extension',
    title: { zh: '延期通知书', en: 'Notice of extension' },
    issuedOn: { events: ['EXTEND'] },
    numberKind: '延',
    remedies: false,
    body: (ctx) => ({
      paragraphs: [
        `${applied(ctx)}，因${ctx.app.details.extension?.reason ?? ''}，不能在规定期限内作出决定。经本机关负责人批准，依据《中华人民共和国行政许可法》第四十二条的规定，办理期限延长${ctx.app.details.extension?.workingDays ?? ctx.item.extensionDays}个工作日。`,
      ],
    }),
  },
  suspension: {
    kind: 'suspension',
    title: { zh: '中止审查（特别程序）告知书', en: 'Notice of suspension (special procedure)' },
    issuedOn: { events: ['SUSPEND'] },
    numberKind: '中',
    remedies: false,
    body: (ctx) => {
      const suspension = ctx.app.details.suspension;
      return {
        paragraphs: [
          `${applied(ctx)}，因${suspension?.reason ?? ''}，需要履行特别程序，自${suspension?.since ? chineseDate(suspension.since) : ''}起中止审查。`,
          `依据《中华人民共和国行政许可法》第四十五条的规定，特别程序所需时间不计算在行政许可期限内，预计需要${suspension?.expectedWorkingDays ?? ''}个工作日。特别程序结束后恢复审查，本机关将另行告知。`,
        ],
      };
    },
  },
  approval: {
    kind: 'approval',
    title: { zh: '准予行政许可决定书', en: 'Decision to grant the licence' },
    // Entering a granted status (from a review, a confirmed declaration, a joint review or a pledge); the supplement that completes a 容缺 approval is not a second decision.
    issuedOn: { enters: ['approved', 'approved_pending_supplement', 'issued_pending_verification'] },
    numberKind: '准',
    remedies: false,
    body: (ctx) => ({
      paragraphs: [
        ctx.event === 'ACCEPT_ON_COMMITMENT'
          ? `${applied(ctx)}，你单位已书面承诺符合许可条件。依据${ctx.item.legalBasis}及告知承诺制的规定，决定准予行政许可，并将依法进行核查。`
          : `${applied(ctx)}，经审查，符合法定条件、标准。依据${ctx.item.legalBasis}和《中华人民共和国行政许可法》第三十八条的规定，决定准予行政许可。`,
        ctx.app.status === 'approved_pending_supplement'
          ? '你单位容缺的材料补齐后，本机关自补齐之日起十日内颁发许可证件。'
          : '本机关将自作出决定之日起十日内向你单位颁发、送达许可证件（《中华人民共和国行政许可法》第四十四条）。',
      ],
    }),
  },
  denial: {
    kind: 'denial',
    title: { zh: '不予行政许可决定书', en: 'Decision to refuse the licence' },
    issuedOn: { enters: ['denied'] },
    numberKind: '不准',
    remedies: true,
    body: (ctx) => ({
      paragraphs: [
        `${applied(ctx)}，经审查，因以下理由，依据《中华人民共和国行政许可法》第三十八条第二款的规定，决定不予行政许可：`,
        denialReason(ctx.app),
      ],
    }),
  },
  certificate: {
    kind: 'certificate',
    title: { zh: '电子证照', en: 'Electronic licence' },
    issuedOn: { events: ['CERTIFICATE_ISSUED'] },
    numberKind: null,
    remedies: false,
    body: ({ certificate: cert }) => ({
      paragraphs: [cert?.itemName ?? ''],
      fields: cert ? [
        ['证照编号 / Number', cert.number],
        ['证照标识 / Identifier', cert.licence?.id ?? '—'],
        ['持证主体 / Holder', cert.holder.name],
        ['统一社会信用代码 / Holder code', cert.holder.uscc],
        ...(cert.holder.principal ? [['主要负责人 / Principal', cert.holder.principal] as [string, string]] : []),
        ...(cert.holder.address ? [['注册地址 / Address', cert.holder.address] as [string, string]] : []),
        ['颁发机构 / Issuer', cert.licence?.issuer.name ?? cert.department],
        ['颁发机构代码 / Issuer code', cert.licence?.issuer.code ?? '—'],
        ['颁发日期 / Issued on', chineseDate(cert.issuedOn)],
        ['有效期 / Valid', `${chineseDate(cert.validFrom ?? cert.issuedOn)} 至 ${cert.validUntil ? chineseDate(cert.validUntil) : '长期'}`],
        ...(cert.licence?.previousId ? [['原证照标识 / Previous identifier', cert.licence.previousId] as [string, string]] : []),
      ] : [],
    }),
  },
};

/** The remedies clause of a refusal or denial (行政复议法: 60 days; 行政诉讼法 Art. 46: 6 months). */
export function remediesClause(reviewBody: string): string {
  return `如不服本决定，可以自收到本决定书之日起六十日内向${reviewBody}申请行政复议，或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。`;
}
export const REMEDIES_EN = 'You may apply for administrative reconsideration within 60 days of receiving this decision, or bring an administrative lawsuit within 6 months.';

/** The instruments a transition issues, in the table's order. */
export function instrumentsIssuedBy(transition: { event: string; fromStatus: string; toStatus: string }): InstrumentKind[] {
  return Object.values(INSTRUMENTS)
    .filter(({ issuedOn: on }) => on.events?.includes(transition.event) || (on.enters?.includes(transition.toStatus) && !on.enters.includes(transition.fromStatus)))
    .map((d) => d.kind);
}

export const isInstrumentKind = (kind: string): kind is InstrumentKind => Object.hasOwn(INSTRUMENTS, kind);
