import { useRef, useState } from 'react';
import { App, Button, Empty, Select, Space, Table, Typography } from 'antd';
import { CameraOutlined, EyeOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import {
  DOCUMENT_KINDS,
  MAX_DOCUMENT_BYTES,
  documentUrl,
  uploadDocument,
  type Customer,
  type CustomerDocument,
  type DocumentKind,
} from '../../../api/customers';
import { ApiError, translateFieldError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { formatDateTime } from '../../../lib/format';

const IMAGE_ONLY: DocumentKind[] = ['id_front', 'id_back', 'driving_licence'];

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function DocumentsTab({ customer }: { customer: Customer }) {
  const { t, i18n } = useTranslation();
  const { has } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const canWrite = has(P.customerWrite);
  const [kind, setKind] = useState<DocumentKind>(customer.kind === 'enterprise' ? 'business_licence' : 'id_front');
  const camera = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const key = ['customers', 'documents', customer.id];
  const list = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/documents', { params: { path: { id: customer.id } } })),
  });

  const upload = useMutation({
    mutationFn: (file: File) => uploadDocument(customer.id, kind, file),
    onSuccess: () => {
      message.success(t('documents.uploaded'));
      void queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (e) => {
      // A file's field error has no form field to sit on: say it in the message.
      const fe = e instanceof ApiError ? e.fieldErrors[0] : undefined;
      if (fe) message.error(translateFieldError(fe, t, i18n));
      else onError(e);
    },
  });

  const onFile = (input: HTMLInputElement | null) => {
    const file = input?.files?.[0];
    if (input) input.value = '';
    if (!file) return;
    if (file.size > MAX_DOCUMENT_BYTES) {
      message.error(t('documents.tooLarge'));
      return;
    }
    upload.mutate(file);
  };

  const open = async (d: CustomerDocument) => {
    // Opened at the click, before the download, so no pop-up blocker stops it.
    const win = window.open('', '_blank');
    if (win) win.opener = null;
    try {
      const url = await documentUrl(customer.id, d.id);
      if (win) win.location.href = url;
      else window.location.assign(url);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      win?.close();
      onError(e);
    }
  };

  return (
    <div className="tab-body">
      {canWrite && (
        <div className="tab-actions doc-upload">
          <Select<DocumentKind>
            value={kind}
            onChange={setKind}
            aria-label={t('documents.kind')}
            className="doc-kind"
            options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`documents.kinds.${k}`) }))}
          />
          <Space wrap>
            <Button icon={<CameraOutlined />} loading={upload.isPending} onClick={() => camera.current?.click()}>
              {t('documents.takePhoto')}
            </Button>
            <Button type="primary" icon={<UploadOutlined />} loading={upload.isPending} onClick={() => picker.current?.click()}>
              {t('documents.chooseFile')}
            </Button>
          </Space>
          {/* On a phone, `capture` opens the camera directly. */}
          <input ref={camera} type="file" accept="image/*" capture="environment" hidden onChange={(e) => onFile(e.currentTarget)} data-testid="doc-camera" />
          <input
            ref={picker}
            type="file"
            accept={IMAGE_ONLY.includes(kind) ? 'image/*' : 'image/*,application/pdf'}
            hidden
            onChange={(e) => onFile(e.currentTarget)}
            data-testid="doc-file"
          />
          <Typography.Text type="secondary" className="doc-help">
            {t('documents.uploadHelp')}
          </Typography.Text>
        </div>
      )}
      <div className="table-scroll">
        <Table<CustomerDocument>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('documents.empty')} /> }}
          columns={[
            { title: t('documents.kind'), dataIndex: 'kind', render: (k: string) => t(`documents.kinds.${k}`) },
            { title: t('documents.fileName'), dataIndex: 'fileName', render: (v: string | null) => v ?? '-' },
            { title: t('documents.size'), dataIndex: 'sizeBytes', render: formatSize },
            { title: t('documents.uploadedAt'), dataIndex: 'uploadedAt', render: formatDateTime },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, d) => (
                <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => void open(d)}>
                  {t('common.view')}
                </Button>
              ),
            },
          ]}
        />
      </div>
    </div>
  );
}
