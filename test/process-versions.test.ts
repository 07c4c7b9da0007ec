import { expect } from 'chai';
import { createMachine } from 'xstate';
import { processDefinitions, type ProcessDefinition } from '../machines';
import { createPermitEngine } from '../src/engine/permit-engine';
import { SYSTEM_ACTOR } from '../src/engine/system-actor';
import { submitApplication } from '../src/use-cases/submit-application';
import { applicationBody } from './helpers/api-client';
import { startTestApp, type TestApp } from './helpers/test-app';

describe('process definitions are versioned', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.stop());

  it('when version 2 of a process is released, then running applications stay on version 1 and new ones start on version 2', async () => {
    const services = app.runtime.services;
    const clerk = { kind: 'staff' as const, id: 'clerk', name: 'clerk', role: 'clerk', jurisdiction: '370600' };
    const { application: running } = await submitApplication(services, applicationBody('370000-AQ-XK-004') as never, clerk);
    expect(running.machineVersion).to.equal(1);

    // A deliberately different version 2: acceptance ends the process at once.
    const v1 = processDefinitions.find((d) => d.id === 'standard-licence')!;
    const v2: ProcessDefinition = {
      id: 'standard-licence',
      version: 2,
      machine: createMachine({ id: 'standard-licence', initial: 'intake', states: { intake: { on: { ACCEPT: 'closed' } }, closed: { type: 'final' } } }),
      statusOf: (value) => (value === 'intake' ? 'submitted' : 'completed'),
    };
    const engine = createPermitEngine({ store: services.store, calendar: services.calendar, itemOf: services.itemOf, now: services.now, definitions: [v1, v2] });

    const fresh = await engine.start({ ...running, id: `${running.id}-v2`, applicationNo: `${running.applicationNo}-V2` }, services.itemOf(running.itemCode), SYSTEM_ACTOR);
    expect(fresh.machineVersion).to.equal(2);
    expect((await engine.apply(fresh, { type: 'ACCEPT' }, SYSTEM_ACTOR)).state).to.equal('closed');

    const old = (await services.store.get(running.id))!;
    const accepted = await engine.apply(old, { type: 'ACCEPT' }, SYSTEM_ACTOR);
    expect(accepted.machineVersion).to.equal(1);
    expect(accepted.state).to.equal('review.active');
    expect((await services.store.get(running.id))!).to.include({ machineVersion: 1, state: 'review.active', version: 2 });
  });
});
