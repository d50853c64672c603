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

function renderDialog(onDone = vi.fn<(r: Repayment) => void>()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(ME_KEY, me(3, [P.loanRead, P.repaymentRegister, P.ledgerRead]));
  client.setQueryData(financeKeys.businessDate, '2026-03-02');
  client.setQueryData(financeKeys.accounts, CHART);
  const onClose = vi.fn();
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <RepaymentDialog loan={LOAN} amountDue="0.00" onClose={onClose} onDone={onDone} />
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
});
