import type { Principal } from '../auth/access-policy';
import { AppError } from '../errors';
import type { Services } from '../services';
import type { InternalNote } from '../store/internal-notes';
import { loadReadableApplication } from './read-applications';

type Deps = Pick<Services, 'store' | 'catalog' | 'notes' | 'now'>;

// Only staff of the jurisdiction: the enterprise holding the application's token is told these are not for it.
async function staffApplication(services: Deps, principal: Principal, applicationId: string) {
  if (principal.kind !== 'staff') throw new AppError('FORBIDDEN', '内部意见仅限工作人员 / Internal notes are for staff only');
  return { app: await loadReadableApplication(services, principal, applicationId), staff: principal };
}

/** 内部意见: staff of the application's jurisdiction add a note, which only they read. */
export async function addInternalNote(services: Deps, principal: Principal, applicationId: string, text: string): Promise<InternalNote> {
  const { app, staff } = await staffApplication(services, principal, applicationId);
  return services.notes.add(app.id, text, { username: staff.sub, name: staff.name, role: staff.role }, services.now());
}

/** The internal notes of an application, oldest first, for staff of its jurisdiction. */
export async function listInternalNotes(services: Deps, principal: Principal, applicationId: string): Promise<InternalNote[]> {
  const { app } = await staffApplication(services, principal, applicationId);
  return services.notes.list(app.id);
}
