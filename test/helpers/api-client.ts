/** A small JSON client over the real HTTP port. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export function apiClient(baseUrl: () => string) {
  async function call<T = any>(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl() + path, {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  return {
    call,
    get: <T = any>(path: string, token?: string) => call<T>('GET', path, { token }),
    post: <T = any>(path: string, body: unknown, token?: string) => call<T>('POST', path, { token, body }),
    async login(username: string, password = 'demo'): Promise<string> {
      const res = await call('POST', '/api/v1/auth/token', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
  };
}

/** A valid application body for an item (materials: every core one provided unless told otherwise). */
export function applicationBody(itemCode: string, overrides: { uscc?: string; divisionCode?: string; materials?: { code: string; provided: boolean }[]; email?: string } = {}) {
  return {
    itemCode,
    applicant: {
      name: '烟台市芝罘区安达化工贸易有限公司',
      uscc: overrides.uscc ?? '91370602MA3C4R1N3E',
      divisionCode: overrides.divisionCode ?? '370602',
      contact: { name: '王经理', phone: '0535-6612345', email: overrides.email ?? 'wang@anda-chem.example' },
    },
    materials: overrides.materials ?? [{ code: 'M01', provided: true }, { code: 'M02', provided: true }],
    channel: 'window',
  };
}
