import { useState } from 'react';
import { Alert, App, AutoComplete, Button, Col, DatePicker, Form, Input, Modal, Row, Select, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import {
  BLACKLIST_SOURCES,
  SUBJECT_KINDS,
  type BlacklistEntry,
  type CheckResult,
  type SubjectKind,
} from '../../../api/customers';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { blankToNull, compact, formatDateTime } from '../../../lib/format';
import { BlacklistHitsAlert, PiiText } from '../shared';

interface Filters {
  subjectKind?: SubjectKind;
  value?: string;
  status?: string;
  source?: string;
}

export default function BlacklistPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const canWrite = has(P.blacklistWrite);
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [adding, setAdding] = useState(false);
  const [checking, setChecking] = useState(false);
  const [lifting, setLifting] = useState<BlacklistEntry | null>(null);
  const sourceLabel = (s: string) => t(`blacklist.sources.${s}`, { defaultValue: s });

  const query = { ...compact({ ...filters, value: filters.value?.replace(/\s+/g, '') }), ...paging };
  const list = useQuery({
    queryKey: ['blacklist', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/blacklist', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  return (
    <PageContainer
      title={t('blacklist.title')}
      subtitle={t('blacklist.subtitle')}
      extra={
        <Space wrap>
          {has(P.customerRead) && (
            <Button icon={<SafetyCertificateOutlined />} onClick={() => setChecking(true)} data-testid="blacklist-check">
              {t('blacklist.check')}
            </Button>
          )}
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="blacklist-add">
              {t('blacklist.add')}
            </Button>
          )}
        </Space>
      }
    >
      <ListFilters<Filters>
        name="blacklistFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="k" name="subjectKind" label={t('blacklist.subjectKind')}>
            <Select allowClear placeholder={t('common.all')} options={SUBJECT_KINDS.map((k) => ({ value: k, label: t(`blacklist.kinds.${k}`) }))} />
          </Form.Item>,
          <Form.Item key="v" name="value" label={t('blacklist.value')}>
            <Input allowClear placeholder={t('blacklist.valuePlaceholder')} />
          </Form.Item>,
          <Form.Item key="s" name="status" label={t('common.status')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              options={[
                { value: 'active', label: t('blacklist.active') },
                { value: 'lifted', label: t('blacklist.lifted') },
              ]}
            />
          </Form.Item>,
          <Form.Item key="o" name="source" label={t('blacklist.source')}>
            <AutoComplete allowClear placeholder={t('common.all')} options={BLACKLIST_SOURCES.map((s) => ({ value: s, label: sourceLabel(s) }))} />
          </Form.Item>,
        ]}
      </ListFilters>

      <DataTable<BlacklistEntry>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('blacklist.subjectKind'), dataIndex: 'subjectKind', render: (k: string) => t(`blacklist.kinds.${k}`) },
          { title: t('blacklist.value'), dataIndex: 'value', render: (v: string) => <PiiText value={v} /> },
          { title: t('blacklist.subjectName'), dataIndex: 'subjectName', render: (v: string | null) => v ?? '-' },
          { title: t('blacklist.reason'), dataIndex: 'reason' },
          { title: t('blacklist.source'), dataIndex: 'source', render: sourceLabel },
          {
            title: `${t('blacklist.effectiveOn')} ~ ${t('blacklist.expiresOn')}`,
            key: 'dates',
            render: (_: unknown, e) => `${e.effectiveOn} ~ ${e.expiresOn ?? ''}`,
          },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string, e) =>
              s === 'active' ? (
                <Tag color="error">{t('blacklist.active')}</Tag>
              ) : (
                <Tag title={e.liftReason ?? undefined}>{t('blacklist.lifted')}</Tag>
              ),
          },
          { title: t('blacklist.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, e: BlacklistEntry) =>
                    e.status === 'active' && (
                      <Button type="link" size="small" danger onClick={() => setLifting(e)}>
                        {t('blacklist.lift')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      {adding && <AddEntryDialog onClose={() => setAdding(false)} />}
      {lifting && <LiftDialog entry={lifting} onClose={() => setLifting(null)} />}
      {checking && <CheckDialog onClose={() => setChecking(false)} />}
    </PageContainer>
  );
}

interface EntryForm {
  subjectKind: SubjectKind;
  value: string;
  subjectName?: string;
  reason: string;
  source: string;
  effectiveOn?: Dayjs | null;
  expiresOn?: Dayjs | null;
}

function AddEntryDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<EntryForm>();
  const add = useMutation({
    mutationFn: (v: EntryForm) =>
      unwrap(
        api.POST('/api/v1/blacklist', {
          body: {
            subjectKind: v.subjectKind,
            value: v.value.replace(/\s+/g, ''),
            subjectName: blankToNull(v.subjectName),
            reason: v.reason.trim(),
            source: v.source.trim(),
            effectiveOn: v.effectiveOn ? v.effectiveOn.format('YYYY-MM-DD') : null,
            expiresOn: v.expiresOn ? v.expiresOn.format('YYYY-MM-DD') : null,
          },
        }),
      ),
    onSuccess: () => {
      message.success(t('blacklist.addedOk'));
      void queryClient.invalidateQueries({ queryKey: ['blacklist'] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal open title={t('blacklist.add')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={add.isPending} destroyOnHidden>
      <Form<EntryForm> name="blacklistEntry" form={form} layout="vertical" initialValues={{ subjectKind: 'id_number', source: 'internal' }} onFinish={(v) => add.mutate(v)}>
        <Form.Item name="subjectKind" label={t('blacklist.subjectKind')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          <Select options={SUBJECT_KINDS.map((k) => ({ value: k, label: t(`blacklist.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="value" label={t('blacklist.value')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={30} autoComplete="off" className="pii-input" />
        </Form.Item>
        <Form.Item name="subjectName" label={t('blacklist.subjectName')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="reason" label={t('blacklist.reason')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Form.Item name="source" label={t('blacklist.source')} rules={[{ required: true, message: t('validation.required') }]}>
          <AutoComplete options={BLACKLIST_SOURCES.map((s) => ({ value: s, label: t(`blacklist.sources.${s}`) }))} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="effectiveOn" label={t('blacklist.effectiveOn')} extra={t('blacklist.effectiveOnHelp')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="expiresOn" label={t('blacklist.expiresOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function LiftDialog({ entry, onClose }: { entry: BlacklistEntry; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ reason: string }>();
  const lift = useMutation({
    mutationFn: (reason: string) =>
      unwrap(api.POST('/api/v1/blacklist/{id}/lift', { params: { path: { id: entry.id } }, body: { reason: reason.trim(), version: entry.version } })),
    onSuccess: () => {
      message.success(t('blacklist.liftedOk'));
      void queryClient.invalidateQueries({ queryKey: ['blacklist'] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      onClose();
    },
    onError: (e) => onError(e, { form, onReload: () => { void queryClient.invalidateQueries({ queryKey: ['blacklist'] }); onClose(); } }),
  });
  return (
    <Modal open title={t('blacklist.liftTitle')} onCancel={onClose} onOk={() => form.submit()} okText={t('blacklist.lift')} okButtonProps={{ danger: true }} confirmLoading={lift.isPending} destroyOnHidden>
      <p>
        {t(`blacklist.kinds.${entry.subjectKind}`)}：<PiiText value={entry.value} /> — {entry.reason}
      </p>
      <Form name="liftEntry" form={form} layout="vertical" onFinish={(v) => lift.mutate(v.reason)}>
        <Form.Item name="reason" label={t('blacklist.liftReason')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface CheckForm {
  idNumber?: string;
  mobile?: string;
  creditCode?: string;
}

function CheckDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const [form] = Form.useForm<CheckForm>();
  const [result, setResult] = useState<CheckResult | null>(null);
  const check = useMutation({
    mutationFn: (v: CheckForm) =>
      unwrap(
        api.POST('/api/v1/blacklist/check', {
          body: {
            idNumber: blankToNull(v.idNumber?.replace(/\s+/g, '')),
            mobile: blankToNull(v.mobile?.replace(/\s+/g, '')),
            creditCode: blankToNull(v.creditCode?.replace(/\s+/g, '')),
          },
        }),
      ),
    onSuccess: setResult,
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal
      open
      title={t('blacklist.check')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.check')}
      cancelText={t('common.close')}
      confirmLoading={check.isPending}
      destroyOnHidden
    >
      <Form<CheckForm> name="blacklistCheck" form={form} layout="vertical" onFinish={(v) => check.mutate(v)} onValuesChange={() => setResult(null)}>
        <p className="muted">{t('blacklist.checkHelp')}</p>
        <Form.Item name="idNumber" label={t('blacklist.idNumber')}>
          <Input maxLength={18} autoComplete="off" className="pii-input" />
        </Form.Item>
        <Form.Item name="mobile" label={t('blacklist.mobile')}>
          <Input inputMode="tel" maxLength={20} autoComplete="off" />
        </Form.Item>
        <Form.Item name="creditCode" label={t('blacklist.creditCode')}>
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
      </Form>
      {result &&
        (result.blocked ? (
          <div data-testid="check-result">
            <BlacklistHitsAlert hits={result.hits} />
          </div>
        ) : (
          <Alert type="success" showIcon title={t('blacklist.clear')} data-testid="check-result" />
        ))}
    </Modal>
  );
}
