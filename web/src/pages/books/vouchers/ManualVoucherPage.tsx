import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Result, Row, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { PageContainer } from '../../../components/PageContainer';
import { useIsMobile } from '../../../components/useIsMobile';
import { amountInWords } from '../../../lib/amounts';
import { booksApi, booksKeys, FINANCE_KEY, unwrap, useAccounts, useBusinessDate, type Account, type ManualVoucher, type Voucher } from '../api/client';
import { normalizeAmount, voucherTotals, type DraftLine } from '../lib/fen';
import { accountLabel, Amount, DAY, isControlAccount } from '../shared';

interface Values {
  voucherDate: Dayjs;
  summary: string;
  lines: DraftLine[];
}

/** An amount cell: blank, or a positive amount with at most two places. */
const AMOUNT_CELL = /^\s*(\d{1,15}(\.\d{0,2})?)?\s*$/;

const EMPTY_LINE: DraftLine = { accountCode: undefined, debit: '', credit: '', memo: '' };

/** The body of POST /vouchers from what the form holds: amounts with two places, blanks as zero. */
export function manualVoucherBody(v: Values): ManualVoucher {
  return {
    voucherDate: v.voucherDate.format(DAY),
    summary: v.summary.trim(),
    lines: v.lines.map((l) => ({
      accountCode: l.accountCode ?? '',
      debit: normalizeAmount(l.debit) ?? '0.00',
      credit: normalizeAmount(l.credit) ?? '0.00',
      memo: (l.memo ?? '').trim(),
    })),
  };
}

/** Accounts a manual voucher may post to: enabled leaves; the loans' control accounts are shown but refused. */
function postable(chart: Account[] | undefined) {
  return (chart ?? []).filter((a) => a.enabled && !a.hasChildren);
}

/**
 * 手工凭证: date, 摘要 and lines (account, debit or credit, memo) with the columns' running
 * totals, added up exactly on fen; it can be sent only when it balances. The voucher waits for
 * someone else's review (凭证审核) before it is posted.
 */
export default function ManualVoucherPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<Values>();
  const businessDate = useBusinessDate();
  const chart = useAccounts();
  const [saved, setSaved] = useState<Voucher | null>(null);
  const watched = Form.useWatch('lines', form) as (DraftLine | undefined)[] | undefined;
  const totals = useMemo(() => voucherTotals(watched ?? []), [watched]);
  const options = useMemo(
    () =>
      postable(chart.data).map((a) => {
        const control = isControlAccount(a.code);
        return { value: a.code, label: control ? `${accountLabel(a)}（${t('books.voucher.controlAccount')}）` : accountLabel(a), disabled: control };
      }),
    [chart.data, t],
  );

  useEffect(() => {
    if (businessDate.data && !form.getFieldValue('voucherDate')) form.setFieldValue('voucherDate', dayjs(businessDate.data));
  }, [businessDate.data, form]);

  const create = useMutation({
    mutationFn: (v: Values) => unwrap(booksApi.POST('/api/v1/vouchers', { body: manualVoucherBody(v) })),
    onSuccess: (voucher) => {
      message.success(t('books.voucher.saved', { no: voucher.voucherNo }));
      setSaved(voucher);
      void queryClient.invalidateQueries({ queryKey: booksKeys.all });
      void queryClient.invalidateQueries({ queryKey: FINANCE_KEY });
    },
    onError: (e) => onError(e, { form }),
  });

  if (saved)
    return (
      <PageContainer title={t('books.voucher.title')}>
        <Result
          status="success"
          title={t('books.voucher.saved', { no: saved.voucherNo })}
          subTitle={t('books.voucher.savedHelp')}
          data-testid="books-voucher-saved"
          extra={[
            <Button
              key="again"
              type="primary"
              onClick={() => {
                setSaved(null);
                form.resetFields();
                if (businessDate.data) form.setFieldValue('voucherDate', dayjs(businessDate.data));
              }}
            >
              {t('books.voucher.writeAnother')}
            </Button>,
            <Link key="review" to="/books/vouchers/review">
              {t('books.voucher.toReview')}
            </Link>,
          ]}
        />
      </PageContainer>
    );

  const today = businessDate.data ? dayjs(businessDate.data) : undefined;
  const words = totals.balanced ? amountInWords(totals.debit) : null;
  return (
    <PageContainer title={t('books.voucher.title')} subtitle={t('books.voucher.subtitle')}>
      <Card size="small" className="section-card">
        <Form<Values>
          name="manualVoucher"
          form={form}
          layout="vertical"
          initialValues={{ lines: [{ ...EMPTY_LINE }, { ...EMPTY_LINE }] }}
          onFinish={(v) => create.mutate(v)}
        >
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item
                name="voucherDate"
                label={t('books.voucher.date')}
                extra={today ? t('books.voucher.dateHelp', { date: businessDate.data }) : undefined}
                rules={[{ required: true, message: t('validation.requiredSelect') }]}
              >
                <DatePicker style={{ width: '100%' }} disabledDate={(d) => (today ? d.isAfter(today, 'day') : false)} data-testid="books-voucher-date" />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item name="summary" label={t('books.voucher.summary')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                <Input maxLength={200} data-testid="books-voucher-summary" />
              </Form.Item>
            </Col>
          </Row>
          {!isMobile && (
            <Row gutter={8} className="muted" aria-hidden>
              <Col md={8}>{t('books.voucher.account')}</Col>
              <Col md={4}>{t('books.voucher.debit')}</Col>
              <Col md={4}>{t('books.voucher.credit')}</Col>
              <Col md={6}>{t('books.voucher.memo')}</Col>
            </Row>
          )}
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => {
                  const typed = watched?.[i];
                  // Untouched lines are not wrong yet: speak up once an amount is typed.
                  const problem = typed?.debit?.trim() || typed?.credit?.trim() ? totals.lineProblems.get(i) : undefined;
                  const label = (key: string) => (isMobile ? t(key) : undefined);
                  const line = (
                    <Row gutter={8} align="top" data-testid={`books-line-${i}`} data-problem={problem ?? ''}>
                      <Col xs={24} md={8}>
                        <Form.Item name={[field.name, 'accountCode']} label={label('books.voucher.account')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
                          <Select<string>
                            showSearch={{ optionFilterProp: 'label' }}
                            placeholder={t('books.voucher.account')}
                            loading={chart.isLoading}
                            options={options}
                            aria-label={t('books.voucher.lineAccount', { n: i + 1 })}
                            data-testid={`books-line-${i}-account`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={4}>
                        <Form.Item name={[field.name, 'debit']} label={label('books.voucher.debit')} rules={[{ pattern: AMOUNT_CELL, message: t('validation.money') }]}>
                          <Input inputMode="decimal" className="num" autoComplete="off" aria-label={t('books.voucher.lineDebit', { n: i + 1 })} data-testid={`books-line-${i}-debit`} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={4}>
                        <Form.Item name={[field.name, 'credit']} label={label('books.voucher.credit')} rules={[{ pattern: AMOUNT_CELL, message: t('validation.money') }]}>
                          <Input inputMode="decimal" className="num" autoComplete="off" aria-label={t('books.voucher.lineCredit', { n: i + 1 })} data-testid={`books-line-${i}-credit`} />
                        </Form.Item>
                      </Col>
                      <Col xs={20} md={6}>
                        <Form.Item name={[field.name, 'memo']} label={label('books.voucher.memo')}>
                          <Input maxLength={200} data-testid={`books-line-${i}-memo`} />
                        </Form.Item>
                      </Col>
                      <Col xs={4} md={2}>
                        <Tooltip title={t('books.voucher.removeLine')}>
                          <Button
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            disabled={fields.length <= 2}
                            onClick={() => remove(field.name)}
                            aria-label={t('books.voucher.removeLine')}
                            data-testid={`books-line-${i}-remove`}
                            style={isMobile ? { marginTop: 30 } : undefined}
                          />
                        </Tooltip>
                      </Col>
                      {problem && problem !== 'account' && (
                        <Col span={24}>
                          <Typography.Text type="danger" className="books-line-problem" data-testid={`books-line-${i}-problem`}>
                            {t(`books.voucher.problems.${problem}`)}
                          </Typography.Text>
                        </Col>
                      )}
                    </Row>
                  );
                  return isMobile ? (
                    <Card key={field.key} size="small" className="books-line" title={t('books.voucher.lineN', { n: i + 1 })}>
                      {line}
                    </Card>
                  ) : (
                    <div key={field.key} className="books-line">
                      {line}
                    </div>
                  );
                })}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ ...EMPTY_LINE })} data-testid="books-line-add">
                  {t('books.voucher.addLine')}
                </Button>
              </>
            )}
          </Form.List>
          <div className="books-totals" data-testid="books-voucher-totals">
            <span>
              {t('books.voucher.totalDebit')} <Amount value={totals.debit} strong testId="books-voucher-total-debit" />
            </span>
            <span>
              {t('books.voucher.totalCredit')} <Amount value={totals.credit} strong testId="books-voucher-total-credit" />
            </span>
            <span>
              {t('books.voucher.difference')} <Amount value={totals.difference} testId="books-voucher-difference" />
            </span>
            <Tag color={totals.balanced ? 'success' : 'warning'} data-testid="books-voucher-balanced" data-balanced={totals.balanced ? 'true' : 'false'}>
              {t(totals.balanced ? 'books.voucher.balanced' : 'books.voucher.unbalanced')}
            </Tag>
            {words && <Typography.Text type="secondary">{t('books.voucher.inWords', { words })}</Typography.Text>}
          </div>
          {!totals.ready && totals.balanced && <Alert type="info" showIcon className="section-card" title={t('books.voucher.notReady')} />}
          <Space>
            <Button type="primary" htmlType="submit" disabled={!totals.ready} loading={create.isPending} data-testid="books-voucher-submit">
              {t('books.voucher.submit')}
            </Button>
            <Typography.Text type="secondary">{t('books.voucher.submitHelp')}</Typography.Text>
          </Space>
        </Form>
      </Card>
    </PageContainer>
  );
}
