// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import '../../i18n';
import { ME_KEY, type Me } from '../../auth/hooks';
import { P } from '../../access/permissions';
import type { HoldingRow, ReleaseRequest } from '../../api/securing';
import { page, stubApi } from '../../test/api';
import RegistrationsPage from './RegistrationsPage';

afterEach(() => vi.unstubAllGlobals());

const me = (id: number, permissions: string[]): Me => ({
  id,
  username: `user${id}`,
  displayName: `用户${id}`,
  departmentId: null,
  roles: [],
  permissions,
  dataScope: 'all',
  mustChangePassword: false,
});

const holding = (id: number, over: Partial<HoldingRow> = {}): HoldingRow => ({
  id,
  kind: 'mortgage',
  status: 'registered',
  vehicleId: 100 + id,
  vin: `LSVAU2180N21000${id}`,
  plate: `闽A1234${id}`,
  brand: '大众',
  model: '帕萨特',
  contractId: 40 + id,
  contractNo: `JK2026030200004${id}`,
  borrowerName: `借款人${id}`,
  amount: '100000.00',
  certificateNo: `35001234567${id}`,
  registryOffice: '福州市车管所',
  yard: null,
  slot: null,
  registeredOn: '2026-03-02',
  releasedOn: null,
  releaseBasis: null,
  loanStatus: 'active',
  releaseRequestedByName: null,
  releaseApprovedByName: null,
  hasDocument: false,
  version: 2,
  ...over,
});

const request = (id: number, requestedBy: number, over: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  id,
  registrationId: 10 + id,
  contractId: 41,
  contractNo: 'JK20260302000041',
  borrowerName: '借款人1',
  vehicleId: 101,
  vin: 'LSVAU2180N2100001',
  plate: '闽A12341',
  brand: '大众',
  model: '帕萨特',
  kind: 'mortgage',
  status: 'requested',
  reason: '借款人以保证金置换抵押',
  handoverNote: '登记证书交借款人本人',
  requestedBy,
  requestedByName: `评估师${requestedBy}`,
  requestedAt: '2026-03-10T02:00:00Z',
  reviewedBy: null,
  reviewedByName: null,
  reviewedAt: null,
  reviewComment: null,
  version: 1,
  ...over,
});

function renderPage(userId: number, permissions: string[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(ME_KEY, me(userId, permissions));
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <MemoryRouter>
          <RegistrationsPage />
        </MemoryRouter>
      </AntdApp>
    </QueryClientProvider>,
  );
}

const clerk = [P.vehicleRead, P.contractRead, P.collateralRegister];
const approver = [P.vehicleRead, P.contractRead, P.collateralReleaseException];

describe('抵押/质押查询: releasing a held car', () => {
  const rows = [
    holding(1, { loanStatus: 'settled' }),
    holding(2, { loanStatus: 'active' }),
    holding(3, { loanStatus: null }),
    holding(4, { status: 'release_requested' }),
    holding(5, {
      status: 'released',
      releasedOn: '2026-03-10',
      releaseBasis: 'exception',
      releaseRequestedByName: '刘洋',
      releaseApprovedByName: '王建国',
    }),
  ];

  it('offers the plain release for a settled loan and an early-release request for any other held car', async () => {
    stubApi({ 'GET /api/v1/collateral-registrations': { body: page(rows) } });
    renderPage(3, clerk);
    expect(await screen.findByTestId('holding-release-1')).toHaveTextContent('解押');
    expect(screen.queryByTestId('holding-request-1')).not.toBeInTheDocument();
    expect(screen.getByTestId('holding-request-2')).toHaveTextContent('申请提前解押');
    expect(screen.getByTestId('holding-request-3')).toBeInTheDocument();
    // Waiting for approval, or released: nothing more to do here.
    const waiting = screen.getByTestId('holding-row-4');
    expect(within(waiting).getByTestId('holding-status')).toHaveTextContent('待审批解押');
    expect(within(waiting).queryByRole('button')).not.toBeInTheDocument();
    const released = screen.getByTestId('holding-row-5');
    expect(within(released).getByTestId('holding-basis')).toHaveTextContent('例外解押申请：刘洋 · 批准：王建国');
    expect(within(released).queryByRole('button')).not.toBeInTheDocument();
  });

  it('offers no release to someone who may not release cars', async () => {
    const api = stubApi({ 'GET /api/v1/collateral-registrations': { body: page(rows) } });
    renderPage(3, [P.vehicleRead]);
    await screen.findByTestId('holding-row-1');
    expect(api.of('GET', '/api/v1/collateral-registrations')).toHaveLength(1);
    expect(screen.queryByTestId('holding-release-1')).not.toBeInTheDocument();
    expect(screen.queryByTestId('holding-request-2')).not.toBeInTheDocument();
  });

  it('asks for an early release with the reason and the planned hand-over', async () => {
    const api = stubApi({
      'GET /api/v1/collateral-registrations': { body: page(rows) },
      'POST /api/v1/collateral-registrations/2/release-requests': { status: 201, body: request(9, 3, { registrationId: 2 }) },
    });
    renderPage(3, clerk);
    fireEvent.click(await screen.findByTestId('holding-request-2'));
    fireEvent.click(await screen.findByTestId('release-request-save'));
    expect(await screen.findAllByText('请填写此项')).toHaveLength(2);
    fireEvent.change(screen.getByLabelText('提前解押原因'), { target: { value: ' 借款人以保证金置换抵押 ' } });
    fireEvent.change(screen.getByLabelText('拟交接记录'), { target: { value: '登记证书交借款人本人' } });
    fireEvent.click(screen.getByTestId('release-request-save'));
    await waitFor(() => expect(api.of('POST', '/api/v1/collateral-registrations/2/release-requests')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/collateral-registrations/2/release-requests')[0].body).toEqual({
      reason: '借款人以保证金置换抵押',
      handoverNote: '登记证书交借款人本人',
      version: 2,
    });
    await waitFor(() => expect(screen.queryByTestId('release-request-save')).not.toBeInTheDocument());
  });

  it('releases a settled loan’s car with its certificate, and shows a refusal in the dialog', async () => {
    const api = stubApi({
      'GET /api/v1/collateral-registrations': { body: page(rows) },
      'POST /api/v1/collateral-registrations/1/release': {
        status: 409,
        body: { type: 'about:blank', title: 'loan_not_settled', status: 409, code: 'loan_not_settled', detail: 'loan JK-01 is active, not settled' },
      },
    });
    renderPage(3, clerk);
    fireEvent.click(await screen.findByTestId('holding-release-1'));
    fireEvent.change(await screen.findByLabelText('结清证明编号'), { target: { value: ' JQ-2026-0001 ' } });
    fireEvent.change(screen.getByLabelText('交接记录'), { target: { value: '登记证书与备用钥匙交借款人' } });
    fireEvent.click(screen.getByTestId('release-save'));
    expect(await screen.findByTestId('release-refused')).toHaveTextContent('尚未结清');
    const [call] = api.of('POST', '/api/v1/collateral-registrations/1/release');
    expect(call.body).toMatchObject({ settlementCertNo: 'JQ-2026-0001', handoverNote: '登记证书与备用钥匙交借款人', version: 2 });
    expect((call.body as { releasedOn: string }).releasedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('待审批解押: the approvers’ queue', () => {
  it('lists the waiting requests; one’s own shows no actions', async () => {
    const api = stubApi({
      'GET /api/v1/collateral-registrations': { body: page([]) },
      'GET /api/v1/collateral-release-requests': { body: page([request(1, 3), request(2, 5)]) },
    });
    renderPage(3, approver);
    fireEvent.click(await screen.findByRole('tab', { name: '待审批解押' }));
    const own = await screen.findByTestId('release-request-row-1');
    expect(own).toHaveTextContent('本人申请');
    expect(within(own).queryByTestId('release-decide-1')).not.toBeInTheDocument();
    expect(screen.getByTestId('release-decide-2')).toHaveTextContent('审批');
    expect(api.of('GET', '/api/v1/collateral-release-requests')[0].query.get('status')).toBe('requested');
  });

  it('shows no decision to someone without the exception permission', async () => {
    stubApi({
      'GET /api/v1/collateral-registrations': { body: page([]) },
      'GET /api/v1/collateral-release-requests': { body: page([request(2, 5)]) },
    });
    renderPage(3, clerk);
    fireEvent.click(await screen.findByRole('tab', { name: '待审批解押' }));
    const row = await screen.findByTestId('release-request-row-2');
    expect(within(row).queryByTestId('release-decide-2')).not.toBeInTheDocument();
    expect(row).not.toHaveTextContent('本人申请');
  });

  it('rejects only with a comment, and approves with the request’s version', async () => {
    const api = stubApi({
      'GET /api/v1/collateral-registrations': { body: page([]) },
      'GET /api/v1/collateral-release-requests': { body: page([request(2, 5, { version: 4 })]) },
      'POST /api/v1/collateral-release-requests/2/decision': (call) => ({
        body: request(2, 5, { status: (call.body as { decision: string }).decision === 'approve' ? 'approved' : 'rejected', version: 5 }),
      }),
    });
    renderPage(3, approver);
    fireEvent.click(await screen.findByRole('tab', { name: '待审批解押' }));
    fireEvent.click(await screen.findByTestId('release-decide-2'));
    expect(await screen.findByText('借款人以保证金置换抵押', { selector: '.ant-modal *' })).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('release-reject'));
    fireEvent.click(screen.getByTestId('release-decide-ok'));
    expect(await screen.findByText('驳回时请说明原因')).toBeInTheDocument();
    expect(api.of('POST', '/api/v1/collateral-release-requests/2/decision')).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('说明'), { target: { value: ' 保证金未到账 ' } });
    fireEvent.click(screen.getByTestId('release-decide-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/collateral-release-requests/2/decision')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/collateral-release-requests/2/decision')[0].body).toEqual({ decision: 'reject', comment: '保证金未到账', version: 4 });
    await waitFor(() => expect(screen.queryByTestId('release-decide-ok')).not.toBeInTheDocument());

    fireEvent.click(screen.getByTestId('release-decide-2'));
    fireEvent.click(await screen.findByTestId('release-decide-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/collateral-release-requests/2/decision')).toHaveLength(2));
    expect(api.of('POST', '/api/v1/collateral-release-requests/2/decision')[1].body).toEqual({ decision: 'approve', comment: null, version: 4 });
  });

  it('keeps a refusal (already decided) in the dialog', async () => {
    stubApi({
      'GET /api/v1/collateral-registrations': { body: page([]) },
      'GET /api/v1/collateral-release-requests': { body: page([request(2, 5)]) },
      'POST /api/v1/collateral-release-requests/2/decision': {
        status: 409,
        body: { type: 'about:blank', title: 'invalid_transition', status: 409, code: 'invalid_transition', detail: 'this early-release request has already been approved' },
      },
    });
    renderPage(3, approver);
    fireEvent.click(await screen.findByRole('tab', { name: '待审批解押' }));
    fireEvent.click(await screen.findByTestId('release-decide-2'));
    fireEvent.click(await screen.findByTestId('release-decide-ok'));
    expect(await screen.findByTestId('release-decide-refused')).toHaveTextContent('already been approved');
  });
});
