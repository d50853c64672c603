import { Descriptions, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Decision, Outcome, ProviderCall, Reason, ScoreLine } from '../../../api/customers';
import { reasonLabel } from '../../../lib/risk';

export const DECISION_COLORS: Record<Decision, string> = { pass: 'success', manual_review: 'warning', reject: 'error' };

export function DecisionTag({ decision }: { decision: Decision | string }) {
  const { t } = useTranslation();
  return <Tag color={DECISION_COLORS[decision as Decision] ?? 'default'}>{t(`risk.decisions.${decision}`, { defaultValue: decision })}</Tag>;
}

/** A screening's decision, every reason, the score lines and the external data calls. */
export function OutcomeView({ outcome, providerCalls }: { outcome: Outcome; providerCalls: ProviderCall[] }) {
  const { t } = useTranslation();
  const label = (code: string) => {
    const l = reasonLabel(code);
    const params: Record<string, string> = { ...l.params };
    for (const [k, key] of Object.entries(l.paramKeys ?? {})) params[k] = t(key);
    return t(l.key, { ...params, defaultValue: code });
  };
  return (
    <div className="outcome" data-testid="risk-outcome">
      <Descriptions size="small" column={{ xs: 1, sm: 3 }} bordered>
        <Descriptions.Item label={t('risk.decision')}>
          <DecisionTag decision={outcome.decision} />
        </Descriptions.Item>
        <Descriptions.Item label={t('risk.score')}>
          <span data-testid="risk-score">{outcome.score}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('risk.grade')}>{outcome.grade || '-'}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} className="outcome-title">
        {t('risk.reasons')}
      </Typography.Title>
      <div className="table-scroll">
        <Table<Reason>
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={outcome.reasons}
          scroll={{ x: 'max-content' }}
          columns={[
            // The server's own message (English) stays as a tooltip; the label is translated.
            { title: t('risk.rule'), dataIndex: 'code', render: (code: string, r) => <span title={r.message}>{label(code)}</span> },
            { title: t('risk.decision'), dataIndex: 'effect', render: (d: Decision) => <DecisionTag decision={d} /> },
            { title: t('risk.value'), dataIndex: 'value', render: (v: string | null) => v ?? '-' },
            { title: t('risk.threshold'), dataIndex: 'threshold', render: (v: string | null) => v ?? '-' },
          ]}
        />
      </div>
      <Typography.Title level={5} className="outcome-title">
        {t('risk.scoreLines')}
      </Typography.Title>
      <div className="table-scroll">
        <Table<ScoreLine>
          size="small"
          rowKey="attribute"
          pagination={false}
          dataSource={outcome.scoreLines}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('risk.attribute'), dataIndex: 'attribute', render: (a: string) => t(`risk.attributes.${a}`) },
            { title: t('risk.value'), dataIndex: 'value', render: (v: string | null) => v ?? '-' },
            { title: t('risk.points'), dataIndex: 'points', align: 'right' },
          ]}
        />
      </div>
      {providerCalls.length > 0 && (
        <>
          <Typography.Title level={5} className="outcome-title">
            {t('risk.providerCalls')}
          </Typography.Title>
          <div className="table-scroll">
            <Table<ProviderCall>
              size="small"
              rowKey="provider"
              pagination={false}
              dataSource={providerCalls}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('risk.provider'), dataIndex: 'provider', render: (p: string) => t(`risk.providers.${p}`) },
                {
                  title: t('risk.callStatus'),
                  dataIndex: 'status',
                  render: (s: string, c) => (
                    <Tag color={s === 'ok' ? 'success' : s === 'skipped' ? 'default' : 'warning'} title={c.error ?? undefined}>
                      {t(`risk.callStatuses.${s}`)}
                    </Tag>
                  ),
                },
                { title: t('risk.elapsed'), dataIndex: 'elapsedMs', render: (ms: number) => `${ms} ms` },
              ]}
            />
          </div>
        </>
      )}
    </div>
  );
}
