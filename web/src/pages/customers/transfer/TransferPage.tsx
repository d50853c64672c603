import { useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Row } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { useAllUsers } from '../../../api/queries';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { blankToNull } from '../../../lib/format';
import { CustomerTable } from '../list/CustomersPage';
import { ManagerSelect } from '../shared';

interface TransferForm {
  toManagerId: number;
  reason?: string;
}

export default function TransferPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<TransferForm>();
  const [selected, setSelected] = useState<number[]>([]);
  const users = useAllUsers(has(P.userRead));

  const transfer = useMutation({
    mutationFn: (v: TransferForm) =>
      unwrap(api.POST('/api/v1/customers/transfer', { body: { customerIds: selected, toManagerId: v.toManagerId, reason: blankToNull(v.reason) } })),
    onSuccess: (r) => {
      message.success(t('transfer.done', { count: r.transferred.length }));
      setSelected([]);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
    onError: (e) => onError(e, { form }),
  });

  const submit = (v: TransferForm) => {
    if (selected.length === 0) {
      message.warning(t('transfer.selectFirst'));
      return;
    }
    const to = users.data?.items.find((u) => u.id === v.toManagerId);
    modal.confirm({
      title: t('transfer.confirm', { count: selected.length, name: to?.displayName ?? `#${v.toManagerId}` }),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: () => transfer.mutateAsync(v),
    });
  };

  return (
    <PageContainer title={t('transfer.title')} subtitle={t('transfer.subtitle')}>
      <Card className="section-card" size="small">
        {!has(P.userRead) && <Alert type="info" showIcon title={t('errors.forbidden')} className="section-card" />}
        <Form<TransferForm> name="transfer" form={form} layout="vertical" onFinish={submit}>
          <Row gutter={16} align="bottom">
            <Col xs={24} md={8}>
              <Form.Item name="toManagerId" label={t('transfer.toManager')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
                <ManagerSelect />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item name="reason" label={t('transfer.reason')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item>
                <Button type="primary" htmlType="submit" icon={<SwapOutlined />} loading={transfer.isPending} block>
                  {t('transfer.submit')}
                  {selected.length > 0 && `（${selected.length}）`}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <CustomerTable
        name="transferFilters"
        selection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), preserveSelectedRowKeys: true }}
      />
    </PageContainer>
  );
}
