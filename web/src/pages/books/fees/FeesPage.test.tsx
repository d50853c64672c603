// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { BP } from '../permissions';
import { page, problem, renderWith, stubApi } from '../testing';
import FeesPage from './FeesPage';

afterEach(() => vi.unstubAllGlobals());

const fee = (id: number, registeredBy: number, over: Record<string, unknown> = {}) => ({
  id,
  contractId: 41,
  contractNo: 'JK20260302000041',
  customerName: '借款人1',
  feeType: 'consulting',
  status: 'registered',
  amount: '3180.00',
  vatRate: '0.06',
  fundAccountCode: '100201',
  reference: `FEE-${id}`,
  valueDate: '2026-03-02',
  registeredBy,
  registeredByName: `出纳${registeredBy}`,
  registeredAt: '2026-03-02T02:00:00Z',
  reviewedByName: null,
  reviewComment: null,
  voucherId: null,
  version: 1,
  ...over,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function fillRegistration() {
  const dialog = within(await screen.findByRole('dialog'));
  fireEvent.change(dialog.getByLabelText('合同 ID'), { target: { value: '41' } });
  fireEvent.change(dialog.getByLabelText('收费金额（含税）'), { target: { value: '3180' } });
  fireEvent.change(dialog.getByLabelText('流水号 / 收据号'), { target: { value: 'FEE-20260302' } });
  fireEvent.mouseDown(dialog.getByLabelText('收款账户'));
  const option = (await screen.findAllByTitle('100201 基本存款账户')).find((el) => el.classList.contains('ant-select-item-option'));
  fireEvent.click(option!);
}

describe('咨询费登记', () => {
  it('sends an Idempotency-Key, the same one again when the same submission is retried, a new one for the next', async () => {
    const api = stubApi({
      'GET /api/v1/fee-receipts': { body: page([]) },
      'POST /api/v1/fee-receipts': ['network', problem(503, 'unavailable'), { status: 201, body: fee(1, 1) }, { status: 201, body: fee(2, 1) }],
    });
    renderWith(<FeesPage />, { permissions: [BP.loanRead, BP.feeRegister, BP.ledgerRead] });
    fireEvent.click(await screen.findByTestId('books-fee-register'));
    await fillRegistration();
    const save = screen.getByTestId('books-fee-save');
    fireEvent.click(save);
    await waitFor(() => expect(api.of('POST', '/api/v1/fee-receipts')).toHaveLength(1));
    expect(await screen.findByText('无法连接服务器，请检查网络')).toBeInTheDocument();
    fireEvent.click(save);
    await waitFor(() => expect(api.of('POST', '/api/v1/fee-receipts')).toHaveLength(2));
    await screen.findByText('unavailable');
    fireEvent.click(save);
    await waitFor(() => expect(api.of('POST', '/api/v1/fee-receipts')).toHaveLength(3));
    await waitFor(() => expect(screen.queryByTestId('books-fee-save')).not.toBeInTheDocument());

    const posts = api.of('POST', '/api/v1/fee-receipts');
    const keys = posts.map((p) => p.headers.get('Idempotency-Key'));
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toBe(keys[0]);
    expect(posts[0].body).toEqual({
      contractId: 41,
      feeType: 'consulting',
      amount: '3180.00',
      fundAccountCode: '100201',
      reference: 'FEE-20260302',
      valueDate: '2026-03-20',
    });

    // The next registration is a new submission: a new key.
    fireEvent.click(screen.getByTestId('books-fee-register'));
    await fillRegistration();
    fireEvent.click(screen.getByTestId('books-fee-save'));
    await waitFor(() => expect(api.of('POST', '/api/v1/fee-receipts')).toHaveLength(4));
    const fourth = api.of('POST', '/api/v1/fee-receipts')[3].headers.get('Idempotency-Key');
    expect(fourth).toMatch(UUID);
    expect(fourth).not.toBe(keys[0]);
  });
});

describe('咨询费复核', () => {
  it('reviews another person’s registration with a key and the version, and none of one’s own', async () => {
    const api = stubApi({
      'GET /api/v1/fee-receipts': { body: page([fee(1, 7), fee(2, 3)]) },
      'POST /api/v1/fee-receipts/1/review': ['network', { body: fee(1, 7, { status: 'approved', voucherId: 12 }) }],
    });
    renderWith(<FeesPage />, { userId: 3, permissions: [BP.loanRead, BP.feeReview] });
    const own = await screen.findByTestId('books-fee-row-2');
    expect(within(own).queryByTestId('books-fee-review-2')).not.toBeInTheDocument();
    expect(own).toHaveTextContent('本人登记');
    fireEvent.click(screen.getByTestId('books-fee-review-1'));
    fireEvent.click(await screen.findByTestId('books-fee-review-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/fee-receipts/1/review')).toHaveLength(1));
    fireEvent.click(screen.getByTestId('books-fee-review-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/fee-receipts/1/review')).toHaveLength(2));
    const [first, retry] = api.of('POST', '/api/v1/fee-receipts/1/review');
    expect(first.headers.get('Idempotency-Key')).toMatch(UUID);
    expect(retry.headers.get('Idempotency-Key')).toBe(first.headers.get('Idempotency-Key'));
    expect(first.body).toEqual({ decision: 'approve', comment: null, version: 1 });
    expect(api.of('GET', '/api/v1/fee-receipts')[0].query.get('contractId')).toBeNull();
  });

  it('filters by status and contract', async () => {
    const api = stubApi({ 'GET /api/v1/fee-receipts': { body: page([]) } });
    renderWith(<FeesPage />, { permissions: [BP.loanRead], route: '/books/fees?contractId=41' });
    await waitFor(() => expect(api.of('GET', '/api/v1/fee-receipts')).toHaveLength(1));
    expect(api.of('GET', '/api/v1/fee-receipts')[0].query.get('contractId')).toBe('41');
    expect(screen.queryByTestId('books-fee-register')).not.toBeInTheDocument();
  });
});
