import { Schema, type Connection } from 'mongoose';
import { AppError } from '../errors';
import { versionedUpdate } from '../store/versioned-update';
import type { StaffRole } from './tokens';

export interface StaffAccount {
  username: string;
  name: string;
  role: StaffRole;
  jurisdiction: string;
  /** 科室: the section (the catalog's department) a chief or handler works in; none: every section of the jurisdiction. */
  department?: string;
  passwordHash: string;
  active: boolean;
  createdAt: Date;
}

const staffSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    department: { type: String },
    passwordHash: { type: String, required: true },
    active: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    version: { type: Number, default: 1 },
  },
  { versionKey: false, autoIndex: false },
);

const settingSchema = new Schema({ _id: String, value: String }, { versionKey: false });

export type StaffStore = ReturnType<typeof createStaffStore>;

/** Staff accounts keyed by username, and the service's stored settings (e.g. the token secret). */
export function createStaffStore(conn: Connection) {
  const Staff = conn.models.Staff ?? conn.model('Staff', staffSchema, 'staff');
  const Settings = conn.models.Setting ?? conn.model('Setting', settingSchema, 'settings');
  const Journal = conn.models.StaffJournal ?? conn.model('StaffJournal', new Schema({ _id: String }, { strict: false, versionKey: false }), 'staff_journal');
  const toAccount = (doc: Record<string, unknown> | null): StaffAccount | null => {
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { username: String(_id), ...rest } as StaffAccount;
  };

  return {
    async ensureIndexes(): Promise<void> {
      await Staff.createIndexes();
    },
    async find(username: string): Promise<StaffAccount | null> {
      return toAccount(await Staff.findById(username).lean<Record<string, unknown>>());
    },
    async list(): Promise<StaffAccount[]> {
      const docs = await Staff.find({}).sort({ _id: 1 }).lean<Record<string, unknown>[]>();
      return docs.map((d) => toAccount(d)!);
    },
    async create(account: StaffAccount): Promise<void> {
      const { username, ...rest } = account;
      try {
        await Staff.collection.insertOne({ _id: username, ...rest, version: 1 } as never);
      } catch (e) {
        if ((e as { code?: number }).code === 11000) throw new AppError('DUPLICATE', `账号已存在 / Staff account ${username} already exists`);
        throw e;
      }
    },
    /** Applies an admin's change through a versioned write; a concurrent change is a 409, never silently overwritten. */
    async update(username: string, fields: Partial<Omit<StaffAccount, 'username' | 'createdAt'>>): Promise<StaffAccount> {
      const current = await Staff.findById(username).lean<{ version?: number }>();
      if (!current) throw new AppError('NOT_FOUND', `账号不存在 / Staff account ${username} not found`);
      await versionedUpdate(Staff.collection, Journal.collection, username, current.version ?? 1, { set: fields });
      return (await this.find(username))!;
    },
    async count(): Promise<number> {
      return Staff.countDocuments({});
    },
    /** Reads a stored setting, creating it with `make()` on first use; concurrent first uses agree on one value. */
    async setting(key: string, make: () => string): Promise<string> {
      try {
        await Settings.collection.insertOne({ _id: key, value: make() } as never);
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
      }
      const doc = await Settings.findById(key).lean<{ value: string }>();
      return doc!.value;
    },
  };
}
