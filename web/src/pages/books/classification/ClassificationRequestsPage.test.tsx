// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { problem, stubApi } from '../../../test/api';
import { BP } from '../permissions';
import { renderWith } from '../testing';
import ClassificationRequestsPage from './ClassificationRequestsPage';

afterEach(() => vi.unstubAllGlobals());

const request = (id: number, requestedBy: number, over: Record<string, unknown> = {}) => ({
  id,
  loanId: 5,
  loanNo: `JK2026030200004${id}-01`,
  customerName: '借款人1',
  status: 'requested',
  fromClass: 'substandard',
  toClass: 'special_mention',
  floor: 'special_mention',
  reason: '逾期已结清',
  requestedBy,
  requestedByName: `风控${requestedBy}`,
  requestedAt: '2026-03-20T02:00:00Z',
  reviewedByName: null,
  reviewComment: null,
  reviewedAt: null,
  version: 1,
  ...over,
});

const REVIEWER = [BP.loanRead, BP.classificationReview];

describe('五级分类审核', () => {
  it('lists the requested ones by default and offers no review of one’s own request', async () => {
    const api = stubApi({ 'GET /api/v1/classification-requests': { body: [request(1, 3), request(2, 7)] } });
    renderWith(<ClassificationRequestsPage />, { userId: 3, permissions: REVIEWER });
    expect(await screen.findByTestId('classification-own-1')).toHaveTextContent('本人申请，需他人审核');
    expect(screen.queryByTestId('classification-review-1')).toBeNull();
    expect(screen.getByTestId('classification-review-2')).toBeInTheDocument();
    expect(api.of('GET', '/api/v1/classification-requests')[0].query.get('status')).toBe('requested');
  });

  it('shows no actions without classification:review', async () => {
    stubApi({ 'GET /api/v1/classification-requests': { body: [request(2, 7)] } });
    renderWith(<ClassificationRequestsPage />, { userId: 3, permissions: [BP.loanRead] });
    await screen.findByTestId('classification-request-2');
    expect(screen.queryByTestId('classification-review-2')).toBeNull();
  });

  it('requires a comment to reject, then sends {decision, comment, version}', async () => {
    const api = stubApi({
      'GET /api/v1/classification-requests': { body: [request(2, 7)] },
      'POST /api/v1/classification-requests/2/review': { body: request(2, 7, { status: 'rejected', version: 2 }) },
    });
    renderWith(<ClassificationRequestsPage />, { userId: 3, permissions: REVIEWER });
    fireEvent.click(await screen.findByTestId('classification-review-2'));
    const dialog = within(await screen.findByRole('dialog'));
    fireEvent.click(dialog.getByTestId('classification-reject'));
    fireEvent.click(screen.getByTestId('classification-review-ok'));
    expect(await dialog.findByText('驳回时请写明原因')).toBeInTheDocument();
    expect(api.of('POST', '/api/v1/classification-requests/2/review')).toHaveLength(0);
    fireEvent.change(dialog.getByLabelText('意见'), { target: { value: '逾期未真正结清' } });
    fireEvent.click(screen.getByTestId('classification-review-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/classification-requests/2/review')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/classification-requests/2/review')[0].body).toEqual({ decision: 'reject', comment: '逾期未真正结清', version: 1 });
  });

  it('approves without a comment and tells a 403 maker_checker', async () => {
    const api = stubApi({
      'GET /api/v1/classification-requests': { body: [request(2, 7)] },
      'POST /api/v1/classification-requests/2/review': problem(403, 'maker_checker'),
    });
    renderWith(<ClassificationRequestsPage />, { userId: 3, permissions: REVIEWER });
    fireEvent.click(await screen.findByTestId('classification-review-2'));
    await screen.findByRole('dialog');
    fireEvent.click(screen.getByTestId('classification-review-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/classification-requests/2/review')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/classification-requests/2/review')[0].body).toEqual({ decision: 'approve', comment: null, version: 1 });
    expect(await screen.findByText(/自己/)).toBeInTheDocument();
  });
});
