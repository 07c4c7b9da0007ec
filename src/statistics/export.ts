import ExcelJS from 'exceljs';
import type { StatisticsView } from '../use-cases/read-statistics';

/** The columns of an export, Chinese first with the English name beside it; one row per group of each table. */
export const EXPORT_COLUMNS: { key: string; header: string }[] = [
  ['received', '收件 / Received'], ['accepted', '受理 / Accepted'], ['notAccepted', '不予受理 / Not accepted'],
  ['approved', '准予许可 / Approved'], ['denied', '不予许可 / Denied'], ['completed', '办结 / Completed'],
  ['withdrawn', '撤回 / Withdrawn'], ['terminated', '终止 / Terminated'], ['revoked', '撤销 / Revoked'],
  ['decided', '作出决定 / Decided'], ['timed', '可计时决定 / Timed decisions'], ['onTimeRate', '承诺时限内办结率 / On time (promised)'], ['legalOnTimeRate', '法定时限内办结率 / On time (legal)'],
  ['workingDaysMean', '平均用时(工作日) / Working days, mean'], ['workingDaysP90', '用时P90(工作日) / Working days, p90'],
  ['immediate', '即办件 / Decided the day received'], ['compression', '承诺时限压缩率 / Promised vs legal limit'],
  ['deficient', '容缺受理 / Deficient acceptance'], ['commitment', '告知承诺 / On commitment'], ['joint', '省市联审 / Joint review'],
  ['waivedDataSharing', '免提交-数据共享 / Waived: data sharing'], ['waivedPledge', '免提交-告知承诺 / Waived: pledge'],
  ['waivedDepartmentCheck', '免提交-部门协查 / Waived: department check'], ['itemsWithWaivers', '有免提交材料的事项 / Items with waivers'],
  ['overdueNow', '当前超期(红灯) / Overdue now'], ['yellowNow', '当前临期(黄灯) / Yellow now'],
  ['remindersSent', '到期提醒(邮件) / Reminders sent (mail)'], ['smsRemindersSent', '到期提醒(短信) / Reminders sent (SMS)'],
].map(([key, header]) => ({ key, header }));

type Row = Record<string, unknown>;

// What the dimension values mean to a reader, Chinese first.
const LABELS: Record<string, string> = {
  window: '窗口 / window', online: '网上 / online', new: '新办 / new', change: '变更 / change', renewal: '延续 / renewal', '-': '—',
};
const labelled = (value: unknown) => LABELS[String(value)] ?? String(value);

/** The tables of a statistics answer, each with its name and the column that names its rows. */
function tables(view: StatisticsView): { name: string; label: string; rows: Row[]; keyOf: (r: Row) => string }[] {
  return [
    { name: '合计 Totals', label: '范围 / Scope', rows: [view.totals as unknown as Row], keyOf: () => `${view.jurisdiction} ${view.from}–${view.to}` },
    { name: '按事项 By item', label: '事项 / Item', rows: view.byItem as unknown as Row[], keyOf: (r) => `${String(r.itemCode)} ${String(r.itemName)}` },
    { name: '按辖区 By jurisdiction', label: '辖区 / Jurisdiction', rows: view.byJurisdiction as unknown as Row[], keyOf: (r) => `${String(r.jurisdiction)} ${String(r.name)}` },
    { name: '按渠道 By channel', label: '渠道 / Channel', rows: view.byChannel as unknown as Row[], keyOf: (r) => labelled(r.channel) },
    { name: '按业务类型 By business type', label: '业务类型 / Business type', rows: view.byBusinessType as unknown as Row[], keyOf: (r) => labelled(r.businessType) },
    { name: '按流程 By process', label: '流程 / Process', rows: view.byProcess as unknown as Row[], keyOf: (r) => String(r.process) },
    { name: '按日 By day', label: '日期 / Day', rows: view.byDay as unknown as Row[], keyOf: (r) => String(r.day) },
  ];
}

const cellValue = (v: unknown) => (v === null || v === undefined ? '' : v);

/** The answer as CSV: one block per table (its name on a line, then its header and rows), UTF-8 with a BOM so spreadsheets read 中文. */
export function statisticsCsv(view: StatisticsView): string {
  const quote = (v: unknown) => {
    const s = String(cellValue(v));
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines: string[] = [];
  for (const t of tables(view)) {
    lines.push(quote(t.name), [t.label, ...EXPORT_COLUMNS.map((c) => c.header)].map(quote).join(','));
    for (const r of t.rows) lines.push([t.keyOf(r), ...EXPORT_COLUMNS.map((c) => r[c.key])].map(quote).join(','));
    lines.push('');
  }
  return `\uFEFF${lines.join('\r\n')}`;
}

/** The answer as an XLSX workbook (exceljs): one sheet per table. */
export async function statisticsXlsx(view: StatisticsView): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'permit-engine';
  for (const t of tables(view)) {
    const sheet = book.addWorksheet(t.name.slice(0, 31));
    sheet.columns = [{ header: t.label, key: '_key', width: 28 }, ...EXPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: 16 }))];
    sheet.getRow(1).font = { bold: true };
    for (const r of t.rows) sheet.addRow({ _key: t.keyOf(r), ...Object.fromEntries(EXPORT_COLUMNS.map((c) => [c.key, cellValue(r[c.key])])) });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
