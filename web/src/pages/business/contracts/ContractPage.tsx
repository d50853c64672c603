import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Modal, Space, Spin, Table, Tag, Typography } from 'antd';
import {
  CameraOutlined,
  DownloadOutlined,
  EyeOutlined,
  FilePdfOutlined,
  FileProtectOutlined,
  MinusCircleOutlined,
  PlusOutlined,
  StopOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ApiError, translateError, translateFieldError } from '../../../api/errors';
import {
  contractKey,
  fetchContractPdf,
  fetchContractScan,
  MAX_SCAN_BYTES,
  saveBlob,
  uploadContractScan,
  useContract,
  type Contract,
  type ContractSchedule,
} from '../../../api/contracts';
import type { Installment } from '../../../api/queries';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { cleanWitnesses, contractActions, contractFileName, MAX_WITNESSES, signReady, witnessProblem } from '../../../lib/contract';
import { decimalToPercent } from '../../../lib/decimal';
import { formatDateTime } from '../../../lib/format';
import { formatMoney, formatPercent } from '../../../lib/money';
import { ContractDisbursement } from '../../money/disbursements/ContractDisbursement';
import { CollateralCard } from './CollateralCard';
import { ContractStatusTag } from './shared';

/** 借款合同: the terms fixed at generation, the schedule with its APR disclosure, the PDF, and signing. */
export default function ContractPage() {
  const { t, i18n } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { granted, has } = useAccess();
  const contract = useContract(id);
  const [voiding, setVoiding] = useState(false);

  if (contract.isPending)
    return (
      <PageContainer title={t('contracts.title')}>
        <Spin />
      </PageContainer>
    );
  if (contract.isError || !contract.data)
    return (
      <PageContainer title={t('contracts.title')}>
        <Empty description={translateError(contract.error, t, i18n)} />
      </PageContainer>
    );
  const c = contract.data;
  const actions = contractActions(c, granted);
  return (
    <PageContainer
      title={c.contractNo}
      subtitle={`${t('contracts.title')} · ${c.terms.borrowerName} · ${c.terms.applicationNo}`}
      extra={
        <Space wrap>
          <ContractStatusTag status={c.status} />
          {has(P.loanApplicationRead) && (
            <Link to={`/business/loan-applications/${c.applicationId}`}>
              <Button data-testid="contract-application">{t('contracts.toApplication')}</Button>
            </Link>
          )}
          <ContractDisbursement contract={c} />
          {actions.includes('void') && (
            <Button danger icon={<StopOutlined />} onClick={() => setVoiding(true)} data-testid="contract-void">
              {t('contracts.void')}
            </Button>
          )}
        </Space>
      }
    >
      {c.status === 'voided' && (
        <Alert type="warning" showIcon className="section-card" title={t('contracts.voidedNotice', { reason: c.voidReason ?? '-' })} />
      )}
      <div className="contract-grid">
        <div className="contract-side">
          <SigningCard contract={c} canWrite={actions.includes('sign')} />
          <PdfCard contract={c} />
        </div>
        <div className="contract-main">
          <CollateralCard contract={c} />
          <TermsCard contract={c} />
          <DisclosureCard schedule={c.terms.schedule} />
          <ScheduleCard schedule={c.terms.schedule} />
        </div>
      </div>
      {voiding && <VoidDialog contract={c} onClose={() => setVoiding(false)} />}
    </PageContainer>
  );
}

/** The PDF: previewed in the page on demand, downloaded, or opened in a tab of its own. */
function PdfCard({ contract: c }: { contract: Contract }) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'download' | null>(null);
  const urlRef = useRef<string | null>(null);
  // The blob URL lives as long as the page; a newer version of the contract drops it.
  useEffect(() => {
    return () => {
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
      urlRef.current = null;
    };
  }, [c.id, c.version]);
  useEffect(() => setUrl(null), [c.id, c.version]);

  const load = async (kind: 'preview' | 'download') => {
    setBusy(kind);
    try {
      const blob = await fetchContractPdf(c.id);
      if (kind === 'download') saveBlob(blob, contractFileName(c));
      else {
        if (urlRef.current) URL.revokeObjectURL(urlRef.current);
        urlRef.current = URL.createObjectURL(blob);
        setUrl(urlRef.current);
      }
    } catch (e) {
      onError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card title={t('contracts.document')} className="section-card" size="small" data-testid="contract-pdf">
      <Space wrap>
        <Button icon={<EyeOutlined />} loading={busy === 'preview'} onClick={() => void load('preview')} data-testid="contract-preview">
          {t('contracts.preview')}
        </Button>
        <Button type="primary" icon={<DownloadOutlined />} loading={busy === 'download'} onClick={() => void load('download')} data-testid="contract-download">
          {t('contracts.download')}
        </Button>
        {url && (
          <a href={url} target="_blank" rel="noopener noreferrer">
            <Button icon={<FilePdfOutlined />}>{t('contracts.openInTab')}</Button>
          </a>
        )}
      </Space>
      {url ? (
        <iframe src={url} title={c.contractNo} className="pdf-frame" data-testid="contract-pdf-frame" />
      ) : (
        <Typography.Paragraph type="secondary" className="flow-help">
          {t('contracts.documentHelp')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

/** 合同要素: what the contract fixes. */
function TermsCard({ contract: c }: { contract: Contract }) {
  const { t } = useTranslation();
  const x = c.terms;
  return (
    <Card title={t('contracts.terms')} className="section-card" size="small">
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} className="detail-desc" data-testid="contract-terms">
        <Descriptions.Item label={t('contracts.lender')}>{x.lenderName}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.borrower')}>
          {x.borrowerName}
          {x.borrowerIdNumber && <Typography.Text type="secondary"> {x.borrowerIdNumber}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t('applications.guarantors')}>
          {x.guarantorNames.length ? x.guarantorNames.join('、') : t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('applications.product')}>
          {x.productName} <Typography.Text type="secondary">V{x.productVersion}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('applications.amount')}>
          <strong>{formatMoney(x.amount)}</strong> {t('common.yuan')}
        </Descriptions.Item>
        <Descriptions.Item label={t('applications.annualRate')}>{decimalToPercent(x.annualRate) ?? x.annualRate}%</Descriptions.Item>
        <Descriptions.Item label={t('applications.method')}>{t(`products.methods.${x.method}`)}</Descriptions.Item>
        <Descriptions.Item label={t('applications.termMonths')}>{t('applications.months', { count: x.termMonths })}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.plannedDate')}>{c.plannedDisbursementDate}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.repaymentDay')}>
          {x.repaymentDay ? t('contracts.dayOfMonth', { day: x.repaymentDay }) : t('contracts.sameDay')}
        </Descriptions.Item>
        <Descriptions.Item label={t('contracts.dayBasis')}>{t('contracts.days', { count: x.dayBasis })}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.penalty')}>{t('contracts.penaltyText', { multiplier: x.penaltyMultiplier })}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.graceDays')}>{t('contracts.days', { count: x.graceDays })}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.upfrontFees')}>{formatMoney(x.upfrontFees)}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.periodFees')}>{formatMoney(x.periodFees)}</Descriptions.Item>
        <Descriptions.Item label={t('applications.purpose')} span="filled">
          <span className="wrap-cell">{x.purpose}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('contracts.vehicles')} span="filled">
          {x.vehicles.length === 0
            ? t('common.none')
            : x.vehicles.map((v) => (
                <div key={v.vehicleId}>
                  {v.description} <span className="mono">{v.vin}</span>
                  {v.appraisedValue && <Typography.Text type="secondary"> · {t('applications.valued', { value: formatMoney(v.appraisedValue) })}</Typography.Text>}
                </div>
              ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(c.createdAt)}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

const CAP_ALERT = { ok: 'success', warning: 'warning', refused: 'error' } as const;

/** 综合年化利率披露: the totals and both APRs of the drafted schedule, with the cap check. */
function DisclosureCard({ schedule: s }: { schedule: ContractSchedule }) {
  const { t } = useTranslation();
  const cap = s.capCheck;
  const figures = [
    { key: 'totalPrincipal', label: t('calculator.totalPrincipal'), value: formatMoney(s.totalPrincipal) },
    { key: 'totalInterest', label: t('calculator.totalInterest'), value: formatMoney(s.totalInterest) },
    { key: 'totalPayment', label: t('calculator.totalPayment'), value: formatMoney(s.totalPayment) },
    { key: 'totalFees', label: t('calculator.totalFees'), value: formatMoney(s.totalFees) },
    { key: 'aprSimple', label: t('calculator.aprSimple'), value: formatPercent(s.aprSimplePct), strong: true },
    { key: 'aprCompound', label: t('calculator.aprCompound'), value: formatPercent(s.aprCompoundPct) },
  ];
  return (
    <Card title={t('contracts.disclosure')} className="section-card" size="small" data-testid="contract-disclosure">
      <div className="figure-grid">
        {figures.map((f) => (
          <div key={f.key} className={`figure ${f.strong ? 'figure-strong' : ''}`} data-testid={`contract-${f.key}`}>
            <div className="figure-label">{f.label}</div>
            <div className="figure-value">{f.value}</div>
          </div>
        ))}
      </div>
      <Alert
        className="cap-alert"
        type={CAP_ALERT[cap.status]}
        showIcon
        title={t('contracts.disclosureLine', { apr: formatPercent(cap.aprSimplePct2dp), hard: formatPercent(cap.hardCapPct) })}
        description={
          cap.reasons.length > 0 && (
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
          )
        }
      />
      <Typography.Paragraph type="secondary" className="flow-help">
        {t('contracts.disclosureHelp')}
      </Typography.Paragraph>
    </Card>
  );
}

/** 还款计划: drafted from the planned disbursement date; the value date makes it binding. */
function ScheduleCard({ schedule: s }: { schedule: ContractSchedule }) {
  const { t } = useTranslation();
  return (
    <Card title={t('contracts.schedule')} className="section-card" size="small">
      <div className="table-scroll">
        <Table<Installment>
          size="small"
          rowKey="period"
          className="schedule-table"
          data-testid="contract-schedule"
          dataSource={s.installments}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('calculator.period'), dataIndex: 'period', align: 'center', width: 56 },
            { title: t('calculator.dueDate'), dataIndex: 'dueDate' },
            { title: t('calculator.principalCol'), dataIndex: 'principal', align: 'right', render: (v: string) => formatMoney(v) },
            { title: t('calculator.interestCol'), dataIndex: 'interest', align: 'right', render: (v: string) => formatMoney(v) },
            { title: t('calculator.totalCol'), dataIndex: 'total', align: 'right', render: (v: string) => formatMoney(v) },
            { title: t('calculator.remainingPrincipal'), dataIndex: 'remainingPrincipal', align: 'right', render: (v: string) => formatMoney(v) },
          ]}
          summary={() => (
            <Table.Summary.Row className="schedule-sum">
              <Table.Summary.Cell index={0} colSpan={2} align="center">
                {t('calculator.sum')}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {formatMoney(s.totalPrincipal)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {formatMoney(s.totalInterest)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                {formatMoney(s.totalPayment)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} />
            </Table.Summary.Row>
          )}
        />
      </div>
      <Typography.Paragraph type="secondary" className="flow-help">
        {t('contracts.scheduleHelp')}
      </Typography.Paragraph>
    </Card>
  );
}

interface SignValues {
  signedOn: Dayjs;
  place: string;
  witnesses: string[];
}

/** 签约办理: the signed scan (a photo on a phone, or a PDF), then the date, place and witnesses. */
function SigningCard({ contract: c, canWrite }: { contract: Contract; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const camera = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [scan, setScan] = useState<{ url: string; type: string } | null>(null);
  const [form] = Form.useForm<SignValues>();
  const reload = () => void queryClient.invalidateQueries({ queryKey: contractKey(c.id) });

  const upload = useMutation({
    mutationFn: (file: File) => uploadContractScan(c.id, file),
    onSuccess: (saved) => {
      message.success(t('contracts.scanUploaded'));
      queryClient.setQueryData(contractKey(c.id), saved);
      void queryClient.invalidateQueries({ queryKey: ['contracts', 'of', c.applicationId] });
    },
    onError: (e) => {
      const fe = e instanceof ApiError ? e.fieldErrors[0] : undefined;
      if (fe) message.error(translateFieldError(fe, t, i18n));
      else onError(e, { onReload: reload });
    },
  });
  const sign = useMutation({
    mutationFn: (v: SignValues) =>
      unwrap(
        api.POST('/api/v1/contracts/{id}/sign', {
          params: { path: { id: c.id } },
          body: { signedOn: v.signedOn.format('YYYY-MM-DD'), place: v.place.trim(), witnesses: cleanWitnesses(v.witnesses), version: c.version },
        }),
      ),
    onSuccess: (saved) => {
      message.success(t('contracts.signed'));
      queryClient.setQueryData(contractKey(c.id), saved);
      void queryClient.invalidateQueries({ queryKey: ['contracts', 'of', c.applicationId] });
    },
    onError: (e) => onError(e, { form, onReload: reload, aliases: witnessAliases() }),
  });

  const onFile = (input: HTMLInputElement | null) => {
    const file = input?.files?.[0];
    if (input) input.value = '';
    if (!file) return;
    if (file.size > MAX_SCAN_BYTES) {
      message.error(t('documents.tooLarge'));
      return;
    }
    upload.mutate(file);
  };
  const viewScan = async () => {
    try {
      const blob = await fetchContractScan(c.id);
      setScan({ url: URL.createObjectURL(blob), type: blob.type });
    } catch (e) {
      onError(e);
    }
  };
  const closeScan = () => {
    if (scan) URL.revokeObjectURL(scan.url);
    setScan(null);
  };

  return (
    <Card title={t('contracts.signing')} className="section-card" size="small" data-testid="contract-signing">
      {c.status === 'signed' ? (
        <Descriptions bordered size="small" column={1} className="detail-desc" data-testid="contract-signed">
          <Descriptions.Item label={t('contracts.signedOn')}>{c.signedOn}</Descriptions.Item>
          <Descriptions.Item label={t('contracts.place')}>{c.signedPlace}</Descriptions.Item>
          <Descriptions.Item label={t('contracts.witnesses')}>{c.witnesses.join('、')}</Descriptions.Item>
        </Descriptions>
      ) : c.status === 'draft' ? (
        <Typography.Paragraph type="secondary">{t('contracts.signingSteps')}</Typography.Paragraph>
      ) : null}
      <div className="tab-actions scan-row">
        <Space wrap>
          <strong>{t('contracts.scan')}</strong>
          {c.hasScan ? <Tag color="success" data-testid="scan-attached">{t('contracts.scanAttached')}</Tag> : <Tag>{t('contracts.noScan')}</Tag>}
        </Space>
        <Space wrap>
          {c.hasScan && (
            <Button size="small" icon={<FileProtectOutlined />} onClick={() => void viewScan()} data-testid="scan-view">
              {t('contracts.viewScan')}
            </Button>
          )}
          {canWrite && (
            <>
              <Button size="small" icon={<CameraOutlined />} loading={upload.isPending} onClick={() => camera.current?.click()}>
                {t('documents.takePhoto')}
              </Button>
              <Button size="small" icon={<UploadOutlined />} loading={upload.isPending} onClick={() => picker.current?.click()}>
                {t('documents.chooseFile')}
              </Button>
              {/* On a phone, `capture` opens the camera directly. */}
              <input ref={camera} type="file" accept="image/*,application/pdf" capture="environment" hidden onChange={(e) => onFile(e.currentTarget)} data-testid="scan-camera" />
              <input ref={picker} type="file" accept="image/*,application/pdf" hidden onChange={(e) => onFile(e.currentTarget)} data-testid="scan-file" />
            </>
          )}
        </Space>
      </div>
      {canWrite && (
        <Form<SignValues>
          name="sign"
          form={form}
          layout="vertical"
          className="sign-form"
          initialValues={{ signedOn: dayjs(), witnesses: [''] }}
          onFinish={(v) => sign.mutate(v)}
        >
          <Form.Item name="signedOn" label={t('contracts.signedOn')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="place" label={t('contracts.place')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={200} placeholder={t('contracts.placeHint')} />
          </Form.Item>
          <Form.List
            name="witnesses"
            rules={[
              {
                validator: async (_, names: string[]) => {
                  const problem = witnessProblem(names);
                  if (problem) throw new Error(t(`contracts.witnessProblems.${problem}`, { max: MAX_WITNESSES }));
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <Form.Item label={t('contracts.witnesses')} required className="witness-list">
                {fields.map((field, i) => (
                  <div key={field.key} className="list-row">
                    <Form.Item name={field.name} noStyle>
                      <Input maxLength={60} placeholder={t('contracts.witnessHint', { n: i + 1 })} id={`sign_witnesses_${i}`} />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Button type="text" danger icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(field.name)} />
                    )}
                  </div>
                ))}
                {fields.length < MAX_WITNESSES && (
                  <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add('')} data-testid="witness-add">
                    {t('contracts.addWitness')}
                  </Button>
                )}
                <Form.ErrorList errors={errors} />
              </Form.Item>
            )}
          </Form.List>
          {!signReady(c) && <Alert type="info" showIcon className="sign-hint" title={t('contracts.scanFirst')} />}
          <Button type="primary" htmlType="submit" block loading={sign.isPending} disabled={!signReady(c)} data-testid="contract-sign">
            {t('contracts.sign')}
          </Button>
        </Form>
      )}
      <Modal open={!!scan} title={t('contracts.scan')} footer={null} onCancel={closeScan} destroyOnHidden width={720}>
        {scan &&
          (scan.type.startsWith('image/') ? (
            <img src={scan.url} alt={t('contracts.scan')} className="file-preview" />
          ) : (
            <iframe src={scan.url} title={t('contracts.scan')} className="pdf-frame" />
          ))}
      </Modal>
    </Card>
  );
}

/** `witnesses[2]` from the server lands on the list of witnesses. */
function witnessAliases(): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < MAX_WITNESSES + 1; i++) out[`witnesses[${i}]`] = 'witnesses';
  return out;
}

function VoidDialog({ contract: c, onClose }: { contract: Contract; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ reason: string }>();
  const voidIt = useMutation({
    mutationFn: (v: { reason: string }) =>
      unwrap(api.POST('/api/v1/contracts/{id}/void', { params: { path: { id: c.id } }, body: { reason: v.reason.trim(), version: c.version } })),
    onSuccess: (saved) => {
      message.success(t('contracts.voided'));
      queryClient.setQueryData(contractKey(c.id), saved);
      void queryClient.invalidateQueries({ queryKey: ['contracts', 'of', c.applicationId] });
      onClose();
    },
    onError: (e) =>
      onError(e, {
        form,
        onReload: () => {
          onClose();
          void queryClient.invalidateQueries({ queryKey: contractKey(c.id) });
        },
      }),
  });
  return (
    <Modal
      open
      title={t('contracts.voidTitle', { no: c.contractNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('contracts.void')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={voidIt.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('contracts.voidHelp')}</Typography.Paragraph>
      <Form name="voidContract" form={form} layout="vertical" onFinish={(v) => voidIt.mutate(v)}>
        <Form.Item name="reason" label={t('contracts.voidReason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
