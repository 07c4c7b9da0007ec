/**
 * The soak's fault phase: SIGKILL the embedded store server while the API and scheduler processes are
 * busy, let the supervisor (the soak process owns the server) bring it back, and count what clients saw
 * meanwhile; at the end, back the store up while the processes still run, restore the copy into a fresh
 * folder, start a server on it and run the same invariant checks there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { backupEmbeddedStore, restoreEmbeddedStore } from '../src/store/backup';
import { startEmbeddedServer, type EmbeddedServer } from '../src/store/embedded-server';
import type { ReceivedMail } from '../test/helpers/smtp-sink';
import { checkInvariants } from './soak-invariants';

type Log = (msg: string) => void;

/** Kills the store once part-way through the flows and reports the outage as the API's clients saw it. */
export function createStoreFault(server: EmbeddedServer | null, storeDir: string, log: Log) {
  let killedAt = 0;
  let downMs: number | null = null;
  let backAt = 0;
  let killedPid = 0;
  let restarted: Promise<void> = Promise.resolve();
  const statuses = new Map<number, number>();
  let slowest503 = 0;
  return {
    /**
     * Records one API answer that arrived between the kill and 5 s after the restart. A 503's wait counts from
     * the kill (or its sending, if later): what came before is the loaded store's ordinary slowness.
     */
    observe(status: number, sentAt: number): void {
      const now = Date.now();
      if (!killedAt || now < killedAt || (backAt && now > backAt + 5000)) return;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 503) slowest503 = Math.max(slowest503, now - Math.max(sentAt, killedAt));
    },
    /** Kills the store server once, when `done` reaches `fraction` of `total` flows. */
    maybeKill(done: number, total: number, fraction = 0.6): void {
      if (!server || killedAt || done < total * fraction) return;
      killedPid = server.pid;
      const restartedOnce = new Promise<void>((resolve) => {
        const off = server.onRestart(({ downMs: ms }) => {
          downMs = ms;
          backAt = Date.now();
          off();
          resolve();
        });
      });
      killedAt = Date.now();
      log(`FAULT: SIGKILL the ${server.kind} store server (pid ${killedPid}) with ${done} flows done`);
      process.kill(killedPid, 'SIGKILL');
      restarted = restartedOnce.then(() => log(`FAULT: store server back by itself as pid ${server.pid} after ${downMs} ms`));
    },
    /** Waits for the restart (when a kill happened) and returns the report lines. */
    async report(): Promise<string[]> {
      if (!server) return ['fault phase skipped: the store is MONGODB_URI, not a server this process supervises'];
      if (!killedAt) return ['fault phase: the store was never killed (too few flows?)'];
      await Promise.race([restarted, new Promise((_, reject) => setTimeout(() => reject(new Error('the store did not come back within 120 s')), 120_000))]);
      const seen = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(', ');
      return [
        `fault: store server pid ${killedPid} SIGKILLed, restarted by the supervisor after ${downMs} ms (restarts: ${server.restarts}); data in ${storeDir}`,
        `fault: API answers from the kill until 5 s after the restart: ${seen || 'none'}; longest wait for a 503 after the kill ${slowest503} ms`,
      ];
    },
  };
}

/**
 * Backs the running store up, restores the copy into a fresh folder, starts a server there and checks the
 * invariants on it; returns the report lines and what broke.
 */
export async function verifyBackupRestore(opts: { storeDir: string; dbName: string; mails: ReceivedMail[]; created: { id: string; scenario: string }[]; seededReminders: number; log: Log }) {
  const work = mkdtempSync(path.join(tmpdir(), 'permit-soak-backup-'));
  try {
    const file = path.join(work, 'soak-backup.tar.gz');
    const started = Date.now();
    const manifest = await backupEmbeddedStore({ storeDir: opts.storeDir, file });
    const db = manifest.databases.find((d) => d.file === `${opts.dbName}.sqlite`);
    const docs = db ? Object.values(db.collections).reduce((sum, n) => sum + n, 0) : 0;
    opts.log(`backup of the running store: ${manifest.databases.length} database(s), ${opts.dbName}: ${docs} documents in ${Object.keys(db?.collections ?? {}).length} collections, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const restoredDir = path.join(work, 'restored');
    await restoreEmbeddedStore({ storeDir: restoredDir, file });
    const copy = await startEmbeddedServer({ dataDir: restoredDir, log: () => {} });
    const conn = await mongoose.createConnection(copy.uri, { dbName: opts.dbName }).asPromise();
    try {
      const report = await checkInvariants(conn, opts.mails, opts.created, opts.seededReminders);
      return { broken: report.broken, lines: report.lines.map((l) => `restored copy: ${l}`) };
    } finally {
      await conn.close();
      await copy.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
