// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { BP } from '../permissions';
import { page, problem, renderWith, stubApi } from '../testing';
import OutboxPage from './OutboxPage';

afterEach(() => vi.unstubAllGlobals());

const message = (id: number, template: string, businessDate: string, params: Record<string, unknown>) => ({
  id,
  channel: 'sms',
  customerId: 5,
  loanId: 9,
  template,
  params,
  dedupeKey: `${template}:${id}`,
  status: 'pending',
  businessDate,
  createdAt: '2026-05-17T01:00:00Z',
});

const DUE = message(1, 'repayment_due', '2026-05-07', { loanNo: 'DK202603100001', period: 2, dueDate: '2026-05-10', daysBefore: 3, amountDue: '4707.35' });
const LATE = message(2, 'overdue', '2026-05-16', { loanNo: 'DK202603100001', dueDate: '2026-05-10', daysPastDue: 7, amountDue: '14122.05' });

describe('消息发件箱', () => {
  it('lists the reminders with their figures as the server wrote them', async () => {
    stubApi({ 'GET /api/v1/outbox-messages': { body: page([LATE, DUE]) } });
    renderWith(<OutboxPage />, { permissions: [BP.outboxRead] });
    const late = within(await screen.findByTestId('outbox-row-2'));
    expect(late.getByText('逾期提醒')).toBeInTheDocument();
    expect(late.getByText('逾期 7 天')).toBeInTheDocument();
    expect(late.getByText('14,122.05')).toBeInTheDocument();
    expect(late.getByText('DK202603100001')).toBeInTheDocument();
    expect(late.getByText('待发送')).toBeInTheDocument();
    const due = within(screen.getByTestId('outbox-row-1'));
    expect(due.getByText('还款提醒')).toBeInTheDocument();
    expect(due.getByText('到期前 3 天')).toBeInTheDocument();
    expect(due.getByText('2026-05-10')).toBeInTheDocument();
    expect(due.getByText('4,707.35')).toBeInTheDocument();
  });

  it('asks the server with the filters and from the first page', async () => {
    const api = stubApi({ 'GET /api/v1/outbox-messages': { body: page([LATE]) } });
    renderWith(<OutboxPage />, { permissions: [BP.outboxRead] });
    await screen.findByTestId('outbox-row-2');
    fireEvent.change(screen.getByTestId('outbox-filter-loan'), { target: { value: '9' } });
    fireEvent.click(screen.getByRole('button', { name: /查\s*询/ }));
    await waitFor(() => expect(api.of('GET', '/api/v1/outbox-messages').some((c) => c.query.get('loanId') === '9')).toBe(true));
    const last = api.of('GET', '/api/v1/outbox-messages').at(-1)!;
    expect(last.query.get('page')).toBe('1');
    expect(last.query.has('status')).toBe(false);
  });

  it('says why when the list cannot be read', async () => {
    stubApi({ 'GET /api/v1/outbox-messages': problem(403, 'forbidden') });
    renderWith(<OutboxPage />, { permissions: [] });
    expect(await screen.findByRole('alert')).toBeInTheDocument();
  });
});
