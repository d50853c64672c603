import { useRef, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, Modal, Radio, Row, Space, Table, Tag } from 'antd';
import { CameraOutlined, EditOutlined, EyeOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ApiError, translateFieldError } from '../../../api/errors';
import {
  applicationKey,
  CONCLUSIONS,
  investigationFileUrl,
  MAX_INVESTIGATION_FILE_BYTES,
  uploadInvestigationFile,
  type Conclusion,
  type Investigation,
  type InvestigationFile,
} from '../../../api/origination';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { blankToNull, formatDateTime } from '../../../lib/format';

interface InvestigationFormValues {
  visitAt: Dayjs;
  visitPlace: string;
  conclusion: Conclusion;
  conditions?: string;
  findings: string;
}

const CONCLUSION_COLORS: Record<Conclusion, string> = { recommend: 'success', conditional: 'warning', decline: 'error' };

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/**
 * 贷前调查: what the investigator found, where and when, the conclusion, and the photos taken on
 * the visit. The assigned investigator records and amends it here, on a phone in the field.
 */
export function InvestigationCard({
  applicationId,
  investigation,
  files,
  canInvestigate,
}: {
  applicationId: number;
  investigation: Investigation | null | undefined;
  files: InvestigationFile[];
  canInvestigate: boolean;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const showForm = canInvestigate && (editing || !investigation);
  return (
    <Card
      title={t('investigation.title')}
      className="section-card"
      size="small"
      extra={
        canInvestigate &&
        investigation &&
        !editing && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="investigation-edit">
            {t('investigation.amend')}
          </Button>
        )
      }
    >
      {showForm ? (
        <InvestigationForm applicationId={applicationId} investigation={investigation} onDone={() => setEditing(false)} onCancel={investigation ? () => setEditing(false) : undefined} />
      ) : investigation ? (
        <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} className="detail-desc" data-testid="investigation-view">
          <Descriptions.Item label={t('investigation.conclusion')}>
            <Tag color={CONCLUSION_COLORS[investigation.conclusion]}>{t(`investigation.conclusions.${investigation.conclusion}`)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('investigation.investigator')}>{investigation.investigatorName}</Descriptions.Item>
          <Descriptions.Item label={t('investigation.visitAt')}>{formatDateTime(investigation.visitAt)}</Descriptions.Item>
          <Descriptions.Item label={t('investigation.visitPlace')}>{investigation.visitPlace}</Descriptions.Item>
          {investigation.conditions && (
            <Descriptions.Item label={t('investigation.conditions')} span="filled">
              <span className="wrap-cell">{investigation.conditions}</span>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('investigation.findings')} span="filled">
            <span className="wrap-cell">{investigation.findings}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('common.updatedAt')}>{formatDateTime(investigation.updatedAt)}</Descriptions.Item>
        </Descriptions>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('investigation.none')} />
      )}
      <InvestigationFiles applicationId={applicationId} files={files} canUpload={canInvestigate} />
    </Card>
  );
}

function InvestigationForm({
  applicationId,
  investigation,
  onDone,
  onCancel,
}: {
  applicationId: number;
  investigation: Investigation | null | undefined;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<InvestigationFormValues>();
  const conclusion = Form.useWatch('conclusion', form);
  const save = useMutation({
    mutationFn: (v: InvestigationFormValues) =>
      unwrap(
        api.PUT('/api/v1/loan-applications/{id}/investigation', {
          params: { path: { id: applicationId } },
          body: {
            visitAt: v.visitAt.toISOString(),
            visitPlace: v.visitPlace.trim(),
            conclusion: v.conclusion,
            conditions: v.conclusion === 'conditional' ? blankToNull(v.conditions) : null,
            findings: v.findings.trim(),
            version: investigation?.version ?? null,
          },
        }),
      ),
    onSuccess: () => {
      message.success(t('investigation.saved'));
      void queryClient.invalidateQueries({ queryKey: applicationKey(applicationId) });
      onDone();
    },
    onError: (e) => onError(e, { form, onReload: () => void queryClient.invalidateQueries({ queryKey: applicationKey(applicationId) }) }),
  });
  return (
    <Form<InvestigationFormValues>
      name="investigation"
      form={form}
      layout="vertical"
      initialValues={
        investigation
          ? {
              visitAt: dayjs(investigation.visitAt),
              visitPlace: investigation.visitPlace,
              conclusion: investigation.conclusion,
              conditions: investigation.conditions ?? undefined,
              findings: investigation.findings,
            }
          : { visitAt: dayjs(), conclusion: 'recommend' }
      }
      onFinish={(v) => save.mutate(v)}
    >
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="visitAt" label={t('investigation.visitAt')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="visitPlace" label={t('investigation.visitPlace')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={200} placeholder={t('investigation.visitPlaceHint')} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="conclusion" label={t('investigation.conclusion')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={CONCLUSIONS.map((c) => ({ value: c, label: t(`investigation.conclusions.${c}`) }))}
            />
          </Form.Item>
        </Col>
        {conclusion === 'conditional' && (
          <Col xs={24}>
            <Form.Item name="conditions" label={t('investigation.conditions')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input.TextArea rows={2} maxLength={2000} placeholder={t('investigation.conditionsHint')} />
            </Form.Item>
          </Col>
        )}
        <Col xs={24}>
          <Form.Item
            name="findings"
            label={t('investigation.findings')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { min: 10, message: t('investigation.findingsTooShort') },
            ]}
          >
            <Input.TextArea rows={4} maxLength={10000} showCount placeholder={t('investigation.findingsHint')} />
          </Form.Item>
        </Col>
      </Row>
      <Space>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="investigation-save">
          {t('investigation.save')}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
      </Space>
    </Form>
  );
}

function InvestigationFiles({ applicationId, files, canUpload }: { applicationId: number; files: InvestigationFile[]; canUpload: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const camera = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<{ url: string; name: string } | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => uploadInvestigationFile(applicationId, file),
    onSuccess: () => {
      message.success(t('documents.uploaded'));
      void queryClient.invalidateQueries({ queryKey: applicationKey(applicationId) });
    },
    onError: (e) => {
      const fe = e instanceof ApiError ? e.fieldErrors[0] : undefined;
      if (fe) message.error(translateFieldError(fe, t, i18n));
      else onError(e);
    },
  });
  const onFile = (input: HTMLInputElement | null) => {
    const file = input?.files?.[0];
    if (input) input.value = '';
    if (!file) return;
    if (file.size > MAX_INVESTIGATION_FILE_BYTES) {
      message.error(t('documents.tooLarge'));
      return;
    }
    upload.mutate(file);
  };
  const open = async (f: InvestigationFile) => {
    try {
      const url = await investigationFileUrl(applicationId, f.id);
      if (f.contentType.startsWith('image/')) setPreview({ url, name: f.fileName });
      else {
        const win = window.open(url, '_blank', 'noopener');
        if (!win) window.location.assign(url);
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
    } catch (e) {
      onError(e);
    }
  };
  return (
    <div className="investigation-files">
      <div className="tab-actions">
        <strong>{t('investigation.files')}</strong>
        {canUpload && (
          <Space wrap>
            <Button icon={<CameraOutlined />} loading={upload.isPending} onClick={() => camera.current?.click()}>
              {t('documents.takePhoto')}
            </Button>
            <Button icon={<UploadOutlined />} loading={upload.isPending} onClick={() => picker.current?.click()}>
              {t('documents.chooseFile')}
            </Button>
            {/* On a phone, `capture` opens the camera directly. */}
            <input ref={camera} type="file" accept="image/*" capture="environment" hidden onChange={(e) => onFile(e.currentTarget)} data-testid="investigation-camera" />
            <input ref={picker} type="file" accept="image/*,application/pdf" hidden onChange={(e) => onFile(e.currentTarget)} data-testid="investigation-file" />
          </Space>
        )}
      </div>
      <div className="table-scroll">
        <Table<InvestigationFile>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={files}
          scroll={{ x: 'max-content' }}
          data-testid="investigation-files"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('investigation.noFiles')} /> }}
          columns={[
            {
              title: t('documents.fileName'),
              dataIndex: 'fileName',
              render: (name: string, f) => (
                <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => void open(f)} className="file-link">
                  {name}
                </Button>
              ),
            },
            { title: t('documents.size'), dataIndex: 'sizeBytes', render: sizeText },
            { title: t('documents.uploadedAt'), dataIndex: 'uploadedAt', render: formatDateTime },
          ]}
        />
      </div>
      <Modal
        open={!!preview}
        title={preview?.name}
        footer={null}
        onCancel={() => {
          if (preview) URL.revokeObjectURL(preview.url);
          setPreview(null);
        }}
        destroyOnHidden
      >
        {preview && <img src={preview.url} alt={preview.name} className="file-preview" />}
      </Modal>
    </div>
  );
}
