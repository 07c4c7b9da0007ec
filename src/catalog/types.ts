/** How a waivable material is obtained instead of from the applicant (减证便民). */
export type WaiverRoute = 'data_sharing' | 'pledge' | 'department_check';

/** A material the applicant must supply; secondary (non-core) ones may be missing under 容缺受理. */
export interface CatalogMaterial {
  code: string;
  name: string;
  nameEn?: string;
  core: boolean;
  original: boolean;
  waivable: WaiverRoute | null;
}

/** Level of government that implements an item (行使层级). */
export type ImplementingLevel = 'province' | 'city' | 'county';

/** A detail of a certificate that a change (变更) may touch: the holder's name, its principal responsible person, its registered address. */
export const CHANGEABLE_FIELDS = ['holderName', 'principal', 'address'] as const;
export type ChangeableField = (typeof CHANGEABLE_FIELDS)[number];

/** Process definition an item runs, by machine id (see machines/). */
export type ProcessId = 'standard-licence';

/** One catalogued item (事项), with every figure that varies by place as data. */
export interface CatalogItem {
  code: string;
  name: string;
  nameEn: string;
  type: string;
  legalBasis: string;
  level: ImplementingLevel;
  department: string;
  legalLimitDays: number;
  promisedLimitDays: number;
  warningDays: number;
  extensionDays: number;
  validityMonths: number | null;
  renewalWindowMonths: number | null;
  /** 变更: the certificate details a change application may touch (always the holder's name); anything else needs a new application. */
  changeableFields: ChangeableField[];
  /** 变更: working days to decide a change (55号令: 10). */
  changeLimitDays: number;
  /** 安全生产许可证条例 Art. 9: a renewal on the holder's declaration (no fatal accident, law-abiding) may be decided without a new review, within this promised limit; null when the item has no such renewal. */
  renewalWithoutReview: { promisedLimitDays: number } | null;
  certificatePrefix: string;
  process: ProcessId;
  /** 容缺受理: secondary materials may be missing at acceptance. */
  allowsDeficientAcceptance: boolean;
  supplementDays: number;
  /** 告知承诺: decided on the applicant's pledge, verified afterwards. */
  allowsCommitment: boolean;
  verificationDays: number;
  /** 容缺预审: an enterprise may have its materials pre-reviewed before the formal application, answered within a service target (working days, no legal clock); null when the item has none. */
  preReview: { targetDays: number; warningDays: number } | null;
  /** 省市联审: city and province review in parallel. */
  jointReview: boolean;
  jointJoinRule: 'all_approve';
  /** 省市联审 branch limits in working days; the two levels review in parallel, each on its own clock. */
  jointCityLimitDays: number;
  jointProvinceLimitDays: number;
  /** The review chain (承办 → 审核 → 签发): 1 (one reviewer decides), 2 (handler → leader) or 3 (handler → chief → leader). */
  reviewSteps: 1 | 2 | 3;
  /** Each step's share of the promised limit in percent, in the chain's order, summing to 100. */
  reviewStepShares: number[];
  correctionDays: number;
  /** Art. 32: working days from receipt to accept, refuse or notify a correction; then the application counts as accepted (default 5). */
  intakeDays: number;
  /** Whether a correction notice restarts the clock (true) or pauses it (false). */
  correctionRestartsClock: boolean;
  reminderLeadDays: number[];
  /** 注销 (Art. 70): days after a certificate expired without renewal until the reminder run cancels it; null or absent: never by itself. */
  cancelExpiredAfterDays?: number | null;
  materials: CatalogMaterial[];
  /** 许可条件: what the applicant must meet, as the 告知承诺书 states it (the materials' names when left out). */
  conditions?: string[];
  /** 证照类型代码 of the electronic licence (电子证照); the item code without dashes when left out. */
  licenceTypeCode?: string;
  /** 部门协查: whether the time a request to another department is open counts in the decision limit (default counted). */
  assistanceTime?: TimeRule;
  /** 现场核查: whether an inspection is required before the decision, the points to check, and whether its time counts; null: none configured. */
  siteInspection?: SiteInspectionRule | null;
}

/** Whether a procedure's time is counted in the decision limit or excluded from it (like 特别程序). */
export type TimeRule = 'counted' | 'excluded';

/** An item's site inspection: required before the decision or not, its checklist, and how its time counts. */
export interface SiteInspectionRule {
  required: boolean;
  time: TimeRule;
  /** Working days after the inspection date for its result, before it shows red (yellow from the day after the date). */
  resultDays: number;
  checklist: { code: string; text: string; textEn: string }[];
}

/** An administrative division the deployment serves. */
export interface Jurisdiction {
  code: string;
  name: string;
  nameEn: string;
  level: ImplementingLevel;
  parent: string | null;
  /** The office's abbreviation in document numbers (烟应急 in 烟应急许受〔2026〕12号); the jurisdiction's name when left out. */
  officeAbbreviation?: string;
  /** How document numbers read: {office}, {kind}, {year}, {serial}. */
  documentNumberFormat?: string;
  /** 颁发机构代码: the issuing office's unified social credit code, part of each 证照标识. */
  issuerUscc?: string;
}

export interface Catalog {
  items: CatalogItem[];
  jurisdictions: Jurisdiction[];
}
