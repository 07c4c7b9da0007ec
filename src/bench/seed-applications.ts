import type { Actor } from '../engine/application-record';
import type { Services } from '../services';
import { submitApplication, type SubmitApplicationInput } from '../use-cases/submit-application';
import { applicationBody, freshUscc } from './sample-applications';

/** A standard item whose ACCEPT leads to review, where SUSPEND and RESUME can loop. */
export const BENCH_ITEM = '370000-AQ-XK-004';

const clerk: Actor = { kind: 'staff', id: 'bench-clerk', name: '压测窗口', role: 'clerk', jurisdiction: '370600' };

export interface SeededApplication {
  id: string;
  applicationNo: string;
  queryCode: string;
}

/** Submits `count` applications through the use case and accepts each, `concurrency` at a time. */
export async function seedApplications(services: Services, count: number, concurrency: number): Promise<SeededApplication[]> {
  const seeded: SeededApplication[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const input = applicationBody(BENCH_ITEM, {
        uscc: freshUscc('370602'),
        materials: ['M01', 'M02', 'M03', 'M04', 'M05'].map((code) => ({ code, provided: true })),
      }) as SubmitApplicationInput;
      const { application, queryCode } = await submitApplication(services, input, clerk);
      await services.engine.apply(application, { type: 'ACCEPT' }, clerk);
      seeded.push({ id: application.id, applicationNo: application.applicationNo, queryCode });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return seeded;
}
