import type { Connection } from 'mongoose';
import { embeddedPostgresqlUrl } from '../store/embedded-server';

/** One line naming the store a bench runs on: MongoDB and its version, or FerretDB, embedded or at MONGODB_URI. */
export async function describeStore(conn: Connection, embedded: { reused: boolean } | null | undefined): Promise<string> {
  const build = (await conn.db!.admin().command({ buildInfo: 1 })) as { version: string; ferretdbVersion?: string };
  return build.ferretdbVersion
    ? `FerretDB ${build.ferretdbVersion} (${embedded ? `embedded ${embeddedPostgresqlUrl() ? 'PostgreSQL' : 'SQLite'}, ${embedded.reused ? 'reused' : 'started by the bench'}` : 'MONGODB_URI'})`
    : `MongoDB ${build.version}`;
}
