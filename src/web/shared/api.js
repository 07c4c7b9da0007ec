/** A failed API call: the HTTP status and the server's {code, message, details}. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = error?.code ?? 'NETWORK';
    this.details = error?.details ?? null;
  }
}

/** Calls the JSON API; resolves with the body, rejects with ApiError. A FormData body goes as multipart/form-data (the browser sets its boundary). */
export async function callApi(method, path, { body, token } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器 / Cannot reach the server' });
  }
  const text = await res.text();
  const data = parseJson(text);
  if (!res.ok) throw new ApiError(res.status, data?.error);
  return data;
}

function parseJson(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
