import { useRef, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Divider, Empty, Form, Input, InputNumber, Radio, Row, Select, Space, Table, Typography } from 'antd';
import { CalculatorOutlined, PrinterOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Installment } from '../../../api/queries';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { PageContainer } from '../../../components/PageContainer';
import { isDecimalString } from '../../../lib/decimal';
import { formatMoney, formatPercent } from '../../../lib/money';
import { FIELD_ALIASES, METHODS, toScheduleRequest, type CalculatorValues, type ScheduleResponse } from './request';

type FormValues = Omit<CalculatorValues, 'startDate'> & { startDate: Dayjs };

const CAP_ALERT = { ok: 'success', warning: 'warning', refused: 'error' } as const;

export default function CalculatorPage() {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const [form] = Form.useForm<FormValues>();
  const method = Form.useWatch('method', form);
  const principal = Form.useWatch('principal', form);
  const [terms, setTerms] = useState<CalculatorValues | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  const calc = useMutation({
    mutationFn: (v: CalculatorValues) => unwrap(api.POST('/api/v1/calculator/schedule', { body: toScheduleRequest(v) })),
    onSuccess: () => {
      // On a phone the result is below the form: bring it into view.
      requestAnimationFrame(() => {
        const el = resultRef.current;
        if (el && el.getBoundingClientRect().top > window.innerHeight * 0.6) el.scrollIntoView({ behavior: 'smooth', block: 'start' });
      });
    },
    onError: (e) => onError(e, { form, aliases: FIELD_ALIASES }),
  });

  const money = (message: string) => ({
    validator(_: unknown, value: string | undefined) {
      return !value || isDecimalString(value, 2) ? Promise.resolve() : Promise.reject(new Error(message));
    },
  });
  const percent = {
    validator(_: unknown, value: string | undefined) {
      return !value || isDecimalString(value, 6) ? Promise.resolve() : Promise.reject(new Error(t('validation.percent')));
    },
  };

  const onFinish = (v: FormValues) => {
    const values: CalculatorValues = { ...v, startDate: v.startDate.format('YYYY-MM-DD') };
    setTerms(values);
    calc.mutate(values);
  };

  const result = calc.data;

  return (
    <PageContainer
      title={t('calculator.title')}
      subtitle={t('calculator.subtitle')}
      className="calculator-page"
      extra={
        result && (
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="calc-print">
            {t('common.print')}
          </Button>
        )
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={7} xxl={6} className="no-print">
          <Card title={t('calculator.terms')} className="section-card">
            <Form<FormValues>
              name="calculator"
              form={form}
              layout="vertical"
              initialValues={{ method: 'equal_installment', dayBasis: 360, bulletInterest: 'months', startDate: dayjs() }}
              onFinish={onFinish}
              requiredMark={false}
            >
              <Form.Item name="method" label={t('calculator.method')} rules={[{ required: true }]}>
                <Select options={METHODS.map((m) => ({ value: m, label: t(`calculator.methods.${m}`) }))} />
              </Form.Item>
              <Form.Item
                name="principal"
                label={t('calculator.principal')}
                extra={principal && isDecimalString(principal, 2) ? `${formatMoney(principal)} ${t('calculator.yuan')}` : undefined}
                rules={[{ required: true, message: t('validation.required') }, money(t('validation.money'))]}
              >
                <Input inputMode="decimal" suffix={t('calculator.yuan')} placeholder="100000.00" />
              </Form.Item>
              <Form.Item
                name="annualRatePct"
                label={t('calculator.annualRate')}
                extra={t('calculator.annualRateHelp')}
                rules={[{ required: true, message: t('validation.required') }, percent]}
              >
                <Input inputMode="decimal" suffix="%" placeholder="12" />
              </Form.Item>
              <Form.Item
                name="termMonths"
                label={t('calculator.termMonths')}
                rules={[{ required: true, message: t('validation.integerRange', { min: 1, max: 360 }) }]}
              >
                <InputNumber min={1} max={360} precision={0} style={{ width: '100%' }} placeholder="12" />
              </Form.Item>
              <Form.Item name="startDate" label={t('calculator.startDate')} rules={[{ required: true, message: t('validation.required') }]}>
                <DatePicker style={{ width: '100%' }} allowClear={false} />
              </Form.Item>
              {method !== 'bullet' && (
                <Form.Item name="repaymentDay" label={t('calculator.repaymentDay')} extra={t('calculator.repaymentDayHelp')}>
                  <InputNumber min={1} max={28} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              )}
              <Form.Item name="dayBasis" label={t('calculator.dayBasis')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 360, label: t('calculator.dayBasis360') },
                    { value: 365, label: t('calculator.dayBasis365') },
                  ]}
                />
              </Form.Item>
              {method === 'balloon' && (
                <Form.Item
                  name="balloonRatioPct"
                  label={t('calculator.balloonRatio')}
                  extra={t('calculator.balloonRatioHelp')}
                  rules={[{ required: true, message: t('validation.required') }, percent]}
                >
                  <Input inputMode="decimal" suffix="%" placeholder="30" />
                </Form.Item>
              )}
              {method === 'bullet' && (
                <Form.Item name="bulletInterest" label={t('calculator.bulletInterest')}>
                  <Radio.Group
                    optionType="button"
                    options={[
                      { value: 'months', label: t('calculator.bulletMonths') },
                      { value: 'days', label: t('calculator.bulletDays') },
                    ]}
                  />
                </Form.Item>
              )}
              <Form.Item name="upfrontFees" label={t('calculator.upfrontFees')} extra={t('calculator.upfrontFeesHelp')} rules={[money(t('validation.money'))]}>
                <Input inputMode="decimal" suffix={t('calculator.yuan')} placeholder={t('common.optional')} />
              </Form.Item>
              <Form.Item name="periodFees" label={t('calculator.periodFees')} extra={t('calculator.periodFeesHelp')} rules={[money(t('validation.money'))]}>
                <Input inputMode="decimal" suffix={t('calculator.yuan')} placeholder={t('common.optional')} />
              </Form.Item>
              <Button type="primary" htmlType="submit" block icon={<CalculatorOutlined />} loading={calc.isPending} data-testid="calc-submit">
                {t('calculator.calculate')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={17} xxl={18} ref={resultRef}>
          {result && terms ? (
            <ScheduleResult result={result} terms={terms} />
          ) : (
            <Card className="section-card no-print">
              <Empty description={t('calculator.empty')} />
            </Card>
          )}
        </Col>
      </Row>
    </PageContainer>
  );
}

function ScheduleResult({ result, terms }: { result: ScheduleResponse; terms: CalculatorValues }) {
  const { t } = useTranslation();
  const cap = result.capCheck;
  const figures = [
    { key: 'totalPrincipal', label: t('calculator.totalPrincipal'), value: formatMoney(result.totalPrincipal) },
    { key: 'totalInterest', label: t('calculator.totalInterest'), value: formatMoney(result.totalInterest), strong: true },
    { key: 'totalPayment', label: t('calculator.totalPayment'), value: formatMoney(result.totalPayment) },
    ...(result.totalFees && !/^0+(\.0+)?$/.test(result.totalFees)
      ? [{ key: 'totalFees', label: t('calculator.totalFees'), value: formatMoney(result.totalFees) }]
      : []),
    { key: 'aprSimple', label: t('calculator.aprSimple'), value: formatPercent(result.aprSimplePct) },
    { key: 'aprCompound', label: t('calculator.aprCompound'), value: formatPercent(result.aprCompoundPct) },
  ];
  const termLine = [
    t(`calculator.methods.${terms.method}`),
    `${t('calculator.principal')} ${formatMoney(terms.principal)} ${t('calculator.yuan')}`,
    `${t('calculator.annualRate')} ${terms.annualRatePct}%`,
    `${t('calculator.termMonths')} ${terms.termMonths}`,
    `${t('calculator.startDate')} ${terms.startDate}`,
    terms.repaymentDay && terms.method !== 'bullet' ? `${t('calculator.repaymentDay')} ${terms.repaymentDay}` : null,
    terms.upfrontFees ? `${t('calculator.upfrontFees')} ${formatMoney(terms.upfrontFees)}` : null,
    terms.periodFees ? `${t('calculator.periodFees')} ${formatMoney(terms.periodFees)}` : null,
  ].filter(Boolean);

  return (
    <Card className="section-card calc-result" title={t('calculator.result')}>
      <div className="print-only print-heading">
        <h2>
          {t('app.name')} · {t('calculator.title')}
        </h2>
        <p>{t('calculator.printedAt', { time: dayjs().format('YYYY-MM-DD HH:mm') })}</p>
      </div>
      <Space wrap size={[0, 4]} separator={<Divider orientation="vertical" />} className="calc-terms" data-testid="calc-terms">
        {termLine.map((line) => (
          <span key={line as string}>{line}</span>
        ))}
      </Space>
      <div className="figure-grid">
        {figures.map((f) => (
          <div key={f.key} className={`figure ${f.strong ? 'figure-strong' : ''}`} data-testid={`calc-${f.key}`}>
            <div className="figure-label">{f.label}</div>
            <div className="figure-value">{f.value}</div>
          </div>
        ))}
      </div>
      <Alert
        className="cap-alert"
        type={CAP_ALERT[cap.status]}
        showIcon
        data-testid="calc-cap"
        title={`${t('calculator.capCheck')}：${t(`calculator.cap${cap.status.charAt(0).toUpperCase()}${cap.status.slice(1)}`)}`}
        description={
          <>
            {cap.reasons.length > 0 && (
              <ul className="cap-reasons">
                {cap.reasons.map((r) => (
                  <li key={r.code}>
                    {t(`capReasons.${r.code}`, {
                      defaultValue: r.message,
                      apr: formatPercent(cap.aprSimplePct2dp),
                      hard: formatPercent(cap.hardCapPct),
                      cap: formatPercent(cap.lprCapPct),
                    })}
                  </li>
                ))}
              </ul>
            )}
            <div className="cap-lines">
              {[
                cap.aprSimplePct2dp && t('calculator.capApr', { pct: formatPercent(cap.aprSimplePct2dp) }),
                cap.hardCapPct && t('calculator.capHard', { pct: formatPercent(cap.hardCapPct) }),
                cap.lprCapPct &&
                  t('calculator.capLpr', {
                    pct: formatPercent(cap.lprCapPct),
                    lpr: formatPercent(cap.lprPct),
                    date: cap.lprEffectiveDate ?? '-',
                  }),
              ]
                .filter(Boolean)
                .join('；')}
            </div>
          </>
        }
      />
      <Typography.Title level={5} className="schedule-title">
        {t('calculator.schedule')}
      </Typography.Title>
      <div className="table-scroll">
        <Table<Installment>
          size="small"
          rowKey="period"
          className="schedule-table"
          data-testid="calc-schedule"
          dataSource={result.installments}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('calculator.period'), dataIndex: 'period', align: 'center', width: 64 },
            { title: t('calculator.dueDate'), dataIndex: 'dueDate' },
            { title: t('calculator.principalCol'), dataIndex: 'principal', align: 'right', className: 'num', render: (v: string) => formatMoney(v) },
            { title: t('calculator.interestCol'), dataIndex: 'interest', align: 'right', className: 'num', render: (v: string) => formatMoney(v) },
            { title: t('calculator.totalCol'), dataIndex: 'total', align: 'right', className: 'num', render: (v: string) => formatMoney(v) },
            {
              title: t('calculator.remainingPrincipal'),
              dataIndex: 'remainingPrincipal',
              align: 'right',
              className: 'num',
              render: (v: string) => formatMoney(v),
            },
          ]}
          summary={() => (
            <Table.Summary.Row className="schedule-sum">
              <Table.Summary.Cell index={0} colSpan={2} align="center">
                {t('calculator.sum')}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right" className="num">
                {formatMoney(result.totalPrincipal)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right" className="num">
                {formatMoney(result.totalInterest)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right" className="num">
                {formatMoney(result.totalPayment)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} />
            </Table.Summary.Row>
          )}
        />
      </div>
      <Space className="calc-disclaimer">
        <Typography.Text type="secondary">{t('calculator.disclaimer')}</Typography.Text>
      </Space>
    </Card>
  );
}
