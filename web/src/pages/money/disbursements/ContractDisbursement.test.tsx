// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import '../../../i18n';
import { ME_KEY } from '../../../auth/hooks';
import { P } from '../../../access/permissions';
import type { Contract } from '../../../api/contracts';
import { collateralKey, type ContractCollateral } from '../../../api/securing';
import { page, stubApi } from '../../../test/api';
import { disbursement, me } from '../testFixtures';
import { ContractDisbursement } from './ContractDisbursement';

afterEach(() => vi.unstubAllGlobals());

const contract = (status: string) => ({ id: 41, contractNo: 'JK20260302000041', status, terms: {} }) as unknown as Contract;
const collateral = (ready: boolean) => ({ readiness: { ready, checks: [] } }) as unknown as ContractCollateral;

function renderIt(c: Contract, ready: boolean, permissions: string[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(ME_KEY, me(3, permissions));
  client.setQueryData(collateralKey(41), collateral(ready));
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <MemoryRouter>
          <ContractDisbursement contract={c} />
        </MemoryRouter>
      </AntdApp>
    </QueryClientProvider>,
  );
}

describe('放款登记 on the contract page', () => {
  const cashier = [P.disbursementRegister, P.loanRead, P.contractRead];

  it('offers the registration once the contract is signed and its car secured', async () => {
    stubApi({ 'GET /api/v1/disbursements': { body: page([]) } });
    renderIt(contract('signed'), true, cashier);
    expect(await screen.findByTestId('contract-disburse')).toHaveTextContent('放款登记');
    expect(screen.getByRole('link')).toHaveAttribute('href', '/money/disbursements/new?contractId=41');
  });

  it('offers nothing before the car is secured', async () => {
    const api = stubApi({ 'GET /api/v1/disbursements': { body: page([]) } });
    renderIt(contract('signed'), false, cashier);
    await vi.waitFor(() => expect(api.of('GET', '/api/v1/disbursements')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('contract-disburse')).not.toBeInTheDocument();
  });

  it('offers nothing to someone who may not register disbursements', async () => {
    const api = stubApi({ 'GET /api/v1/disbursements': { body: page([]) } });
    renderIt(contract('signed'), true, [P.loanRead, P.contractRead]);
    await vi.waitFor(() => expect(api.of('GET', '/api/v1/disbursements')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('contract-disburse')).not.toBeInTheDocument();
  });

  it('links to the disbursement once one is registered, instead of a second registration', async () => {
    stubApi({ 'GET /api/v1/disbursements': { body: page([disbursement(7, 3, { contractId: 41 })]) } });
    renderIt(contract('signed'), true, cashier);
    expect(await screen.findByTestId('contract-disbursement')).toHaveAttribute('href', '/money/disbursements/7');
    expect(screen.getByTestId('disbursement-status')).toHaveTextContent('待复核');
    expect(screen.queryByTestId('contract-disburse')).not.toBeInTheDocument();
  });
});
