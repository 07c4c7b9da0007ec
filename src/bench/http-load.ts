import http from 'node:http';

export interface LoadResult {
  requests: number;
  /** Responses that were not 200 (each would otherwise flatter the figure). */
  failures: number;
  perSecond: number;
  /** Latency of each request in milliseconds. */
  latencies: number[];
  firstFailure: string | null;
}

/**
 * Keeps `concurrency` GET requests in flight over keep-alive connections for `durationMs`, each to the
 * next path of the list in turn, and times every one; the body is read to its end.
 */
export async function httpLoad(baseUrl: string, paths: string[], options: { concurrency: number; durationMs: number }): Promise<LoadResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  let next = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const one = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = http.get({ host: url.hostname, port: url.port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          if (res.statusCode !== 200) {
            failures++;
            firstFailure ??= `${res.statusCode} ${body.slice(0, 300)}`;
          }
          resolve();
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });

  const worker = async () => {
    while (performance.now() < deadline) await one(paths[next++ % paths.length]);
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  return { requests: latencies.length, failures, perSecond: latencies.length / elapsed, latencies, firstFailure };
}
