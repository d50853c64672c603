import { useEffect, useMemo, useState } from 'react';
import {
  applyNodeChanges,
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Edge,
  type Node,
  type NodeChange,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Tag } from 'antd';
import { CheckCircleFilled, FlagFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FlowGraph } from '../../api/workflow';
import {
  conditionsLabel,
  diagramEdges,
  END,
  END_NODE,
  endPosition,
  fromGraph,
  type FlowModel,
  type Point,
  type StepState,
} from '../../lib/flowGraph';

// The approval-flow diagram on @xyflow/react: steps as nodes, exits as numbered arrows, an end
// node. The editor drives it from its model; the read-only view draws an instance's graph with
// the steps passed, waiting and rejected in their colours.

export interface StepNodeData extends Record<string, unknown> {
  name: string;
  stepKey: string;
  assignee: string;
  isStart: boolean;
  state?: StepState;
  issues: number;
  editable: boolean;
}

export interface EndNodeData extends Record<string, unknown> {
  state?: StepState;
  editable: boolean;
}

type StepNodeType = Node<StepNodeData, 'step'>;
type EndNodeType = Node<EndNodeData, 'end'>;
type FlowNode = StepNodeType | EndNodeType;

function StepNode({ data, selected }: NodeProps<StepNodeType>) {
  const { t } = useTranslation();
  const classes = ['flow-node', `flow-node-${data.state ?? 'edit'}`];
  if (selected) classes.push('flow-node-selected');
  if (data.issues > 0) classes.push('flow-node-invalid');
  return (
    <div className={classes.join(' ')} data-testid={`flow-node-${data.stepKey}`}>
      <Handle type="target" position={Position.Left} isConnectable={data.editable} />
      <div className="flow-node-head">
        {data.isStart && (
          <Tag color="blue" className="flow-node-start" icon={<FlagFilled />}>
            {t('flows.start')}
          </Tag>
        )}
        <span className="flow-node-name">{data.name || t('flows.unnamed')}</span>
      </div>
      <div className="flow-node-key">{data.stepKey}</div>
      <div className="flow-node-assignee">{data.assignee}</div>
      {data.state && data.state !== 'pending' && <div className="flow-node-state">{t(`flows.states.${data.state}`)}</div>}
      {data.issues > 0 && (
        <span className="flow-node-issues" title={t('flows.hasIssues')}>
          {data.issues}
        </span>
      )}
      <Handle type="source" position={Position.Right} isConnectable={data.editable} />
    </div>
  );
}

function EndNode({ data }: NodeProps<EndNodeType>) {
  const { t } = useTranslation();
  return (
    <div className={`flow-end flow-end-${data.state ?? 'edit'}`} data-testid="flow-node-end">
      <Handle type="target" position={Position.Left} isConnectable={data.editable} />
      <CheckCircleFilled /> {t('flows.end')}
    </div>
  );
}

const NODE_TYPES = { step: StepNode, end: EndNode };

export interface DiagramOptions {
  /** Who decides a step, as shown on its node. */
  assigneeLabel: (a: FlowModel['steps'][number]['assignee'], stepKey: string) => string;
  states?: Map<string, StepState>;
  issues?: Map<string, number>;
  selectedStep?: string | null;
  selectedExit?: string | null;
  editable: boolean;
}

function buildNodes(model: FlowModel, o: DiagramOptions): FlowNode[] {
  const nodes: FlowNode[] = model.steps.map((s) => ({
    id: s.id,
    type: 'step' as const,
    position: s.position,
    selected: o.selectedStep === s.id,
    data: {
      name: s.name,
      stepKey: s.key,
      assignee: o.assigneeLabel(s.assignee, s.key),
      isStart: model.startId === s.id,
      state: o.states?.get(s.key),
      issues: o.issues?.get(s.id) ?? 0,
      editable: o.editable,
    },
  }));
  nodes.push({
    id: END_NODE,
    type: 'end' as const,
    position: endPosition(model),
    draggable: false,
    selectable: false,
    data: { state: o.states?.get(END), editable: o.editable },
  });
  return nodes;
}

function useEdges(model: FlowModel, o: DiagramOptions): Edge[] {
  const { t } = useTranslation();
  return useMemo(
    () =>
      diagramEdges(model).map((e) => {
        const selected = o.selectedExit === e.exitId;
        const when = conditionsLabel(e.when, (f) => t(`flows.facts.${f}`), t('flows.and'));
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          label: `${e.order}. ${e.isDefault ? t('flows.otherwise') : when || t('flows.always')}`,
          markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
          animated: selected,
          className: e.isDefault ? 'flow-edge-default' : 'flow-edge-conditional',
          style: selected ? { stroke: '#1d5bd6', strokeWidth: 2 } : undefined,
          labelBgPadding: [4, 2] as [number, number],
          labelBgBorderRadius: 4,
          data: { stepId: e.stepId, exitId: e.exitId },
        };
      }),
    [model, o.selectedExit, t],
  );
}

/** Keeps what the diagram measured (sizes) when the model redraws a node. */
function mergeMeasured(next: FlowNode[], prev: FlowNode[]): FlowNode[] {
  const byId = new Map(prev.map((n) => [n.id, n]));
  return next.map((n) => {
    const old = byId.get(n.id);
    return old?.measured ? ({ ...n, measured: old.measured } as FlowNode) : n;
  });
}

export interface EditorCanvasProps extends Omit<DiagramOptions, 'editable' | 'states'> {
  model: FlowModel;
  readOnly?: boolean;
  onSelect: (stepId: string | null, exitId?: string | null) => void;
  onMove: (stepId: string, position: Point) => void;
  onConnect: (source: string, target: string) => void;
}

/** The editor's canvas: drag steps, draw arrows between them, click a step or an arrow to edit it. */
export function FlowEditorCanvas({ model, readOnly, onSelect, onMove, onConnect, ...options }: EditorCanvasProps) {
  const editable = !readOnly;
  const derived = useMemo(
    () => buildNodes(model, { ...options, editable }),
    [model, options.selectedStep, options.issues, options.assigneeLabel, editable],
  );
  const [nodes, setNodes] = useState<FlowNode[]>(derived);
  useEffect(() => setNodes((prev) => mergeMeasured(derived, prev)), [derived]);
  const edges = useEdges(model, { ...options, editable });

  return (
    <ReactFlow<FlowNode, Edge>
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      onNodesChange={(changes: NodeChange<FlowNode>[]) =>
        // Deleting is done from the side panel, with a confirmation, never by a stray key.
        setNodes((prev) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), prev))
      }
      onNodeDragStop={(_, node) => {
        if (node.id !== END_NODE) onMove(node.id, { x: Math.round(node.position.x), y: Math.round(node.position.y) });
      }}
      onNodeClick={(_, node) => onSelect(node.id === END_NODE ? null : node.id, null)}
      onEdgeClick={(_, edge) => {
        const d = edge.data as { stepId: string; exitId: string } | undefined;
        if (d) onSelect(d.stepId, d.exitId);
      }}
      onPaneClick={() => onSelect(null, null)}
      onConnect={(c) => c.source && c.target && onConnect(c.source, c.target)}
      isValidConnection={(c) => c.source !== c.target && c.source !== END_NODE}
      nodesDraggable={editable}
      nodesConnectable={editable}
      deleteKeyCode={null}
      fitView
      fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
      minZoom={0.3}
      maxZoom={1.5}
      preventScrolling={false}
    >
      <Background gap={16} size={1} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

/** An instance's graph, read-only: passed steps green, the waiting one blue, a rejection red. */
export function FlowInstanceDiagram({
  graph,
  states,
  assigneeLabel,
}: {
  graph: FlowGraph;
  states: Map<string, StepState>;
  assigneeLabel: DiagramOptions['assigneeLabel'];
}) {
  const model = useMemo(() => fromGraph(graph), [graph]);
  const options = { assigneeLabel, states, editable: false };
  const nodes = useMemo(() => buildNodes(model, { assigneeLabel, states, editable: false }), [model, states, assigneeLabel]);
  const edges = useEdges(model, options);
  // Uncontrolled: the diagram keeps its own measurements; a new graph or state remounts it.
  const key = useMemo(() => JSON.stringify([graph, [...states]]), [graph, states]);
  return (
    <ReactFlow<FlowNode, Edge>
      key={key}
      defaultNodes={nodes}
      defaultEdges={edges}
      nodeTypes={NODE_TYPES}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      panOnDrag={false}
      zoomOnScroll={false}
      zoomOnPinch={false}
      zoomOnDoubleClick={false}
      preventScrolling={false}
      fitView
      fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
      minZoom={0.2}
    />
  );
}
