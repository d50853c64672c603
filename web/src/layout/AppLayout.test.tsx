// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import '../i18n';
import { ME_KEY, type Me } from '../auth/hooks';
import { P } from '../access/permissions';
import { OPEN_TASK_COUNT_KEY } from '../api/workflow';
import { AppLayout } from './AppLayout';

function renderWith(permissions: string[], openTasks = 0, businessDate?: string) {
  const client = new QueryClient();
  if (businessDate) client.setQueryData(['finance', 'business-date'], businessDate);
  // The inbox count, as if just fetched: no request leaves the test.
  client.setQueryData(OPEN_TASK_COUNT_KEY, openTasks);
  const me: Me = {
    id: 7, username: 'clerk', displayName: '张三', departmentId: null, roles: [], permissions,
    dataScope: 'self', mustChangePassword: false,
  };
  client.setQueryData(ME_KEY, me);
  return render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <MemoryRouter initialEntries={['/org/employees']}>
          <Routes>
            <Route element={<AppLayout />}>
              <Route path="*" element={<div>page</div>} />
            </Route>
          </Routes>
        </MemoryRouter>
      </AntdApp>
    </QueryClientProvider>,
  );
}

describe('AppLayout menu', () => {
  it('shows permitted pages and hides the others', () => {
    renderWith([P.employeeRead, P.departmentRead]);
    const menu = screen.getAllByRole('menu')[0];
    expect(within(menu).getByText('员工管理')).toBeInTheDocument();
    expect(within(menu).getByText('部门管理')).toBeInTheDocument();
    expect(within(menu).queryByText('用户管理')).not.toBeInTheDocument();
    expect(within(menu).queryByText('审计日志')).not.toBeInTheDocument();
    // No calculator permission: the business centre is hidden whole.
    expect(within(menu).queryByText('业务中心')).not.toBeInTheDocument();
    // Customers is built, and this user may see none of it: hidden whole.
    expect(within(menu).queryByText('客户管理')).not.toBeInTheDocument();
    // Appraisal is built, and this user may not read vehicles: hidden whole.
    expect(within(menu).queryByText('评估管理')).not.toBeInTheDocument();
    // The finance centre is built (loan products), and this user may not read products.
    expect(within(menu).queryByText('财务中心')).not.toBeInTheDocument();
    // The vehicle area is built (mortgage query, GPS ledger), and this user may not read vehicles.
    expect(within(menu).queryByText('车辆管理')).not.toBeInTheDocument();
    // Money movement is built, and this user moves no money: hidden whole.
    expect(within(menu).queryByText('放款管理')).not.toBeInTheDocument();
    // Post-loan is built (warnings), and this user may not read warnings: hidden whole.
    expect(within(menu).queryByText('贷后管理')).not.toBeInTheDocument();
    expect(screen.getByText('张三')).toBeInTheDocument();
    // Everyone has an inbox; with nothing waiting it shows no count.
    expect(within(menu).getByText('我的待办')).toBeInTheDocument();
    expect(screen.queryByTestId('menu-task-count')).not.toBeInTheDocument();
  });

  it('shows how many tasks wait, in the menu and on the header bell', () => {
    renderWith([P.loanApplicationRead, P.flowRead], 3);
    const menu = screen.getAllByRole('menu')[0];
    const inbox = within(menu).getByText('我的待办').closest('li')!;
    expect(within(inbox).getByText('3')).toBeInTheDocument();
    expect(within(screen.getByTestId('inbox-badge')).getByText('3')).toBeInTheDocument();
    // The pages built for these permissions are in their areas.
    expect(within(menu).getByText('业务中心')).toBeInTheDocument();
    expect(within(menu).getByText('财务中心')).toBeInTheDocument();
  });

  it('opens the vehicle area to whoever may read vehicles', () => {
    renderWith([P.vehicleRead]);
    const menu = screen.getAllByRole('menu')[0];
    const area = within(menu).getByText('车辆管理').closest('li')!;
    expect(area).not.toHaveClass('ant-menu-item-disabled');
    expect(within(menu).getByText('评估管理')).toBeInTheDocument();
  });

  it('shows the business date in the header to whoever moves money or reads the books', () => {
    renderWith([P.loanRead, P.disbursementRegister], 0, '2026-03-02');
    expect(screen.getByTestId('business-date')).toHaveTextContent('营业日期 2026-03-02');
    // Moving it by hand is the administrator's.
    expect(screen.queryByTestId('business-date-advance')).not.toBeInTheDocument();
    const menu = screen.getAllByRole('menu')[0];
    expect(within(menu).getByText('放款管理')).toBeInTheDocument();
  });

  it('keeps the header free of it for everyone else', () => {
    renderWith([P.employeeRead], 0, '2026-03-02');
    expect(screen.queryByTestId('business-date')).not.toBeInTheDocument();
  });
});
