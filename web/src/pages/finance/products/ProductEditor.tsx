import { useState } from 'react';
import { Alert, App, Button, Checkbox, Col, Divider, Drawer, Form, Input, InputNumber, Radio, Row, Select, Space, Switch } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ApiError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import {
  COLLATERAL_KINDS,
  DEFAULT_ALLOCATION,
  FEE_TYPES,
  METHODS,
  PAYOFF_BASES,
  PREPAYMENT_KINDS,
  type Product,
  type WorstCase,
} from '../../../api/products';
import { emptyProductForm, formToProductInput, productFieldAliases, productToForm, type ProductFormValues } from '../../../lib/product';
import { CapCheckView } from './CapCheckView';

const required = (t: (k: string) => string) => [{ required: true, message: t('validation.required') }];

/** Creates a product, or saves its next terms version. */
export function ProductEditor({ product, onClose }: { product: Product | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ProductFormValues>();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [saved, setSaved] = useState<WorstCase | null>(null);
  const methods = Form.useWatch('methods', form) ?? [];
  const prepaymentKind = Form.useWatch(['prepaymentFee', 'kind'], form);
  const save = useMutation({
    mutationFn: (v: ProductFormValues) =>
      product
        ? unwrap(api.PUT('/api/v1/products/{id}', { params: { path: { id: product.id } }, body: formToProductInput(v, product.version) }))
        : unwrap(api.POST('/api/v1/products', { body: formToProductInput(v) })),
    onSuccess: (p) => {
      setRefusal(null);
      message.success(t(product ? 'common.saved' : 'common.created'));
      void queryClient.invalidateQueries({ queryKey: ['products'] });
      if (p.capCheck && p.capCheck.check.status !== 'ok') setSaved(p.capCheck);
      else onClose();
    },
    onError: (e) => {
      setRefusal(e instanceof ApiError && e.code === 'apr_above_cap' ? (e.problem.detail ?? e.problem.title) : null);
      onError(e, {
        form,
        aliases: productFieldAliases(form.getFieldValue('fees')?.length ?? 0),
        onReload: () => {
          void queryClient.invalidateQueries({ queryKey: ['products'] });
          onClose();
        },
      });
    },
  });
  return (
    <Drawer
      open
      size="large"
      title={product ? t('products.editTitle', { name: product.name }) : t('products.create')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          {!saved && (
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="product-save">
              {t('common.save')}
            </Button>
          )}
        </Space>
      }
    >
      {saved ? (
        <>
          <CapCheckView cap={saved} />
          <Button type="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        </>
      ) : (
        <Form<ProductFormValues>
          name="product"
          form={form}
          layout="vertical"
          initialValues={product ? productToForm(product) : emptyProductForm()}
          onFinish={(v) => save.mutate(v)}
        >
          {product && <Alert type="info" showIcon className="section-card" title={t('products.newVersionHint', { n: product.termsVersion + 1 })} />}
          {refusal && (
            <Alert type="error" showIcon className="section-card" data-testid="product-refused" title={t('errors.apr_above_cap')} description={refusal} />
          )}
          <Row gutter={16}>
            <Col xs={24} sm={8}>
              <Form.Item name="code" label={t('common.code')} rules={required(t)}>
                <Input maxLength={30} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={16}>
              <Form.Item name="name" label={t('common.name')} rules={required(t)}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="description" label={t('common.description')}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
          </Form.Item>

          <Divider titlePlacement="start">{t('products.methodSettings')}</Divider>
          <Form.Item name="methods" label={t('products.methodsLabel')} rules={required(t)}>
            <Checkbox.Group options={METHODS.map((m) => ({ value: m, label: t(`products.methods.${m}`) }))} />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={12} sm={6}>
              <Form.Item name="termMonthsMin" label={t('products.termMin')} rules={required(t)}>
                <InputNumber min={1} max={360} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="termMonthsMax" label={t('products.termMax')} rules={required(t)}>
                <InputNumber min={1} max={360} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="amountMin" label={t('products.amountMin')} rules={required(t)}>
                <Input suffix={t('common.yuan')} inputMode="decimal" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="amountMax" label={t('products.amountMax')} rules={required(t)}>
                <Input suffix={t('common.yuan')} inputMode="decimal" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="rateMinPct" label={t('products.rateMin')} rules={required(t)}>
                <Input suffix="%" inputMode="decimal" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="rateMaxPct" label={t('products.rateMax')} rules={required(t)} extra={t('products.rateHint')}>
                <Input suffix="%" inputMode="decimal" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="dayBasis" label={t('products.dayBasis')}>
                <Radio.Group options={[360, 365].map((d) => ({ value: d, label: String(d) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="maxLtvPct" label={t('products.maxLtv')} rules={required(t)}>
                <Input suffix="%" inputMode="decimal" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="repaymentDay" label={t('products.repaymentDay')}>
                <InputNumber min={1} max={28} precision={0} style={{ width: '100%' }} placeholder={t('products.anniversary')} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="minFirstPeriodDays" label={t('products.minFirstPeriodDays')}>
                <InputNumber min={0} max={28} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            {methods.includes('balloon') && (
              <Col xs={12} sm={6}>
                <Form.Item name="balloonRatioPct" label={t('products.balloonRatio')} rules={required(t)}>
                  <Input suffix="%" inputMode="decimal" />
                </Form.Item>
              </Col>
            )}
            {methods.includes('flat') && (
              <Col xs={12} sm={6}>
                <Form.Item name="flatPayoffBasis" label={t('products.flatPayoffBasis')}>
                  <Select options={PAYOFF_BASES.map((b) => ({ value: b, label: t(`products.payoffBases.${b}`) }))} />
                </Form.Item>
              </Col>
            )}
          </Row>

          <Divider titlePlacement="start">{t('products.overdue')}</Divider>
          <Row gutter={16}>
            <Col xs={12} sm={6}>
              <Form.Item name="penaltyMultiplier" label={t('products.penaltyMultiplier')} rules={required(t)}>
                <Input inputMode="decimal" suffix="×" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="graceDays" label={t('products.graceDays')}>
                <InputNumber min={0} max={90} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name={['allocation', 'components']} label={t('products.allocation')} extra={t('products.allocationHint')}>
                <Select mode="multiple" options={DEFAULT_ALLOCATION.map((c) => ({ value: c, label: t(`products.components.${c}`) }))} />
              </Form.Item>
              <Form.Item name={['allocation', 'installmentByInstallment']} valuePropName="checked">
                <Checkbox>{t('products.installmentByInstallment')}</Checkbox>
              </Form.Item>
            </Col>
          </Row>

          <Divider titlePlacement="start">{t('products.fees')}</Divider>
          <Form.List name="fees">
            {(fields, { add, remove }) => (
              <>
                {fields.map(({ key, name }) => (
                  <FeeRowEditor key={key} name={name} onRemove={() => remove(name)} />
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ type: 'consulting', basis: 'fixed', timing: 'at_signing' })} data-testid="fee-add">
                  {t('products.addFee')}
                </Button>
              </>
            )}
          </Form.List>

          <Divider titlePlacement="start">{t('products.prepaymentFee')}</Divider>
          <Row gutter={16}>
            <Col xs={24} sm={8}>
              <Form.Item name={['prepaymentFee', 'kind']} label={t('products.prepaymentKind')}>
                <Select options={PREPAYMENT_KINDS.map((k) => ({ value: k, label: t(`products.prepaymentKinds.${k}`) }))} />
              </Form.Item>
            </Col>
            {prepaymentKind === 'percent_of_remaining' && (
              <Col xs={12} sm={4}>
                <Form.Item name={['prepaymentFee', 'ratePct']} label={t('products.feeRate')} rules={required(t)}>
                  <Input suffix="%" inputMode="decimal" />
                </Form.Item>
              </Col>
            )}
            {prepaymentKind === 'months_interest' && (
              <Col xs={12} sm={4}>
                <Form.Item name={['prepaymentFee', 'months']} label={t('products.months')} rules={required(t)}>
                  <InputNumber min={1} max={12} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            )}
            {prepaymentKind && prepaymentKind !== 'none' && (
              <>
                <Col xs={12} sm={6}>
                  <Form.Item name={['prepaymentFee', 'freeAfterMonths']} label={t('products.freeAfterMonths')}>
                    <InputNumber min={0} max={360} precision={0} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={6}>
                  <Form.Item name={['prepaymentFee', 'cap']} label={t('products.feeCap')}>
                    <Input suffix={t('common.yuan')} inputMode="decimal" />
                  </Form.Item>
                </Col>
              </>
            )}
          </Row>

          <Divider titlePlacement="start">{t('products.collateral')}</Divider>
          <Row gutter={16}>
            <Col xs={12} sm={8}>
              <Form.Item name="collateralKind" label={t('products.collateralKind')}>
                <Radio.Group options={COLLATERAL_KINDS.map((k) => ({ value: k, label: t(`products.collateralKinds.${k}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={8}>
              <Form.Item name="gpsRequired" label={t('products.gpsRequired')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      )}
    </Drawer>
  );
}

function FeeRowEditor({ name, onRemove }: { name: number; onRemove: () => void }) {
  const { t } = useTranslation();
  const basis = Form.useWatch(['fees', name, 'basis']);
  return (
    <Row gutter={8} align="top" data-testid={`fee-${name}`}>
      <Col xs={12} sm={5}>
        <Form.Item name={[name, 'type']} label={t('products.feeType')}>
          <Select options={FEE_TYPES.map((f) => ({ value: f, label: t(`products.feeTypes.${f}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={12} sm={5}>
        <Form.Item name={[name, 'basis']} label={t('products.feeBasis')}>
          <Select options={(['fixed', 'percent'] as const).map((b) => ({ value: b, label: t(`products.feeBases.${b}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={12} sm={6}>
        <Form.Item name={[name, 'timing']} label={t('products.feeTiming')}>
          <Select options={(['at_signing', 'per_period'] as const).map((b) => ({ value: b, label: t(`products.timings.${b}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={10} sm={6}>
        {basis === 'percent' ? (
          <Form.Item name={[name, 'ratePct']} label={t('products.feeRate')} rules={required(t)}>
            <Input suffix="%" inputMode="decimal" />
          </Form.Item>
        ) : (
          <Form.Item name={[name, 'amount']} label={t('products.feeAmount')} rules={required(t)}>
            <Input suffix={t('common.yuan')} inputMode="decimal" />
          </Form.Item>
        )}
      </Col>
      <Col xs={2} sm={2}>
        <Form.Item label=" ">
          <Button type="text" danger icon={<MinusCircleOutlined />} onClick={onRemove} aria-label={t('common.remove')} />
        </Form.Item>
      </Col>
    </Row>
  );
}
