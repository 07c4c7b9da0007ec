/** Sums `permit_store_command_duration_seconds` scraped from several processes' `/metrics`: seconds and commands per command and collection, most expensive first. */
export async function storeTimeByCollection(urls: string[]): Promise<string[]> {
  const totals = new Map<string, { seconds: number; count: number }>();
  for (const url of urls) {
    const text = await fetch(`${url}/metrics`).then((r) => r.text(), () => '');
    for (const line of text.split('\n')) {
      const m = /^permit_store_command_duration_seconds_(sum|count)\{command="([^"]+)",collection="([^"]+)"\} (\S+)$/.exec(line);
      if (!m) continue;
      const key = `${m[2]} ${m[3]}`;
      const t = totals.get(key) ?? { seconds: 0, count: 0 };
      if (m[1] === 'sum') t.seconds += Number(m[4]);
      else t.count += Number(m[4]);
      totals.set(key, t);
    }
  }
  return [...totals].sort((a, b) => b[1].seconds - a[1].seconds).slice(0, 12)
    .map(([key, t]) => `${key.padEnd(40)} ${t.seconds.toFixed(1).padStart(8)} s  ${String(t.count).padStart(8)} commands  ${((t.seconds / t.count) * 1000).toFixed(1).padStart(7)} ms each`);
}
