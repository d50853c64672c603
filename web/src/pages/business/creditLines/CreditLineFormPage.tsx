import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Row, Space, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { useCustomer } from '../../../api/customers';
import { useCreditLine } from '../../../api/credit';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { creditLineToForm, formToCreditLineInput, validityOrdered } from '../../../lib/creditLine';
import { CustomerSearchSelect, MONEY_PATTERN } from '../../customers/shared';

interface Values {
  customerId: number;
  requestedAmount: string;
  validity: [Dayjs, Dayjs];
  purpose: string;
}

const DAY = 'YYYY-MM-DD';

/** 新建 / 编辑授信申请: the customer, the amount asked for, the validity and the purpose. */
export default function CreditLineFormPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const editingId = id ? Number(id) : undefined;
  const navigate = useNavigate();
  const { me } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<Values>();
  const existing = useCreditLine(editingId ?? 0, !!editingId);
  const [params] = useSearchParams();
  const presetCustomer = editingId ? undefined : Number(params.get('customerId')) || undefined;
  const preset = useCustomer(presetCustomer ?? 0);
  const [version, setVersion] = useState<number>();

  useEffect(() => {
    if (existing.data && editingId) {
      const v = creditLineToForm(existing.data.line);
      form.setFieldsValue({ customerId: v.customerId, requestedAmount: v.requestedAmount, purpose: v.purpose, validity: [dayjs(v.validFrom), dayjs(v.validUntil)] });
      setVersion(existing.data.line.version);
    }
  }, [existing.data, editingId, form]);

  const toInput = (v: Values) =>
    formToCreditLineInput(
      { customerId: v.customerId, requestedAmount: v.requestedAmount, purpose: v.purpose, validFrom: v.validity[0].format(DAY), validUntil: v.validity[1].format(DAY) },
      editingId ? version : undefined,
    );
  const save = useMutation({
    mutationFn: (v: Values) =>
      editingId
        ? unwrap(api.PUT('/api/v1/credit-lines/{id}', { params: { path: { id: editingId } }, body: toInput(v) }))
        : unwrap(api.POST('/api/v1/credit-lines', { body: toInput(v) })),
    onSuccess: (l) => {
      message.success(t(editingId ? 'common.saved' : 'creditLines.drafted'));
      void queryClient.invalidateQueries({ queryKey: ['credit-lines'] });
      navigate(`/business/credit-lines/${l.id}`);
    },
    // The validity is one range picker: both of its ends' errors land on it.
    onError: (e) => onError(e, { form, aliases: { validFrom: 'validity', validUntil: 'validity' }, onReload: () => void existing.refetch() }),
  });

  const title = t(editingId ? 'creditLines.editTitle' : 'creditLines.create');
  if (editingId && existing.isPending)
    return (
      <PageContainer title={title}>
        <Spin />
      </PageContainer>
    );
  if (editingId && existing.isError)
    return (
      <PageContainer title={title}>
        <Alert type="error" showIcon title={translateError(existing.error, t, i18n)} />
      </PageContainer>
    );
  const l = existing.data?.line;
  if (l && (!['draft', 'returned'].includes(l.status) || l.createdBy !== me?.id))
    return (
      <PageContainer title={title}>
        <Alert type="warning" showIcon title={t('creditLines.notEditable')} />
      </PageContainer>
    );

  return (
    <PageContainer title={title} subtitle={l ? l.lineNo : t('creditLines.createHint')}>
      <Form<Values>
        name="creditLine"
        form={form}
        layout="vertical"
        initialValues={{ customerId: presetCustomer, validity: [dayjs(), dayjs().add(1, 'year').subtract(1, 'day')] }}
        onFinish={(v) => save.mutate(v)}
        scrollToFirstError
      >
        <Card className="section-card" size="small">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="customerId" label={t('applications.customer')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
                <CustomerSearchSelect initialLabel={l?.customerName ?? preset.data?.name} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="requestedAmount"
                label={t('creditLines.requestedAmount')}
                rules={[
                  { required: true, message: t('validation.required') },
                  { pattern: MONEY_PATTERN, message: t('validation.money') },
                ]}
              >
                <Input inputMode="decimal" suffix={t('common.yuan')} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="validity"
                label={t('creditLines.validity')}
                extra={t('creditLines.validityHelp')}
                rules={[
                  { required: true, message: t('validation.requiredSelect') },
                  {
                    validator: async (_, v?: [Dayjs, Dayjs]) => {
                      if (v && !validityOrdered(v[0]?.format(DAY), v[1]?.format(DAY))) throw new Error(t('fieldErrors.before_valid_from'));
                      // The start may lie in the past (a line renewed late); the end may not.
                      if (v?.[1] && v[1].isBefore(dayjs(), 'day')) throw new Error(t('fieldErrors.in_the_past'));
                    },
                  },
                ]}
              >
                <DatePicker.RangePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="purpose" label={t('creditLines.purpose')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                <Input maxLength={500} placeholder={t('creditLines.purposeHint')} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Space className="form-actions">
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="credit-line-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </PageContainer>
  );
}
