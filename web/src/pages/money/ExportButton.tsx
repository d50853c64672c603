import { useState } from 'react';
import { Button, Dropdown } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { authFetch } from '../../api/client';
import { saveBlob } from '../../api/contracts';
import { toApiError } from '../../api/errors';
import { useErrorHandler } from '../../api/useErrorHandler';

export type ExportFormat = 'xlsx' | 'pdf';

/** `/api/v1/exports/loans?overdue=true&format=xlsx`: the filter as shown, empty values left out. */
export function exportUrl(name: string, query: Record<string, string | number | boolean | undefined | null>, format: ExportFormat): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  params.set('format', format);
  return `/api/v1/exports/${name}?${params.toString()}`;
}

/** The file name the server gave (`filename*=UTF-8''…` or `filename="…"`), else `fallback`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : fallback;
}

/**
 * 导出: the list or statement on screen as an Excel workbook or a PDF, fetched with the bearer
 * token and saved under the server's file name. Every row of the filter, not only the page shown.
 */
export function ExportButton({ name, query, disabled }: { name: string; query: Record<string, string | number | boolean | undefined | null>; disabled?: boolean }) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const [busy, setBusy] = useState(false);
  const run = async (format: ExportFormat) => {
    setBusy(true);
    try {
      const res = await authFetch(new Request(exportUrl(name, query, format), { headers: { Accept: 'application/octet-stream, application/pdf, application/json' } }));
      if (!res.ok) throw toApiError(res.status, await res.json().catch(() => undefined));
      saveBlob(await res.blob(), fileNameOf(res.headers.get('Content-Disposition'), `${name}.${format}`));
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      disabled={disabled}
      trigger={['click']}
      menu={{
        items: [
          { key: 'xlsx', label: t('money.exportXlsx'), onClick: () => void run('xlsx') },
          { key: 'pdf', label: t('money.exportPdf'), onClick: () => void run('pdf') },
        ],
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} data-testid={`export-${name}`}>
        {t('money.export')}
      </Button>
    </Dropdown>
  );
}
