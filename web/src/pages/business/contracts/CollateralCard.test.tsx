// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import '../../../i18n';
import { ME_KEY, type Me } from '../../../auth/hooks';
import { P } from '../../../access/permissions';
import type { Contract } from '../../../api/contracts';
import { collateralKey, type ContractCollateral, type Registration, type ReleaseRequest } from '../../../api/securing';
import { stubApi } from '../../../test/api';
import { CollateralCard } from './CollateralCard';

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

const contract = {
  id: 41,
  contractNo: 'JK20260302000041',
  status: 'signed',
  terms: { vehicles: [{ vehicleId: 7, vin: 'LSVAU2180N2100007', description: '大众帕萨特' }] },
} as unknown as Contract;

const registration = (over: Partial<Registration> = {}): Registration =>
  ({
    id: 11,
    vehicleId: 7,
    contractId: 41,
    kind: 'mortgage',
    status: 'registered',
    registryOffice: '福州市车管所',
    certificateNo: '350012345678',
    registeredOn: '2026-03-02',
    yard: null,
    slot: null,
    keysCount: null,
    conditionNote: null,
    releasedOn: null,
    releaseBasis: null,
    releaseReason: null,
    settlementCertNo: null,
    handoverNote: null,
    hasDocument: false,
    version: 3,
    createdAt: '2026-03-02T01:00:00Z',
    ...over,
  }) as Registration;

const request = (requestedBy: number, over: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  id: 5,
  registrationId: 11,
  contractId: 41,
  contractNo: 'JK20260302000041',
  borrowerName: '借款人甲',
  vehicleId: 7,
  vin: 'LSVAU2180N2100007',
  plate: '闽A12347',
  brand: '大众',
  model: '帕萨特',
  kind: 'mortgage',
  status: 'requested',
  reason: '借款人以保证金置换抵押',
  handoverNote: '登记证书交借款人本人',
  requestedBy,
  requestedByName: '刘洋',
  requestedAt: '2026-03-10T02:00:00Z',
  reviewedBy: null,
  reviewedByName: null,
  reviewedAt: null,
  reviewComment: null,
  version: 1,
  ...over,
});

function collateral(loanStatus: 'active' | 'settled' | null, registrations: Registration[], releaseRequests: ReleaseRequest[] = []): ContractCollateral {
  return {
    contractId: 41,
    securityKind: 'mortgage',
    gpsRequired: false,
    registrations,
    gpsDevices: [],
    readiness: { ready: registrations.some((r) => r.status === 'registered'), checks: [{ code: 'mortgage_registered', vehicleId: 7, ok: registrations.some((r) => r.status === 'registered'), detail: '' }] },
    loan: loanStatus ? { id: 9, loanNo: 'JK20260302000041-01', status: loanStatus, settledOn: null } : null,
    releaseRequests,
  };
}

function renderCard(userId: number, permissions: string[], data: ContractCollateral) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(ME_KEY, me(userId, permissions));
  client.setQueryData(collateralKey(41), data);
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <MemoryRouter>
          <CollateralCard contract={contract} />
        </MemoryRouter>
      </AntdApp>
    </QueryClientProvider>,
  );
}

const appraiser = [P.contractRead, P.collateralRegister, P.gpsWrite];
const head = [P.contractRead, P.collateralReleaseException];

describe('车辆与GPS: releasing the contract’s car', () => {
  it('asks for an early release while the loan is not settled', async () => {
    renderCard(3, appraiser, collateral('active', [registration()]));
    const item = await screen.findByTestId('registration-7');
    expect(within(item).getByTestId('registration-request-release')).toHaveTextContent('申请提前解押');
    expect(within(item).queryByTestId('registration-release')).not.toBeInTheDocument();
    expect(screen.getByTestId('collateral-loan')).toHaveTextContent('未结清');
  });

  it('releases a settled loan’s car with the plain release form', async () => {
    renderCard(3, appraiser, collateral('settled', [registration()]));
    const item = await screen.findByTestId('registration-7');
    fireEvent.click(within(item).getByTestId('registration-release'));
    expect(await screen.findByLabelText('结清证明编号')).toBeInTheDocument();
    expect(screen.getByTestId('collateral-loan')).toHaveTextContent('已结清');
  });

  it('shows one’s own waiting request without a decision, and offers no second registration of the car', async () => {
    renderCard(3, [...appraiser, P.collateralReleaseException], collateral('active', [registration({ status: 'release_requested', version: 4 })], [request(3)]));
    const waiting = await screen.findByTestId('registration-waiting');
    expect(waiting).toHaveTextContent('提前解押待审批');
    expect(waiting).toHaveTextContent('借款人以保证金置换抵押');
    expect(waiting).toHaveTextContent('本人申请');
    expect(within(waiting).queryByTestId('release-decide-5')).not.toBeInTheDocument();
    expect(screen.getByTestId('registration-status')).toHaveTextContent('待审批解押');
    expect(screen.queryByTestId('registration-request-release')).not.toBeInTheDocument();
    expect(screen.queryByTestId('hold-7')).not.toBeInTheDocument();
  });

  it('lets another holder of the permission approve the waiting request', async () => {
    const api = stubApi({ 'POST /api/v1/collateral-release-requests/5/decision': { body: request(3, { status: 'approved', version: 2 }) } });
    renderCard(8, head, collateral('active', [registration({ status: 'release_requested', version: 4 })], [request(3)]));
    fireEvent.click(await screen.findByTestId('release-decide-5'));
    fireEvent.click(await screen.findByTestId('release-decide-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/collateral-release-requests/5/decision')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/collateral-release-requests/5/decision')[0].body).toEqual({ decision: 'approve', comment: null, version: 1 });
  });

  it('shows who asked and who approved a car released by exception', async () => {
    const released = registration({
      status: 'released',
      releasedOn: '2026-03-10',
      releaseBasis: 'exception',
      releaseReason: '借款人以保证金置换抵押',
      handoverNote: '登记证书交借款人本人',
    });
    const approved = request(3, { status: 'approved', reviewedBy: 8, reviewedByName: '王建国', reviewedAt: '2026-03-10T03:00:00Z', version: 2 });
    renderCard(3, appraiser, collateral('active', [released], [approved, request(3, { id: 4, status: 'rejected', reviewedByName: '王建国', reviewComment: '保证金未到账' })]));
    const item = await screen.findByTestId('registration-7');
    expect(item).toHaveTextContent('例外解押');
    expect(within(item).getByTestId('registration-requested-by')).toHaveTextContent('刘洋');
    expect(within(item).getByTestId('registration-approved-by')).toHaveTextContent('王建国');
    expect(within(item).queryByRole('button', { name: /解押/ })).not.toBeInTheDocument();
  });
});
