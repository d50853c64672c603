import { useState } from 'react';
import { Button, Space, Tag, Tooltip } from 'antd';
import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useErrorHandler } from '../../api/useErrorHandler';
import { useAccess } from '../../auth/hooks';
import { formatMoney } from '../../lib/money';
import type { Account } from './api/client';
import { downloadExport, type ExportFormat, type ExportTarget } from './lib/download';
import { BP } from './permissions';
import './locales/register';
import './books.css';

export const DAY = 'YYYY-MM-DD';
export const MONTH = 'YYYY-MM';

/** An amount as finance reads it: grouped, two places, tabular digits. */
export function Amount({ value, strong, testId }: { value: string | null | undefined; strong?: boolean; testId?: string }) {
  return (
    <span className={`num${strong ? ' books-strong' : ''}`} data-testid={testId}>
      {formatMoney(value)}
    </span>
  );
}

/** "100201 基本存款账户". */
export const accountLabel = (a: Pick<Account, 'code' | 'name'>) => `${a.code} ${a.name}`;

/** Cash and bank accounts that take postings (where money is received or paid); only enabled ones unless `all`. */
export const fundAccounts = (chart: Account[] | undefined, all = false) =>
  (chart ?? []).filter((a) => a.isFund && !a.hasChildren && (all || a.enabled));

/** The loans' control accounts, moved only by money events (the server refuses them on a manual voucher). */
export const CONTROL_ACCOUNTS = ['1303', '1132', '224101'];
export const isControlAccount = (code: string) => CONTROL_ACCOUNTS.some((c) => code.startsWith(c));

/** A voucher number that opens the voucher (in 财务凭证) for those who may read the books. */
export function VoucherLink({ id, label, testId = 'voucher-link' }: { id: number | null | undefined; label?: string; testId?: string }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  if (!id) return <span className="muted">-</span>;
  const text = label ?? t('books.common.viewVoucher');
  return has(BP.ledgerRead) ? (
    <Link to={`/money/vouchers/${id}`} data-testid={testId}>
      {text}
    </Link>
  ) : (
    <span>#{id}</span>
  );
}

const STATUS_COLORS: Record<string, string> = {
  registered: 'processing',
  requested: 'processing',
  pending: 'processing',
  open: 'processing',
  approved: 'success',
  posted: 'success',
  confirmed: 'success',
  closed: 'default',
  rejected: 'error',
  reversed: 'warning',
  running: 'processing',
  done: 'success',
  failed: 'error',
};

/** A status as a coloured tag, its text from `books.statuses.<group>.<status>`. */
export function StatusTag({ group, status, testId }: { group: string; status: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid={testId}>
      {t(`books.statuses.${group}.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** The XLSX and PDF buttons of a statement or journal: fetched with the token, saved as a file. */
export function ExportButtons({ target, disabled, size = 'middle' }: { target: ExportTarget | null; disabled?: boolean; size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const run = async (format: ExportFormat) => {
    if (!target) return;
    setBusy(format);
    try {
      await downloadExport(target, format);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(null);
    }
  };
  const off = disabled || !target;
  return (
    <Space size="small" wrap className="no-print">
      <Tooltip title={t('books.export.xlsxHelp')}>
        <Button
          size={size}
          icon={<FileExcelOutlined />}
          loading={busy === 'xlsx'}
          disabled={off || busy !== null}
          onClick={() => void run('xlsx')}
          data-testid={`export-${target?.kind ?? 'none'}-xlsx`}
        >
          {t('books.export.xlsx')}
        </Button>
      </Tooltip>
      <Button
        size={size}
        icon={<FilePdfOutlined />}
        loading={busy === 'pdf'}
        disabled={off || busy !== null}
        onClick={() => void run('pdf')}
        data-testid={`export-${target?.kind ?? 'none'}-pdf`}
      >
        {t('books.export.pdf')}
      </Button>
    </Space>
  );
}

/** The Idempotency-Key of a money-moving request, for the request's header. */
export const idempotencyHeader = (key: string) => ({ 'Idempotency-Key': key });

/**
 * A Form rule for a review's comment: required when the decision field says `reject`. It reads
 * the decision at validation time, so it holds even before a re-render after the switch.
 */
export function rejectNeedsComment(message: string, decisionField = 'decision') {
  return ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: (_: unknown, value: string | undefined) =>
      getFieldValue(decisionField) === 'reject' && !value?.trim() ? Promise.reject(new Error(message)) : Promise.resolve(),
  });
}
