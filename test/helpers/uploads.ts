import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Every blob the folder store holds, by file name (its SHA-256). */
export function blobsIn(dataDir: string): string[] {
  const root = path.join(dataDir, 'files');
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Sends one file as multipart/form-data, as a browser form does (the file name as raw UTF-8). */
export async function upload(url: string, token: string | undefined, bytes: Buffer, name: string, field = 'file'): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append(field, new Blob([bytes]), name);
  const res = await fetch(url, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
}
