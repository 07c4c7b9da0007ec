import { expect } from 'chai';
import Joi from 'joi';
import { setup } from 'xstate';
import { processDefinitions, type ProcessDefinition } from '../machines';
import { statusFromChart } from '../machines/chart-facts';
import type { ProcessContext, ProcessInput, StatusFact } from '../machines/process-types';
import { SUBMITTED } from '../machines/statuses';
import { eventRefusal } from '../src/auth/access-policy';
import { eventLabel, registerEvent, SYSTEM_EVENTS, type EventDefinition } from '../src/events';
import { REVIEWERS } from '../src/events/senders';
import { processGraph } from '../src/processes/process-graph';
import { API_EVENT_TYPES, EVENT_PAYLOADS, parseEventBody } from '../src/use-cases/event-payloads';
import { apiClient, applicationBody } from './helpers/api-client';
import { startTestApp, type TestApp } from './helpers/test-app';

const PLAIN_ITEM = '370000-AQ-XK-004';

// A small event of a small process, added at run time the way a new one is added in src/events and machines/.
const NOTED: StatusFact = { id: 'noted', label: { zh: '已备注', en: 'Noted' }, short: { zh: '已备注', en: 'Noted' } };
const addNote: EventDefinition & { action: NonNullable<EventDefinition['action']> } = {
  type: 'ADD_NOTE',
  label: { zh: '审查人员已备注', en: 'Reviewer added a note' },
  sentBy: REVIEWERS,
  payload: Joi.object({ note: Joi.string().min(1).max(200).required().meta({ 'x-label': { zh: '备注内容', en: 'Note' } }) }),
  records: ({ today }, event) => ({ decision: { outcome: 'approved', on: today, note: String(event.note) } }),
  action: { label: { zh: '添加备注', en: 'Add a note' }, order: 15 },
};
const noteLapsed: EventDefinition = { type: 'NOTE_LAPSED', label: { zh: '备注期限已过', en: 'The note lapsed' } };

const notedMachine = setup({ types: {} as { context: ProcessContext; events: { type: 'ADD_NOTE'; note: string } | { type: 'NOTE_LAPSED' }; input: ProcessInput } }).createMachine({
  id: 'noted-licence',
  context: ({ input }) => ({ ...input, missing: [], extended: false, verificationOverdue: false, certificateNo: null, opinions: {} }),
  initial: 'intake',
  states: {
    intake: { meta: { label: { zh: '受理审查', en: 'Intake' }, status: SUBMITTED }, on: { ADD_NOTE: 'noted', NOTE_LAPSED: 'noted' } },
    noted: { type: 'final', meta: { label: { zh: '已备注', en: 'Noted' }, status: NOTED } },
  },
});
const notedProcess: ProcessDefinition = { id: 'noted-licence', version: 1, machine: notedMachine, statusOf: statusFromChart(notedMachine) };

describe('event definitions: one place per event', function () {
  let app: TestApp;
  const api = apiClient(() => app.url);
  const undo: (() => void)[] = [];
  let restoreItem = () => {};

  before(async () => {
    undo.push(registerEvent(addNote), registerEvent(noteLapsed));
    processDefinitions.push(notedProcess);
    undo.push(() => processDefinitions.splice(processDefinitions.indexOf(notedProcess), 1));
    app = await startTestApp();
    // The item runs the new process for this test's applications only.
    const item = app.runtime.services.catalog.items.find((i) => i.code === PLAIN_ITEM)! as { process: string };
    const before = item.process;
    item.process = notedProcess.id;
    restoreItem = () => void (item.process = before);
  });
  after(async () => {
    restoreItem();
    for (const step of undo.reverse()) step();
    await app?.stop();
  });

  it('when an event is registered, then the validator and the payload map of the API document know it', () => {
    expect(API_EVENT_TYPES).to.include('ADD_NOTE');
    expect(EVENT_PAYLOADS.ADD_NOTE).to.equal(addNote.payload);
    expect(parseEventBody({ type: 'ADD_NOTE', note: '现场照片已补充' }).event).to.deep.equal({ type: 'ADD_NOTE', note: '现场照片已补充' });
    expect(() => parseEventBody({ type: 'ADD_NOTE' })).to.throw(/Invalid ADD_NOTE payload/);
    expect(() => parseEventBody({ type: 'NOTE_LAPSED' })).to.throw(/must be one of/);
  });

  it('when an event is registered, then the API document served by the app describes its body, and not a system event', async () => {
    const document = (await api.get('/api/v1/openapi.json')).body;
    const variant = document.components.schemas.Event_ADD_NOTE;
    expect(variant.required).to.include.members(['type', 'note']);
    expect(variant.properties.type.const ?? variant.properties.type.enum?.[0]).to.equal('ADD_NOTE');
    expect(variant.properties.type.description).to.equal('添加备注 / Add a note');
    expect(document.components.schemas).to.not.have.property('Event_NOTE_LAPSED');
  });

  it('when an event has no sender, then it is a system event with its timeline label, marked so on the process graph', () => {
    expect(SYSTEM_EVENTS.has('NOTE_LAPSED')).to.equal(true);
    expect(SYSTEM_EVENTS.has('ADD_NOTE')).to.equal(false);
    expect(eventLabel('ADD_NOTE')).to.deep.equal(addNote.label);
    const edges = processGraph(notedProcess).edges;
    expect(edges.map((e) => [e.event, e.system, e.label.zh])).to.deep.equal([['ADD_NOTE', false, '审查人员已备注'], ['NOTE_LAPSED', true, '备注期限已过']]);
  });

  it('when the new process runs, then the reviewer is offered the event with its form, the clerk is not, and sending it records status and timeline', async () => {
    const clerk = await api.login('clerk');
    const reviewer = await api.login('reviewer');
    const submitted = await api.post('/api/v1/applications', applicationBody(PLAIN_ITEM), clerk);
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
    expect(submitted.body.processId).to.equal('noted-licence');

    const asClerk = (await api.get(`/api/v1/applications/${submitted.body.id}`, clerk)).body;
    expect(asClerk.allowedEvents).to.deep.equal([]);
    expect(asClerk.actions).to.deep.equal([]);
    const record = (await app.runtime.services.store.get(submitted.body.id))!;
    const claims = (role: 'clerk' | 'reviewer') => ({ kind: 'staff' as const, sub: role, name: role, role, jurisdiction: '370600', exp: 0 });
    expect(eventRefusal(claims('clerk'), record, { type: 'ADD_NOTE' }, app.runtime.services.catalog)).to.equal('ADD_NOTE needs a reviewer role (you are clerk)');
    expect(eventRefusal(claims('reviewer'), record, { type: 'ADD_NOTE' }, app.runtime.services.catalog)).to.equal(null);
    expect(eventRefusal(claims('reviewer'), record, { type: 'NOTE_LAPSED' }, app.runtime.services.catalog)).to.equal('NOTE_LAPSED cannot be sent through the API');

    const asReviewer = (await api.get(`/api/v1/applications/${submitted.body.id}`, reviewer)).body;
    expect(asReviewer.allowedEvents).to.deep.equal(['ADD_NOTE']);
    expect(asReviewer.actions).to.have.length(1);
    expect(asReviewer.actions[0]).to.deep.include({ type: 'ADD_NOTE', label: addNote.action.label, style: 'secondary' });
    expect(asReviewer.actions[0].schema).to.deep.include({ type: 'object', required: ['note'] });
    expect(asReviewer.actions[0].schema.properties.note).to.deep.include({ type: 'string', maxLength: 200, 'x-label': { zh: '备注内容', en: 'Note' } });

    const sent = await api.post(`/api/v1/applications/${submitted.body.id}/events`, { type: 'ADD_NOTE', note: '现场照片已补充' }, reviewer);
    expect(sent.status, JSON.stringify(sent.body)).to.equal(200);
    expect(sent.body).to.deep.include({ status: 'noted', statusLabel: NOTED.label });
    expect(sent.body.timeline.at(-1)).to.deep.include({ event: 'ADD_NOTE', label: addNote.label, note: '现场照片已补充' });
    expect(sent.body.details.decision.note).to.equal('现场照片已补充');
    expect((await api.get('/api/v1/catalog/items')).body.statuses).to.deep.include({ status: 'noted', label: NOTED.label, short: NOTED.short });
  });

  it('when a definition is added twice, then it is refused, so one event keeps one meaning', () => {
    expect(() => registerEvent(addNote)).to.throw(/already defined/);
  });
});
