// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import '../../i18n';
import { stubApi } from '../../test/api';
import { ExportButton, exportUrl, fileNameOf } from './ExportButton';

afterEach(() => vi.unstubAllGlobals());

describe('导出', () => {
  it('asks for the filter on screen, leaving empty values out', () => {
    expect(exportUrl('loans', { q: '', status: 'active', overdue: true, customerId: undefined }, 'xlsx')).toBe(
      '/api/v1/exports/loans?status=active&overdue=true&format=xlsx',
    );
    expect(exportUrl('trial-balance', { period: '2026-03' }, 'pdf')).toBe('/api/v1/exports/trial-balance?period=2026-03&format=pdf');
  });

  it('saves under the name the server gives', () => {
    expect(fileNameOf("attachment; filename*=UTF-8''%E7%A7%91%E7%9B%AE%E4%BD%99%E9%A2%9D%E8%A1%A8.xlsx", 'x.xlsx')).toBe('科目余额表.xlsx');
    expect(fileNameOf('attachment; filename="trial-balance-2026-03.pdf"', 'x.pdf')).toBe('trial-balance-2026-03.pdf');
    expect(fileNameOf(null, 'loans.xlsx')).toBe('loans.xlsx');
  });

  it('downloads the workbook with the bearer-token fetch', async () => {
    const api = stubApi({ 'GET /api/v1/exports/repayments': { body: 'PK' } });
    const created = vi.fn(() => 'blob:x');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    render(
      <AntdApp>
        <ExportButton name="repayments" query={{ status: 'confirmed' }} />
      </AntdApp>,
    );
    fireEvent.click(screen.getByTestId('export-repayments'));
    fireEvent.click(await screen.findByText('导出 Excel'));
    await waitFor(() => expect(created).toHaveBeenCalled());
    const [call] = api.of('GET', '/api/v1/exports/repayments');
    expect(call.query.get('format')).toBe('xlsx');
    expect(call.query.get('status')).toBe('confirmed');
  });
});
