import type { ApplicationRecord } from '../engine/application-record';
import { AppError } from '../errors';
import type { Services } from '../services';
import { queryCodeMatches } from './submit-application';

/** 办件查询: the application behind a number and its query code; a wrong pair looks exactly like an unknown number. */
export async function findByQueryCode(services: Pick<Services, 'store'>, applicationNo: string, queryCode: string): Promise<ApplicationRecord> {
  const app = await services.store.findByNumber(applicationNo);
  if (!app || !queryCodeMatches(app, queryCode)) {
    throw new AppError('NOT_FOUND', '未找到匹配的办件，请核对申请编号和查询码 / No application matches this number and query code');
  }
  return app;
}
