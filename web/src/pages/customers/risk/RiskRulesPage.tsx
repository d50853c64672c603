import { useEffect, useState } from 'react';
import { App, Button, Card, Col, Drawer, Form, Input, InputNumber, Modal, Row, Select, Space, Spin, Switch, Table, Tag, Typography } from 'antd';
import { ExperimentOutlined, HistoryOutlined, MinusCircleOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Rule, RuleSet, RuleSetVersion, TrialResult } from '../../../api/customers';
import { ApiError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { blankToNull, formatDateTime } from '../../../lib/format';
import { ANY_SCORE, ruleBounds } from '../../../lib/risk';
import { OutcomeView } from './OutcomeView';
import { ScreeningFields, toScreeningInput, type ScreeningForm } from './ScreeningFields';

type RuleSetForm = RuleSet & { note?: string };

/** The form's values → a rule set the server takes (blank bounds become null). */
function normalise(v: RuleSetForm): RuleSet {
  return {
    rules: v.rules.map((r) => ({ ...r, min: blankToNull(r.min), max: blankToNull(r.max), windowDays: r.windowDays ?? null })),
    scorecard: {
      ...v.scorecard,
      characteristics: v.scorecard.characteristics.map((c) => ({
        ...c,
        bands: c.bands.map((b) => ({ ...b, from: blankToNull(b.from), to: blankToNull(b.to) })),
      })),
    },
  };
}

function MinScoreInput({ value, onChange, id }: { value?: number; onChange?: (v: number | null) => void; id?: string }) {
  const { t } = useTranslation();
  if (value === ANY_SCORE) return <Tag>{t('common.all')}</Tag>;
  return <InputNumber id={id} value={value} onChange={onChange} precision={0} style={{ width: '100%' }} />;
}

function RulesCard({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<RuleSetForm>();
  const rules = Form.useWatch('rules', { form, preserve: true }) as Rule[] | undefined;
  return (
    <Card title={t('risk.rules')} size="small" className="section-card">
      <Form.List name="rules">
        {(fields) =>
          fields.map((field) => {
            const code = rules?.[field.name]?.code ?? '';
            const bounds = ruleBounds(code);
            return (
              <Row key={field.key} gutter={12} className="rule-row" align="middle" data-testid={`rule-${code}`}>
                <Col xs={24} md={8}>
                  <div className="rule-name">{t(`risk.ruleCodes.${code}`)}</div>
                  <div className="muted rule-help">{t(`risk.ruleHelp.${code}`)}</div>
                </Col>
                <Col xs={8} md={3}>
                  <Form.Item name={[field.name, 'enabled']} valuePropName="checked" label={t('risk.enabled')}>
                    <Switch disabled={disabled} />
                  </Form.Item>
                </Col>
                <Col xs={16} md={4}>
                  <Form.Item name={[field.name, 'action']} label={t('risk.action')}>
                    <Select disabled={disabled} options={(['review', 'reject'] as const).map((a) => ({ value: a, label: t(`risk.actions.${a}`) }))} />
                  </Form.Item>
                </Col>
                {bounds.min && (
                  <Col xs={8} md={3}>
                    <Form.Item name={[field.name, 'min']} label={t('risk.min')}>
                      <Input inputMode="decimal" disabled={disabled} />
                    </Form.Item>
                  </Col>
                )}
                {bounds.max && (
                  <Col xs={8} md={3}>
                    <Form.Item name={[field.name, 'max']} label={t('risk.max')}>
                      <Input inputMode="decimal" disabled={disabled} />
                    </Form.Item>
                  </Col>
                )}
                {bounds.windowDays && (
                  <Col xs={8} md={3}>
                    <Form.Item name={[field.name, 'windowDays']} label={t('risk.windowDays')}>
                      <InputNumber min={1} max={3650} precision={0} disabled={disabled} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                )}
              </Row>
            );
          })
        }
      </Form.List>
    </Card>
  );
}

function ScorecardCard({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<RuleSetForm>();
  const characteristics = Form.useWatch(['scorecard', 'characteristics'], { form, preserve: true }) as RuleSet['scorecard']['characteristics'] | undefined;
  return (
    <Card title={t('risk.scorecard')} size="small" className="section-card" extra={<span className="muted">{t('risk.scoreHelp')}</span>}>
      <Row gutter={12}>
        {(['basePoints', 'passScore', 'reviewScore'] as const).map((k) => (
          <Col key={k} xs={8} md={4}>
            <Form.Item name={['scorecard', k]} label={t(`risk.${k}`)}>
              <InputNumber precision={0} disabled={disabled} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Form.List name={['scorecard', 'characteristics']}>
        {(chars) => (
          <Row gutter={[12, 12]}>
            {chars.map((c) => (
              <Col key={c.key} xs={24} lg={12}>
                <div className="band-box" data-testid={`char-${characteristics?.[c.name]?.attribute}`}>
                  <div className="rule-name">{t(`risk.attributes.${characteristics?.[c.name]?.attribute ?? ''}`)}</div>
                  <Form.List name={[c.name, 'bands']}>
                    {(bands, { add, remove }) => (
                      <>
                        {bands.map((b) => (
                          <Row key={b.key} gutter={8} align="middle" className="band-row">
                            <Col span={7}>
                              <Form.Item name={[b.name, 'from']} label={t('risk.from')}>
                                <Input inputMode="decimal" placeholder="-∞" disabled={disabled} />
                              </Form.Item>
                            </Col>
                            <Col span={7}>
                              <Form.Item name={[b.name, 'to']} label={t('risk.to')}>
                                <Input inputMode="decimal" placeholder="+∞" disabled={disabled} />
                              </Form.Item>
                            </Col>
                            <Col span={7}>
                              <Form.Item name={[b.name, 'points']} label={t('risk.points')}>
                                <InputNumber precision={0} disabled={disabled} style={{ width: '100%' }} />
                              </Form.Item>
                            </Col>
                            <Col span={3} className="list-remove">
                              {!disabled && <Button type="text" danger icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(b.name)} />}
                            </Col>
                          </Row>
                        ))}
                        {!disabled && (
                          <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({ from: null, to: null, points: 0 })}>
                            {t('risk.addBand')}
                          </Button>
                        )}
                      </>
                    )}
                  </Form.List>
                </div>
              </Col>
            ))}
          </Row>
        )}
      </Form.List>
      <Typography.Title level={5} className="outcome-title">
        {t('risk.grades')}
      </Typography.Title>
      <Form.List name={['scorecard', 'grades']}>
        {(grades, { add, remove }) => (
          <>
            {grades.map((g) => (
              <Row key={g.key} gutter={8} align="middle" className="band-row">
                <Col xs={10} md={4}>
                  <Form.Item name={[g.name, 'grade']} label={t('risk.grade')} rules={[{ required: true, message: t('validation.required') }]}>
                    <Input maxLength={10} disabled={disabled} />
                  </Form.Item>
                </Col>
                <Col xs={10} md={4}>
                  <Form.Item name={[g.name, 'minScore']} label={t('risk.minScore')}>
                    <MinScoreInput />
                  </Form.Item>
                </Col>
                <Col xs={4} md={2} className="list-remove">
                  {!disabled && <Button type="text" danger icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(g.name)} />}
                </Col>
              </Row>
            ))}
            {!disabled && (
              <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({ grade: '', minScore: 0 })}>
                {t('risk.addGrade')}
              </Button>
            )}
          </>
        )}
      </Form.List>
    </Card>
  );
}

function HistoryDrawer({ onClose, onLoad }: { onClose: () => void; onLoad: (v: RuleSetVersion) => void }) {
  const { t } = useTranslation();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const list = useQuery({
    queryKey: ['risk', 'versions', paging],
    queryFn: () => unwrap(api.GET('/api/v1/risk/rule-set/versions', { params: { query: paging } })),
    placeholderData: keepPreviousData,
  });
  return (
    <Drawer open title={t('risk.history')} onClose={onClose} size={560}>
      <div className="table-scroll">
        <Table<RuleSetVersion>
          size="small"
          rowKey="version"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          pagination={{ current: paging.page, pageSize: paging.pageSize, total: list.data?.total, size: 'small', onChange: (page, pageSize) => setPaging({ page, pageSize }) }}
          columns={[
            { title: t('risk.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
            { title: t('risk.note'), dataIndex: 'note', render: (v: string | null) => <span className="wrap-cell">{v ?? '-'}</span> },
            { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string | null) => formatDateTime(v) },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_: unknown, v) => (
                <Button type="link" size="small" onClick={() => onLoad(v)}>
                  {t('risk.load')}
                </Button>
              ),
            },
          ]}
        />
      </div>
    </Drawer>
  );
}

function TrialDialog({ draft, onRuleErrors, onClose }: { draft: () => RuleSet; onRuleErrors: (e: ApiError) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ScreeningForm>();
  const [result, setResult] = useState<TrialResult | null>(null);
  const trial = useMutation({
    mutationFn: (v: ScreeningForm) =>
      unwrap(api.POST('/api/v1/risk/rule-set/trial', { body: { ruleSet: draft(), screening: toScreeningInput(v) } })),
    onSuccess: setResult,
    onError: (e) => {
      if (e instanceof ApiError && e.fieldErrors.some((f) => f.field.startsWith('ruleSet.'))) {
        onRuleErrors(e);
        onClose();
        return;
      }
      onError(e, { form, stripPrefix: 'screening.' });
    },
  });
  return (
    <Modal
      open
      width={860}
      title={t('risk.trial')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('risk.run')}
      cancelText={t('common.close')}
      confirmLoading={trial.isPending}
      destroyOnHidden
    >
      <p className="muted">{t('risk.trialHelp')}</p>
      <Form<ScreeningForm> name="trial" form={form} layout="vertical" initialValues={{ termMonths: 36 }} onFinish={(v) => trial.mutate(v)} onValuesChange={() => setResult(null)}>
        <ScreeningFields withCustomer />
      </Form>
      {result && <OutcomeView outcome={result.outcome} providerCalls={result.providerCalls} />}
    </Modal>
  );
}

export default function RiskRulesPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const canWrite = has(P.riskRuleWrite);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<RuleSetForm>();
  const [history, setHistory] = useState(false);
  const [trying, setTrying] = useState(false);
  const current = useQuery({ queryKey: ['risk', 'current'], queryFn: () => unwrap(api.GET('/api/v1/risk/rule-set')) });

  useEffect(() => {
    if (current.data) form.setFieldsValue({ ...current.data.ruleSet, note: '' });
  }, [current.data, form]);

  const save = useMutation({
    mutationFn: (v: RuleSetForm) =>
      unwrap(api.PUT('/api/v1/risk/rule-set', { body: { ruleSet: normalise(v), note: blankToNull(v.note), baseVersion: current.data!.version } })),
    onSuccess: (saved) => {
      message.success(t('risk.savedOk', { version: saved.version }));
      void queryClient.invalidateQueries({ queryKey: ['risk'] });
    },
    onError: (e) => onError(e, { form, stripPrefix: 'ruleSet.', onReload: () => void current.refetch() }),
  });

  if (current.isPending) {
    return (
      <PageContainer title={t('risk.title')}>
        <Spin />
      </PageContainer>
    );
  }
  const v = current.data;
  const subtitle = v
    ? `${t('risk.current', { version: v.version })} · ${v.createdAt ? t('risk.savedBy', { time: formatDateTime(v.createdAt) }) : t('risk.builtin')}`
    : undefined;

  return (
    <PageContainer
      title={t('risk.title')}
      subtitle={subtitle}
      extra={
        <Space wrap>
          <Button icon={<HistoryOutlined />} onClick={() => setHistory(true)} data-testid="risk-history">
            {t('risk.history')}
          </Button>
          {canWrite && (
            <Button icon={<ExperimentOutlined />} onClick={() => setTrying(true)} data-testid="risk-trial">
              {t('risk.trial')}
            </Button>
          )}
        </Space>
      }
    >
      <Form<RuleSetForm>
        name="ruleSet"
        form={form}
        layout="vertical"
        // Every value, also the rules' codes and attributes that have no input of their own.
        onFinish={() => save.mutate(form.getFieldsValue(true) as RuleSetForm)}
        disabled={!canWrite}
      >
        <RulesCard disabled={!canWrite} />
        <ScorecardCard disabled={!canWrite} />
        {canWrite && (
          <Card size="small" className="section-card">
            <Row gutter={12} align="bottom">
              <Col xs={24} md={16}>
                <Form.Item name="note" label={t('risk.note')}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item>
                  <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} block data-testid="risk-save">
                    {t('risk.save')}
                  </Button>
                </Form.Item>
              </Col>
            </Row>
          </Card>
        )}
      </Form>
      {history && (
        <HistoryDrawer
          onClose={() => setHistory(false)}
          onLoad={(old) => {
            form.setFieldsValue({ ...old.ruleSet, note: t('risk.loaded', { version: old.version }) });
            message.info(t('risk.loaded', { version: old.version }));
            setHistory(false);
          }}
        />
      )}
      {trying && (
        <TrialDialog
          draft={() => normalise(form.getFieldsValue(true) as RuleSetForm)}
          onRuleErrors={(e) => onError(e, { form, stripPrefix: 'ruleSet.' })}
          onClose={() => setTrying(false)}
        />
      )}
    </PageContainer>
  );
}
