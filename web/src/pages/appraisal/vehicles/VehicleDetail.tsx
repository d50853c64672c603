import { useRef } from 'react';
import { App, Button, Col, DatePicker, Descriptions, Divider, Drawer, Empty, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { CameraOutlined, EyeOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ApiError, translateFieldError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import {
  GRADES,
  MAX_PHOTO_BYTES,
  METHODS,
  uploadVehiclePhoto,
  vehiclePhotoUrl,
  type Appraisal,
  type AppraisalMethod,
  type ConditionGrade,
  type Vehicle,
  type VehiclePhoto,
} from '../../../api/vehicles';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { useIsMobile } from '../../../components/useIsMobile';
import { blankToNull, formatDateTime } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';

interface AppraisalForm {
  value: string;
  /** Empty means the server's business date (today). */
  appraisedOn?: Dayjs | null;
  method: AppraisalMethod;
  conditionGrade: ConditionGrade;
  notes?: string;
}

/** One vehicle on a phone: its facts, photos from the camera, a new appraisal and the history. */
export function VehicleDetail({ vehicleId, onClose, onEdit }: { vehicleId: number; onClose: () => void; onEdit: (v: Vehicle) => void }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const { has } = useAccess();
  const vehicle = useQuery({
    queryKey: ['vehicles', 'one', vehicleId],
    queryFn: () => unwrap(api.GET('/api/v1/vehicles/{id}', { params: { path: { id: vehicleId } } })),
  });
  const v = vehicle.data;
  const flags = v ? (['accident', 'flood', 'fire'] as const).filter((f) => v[f]) : [];
  return (
    <Drawer
      open
      size={isMobile ? '100%' : 760}
      title={v ? `${v.brand} ${v.model}` : t('vehicles.detail')}
      onClose={onClose}
      destroyOnHidden
      extra={
        v &&
        has(P.vehicleWrite) && (
          <Button onClick={() => onEdit(v)}>{t('common.edit')}</Button>
        )
      }
    >
      {v && (
        <>
          <Descriptions size="small" column={isMobile ? 1 : 2} bordered>
            <Descriptions.Item label={t('vehicles.vin')}>
              <Space size={4} wrap>
                <span className="mono">{v.vin}</span>
                {!v.vinCheckDigitValid && <Tag color="warning">{t('vehicles.vinOverridden')}</Tag>}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('vehicles.plate')}>{v.plate ?? '-'}</Descriptions.Item>
            {v.vinOverrideReason && <Descriptions.Item label={t('vehicles.overrideReason')}>{v.vinOverrideReason}</Descriptions.Item>}
            <Descriptions.Item label={t('vehicles.firstRegisteredOn')}>{v.firstRegisteredOn}</Descriptions.Item>
            <Descriptions.Item label={t('vehicles.mileageKm')}>{v.mileageKm.toLocaleString()} km</Descriptions.Item>
            <Descriptions.Item label={t('vehicles.usage')}>{t(`vehicles.usages.${v.usage}`)}</Descriptions.Item>
            <Descriptions.Item label={t('vehicles.transmission')}>{v.transmission ? t(`vehicles.transmissions.${v.transmission}`) : '-'}</Descriptions.Item>
            <Descriptions.Item label={t('vehicles.flags')}>
              {flags.length ? flags.map((f) => <Tag color="error" key={f}>{t(`vehicles.${f}`)}</Tag>) : t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('vehicles.currentValue')}>
              <strong data-testid="current-value">{formatMoney(v.currentValue)}</strong>
              {v.lastAppraisedOn && <Typography.Text type="secondary"> （{v.lastAppraisedOn}）</Typography.Text>}
            </Descriptions.Item>
          </Descriptions>
          <Divider titlePlacement="start">{t('vehicles.photos')}</Divider>
          <Photos vehicle={v} />
          {has(P.appraisalWrite) && (
            <>
              <Divider titlePlacement="start">{t('appraisals.new')}</Divider>
              <AppraiseForm vehicle={v} />
            </>
          )}
          <Divider titlePlacement="start">{t('appraisals.history')}</Divider>
          <History vehicleId={v.id} />
        </>
      )}
    </Drawer>
  );
}

function Photos({ vehicle }: { vehicle: Vehicle }) {
  const { t, i18n } = useTranslation();
  const { has } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const camera = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const key = ['vehicles', 'photos', vehicle.id];
  const list = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET('/api/v1/vehicles/{id}/photos', { params: { path: { id: vehicle.id } } })),
  });
  const upload = useMutation({
    mutationFn: (file: File) => uploadVehiclePhoto(vehicle.id, file),
    onSuccess: () => {
      message.success(t('documents.uploaded'));
      void queryClient.invalidateQueries({ queryKey: key });
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
    if (file.size > MAX_PHOTO_BYTES) {
      message.error(t('documents.tooLarge'));
      return;
    }
    upload.mutate(file);
  };
  const open = async (p: VehiclePhoto) => {
    const win = window.open('', '_blank');
    if (win) win.opener = null;
    try {
      const url = await vehiclePhotoUrl(vehicle.id, p.id);
      if (win) win.location.href = url;
      else window.location.assign(url);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      win?.close();
      onError(e);
    }
  };
  return (
    <div>
      {has(P.vehicleWrite) && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Button icon={<CameraOutlined />} loading={upload.isPending} onClick={() => camera.current?.click()}>
            {t('documents.takePhoto')}
          </Button>
          <Button icon={<UploadOutlined />} loading={upload.isPending} onClick={() => picker.current?.click()}>
            {t('documents.chooseFile')}
          </Button>
          {/* On a phone, `capture` opens the camera directly. */}
          <input ref={camera} type="file" accept="image/*" capture="environment" hidden onChange={(e) => onFile(e.currentTarget)} data-testid="photo-camera" />
          <input ref={picker} type="file" accept="image/*" hidden onChange={(e) => onFile(e.currentTarget)} data-testid="photo-file" />
        </Space>
      )}
      {list.data && list.data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('vehicles.noPhotos')} />
      ) : (
        <Space wrap>
          {list.data?.map((p) => (
            <Button key={p.id} size="small" icon={<EyeOutlined />} onClick={() => void open(p)}>
              {p.fileName ?? `#${p.id}`} · {formatDateTime(p.uploadedAt)}
            </Button>
          ))}
        </Space>
      )}
    </div>
  );
}

function AppraiseForm({ vehicle }: { vehicle: Vehicle }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<AppraisalForm>();
  const save = useMutation({
    mutationFn: (v: AppraisalForm) =>
      unwrap(
        api.POST('/api/v1/vehicles/{id}/appraisals', {
          params: { path: { id: vehicle.id } },
          body: {
            value: v.value.trim().replace(/,/g, ''),
            appraisedOn: v.appraisedOn ? v.appraisedOn.format('YYYY-MM-DD') : null,
            method: v.method,
            conditionGrade: v.conditionGrade,
            notes: blankToNull(v.notes),
          },
        }),
      ),
    onSuccess: () => {
      message.success(t('appraisals.saved'));
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['vehicles'] });
      void queryClient.invalidateQueries({ queryKey: ['appraisals'] });
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Form<AppraisalForm>
      name="appraisalForm"
      form={form}
      layout="vertical"
      initialValues={{ method: 'market_comparison', conditionGrade: 'good' }}
      onFinish={(v) => save.mutate(v)}
    >
      <Row gutter={16}>
        <Col xs={12} md={12}>
          <Form.Item name="value" label={t('appraisals.value')} rules={[{ required: true, message: t('validation.required') }]}>
            <Input inputMode="decimal" suffix={t('common.yuan')} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={12} md={12}>
          <Form.Item name="appraisedOn" label={t('appraisals.appraisedOn')}>
            <DatePicker style={{ width: '100%' }} placeholder={t('appraisals.today')} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Col>
        <Col xs={12} md={12}>
          <Form.Item name="method" label={t('appraisals.method')}>
            <Select options={METHODS.map((m) => ({ value: m, label: t(`appraisals.methods.${m}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={12}>
          <Form.Item name="conditionGrade" label={t('appraisals.conditionGrade')}>
            <Select options={GRADES.map((g) => ({ value: g, label: t(`appraisals.grades.${g}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="notes" label={t('appraisals.notes')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={save.isPending} block data-testid="appraisal-save">
        {t('appraisals.submit')}
      </Button>
    </Form>
  );
}

function History({ vehicleId }: { vehicleId: number }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['appraisals', 'vehicle', vehicleId],
    queryFn: () => unwrap(api.GET('/api/v1/vehicles/{id}/appraisals', { params: { path: { id: vehicleId } } })),
  });
  return (
    <div className="table-scroll">
      <Table<Appraisal>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appraisals.none')} /> }}
        columns={[
          { title: t('appraisals.appraisedOn'), dataIndex: 'appraisedOn' },
          { title: t('appraisals.value'), dataIndex: 'value', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('appraisals.method'), dataIndex: 'method', render: (m: string) => t(`appraisals.methods.${m}`) },
          { title: t('appraisals.conditionGrade'), dataIndex: 'conditionGrade', render: (g: string) => t(`appraisals.grades.${g}`) },
          { title: t('appraisals.appraiser'), dataIndex: 'appraiserName' },
          { title: t('appraisals.notes'), dataIndex: 'notes', render: (n: string | null) => <span className="wrap-cell">{n ?? '-'}</span> },
        ]}
      />
    </div>
  );
}
