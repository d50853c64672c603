import { describe, expect, it } from 'vitest';
import { defaultFileName, exportUrl, fileNameFrom } from './download';

describe('exports of the books', () => {
  it('asks for the right URL', () => {
    expect(exportUrl({ kind: 'balance-sheet', period: '2026-03' }, 'xlsx')).toBe('/api/v1/exports/balance-sheet?period=2026-03&format=xlsx');
    expect(exportUrl({ kind: 'income-statement', period: '2026-03' }, 'pdf')).toBe('/api/v1/exports/income-statement?period=2026-03&format=pdf');
    expect(exportUrl({ kind: 'trial-balance', period: '2026-02' }, 'pdf')).toBe('/api/v1/exports/trial-balance?period=2026-02&format=pdf');
    expect(exportUrl({ kind: 'fund-summary', from: '2026-03-01', to: '2026-03-20' }, 'xlsx')).toBe(
      '/api/v1/exports/fund-summary?from=2026-03-01&to=2026-03-20&format=xlsx',
    );
    expect(exportUrl({ kind: 'cash-journal', code: '100201', from: '2026-03-01', to: '2026-03-20' }, 'pdf')).toBe(
      '/api/v1/exports/cash-journal/100201?from=2026-03-01&to=2026-03-20&format=pdf',
    );
  });

  it('saves under the name the server gives, else one like it', () => {
    expect(fileNameFrom('attachment; filename="balance-sheet-2026-03.xlsx"')).toBe('balance-sheet-2026-03.xlsx');
    expect(fileNameFrom("attachment; filename*=UTF-8''%E8%B5%84%E4%BA%A7.pdf")).toBe('资产.pdf');
    expect(fileNameFrom('attachment')).toBeNull();
    expect(fileNameFrom(null)).toBeNull();
    expect(defaultFileName({ kind: 'cash-journal', code: '1001', from: '2026-03-01', to: '2026-03-31' }, 'xlsx')).toBe('cash-journal-1001-2026-03-01.xlsx');
  });
});
