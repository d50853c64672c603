import { useState } from 'react';
import { Alert, DatePicker, Form, Input, Select, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { compact, formatDateTime } from '../../../lib/format';
import { booksApi, unwrap, type OutboxMessage } from '../api/client';
import { reminderWhen, reminderFigures, OUTBOX_STATUSES, OUTBOX_TEMPLATES, type OutboxStatus, type OutboxTemplate } from '../lib/outbox';
import { Amount, DAY, StatusTag } from '../shared';

const ID = /^\s*[1-9]\d{0,17}\s*$/;

interface Filters {
  status?: OutboxStatus;
  template?: OutboxTemplate;
  businessDate?: Dayjs | null;
  loanId?: string;
}

/**
 * 消息发件箱: the messages to customers the business has written — the daily close's repayment
 * reminders (还款提醒) and overdue reminders (逾期提醒) — newest business date first. Delivery
 * comes with the notifications work, so they all wait as `pending` for now.
 */
export default function OutboxPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const loanId = filters.loanId && ID.test(filters.loanId) ? Number(filters.loanId) : undefined;
  const query = {
    ...compact({ status: filters.status, template: filters.template, businessDate: filters.businessDate?.format(DAY), loanId }),
    ...paging,
  };
  const list = useQuery({
    queryKey: ['books', 'outbox', query],
    queryFn: () => unwrap(booksApi.GET('/api/v1/outbox-messages', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <PageContainer title={t('books.outbox.title')} subtitle={t('books.outbox.subtitle')}>
      <ListFilters<Filters>
        name="booksOutboxFilters"
        form={form}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="template" name="template" label={t('books.outbox.template')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              data-testid="outbox-filter-template"
              options={OUTBOX_TEMPLATES.map((v) => ({ value: v, label: t(`books.outbox.templates.${v}`) }))}
            />
          </Form.Item>,
          <Form.Item key="status" name="status" label={t('common.status')}>
            <Select allowClear placeholder={t('common.all')} options={OUTBOX_STATUSES.map((s) => ({ value: s, label: t(`books.statuses.outbox.${s}`) }))} />
          </Form.Item>,
          <Form.Item key="businessDate" name="businessDate" label={t('books.outbox.businessDate')}>
            <DatePicker style={{ width: '100%' }} data-testid="outbox-filter-date" />
          </Form.Item>,
          <Form.Item key="loanId" name="loanId" label={t('books.outbox.loanId')} rules={[{ pattern: ID, message: t('books.outbox.loanIdInvalid') }]}>
            <Input allowClear inputMode="numeric" className="mono" data-testid="outbox-filter-loan" />
          </Form.Item>,
        ]}
      </ListFilters>
      {list.isError && <Alert className="section-card" type="error" showIcon title={translateError(list.error, t, i18n)} />}
      <DataTable<OutboxMessage>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        locale={{ emptyText: t('books.outbox.none') }}
        onRow={(m) => ({ 'data-testid': `outbox-row-${m.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('books.outbox.businessDate'), dataIndex: 'businessDate' },
          { title: t('books.outbox.template'), dataIndex: 'template', render: (v: string) => t(`books.outbox.templates.${v}`, { defaultValue: v }) },
          { title: t('books.outbox.loanNo'), key: 'loanNo', render: (_: unknown, m) => <span className="mono">{reminderFigures(m).loanNo ?? m.loanId ?? '-'}</span> },
          { title: t('books.outbox.customerId'), dataIndex: 'customerId' },
          { title: t('books.outbox.dueDate'), key: 'dueDate', render: (_: unknown, m) => reminderFigures(m).dueDate ?? '-' },
          {
            title: t('books.outbox.when'),
            key: 'when',
            render: (_: unknown, m) => {
              const w = reminderWhen(m);
              return w ? t(`books.outbox.whenText.${w.kind}`, { n: w.days }) : '-';
            },
          },
          { title: t('books.outbox.amountDue'), key: 'amountDue', align: 'right', render: (_: unknown, m) => <Amount value={reminderFigures(m).amountDue} /> },
          { title: t('books.outbox.channel'), dataIndex: 'channel', render: (v: string) => t(`books.outbox.channels.${v}`, { defaultValue: v }) },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag group="outbox" status={s} testId="outbox-status" /> },
          { title: t('books.outbox.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
        ]}
      />
      <Typography.Paragraph type="secondary" className="flow-help">
        {t('books.outbox.help')}
      </Typography.Paragraph>
    </PageContainer>
  );
}
