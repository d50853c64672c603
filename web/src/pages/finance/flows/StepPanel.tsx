import { useCallback } from 'react';
import { Alert, Button, Card, Divider, Form, Input, Popconfirm, Radio, Select, Space, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, FlagOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCommittees } from '../../../api/committee';
import { useAllPositions, useAllRoles, useAllUsers } from '../../../api/queries';
import { ASSIGNEE_KINDS, FACTS, type Condition, type Fact } from '../../../api/workflow';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import {
  addCondition,
  addExit,
  assigneeOfKind,
  END,
  moveExit,
  opsFor,
  removeCondition,
  removeExit,
  removeStep,
  setExitTarget,
  setStart,
  updateCondition,
  updateStep,
  type EditorExit,
  type EditorStep,
  type FlowModel,
  type GraphIssue,
} from '../../../lib/flowGraph';
import { useActiveProducts } from '../../business/applications/shared';

const RISK_GRADES = ['A', 'B', 'C', 'D', 'E'];

/** A server error in the user's language: the flow editor's own wording first. */
export function useIssueText() {
  const { t, i18n } = useTranslation();
  return useCallback(
    (i: GraphIssue) =>
      i18n.exists(`flows.errors.${i.code}`)
        ? t(`flows.errors.${i.code}`)
        : i18n.exists(`fieldErrors.${i.code}`)
          ? t(`fieldErrors.${i.code}`)
          : i.message || i.code,
    [t, i18n],
  );
}

interface Props {
  model: FlowModel;
  step: EditorStep;
  selectedExit: string | null;
  issues: GraphIssue[];
  readOnly: boolean;
  onChange: (next: FlowModel) => void;
  onRemoved: (next: FlowModel) => void;
  onSelectExit: (exitId: string) => void;
}

/** The side panel of the selected step: its name, key, assignee and ordered exits. */
export function StepPanel({ model, step, selectedExit, issues, readOnly, onChange, onRemoved, onSelectExit }: Props) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const issueText = useIssueText();
  const roles = useAllRoles(has(P.roleRead));
  const positions = useAllPositions(has(P.positionRead));
  const users = useAllUsers(has(P.userRead));
  const committees = useCommittees(has(P.flowRead));
  const isStart = model.startId === step.id;
  const of = (field: string) => issues.filter((i) => !i.exitId && i.field === field);
  const help = (field: string) => {
    const found = of(field);
    return found.length ? { validateStatus: 'error' as const, help: found.map(issueText).join('；') } : {};
  };
  const stepIssues = [...of(''), ...of('next')];
  const a = step.assignee;

  return (
    <Card
      size="small"
      className="section-card step-panel"
      data-testid="step-panel"
      title={
        <Space size={6} wrap>
          <span>{t('flows.stepTitle')}</span>
          {isStart && (
            <Tag color="blue" icon={<FlagOutlined />}>
              {t('flows.start')}
            </Tag>
          )}
        </Space>
      }
      extra={
        !readOnly && (
          <Space size={4} wrap>
            {!isStart && (
              <Button size="small" onClick={() => onChange(setStart(model, step.id))} data-testid="step-set-start">
                {t('flows.setStart')}
              </Button>
            )}
            <Popconfirm
              title={t('flows.removeStepConfirm', { name: step.name })}
              onConfirm={() => onRemoved(removeStep(model, step.id))}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
            >
              <Button size="small" danger icon={<DeleteOutlined />} data-testid="step-remove" aria-label={t('flows.removeStep')} />
            </Popconfirm>
          </Space>
        )
      }
    >
      {stepIssues.length > 0 && <Alert type="error" showIcon className="step-issues" title={stepIssues.map(issueText).join('；')} data-testid="step-issues" />}
      <Form layout="vertical" component="div" disabled={readOnly} className="step-form">
        <Form.Item label={t('flows.stepName')} required {...help('name')}>
          <Input id="step-name" value={step.name} maxLength={60} onChange={(e) => onChange(updateStep(model, step.id, { name: e.target.value }))} />
        </Form.Item>
        <Form.Item label={t('flows.stepKey')} required extra={t('flows.stepKeyHelp')} {...help('key')}>
          <Input
            id="step-key"
            className="mono"
            value={step.key}
            maxLength={40}
            onChange={(e) => onChange(updateStep(model, step.id, { key: e.target.value.trim() }))}
          />
        </Form.Item>
        <Form.Item label={t('flows.assignee')} required {...help('assignee')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Radio.Group
              value={a.kind}
              onChange={(e) => onChange(updateStep(model, step.id, { assignee: assigneeOfKind(e.target.value, a) }))}
              optionType="button"
              className="assignee-kinds"
            >
              {ASSIGNEE_KINDS.map((k) => (
                <Radio.Button key={k} value={k}>
                  <span data-testid={`assignee-kind-${k}`}>{t(`flows.assigneeKinds.${k}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
            {a.kind === 'role' && (
              <Select<number>
                id="step-assignee-role"
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('flows.pickRole')}
                value={a.roleId || undefined}
                loading={roles.isLoading}
                onChange={(roleId) => onChange(updateStep(model, step.id, { assignee: { kind: 'role', roleId } }))}
                options={(roles.data?.items ?? []).filter((r) => r.status === 'active').map((r) => ({ value: r.id, label: r.name }))}
              />
            )}
            {(a.kind === 'position' || a.kind === 'department_head') && (
              <Select<number>
                id="step-assignee-position"
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('flows.pickPosition')}
                value={a.positionId || undefined}
                loading={positions.isLoading}
                onChange={(positionId) => onChange(updateStep(model, step.id, { assignee: { kind: a.kind, positionId } }))}
                options={(positions.data?.items ?? []).filter((p) => p.status === 'active').map((p) => ({ value: p.id, label: p.name }))}
              />
            )}
            {a.kind === 'committee' && (
              <Select<number>
                id="step-assignee-committee"
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('flows.pickCommittee')}
                value={a.committeeId || undefined}
                loading={committees.isLoading}
                notFoundContent={t('flows.noCommittee')}
                onChange={(committeeId) => onChange(updateStep(model, step.id, { assignee: { kind: 'committee', committeeId } }))}
                options={(committees.data ?? [])
                  .filter((c) => c.status === 'active' || c.id === a.committeeId)
                  .map((c) => ({ value: c.id, label: c.name }))}
              />
            )}
            {a.kind === 'users' && (
              <Select<number[]>
                id="step-assignee-users"
                mode="multiple"
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('flows.pickUsers')}
                value={a.userIds}
                loading={users.isLoading}
                onChange={(userIds) => onChange(updateStep(model, step.id, { assignee: { kind: 'users', userIds } }))}
                options={(users.data?.items ?? []).filter((u) => u.status === 'active').map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
              />
            )}
            <Typography.Text type="secondary" className="flow-help">
              {t(a.kind === 'committee' ? 'flows.committeeHelp' : a.kind === 'department_head' ? 'flows.departmentHeadHelp' : 'flows.applicantExcluded')}
            </Typography.Text>
          </Space>
        </Form.Item>
      </Form>
      <Divider titlePlacement="start" className="exits-divider">
        {t('flows.exits')}
      </Divider>
      <Typography.Paragraph type="secondary" className="flow-help">
        {t('flows.exitsHelp')}
      </Typography.Paragraph>
      {step.exits.map((exit, j) => (
        <ExitEditor
          key={exit.id}
          model={model}
          step={step}
          exit={exit}
          index={j}
          selected={selectedExit === exit.id}
          issues={issues.filter((i) => i.exitId === exit.id)}
          readOnly={readOnly}
          onChange={onChange}
          onSelect={() => onSelectExit(exit.id)}
        />
      ))}
      {!readOnly && (
        <Button
          block
          type="dashed"
          icon={<PlusOutlined />}
          data-testid="step-add-exit"
          onClick={() => {
            // Towards a step not led to yet, else the end.
            const target = model.steps.find((s) => s.id !== step.id && !step.exits.some((e) => e.to === s.id));
            const made = addExit(model, step.id, target?.id ?? END);
            onChange(made.model);
            onSelectExit(made.exitId);
          }}
        >
          {t('flows.addExit')}
        </Button>
      )}
    </Card>
  );
}

function ExitEditor({
  model,
  step,
  exit,
  index,
  selected,
  issues,
  readOnly,
  onChange,
  onSelect,
}: {
  model: FlowModel;
  step: EditorStep;
  exit: EditorExit;
  index: number;
  selected: boolean;
  issues: GraphIssue[];
  readOnly: boolean;
  onChange: (next: FlowModel) => void;
  onSelect: () => void;
}) {
  const { t } = useTranslation();
  const issueText = useIssueText();
  const last = index === step.exits.length - 1;
  const of = (field: string) => issues.filter((i) => i.field === field).map(issueText);
  const toIssues = of('to');
  const whenIssues = [...of('when'), ...of('')];
  const targets = [
    ...model.steps.filter((s) => s.id !== step.id).map((s) => ({ value: s.id, label: `${s.name || t('flows.unnamed')}（${s.key}）` })),
    { value: END, label: t('flows.endOption') },
  ];
  return (
    <div
      className={`exit-card${selected ? ' exit-card-selected' : ''}${issues.length ? ' exit-card-invalid' : ''}`}
      data-testid={`exit-${index}`}
      onClick={onSelect}
    >
      <div className="exit-head">
        <Space size={4}>
          <strong>{t('flows.exitNo', { n: index + 1 })}</strong>
          {last && exit.when.length === 0 && <Tag>{t('flows.defaultExit')}</Tag>}
        </Space>
        {!readOnly && (
          <Space size={0}>
            <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={index === 0} aria-label={t('flows.moveUp')} onClick={() => onChange(moveExit(model, step.id, exit.id, -1))} />
            <Button
              size="small"
              type="text"
              icon={<ArrowDownOutlined />}
              disabled={last}
              aria-label={t('flows.moveDown')}
              onClick={() => onChange(moveExit(model, step.id, exit.id, 1))}
            />
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              disabled={step.exits.length === 1}
              aria-label={t('flows.removeExit')}
              data-testid={`exit-${index}-remove`}
              onClick={() => onChange(removeExit(model, step.id, exit.id))}
            />
          </Space>
        )}
      </div>
      <Form layout="vertical" component="div" disabled={readOnly}>
        <Form.Item label={t('flows.exitTo')} validateStatus={toIssues.length ? 'error' : undefined} help={toIssues.join('；') || undefined}>
          <Select id={`exit-${index}-to`} value={exit.to} options={targets} onChange={(to) => onChange(setExitTarget(model, step.id, exit.id, to))} />
        </Form.Item>
        {exit.when.length === 0 && last ? (
          <Typography.Text type="secondary">{t('flows.otherwiseHelp')}</Typography.Text>
        ) : (
          <>
            <div className="exit-when-label">{t('flows.when')}</div>
            {exit.when.length === 0 && <Typography.Text type="secondary">{t('flows.always')}</Typography.Text>}
            {exit.when.map((c, k) => (
              <ConditionRow
                key={k}
                condition={c}
                ids={`cond-${index}-${k}`}
                issues={of(`when[${k}]`)}
                readOnly={readOnly}
                onChange={(patch) => onChange(updateCondition(model, step.id, exit.id, k, patch))}
                onRemove={() => onChange(removeCondition(model, step.id, exit.id, k))}
              />
            ))}
            {!readOnly && !last && (
              <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => onChange(addCondition(model, step.id, exit.id))} data-testid={`exit-${index}-add-condition`}>
                {t('flows.addCondition')}
              </Button>
            )}
          </>
        )}
        {whenIssues.length > 0 && <Alert type="error" showIcon className="exit-issues" title={whenIssues.join('；')} />}
      </Form>
    </div>
  );
}

function ConditionRow({
  condition: c,
  ids,
  issues,
  readOnly,
  onChange,
  onRemove,
}: {
  condition: Condition;
  ids: string;
  issues: string[];
  readOnly: boolean;
  onChange: (patch: Partial<Condition>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const products = useActiveProducts();
  const many = c.op === 'in';
  const choices =
    c.fact === 'riskGrade'
      ? RISK_GRADES.map((g) => ({ value: g, label: g }))
      : c.fact === 'productId' && products.data
        ? products.data.items.map((p) => ({ value: String(p.id), label: `${p.name}（#${p.id}）` }))
        : null;
  const value = choices ? (
    <Select<string | string[]>
      id={`${ids}-value`}
      mode={many ? 'multiple' : undefined}
      value={many ? c.values.filter(Boolean) : c.values[0] || undefined}
      placeholder={t('flows.value')}
      options={choices}
      onChange={(v) => onChange({ values: Array.isArray(v) ? v : [v] })}
      className="cond-value"
    />
  ) : many ? (
    <Select<string[]>
      id={`${ids}-value`}
      mode="tags"
      value={c.values.filter(Boolean)}
      placeholder={t('flows.valuesHint')}
      onChange={(v) => onChange({ values: v })}
      className="cond-value"
      open={false}
      tokenSeparators={[',', '，', ' ']}
    />
  ) : (
    <Input
      id={`${ids}-value`}
      value={c.values[0] ?? ''}
      placeholder={t(`flows.valueHints.${c.fact}`)}
      inputMode={c.fact === 'amount' || c.fact === 'termMonths' ? 'decimal' : undefined}
      onChange={(e) => onChange({ values: [e.target.value] })}
      className="cond-value"
    />
  );
  return (
    <Form.Item validateStatus={issues.length ? 'error' : undefined} help={issues.join('；') || undefined} className="cond-row">
      <div className="cond-fields" data-testid={ids}>
        <Select<Fact>
          id={`${ids}-fact`}
          value={c.fact}
          className="cond-fact"
          popupMatchSelectWidth={false}
          options={FACTS.map((f) => ({ value: f, label: t(`flows.facts.${f}`) }))}
          onChange={(fact) => onChange({ fact })}
        />
        <Select
          id={`${ids}-op`}
          value={c.op}
          className="cond-op"
          popupMatchSelectWidth={false}
          options={opsFor(c.fact).map((o) => ({ value: o, label: t(`flows.ops.${o}`) }))}
          onChange={(op) => onChange({ op })}
        />
        {value}
        {!readOnly && <Button type="text" danger icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={onRemove} />}
      </div>
    </Form.Item>
  );
}
