import Joi from 'joi';
import { usccProblem } from '../domain/identifiers';
import { CHANGEABLE_FIELDS, type CatalogItem, type CatalogMaterial, type Jurisdiction } from './types';

const LEVELS = ['province', 'city', 'county'] as const;

const positiveInt = Joi.number().integer().positive().messages({
  'number.base': '{{#label}} must be a positive integer',
  'number.integer': '{{#label}} must be a positive integer',
  'number.positive': '{{#label}} must be a positive integer',
});

const nonNegativeInt = Joi.number().integer().min(0).messages({
  'number.base': '{{#label}} must be a non-negative integer',
  'number.integer': '{{#label}} must be a non-negative integer',
  'number.min': '{{#label}} must be a non-negative integer',
});

const text = Joi.string().trim().min(1);

// Joi labels a duplicate by its array slot; name the key so the message points at the field.
const uniqueBy = (key: string) => ({
  'array.unique': `{{#label}}.${key} repeats the ${key} at position {{#dupePos}}`,
});

// Each 省市联审 branch runs its own clock inside the item's promised limit; unused (0 allowed) when not joint.
const jointBranchLimit = nonNegativeInt
  .when('jointReview', { is: true, then: Joi.number().positive().max(Joi.ref('promisedLimitDays')) })
  .required()
  .messages({
    'number.positive': '{{#label}} must be a positive integer when jointReview is true',
    'number.max': '{{#label}} must not exceed promisedLimitDays',
  });

// Shares that split the limit evenly, the first step taking what does not divide.
function evenShares(steps: number): number[] {
  const each = Math.floor(100 / steps);
  return [100 - each * (steps - 1), ...Array<number>(steps - 1).fill(each)];
}

const materialSchema = Joi.object<CatalogMaterial, true>({
  code: Joi.string().pattern(/^M\d{2}$/).required().messages({ 'string.pattern.base': '{{#label}} must look like M01' }),
  name: text.required(),
  nameEn: text,
  core: Joi.boolean().required(),
  original: Joi.boolean().required(),
  waivable: Joi.string().valid('data_sharing', 'pledge', 'department_check').allow(null).required(),
});

// 部门协查 and 现场核查 time: counted in the decision limit unless the item excludes it (like 特别程序).
const timeRule = Joi.string().valid('counted', 'excluded').default('counted');

const itemSchema = Joi.object<CatalogItem, true>({
  code: Joi.string().pattern(/^[0-9A-Z][0-9A-Z-]*$/).required()
    .messages({ 'string.pattern.base': '{{#label}} must use digits, upper-case letters and hyphens' }),
  name: text.required(),
  nameEn: text.required(),
  type: text.required(),
  legalBasis: text.required(),
  level: Joi.string().valid(...LEVELS).required(),
  department: text.required(),
  legalLimitDays: positiveInt.required(),
  promisedLimitDays: positiveInt.max(Joi.ref('legalLimitDays')).required()
    .messages({ 'number.max': '{{#label}} must not exceed legalLimitDays' }),
  warningDays: nonNegativeInt.less(Joi.ref('promisedLimitDays')).required()
    .messages({ 'number.less': '{{#label}} must be less than promisedLimitDays' }),
  extensionDays: nonNegativeInt.required(),
  validityMonths: positiveInt.allow(null).required(),
  // A renewal window only makes sense inside a validity period.
  renewalWindowMonths: positiveInt.allow(null).when('validityMonths', {
    is: null,
    then: Joi.valid(null),
    otherwise: Joi.number().less(Joi.ref('validityMonths')),
  }).required().messages({
    'any.only': '{{#label}} must be null when validityMonths is null',
    'number.less': '{{#label}} must be less than validityMonths',
  }),
  // Every certificate names its holder, so a change of name is always possible; other details per item.
  changeableFields: Joi.array().items(Joi.string().valid(...CHANGEABLE_FIELDS)).unique().has(Joi.valid('holderName')).default(['holderName'])
    .messages({ 'array.hasUnknown': '{{#label}} must include "holderName"', 'array.unique': '{{#label}} repeats a field' }),
  changeLimitDays: positiveInt.max(Joi.ref('legalLimitDays')).default(10)
    .messages({ 'number.max': '{{#label}} must not exceed legalLimitDays' }),
  // Art. 9 renewal without re-review: only where there is a renewal, and sooner than the normal promise.
  renewalWithoutReview: Joi.object({
    promisedLimitDays: positiveInt.max(Joi.ref('...promisedLimitDays')).required()
      .messages({ 'number.max': '{{#label}} must not exceed the item\'s promisedLimitDays' }),
  }).allow(null).default(null).when('renewalWindowMonths', { is: null, then: Joi.valid(null) })
    // The declaration is answered in the single review (the chart's review state), not in 省市联审.
    .custom((value: unknown, helpers) => (value && (helpers.state.ancestors[0] as Partial<CatalogItem>).jointReview ? helpers.error('catalog.jointNoReview') : value))
    .messages({ 'any.only': '{{#label}} must be null when renewalWindowMonths is null', 'catalog.jointNoReview': '{{#label}} must be null when jointReview is true' }),
  certificatePrefix: Joi.string().pattern(/^[A-Z0-9][A-Z0-9-]*$/).required()
    .messages({ 'string.pattern.base': '{{#label}} must be ASCII upper-case letters, digits and hyphens' }),
  process: Joi.string().valid('standard-licence').required(),
  allowsDeficientAcceptance: Joi.boolean().required().custom((value: boolean, helpers) => {
    const item = helpers.state.ancestors[0] as Partial<CatalogItem>;
    const hasSecondary = Array.isArray(item.materials) && item.materials.some((m) => m?.core === false);
    return value && !hasSecondary ? helpers.error('catalog.noSecondary') : value;
  }).messages({ 'catalog.noSecondary': '{{#label}} needs at least one non-core material to leave out' }),
  // 容缺 supplements may not run past the promised limit (DOMAIN: 容缺受理).
  supplementDays: positiveInt.max(Joi.ref('promisedLimitDays')).required()
    .messages({ 'number.max': '{{#label}} must not exceed promisedLimitDays' }),
  allowsCommitment: Joi.boolean().required(),
  verificationDays: positiveInt.required(),
  // 容缺预审 is a service promise, not a legal limit: off unless the place sets it, yellow within warningDays of the target.
  preReview: Joi.object({
    targetDays: positiveInt.max(Joi.ref('...promisedLimitDays')).required()
      .messages({ 'number.max': '{{#label}} must not exceed the item\'s promisedLimitDays' }),
    warningDays: nonNegativeInt.less(Joi.ref('targetDays')).default(1)
      .messages({ 'number.less': '{{#label}} must be less than targetDays' }),
  }).allow(null).default(null),
  // 省市联审 pairs the routed city with its province, so only city-level items can be joint.
  jointReview: Joi.boolean().required().custom((value: boolean, helpers) => {
    const item = helpers.state.ancestors[0] as Partial<CatalogItem>;
    return value && item.level !== 'city' ? helpers.error('catalog.jointLevel') : value;
  }).messages({ 'catalog.jointLevel': '{{#label}} requires level "city" (the province reviews alongside)' }),
  jointJoinRule: Joi.string().valid('all_approve').required(),
  jointCityLimitDays: jointBranchLimit,
  jointProvinceLimitDays: jointBranchLimit,
  // 承办 → 审核 → 签发; the declaration of an Art. 9 renewal is answered by one reviewer, so such items keep one step.
  reviewSteps: Joi.number().valid(1, 2, 3).default(1).when('renewalWithoutReview', { is: Joi.object(), then: Joi.valid(1) })
    .messages({ 'any.only': '{{#label}} must be 1, 2 or 3 (1 when renewalWithoutReview is set)' }),
  // Each step's share of the promised limit; one step has all of it.
  reviewStepShares: Joi.array().items(positiveInt.max(100)).length(Joi.ref('reviewSteps'))
    .custom((shares: number[], helpers) => (shares.reduce((a, b) => a + b, 0) === 100 ? shares : helpers.error('catalog.shares')))
    .default((item: { reviewSteps?: number }) => evenShares(item.reviewSteps ?? 1))
    .messages({ 'array.length': '{{#label}} must have one share per review step', 'catalog.shares': '{{#label}} must add up to 100' }),
  correctionDays: positiveInt.required(),
  // Art. 32 allows five days for the one-time correction notice; a place may promise fewer.
  intakeDays: positiveInt.max(5).default(5)
    .messages({ 'number.max': '{{#label}} must not exceed 5 (Art. 32 of the Administrative Licensing Law)' }),
  correctionRestartsClock: Joi.boolean().required(),
  // Without a validity period there is no expiry to remind about.
  reminderLeadDays: Joi.array().items(nonNegativeInt).unique()
    .when('validityMonths', { is: null, then: Joi.array().max(0) })
    .required().messages({
      'array.max': '{{#label}} must be empty when validityMonths is null',
      'array.unique': '{{#label}} has a repeated lead day',
    }),
  // 注销 of a certificate expired without renewal (Art. 70 (1)): off unless the place sets it; needs a validity period.
  cancelExpiredAfterDays: nonNegativeInt.max(3660).allow(null).default(null)
    .when('validityMonths', { is: null, then: Joi.valid(null) })
    .messages({ 'any.only': '{{#label}} must be null when validityMonths is null', 'number.max': '{{#label}} must be at most 3660' }),
  materials: Joi.array().items(materialSchema).min(1).unique('code').required().messages(uniqueBy('code')),
  conditions: Joi.array().items(text),
  licenceTypeCode: Joi.string().pattern(/^[0-9A-Z]{1,40}$/).messages({ 'string.pattern.base': '{{#label}} must be digits and capital letters' }),
  assistanceTime: timeRule,
  siteInspection: Joi.object({
    required: Joi.boolean().required(),
    time: timeRule,
    resultDays: positiveInt.max(30).default(3),
    checklist: Joi.array().items(Joi.object({ code: Joi.string().pattern(/^[A-Za-z0-9_-]{1,20}$/).required(), text: text.required(), textEn: text.required() }))
      .min(1).max(50).unique('code').required().messages(uniqueBy('code')),
  }).allow(null).default(null),
});

const jurisdictionSchema = Joi.object<Jurisdiction, true>({
  code: Joi.string().pattern(/^\d{6}$/).required()
    .messages({ 'string.pattern.base': '{{#label}} must be a 6-digit administrative division code' }),
  name: text.required(),
  nameEn: text.required(),
  level: Joi.string().valid(...LEVELS).required(),
  parent: Joi.string().allow(null).required(),
  officeAbbreviation: text.max(20),
  // Every placeholder once: a format without {serial} or {year} would repeat numbers.
  documentNumberFormat: Joi.string().pattern(/^(?=.*\{office\})(?=.*\{kind\})(?=.*\{year\})(?=.*\{serial\}).{1,80}$/)
    .messages({ 'string.pattern.base': '{{#label}} must contain {office}, {kind}, {year} and {serial}' }),
  issuerUscc: Joi.string().custom((value: string, helpers) => (usccProblem(value) ? helpers.error('catalog.uscc', { problem: usccProblem(value) }) : value))
    .messages({ 'catalog.uscc': '{{#label}}: {{#problem}}' }),
});

/** Joi schema of config/catalog.json. */
export const catalogFileSchema = Joi.object({
  items: Joi.array().items(itemSchema).min(1).unique('code').required().messages(uniqueBy('code')),
});

/** Joi schema of config/jurisdictions.json; parent links are checked separately because they span entries. */
export const jurisdictionsFileSchema = Joi.object({
  jurisdictions: Joi.array().items(jurisdictionSchema).min(1).unique('code').required().messages(uniqueBy('code')),
});

const PARENT_LEVELS: Record<Jurisdiction['level'], Jurisdiction['level'][]> = {
  province: [],
  city: ['province'],
  // Counties normally sit under a city; some (省直管县) report to the province directly.
  county: ['city', 'province'],
};

/**
 * Problems with the parent links of validated jurisdictions, as `jurisdictions[i].parent …` messages.
 * Parents must exist and sit at a higher level, which also rules out cycles.
 */
export function jurisdictionParentProblems(jurisdictions: Jurisdiction[]): string[] {
  const byCode = new Map(jurisdictions.map((j) => [j.code, j]));
  const problems: string[] = [];
  jurisdictions.forEach((j, i) => {
    const label = `jurisdictions[${i}].parent`;
    const allowed = PARENT_LEVELS[j.level];
    if (j.parent === null) {
      if (allowed.length > 0) problems.push(`${label} must name the ${allowed[0]} that contains this ${j.level}`);
      return;
    }
    const parent = byCode.get(j.parent);
    if (!parent) problems.push(`${label} "${j.parent}" is not a listed jurisdiction`);
    else if (!allowed.includes(parent.level)) {
      problems.push(`${label} "${j.parent}" is a ${parent.level}; a ${j.level} must sit under ${allowed.join(' or ') || 'nothing'}`);
    }
  });
  return problems;
}
