import { useEffect, useMemo, useRef } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, Row, Select, Space, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { useContract } from '../../../api/contracts';
import { translateError } from '../../../api/errors';
import { financeKeys, registerDisbursement, useBusinessDate, type RegisterDisbursement } from '../../../api/finance';
import { useContractCollateral } from '../../../api/securing';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { postableFundAccounts } from '../../../lib/finance';
import { SubmissionKeys } from '../../../lib/idempotency';
import { MONEY_PATTERN } from '../../customers/shared';
import { Amount, PageBusinessDate, DAY, FundAccountSelect, useChart } from '../shared';

interface Values {
  amount: string;
  valueDate: Dayjs;
  customerAccountId: number;
  fundAccountCode: string;
  reference: string;
}

/**
 * 放款登记: the cashier records the payment of a signed contract whose car is secured. The
 * amount is the contract's; the value date (起息日) defaults to the business date; the money goes
 * to one of the borrower's bank accounts from one of the lender's fund accounts. A second person
 * reviews it before the loan exists.
 */
export default function DisbursementFormPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const contractId = Number(params.get('contractId'));
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const { has } = useAccess();
  const [form] = Form.useForm<Values>();
  const keys = useRef(new SubmissionKeys()).current;

  const contract = useContract(contractId);
  const collateral = useContractCollateral(contractId);
  const businessDate = useBusinessDate();
  const chart = useChart();
  const customerId = contract.data?.terms.customerId;
  const bankAccounts = useQuery({
    queryKey: ['customers', 'bank-accounts', customerId, false],
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/bank-accounts', { params: { path: { id: customerId! } } })),
    enabled: !!customerId && has(P.customerRead),
  });
  const receiving = useMemo(() => (bankAccounts.data ?? []).filter((a) => a.status === 'active'), [bankAccounts.data]);
  const funds = useMemo(() => postableFundAccounts(chart.data), [chart.data]);

  // Prefill once the facts are known: the contract's amount, the business date, the primary
  // account, and the bank account if there is only one to pay from.
  useEffect(() => {
    if (!contract.data || !businessDate.data) return;
    const now = form.getFieldsValue();
    form.setFieldsValue({
      amount: now.amount ?? contract.data.terms.amount,
      valueDate: now.valueDate ?? dayjs(businessDate.data),
    });
  }, [contract.data, businessDate.data, form]);
  useEffect(() => {
    if (receiving.length > 0 && form.getFieldValue('customerAccountId') === undefined)
      form.setFieldValue('customerAccountId', (receiving.find((a) => a.isPrimary) ?? receiving[0]).id);
  }, [receiving, form]);
  useEffect(() => {
    const banks = funds.filter((a) => a.code.startsWith('1002'));
    if (banks.length === 1 && form.getFieldValue('fundAccountCode') === undefined) form.setFieldValue('fundAccountCode', banks[0].code);
  }, [funds, form]);

  const register = useMutation({
    mutationFn: (v: Values) => {
      const body: RegisterDisbursement = {
        contractId,
        amount: v.amount.trim(),
        valueDate: v.valueDate.format(DAY),
        customerAccountId: v.customerAccountId,
        fundAccountCode: v.fundAccountCode.trim(),
        reference: v.reference.trim(),
      };
      return registerDisbursement(body, keys.keyFor(body));
    },
    onSuccess: (d) => {
      keys.settle();
      message.success(t('money.disbursementRegistered'));
      void queryClient.invalidateQueries({ queryKey: financeKeys.all });
      navigate(`/money/disbursements/${d.id}`);
    },
    onError: (e) => onError(e, { form }),
  });

  const title = t('money.registerDisbursement');
  if (contract.isPending)
    return (
      <PageContainer title={title}>
        <Spin />
      </PageContainer>
    );
  if (contract.isError || !contract.data)
    return (
      <PageContainer title={title}>
        <Empty description={translateError(contract.error, t, i18n)} />
      </PageContainer>
    );
  const c = contract.data;
  const ready = collateral.data?.readiness.ready === true;
  const blocked = c.status !== 'signed' ? t('money.contractNotSigned') : collateral.data && !ready ? t('money.collateralNotReady') : null;
  const today = businessDate.data ? dayjs(businessDate.data) : undefined;
  const signedOn = c.signedOn ? dayjs(c.signedOn) : undefined;

  return (
    <PageContainer title={title} subtitle={`${c.contractNo} · ${c.terms.borrowerName}`} extra={<PageBusinessDate />}>
      {blocked && (
        <Alert
          className="section-card"
          type="warning"
          showIcon
          title={blocked}
          action={<Link to={`/business/contracts/${c.id}`}>{t('money.backToContract')}</Link>}
          data-testid="disbursement-blocked"
        />
      )}
      <Card className="section-card" size="small" title={t('money.contractFacts')}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} data-testid="disbursement-contract">
          <Descriptions.Item label={t('money.contractNo')}>
            <Link to={`/business/contracts/${c.id}`} className="mono">
              {c.contractNo}
            </Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('money.customer')}>{c.terms.borrowerName}</Descriptions.Item>
          <Descriptions.Item label={t('money.contractAmount')}>
            <Amount value={c.terms.amount} strong /> {t('common.yuan')}
          </Descriptions.Item>
          <Descriptions.Item label={t('money.signedOn')}>{c.signedOn ?? '-'}</Descriptions.Item>
          <Descriptions.Item label={t('money.term')}>{t('applications.months', { count: c.terms.termMonths })}</Descriptions.Item>
          <Descriptions.Item label={t('money.method')}>{t(`products.methods.${c.terms.method}`)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Form<Values> name="disbursement" form={form} layout="vertical" onFinish={(v) => register.mutate(v)} scrollToFirstError>
        <Card className="section-card" size="small" title={t('money.paymentFacts')}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="amount"
                label={t('money.amount')}
                extra={t('money.amountIsContract')}
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
                name="valueDate"
                label={t('money.valueDate')}
                extra={t('money.valueDateHelp')}
                rules={[{ required: true, message: t('validation.requiredSelect') }]}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  disabledDate={(d) => (today ? d.isAfter(today, 'day') : false) || (signedOn ? d.isBefore(signedOn, 'day') : false)}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="customerAccountId"
                label={t('money.customerAccount')}
                rules={[{ required: true, message: t('validation.requiredSelect') }]}
                extra={!has(P.customerRead) ? t('money.needsCustomerRead') : receiving.length === 0 && bankAccounts.isSuccess ? t('money.noBankAccounts') : undefined}
              >
                <Select<number>
                  loading={bankAccounts.isLoading}
                  placeholder={t('common.pleaseSelect')}
                  options={receiving.map((a) => ({
                    value: a.id,
                    label: `${a.bankName} ${a.number} · ${a.holderName}${a.isPrimary ? ` · ${t('money.primaryAccount')}` : ''}`,
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="fundAccountCode"
                label={t('money.payingAccount')}
                rules={[{ required: true, message: t('validation.requiredSelect') }]}
                extra={!has(P.ledgerRead) ? t('money.typeFundCode') : undefined}
              >
                {has(P.ledgerRead) ? <FundAccountSelect accounts={funds} loading={chart.isLoading} /> : <Input className="mono" placeholder="100201" />}
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="reference"
                label={t('money.reference')}
                extra={t('money.referenceHelp')}
                rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
              >
                <Input maxLength={100} className="mono" autoComplete="off" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Space className="form-actions">
          <Button type="primary" htmlType="submit" loading={register.isPending} disabled={!!blocked} data-testid="disbursement-save">
            {t('money.registerDisbursement')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </PageContainer>
  );
}
