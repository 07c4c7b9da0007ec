import type { mongo } from 'mongoose';
import type { Histogram } from 'prom-client';

// Commands whose first field names the collection they work on.
const COLLECTION_COMMANDS = new Set(['find', 'insert', 'update', 'delete', 'findAndModify', 'count', 'aggregate', 'distinct', 'getMore']);

/**
 * Times every store command by command and collection, so `/metrics` shows which collection the store
 * spends its time on (the client must be created with `monitorCommands: true`).
 */
export function recordStoreCommands(client: mongo.MongoClient, histogram: Histogram<'command' | 'collection'>): void {
  const started = new Map<number, { command: string; collection: string }>();
  client.on('commandStarted', (e) => {
    if (!COLLECTION_COMMANDS.has(e.commandName)) return;
    const target = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
    started.set(e.requestId, { command: e.commandName, collection: typeof target === 'string' ? target : 'unknown' });
  });
  const finish = (e: mongo.CommandSucceededEvent | mongo.CommandFailedEvent) => {
    const labels = started.get(e.requestId);
    if (!labels) return;
    started.delete(e.requestId);
    histogram.observe(labels, e.duration / 1000);
  };
  client.on('commandSucceeded', finish);
  client.on('commandFailed', finish);
}
