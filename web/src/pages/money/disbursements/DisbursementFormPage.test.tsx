// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import '../../../i18n';
import { ME_KEY } from '../../../auth/hooks';
import { P } from '../../../access/permissions';
import { contractKey, type Contract } from '../../../api/contracts';
import { financeKeys } from '../../../api/finance';
import { collateralKey, type ContractCollateral } from '../../../api/securing';
import { stubApi } from '../../../test/api';
import { CHART, disbursement, me } from '../testFixtures';
import DisbursementFormPage from './DisbursementFormPage';

afterEach(() => vi.unstubAllGlobals());

const CONTRACT = {
  id: 41,
  contractNo: 'JK20260302000041',
  applicationId: 12,
  status: 'signed',
  signedOn: '2026-03-01',
  plannedDisbursementDate: '2026-03-02',
  terms: {
    customerId: 3,
    borrowerName: '借款人1',
    amount: '100000.00',
    termMonths: 24,
    method: 'equal_installment',
  },
} as unknown as Contract;

const collateral = (ready: boolean) =>
  ({ contractId: 41, securityKind: 'mortgage', gpsRequired: true, registrations: [], gpsDevices: [], readiness: { ready, checks: [] } }) as unknown as ContractCollateral;

const ACCOUNTS = [
  { id: 10, customerId: 3, bankName: '建设银行', accountType: 'card', number: '6217***********0011', holderName: '借款人1', isPrimary: false, status: 'active', version: 1, createdAt: '2026-01-01T00:00:00Z' },
  { id: 11, customerId: 3, bankName: '工商银行', accountType: 'card', number: '6222***********0128', holderName: '借款人1', isPrimary: true, status: 'active', version: 1, createdAt: '2026-01-01T00:00:00Z' },
];

function renderForm(ready: boolean) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(ME_KEY, me(3, [P.disbursementRegister, P.contractRead, P.customerRead, P.ledgerRead, P.loanRead]));
  client.setQueryData(contractKey(41), CONTRACT);
  client.setQueryData(collateralKey(41), collateral(ready));
  client.setQueryData(financeKeys.businessDate, '2026-03-02');
  client.setQueryData(financeKeys.accounts, CHART);
  client.setQueryData(['customers', 'bank-accounts', 3, false], ACCOUNTS);
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <MemoryRouter initialEntries={['/money/disbursements/new?contractId=41']}>
          <Routes>
            <Route path="/money/disbursements/new" element={<DisbursementFormPage />} />
            <Route path="/money/disbursements/:id" element={<div data-testid="detail">detail</div>} />
          </Routes>
        </MemoryRouter>
      </AntdApp>
    </QueryClientProvider>,
  );
}

describe('放款登记', () => {
  it("is prefilled with the contract's amount, the business date and the primary account, and sends an Idempotency-Key", async () => {
    const api = stubApi({ 'POST /api/v1/disbursements': { status: 201, body: disbursement(7, 3) } });
    renderForm(true);
    const amount = await screen.findByLabelText('金额');
    await waitFor(() => expect(amount).toHaveValue('100000.00'));
    expect(document.querySelector('#disbursement_valueDate')).toHaveValue('2026-03-02');
    expect(await screen.findByTitle('工商银行 6222***********0128 · 借款人1 · 主账户')).toBeInTheDocument();
    expect(screen.getByTitle('100201 基本存款账户')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('银行流水号'), { target: { value: 'BANK-0001' } });
    fireEvent.click(screen.getByTestId('disbursement-save'));
    await screen.findByTestId('detail');
    const [post] = api.of('POST', '/api/v1/disbursements');
    expect(post.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(post.body).toEqual({
      contractId: 41,
      amount: '100000.00',
      valueDate: '2026-03-02',
      customerAccountId: 11,
      fundAccountCode: '100201',
      reference: 'BANK-0001',
    });
  });

  it('waits for the collateral: nothing can be registered before the car is secured', async () => {
    stubApi({});
    renderForm(false);
    expect(await screen.findByTestId('disbursement-blocked')).toHaveTextContent('押品尚未齐备');
    expect(screen.getByTestId('disbursement-save')).toBeDisabled();
  });
});
