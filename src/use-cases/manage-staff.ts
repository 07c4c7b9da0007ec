import { findJurisdiction } from '../catalog/load-catalog';
import { hashPassword } from '../auth/passwords';
import type { StaffAccount } from '../auth/staff-store';
import type { StaffRole } from '../auth/tokens';
import { AppError } from '../errors';
import type { Services } from '../services';

export interface NewStaff {
  username: string;
  name: string;
  role: StaffRole;
  jurisdiction: string;
  department?: string;
  password: string;
}

/** 科室: a section is one of the catalog's departments (the body an item is routed to within its jurisdiction). */
function checkDepartment(services: Pick<Services, 'catalog'>, department: string | undefined): void {
  if (department && !services.catalog.items.some((i) => i.department === department)) {
    throw new AppError('VALIDATION_FAILED', `未知科室 / Unknown section ${department}: not a department of the catalog`, [{ field: 'department', message: 'unknown department' }]);
  }
}

/** Creates a staff account in a catalogued jurisdiction (used by the admin API and `npm run staff`). */
export async function createStaff(services: Pick<Services, 'staff' | 'catalog' | 'now'>, input: NewStaff): Promise<Omit<StaffAccount, 'passwordHash'>> {
  if (!findJurisdiction(services.catalog, input.jurisdiction)) {
    throw new AppError('VALIDATION_FAILED', `未知辖区 / Unknown jurisdiction ${input.jurisdiction}`, [{ field: 'jurisdiction', message: 'unknown jurisdiction' }]);
  }
  checkDepartment(services, input.department);
  const account: StaffAccount = { username: input.username, name: input.name, role: input.role, jurisdiction: input.jurisdiction, ...(input.department ? { department: input.department } : {}), passwordHash: await hashPassword(input.password), active: true, createdAt: services.now() };
  await services.staff.create(account);
  return publicAccount(account);
}

export async function updateStaff(
  services: Pick<Services, 'staff' | 'catalog'>,
  username: string,
  changes: Partial<Pick<NewStaff, 'name' | 'role' | 'jurisdiction' | 'department' | 'password'> & { active: boolean }>,
) {
  checkDepartment(services, changes.department);
  if (changes.jurisdiction && !findJurisdiction(services.catalog, changes.jurisdiction)) {
    throw new AppError('VALIDATION_FAILED', `未知辖区 / Unknown jurisdiction ${changes.jurisdiction}`, [{ field: 'jurisdiction', message: 'unknown jurisdiction' }]);
  }
  const { password, ...rest } = changes;
  const fields = password ? { ...rest, passwordHash: await hashPassword(password) } : rest;
  return publicAccount(await services.staff.update(username, fields));
}

export const publicAccount = ({ passwordHash: _hidden, ...account }: StaffAccount) => account;
