import { useState } from 'react';
import { App, Button, Card, DatePicker, Empty, Form, Modal, Table, Typography } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { applicationContractsKey, useApplicationContracts, type Contract } from '../../../api/contracts';
import type { LoanApplication } from '../../../api/origination';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { canGenerate } from '../../../lib/contract';
import { formatDateTime } from '../../../lib/format';
import { ContractStatusTag } from './shared';

/** 合同: the application's contracts (voided ones too), and generating one once it is approved. */
export function ContractsCard({ application: a }: { application: LoanApplication }) {
  const { t, i18n } = useTranslation();
  const { granted } = useAccess();
  const contracts = useApplicationContracts(a.id, granted.has(P.contractRead));
  const [generating, setGenerating] = useState(false);
  const mayGenerate = canGenerate(a.status, contracts.data, granted);
  return (
    <Card
      title={t('contracts.section')}
      className="section-card"
      size="small"
      data-testid="contracts-card"
      extra={
        mayGenerate && (
          <Button type="primary" size="small" icon={<FileAddOutlined />} onClick={() => setGenerating(true)} data-testid="contract-generate">
            {t('contracts.generate')}
          </Button>
        )
      }
    >
      {contracts.isError ? (
        <Typography.Text type="danger">{translateError(contracts.error, t, i18n)}</Typography.Text>
      ) : (
        <div className="table-scroll">
          <Table<Contract>
            size="small"
            rowKey="id"
            pagination={false}
            loading={contracts.isLoading}
            dataSource={contracts.data}
            scroll={{ x: 'max-content' }}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={a.status === 'approved' ? t('contracts.noneYet') : t('contracts.afterApproval')}
                />
              ),
            }}
            columns={[
              {
                title: t('contracts.contractNo'),
                dataIndex: 'contractNo',
                render: (no: string, c) => (
                  <Link to={`/business/contracts/${c.id}`} className="mono" data-testid={`contract-link-${c.id}`}>
                    {no}
                  </Link>
                ),
              },
              { title: t('common.status'), dataIndex: 'status', render: (s: Contract['status']) => <ContractStatusTag status={s} /> },
              { title: t('contracts.plannedDate'), dataIndex: 'plannedDisbursementDate' },
              { title: t('contracts.signedOn'), dataIndex: 'signedOn', render: (v: string | null) => v ?? '-' },
              { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
            ]}
          />
        </div>
      )}
      {generating && <GenerateDialog application={a} onClose={() => setGenerating(false)} />}
    </Card>
  );
}

function GenerateDialog({ application: a, onClose }: { application: LoanApplication; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ plannedDisbursementDate: Dayjs }>();
  const generate = useMutation({
    mutationFn: (v: { plannedDisbursementDate: Dayjs }) =>
      unwrap(
        api.POST('/api/v1/loan-applications/{id}/contracts', {
          params: { path: { id: a.id } },
          body: { plannedDisbursementDate: v.plannedDisbursementDate.format('YYYY-MM-DD') },
        }),
      ),
    onSuccess: (c) => {
      message.success(t('contracts.generated', { no: c.contractNo }));
      void queryClient.invalidateQueries({ queryKey: applicationContractsKey(a.id) });
      navigate(`/business/contracts/${c.id}`);
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal
      open
      title={t('contracts.generateTitle', { no: a.applicationNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('contracts.generate')}
      cancelText={t('common.cancel')}
      confirmLoading={generate.isPending}
      destroyOnHidden
    >
      <Form name="generateContract" form={form} layout="vertical" initialValues={{ plannedDisbursementDate: dayjs() }} onFinish={(v) => generate.mutate(v)}>
        <Form.Item
          name="plannedDisbursementDate"
          label={t('contracts.plannedDate')}
          extra={t('contracts.plannedDateHelp')}
          rules={[{ required: true, message: t('validation.requiredSelect') }]}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
