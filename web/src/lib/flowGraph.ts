import type { FlowEvent } from '../api/origination';
import type { Assignee, Condition, Fact, FlowGraph, FlowStep, Op } from '../api/workflow';

// The approval-flow diagram editor's model and its edits, kept apart from React so they are
// unit-tested. The model names steps and exits by ids of its own, so renaming a step's key never
// breaks an arrow; `toGraph` turns it back into the API's graph (steps in the model's order, so a
// server error such as `graph.steps[1].next[0].to` points at the second step's first exit).

/** The exit target that ends a flow approved. */
export const END = 'end';
/** The id of the diagram's end node. */
export const END_NODE = '__end__';

export interface Point {
  x: number;
  y: number;
}

export interface EditorExit {
  id: string;
  /** A step's id in the model, or END. */
  to: string;
  when: Condition[];
}

export interface EditorStep {
  id: string;
  key: string;
  name: string;
  assignee: Assignee;
  exits: EditorExit[];
  position: Point;
}

export interface FlowModel {
  startId: string | null;
  steps: EditorStep[];
}

export const COLUMN = 240;
export const ROW = 120;
const MARGIN = 40;

let counter = 0;
const nextId = (prefix: string) => `${prefix}${++counter}`;

const stepPosition = (s: FlowStep): Point | null => {
  const p = (s as { position?: { x: number; y: number } | null }).position;
  return p && Number.isFinite(p.x) && Number.isFinite(p.y) ? { x: p.x, y: p.y } : null;
};

/**
 * Where each step of a graph is drawn: its saved position, else a layered layout from the start
 * (one column per distance from the start, one row per step in a column).
 */
export function autoLayout(graph: FlowGraph): Map<string, Point> {
  const depth = new Map<string, number>();
  const queue: string[] = [];
  if (graph.steps.some((s) => s.key === graph.start)) {
    depth.set(graph.start, 0);
    queue.push(graph.start);
  }
  while (queue.length) {
    const key = queue.shift()!;
    const step = graph.steps.find((s) => s.key === key);
    for (const exit of step?.next ?? []) {
      if (exit.to !== END && !depth.has(exit.to) && graph.steps.some((s) => s.key === exit.to)) {
        depth.set(exit.to, depth.get(key)! + 1);
        queue.push(exit.to);
      }
    }
  }
  const deepest = Math.max(-1, ...depth.values());
  const rows = new Map<number, number>();
  const out = new Map<string, Point>();
  for (const s of graph.steps) {
    const col = depth.get(s.key) ?? deepest + 1;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    out.set(s.key, stepPosition(s) ?? { x: MARGIN + col * COLUMN, y: MARGIN + row * ROW });
  }
  return out;
}

/** The API's graph as an editor model. */
export function fromGraph(graph: FlowGraph): FlowModel {
  const layout = autoLayout(graph);
  const ids = new Map<string, string>();
  const steps = graph.steps.map((s) => {
    // A duplicate key (only in a broken graph) still gets an id of its own.
    const id = nextId('s');
    if (!ids.has(s.key)) ids.set(s.key, id);
    return { id, s };
  });
  const built = steps.map(({ id, s }) => {
    return {
      id,
      key: s.key,
      name: s.name,
      assignee: s.assignee,
      position: layout.get(s.key) ?? { x: MARGIN, y: MARGIN },
      exits: s.next.map((e) => ({
        id: nextId('e'),
        to: e.to === END ? END : (ids.get(e.to) ?? `?${e.to}`),
        when: (e.when ?? []).map((c) => ({ ...c, values: [...c.values] })),
      })),
    };
  });
  return { startId: ids.get(graph.start) ?? null, steps: built };
}

/** The editor model as the API's graph; positions are whole pixels. */
export function toGraph(model: FlowModel): FlowGraph {
  const keyOf = (id: string) =>
    id === END ? END : id.startsWith('?') ? id.slice(1) : (model.steps.find((s) => s.id === id)?.key ?? id);
  return {
    start: model.startId ? keyOf(model.startId) : '',
    steps: model.steps.map((s) => ({
      key: s.key,
      name: s.name,
      assignee: s.assignee,
      next: s.exits.map((e) => ({ to: keyOf(e.to), when: e.when })),
      position: { x: Math.round(s.position.x), y: Math.round(s.position.y) },
    })),
  };
}

export function emptyModel(): FlowModel {
  return { startId: null, steps: [] };
}

// ---- edits (each returns a new model) ---------------------------------------------------------

const mapStep = (model: FlowModel, id: string, f: (s: EditorStep) => EditorStep): FlowModel => ({
  ...model,
  steps: model.steps.map((s) => (s.id === id ? f(s) : s)),
});

/** A key no other step has: `step1`, `step2`, … */
export function freeKey(model: FlowModel, base = 'step'): string {
  for (let n = model.steps.length + 1; ; n++) {
    const key = `${base}${n}`;
    if (!model.steps.some((s) => s.key === key)) return key;
  }
}

/**
 * Adds a step right of the rightmost one, ending the flow by default. The first step becomes the
 * start. Its assignee starts as "named users" with nobody named (the user picks them).
 */
export function addStep(model: FlowModel, name: string): { model: FlowModel; id: string } {
  const id = nextId('s');
  const right = model.steps.reduce<EditorStep | null>((r, s) => (!r || s.position.x > r.position.x ? s : r), null);
  const position = right ? { x: right.position.x + COLUMN, y: right.position.y } : { x: MARGIN, y: MARGIN };
  const step: EditorStep = {
    id,
    key: freeKey(model),
    name,
    assignee: { kind: 'users', userIds: [] },
    exits: [{ id: nextId('e'), to: END, when: [] }],
    position,
  };
  return { model: { startId: model.startId ?? id, steps: [...model.steps, step] }, id };
}

/**
 * Removes a step and every exit leading to it. A step left without exits ends the flow; when the
 * start goes, the first remaining step becomes the start.
 */
export function removeStep(model: FlowModel, id: string): FlowModel {
  const steps = model.steps
    .filter((s) => s.id !== id)
    .map((s) => {
      const exits = s.exits.filter((e) => e.to !== id);
      if (exits.length === s.exits.length) return s;
      return { ...s, exits: exits.length ? exits : [{ id: nextId('e'), to: END, when: [] }] };
    });
  return { startId: model.startId === id ? (steps[0]?.id ?? null) : model.startId, steps };
}

export type StepPatch = Partial<Pick<EditorStep, 'key' | 'name' | 'assignee' | 'position'>>;

export function updateStep(model: FlowModel, id: string, patch: StepPatch): FlowModel {
  return mapStep(model, id, (s) => ({ ...s, ...patch }));
}

export function setStart(model: FlowModel, id: string): FlowModel {
  return model.steps.some((s) => s.id === id) ? { ...model, startId: id } : model;
}

/** Changing the assignee kind keeps nothing of the old choice: the user picks again. */
export function assigneeOfKind(kind: Assignee['kind'], previous: Assignee): Assignee {
  if (previous.kind === kind) return previous;
  if (kind === 'users') return { kind, userIds: [] };
  if (kind === 'role') return { kind, roleId: 0 };
  if (kind === 'committee') return { kind, committeeId: 0 };
  if (kind === 'department_head') return { kind, positionId: 0 };
  return { kind, positionId: 0 };
}

/** The condition a new conditional exit starts with: an amount threshold to fill in. */
export const NEW_CONDITION: Condition = { fact: 'amount', op: 'gt', values: [''] };

/**
 * Adds an exit from `stepId` to `to` (a step id or END). A step's last exit is its default (it
 * has no conditions and catches everything else), so a new exit goes before the default one and
 * starts with a condition to fill in; a step without exits gets it as its default.
 */
export function addExit(model: FlowModel, stepId: string, to: string): { model: FlowModel; exitId: string } {
  const exitId = nextId('e');
  return {
    exitId,
    model: mapStep(model, stepId, (s) => {
      if (s.exits.length === 0) return { ...s, exits: [{ id: exitId, to, when: [] }] };
      const exits = [...s.exits];
      exits.splice(exits.length - 1, 0, { id: exitId, to, when: [{ ...NEW_CONDITION, values: [...NEW_CONDITION.values] }] });
      return { ...s, exits };
    }),
  };
}

/**
 * An arrow drawn from one node to another: a new exit, unless the step already leads there (then
 * that exit is the answer). An arrow from a step to itself, or to nothing known, is refused (null).
 */
export function connect(model: FlowModel, source: string, target: string): { model: FlowModel; exitId: string } | null {
  const from = model.steps.find((s) => s.id === source);
  const to = target === END_NODE ? END : target;
  if (!from || source === target || (to !== END && !model.steps.some((s) => s.id === to))) return null;
  const existing = from.exits.find((e) => e.to === to);
  if (existing) return { model, exitId: existing.id };
  return addExit(model, source, to);
}

export function removeExit(model: FlowModel, stepId: string, exitId: string): FlowModel {
  return mapStep(model, stepId, (s) => ({ ...s, exits: s.exits.filter((e) => e.id !== exitId) }));
}

/** Moves an exit up (-1) or down (+1) in its step's order; the order decides which exit wins. */
export function moveExit(model: FlowModel, stepId: string, exitId: string, delta: -1 | 1): FlowModel {
  return mapStep(model, stepId, (s) => {
    const i = s.exits.findIndex((e) => e.id === exitId);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= s.exits.length) return s;
    const exits = [...s.exits];
    [exits[i], exits[j]] = [exits[j], exits[i]];
    return { ...s, exits };
  });
}

export function setExitTarget(model: FlowModel, stepId: string, exitId: string, to: string): FlowModel {
  return mapStep(model, stepId, (s) => ({ ...s, exits: s.exits.map((e) => (e.id === exitId ? { ...e, to } : e)) }));
}

const mapConditions = (model: FlowModel, stepId: string, exitId: string, f: (when: Condition[]) => Condition[]) =>
  mapStep(model, stepId, (s) => ({ ...s, exits: s.exits.map((e) => (e.id === exitId ? { ...e, when: f(e.when) } : e)) }));

export function addCondition(model: FlowModel, stepId: string, exitId: string): FlowModel {
  return mapConditions(model, stepId, exitId, (when) => [...when, { ...NEW_CONDITION, values: [''] }]);
}

export function removeCondition(model: FlowModel, stepId: string, exitId: string, index: number): FlowModel {
  return mapConditions(model, stepId, exitId, (when) => when.filter((_, i) => i !== index));
}

/** Product and risk grade are compared for equality only. */
export function opsFor(fact: Fact): Op[] {
  return fact === 'amount' || fact === 'termMonths' ? ['gt', 'gte', 'lt', 'lte', 'eq', 'ne', 'in'] : ['eq', 'ne', 'in'];
}

/**
 * Changes a condition, keeping it one the server takes: a fact that cannot be ordered drops an
 * ordering operator for `eq`; a single-value operator keeps only the first value.
 */
export function normaliseCondition(c: Condition): Condition {
  const op = opsFor(c.fact).includes(c.op) ? c.op : 'eq';
  const values = op === 'in' ? c.values.filter((v, i) => v.trim() !== '' || i === 0) : [c.values[0] ?? ''];
  return { fact: c.fact, op, values };
}

export function updateCondition(model: FlowModel, stepId: string, exitId: string, index: number, patch: Partial<Condition>): FlowModel {
  return mapConditions(model, stepId, exitId, (when) =>
    when.map((c, i) => (i === index ? normaliseCondition({ ...c, ...patch }) : c)),
  );
}

// ---- server errors ----------------------------------------------------------------------------

export interface GraphIssue {
  /** The step it belongs to; absent for the flow as a whole (its name, its start). */
  stepId?: string;
  exitId?: string;
  /** Within a step: `key`, `name`, `assignee`, `next`, or `` for the step itself; within an
   *  exit: `to`, `when`, or `when[k]` (a condition). For the flow: `name`, `start`, `steps`. */
  field: string;
  code: string;
  message: string;
}

const STEP_PATH = /^graph\.steps\[(\d+)\](?:\.(\w+)(?:\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?)?)?/;

/**
 * Places the server's field errors (`graph.steps[1].next[0].when[0].values[0]`, …) on the step,
 * exit and condition they name, by the order the graph was sent in (`toGraph(model)`).
 */
export function placeErrors(errors: { field: string; code: string; message?: string | null }[], model: FlowModel): GraphIssue[] {
  return errors.map((e) => {
    const message = e.message ?? '';
    const m = STEP_PATH.exec(e.field);
    if (!m) {
      const field = e.field.replace(/^graph\./, '');
      return { field, code: e.code, message };
    }
    const step = model.steps[Number(m[1])];
    if (!step) return { field: 'steps', code: e.code, message };
    const [, , part, exitIndex, exitPart, condIndex] = m;
    if (part === 'next' && exitIndex !== undefined) {
      const exit = step.exits[Number(exitIndex)];
      if (!exit) return { stepId: step.id, field: 'next', code: e.code, message };
      const field = exitPart === 'when' && condIndex !== undefined ? `when[${condIndex}]` : (exitPart ?? '');
      return { stepId: step.id, exitId: exit.id, field, code: e.code, message };
    }
    return { stepId: step.id, field: part ?? '', code: e.code, message };
  });
}

// ---- an instance on its graph -----------------------------------------------------------------

export type StepState = 'done' | 'current' | 'rejected' | 'pending';

/**
 * How each step of a running or finished instance stands, for the read-only diagram: approved
 * steps done, the waiting one current, the one that rejected it marked; END done once approved.
 */
export function stepStates(
  instance: { currentStep?: string | null; status: string; events: FlowEvent[] },
  graph: FlowGraph,
): Map<string, StepState> {
  const out = new Map<string, StepState>();
  for (const s of graph.steps) out.set(s.key, 'pending');
  for (const e of instance.events) {
    if (!e.stepKey || !out.has(e.stepKey)) continue;
    if (e.action === 'approve') out.set(e.stepKey, 'done');
    if (e.action === 'reject') out.set(e.stepKey, 'rejected');
  }
  if (instance.status === 'running' && instance.currentStep && out.has(instance.currentStep)) out.set(instance.currentStep, 'current');
  out.set(END, instance.status === 'approved' ? 'done' : 'pending');
  return out;
}

// ---- the diagram -----------------------------------------------------------------------------

/** Where the end node is drawn: right of the rightmost step, level with the start. */
export function endPosition(model: FlowModel): Point {
  if (model.steps.length === 0) return { x: MARGIN + COLUMN, y: MARGIN };
  const maxX = Math.max(...model.steps.map((s) => s.position.x));
  const start = model.steps.find((s) => s.id === model.startId) ?? model.steps[0];
  return { x: maxX + COLUMN, y: start.position.y };
}

export interface DiagramEdge {
  id: string;
  source: string;
  target: string;
  stepId: string;
  exitId: string;
  /** 1-based place of the exit in its step's order. */
  order: number;
  /** The step's last exit, taken when no earlier one applies. */
  isDefault: boolean;
  when: Condition[];
}

/** One arrow per exit, from its step to the target step or the end node. */
export function diagramEdges(model: FlowModel): DiagramEdge[] {
  const out: DiagramEdge[] = [];
  for (const s of model.steps) {
    s.exits.forEach((e, i) => {
      const target = e.to === END ? END_NODE : e.to;
      if (target !== END_NODE && !model.steps.some((o) => o.id === target)) return;
      out.push({
        id: `${s.id}:${e.id}`,
        source: s.id,
        target,
        stepId: s.id,
        exitId: e.id,
        order: i + 1,
        isDefault: i === s.exits.length - 1 && e.when.length === 0,
        when: e.when,
      });
    });
  }
  return out;
}

const OP_SIGNS: Record<Op, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: '∈' };

/**
 * An exit's conditions as one short line for its arrow, e.g. "金额 > 1000000 且 风险等级 ∈ C、D";
 * `factName` gives a fact's name in the user's language, `and` the joining word.
 */
export function conditionsLabel(when: Condition[], factName: (fact: Fact) => string, and: string): string {
  return when
    .map((c) => {
      const values = c.values.map((v) => v.trim()).filter(Boolean);
      const shown = values.length ? (c.op === 'in' ? values.join('、') : values[0]) : '?';
      return `${factName(c.fact)} ${OP_SIGNS[c.op]} ${shown}`;
    })
    .join(` ${and} `);
}
