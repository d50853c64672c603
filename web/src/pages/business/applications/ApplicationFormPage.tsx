import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Spin, Typography } from 'antd';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { useCustomer } from '../../../api/customers';
import { useApplication } from '../../../api/origination';
import { useCustomerActiveLines } from '../../../api/credit';
import { aboveAvailable, usableLines } from '../../../lib/creditLine';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import {
  applicationFieldAliases,
  applicationToForm,
  checkTerms,
  compareDecimal,
  formToApplicationInput,
  ltvLimit,
  type ApplicationFormValues,
  type TermsProblem,
} from '../../../lib/application';
import { formatMoney } from '../../../lib/money';
import { rateRange } from '../../../lib/product';
import { CustomerSearchSelect, MONEY_PATTERN } from '../../customers/shared';
import { CustomersSelect, ProductSelect, TermsLine, useActiveProducts, VehicleSelect } from './shared';

/** 新建 / 编辑贷款申请: a draft (or a returned application) within its product's terms. */
export default function ApplicationFormPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const editingId = id ? Number(id) : undefined;
  const navigate = useNavigate();
  const { has, me } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ApplicationFormValues>();
  const existing = useApplication(editingId ?? 0, !!editingId);
  // Started from a customer's page: that customer is the borrower.
  const [params] = useSearchParams();
  const presetCustomer = editingId ? undefined : Number(params.get('customerId')) || undefined;
  const preset = useCustomer(presetCustomer ?? 0);
  const products = useActiveProducts();
  const [version, setVersion] = useState<number>();

  useEffect(() => {
    if (existing.data && editingId) {
      form.setFieldsValue(applicationToForm(existing.data.application));
      setVersion(existing.data.application.version);
    }
  }, [existing.data, editingId, form]);

  const customerId = Form.useWatch('customerId', form);
  const productId = Form.useWatch('productId', form);
  const vehicleIds = Form.useWatch('vehicleIds', form);
  const guarantorIds = Form.useWatch('guarantorIds', form);
  const amount = Form.useWatch('amount', form);
  const creditLineId = Form.useWatch('creditLineId', form);
  const canSeeLines = has(P.creditLineRead);
  const lines = useCustomerActiveLines(customerId, canSeeLines);
  const usable = usableLines(lines.data?.items);
  const chosenLine = lines.data?.items.find((l) => l.id === creditLineId);
  const product = products.data?.items.find((p) => p.id === productId);
  const terms = product?.terms;

  // The appraised values of the chosen cars (cached by the vehicle picker), for the LTV hint.
  const vehicles = useQueries({
    queries: (vehicleIds ?? []).map((vid) => ({
      queryKey: ['vehicles', 'one', vid],
      queryFn: () => unwrap(api.GET('/api/v1/vehicles/{id}', { params: { path: { id: vid } } })),
      staleTime: 60_000,
    })),
  });
  const values = vehicles.map((q) => q.data?.currentValue ?? null);
  const ltv = terms ? ltvLimit(values, terms.maxLtv, terms.amountMax) : null;
  const aboveLtv = !!ltv && !!amount && compareDecimal(amount.trim().replace(/,/g, ''), ltv.limit) === 1;

  const save = useMutation({
    mutationFn: (v: ApplicationFormValues) =>
      editingId
        ? unwrap(api.PUT('/api/v1/loan-applications/{id}', { params: { path: { id: editingId } }, body: formToApplicationInput(v, version) }))
        : unwrap(api.POST('/api/v1/loan-applications', { body: formToApplicationInput(v) })),
    onSuccess: (a) => {
      message.success(t(editingId ? 'common.saved' : 'applications.drafted'));
      void queryClient.invalidateQueries({ queryKey: ['loan-applications'] });
      navigate(`/business/loan-applications/${a.id}`);
    },
    onError: (e) =>
      onError(e, {
        form,
        aliases: applicationFieldAliases(vehicleIds?.length ?? 0, guarantorIds?.length ?? 0),
        onReload: () => void existing.refetch(),
      }),
  });

  /** A rule that holds the field to the chosen product's terms. */
  const within = (field: TermsProblem, hint: () => string) => ({
    validator: (_: unknown, value: unknown) =>
      terms && value !== undefined && value !== null && value !== '' && checkTerms({ [field]: value }, terms).includes(field)
        ? Promise.reject(new Error(hint()))
        : Promise.resolve(),
  });

  const title = t(editingId ? 'applications.editTitle' : 'applications.create');
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
  const a = existing.data?.application;
  if (a && (!['draft', 'returned'].includes(a.status) || a.createdBy !== me?.id))
    return (
      <PageContainer title={title}>
        <Alert type="warning" showIcon title={t('applications.notEditable')} />
      </PageContainer>
    );

  return (
    <PageContainer title={title} subtitle={a ? a.applicationNo : t('applications.createHint')}>
      {!has(P.productRead) && <Alert type="warning" showIcon className="section-card" title={t('applications.noProductRead')} />}
      <Form<ApplicationFormValues>
        name="application"
        form={form}
        layout="vertical"
        initialValues={{ vehicleIds: [], guarantorIds: [], customerId: presetCustomer }}
        onFinish={(v) => save.mutate(v)}
        onValuesChange={(changed: Partial<ApplicationFormValues>) => {
          // Another borrower: the credit line chosen was the previous one's.
          if (changed.customerId !== undefined && form.getFieldValue('creditLineId')) form.setFieldValue('creditLineId', null);
          // A new product: keep only a repayment method it offers.
          if (changed.productId !== undefined) {
            const p = products.data?.items.find((x) => x.id === changed.productId);
            const method = form.getFieldValue('method');
            if (p && !p.terms.methods.includes(method)) form.setFieldValue('method', p.terms.methods[0]);
          }
        }}
        scrollToFirstError
      >
        <Card title={t('applications.borrowerAndProduct')} className="section-card" size="small">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="customerId" label={t('applications.customer')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
                <CustomerSearchSelect initialLabel={a?.customerName ?? preset.data?.name} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="productId"
                label={t('applications.product')}
                rules={[{ required: true, message: t('validation.requiredSelect') }]}
                extra={terms ? <TermsLine terms={terms} /> : undefined}
              >
                <ProductSelect products={products.data?.items} loading={products.isLoading} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t('applications.loanTerms')} className="section-card" size="small">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="amount"
                label={t('applications.amount')}
                dependencies={['productId']}
                rules={[
                  { required: true, message: t('validation.required') },
                  { pattern: MONEY_PATTERN, message: t('validation.money') },
                  within('amount', () => t('applications.amountOutside', { min: formatMoney(terms!.amountMin), max: formatMoney(terms!.amountMax) })),
                  {
                    validator: async (_: unknown, value?: string) => {
                      if (chosenLine && aboveAvailable(value, chosenLine.availableAmount))
                        throw new Error(t('applications.aboveCreditLine', { available: formatMoney(chosenLine.availableAmount) }));
                    },
                  },
                ]}
                extra={
                  ltv && (vehicleIds?.length ?? 0) > 0 ? (
                    <span data-testid="ltv-hint" className={aboveLtv ? 'overdue' : undefined}>
                      {t('applications.ltvHint', { limit: formatMoney(ltv.limit), total: formatMoney(ltv.appraisedTotal) })}
                      {ltv.missing > 0 && ` ${t('applications.ltvMissing', { count: ltv.missing })}`}
                    </span>
                  ) : undefined
                }
              >
                <Input inputMode="decimal" suffix={t('common.yuan')} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="termMonths"
                label={t('applications.termMonths')}
                dependencies={['productId']}
                rules={[
                  { required: true, message: t('validation.required') },
                  within('termMonths', () => t('applications.termOutside', { min: terms!.termMonthsMin, max: terms!.termMonthsMax })),
                ]}
              >
                <InputNumber style={{ width: '100%' }} precision={0} min={1} inputMode="numeric" suffix={t('applications.monthUnit')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="annualRatePct"
                label={t('applications.annualRate')}
                dependencies={['productId']}
                rules={[
                  { required: true, message: t('validation.required') },
                  { pattern: /^\d{1,2}(\.\d{1,4})?$/, message: t('validation.percent') },
                  within('annualRatePct', () => t('applications.rateOutside', { range: rateRange(terms!.rateMin, terms!.rateMax) })),
                ]}
              >
                <Input inputMode="decimal" suffix="%" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="method" label={t('applications.method')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
                <Select
                  placeholder={t('common.pleaseSelect')}
                  options={(terms?.methods ?? []).map((m) => ({ value: m, label: t(`products.methods.${m}`) }))}
                  notFoundContent={t('applications.pickProductFirst')}
                />
              </Form.Item>
            </Col>
            {canSeeLines ? (
              <Col xs={24} md={12}>
                <Form.Item
                  name="creditLineId"
                  label={t('applications.creditLine')}
                  dependencies={['customerId']}
                  extra={
                    chosenLine ? (
                      <span data-testid="credit-line-hint">
                        {t('applications.creditLineHint', { available: formatMoney(chosenLine.availableAmount), until: chosenLine.validUntil })}
                      </span>
                    ) : customerId && lines.data && usable.length === 0 ? (
                      t('applications.noCreditLine')
                    ) : undefined
                  }
                >
                  <Select<number>
                    allowClear
                    placeholder={customerId ? t('applications.creditLineOptional') : t('applications.pickCustomerFirst')}
                    loading={lines.isLoading}
                    disabled={!customerId}
                    options={[
                      ...usable.map((l) => ({ value: l.id, label: `${l.lineNo} · ${t('creditLines.availableShort', { amount: formatMoney(l.availableAmount) })}` })),
                      // A line chosen earlier that is no longer usable still shows what it is.
                      ...(creditLineId && !usable.some((l) => l.id === creditLineId)
                        ? [{ value: creditLineId, label: chosenLine?.lineNo ?? t('applications.creditLineNo', { id: creditLineId }) }]
                        : []),
                    ]}
                    onChange={() => void form.validateFields(['amount']).catch(() => undefined)}
                  />
                </Form.Item>
              </Col>
            ) : (
              <Form.Item name="creditLineId" hidden>
                <Input />
              </Form.Item>
            )}
            <Col xs={24} md={12}>
              <Form.Item name="purpose" label={t('applications.purpose')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                <Input maxLength={500} placeholder={t('applications.purposeHint')} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t('applications.collateralAndGuarantors')} className="section-card" size="small">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="vehicleIds" label={t('applications.vehicles')} extra={t('applications.vehiclesHelp')}>
                <VehicleSelect customerId={customerId} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="guarantorIds" label={t('applications.guarantors')}>
                <CustomersSelect exclude={customerId} />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Text type="secondary">{t('applications.submitLater')}</Typography.Text>
        </Card>
        <Space className="form-actions">
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="application-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </PageContainer>
  );
}
