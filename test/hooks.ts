import { startTestStore, stopAllTestStores } from './helpers/test-store';

/** Root hooks: the embedded test server starts once (building FerretDB on a new machine can take minutes). */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(15 * 60_000);
    const warmUp = await startTestStore();
    await warmUp.stop();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopAllTestStores();
  },
};
