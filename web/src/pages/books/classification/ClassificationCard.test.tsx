// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { problem, stubApi } from '../../../test/api';
import { BP } from '../permissions';
import { renderWith } from '../testing';
import { ClassificationCard } from './ClassificationCard';

afterEach(() => vi.unstubAllGlobals());

const VIEW = {
  loanId: 5,
  loanNo: 'JK20260302000041-01',
  classification: 'substandard',
  floor: 'special_mention',
  assigned: 'substandard',
  approvedFloor: null,
  daysPastDue: 45,
  history: [
    {
      businessDate: '2026-03-10',
      fromClass: 'normal',
      toClass: 'special_mention',
      floor: 'special_mention',
      daysPastDue: 31,
      source: 'close',
      reason: null,
      madeByName: null,
      checkedByName: null,
      madeAt: '2026-03-10T16:00:00Z',
    },
    {
      businessDate: '2026-03-20',
      fromClass: 'special_mention',
      toClass: 'substandard',
      floor: 'special_mention',
      daysPastDue: 45,
      source: 'manual',
      reason: '借款人失联',
      madeByName: '风控甲',
      checkedByName: null,
      madeAt: '2026-03-20T03:00:00Z',
    },
  ],
};

const WRITE = [BP.loanRead, BP.classificationWrite];

/** Opens the dialog, returns the class options it offers, picks `pick` and writes the reason. */
async function fill(button: string, pick: string, reason: string) {
  fireEvent.click(await screen.findByTestId(button));
  const dialog = within(await screen.findByRole('dialog'));
  fireEvent.mouseDown(dialog.getByLabelText('调整为'));
  await screen.findAllByTitle(pick);
  const offered = [...document.querySelectorAll('.ant-select-item-option')].map((el) => el.getAttribute('title'));
  const option = screen.getAllByTitle(pick).find((el) => el.classList.contains('ant-select-item-option'))!;
  fireEvent.click(option);
  fireEvent.change(dialog.getByLabelText('原因'), { target: { value: ` ${reason} ` } });
  return offered;
}

describe('五级分类 card', () => {
  it('shows the class, its floor, days past due and the history', async () => {
    stubApi({ 'GET /api/v1/loans/5/classification': { body: VIEW }, 'GET /api/v1/classification-requests': { body: [] } });
    renderWith(<ClassificationCard loanId={5} />, { permissions: [BP.loanRead] });
    expect(await screen.findByTestId('classification-current')).toHaveTextContent('次级');
    expect(screen.getByTestId('classification-floor')).toHaveTextContent('关注');
    expect(screen.getByTestId('classification-dpd')).toHaveTextContent('45 天');
    const history = screen.getByTestId('classification-history');
    expect(within(history).getByText('借款人失联')).toBeInTheDocument();
    expect(within(history).getByText('人工调整')).toBeInTheDocument();
    expect(within(history).getByText('日终')).toBeInTheDocument();
    // Without classification:write, no actions.
    expect(screen.queryByTestId('classification-worse')).toBeNull();
  });

  it('classifies worse with only worse classes offered, and sends {classification, reason}', async () => {
    const api = stubApi({
      'GET /api/v1/loans/5/classification': { body: VIEW },
      'GET /api/v1/classification-requests': { body: [] },
      'POST /api/v1/loans/5/classification': { body: { ...VIEW, classification: 'doubtful' } },
    });
    renderWith(<ClassificationCard loanId={5} />, { permissions: WRITE });
    const offered = await fill('classification-worse', '可疑', '抵押车辆灭失');
    expect(offered).toEqual(['可疑', '损失']);
    fireEvent.click(screen.getByTestId('classification-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/loans/5/classification')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/loans/5/classification')[0].body).toEqual({ classification: 'doubtful', reason: '抵押车辆灭失' });
  });

  it('shows a 422 needs_review on the class field', async () => {
    const api = stubApi({
      'GET /api/v1/loans/5/classification': { body: VIEW },
      'GET /api/v1/classification-requests': { body: [] },
      'POST /api/v1/loans/5/classification': problem(422, 'validation_failed', 'invalid', [
        { field: 'classification', code: 'needs_review', message: 'the loan is doubtful now' },
      ]),
    });
    renderWith(<ClassificationCard loanId={5} />, { permissions: WRITE });
    await fill('classification-worse', '损失', '核销前认定');
    fireEvent.click(screen.getByTestId('classification-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/loans/5/classification')).toHaveLength(1));
    const dialog = within(screen.getByRole('dialog'));
    expect(await dialog.findByText('比当前分类更好：请申请上调分类，由他人审核')).toBeInTheDocument();
  });

  it('asks for a better class with only better classes offered, and sends {loanId, classification, reason}', async () => {
    const api = stubApi({
      'GET /api/v1/loans/5/classification': { body: VIEW },
      'GET /api/v1/classification-requests': { body: [] },
      'POST /api/v1/classification-requests': { status: 201, body: { id: 9 } },
    });
    renderWith(<ClassificationCard loanId={5} />, { permissions: WRITE });
    const offered = await fill('classification-better', '关注', '已结清逾期');
    expect(offered).toEqual(['正常', '关注']);
    fireEvent.click(screen.getByTestId('classification-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/classification-requests')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/classification-requests')[0].body).toEqual({ loanId: 5, classification: 'special_mention', reason: '已结清逾期' });
  });
});
