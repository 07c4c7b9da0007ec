import type { JobCommand } from './job-command';

/** `npm run job -- rebuild-views`: derives every view again from the applications and certificates (after a restore, or a repair by hand). */
export const rebuildViewsJob: JobCommand = {
  summary: '由申请与证照重建派生索引（恢复备份后或人工修复时）/ rebuild the derived views from the applications and certificates (after a restore, or by hand)',
  async run(services) {
    const lines: string[] = [];
    const applications = await services.store.rebuildViews((n) => lines.push(`  ${n} applications…`));
    const certificates = await services.certificates.rebuildViews();
    const rectifications = await services.rectifications.rebuildViews();
    lines.push(`重建完成：${applications} 件申请，${certificates} 张证照，${rectifications} 件未办结整改 / rebuilt from ${applications} application(s) and ${certificates} certificate(s); ${rectifications} open rectification(s)`);
    return { lines, ok: true };
  },
};
