import { expect } from 'chai';
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { getAdjacencyMap, getShortestPaths, type AdjacencyMap, type AdjacencyValue, type StatePath } from 'xstate/graph';
import { processDefinitions, type ProcessDefinition } from '../machines';
import type { PermitEvent, PermitEventType, ProcessContext, ProcessInput } from '../machines/process-types';

// Model-based tests of every registered process definition (ENGINEERING.md, Tests): the whole
// reachable graph is built for each of the 16 catalog flag combinations at each review chain length (1, 2, 3 steps), then checked.

/** The statuses a person may read (README, views); anything else is a mapping bug. */
const DOCUMENTED_STATUSES = new Set([
  'submitted', 'correction_required', 'not_accepted', 'under_review', 'approved', 'denied', 'withdrawn', 'completed',
  'accepted_deficient', 'approved_pending_supplement', 'issued_pending_verification', 'revoked', 'terminated', 'suspended',
]);

/** States in which no decision has been made yet, so the applicant may still withdraw. */
const PRE_DECISION = new Set(['intake', 'correctionRequired', 'review', 'jointReview']);

const promise = { signedBy: '张三', signedAt: '2025-03-03T09:00:00+08:00' };

// The compiler keeps this list complete: a new PermitEvent type without an entry here does not type-check.
const EVENTS_BY_TYPE: { [T in PermitEventType]: Extract<PermitEvent, { type: T }>[] } = {
  ACCEPT: [{ type: 'ACCEPT' }],
  REQUEST_CORRECTION: [{ type: 'REQUEST_CORRECTION', items: [{ material: 'M02', description: '营业执照复印件不清晰' }] }],
  SUBMIT_CORRECTION: [{ type: 'SUBMIT_CORRECTION' }],
  MARK_MATERIAL: [{ type: 'MARK_MATERIAL', material: 'M02', verdict: 'needs_correction', reason: '营业执照复印件不清晰' }],
  REJECT: [{ type: 'REJECT', reason: '不属于本机关职权范围' }],
  APPROVE: [{ type: 'APPROVE', note: '符合条件' }],
  DENY: [{ type: 'DENY', reason: '安全条件不符合要求' }],
  WITHDRAW: [{ type: 'WITHDRAW', reason: '申请人主动撤回' }],
  ACCEPT_WITH_DEFICIENCY: [
    { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M05'], promise },
    // Two owed materials, so a partial supplement is exercised too.
    { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M05', 'M07'], promise },
  ],
  SUPPLEMENT: [
    { type: 'SUPPLEMENT', materials: ['M05'] },
    { type: 'SUPPLEMENT', materials: ['M07'] },
    { type: 'SUPPLEMENT', materials: ['M99'] },
  ],
  ACCEPT_ON_COMMITMENT: [{ type: 'ACCEPT_ON_COMMITMENT', pledge: { textVersion: 'v1', ...promise } }],
  VERIFY_PASSED: [{ type: 'VERIFY_PASSED', method: 'on_site', note: '现场核查一致' }],
  VERIFY_FAILED: [{ type: 'VERIFY_FAILED', findings: '承诺内容与实际不符' }],
  SUSPEND: [{ type: 'SUSPEND', reason: '组织专家评审', expectedWorkingDays: 10 }],
  RESUME: [{ type: 'RESUME' }],
  EXTEND: [{ type: 'EXTEND', reason: '情况复杂，经负责人批准延长' }],
  REVIEW_OPINION: (['city', 'province'] as const).flatMap((level) =>
    (['approve', 'reject', 'return'] as const).map((opinion) => ({ type: 'REVIEW_OPINION' as const, level, opinion, note: `${level} ${opinion}` }))),
  SUBMIT_REWORK: [{ type: 'SUBMIT_REWORK', level: 'city' }, { type: 'SUBMIT_REWORK', level: 'province' }],
  PROPOSE: [{ type: 'PROPOSE', decision: 'approve', opinion: '经审查，符合许可条件' }],
  CHECK: [{ type: 'CHECK', agree: true, note: '同意承办意见' }, { type: 'CHECK', agree: false, note: '安全评价报告结论需复核' }],
  RETURN_TO_HANDLER: [{ type: 'RETURN_TO_HANDLER', reason: '请补充现场核查情况' }],
  ASSIGN: [{ type: 'ASSIGN', handler: 'reviewer' }],
  CONFIRM_DECLARATION: [{ type: 'CONFIRM_DECLARATION', note: '期间未发生死亡事故，遵守法律法规' }],
  REFUSE_DECLARATION: [{ type: 'REFUSE_DECLARATION', reason: '有效期内发生死亡事故' }],
  CERTIFICATE_ISSUED: [{ type: 'CERTIFICATE_ISSUED', certificateNo: '(鲁)WH安经[2025]000001' }],
  DEEMED_ACCEPTED: [{ type: 'DEEMED_ACCEPTED' }],
  CORRECTION_DEADLINE_PASSED: [{ type: 'CORRECTION_DEADLINE_PASSED' }],
  SUPPLEMENT_DEADLINE_PASSED: [{ type: 'SUPPLEMENT_DEADLINE_PASSED' }],
  VERIFICATION_DEADLINE_PASSED: [{ type: 'VERIFICATION_DEADLINE_PASSED' }],
  REQUEST_ASSISTANCE: [{ type: 'REQUEST_ASSISTANCE', department: '烟台市公安局', email: 'psb@example.gov.cn', questions: '核实主要负责人有无违法记录', workingDays: 5 }],
  RECORD_ASSISTANCE: [{ type: 'RECORD_ASSISTANCE', requestId: 'A1', answer: '无违法记录' }],
  REMIND_ASSISTANCE: [{ type: 'REMIND_ASSISTANCE', requestId: 'A1' }],
  WITHDRAW_ASSISTANCE: [{ type: 'WITHDRAW_ASSISTANCE', requestId: 'A1', reason: '已通过数据共享核实' }],
  ASSISTANCE_DEADLINE_PASSED: [{ type: 'ASSISTANCE_DEADLINE_PASSED' }],
  SCHEDULE_INSPECTION: [{ type: 'SCHEDULE_INSPECTION', date: '2025-03-10', place: '仓库', inspectors: ['reviewer', 'clerk'] }],
  RECORD_INSPECTION: [{ type: 'RECORD_INSPECTION', points: [{ code: 'P1', result: 'fail', note: '安全距离不足' }], conclusion: 'fail' }],
  INSPECTION_OVERDUE: [{ type: 'INSPECTION_OVERDUE' }],
};
const EVENTS: PermitEvent[] = Object.values(EVENTS_BY_TYPE).flat();
const ev = <T extends PermitEventType>(type: T, index = 0): PermitEvent => EVENTS_BY_TYPE[type][index] as PermitEvent;
const opinion = (level: 'city' | 'province', verdict: 'approve' | 'reject' | 'return'): PermitEvent =>
  EVENTS.find((e) => e.type === 'REVIEW_OPINION' && e.level === level && e.opinion === verdict)!;
const rework = (level: 'city' | 'province'): PermitEvent => EVENTS.find((e) => e.type === 'SUBMIT_REWORK' && e.level === level)!;
const supplement = (material: string): PermitEvent => EVENTS.find((e) => e.type === 'SUPPLEMENT' && e.materials[0] === material)!;

const FLAGS = ['allowsDeficientAcceptance', 'allowsCommitment', 'jointReview', 'correctionRestartsClock'] as const;
type Flags = Record<(typeof FLAGS)[number], boolean>;
const REVIEW_STEPS = [1, 2, 3];
const INPUTS: ProcessInput[] = REVIEW_STEPS.flatMap((reviewSteps) => Array.from({ length: 2 ** FLAGS.length }, (_, bits) => ({
  ...(Object.fromEntries(FLAGS.map((flag, i) => [flag, (bits & (1 << i)) !== 0])) as Flags),
  correctionDays: 15,
  intakeDays: 5,
  supplementDays: 5,
  verificationDays: 20,
  reviewSteps,
})));
const describeInput = (input: ProcessInput) => [...FLAGS.map((f) => `${f}=${input[f]}`), `reviewSteps=${input.reviewSteps}`].join(' ');

// Only the context that guards read (or that tells states apart for a person) goes into a vertex,
// so the traversal stays finite: certificate numbers and input constants are left out.
const relevantContext = (context: ProcessContext) => ({
  missing: [...context.missing].sort(),
  extended: context.extended,
  verificationOverdue: context.verificationOverdue,
  // The step a suspension comes back to tells two suspended states apart.
  chainStep: context.chainStep ?? null,
  opinions: { city: context.opinions?.city ?? null, province: context.opinions?.province ?? null },
});
const serialize = (snapshot: AnyMachineSnapshot): string =>
  JSON.stringify({ value: snapshot.value, status: snapshot.status, ...relevantContext(snapshot.context as ProcessContext) });

const topState = (value: unknown): string => (typeof value === 'string' ? value : Object.keys(value as object)[0]);
const stateString = (snapshot: AnyMachineSnapshot) => JSON.stringify(snapshot.value);

/** Ids of the state nodes a state value keeps active, e.g. `standard-licence.jointReview.city.returned`. */
function activeNodeIds(rootId: string, value: unknown): string[] {
  if (typeof value === 'string') return [`${rootId}.${value}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, sub]) => [`${rootId}.${key}`, ...activeNodeIds(`${rootId}.${key}`, sub)]);
}

function declaredNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states as Record<string, AnyStateNode>).flatMap(declaredNodes)];
}

/**
 * Steps paths with the pure transition function the way the engine does (it refuses what `can` refuses);
 * paths that share a prefix step it once.
 */
function replayer(machine: AnyStateMachine, input: ProcessInput) {
  const [initial] = initialTransition(machine, input);
  const byPrefix = new Map<string, AnyMachineSnapshot>([['', initial as AnyMachineSnapshot]]);
  return (events: PermitEvent[]): AnyMachineSnapshot => {
    let prefix = '';
    let snapshot = initial as AnyMachineSnapshot;
    for (const event of events) {
      const next = `${prefix}|${JSON.stringify(event)}`;
      let known = byPrefix.get(next);
      if (!known) {
        if (!snapshot.can(event)) throw new Error(`${stateString(snapshot)} does not accept ${event.type} (path: ${events.map((e) => e.type).join(' → ')})`);
        known = transition(machine, snapshot, event)[0] as AnyMachineSnapshot;
        byPrefix.set(next, known);
      }
      prefix = next;
      snapshot = known;
    }
    return snapshot;
  };
}
const run = (machine: AnyStateMachine, input: ProcessInput, events: PermitEvent[]) => replayer(machine, input)(events);

type Edge = { event: PermitEvent; state: AnyMachineSnapshot };
const edgesOf = (vertex: AdjacencyValue<AnyMachineSnapshot, PermitEvent>): Edge[] => Object.values(vertex.transitions) as Edge[];

interface Model {
  definition: ProcessDefinition;
  input: ProcessInput;
  /** Each reachable vertex with the events it accepts and where each leads. */
  adjacency: AdjacencyMap<AnyMachineSnapshot, PermitEvent>;
  /** Vertex → vertices one accepted event away (self-loops excluded). */
  successors: Map<string, Set<string>>;
}

// A machine whose context grows without bound trips this (getAdjacencyMap throws); the standard licence needs under a thousand steps per input.
const TRAVERSAL_LIMIT = 20_000;

// The engine refuses an event the snapshot cannot take (`snapshot.can`), so only accepted events are edges.
const acceptedEvents = (snapshot: AnyMachineSnapshot): PermitEvent[] => EVENTS.filter((e) => snapshot.can(e));
const traversal = (input: ProcessInput) => ({ input, events: acceptedEvents, serializeState: serialize, limit: TRAVERSAL_LIMIT });
const models = new Map<string, Model>();

function modelOf(definition: ProcessDefinition, input: ProcessInput): Model {
  const key = `${definition.id}@${definition.version} ${describeInput(input)}`;
  const cached = models.get(key);
  if (cached) return cached;
  const adjacency = getAdjacencyMap(definition.machine, traversal(input)) as AdjacencyMap<AnyMachineSnapshot, PermitEvent>;
  const successors = new Map<string, Set<string>>();
  for (const [vertex, value] of Object.entries(adjacency)) {
    successors.set(vertex, new Set(edgesOf(value).map((t) => serialize(t.state)).filter((target) => target !== vertex)));
  }
  const model = { definition, input, adjacency, successors };
  models.set(key, model);
  return model;
}

/** Vertices from which some final state can be reached (reverse breadth-first search from the final states). */
function canFinish(model: Model): Set<string> {
  const predecessors = new Map<string, string[]>();
  for (const [from, targets] of model.successors) {
    for (const to of targets) predecessors.set(to, [...(predecessors.get(to) ?? []), from]);
  }
  const finished = Object.entries(model.adjacency).filter(([, v]) => v.state.status === 'done').map(([k]) => k);
  const seen = new Set(finished);
  const queue = [...finished];
  while (queue.length) {
    for (const from of predecessors.get(queue.shift()!) ?? []) {
      if (!seen.has(from)) {
        seen.add(from);
        queue.push(from);
      }
    }
  }
  return seen;
}

const describePath = (path: StatePath<AnyMachineSnapshot, PermitEvent>) =>
  path.steps.filter((s) => !s.event.type.startsWith('xstate.')).map((s) => (s.event.type === 'REVIEW_OPINION' ? `${s.event.type}(${s.event.level},${s.event.opinion})` : s.event.type)).join(' → ');

/** Every reachable snapshot of every input, with the input it was reached under. */
function* reachable(definition: ProcessDefinition) {
  for (const input of INPUTS) {
    for (const { state } of Object.values(modelOf(definition, input).adjacency)) yield { input, snapshot: state };
  }
}

for (const definition of processDefinitions) {
  const { machine } = definition;
  const name = `${definition.id} v${definition.version}`;

  describe(`${name} statechart (model-based)`, () => {
    it('when the event list is built, then it has at least one payload for every PermitEvent type', () => {
      const types = new Set(EVENTS.map((e) => e.type));
      expect([...types].sort()).to.deep.equal(Object.keys(EVENTS_BY_TYPE).sort());
      for (const [type, events] of Object.entries(EVENTS_BY_TYPE)) expect(events.length, type).to.be.greaterThan(0);
    });

    it('when the graph is traversed for each of the 16 catalog flag combinations at each chain length, then it stays finite and reaches a final state', () => {
      for (const input of INPUTS) {
        const model = modelOf(definition, input);
        const vertices = Object.values(model.adjacency);
        expect(vertices.length, describeInput(input)).to.be.greaterThan(1).and.lessThan(TRAVERSAL_LIMIT);
        expect(vertices.some((v) => v.state.status === 'done'), describeInput(input)).to.equal(true);
      }
    });

    it('when any reachable state is taken, then some sequence of accepted events leads from it to a final state (no dead ends, no trap cycles)', () => {
      const failures: string[] = [];
      for (const input of INPUTS) {
        const model = modelOf(definition, input);
        const finishing = canFinish(model);
        for (const [vertex, value] of Object.entries(model.adjacency)) {
          if (value.state.status === 'done') continue;
          const accepted = [...new Set(edgesOf(value).map((t) => t.event.type))];
          if (accepted.length === 0) failures.push(`dead end ${vertex} under ${describeInput(input)}: no event is accepted`);
          else if (!finishing.has(vertex)) failures.push(`trap ${vertex} under ${describeInput(input)}: accepts ${accepted.join(', ')} but can never finish`);
        }
      }
      expect(failures.length, failures.join('\n')).to.equal(0);
    });

    it('when a final state is reached, then it accepts no event and never changes', () => {
      for (const { input, snapshot } of reachable(definition)) {
        if (snapshot.status !== 'done') continue;
        expect(acceptedEvents(snapshot).map((e) => e.type), `${stateString(snapshot)} under ${describeInput(input)}`).to.deep.equal([]);
        expect(serialize(transition(machine, snapshot, ev('WITHDRAW'))[0])).to.equal(serialize(snapshot));
      }
    });

    // Simple-path enumeration grew exponentially with the chart (minutes), so every path is checked through the adjacency map above and shortest paths are replayed here.
    it('when shortest paths to final states are generated, then replaying each with the pure transition ends with status done', () => {
      const toState = (s: AnyMachineSnapshot) => s.status === 'done';
      for (const input of INPUTS) {
        const options = { ...traversal(input), toState };
        const shortest = getShortestPaths(machine, options) as StatePath<AnyMachineSnapshot, PermitEvent>[];
        const finals = Object.entries(modelOf(definition, input).adjacency).filter(([, v]) => v.state.status === 'done').map(([k]) => k);
        expect(new Set(shortest.map((p) => serialize(p.state))), `shortest paths reach every final state under ${describeInput(input)}`).to.deep.equal(new Set(finals));
        const replay = replayer(machine, input);
        for (const path of shortest) {
          const where = `${describePath(path)} under ${describeInput(input)}`;
          const end = replay(path.steps.map((s) => s.event).filter((e) => !e.type.startsWith('xstate.')));
          expect(end.status, where).to.equal('done');
          expect(serialize(end), where).to.equal(serialize(path.state));
        }
      }
    });

    it('when a reachable state is saved and reloaded with resolveState, then it accepts the same events and reaches the same states', () => {
      for (const input of INPUTS) {
        for (const [vertex, value] of Object.entries(modelOf(definition, input).adjacency)) {
          const { state } = value;
          const persisted = JSON.parse(JSON.stringify(machine.getPersistedSnapshot(state)));
          const reloaded = machine.resolveState(persisted);
          expect(serialize(reloaded), vertex).to.equal(vertex);
          expect(acceptedEvents(reloaded), vertex).to.deep.equal(acceptedEvents(state));
          for (const { event, state: expected } of edgesOf(value)) {
            expect(serialize(transition(machine, reloaded, event)[0]), `${vertex} ${JSON.stringify(event)}`).to.equal(serialize(expected));
          }
        }
      }
    });

    it('when every input combination is traversed, then every state node declared in the chart is entered at least once (no dead code)', () => {
      const entered = new Set<string>();
      for (const { snapshot } of reachable(definition)) {
        entered.add(machine.root.id);
        for (const id of activeNodeIds(machine.root.id, snapshot.value)) entered.add(id);
      }
      const declared = declaredNodes(machine.root).map((n) => n.id);
      expect(declared.filter((id) => !entered.has(id)), 'declared but never entered').to.deep.equal([]);
      expect([...entered].filter((id) => !declared.includes(id)), 'entered but not declared').to.deep.equal([]);
    });

    it('when statusOf reads any reachable state, then it returns a documented status', () => {
      const undocumented = new Set<string>();
      for (const { snapshot } of reachable(definition)) {
        const status = definition.statusOf(snapshot.value, snapshot.context as never);
        if (!DOCUMENTED_STATUSES.has(status)) undocumented.add(`${status} for ${serialize(snapshot)}`);
      }
      expect([...undocumented]).to.deep.equal([]);
    });

    it('when a state is before the decision, then WITHDRAW ends the process as withdrawn; after the decision WITHDRAW is refused', () => {
      const failures: string[] = [];
      for (const { input, snapshot } of reachable(definition)) {
        const preDecision = PRE_DECISION.has(topState(snapshot.value));
        const withdraw = ev('WITHDRAW');
        if (preDecision !== snapshot.can(withdraw)) failures.push(`${serialize(snapshot)} under ${describeInput(input)}: can(WITHDRAW) is ${!preDecision}`);
        const [next] = transition(machine, snapshot, withdraw);
        if (preDecision && (next.value !== 'withdrawn' || next.status !== 'done')) failures.push(`${serialize(snapshot)}: WITHDRAW led to ${serialize(next)}`);
        if (!preDecision && serialize(next) !== serialize(snapshot)) failures.push(`${serialize(snapshot)}: WITHDRAW after the decision changed it to ${serialize(next)}`);
      }
      expect(failures.length, failures.join('\n')).to.equal(0);
    });

    it('when the applicant withdraws along named paths, then it succeeds before the decision and is refused after it', () => {
      const all: ProcessInput = { ...INPUTS.filter((i) => i.reviewSteps === 1).at(-1)!, jointReview: false };
      const joint: ProcessInput = { ...all, jointReview: true };
      const before: [ProcessInput, PermitEvent[]][] = [
        [all, []],
        [all, [ev('REQUEST_CORRECTION')]],
        [all, [ev('REQUEST_CORRECTION'), ev('SUBMIT_CORRECTION')]],
        [all, [ev('ACCEPT')]],
        [all, [ev('ACCEPT'), ev('SUSPEND')]],
        [all, [ev('ACCEPT'), ev('EXTEND')]],
        [all, [ev('ACCEPT_WITH_DEFICIENCY')]],
        [joint, [ev('ACCEPT')]],
        [joint, [ev('ACCEPT'), opinion('city', 'approve')]],
        [joint, [ev('ACCEPT'), opinion('province', 'return')]],
        [joint, [ev('ACCEPT'), opinion('city', 'return'), rework('city'), opinion('province', 'approve')]],
      ];
      for (const [input, path] of before) {
        const end = transition(machine, run(machine, input, path), ev('WITHDRAW'))[0];
        expect(end.value, path.map((e) => e.type).join(' → ')).to.equal('withdrawn');
      }
      const after: [ProcessInput, PermitEvent[]][] = [
        [all, [ev('ACCEPT'), ev('APPROVE')]],
        [all, [ev('ACCEPT_WITH_DEFICIENCY'), ev('APPROVE')]],
        [all, [ev('ACCEPT_ON_COMMITMENT')]],
        [all, [ev('ACCEPT'), ev('DENY')]],
        [all, [ev('REJECT')]],
        [joint, [ev('ACCEPT'), opinion('city', 'approve'), opinion('province', 'approve')]],
        [joint, [ev('ACCEPT'), opinion('city', 'reject')]],
      ];
      for (const [input, path] of after) {
        expect(run(machine, input, path).can(ev('WITHDRAW')), path.map((e) => e.type).join(' → ')).to.equal(false);
      }
    });

    it('when EXTEND has been accepted once, then it is refused for the rest of the process, also after a suspension', () => {
      const input = INPUTS[0];
      const accepted = run(machine, input, [ev('ACCEPT')]);
      expect(accepted.can(ev('EXTEND'))).to.equal(true);
      const extended = run(machine, input, [ev('ACCEPT'), ev('EXTEND')]);
      expect(extended.context.extended).to.equal(true);
      expect(extended.can(ev('EXTEND'))).to.equal(false);
      expect(run(machine, input, [ev('ACCEPT'), ev('EXTEND'), ev('SUSPEND'), ev('RESUME')]).can(ev('EXTEND'))).to.equal(false);

      const failures: string[] = [];
      for (const { input: each, snapshot } of reachable(definition)) {
        if (snapshot.context.extended && snapshot.can(ev('EXTEND'))) failures.push(`${serialize(snapshot)} under ${describeInput(each)} accepts a second EXTEND`);
      }
      expect(failures.length, failures.join('\n')).to.equal(0);
    });

    it('when the missing material has been supplied, then SUPPLEMENT_DEADLINE_PASSED is refused and changes nothing', () => {
      const input = INPUTS.find((i) => i.allowsDeficientAcceptance && !i.jointReview)!;
      const deadline = ev('SUPPLEMENT_DEADLINE_PASSED');
      const inReview = run(machine, input, [ev('ACCEPT_WITH_DEFICIENCY'), supplement('M05')]);
      expect(inReview.value).to.deep.equal({ review: 'active' });
      expect(inReview.context.missing).to.deep.equal([]);
      expect(inReview.can(deadline)).to.equal(false);
      expect(serialize(transition(machine, inReview, deadline)[0])).to.equal(serialize(inReview));

      const approved = run(machine, input, [ev('ACCEPT_WITH_DEFICIENCY'), ev('APPROVE'), supplement('M05')]);
      expect(approved.value).to.equal('approved');
      expect(approved.can(deadline)).to.equal(false);
      expect(serialize(transition(machine, approved, deadline)[0])).to.equal(serialize(approved));

      // Contrast: an unrelated supplement leaves M05 owed, so the deadline terminates the application.
      const unrelated = run(machine, input, [ev('ACCEPT_WITH_DEFICIENCY'), supplement('M99'), deadline]);
      expect(unrelated.value).to.equal('terminated');

      const failures: string[] = [];
      for (const { input: each, snapshot } of reachable(definition)) {
        if (snapshot.context.missing.length === 0 && snapshot.can(deadline)) failures.push(`${serialize(snapshot)} under ${describeInput(each)}`);
      }
      expect(failures.length, failures.join('\n')).to.equal(0);
    });

    it('when an item requires joint review, then it is approved only after both the city and the province approved (jointJoinRule all_approve)', () => {
      const failures = new Map<string, string>();
      for (const input of INPUTS.filter((i) => i.jointReview)) {
        const shortest = getShortestPaths(machine, traversal(input)) as StatePath<AnyMachineSnapshot, PermitEvent>[];
        const approvals = shortest.filter((p) => ['approved', 'approvedPendingSupplement'].includes(topState(p.state.value)));
        expect(approvals.length, `no approval reachable under ${describeInput(input)}`).to.be.greaterThan(0);
        for (const path of approvals.sort((a, b) => a.weight - b.weight)) {
          const { opinions } = path.state.context as ProcessContext;
          const key = `${stateString(path.state)} under ${describeInput(input)}`;
          if ((opinions.city?.opinion !== 'approve' || opinions.province?.opinion !== 'approve') && !failures.has(key)) {
            failures.set(key, `${key} with opinions ${JSON.stringify(opinions)}, e.g. ${describePath(path)}`);
          }
        }
      }
      expect(failures.size, [...failures.values()].join('\n')).to.equal(0);
    });

    it('when 部门协查 or 现场核查 events are accepted in any reachable state, then they only act (the state stays) and only in review, joint review or 告知承诺 verification', () => {
      const OWN = ['REQUEST_ASSISTANCE', 'RECORD_ASSISTANCE', 'REMIND_ASSISTANCE', 'WITHDRAW_ASSISTANCE', 'ASSISTANCE_DEADLINE_PASSED', 'SCHEDULE_INSPECTION', 'RECORD_INSPECTION', 'INSPECTION_OVERDUE'] as const;
      const failures: string[] = [];
      let accepted = 0;
      for (const { input: each, snapshot } of reachable(definition)) {
        for (const type of OWN) {
          const event = ev(type);
          if (!snapshot.can(event)) continue;
          accepted++;
          const top = topState(snapshot.value);
          const inspectionOnly = top === 'issuedPendingVerification';
          if (!['review', 'jointReview'].includes(top) && !(inspectionOnly && ['SCHEDULE_INSPECTION', 'RECORD_INSPECTION', 'INSPECTION_OVERDUE'].includes(type))) failures.push(`${type} accepted in ${stateString(snapshot)} under ${describeInput(each)}`);
          const [next] = transition(machine, snapshot, event);
          if (JSON.stringify(next.value) !== JSON.stringify(snapshot.value)) failures.push(`${type} moved ${stateString(snapshot)} to ${stateString(next)}`);
        }
      }
      expect(accepted).to.be.greaterThan(0);
      expect(failures.length, failures.join('\n')).to.equal(0);
    });

    it('when the item excludes 协查 and inspection time, then the decision clock pauses while any is open and resumes only when the last closes (never inside 特别程序, nor by RESUME while one is open)', () => {
      const types = (actions: { type: string }[]) => actions.map((a) => a.type).filter((t) => t.endsWith('Clock'));
      const excluded: ProcessInput = { ...INPUTS[0], assistanceExcluded: true, inspectionExcluded: true };
      const [initial] = initialTransition(machine, excluded);
      const step = (snapshot: AnyMachineSnapshot, event: PermitEvent) => transition(machine, snapshot, event) as unknown as [AnyMachineSnapshot, { type: string; params?: any }[]];
      const [review] = step(initial as AnyMachineSnapshot, ev('ACCEPT'));
      const [one, a1] = step(review, ev('REQUEST_ASSISTANCE'));
      expect(types(a1)).to.deep.equal(['pauseClock']);
      expect(a1.find((a) => a.type === 'startTimer')!.params).to.include({ name: 'assistance-A1', event: 'ASSISTANCE_DEADLINE_PASSED', days: 5 });
      expect(a1.find((a) => a.type === 'mailDepartment')!.params).to.deep.equal({ requestId: 'A1', kind: 'request' });
      const [two, a2] = step(one, ev('REQUEST_ASSISTANCE'));
      expect(a2.find((a) => a.type === 'startTimer')!.params).to.include({ name: 'assistance-A2' });
      const [inspecting] = step(two, ev('SCHEDULE_INSPECTION'));
      // A1 answered: A2 and the inspection still keep the clock paused.
      const [left, r1] = step(inspecting, ev('RECORD_ASSISTANCE'));
      expect(types(r1)).to.deep.equal([]);
      expect(r1.find((a) => a.type === 'cancelTimer')!.params).to.deep.equal({ name: 'assistance-A1' });
      const [noInspection, r2] = step(left, ev('RECORD_INSPECTION'));
      expect(types(r2)).to.deep.equal([]);
      const [, r3] = step(noInspection, { type: 'WITHDRAW_ASSISTANCE', requestId: 'A2', reason: 'x' });
      expect(types(r3)).to.deep.equal(['resumeClock']);
      // Inside 特别程序 the last answer leaves the clock to RESUME.
      const [suspended] = step(one, ev('SUSPEND'));
      const [answeredInside, inside] = step(suspended, ev('RECORD_ASSISTANCE'));
      expect(types(inside)).to.deep.equal([]);
      expect(types(step(answeredInside, ev('RESUME'))[1])).to.deep.equal(['resumeClock']);
      // RESUME while the excluded request is still open leaves the clock paused; the answer resumes it.
      const [resumedOpen, held] = step(suspended, ev('RESUME'));
      expect(types(held)).to.deep.equal([]);
      expect(types(step(resumedOpen, ev('RECORD_ASSISTANCE'))[1])).to.deep.equal(['resumeClock']);
      // Counted time: no pause at all.
      const [countedReview] = step(initialTransition(machine, INPUTS[0])[0] as AnyMachineSnapshot, ev('ACCEPT'));
      expect(types(step(countedReview, ev('REQUEST_ASSISTANCE'))[1])).to.deep.equal([]);
      expect(types(step(countedReview, ev('SCHEDULE_INSPECTION'))[1])).to.deep.equal([]);
    });
  });
}

// 承办 → 审核 → 签发 (issue 15): the chain's states, read off the same reachable graphs.
const chainStep = (snapshot: AnyMachineSnapshot): string | null => {
  const review = (snapshot.value as { review?: unknown }).review;
  return review && typeof review === 'object' && 'chain' in review ? String((review as { chain: string }).chain) : null;
};
const STEP_ACCEPTS: Record<string, string[]> = { handling: ['PROPOSE'], checking: ['CHECK'], signing: ['APPROVE', 'DENY', 'RETURN_TO_HANDLER'] };
const DECISION_EVENTS = ['PROPOSE', 'CHECK', 'RETURN_TO_HANDLER', 'APPROVE', 'DENY'];

for (const definition of processDefinitions) {
  const { machine } = definition;
  describe(`${definition.id} v${definition.version} review chain (model-based)`, () => {
    it('when an item has one step, then no reachable state is in the chain; with 2 or 3 steps, none waits in review.active', () => {
      const failures: string[] = [];
      for (const { input, snapshot } of reachable(definition)) {
        const review = (snapshot.value as { review?: unknown }).review;
        if (input.reviewSteps === 1 && chainStep(snapshot)) failures.push(`${serialize(snapshot)} under ${describeInput(input)}`);
        if (input.reviewSteps! > 1 && review === 'active') failures.push(`${serialize(snapshot)} waits in review.active under ${describeInput(input)}`);
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });

    it('when a chain step is in hand, then it takes exactly its own decision events (the handler proposes, the chief checks, the leader decides or returns)', () => {
      const failures: string[] = [];
      for (const { input, snapshot } of reachable(definition)) {
        const step = chainStep(snapshot);
        if (!step) continue;
        const taken = [...new Set(acceptedEvents(snapshot).map((e) => e.type))].filter((t) => DECISION_EVENTS.includes(t)).sort();
        if (JSON.stringify(taken) !== JSON.stringify([...STEP_ACCEPTS[step]].sort())) failures.push(`${step} accepts ${taken.join(', ')} under ${describeInput(input)}`);
        if (!snapshot.can(ev('ASSIGN'))) failures.push(`${step} refuses ASSIGN under ${describeInput(input)}`);
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });

    it('when each step acts, then a proposal goes to the chief at 3 steps and to the leader at 2, a disagreement or a return goes back to the handler', () => {
      const failures: string[] = [];
      for (const input of INPUTS.filter((i) => i.reviewSteps! > 1)) {
        for (const value of Object.values(modelOf(definition, input).adjacency)) {
          const from = chainStep(value.state);
          if (!from) continue;
          for (const { event, state } of edgesOf(value)) {
            const expected = event.type === 'PROPOSE' ? (input.reviewSteps === 3 ? 'checking' : 'signing')
              : event.type === 'CHECK' ? (event.agree ? 'signing' : 'handling')
                : event.type === 'RETURN_TO_HANDLER' ? 'handling' : undefined;
            if (expected && chainStep(state) !== expected) failures.push(`${from} ${JSON.stringify(event)} → ${serialize(state)} under ${describeInput(input)}`);
            if ((event.type === 'APPROVE' || event.type === 'DENY') && !['approved', 'approvedPendingSupplement', 'denied'].includes(topState(state.value))) {
              failures.push(`${from} ${event.type} → ${serialize(state)} under ${describeInput(input)}`);
            }
          }
        }
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });

    it('when a chained item is decided, then every path there went through a proposal, at 3 steps an agreeing check, and the leader\'s decision at signing', () => {
      const failures: string[] = [];
      for (const input of INPUTS.filter((i) => i.reviewSteps! > 1)) {
        const shortest = getShortestPaths(machine, traversal(input)) as StatePath<AnyMachineSnapshot, PermitEvent>[];
        for (const path of shortest.filter((p) => ['approved', 'approvedPendingSupplement'].includes(topState(p.state.value)))) {
          const events = path.steps.map((s) => s.event);
          const proposed = events.findIndex((e) => e.type === 'PROPOSE');
          const checked = events.findIndex((e) => e.type === 'CHECK' && e.agree);
          const decided = events.findIndex((e) => e.type === 'APPROVE');
          if (proposed < 0 || decided < proposed || (input.reviewSteps === 3 && !(proposed < checked && checked < decided))) failures.push(`${describePath(path)} under ${describeInput(input)}`);
        }
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });

    it('when a step is suspended and resumed, then the chain comes back to the step it left, whose clock continues before its entry would start it', () => {
      const input = INPUTS.find((i) => i.reviewSteps === 3 && !i.jointReview && !i.allowsDeficientAcceptance)!;
      const base = [ev('ACCEPT')];
      for (const [path, step] of [[[], 'handling'], [[ev('PROPOSE')], 'checking'], [[ev('PROPOSE'), ev('CHECK', 0)], 'signing']] as const) {
        const suspended = run(machine, input, [...base, ...path, ev('SUSPEND')]);
        const [resumed, actions] = transition(machine, suspended, ev('RESUME')) as unknown as [AnyMachineSnapshot, { type: string; params?: { clock?: string } }[]];
        expect(chainStep(resumed), step).to.equal(step);
        const clockActions = actions.filter((a) => a.type.endsWith('Clock')).map((a) => `${a.type}:${a.params?.clock ?? 'decision'}`);
        expect(clockActions, step).to.deep.equal(['resumeClock:decision', `continueClock:${step}`, `startClock:${step}`]);
      }
    });

    it('when a joint-review item has a chain, then both approvals hand the joined opinions to the city handler, and a rejection still denies', () => {
      for (const reviewSteps of [2, 3]) {
        const input = INPUTS.find((i) => i.reviewSteps === reviewSteps && i.jointReview && !i.allowsDeficientAcceptance)!;
        const joined = run(machine, input, [ev('ACCEPT'), opinion('city', 'approve'), opinion('province', 'approve')]);
        expect(chainStep(joined)).to.equal('handling');
        expect((joined.context as ProcessContext).opinions).to.have.keys('city', 'province');
        expect(run(machine, input, [ev('ACCEPT'), opinion('province', 'reject')]).value).to.equal('denied');
      }
    });
  });
}
