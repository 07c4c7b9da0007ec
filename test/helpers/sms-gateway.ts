import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSms {
  headers: IncomingHttpHeaders;
  body: { to: string; text: string; messageId: string; template: string; params: Record<string, string> };
  /** The status this gateway answered with. */
  status: number;
}

/** A real HTTP SMS gateway in the test process: records every POST and can fail the next ones with 500 to test retries. */
export async function startSmsGateway() {
  const requests: ReceivedSms[] = [];
  let failNext = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failNext > 0 ? 500 : 200;
      if (failNext > 0) failNext--;
      requests.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { accepted: true } : { error: 'gateway down (test failure)' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/send`,
    requests,
    /** Requests the gateway accepted (2xx). */
    accepted: () => requests.filter((r) => r.status === 200),
    /** Answers the next `n` requests with 500. */
    failNext(n: number) {
      failNext = n;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
