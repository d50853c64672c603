import { describe, expect, it } from 'vitest';
import type { FlowGraph } from '../api/workflow';
import {
  addCondition,
  addExit,
  addStep,
  assigneeOfKind,
  autoLayout,
  connect,
  diagramEdges,
  emptyModel,
  END,
  END_NODE,
  endPosition,
  fromGraph,
  moveExit,
  placeErrors,
  removeExit,
  removeStep,
  setExitTarget,
  setStart,
  stepStates,
  toGraph,
  updateCondition,
  updateStep,
} from './flowGraph';

const GRAPH: FlowGraph = {
  start: 'first',
  steps: [
    {
      key: 'first',
      name: '初审',
      assignee: { kind: 'role', roleId: 3 },
      next: [
        { to: 'committee', when: [{ fact: 'amount', op: 'gt', values: ['1000000'] }] },
        { to: 'end', when: [] },
      ],
      position: { x: 10, y: 20 },
    },
    { key: 'committee', name: '贷审会', assignee: { kind: 'users', userIds: [7, 8] }, next: [{ to: 'end', when: [] }] },
  ],
};

const byKey = (m: ReturnType<typeof fromGraph>, key: string) => m.steps.find((s) => s.key === key)!;

describe('graph ⇄ editor model', () => {
  it('round-trips a graph: same steps, exits, conditions and start; positions become whole pixels', () => {
    const back = toGraph(fromGraph(GRAPH));
    expect(back.start).toBe('first');
    expect(back.steps.map((s) => s.key)).toEqual(['first', 'committee']);
    expect(back.steps[0].next).toEqual(GRAPH.steps[0].next);
    expect(back.steps[1].assignee).toEqual({ kind: 'users', userIds: [7, 8] });
    expect(back.steps[0].position).toEqual({ x: 10, y: 20 });
    // The step saved without a position gets one from the layout, one column right of the start.
    expect(back.steps[1].position!.x).toBeGreaterThan(back.steps[0].position!.x);
  });

  it('keeps arrows when a step is renamed: exits follow the step, not its old key', () => {
    let m = fromGraph(GRAPH);
    m = updateStep(m, byKey(m, 'committee').id, { key: 'board', name: '董事会' });
    const g = toGraph(m);
    expect(g.steps[0].next[0].to).toBe('board');
    expect(g.steps[1].key).toBe('board');
  });

  it('lays out steps without positions in columns by distance from the start', () => {
    const layout = autoLayout({
      start: 'a',
      steps: [
        { key: 'c', name: 'C', assignee: { kind: 'role', roleId: 1 }, next: [{ to: 'end' }] },
        { key: 'a', name: 'A', assignee: { kind: 'role', roleId: 1 }, next: [{ to: 'b', when: [{ fact: 'riskGrade', op: 'in', values: ['C'] }] }, { to: 'c' }] },
        { key: 'b', name: 'B', assignee: { kind: 'role', roleId: 1 }, next: [{ to: 'end' }] },
      ],
    });
    expect(layout.get('a')!.x).toBeLessThan(layout.get('b')!.x);
    expect(layout.get('b')!.x).toBe(layout.get('c')!.x);
    expect(layout.get('b')!.y).not.toBe(layout.get('c')!.y);
  });
});

describe('editing', () => {
  it('makes the first step added the start, ending the flow, with a key of its own', () => {
    const { model, id } = addStep(emptyModel(), '风控审核');
    expect(model.startId).toBe(id);
    const g = toGraph(model);
    expect(g).toMatchObject({ start: 'step1', steps: [{ key: 'step1', name: '风控审核', next: [{ to: END, when: [] }] }] });
    const second = addStep(model, '复审');
    expect(second.model.startId).toBe(id);
    expect(toGraph(second.model).steps[1].key).toBe('step2');
    // Drawn right of the first one, and the end node right of both.
    const [a, b] = second.model.steps;
    expect(b.position.x).toBeGreaterThan(a.position.x);
    expect(endPosition(second.model).x).toBeGreaterThan(b.position.x);
  });

  it('puts a new exit before the default one, with a condition to fill in', () => {
    let m = fromGraph(GRAPH);
    const first = byKey(m, 'first');
    const committee = byKey(m, 'committee');
    const added = addExit(m, committee.id, END);
    // committee had one exit (its default): the new one goes first, conditional.
    expect(toGraph(added.model).steps[1].next).toEqual([
      { to: END, when: [{ fact: 'amount', op: 'gt', values: [''] }] },
      { to: END, when: [] },
    ]);
    // The same arrow drawn twice is the same exit.
    m = added.model;
    const again = connect(m, first.id, committee.id)!;
    expect(again.model).toBe(m);
    expect(again.exitId).toBe(first.exits[0].id);
    expect(connect(m, first.id, first.id)).toBeNull();
    expect(toGraph(connect(m, committee.id, END_NODE)!.model).steps[1].next).toHaveLength(2);
  });

  it('reorders, retargets and removes exits', () => {
    let m = fromGraph(GRAPH);
    const first = byKey(m, 'first');
    m = moveExit(m, first.id, first.exits[0].id, 1);
    expect(toGraph(m).steps[0].next.map((e) => e.to)).toEqual(['end', 'committee']);
    // Moving past the end changes nothing.
    expect(moveExit(m, first.id, first.exits[0].id, 1)).toEqual(m);
    m = setExitTarget(m, first.id, first.exits[0].id, END);
    expect(toGraph(m).steps[0].next.map((e) => e.to)).toEqual(['end', 'end']);
    m = removeExit(m, first.id, first.exits[1].id);
    expect(toGraph(m).steps[0].next).toEqual([{ to: 'end', when: [{ fact: 'amount', op: 'gt', values: ['1000000'] }] }]);
  });

  it('removing a step drops the arrows into it and hands the start on', () => {
    let m = fromGraph(GRAPH);
    m = removeStep(m, byKey(m, 'committee').id);
    expect(toGraph(m).steps[0].next).toEqual([{ to: 'end', when: [] }]);
    m = removeStep(m, byKey(m, 'first').id);
    expect(m).toEqual({ startId: null, steps: [] });
    // A step whose only exit led to the removed step ends the flow instead.
    const g: FlowGraph = {
      start: 'a',
      steps: [
        { key: 'a', name: 'A', assignee: { kind: 'role', roleId: 1 }, next: [{ to: 'b' }] },
        { key: 'b', name: 'B', assignee: { kind: 'role', roleId: 1 }, next: [{ to: 'end' }] },
      ],
    };
    let n = fromGraph(g);
    n = removeStep(n, byKey(n, 'b').id);
    expect(toGraph(n).steps[0].next).toEqual([{ to: 'end', when: [] }]);
    n = fromGraph(g);
    n = setStart(n, byKey(n, 'b').id);
    n = removeStep(n, byKey(n, 'b').id);
    expect(toGraph(n).start).toBe('a');
  });

  it('keeps conditions the server takes while they are edited', () => {
    let m = fromGraph(GRAPH);
    const first = byKey(m, 'first');
    const exit = first.exits[0].id;
    // Risk grade cannot be "greater than": the operator falls back to equality.
    m = updateCondition(m, first.id, exit, 0, { fact: 'riskGrade' });
    expect(toGraph(m).steps[0].next[0].when).toEqual([{ fact: 'riskGrade', op: 'eq', values: ['1000000'] }]);
    m = updateCondition(m, first.id, exit, 0, { op: 'in', values: ['C', 'D'] });
    expect(toGraph(m).steps[0].next[0].when![0]).toEqual({ fact: 'riskGrade', op: 'in', values: ['C', 'D'] });
    // Back to one value: the first is kept.
    m = updateCondition(m, first.id, exit, 0, { op: 'ne' });
    expect(toGraph(m).steps[0].next[0].when![0].values).toEqual(['C']);
    m = addCondition(m, first.id, exit);
    m = updateCondition(m, first.id, exit, 1, { fact: 'termMonths', op: 'gte', values: ['36'] });
    expect(toGraph(m).steps[0].next[0].when).toEqual([
      { fact: 'riskGrade', op: 'ne', values: ['C'] },
      { fact: 'termMonths', op: 'gte', values: ['36'] },
    ]);
  });

  it('starts the assignee afresh when its kind changes', () => {
    expect(assigneeOfKind('users', { kind: 'role', roleId: 4 })).toEqual({ kind: 'users', userIds: [] });
    expect(assigneeOfKind('role', { kind: 'role', roleId: 4 })).toEqual({ kind: 'role', roleId: 4 });
    expect(assigneeOfKind('position', { kind: 'users', userIds: [1] })).toEqual({ kind: 'position', positionId: 0 });
  });
});

describe('placeErrors', () => {
  it('puts each server error on the step, exit and condition it names', () => {
    const m = fromGraph(GRAPH);
    const [first, committee] = m.steps;
    const issues = placeErrors(
      [
        { field: 'graph.steps[1].next[0].when[0].values[0]', code: 'invalid_value', message: 'expected an amount' },
        { field: 'graph.steps[0].next[1].when', code: 'needs_default', message: '' },
        { field: 'graph.steps[0].next[0].to', code: 'unknown_step', message: '' },
        { field: 'graph.steps[1]', code: 'unreachable', message: 'no path' },
        { field: 'graph.steps[0].assignee.roleId', code: 'unknown_assignee', message: '' },
        { field: 'graph.steps[0].key', code: 'duplicate', message: '' },
        { field: 'graph.steps[0].next', code: 'cycle', message: '' },
        { field: 'graph.start', code: 'unknown_step', message: '' },
        { field: 'name', code: 'required', message: '' },
      ],
      m,
    );
    expect(issues).toEqual([
      // committee has only one exit, so the first condition of its exit 0 is its own.
      { stepId: committee.id, exitId: committee.exits[0].id, field: 'when[0]', code: 'invalid_value', message: 'expected an amount' },
      { stepId: first.id, exitId: first.exits[1].id, field: 'when', code: 'needs_default', message: '' },
      { stepId: first.id, exitId: first.exits[0].id, field: 'to', code: 'unknown_step', message: '' },
      { stepId: committee.id, field: '', code: 'unreachable', message: 'no path' },
      { stepId: first.id, field: 'assignee', code: 'unknown_assignee', message: '' },
      { stepId: first.id, field: 'key', code: 'duplicate', message: '' },
      { stepId: first.id, field: 'next', code: 'cycle', message: '' },
      { field: 'start', code: 'unknown_step', message: '' },
      { field: 'name', code: 'required', message: '' },
    ]);
  });

  it('keeps an error naming a step the model no longer has at the flow level', () => {
    expect(placeErrors([{ field: 'graph.steps[5].name', code: 'required' }], fromGraph(GRAPH))).toEqual([
      { field: 'steps', code: 'required', message: '' },
    ]);
  });
});

describe('the diagram', () => {
  it('draws one numbered arrow per exit, the last unconditional one as the default', () => {
    const m = fromGraph(GRAPH);
    const [first, committee] = m.steps;
    const edges = diagramEdges(m);
    expect(edges.map((e) => [e.source, e.target, e.order, e.isDefault])).toEqual([
      [first.id, committee.id, 1, false],
      [first.id, END_NODE, 2, true],
      [committee.id, END_NODE, 1, true],
    ]);
  });

  it('marks the steps of an instance: approved done, the waiting one current, END once approved', () => {
    const running = stepStates(
      {
        status: 'running',
        currentStep: 'committee',
        events: [
          { action: 'submit', toStep: 'first', at: '' },
          { action: 'approve', stepKey: 'first', toStep: 'committee', at: '' },
        ],
      },
      GRAPH,
    );
    expect(Object.fromEntries(running)).toEqual({ first: 'done', committee: 'current', end: 'pending' });
    const rejected = stepStates(
      { status: 'rejected', currentStep: null, events: [{ action: 'reject', stepKey: 'first', at: '' }] },
      GRAPH,
    );
    expect(rejected.get('first')).toBe('rejected');
    const approved = stepStates({ status: 'approved', events: [{ action: 'approve', stepKey: 'first', toStep: 'end', at: '' }] }, GRAPH);
    expect(approved.get(END)).toBe('done');
    expect(approved.get('committee')).toBe('pending');
  });
});

describe('conditionsLabel', () => {
  const names = { amount: '金额', termMonths: '期限', productId: '产品', riskGrade: '风险等级' } as const;
  it('reads an exit as a person would', async () => {
    const { conditionsLabel } = await import('./flowGraph');
    expect(
      conditionsLabel(
        [
          { fact: 'amount', op: 'gt', values: ['1000000'] },
          { fact: 'riskGrade', op: 'in', values: ['C', ' D ', ''] },
        ],
        (f) => names[f],
        '且',
      ),
    ).toBe('金额 > 1000000 且 风险等级 ∈ C、D');
    // A value not filled in yet shows as a question mark.
    expect(conditionsLabel([{ fact: 'termMonths', op: 'lte', values: [''] }], (f) => names[f], 'and')).toBe('期限 ≤ ?');
  });
});
