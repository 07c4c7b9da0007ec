import type Joi from 'joi';
import { AppError } from '../errors';
import type { StaffAccount } from '../auth/staff-store';
import type { StaffRole } from '../auth/tokens';
import type { CatalogItem } from '../catalog/types';
import type { ApplicationDetails, ApplicationRecord } from '../engine/application-record';
import type { CreditKind } from '../certificates/credit-store';
import type { Label } from '../i18n/labels';

/** An event as it arrives: its type and its validated payload. */
export type EventBody = { type: string } & Record<string, unknown>;

/**
 * Who may send an event. Staff need one of `roles` and a jurisdiction that covers the application
 * `at` the window (where it was received or routed), the routed body, or the province of a joint review.
 */
export interface Sender {
  roles: StaffRole[];
  /** How a refusal names the roles, e.g. 'the clerk role'. */
  roleText: string;
  at: 'window' | 'routed' | 'province';
  /** The applicant may send it on its own application (enterprise token). */
  enterprise?: boolean;
  /** How a refusal names the event, e.g. 'the province opinion'; the event type by default. */
  subject?: string;
}

/** What a precondition or a record reads: the application, its item and the bureau's reference data. */
export interface EventContext {
  app: ApplicationRecord;
  item: CatalogItem;
  /** Today in Asia/Shanghai (YYYY-MM-DD). */
  today: string;
  /** The sender's name. */
  by: string;
  /** The sender's account (a staff username, an enterprise's USCC). */
  byId: string;
  /** A staff account by username (the handler an assignment names). */
  staffAccount: (username: string) => Promise<StaffAccount | null>;
  pledgeText: (version: string) => string | undefined;
  creditKinds: (uscc: string) => Promise<CreditKind[]>;
  /** The sender's id (a staff member's username); absent for a sender without an account (a department answering through its link). */
  senderId?: string;
  /** A staff account by username (inspectors), with whether its jurisdiction covers the body the application is routed to; null when there is none. */
  staffOf?: (username: string) => Promise<{ active: boolean; coversRouting: boolean } | null>;
  /** A stored file by id (inspection photos), or null. */
  fileOf?: (id: string) => Promise<{ applicationId: string } | null>;
}

/** What the console's form of an event may offer for this application: choices and defaults by field path (`missing`, `pledge.textVersion`, `items.material`). */
export type FormChoices = Record<string, {
  enum?: string[];
  labels?: Record<string, Label>;
  /** Text shown with the chosen option (a pledge's text). */
  descriptions?: Record<string, string>;
  /** A value to start with; a {zh, en} pair is picked by the reader's language. */
  default?: unknown;
}>;

/** What the console needs to offer an event as a button with a form. */
export interface ActionHints {
  /** The button's words (imperative), where `label` is the timeline's (what happened). */
  label: Label;
  /** Buttons are shown by this number, smallest first. */
  order: number;
  style?: 'primary' | 'danger';
  /** A line above the form. */
  hint?: Label;
  /** A warning for this application, e.g. the core materials that rule deficient acceptance out. */
  warning?: (app: ApplicationRecord, item: CatalogItem) => Label | null;
  choices?: (ctx: { app: ApplicationRecord; item: CatalogItem; pledges: ReadonlyMap<string, string> }) => FormChoices;
}

/**
 * Everything an event means, in one place: the validator, the access policy, the engine's probes, the timeline,
 * the status mail and the console's buttons and forms are all read from here.
 */
export interface EventDefinition {
  type: string;
  /** What happened, as the timeline and the status mail say it. */
  label: Label;
  /** Who may send it; an event without a sender is sent only by the engine (a deadline, an effect's result). */
  sentBy?: Sender | ((event: EventBody) => Sender);
  /** The payload a person sends (every field besides `type` and `expectedVersion`); required with `sentBy`. */
  payload?: Joi.ObjectSchema;
  /** Payload shapes the machine's transitions depend on (a review level, an opinion), each probed for "may it be sent now". */
  probes?: Record<string, unknown>[];
  /** Why the item refuses this event in every state (容缺, 告知承诺 are per-item settings), or null. */
  itemRefusal?: (item: CatalogItem) => string | null;
  /** Rules on the materials, the credit record, the pledge text: throws an AppError to refuse. */
  check?: (ctx: EventContext, event: EventBody) => Promise<void> | void;
  /** What the event records in the application's details for people to read. */
  records?: (ctx: EventContext, event: EventBody) => ApplicationDetails | Promise<ApplicationDetails>;
  /** The application's materials after the event (supplied materials count as provided). */
  materials?: (ctx: EventContext, event: EventBody) => ApplicationRecord['materials'];
  action?: ActionHints;
}

/** The sender rule for this event's payload, or null for an event no person sends. */
export function senderOf(definition: EventDefinition | undefined, event: EventBody): Sender | null {
  if (!definition?.sentBy) return null;
  return typeof definition.sentBy === 'function' ? definition.sentBy(event) : definition.sentBy;
}

/** A rule of the item or the applicant refuses the event (409 PRECONDITION_FAILED). */
export function refuse(message: string): never {
  throw new AppError('PRECONDITION_FAILED', message);
}

/** A payload field names something that does not fit this application (400 VALIDATION_FAILED). */
export function badRequest(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, [{ field, message }]);
}

/** A material's name in both languages (its code when the catalog no longer lists it). */
export function materialName(item: CatalogItem, code: string): Label {
  const spec = item.materials.find((m) => m.code === code);
  return { zh: spec?.name ?? code, en: spec?.nameEn ?? spec?.name ?? code };
}

/** A material as a form lists it: its code and its name. */
export function materialLabel(item: CatalogItem, code: string): Label {
  const name = materialName(item, code);
  return { zh: `${code} ${name.zh}`, en: `${code} ${name.en}` };
}
