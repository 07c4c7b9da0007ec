// Hand-written OpenAPI 3 description of the HTTP API; test/openapi.test.ts fails when a served route is missing here.
import { LIST_ORDERS } from '../use-cases/read-applications';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const int = (description?: string, extra: Schema = {}): Schema => ({ type: 'integer', ...(description ? { description } : {}), ...extra });
const bool = (description?: string): Schema => ({ type: 'boolean', ...(description ? { description } : {}) });
const date = (description?: string): Schema => str(description, { format: 'date', example: '2026-03-12' });
const arr = (items: Schema, description?: string): Schema => ({ type: 'array', items, ...(description ? { description } : {}) });
const obj = (properties: Record<string, Schema>, required: string[] = [], description?: string): Schema => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
  ...(description ? { description } : {}),
});
const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });

const json = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const query = (name: string, schema: Schema, required = false, description?: string) => ({ name, in: 'query', required, schema, ...(description ? { description } : {}) });
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: str(), description });

const STAFF = [{ bearerAuth: [] }];
const STAFF_OR_ENTERPRISE = [{ bearerAuth: [] }];
const E400 = error('请求参数错误 / Validation failed (VALIDATION_FAILED); details name each field');
const E401 = error('未登录或令牌失效 / UNAUTHENTICATED');
const E403 = error('角色或辖区不允许 / FORBIDDEN');
const E404 = error('不存在 / NOT_FOUND');
const E409 = error('版本冲突、当前状态不允许该事件或前置条件不满足 / VERSION_CONFLICT, EVENT_NOT_ALLOWED, PRECONDITION_FAILED');
const E429 = error('请求过于频繁 / RATE_LIMITED');

const bilingual = obj({ zh: str(), en: str() }, ['zh', 'en']);
const materialCode = str('Material code from the catalog item', { pattern: '^[A-Za-z0-9_-]{1,32}$', example: 'M06' });
const level = str('省市联审 branch', { enum: ['city', 'province'] });
const instant = str('ISO-8601 instant', { format: 'date-time' });
const PROVISIONAL = bool('True when the date rests on a year whose official holiday schedule is not loaded: counted on weekends and the statutory holidays only (暂按法定节假日计算), recalculated when the schedule is added');

/** The event bodies accepted by POST /applications/{id}/events, one per type. */
const EVENT_BODIES: Record<string, { summary: string; properties: Record<string, Schema>; required?: string[] }> = {
  ACCEPT: { summary: '受理 / accept (clerk)', properties: {} },
  REQUEST_CORRECTION: {
    summary: '一次性告知补正 / one-time correction notice (clerk); pauses or restarts the clock per item',
    properties: { items: arr(obj({ material: materialCode, description: str('What to correct', { maxLength: 500 }) }, ['description']), '1–50 items') },
    required: ['items'],
  },
  SUBMIT_CORRECTION: { summary: '提交补正 / correction submitted (clerk or the enterprise)', properties: { note: str() } },
  REJECT: { summary: '不予受理 / refuse with the reason (clerk)', properties: { reason: str() }, required: ['reason'] },
  APPROVE: { summary: '准予许可 / approve (reviewer)', properties: { note: str() } },
  DENY: { summary: '不予许可 / deny (reviewer)', properties: { reason: str() }, required: ['reason'] },
  WITHDRAW: { summary: '撤回 / withdraw (clerk or the enterprise)', properties: { reason: str() }, required: ['reason'] },
  ACCEPT_WITH_DEFICIENCY: {
    summary: '容缺受理 / accept with missing secondary materials (clerk); starts the supplement deadline',
    properties: {
      missing: arr(materialCode, 'Secondary materials still owed'),
      promise: obj({ signedBy: str('Who signed the 承诺书'), signedAt: instant }, ['signedBy', 'signedAt']),
    },
    required: ['missing', 'promise'],
  },
  SUPPLEMENT: { summary: '补交容缺材料 / missing materials supplied (clerk)', properties: { materials: arr(materialCode) }, required: ['materials'] },
  ACCEPT_ON_COMMITMENT: {
    summary: '告知承诺 / approve on the applicant\'s pledge (clerk); verification follows',
    properties: { pledge: obj({ textVersion: str('See GET /catalog/pledges', { example: '2026-01' }), signedBy: str(), signedAt: instant }, ['textVersion', 'signedBy', 'signedAt']) },
    required: ['pledge'],
  },
  VERIFY_PASSED: { summary: '核查通过 / verification passed (reviewer)', properties: { method: str(undefined, { enum: ['written', 'online', 'site_visit', 'public_notice'] }), note: str() }, required: ['method'] },
  VERIFY_FAILED: { summary: '核查不实 / verification failed: licence revoked, credit record (reviewer)', properties: { findings: str() }, required: ['findings'] },
  SUSPEND: { summary: '中止（特别程序）/ suspend the clock (reviewer)', properties: { reason: str(), expectedWorkingDays: int(undefined, { minimum: 1, maximum: 365 }) }, required: ['reason', 'expectedWorkingDays'] },
  RESUME: { summary: '恢复计时 / resume (reviewer)', properties: { note: str() } },
  EXTEND: { summary: '延长期限 / extend once by the item\'s extension days (reviewer)', properties: { reason: str() }, required: ['reason'] },
  REVIEW_OPINION: {
    summary: '联审意见 / joint-review opinion: city by reviewer, province by province-reviewer',
    properties: { level, opinion: str(undefined, { enum: ['approve', 'reject', 'return'] }), note: str() },
    required: ['level', 'opinion', 'note'],
  },
  SUBMIT_REWORK: { summary: '退回后重新提交 / resubmit a returned branch (clerk)', properties: { level, note: str() }, required: ['level'] },
};

const eventSchemas = Object.fromEntries(
  Object.entries(EVENT_BODIES).map(([type, e]) => [
    `Event_${type}`,
    obj(
      { type: str(undefined, { enum: [type] }), expectedVersion: int('Refuse with VERSION_CONFLICT unless the application is at this version', { minimum: 1 }), ...e.properties },
      ['type', ...(e.required ?? [])],
      e.summary,
    ),
  ]),
);

const schemas: Record<string, Schema> = {
  Error: obj(
    { error: obj({ code: str('Stable code', { enum: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'EVENT_NOT_ALLOWED', 'PRECONDITION_FAILED', 'DUPLICATE', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED', 'CALENDAR_YEAR_MISSING', 'INTERNAL', 'STORE_UNAVAILABLE'] }), message: str('中文在前，英文在后 / Chinese first, then English'), details: nullable({ description: 'Field errors or context, e.g. allowedEvents' }) }, ['code', 'message']) },
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
  Applicant: obj(
    {
      name: str(undefined, { maxLength: 200 }),
      uscc: str('统一社会信用代码, GB 32100-2015, checked including the check character', { example: '91440300192317458F' }),
      divisionCode: str('Administrative division of the applicant', { pattern: '^\\d{6}$', example: '370602' }),
      contact: obj({ name: str(), phone: str(undefined, { pattern: '^[0-9+\\- ]{5,20}$' }), email: str(undefined, { format: 'email' }) }, ['name', 'phone', 'email']),
    },
    ['name', 'uscc', 'divisionCode', 'contact'],
  ),
  ApplicationInput: obj(
    {
      itemCode: str(undefined, { example: '370000-AQ-XK-003' }),
      applicant: ref('Applicant'),
      materials: arr(obj({ code: materialCode, provided: bool() }, ['code', 'provided'])),
      channel: str('Online submissions are always `online`', { enum: ['window', 'online'] }),
      renewalOf: str('延续: number of the certificate this application renews (same holder and item, inside the renewal window)', { example: 'LU-YHLS-2025-000001' }),
    },
    ['itemCode', 'applicant', 'materials'],
  ),
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
    process: str(),
    allowsDeficientAcceptance: bool(),
    allowsCommitment: bool(),
    jointReview: bool(),
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
    applicant: ref('Applicant'),
    materials: arr(obj({ code: str(), name: str(), nameEn: str(), core: bool(), waivable: nullable(str()), provided: bool() })),
    channel: str(),
    routing: obj({ jurisdiction: str(), jurisdictionName: str(), department: str(), provinceJurisdiction: str() }),
    intake: obj({ jurisdiction: str(), by: obj({ kind: str(), name: str() }) }),
    clock: nullable(ref('Clock')),
    branches: nullable(obj({ city: ref('Branch'), province: ref('Branch') }, [], '省市联审 branches; null for other items')),
    deadlines: arr(ref('Deadline')),
    details: { type: 'object', description: 'Notices, pledges, opinions and decisions recorded by events' },
    certificateNo: nullable(str()),
    timeline: arr(ref('TimelineEntry')),
    effects: arr(obj({ id: str(), type: str(), status: str(undefined, { enum: ['pending', 'running', 'done', 'retrying', 'given_up'] }), attempts: int(), lastError: nullable(str()) })),
    createdAt: instant,
    updatedAt: instant,
  }),
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
    timeline: arr(obj({ date: date(), event: str(), zh: str(), en: str(), status: str(), detail: ref('Label') }, [], '`detail` only on DEADLINE_RECALCULATED: the dates before and after')),
  }),
  ProcessGraph: obj({
    id: str(),
    version: int(),
    initial: str(),
    nodes: arr(obj({ id: str('State path'), parent: nullable(str()), type: str(undefined, { enum: ['atomic', 'compound', 'parallel', 'final', 'history'] }), initial: nullable(str()), label: ref('Label') })),
    edges: arr(obj({ from: str(), to: nullable(str('null: stays in the state')), event: str(), guard: nullable(str()), label: ref('Label') })),
  }),
  StaffAccount: obj({ username: str(), name: str(), role: str(undefined, { enum: ['clerk', 'reviewer', 'province-reviewer', 'admin'] }), jurisdiction: str(), active: bool(), createdAt: instant }),
  ...eventSchemas,
};

const certificateStatus = str('证照状态', { enum: ['valid', 'expired', 'revoked', 'cancelled', 'superseded'] });
const CERTIFICATE_ITEM = {
  number: str(undefined, { example: 'LU-WHSY-2026-000001' }),
  status: certificateStatus,
  statusLabel: bilingual,
  itemCode: str(),
  itemName: str(),
  holder: obj({ name: str(), uscc: str(), email: str() }, ['name', 'uscc']),
  jurisdiction: str(),
  issuedOn: date(),
  validFrom: date('First day of validity (a renewal continues the old certificate)'),
  validUntil: nullable(date('Last day of validity (Asia/Shanghai)')),
  renewalInProgress: nullable(obj({ applicationId: str(), applicationNo: str(), status: str() }, [], '延续申请办理中 / A renewal application still being processed')),
};
Object.assign(schemas, {
  CertificateListItem: obj(CERTIFICATE_ITEM, ['number', 'status', 'validUntil', 'itemCode', 'holder']),
  Certificate: obj({
    ...CERTIFICATE_ITEM,
    department: str(),
    jurisdictionName: str(),
    applicationId: str(),
    renewalOf: nullable(str('The certificate this one renews')),
    supersededBy: nullable(str('The certificate that renewed this one')),
    renewalWindow: nullable(obj({ opensOn: date(), closesOn: date() })),
    history: arr(obj({ at: instant, action: str(), note: str() })),
  }),
  Reminder: obj({
    key: str('Ledger key <certificate>:<validUntil>:<leadDays>'),
    certificateNumber: str(),
    validUntil: date(),
    leadDays: int(),
    daysLeft: int(),
    to: str(),
    subject: str(),
    state: str('pending → sent, or failed (retried with backoff) → given_up', { enum: ['pending', 'sent', 'failed', 'given_up'] }),
    attempts: int(),
    queuedAt: instant,
    sentAt: nullable(instant),
    nextAttemptAt: nullable(instant),
    lastError: nullable(str()),
    messageId: str('Fixed per ledger key'),
    smtpMessageId: nullable(str()),
  }),
});
const page = [query('offset', int(undefined, { minimum: 0, default: 0 })), query('limit', int(undefined, { minimum: 1, maximum: 200, default: 50 }))];
const pageOf = (item: string, extra: Record<string, Schema> = {}) => json(obj({ ...extra, items: arr(ref(item)), total: int(), offset: int(), limit: int() }));

const paths: Record<string, Record<string, unknown>> = {
  '/health': {
    get: { tags: ['system'], summary: '健康检查 / Health: the store is reachable (answers within a second)', security: [], responses: { 200: json(obj({ status: str(), store: str() })), 503: json(obj({ status: str(), store: str() }), 'Store down (Retry-After)') } },
  },
  '/health/live': {
    get: { tags: ['system'], summary: '存活检查 / Liveness: the process answers; never touches the store', security: [], responses: { 200: json(obj({ status: str(), uptimeSeconds: int() })) } },
  },
  '/health/ready': {
    get: { tags: ['system'], summary: '就绪检查 / Readiness: the store answers a ping within 800 ms', security: [], responses: { 200: json(obj({ status: str(), store: str() })), 503: json(obj({ status: str(), store: str() }), 'Store down (Retry-After)') } },
  },
  '/metrics': {
    get: { tags: ['system'], summary: '运行指标 / Prometheus metrics (requests by route, events, conflicts, timers)', security: [], responses: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: str() } } } } },
  },
  '/api/v1/openapi.json': {
    get: { tags: ['system'], summary: '本文档 / This OpenAPI document', security: [], responses: { 200: json({ type: 'object' }) } },
  },
  '/api/v1/auth/token': {
    post: {
      tags: ['auth'],
      summary: '工作人员登录 / Staff sign-in',
      security: [],
      requestBody: body(obj({ username: str(), password: str(undefined, { format: 'password' }) }, ['username', 'password'])),
      responses: { 200: json(obj({ token: str(), expiresAt: instant, user: obj({ username: str(), name: str(), role: str(), jurisdiction: str() }) })), 400: E400, 401: error('用户名或密码错误 / Wrong username or password'), 429: E429 },
    },
  },
  '/api/v1/auth/enterprise-token': {
    post: {
      tags: ['auth'],
      summary: '企业凭申请编号和查询码取得令牌 / Enterprise token for one application',
      description: 'The token reads that application and may send WITHDRAW and SUBMIT_CORRECTION.',
      security: [],
      requestBody: body(obj({ applicationNo: str(), queryCode: str() }, ['applicationNo', 'queryCode'])),
      responses: { 200: json(obj({ token: str(), expiresAt: instant, applicationId: str() })), 400: E400, 404: error('编号与查询码不匹配（与编号不存在时相同）/ No match, same answer as an unknown number'), 429: E429 },
    },
  },
  '/api/v1/catalog/items': {
    get: { tags: ['catalog'], summary: '事项清单 / The item catalog (实施清单)', security: [], responses: { 200: json(obj({ items: arr(ref('CatalogItem')) })) } },
  },
  '/api/v1/catalog/jurisdictions': {
    get: { tags: ['catalog'], summary: '辖区 / Jurisdictions served', security: [], responses: { 200: json(obj({ items: arr(ref('Jurisdiction')) })) } },
  },
  '/api/v1/catalog/pledges': {
    get: { tags: ['catalog'], summary: '告知承诺书文本 / Pledge texts by version', security: [], responses: { 200: json(obj({ items: arr(obj({ version: str(), text: str() })) })) } },
  },
  '/api/v1/calendar/due-date': {
    get: {
      tags: ['catalog'],
      summary: '按工作日计算期限 / Due date after N working days (Art. 82)',
      security: [],
      parameters: [query('from', date(), true, 'The triggering day (not counted)'), query('workingDays', int(undefined, { minimum: 0, maximum: 1000 }), true)],
      responses: {
        200: json(obj({ from: date(), workingDays: int(), dueDate: date(), provisional: PROVISIONAL }, ['from', 'workingDays', 'dueDate', 'provisional'])),
        400: E400,
        422: error('2025 年以前且未加载节假日安排的年份 / CALENDAR_YEAR_MISSING: a year before 2025 with no loaded schedule'),
      },
    },
  },
  '/api/v1/calendar/reload': {
    post: {
      tags: ['catalog'],
      summary: '重新加载节假日安排并重算暂定期限 / Reload config/calendars and recalculate provisional deadlines (admin)',
      description: 'Reads config/calendars/<year>.json again (a bad file is refused and the schedules in use are kept), then recomputes every running clock and pending timer of open applications whose due date was provisional. A date that moves gets a DEADLINE_RECALCULATED timeline entry with both dates and a notice to the applicant; nothing that was not provisional is touched. Other running processes use the new file after a restart.',
      security: STAFF,
      responses: {
        200: json(obj({
          loadedYears: arr(int()),
          officialYears: arr(int()),
          applications: int('Open applications looked at'),
          moved: arr(obj({ applicationId: str(), applicationNo: str(), moves: arr(obj({ deadline: str(undefined, { example: 'decision' }), kind: str(undefined, { enum: ['clock', 'timer'] }), from: date(), to: date(), provisional: bool('Still provisional (reaches another unpublished year)') })) })),
          confirmed: int('Provisional dates that stayed the same and are now official'),
          failures: arr(obj({ applicationId: str(), error: str() })),
        })),
        401: E401,
        403: E403,
        409: error('节假日安排文件有误 / PRECONDITION_FAILED: a calendar file is invalid (named in the message); nothing changed'),
      },
    },
  },
  '/api/v1/status': {
    get: {
      tags: ['public'],
      summary: '办件查询 / Status lookup by application number and query code',
      security: [],
      parameters: [query('applicationNo', str(), true), query('queryCode', str(), true)],
      responses: { 200: json(ref('StatusView')), 400: E400, 404: error('未找到匹配的办件 / No match (wrong code and unknown number answer alike)'), 429: E429 },
    },
  },
  '/api/v1/online-applications': {
    post: {
      tags: ['public'],
      summary: '不见面审批：网上提交 / Online submission',
      security: [],
      requestBody: body(ref('ApplicationInput')),
      responses: { 201: json(obj({ applicationNo: str(), queryCode: str('Shown once; keep it for status lookups'), status: str(), statusLabel: ref('Label') }), 'Created'), 400: E400, 429: E429 },
    },
  },
  '/api/v1/applications': {
    get: {
      tags: ['applications'],
      summary: '工作清单 / Work list in the caller\'s jurisdiction: open work unless finished statuses are asked for',
      description: 'Without `status`, the open applications (办理中). Finished statuses (completed, denied, not_accepted, withdrawn, terminated, revoked) come after the open ones, newest finished first. `uscc` or `q` searches an enterprise\'s, a number\'s or a name\'s applications of every status.',
      security: STAFF,
      parameters: [
        query('status', str('One status or several, comma-separated')),
        query('itemCode', str()),
        query('uscc', str('An enterprise: all its applications, every status')),
        query('q', str('An application number, or an applicant name matched whole')),
        query('light', { type: 'string', enum: ['green', 'yellow', 'red'] }, false, 'Open work whose decision clock shows this light'),
        query('sort', { type: 'string', enum: [...LIST_ORDERS], default: 'newest' }, false, 'deadline: overdue first, then the nearest due date'),
        query('offset', int(undefined, { minimum: 0, default: 0 })),
        query('limit', int(undefined, { minimum: 1, maximum: 200, default: 50 })),
      ],
      responses: { 200: json(obj({ items: arr(ref('ApplicationListItem')), total: int(), offset: int(), limit: int() })), 400: E400, 401: E401, 403: E403 },
    },
    post: {
      tags: ['applications'],
      summary: '窗口收件 / Window intake (clerk); returns the query code once',
      security: STAFF,
      requestBody: body(ref('ApplicationInput')),
      responses: { 201: json({ allOf: [ref('Application'), obj({ queryCode: str() })] }, 'Created'), 400: E400, 401: E401, 403: E403 },
    },
  },
  '/api/v1/applications/{id}': {
    get: {
      tags: ['applications'],
      summary: '申请详情 / One application (staff of its jurisdiction, or the enterprise holding its token)',
      security: STAFF_OR_ENTERPRISE,
      parameters: [pathParam('id', 'Application id')],
      responses: { 200: json(ref('Application')), 401: E401, 404: E404 },
    },
  },
  '/api/v1/applications/{id}/timeline/verify': {
    get: {
      tags: ['applications'],
      summary: '办理过程防篡改校验 / Check the hash chain of the timeline (admin)',
      security: STAFF,
      parameters: [pathParam('id', 'Application id')],
      responses: { 200: json(obj({ valid: bool(), brokenAt: nullable(int('seq of the first entry that does not match')), entries: int() })), 401: E401, 403: E403, 404: E404 },
    },
  },
  '/api/v1/applications/{id}/events': {
    post: {
      tags: ['applications'],
      summary: '办理操作 / Send an event; `allowedEvents` lists what the caller may send now',
      security: STAFF_OR_ENTERPRISE,
      parameters: [pathParam('id', 'Application id')],
      requestBody: body({ oneOf: Object.keys(EVENT_BODIES).map((t) => ref(`Event_${t}`)), discriminator: { propertyName: 'type' } }),
      responses: { 200: json(ref('Application')), 400: E400, 401: E401, 403: E403, 404: E404, 409: E409 },
    },
  },
  '/api/v1/certificates': {
    get: {
      tags: ['certificates'],
      summary: '证照清单 / Certificates issued in the caller\'s jurisdiction, e.g. of one holder, newest first',
      security: STAFF,
      parameters: [query('uscc', str()), query('itemCode', str()), query('status', str('One status or several, comma-separated')), ...page],
      responses: { 200: pageOf('CertificateListItem'), 400: E400, 401: E401, 403: E403 },
    },
  },
  '/api/v1/certificates/verify': {
    get: {
      tags: ['public'],
      summary: '证照核验 / Public check of a certificate shown to you: valid, expired, revoked or not found',
      security: [],
      parameters: [query('number', str(), true), query('uscc', str('Holder\'s USCC'), true)],
      responses: {
        200: json(obj({ result: str(undefined, { enum: ['valid', 'expired', 'revoked', 'not_found'] }), label: bilingual, number: str(), validUntil: nullable(date()) }, ['result', 'label'])),
        400: E400,
        429: E429,
      },
    },
  },
  '/api/v1/certificates/expiring': {
    get: {
      tags: ['certificates'],
      summary: '临期证照 / Valid certificates ending within N days, soonest first',
      security: STAFF,
      parameters: [query('days', int(undefined, { minimum: 0, maximum: 366, default: 30 })), ...page],
      responses: { 200: pageOf('CertificateListItem', { from: date(), to: date() }), 400: E400, 401: E401, 403: E403 },
    },
  },
  '/api/v1/certificates/reminders': {
    get: {
      tags: ['certificates'],
      summary: '到期提醒投递 / Reminders by delivery state (default: failed and given up, for staff to follow up)',
      security: STAFF,
      parameters: [query('state', str('pending, sent, failed, given_up; comma-separated', { default: 'failed,given_up' })), ...page],
      responses: { 200: pageOf('Reminder'), 400: E400, 401: E401, 403: E403 },
    },
  },
  '/api/v1/certificates/{number}': {
    get: {
      tags: ['certificates'],
      summary: '证照详情 / One certificate with its history and any renewal in progress',
      security: STAFF,
      parameters: [pathParam('number', 'Certificate number')],
      responses: { 200: json(ref('Certificate')), 400: E400, 401: E401, 404: E404 },
    },
  },
  '/api/v1/certificates/{number}/reminders': {
    get: {
      tags: ['certificates'],
      summary: '提醒记录 / Reminder history of a certificate',
      security: STAFF,
      parameters: [pathParam('number', 'Certificate number')],
      responses: { 200: json(obj({ certificateNumber: str(), items: arr(ref('Reminder')) })), 400: E400, 401: E401, 404: E404 },
    },
  },
  '/api/v1/certificates/{number}/reminders/{key}/retry': {
    post: {
      tags: ['certificates'],
      summary: '重新发送 / Give a reminder that was given up one more attempt, made at once (clerk, admin)',
      security: STAFF,
      parameters: [pathParam('number', 'Certificate number'), pathParam('key', 'Reminder key (certificate:validUntil:leadDays)')],
      responses: {
        200: json(obj({ outcome: str('sent, failed, given_up, busy or waiting'), reminder: ref('Reminder') })),
        400: E400, 401: E401, 403: E403, 404: E404, 409: E409,
      },
    },
  },
  '/api/v1/processes/{id}/{version}/graph': {
    get: {
      tags: ['applications'],
      summary: '流程图 / States and transitions of a registered process version (staff)',
      security: STAFF,
      parameters: [pathParam('id', 'Process id, e.g. standard-licence'), pathParam('version', 'Machine version')],
      responses: { 200: json(ref('ProcessGraph')), 401: E401, 403: E403, 404: E404 },
    },
  },
  '/api/v1/staff': {
    get: { tags: ['staff'], summary: '工作人员账号 / Staff accounts (admin)', security: STAFF, responses: { 200: json(obj({ items: arr(ref('StaffAccount')) })), 401: E401, 403: E403 } },
    post: {
      tags: ['staff'],
      summary: '新建账号 / Create a staff account (admin)',
      security: STAFF,
      requestBody: body(obj({ username: str(undefined, { pattern: '^[a-z0-9._-]{2,40}$' }), name: str(), role: str(undefined, { enum: ['clerk', 'reviewer', 'province-reviewer', 'admin'] }), jurisdiction: str(), password: str(undefined, { minLength: 8 }) }, ['username', 'name', 'role', 'jurisdiction', 'password'])),
      responses: { 201: json(ref('StaffAccount'), 'Created'), 400: E400, 401: E401, 403: E403, 409: error('用户名已存在 / DUPLICATE') },
    },
  },
  '/api/v1/staff/{username}': {
    patch: {
      tags: ['staff'],
      summary: '修改账号 / Change a staff account (admin)',
      security: STAFF,
      parameters: [pathParam('username', 'Username')],
      requestBody: body(obj({ name: str(), role: str(), jurisdiction: str(), password: str(), active: bool() })),
      responses: { 200: json(ref('StaffAccount')), 400: E400, 401: E401, 403: E403, 404: E404 },
    },
  },
};

/** The OpenAPI 3 document served at /api/v1/openapi.json. */
export const openApiDocument = {
  openapi: '3.0.3',
  info: {
    title: '应急管理行政许可办理平台 API / Permit workflow engine API',
    version: '1.0.0',
    description:
      'Errors are `{"error": {"code", "message", "details"}}` with Chinese first, then English. Dates people read are YYYY-MM-DD in Asia/Shanghai; time limits count working days. Staff sign in at POST /api/v1/auth/token and send `Authorization: Bearer <token>`; an enterprise gets a token for one application from its number and query code.',
  },
  servers: [{ url: '/' }],
  tags: [
    { name: 'public', description: '企业与公众 / For enterprises and the public' },
    { name: 'auth', description: '登录 / Sign-in' },
    { name: 'catalog', description: '事项清单与日历 / Catalog and calendar' },
    { name: 'applications', description: '办件 / Applications' },
    { name: 'certificates', description: '证照与到期提醒 / Certificates and expiry reminders' },
    { name: 'staff', description: '账号管理 / Staff accounts' },
    { name: 'system', description: '系统 / System' },
  ],
  security: STAFF,
  paths,
  components: {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'Staff token, or an enterprise token for one application' } },
    schemas,
  },
};
