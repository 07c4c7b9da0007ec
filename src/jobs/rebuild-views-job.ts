import { repairConversions } from '../pre-reviews/from-pre-review';
import type { JobCommand } from './job-command';

/** `npm run job -- rebuild-views`: derives every view again from the applications, certificates and pre-reviews (after a restore, or a repair by hand). */
export const rebuildViewsJob: JobCommand = {
  summary: '由申请、证照与预审重建派生索引（恢复备份后或人工修复时）/ rebuild the derived views from the applications, certificates and pre-reviews (after a restore, or by hand)',
  async run(services) {
    const lines: string[] = [];
    const applications = await services.store.rebuildViews((n) => lines.push(`  ${n} applications…`));
    const certificates = await services.certificates.rebuildViews();
    const rectifications = await services.rectifications.rebuildViews();
    const preReviews = await services.preReviews.rebuildViews();
    // A conversion whose writer stopped between the application and the link back is finished (or given back) too.
    const conversions = await repairConversions(services);
    lines.push(`重建完成：${applications} 件申请，${certificates} 张证照，${preReviews} 件预审（补全转申请 ${conversions.finished} 件，释放 ${conversions.released} 件），${rectifications} 件未办结整改 / rebuilt from ${applications} application(s), ${certificates} certificate(s) and ${preReviews} pre-review(s); ${conversions.finished} conversion(s) finished, ${conversions.released} given back; ${rectifications} open rectification(s)`);
    return { lines, ok: true };
  },
};
