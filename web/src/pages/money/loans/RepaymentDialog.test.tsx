// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../../i18n';
import { ME_KEY } from '../../../auth/hooks';
import { P } from '../../../access/permissions';
import { financeKeys, type Repayment } from '../../../api/finance';
import { problem, stubApi } from '../../../test/api';
import { CHART, me, repayment } from '../testFixtures';
import { RepaymentDialog } from './RepaymentDialog';

afterEach(() => vi.unstubAllGlobals());

const LOAN = { id: 5, loanNo: 'JK20260302000041-01', customerName: '借款人1', valueDate: '2026-03-02' };

function renderDialog(onDone = vi.fn<(r: Repayment) => void>(), prepaymentDates: string[] = []) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(ME_KEY, me(3, [P.loanRead, P.repaymentRegister, P.ledgerRead]));
  client.setQueryData(financeKeys.businessDate, '2026-03-02');
  client.setQueryData(financeKeys.accounts, CHART);
  const onClose = vi.fn();
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <RepaymentDialog loan={LOAN} amountDue="0.00" prepaymentDates={prepaymentDates} onClose={onClose} onDone={onDone} />
      </AntdApp>
    </QueryClientProvider>,
  );
  return { onClose, onDone };
}

async function fill() {
  fireEvent.change(await screen.findByLabelText('收款金额'), { target: { value: '5000' } });
  fireEvent.change(screen.getByLabelText('流水号 / 收据号'), { target: { value: 'TX-20260302-1' } });
  // Bank transfer is the default channel, and 100201 the only bank account: it is chosen.
  await screen.findByTitle('100201 基本存款账户');
}

describe('还款登记', () => {
  it('sends an Idempotency-Key and sends the same one again when the same submission is retried', async () => {
    const api = stubApi({
      'POST /api/v1/repayments': ['network', problem(503, 'unavailable', '服务暂不可用'), { status: 201, body: repayment(1, 3) }],
    });
    const { onDone, onClose } = renderDialog();
    await fill();
    const save = screen.getByTestId('repayment-save');
    fireEvent.click(save);
    await waitFor(() => expect(api.of('POST', '/api/v1/repayments')).toHaveLength(1));
    expect(await screen.findByText('无法连接服务器，请检查网络')).toBeInTheDocument();
    fireEvent.click(save);
    await waitFor(() => expect(api.of('POST', '/api/v1/repayments')).toHaveLength(2));
    await screen.findByText('服务暂不可用');
    fireEvent.click(save);
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(onClose).toHaveBeenCalled();

    const posts = api.of('POST', '/api/v1/repayments');
    expect(posts).toHaveLength(3);
    const key = posts[0].headers.get('Idempotency-Key');
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(posts.map((p) => p.headers.get('Idempotency-Key'))).toEqual([key, key, key]);
    expect(posts[0].body).toEqual({
      loanId: 5,
      amount: '5000',
      channel: 'bank_transfer',
      fundAccountCode: '100201',
      reference: 'TX-20260302-1',
      valueDate: '2026-03-02',
    });
  });

  it('takes a new key when the submission is changed after a refusal, and shows field errors on the form', async () => {
    const api = stubApi({
      'POST /api/v1/repayments': [
        problem(422, 'validation_failed', 'invalid', [{ field: 'valueDate', code: 'after_business_date', message: 'after' }]),
        { status: 201, body: repayment(1, 3) },
      ],
    });
    renderDialog();
    await fill();
    fireEvent.click(screen.getByTestId('repayment-save'));
    expect(await screen.findByText('不能晚于营业日期')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('收款金额'), { target: { value: '4000' } });
    fireEvent.click(screen.getByTestId('repayment-save'));
    await waitFor(() => expect(api.of('POST', '/api/v1/repayments')).toHaveLength(2));
    const [first, second] = api.of('POST', '/api/v1/repayments');
    expect(second.headers.get('Idempotency-Key')).not.toBe(first.headers.get('Idempotency-Key'));
  });

  it('offers only the fund accounts of the chosen channel', async () => {
    stubApi({});
    renderDialog();
    await fill();
    fireEvent.click(screen.getByTestId('repayment-channel-cash'));
    // Cash goes to 1001, the only cash account, which replaces the bank account.
    expect(await screen.findByTitle('1001 库存现金')).toBeInTheDocument();
    expect(screen.queryByTitle('100201 基本存款账户')).not.toBeInTheDocument();
    expect(screen.getByText('仅可选择 1001 下的资金科目')).toBeInTheDocument();
  });

  it('registers a partial prepayment from its quote, with the schedule it leaves', async () => {
    // The business date 2026-03-02 is a due date of this loan.
    const plan = {
      date: '2026-03-02', afterPeriod: 1, dueAmount: '4707.35', prepaidPrincipal: '20000.00', fee: '400.00', amount: '25107.35',
      reamortisation: 'keep_installment', balanceBefore: '96292.65', balanceAfter: '76292.65', installmentBefore: '4707.35',
      installmentAfter: '4707.35', periodsBefore: 23, periodsAfter: 18, maturityBefore: '2028-02-02', maturityAfter: '2027-09-02',
      schedule: [{ period: 2, dueDate: '2026-04-02', principal: '3944.42', interest: '762.93', total: '4707.35', remainingPrincipal: '72348.23' }],
    };
    const api = stubApi({
      'GET /api/v1/loans/5/prepayment-quote': { status: 200, body: plan },
      'POST /api/v1/repayments': { status: 201, body: repayment(1, 3) },
    });
    const { onDone } = renderDialog(undefined, ['2026-03-02']);
    fireEvent.click(await screen.findByTestId('repayment-kind-prepayment'));
    expect(await screen.findByTestId('early-quote-waiting')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('提前归还本金'), { target: { value: '20000' } });
    fireEvent.click(screen.getByTestId('repayment-reamortisation-keep_installment'));
    expect(await screen.findByTestId('early-quote-total')).toHaveTextContent('25,107.35');
    expect(screen.getByTestId('early-quote-after-periods')).toHaveTextContent('18');
    expect(screen.getByTestId('early-quote-after-maturity')).toHaveTextContent('2027-09-02');
    const asked = api.of('GET', '/api/v1/loans/5/prepayment-quote').at(-1)!;
    expect(Object.fromEntries(asked.query)).toEqual({ date: '2026-03-02', principal: '20000', reamortisation: 'keep_installment' });
    fireEvent.click(screen.getByTestId('early-quote-use'));
    expect(screen.getByLabelText('收款金额')).toHaveValue('25107.35');
    fireEvent.change(screen.getByLabelText('流水号 / 收据号'), { target: { value: 'TX-PREPAY-1' } });
    await screen.findByTitle('100201 基本存款账户');
    fireEvent.click(screen.getByTestId('repayment-save'));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(api.of('POST', '/api/v1/repayments')[0].body).toEqual({
      loanId: 5,
      kind: 'prepayment',
      prepaidPrincipal: '20000',
      reamortisation: 'keep_installment',
      amount: '25107.35',
      channel: 'bank_transfer',
      fundAccountCode: '100201',
      reference: 'TX-PREPAY-1',
      valueDate: '2026-03-02',
    });
  });

  it('shows why a prepayment cannot be made on the chosen day', async () => {
    stubApi({
      'GET /api/v1/loans/5/prepayment-quote': problem(422, 'validation_failed', 'invalid', [
        { field: 'valueDate', code: 'not_a_due_date', message: 'a partial prepayment is made on a due date; the next one is 2026-04-02' },
      ]),
    });
    renderDialog();
    fireEvent.click(await screen.findByTestId('repayment-kind-prepayment'));
    fireEvent.change(await screen.findByLabelText('提前归还本金'), { target: { value: '20000' } });
    expect(await screen.findByTestId('early-quote-error')).toHaveTextContent('部分提前还款须在还款日办理');
  });

  it('registers a payoff with the amount of its quote', async () => {
    const api = stubApi({
      'GET /api/v1/loans/5/payoff-quote': {
        status: 200,
        body: { date: '2026-03-02', dueAmount: '0.00', remainingPrincipal: '100000.00', interestFrom: '2026-03-02', accruedDays: 0, accruedInterest: '0.00', fee: '0.00', payoffAmount: '100000.00' },
      },
      'POST /api/v1/repayments': { status: 201, body: repayment(1, 3) },
    });
    const { onDone } = renderDialog();
    fireEvent.click(await screen.findByTestId('repayment-kind-payoff'));
    expect(await screen.findByTestId('early-quote-total')).toHaveTextContent('100,000.00');
    fireEvent.click(screen.getByTestId('early-quote-use'));
    fireEvent.change(screen.getByLabelText('流水号 / 收据号'), { target: { value: 'TX-PAYOFF-1' } });
    await screen.findByTitle('100201 基本存款账户');
    fireEvent.click(screen.getByTestId('repayment-save'));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(api.of('POST', '/api/v1/repayments')[0].body).toMatchObject({ kind: 'payoff', amount: '100000.00' });
  });
});
