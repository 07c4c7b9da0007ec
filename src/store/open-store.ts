import { startEmbeddedServer, type EmbeddedKind } from './embedded-server';

/** Where the application's MongoDB data lives: the server to connect mongoose to, and how to let go of it. */
export interface StoreHandle {
  uri: string;
  dbName: string;
  kind: 'external' | EmbeddedKind;
  /** True when an embedded server started by another process is used. */
  reused: boolean;
  /** Stops the embedded server this process started; does nothing for an external or reused one. */
  stop(): Promise<void>;
  /** Tells when the supervisor restarted the embedded server this process started (never for external or reused). */
  onRestart?(listener: () => void): void;
}

/**
 * Provides the MongoDB server for the application: `mongodbUri` when given, otherwise an embedded
 * server on `dataDir` (see startEmbeddedServer). It does not connect; the caller connects mongoose
 * to `uri` with `dbName`.
 */
export async function openStore(opts: { mongodbUri?: string; dataDir: string; dbName: string; log: (msg: string) => void }): Promise<StoreHandle> {
  if (opts.mongodbUri) {
    return { uri: opts.mongodbUri, dbName: opts.dbName, kind: 'external', reused: false, stop: async () => {} };
  }
  const server = await startEmbeddedServer({ dataDir: opts.dataDir, log: opts.log });
  return { uri: server.uri, dbName: opts.dbName, kind: server.kind, reused: server.reused, stop: () => server.stop(), onRestart: (listener) => void server.onRestart(listener) };
}
