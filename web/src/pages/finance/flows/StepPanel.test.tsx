// @vitest-environment jsdom
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../../i18n';
import { ME_KEY, type Me } from '../../../auth/hooks';
import { P } from '../../../access/permissions';
import { fromGraph, placeErrors, toGraph, type FlowModel } from '../../../lib/flowGraph';
import { StepPanel } from './StepPanel';

// The select's dropdown measures itself; jsdom has no ResizeObserver.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const START = fromGraph({
  start: 'review',
  steps: [
    { key: 'review', name: '风控审核', assignee: { kind: 'users', userIds: [5] }, next: [{ to: 'end', when: [] }] },
    { key: 'committee', name: '贷审会', assignee: { kind: 'role', roleId: 2 }, next: [{ to: 'end', when: [] }] },
  ],
});

function Harness({ onModel, errors = [] }: { onModel: (m: FlowModel) => void; errors?: { field: string; code: string }[] }) {
  const [model, setModel] = useState(START);
  const step = model.steps[0];
  return (
    <StepPanel
      model={model}
      step={step}
      selectedExit={null}
      issues={placeErrors(errors, START).filter((i) => i.stepId === step.id)}
      readOnly={false}
      onChange={(m) => {
        setModel(m);
        onModel(m);
      }}
      onRemoved={() => undefined}
      onSelectExit={() => undefined}
    />
  );
}

function renderPanel(errors?: { field: string; code: string }[]) {
  const client = new QueryClient();
  const me: Me = {
    id: 1, username: 'admin', displayName: '管理员', departmentId: null, roles: [], permissions: [P.flowRead, P.flowWrite, P.userRead, P.roleRead],
    dataScope: 'all', mustChangePassword: false,
  };
  client.setQueryData(ME_KEY, me);
  const now = '2026-01-01T00:00:00Z';
  client.setQueryData(['users', 'all'], {
    items: [{ id: 5, username: 'rev', displayName: '审核员', roleIds: [], status: 'active', mustChangePassword: false, version: 1, createdAt: now, updatedAt: now }],
    total: 1, page: 1, pageSize: 200,
  });
  client.setQueryData(['roles', 'all'], { items: [], total: 0, page: 1, pageSize: 200 });
  client.setQueryData(['committees', 'all'], [
    { id: 7, name: '总部贷审会', quorum: { numerator: 2, denominator: 3 }, pass: { numerator: 2, denominator: 3 }, members: [], status: 'active', version: 1, updatedAt: now },
    { id: 8, name: '旧贷审会', quorum: { numerator: 2, denominator: 3 }, pass: { numerator: 2, denominator: 3 }, members: [], status: 'disabled', version: 1, updatedAt: now },
  ]);
  const models: FlowModel[] = [];
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <Harness onModel={(m) => models.push(m)} errors={errors} />
      </AntdApp>
    </QueryClientProvider>,
  );
  return models;
}

describe('StepPanel', () => {
  it('adds an exit to the other step before the default one, with a condition to fill in', () => {
    const models = renderPanel();
    const panel = screen.getByTestId('step-panel');
    expect(within(panel).getByTestId('exit-0')).toHaveTextContent('默认');
    fireEvent.click(within(panel).getByTestId('step-add-exit'));
    // The new exit is first and leads to the committee; the default moved to second place.
    expect(within(panel).getByTestId('exit-0')).toHaveTextContent('贷审会（committee）');
    expect(within(panel).getByTestId('exit-1')).toHaveTextContent('默认');
    fireEvent.change(within(panel).getByPlaceholderText('金额（元）'), { target: { value: '1000000' } });
    expect(toGraph(models[models.length - 1]).steps[0].next).toEqual([
      { to: 'committee', when: [{ fact: 'amount', op: 'gt', values: ['1000000'] }] },
      { to: 'end', when: [] },
    ]);
  });

  it('shows the named reviewer and the server’s errors in the user’s language on the fields they concern', () => {
    renderPanel([
      { field: 'graph.steps[0].key', code: 'duplicate' },
      { field: 'graph.steps[0].next', code: 'cycle' },
    ]);
    const panel = screen.getByTestId('step-panel');
    expect(within(panel).getByText('审核员（rev）')).toBeInTheDocument();
    expect(within(panel).getByText('与其他节点的编码重复')).toBeInTheDocument();
    expect(within(panel).getByTestId('step-issues')).toHaveTextContent('出口指回了前面的节点，形成循环');
  });

  it('lets a step be decided by a review committee, chosen among the active ones', async () => {
    const models = renderPanel();
    const panel = screen.getByTestId('step-panel');
    fireEvent.click(within(panel).getByTestId('assignee-kind-committee'));
    expect(toGraph(models[models.length - 1]).steps[0].assignee).toEqual({ kind: 'committee', committeeId: 0 });
    expect(within(panel).getByText(/由贷审会在会议上表决决定/)).toBeInTheDocument();
    fireEvent.mouseDown(panel.querySelector('#step-assignee-committee')!);
    expect(screen.queryByTitle('旧贷审会')).toBeNull();
    fireEvent.click(await screen.findByTitle('总部贷审会'));
    expect(toGraph(models[models.length - 1]).steps[0].assignee).toEqual({ kind: 'committee', committeeId: 7 });
  });
});
