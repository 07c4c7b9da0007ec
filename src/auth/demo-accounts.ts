import { hashPassword } from './passwords';
import type { StaffStore } from './staff-store';
import type { StaffRole } from './tokens';

/** The demo staff of the embedded default store (password `demo`): Yantai's window and reviewers, and the province. */
export const DEMO_ACCOUNTS: { username: string; name: string; role: StaffRole; jurisdiction: string }[] = [
  { username: 'clerk', name: '烟台市政务服务中心窗口 / Yantai window clerk', role: 'clerk', jurisdiction: '370600' },
  { username: 'reviewer', name: '烟台市应急管理局审查员 / Yantai reviewer', role: 'reviewer', jurisdiction: '370600' },
  { username: 'chief', name: '烟台市应急管理局科长（审核） / Yantai section chief', role: 'chief', jurisdiction: '370600' },
  { username: 'leader', name: '烟台市应急管理局分管局长（签发） / Yantai bureau leader', role: 'leader', jurisdiction: '370600' },
  { username: 'province-reviewer', name: '山东省应急管理厅审查员 / Shandong province reviewer', role: 'province-reviewer', jurisdiction: '370000' },
  { username: 'admin', name: '系统管理员 / Administrator', role: 'admin', jurisdiction: '370000' },
];

export const DEMO_PASSWORD = 'demo';

/** Creates the demo accounts that do not exist yet. */
export async function ensureDemoAccounts(staff: StaffStore, now: Date): Promise<void> {
  for (const account of DEMO_ACCOUNTS) {
    if (await staff.find(account.username)) continue;
    await staff
      .create({ ...account, passwordHash: await hashPassword(DEMO_PASSWORD), active: true, createdAt: now })
      .catch((e: { code?: string }) => {
        if (e.code !== 'DUPLICATE') throw e;
      });
  }
}
