// Response shapes of the API document: described for readers, not validated (request shapes come from the routes' joi schemas).
import { applicantSchema } from '../use-cases/submit-application';
import { CHANGEABLE_FIELDS } from '../catalog/types';
import { STAFF_ROLES } from '../auth/tokens';
import { ERROR_STATUS } from '../errors';
import { MATERIAL_TYPES } from '../files/content-type';
import { INSTRUMENTS } from '../documents/instruments';
import { jsonSchemaOf } from './json-schema';
import { STAGES } from '../evaluations/evaluation-rules';

type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const str = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
export const int = (description?: string, extra: Schema = {}): Schema => ({ type: 'integer', ...(description ? { description } : {}), ...extra });
export const bool = (description?: string): Schema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const date = (description?: string): Schema => str(description, { format: 'date', example: '2026-03-12' });
export const arr = (items: Schema, description?: string): Schema => ({ type: 'array', items, ...(description ? { description } : {}) });
export const obj = (properties: Record<string, Schema>, required: string[] = [], description?: string): Schema => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
  ...(description ? { description } : {}),
});
// OpenAPI 3.1 is JSON Schema 2020-12: "may be null" is a second type, not `nullable`.
export const nullable = (schema: Schema): Schema =>
  typeof schema.type === 'string' ? { ...schema, type: [schema.type, 'null'] } : { anyOf: [schema, { type: 'null' }] };

export const json = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
export const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
export const E400 = error('请求参数错误 / Validation failed (VALIDATION_FAILED); details name each field');
export const E401 = error('未登录或令牌失效 / UNAUTHENTICATED');
export const E403 = error('角色或辖区不允许 / FORBIDDEN');
export const E403_CHAIN = error('角色、辖区或承办人不允许 / FORBIDDEN; 同一人不得办理两个环节 / SAME_PERSON: the caller acted on another step of this application\'s review chain');
export const E404 = error('不存在 / NOT_FOUND');
export const E409 = error('版本冲突、当前状态不允许该事件或前置条件不满足 / VERSION_CONFLICT, EVENT_NOT_ALLOWED, PRECONDITION_FAILED');
export const E429 = error('请求过于频繁 / RATE_LIMITED');
export const E413 = error('文件或请求过大 / PAYLOAD_TOO_LARGE: over the per-file or per-application limit; nothing was stored');
export const E415 = error('文件类型不支持 / UNSUPPORTED_MEDIA_TYPE: only PDF, JPEG, PNG or OFD, read from the content');

export const bilingual = obj({ zh: str(), en: str() }, ['zh', 'en']);
export const instant = str('ISO-8601 instant', { format: 'date-time' });
export const PROVISIONAL = bool('True when the date rests on a year whose official holiday schedule is not loaded: counted on weekends and the statutory holidays only (暂按法定节假日计算), recalculated when the schedule is added');

/** Named shapes the responses refer to (`#/components/schemas/<name>`). */
export const RESPONSE_SCHEMAS: Record<string, Schema> = {
  Error: obj(
    { error: obj({ code: str('Stable code', { enum: Object.keys(ERROR_STATUS) }), message: str('中文在前，英文在后 / Chinese first, then English'), details: nullable({ description: 'Field errors or context, e.g. allowedEvents' }) }, ['code', 'message']) },
    ['error'],
  ),
  Label: bilingual,
  Clock: obj(
    {
      limitWorkingDays: int(),
      startedOn: date(),
      dueDate: date('Last working day of the limit (Asia/Shanghai)'),
      provisional: PROVISIONAL,
      remainingWorkingDays: int('Negative when overdue'),
      paused: bool(),
      stopped: bool(),
      light: str('电子监察红黄灯', { enum: ['green', 'yellow', 'red'] }),
    },
    [],
    'A time limit in working days; `{unavailable}` instead only for a year before 2025 with no loaded holiday schedule',
  ),
  Deadline: obj({ name: str(undefined, { enum: ['intake', 'correction', 'supplement', 'verification'] }), dueDate: date(), provisional: PROVISIONAL, status: str(undefined, { enum: ['pending', 'fired', 'cancelled'] }), overdue: bool() }),
  Applicant: jsonSchemaOf(applicantSchema),
  CatalogMaterial: obj({ code: str(), name: str(), nameEn: str(), core: bool('Core (核心) materials cannot be missing under 容缺受理'), original: bool(), waivable: nullable(str('减证便民: how the bureau obtains it instead', { enum: ['data_sharing', 'pledge', 'department_check'] })) }),
  CatalogItem: obj({
    code: str(),
    name: str(),
    nameEn: str(),
    type: str(),
    legalBasis: str(),
    level: str(undefined, { enum: ['province', 'city', 'county'] }),
    department: str(),
    legalLimitDays: int(),
    promisedLimitDays: int(),
    intakeDays: int('Art. 32: working days from receipt to accept, refuse or notify a correction; then the application counts as accepted'),
    validityMonths: nullable(int()),
    renewalWindowMonths: nullable(int()),
    cancelExpiredAfterDays: nullable(int('注销 (Art. 70): days after a certificate expired without renewal until the reminder run cancels it; null: never by itself')),
    changeableFields: arr(str(undefined, { enum: [...CHANGEABLE_FIELDS] }), '变更: the certificate details a change application may touch'),
    changeLimitDays: int('变更: working days to decide a change'),
    renewalWithoutReview: nullable(obj({ promisedLimitDays: int() }, ['promisedLimitDays'], '延续不再审查 (安全生产许可证条例 Art. 9): decided on the holder\'s confirmed declaration within this limit')),
    process: str(),
    allowsDeficientAcceptance: bool(),
    allowsCommitment: bool(),
    jointReview: bool(),
    reviewSteps: int('审批链 / Review chain: 1 (one reviewer decides), 2 (handler 承办 → leader 签发) or 3 (handler → chief 审核 → leader)', { enum: [1, 2, 3] }),
    reviewStepShares: arr(int(), 'Each step\'s share of the promised limit in percent, in the chain\'s order (sums to 100)'),
    preReview: nullable(obj({ targetDays: int('Working days to answer a pre-review (a service target, no legal clock)'), warningDays: int() }, ['targetDays', 'warningDays'], '容缺预审: the item takes pre-reviews (POST /pre-reviews, /online-pre-reviews)')),
    assistanceTime: str('部门协查的时间计入（counted）或不计入（excluded）办理时限 / Whether an open request to another department counts in the limit', { enum: ['counted', 'excluded'] }),
    siteInspection: nullable(obj({
      required: bool('现场核查是否为决定的前提 / Required before the decision'),
      time: str('核查时间计入或不计入办理时限 / Whether the inspection time counts', { enum: ['counted', 'excluded'] }),
      resultDays: int('核查日期后登记结果的工作日数，逾期显示红灯 / Working days after the date for the result'),
      checklist: arr(obj({ code: str(), text: str(), textEn: str() })),
    })),
    materials: arr(ref('CatalogMaterial')),
  }),
  Jurisdiction: obj({ code: str(), name: str(), nameEn: str(), level: str(), parent: nullable(str()) }),
  TimelineEntry: obj({
    seq: int(),
    at: instant,
    date: date(),
    actor: obj({ kind: str(undefined, { enum: ['staff', 'enterprise', 'system'] }), name: str(), role: str() }),
    event: str(),
    label: ref('Label'),
    from: str(),
    to: str(),
    fromStatus: str(),
    toStatus: str(),
    note: str(),
    data: { type: 'object' },
  }),
  Application: obj({
    id: str(undefined, { format: 'uuid' }),
    applicationNo: str(undefined, { example: '370602-20260302-00001' }),
    itemCode: str(),
    itemName: str(),
    processId: str(),
    machineVersion: int(),
    status: str('Status, e.g. submitted, correction_required, under_review, accepted_deficient, approved_pending_supplement, issued_pending_verification, completed'),
    statusLabel: ref('Label'),
    state: str('Statechart state path; parallel regions joined with a comma'),
    version: int('Send back as expectedVersion'),
    allowedEvents: arr(str(), 'Events this caller may send now'),
    mayUpload: bool('This caller may upload files to the materials now'),
    applicant: ref('Applicant'),
    materials: arr(obj({ code: str(), name: str(), nameEn: str(), core: bool(), waivable: nullable(str()), provided: bool() })),
    channel: str(),
    routing: obj({ jurisdiction: str(), jurisdictionName: str(), department: str(), provinceJurisdiction: str() }),
    intake: obj({ jurisdiction: str(), by: obj({ kind: str(), name: str() }) }),
    clock: nullable(ref('Clock')),
    branches: nullable(obj({ city: ref('Branch'), province: ref('Branch') }, [], '省市联审 branches; null for other items')),
    deadlines: arr(ref('Deadline')),
    chain: nullable(ref('ReviewChain')),
    details: { type: 'object', description: 'Notices, pledges, opinions and decisions recorded by events (the review chain\'s `reviewChain` for staff only)' },
    certificateNo: nullable(str()),
    timeline: arr(ref('TimelineEntry')),
    effects: arr(obj({ id: str(), type: str(), status: str(undefined, { enum: ['pending', 'running', 'done', 'retrying', 'given_up'] }), attempts: int(), lastError: nullable(str()) })),
    createdAt: instant,
    updatedAt: instant,
  }),
  StepClock: obj({
    step: str(undefined, { enum: ['handling', 'checking', 'signing'] }), label: ref('Label'), startedOn: date(), dueDate: date('When the step\'s share of the limit ends'),
    limitWorkingDays: int('The step\'s share of the promised limit'), remainingWorkingDays: int('Negative once past the share'), stopped: bool(),
    light: str('green within the share, yellow past it, red past it by more than the item\'s warning days', { enum: ['green', 'yellow', 'red'] }),
  }),
  ReviewChain: obj({
    reviewSteps: int(undefined, { enum: [2, 3] }),
    step: nullable(str('The step in hand; null once decided or while suspended', { enum: ['handling', 'checking', 'signing'] })),
    stepLabel: nullable(ref('Label')),
    steps: arr(obj({ step: str(), label: ref('Label'), share: nullable(int('Percent of the promised limit')), clock: nullable(ref('StepClock')), by: arr(str(), 'Usernames that acted on this step') })),
    assignment: nullable(obj({ handler: str(), handlerName: str(), by: str(), on: date(), reason: str() })),
    proposal: nullable(obj({ decision: str(undefined, { enum: ['approve', 'deny'] }), opinion: str(), by: str(), on: date() })),
    check: nullable(obj({ agree: bool(), note: str(), by: str(), on: date() })),
    returned: nullable(obj({ reason: str(), by: str(), on: date() })),
  }, [], '审批链 承办 → 审核 → 签发 (staff only); null for one-step items'),
  InternalNote: obj({ n: int(), applicationId: str(), text: str(), by: obj({ username: str(), name: str(), role: str() }), at: instant }, [], '内部意见: staff only'),
  Branch: obj({ state: nullable(str()), opinion: nullable(obj({ opinion: str(), note: str(), by: str(), on: date() })), clock: nullable(ref('Clock')) }),
  ApplicationListItem: obj({
    id: str(),
    applicationNo: str(),
    itemCode: str(),
    itemName: str(),
    applicantName: str(),
    uscc: str(),
    status: str(),
    statusLabel: ref('Label'),
    clock: nullable(ref('Clock')),
    deadlines: arr(ref('Deadline')),
    step: nullable(obj({ step: str(), label: ref('Label'), assignee: nullable(str()), clock: nullable(ref('StepClock')) }, [], 'The review chain\'s step waiting, with its own light')),
    routing: { type: 'object' },
    version: int(),
    createdAt: instant,
  }),
  StatusView: obj({
    applicationNo: str(),
    itemName: str(),
    itemNameEn: str(),
    applicantName: str(),
    status: str(),
    statusLabel: ref('Label'),
    submittedOn: date(),
    dueDate: nullable(date('When the decision is due')),
    provisional: PROVISIONAL,
    expected: nullable(obj({ zh: str(undefined, { example: '补正材料：…，截止 2026-03-12' }), en: str(), deadline: nullable(date()), provisional: PROVISIONAL }, [], 'What the applicant must do now')),
    certificateNo: nullable(str()),
    takesMaterials: bool('The applicant may upload files to its materials now (with the token of POST /auth/enterprise-token)'),
    materials: arr(obj({ code: str(), name: str(), nameEn: str(), provided: bool() })),
    timeline: arr(obj({ date: date(), event: str(), zh: str(), en: str(), status: str(), detail: ref('Label') }, [], '`detail` only on DEADLINE_RECALCULATED: the dates before and after')),
  }),
  ProcessGraph: obj({
    id: str(),
    version: int(),
    initial: str(),
    nodes: arr(obj({ id: str('State path'), parent: nullable(str()), type: str(undefined, { enum: ['atomic', 'compound', 'parallel', 'final', 'history'] }), initial: nullable(str()), label: ref('Label') })),
    edges: arr(obj({ from: str(), to: nullable(str('null: stays in the state')), event: str(), guard: nullable(str()), label: ref('Label') })),
  }),
  MaterialFile: obj({
    fileId: str(),
    material: str('Material code'),
    name: str('File name as uploaded (UTF-8)'),
    contentType: str('Read from the content', { enum: Object.keys(MATERIAL_TYPES) }),
    size: int('Bytes'),
    sha256: str('SHA-256 of the bytes, hex'),
    version: int('1 for the material\'s first file, one more for each upload to it again'),
    uploadedAt: instant,
    uploadedBy: obj({ kind: str(undefined, { enum: ['staff', 'enterprise'] }), name: str(), role: str() }),
  }, ['fileId', 'material', 'name', 'contentType', 'size', 'sha256', 'version']),
  StaffAccount: obj({ username: str(), name: str(), role: str(undefined, { enum: [...STAFF_ROLES] }), jurisdiction: str(), department: str('科室 / the section, a department of the catalog (absent: every section)'), active: bool(), createdAt: instant }),
};

const certificateStatus = str('证照状态', { enum: ['valid', 'expired', 'revoked', 'cancelled', 'superseded'] });
const CERTIFICATE_ITEM = {
  number: str(undefined, { example: 'LU-WHSY-2026-000001' }),
  status: certificateStatus,
  statusLabel: bilingual,
  itemCode: str(),
  itemName: str(),
  holder: obj({ name: str(), uscc: str(), email: str(), principal: str('主要负责人, once a change named it'), address: str('注册地址, once a change named it') }, ['name', 'uscc']),
  jurisdiction: str(),
  issuedOn: date(),
  validFrom: date('First day of validity (a renewal continues the old certificate)'),
  validUntil: nullable(date('Last day of validity (Asia/Shanghai)')),
  renewalInProgress: nullable(obj({ applicationId: str(), applicationNo: str(), status: str() }, [], '延续申请办理中 / A renewal application still being processed')),
};
Object.assign(RESPONSE_SCHEMAS, {
  Rectification: obj({
    id: str('`<applicationId>:<stage>`, the rating\'s id'),
    applicationId: str(),
    applicationNo: str(),
    applicantName: str(),
    itemCode: str(),
    itemName: str(),
    stage: str(undefined, { enum: [...STAGES] }),
    level: int('The rating behind it: 2 不满意 or 1 非常不满意'),
    levelLabel: bilingual,
    reasons: arr(obj({ code: str(), zh: str(), en: str() })),
    comment: str(),
    jurisdiction: str('The responsible office\'s jurisdiction (the application\'s routing)'),
    office: str(),
    status: str('open: awaiting the reply; replied: awaiting the call back; closed', { enum: ['open', 'replied', 'closed'] }),
    openedOn: date(),
    workingDays: int('RECTIFICATION_DAYS when it opened'),
    dueDate: date('Last working day (Asia/Shanghai)'),
    remainingWorkingDays: int('Negative when overdue; counted to the day it closed once closed'),
    light: str('电子监察红黄灯: yellow within RECTIFICATION_WARNING_DAYS, red when overdue', { enum: ['green', 'yellow', 'red'] }),
    onTime: nullable(bool('Closed by its due date; null while open')),
    reply: nullable(obj({ text: str(), by: str(), on: date() })),
    followUp: nullable(obj({ reached: bool(), satisfied: nullable(bool()), note: str(), by: str(), on: date() })),
    closedOn: nullable(date()),
  }, [], '整改: the task a low rating opens'),
  Evaluation: obj({
    id: str('`<applicationId>:<stage>`'),
    stage: str(undefined, { enum: [...STAGES] }),
    stageLabel: bilingual,
    level: int('5 非常满意 … 1 非常不满意', { minimum: 1, maximum: 5 }),
    levelLabel: bilingual,
    comment: str(),
    reasons: arr(obj({ code: str(), zh: str(), en: str() })),
    channel: str('online: the applicant on the status page; window: recorded by a clerk', { enum: ['online', 'window'] }),
    on: date(),
    at: instant,
    rectification: nullable(ref('Rectification')),
  }, [], '好差评: one rating of one stage'),
  Evaluations: obj({
    applicationNo: str(),
    stages: arr(obj({
      stage: str(undefined, { enum: [...STAGES] }),
      stageLabel: bilingual,
      state: str('open: invited, not yet rated; rated; not_rated: the rating period ended without one (never counted as a rating); not_reached', { enum: ['open', 'rated', 'not_rated', 'not_reached'] }),
      invitedOn: nullable(date('The day the stage was reached and the invitation sent')),
      expiresOn: nullable(date('The last day to rate (EVALUATION_WINDOW_DAYS after the invitation)')),
      evaluation: nullable(ref('Evaluation')),
    })),
    levels: arr(obj({ level: int(), zh: str(), en: str() })),
    reasons: arr(obj({ code: str(), zh: str(), en: str() }), 'Reasons to choose from for levels 1 and 2'),
  }),
  Document: obj({
    id: str('Document id'),
    kind: str('Instrument kind', { enum: Object.keys(INSTRUMENTS) }),
    title: bilingual,
    number: str('文号, e.g. 烟应急许受〔2026〕12号; the certificate number for a certificate'),
    issuedAt: instant,
    sha256: str('SHA-256 of the PDF, as recorded in the timeline'),
    url: str('Where to download it'),
  }, ['id', 'kind', 'number', 'issuedAt', 'sha256']),
  CertificateListItem: obj(CERTIFICATE_ITEM, ['number', 'status', 'validUntil', 'itemCode', 'holder']),
  Certificate: obj({
    ...CERTIFICATE_ITEM,
    department: str(),
    jurisdictionName: str(),
    applicationId: str(),
    renewalOf: nullable(str('The certificate this one renews')),
    supersededBy: nullable(str('The certificate that renewed or changed this one')),
    changeOf: nullable(str('变更: the certificate this one replaces (same validity, changed details)')),
    supersededFor: nullable(str('Why it was superseded', { enum: ['renewal', 'change'] })),
    cancellation: nullable(obj({
      reason: str('注销事由 (Art. 70)', { enum: ['on_request', 'expired', 'dissolved', 'revoked', 'force_majeure'] }),
      reasonLabel: bilingual,
      note: str(),
      at: instant,
      by: str('Staff username, or system for the reminder run'),
    }, ['reason', 'at'], '注销 / How and when it was cancelled')),
    renewalWindow: nullable(obj({ opensOn: date(), closesOn: date() })),
    history: arr(obj({ at: instant, action: str(), note: str() })),
    licence: nullable(obj({
      id: str('证照标识: 1.2.156.3005.2.<type code>.<issuer USCC>.<serial>.<version>.<ISO 7064 MOD 37,36 check>'),
      name: str('证照名称'),
      number: str('证照编号'),
      typeCode: str('证照类型代码'),
      version: str('版本号, 3 digits; a change (变更) counts up and keeps the serial'),
      previousId: nullable(str('The identifier of the licence this one changes or renews')),
      holder: obj({ name: str('持证主体'), code: str('持证主体代码'), codeType: str('代码类型') }),
      issuer: obj({ name: str('颁发机构'), code: str('颁发机构代码 (USCC)') }),
      issuedOn: date('颁发日期'),
      validFrom: date('有效期起'),
      validUntil: nullable(date('有效期止')),
      status: bilingual,
    }, ['id'], '电子证照 (GB/T 36901–36905); null for a certificate issued without an issuer code')),
    pdf: nullable(obj({ documentId: str(), sha256: str(), url: str() }, [], 'The PDF issued, a moment after the certificate')),
  }),
  Reminder: obj({
    key: str('Ledger key <certificate>:<validUntil>:<leadDays>, or <certificate>:cancellation for the cancellation notice; with :sms after it, the SMS of that notice'),
    kind: str('An expiry reminder, or the notice of a cancellation (注销通知)', { enum: ['expiry', 'cancellation'] }),
    channel: str('How it goes: a mail to the holder\'s e-mail, or an SMS to its mobile (`to`)', { enum: ['mail', 'sms'] }),
    certificateNumber: str(),
    validUntil: nullable(date()),
    leadDays: nullable(int()),
    daysLeft: nullable(int()),
    to: str(),
    subject: str(),
    state: str('pending → sent, or failed (retried with backoff) → given_up; dropped: not sent, the certificate was cancelled', { enum: ['pending', 'sent', 'failed', 'given_up', 'dropped'] }),
    attempts: int(),
    queuedAt: instant,
    sentAt: nullable(instant),
    nextAttemptAt: nullable(instant),
    lastError: nullable(str()),
    messageId: str('Fixed per ledger key'),
    smtpMessageId: nullable(str()),
  }),
});

export const pageOf = (item: string, extra: Record<string, Schema> = {}) => json(obj({ ...extra, items: arr(ref(item)), total: int(), offset: int(), limit: int() }));
