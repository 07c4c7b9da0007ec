import type { mongo } from 'mongoose';
import { isDuplicateKey, readByIds } from './store-traits';

const idOf = (key: string, sep: string, n: number | 'last') => `${key}${sep}${n}`;

/**
 * The highest number claimed under `key`: the hint `<key><sep>last` (never ahead of a real claim, maybe
 * behind one), then point reads upward until a number is free. Only `_id` reads, on every store.
 */
export async function highestClaimed(collection: mongo.Collection<mongo.Document>, key: string, sep: string, known = 0): Promise<number> {
  // A reader that saw number `known` before starts there when it still exists (the hint may lag further behind).
  const [hint, seen] = await Promise.all([
    collection.findOne({ _id: idOf(key, sep, 'last') as never }, { projection: { n: 1 } }),
    known > 0 ? collection.findOne({ _id: idOf(key, sep, known) as never }, { projection: { _id: 1 } }) : null,
  ]);
  let n = Math.max(typeof hint?.n === 'number' ? hint.n : 0, seen ? known : 0);
  while (await collection.findOne({ _id: idOf(key, sep, n + 1) as never }, { projection: { _id: 1 } })) n++;
  return n;
}

/**
 * Who claims a number, for a claimant that must get the same number when it is run again after a crash (a retried
 * effect): `intend(n)` records the number about to be tried before each insert, and the claim is stamped with `id`.
 */
export interface ClaimOwner {
  id: string;
  intend: (n: number) => Promise<void>;
}

/**
 * Claims the next number under `key` by inserting `<key><sep><n>` (a unique `_id` makes it atomic on every
 * store, unlike an upserted counter on FerretDB 1.x), trying `after + 1` first, then moves the hint up.
 * `fields(n)` may read entry n − 1, which exists whenever n is tried (a running total carried entry to entry).
 */
export async function claimNext(
  collection: mongo.Collection<mongo.Document>, key: string, sep: string, fields: (n: number) => mongo.Document | Promise<mongo.Document>, after?: number, owner?: ClaimOwner,
): Promise<number> {
  let n = (after ?? (await highestClaimed(collection, key, sep))) + 1;
  for (let attempt = 0; ; attempt++) {
    try {
      await owner?.intend(n);
      await collection.insertOne({ _id: idOf(key, sep, n) as never, ...(await fields(n)), ...(owner ? { owner: owner.id } : {}) });
      break;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      // An owner that claimed n before it stopped finds its own claim again.
      if (owner && (await collection.findOne({ _id: idOf(key, sep, n) as never }, { projection: { owner: 1 } }))?.owner === owner.id) break;
      if (attempt >= 200) throw new Error(`${key}: too many concurrent claims`, { cause: e });
      // Someone took n: when the guess was stale, or after a few misses in a row, read how far they got.
      n = attempt % 4 === 3 || (attempt === 0 && after !== undefined) ? (await highestClaimed(collection, key, sep)) + 1 : n + 1;
    }
  }
  await moveHint(collection, idOf(key, sep, 'last'), n);
  return n;
}

/**
 * Claims consecutive numbers after `after` for `docs`, in ordered inserts: a number another writer took stops
 * the insert there (what came before it landed), and the rest goes on after the highest claim.
 */
async function claimConsecutive(collection: mongo.Collection<mongo.Document>, key: string, docs: mongo.Document[], after?: number): Promise<number[]> {
  const numbers: number[] = [];
  let n = (after ?? (await highestClaimed(collection, key, '#'))) + 1;
  for (let attempt = 0; numbers.length < docs.length; attempt++) {
    const rest = docs.slice(numbers.length).map((doc, i) => ({ _id: idOf(key, '#', n + i), ...doc }));
    try {
      await collection.insertMany(rest as never[], { ordered: true });
      numbers.push(...rest.map((_, i) => n + i));
    } catch (e) {
      const first = [(e as { writeErrors?: unknown }).writeErrors ?? []].flat()[0] as { index: number; code: number } | undefined;
      if (first?.code !== 11000) throw e;
      numbers.push(...rest.slice(0, first.index).map((_, i) => n + i));
      if (attempt >= 200) throw new Error(`${key}: too many concurrent claims`, { cause: e });
      n = (await highestClaimed(collection, key, '#')) + 1;
    }
  }
  return numbers;
}

// A hint only ever lags: a race may leave it behind the highest claim (readers probe upward), never ahead of one.
async function moveHint(collection: mongo.Collection<mongo.Document>, hintId: string, n: number): Promise<void> {
  try {
    await collection.updateOne({ _id: hintId as never }, { $max: { n } }, { upsert: true });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e; // two first upserts at once: the other one wrote it
  }
}

/** One entry of a keyed log: what it points to, and when it was appended. */
export interface LogEntry {
  n: number;
  ref: string;
  at: Date;
}

export type KeyedLog = ReturnType<typeof createKeyedLog>;

/**
 * Append-only lists by key (an enterprise's applications, a jurisdiction's certificates, the certificates
 * ending on a day), read newest first. Entries are numbered `<key>#1`, `<key>#2`… so every read and write
 * is an `_id` lookup: the same cost at any size, on FerretDB (which hands only `_id` filters to its
 * backend) and on MongoDB. Entries are written before the record they point to, so a crash leaves at most
 * a reference to nothing, which readers skip; a reference can appear twice after a retry, which readers drop.
 */
export function createKeyedLog(collection: mongo.Collection<mongo.Document>) {
  return {
    /** Appends an entry; `after` is a guess of the highest number (e.g. this process's last), tried first. */
    async append(key: string, ref: string, at: Date = new Date(), after?: number): Promise<number> {
      return claimNext(collection, key, '#', () => ({ ref, at }), after);
    },

    /**
     * An appender for one busy key: the entries this process's writers append meanwhile go in one ordered insert
     * (group commit) instead of racing each other for the next number. It tries the number after its last first,
     * and moves the hint only every `hintEvery`-th number, for readers that remember how far they read.
     */
    grouped(key: string, hintEvery: number): (ref: string, at?: Date) => Promise<number> {
      const queue: { ref: string; at: Date; done: (n: number) => void; fail: (e: unknown) => void }[] = [];
      let last: number | undefined;
      let draining = false;
      const drain = async () => {
        draining = true;
        while (queue.length) {
          const batch = queue.splice(0, 256);
          try {
            const numbers = await claimConsecutive(collection, key, batch.map(({ ref, at }) => ({ ref, at })), last);
            const top = numbers.at(-1)!;
            // The batch's numbers need not be consecutive (another process's claims between them): any multiple among them moves the hint.
            if (numbers.some((n) => n % hintEvery === 0)) await moveHint(collection, idOf(key, '#', 'last'), top);
            last = top;
            batch.forEach((entry, i) => entry.done(numbers[i]));
          } catch (e) {
            // Part of the batch may have landed: its callers fail all the same and their repair logs them again (read twice, harmlessly).
            last = undefined;
            batch.forEach((entry) => entry.fail(e));
          }
        }
        draining = false;
      };
      return (ref, at = new Date()) => new Promise<number>((done, fail) => {
        queue.push({ ref, at, done, fail });
        if (!draining) void drain();
      });
    },

    /**
     * Appends many entries at once (seeding, rebuilding): per key, the highest number is read once and its
     * entries are inserted in one batch after it; a batch that meets a concurrent claim falls back to `append`.
     */
    async appendMany(entries: { key: string; ref: string; at: Date }[]): Promise<void> {
      const byKey = new Map<string, { ref: string; at: Date }[]>();
      for (const e of entries) byKey.set(e.key, [...(byKey.get(e.key) ?? []), { ref: e.ref, at: e.at }]);
      const keys = [...byKey.keys()];
      const tops = await inBatches(keys, 32, (key) => highestClaimed(collection, key, '#'));
      const docs = keys.flatMap((key, i) => byKey.get(key)!.map((e, j) => ({ _id: idOf(key, '#', tops[i] + j + 1), ref: e.ref, at: e.at })));
      const failed = new Set<string>();
      for (let i = 0; i < docs.length; i += 1000) {
        await collection.insertMany(docs.slice(i, i + 1000) as never[], { ordered: false }).catch((e) => {
          if (!(e as { writeErrors?: unknown[] }).writeErrors) throw e;
          for (const w of (e as { writeErrors: { index: number; code: number }[] }).writeErrors) {
            if (w.code !== 11000) throw e;
            failed.add(docs[i + w.index]._id);
          }
        });
      }
      for (const id of failed) {
        const doc = docs.find((d) => d._id === id)!;
        await this.append(id.slice(0, id.lastIndexOf('#')), doc.ref, doc.at);
      }
      await inBatches(keys, 32, (key, i) => moveHint(collection, idOf(key, '#', 'last'), tops[i] + byKey.get(key)!.length));
    },

    /** How many entries the key has. */
    count: (key: string, known?: number): Promise<number> => highestClaimed(collection, key, '#', known),

    /** Entries numbered below `below` (default: all), newest first, at most `limit`. */
    async newest(key: string, limit: number, below?: number): Promise<LogEntry[]> {
      const top = (below ?? (await highestClaimed(collection, key, '#')) + 1) - 1;
      const ids = Array.from({ length: Math.max(0, Math.min(limit, top)) }, (_, i) => idOf(key, '#', top - i));
      const docs = await readByIds<{ _id: string; ref: string; at: Date }>(collection, ids);
      return docs.map((d) => ({ n: Number(d._id.slice(d._id.lastIndexOf('#') + 1)), ref: d.ref, at: d.at }));
    },

    /** Every entry of the key, newest first, in pages; stop reading by leaving the loop. */
    async *walk(key: string, pageSize = 50): AsyncGenerator<LogEntry[]> {
      let below = (await highestClaimed(collection, key, '#')) + 1;
      while (below > 1) {
        const page = await this.newest(key, pageSize, below);
        below = Math.max(1, below - pageSize);
        if (page.length) yield page;
      }
    },
  };
}

/** Runs `fn` over the items, at most `width` at a time, and returns the results in order. */
async function inBatches<T, R>(items: T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  for (let i = 0; i < items.length; i += width) {
    const slice = items.slice(i, i + width);
    (await Promise.all(slice.map((item, j) => fn(item, i + j)))).forEach((r, j) => (results[i + j] = r));
  }
  return results;
}
