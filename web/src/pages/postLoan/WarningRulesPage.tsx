import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, InputNumber, Row, Select, Space, Spin, Switch, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, translateFieldError } from '../../api/errors';
import { saveWarningRules, useWarningRules, warningKeys } from '../../api/warnings';
import { useErrorHandler } from '../../api/useErrorHandler';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';
import { PageContainer } from '../../components/PageContainer';
import { formatDateTime } from '../../lib/format';
import {
  WARNING_LEVELS,
  kindHasDays,
  ruleCodeOfField,
  ruleLabel,
  ruleProblems,
  ruleRows,
  rulesBody,
  type RuleRow,
} from '../../lib/warnings';

/** 预警规则: each rule's threshold in days, level and switch, saved as one set. */
export default function WarningRulesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { has } = useAccess();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const rules = useWarningRules();
  const [rows, setRows] = useState<RuleRow[]>([]);
  const [serverProblems, setServerProblems] = useState<Record<string, string>>({});
  const [tried, setTried] = useState(false);
  const canWrite = has(P.warningRuleWrite);

  useEffect(() => {
    setRows(ruleRows(rules.data));
    setServerProblems({});
    setTried(false);
  }, [rules.data]);

  const problems = useMemo(() => ruleProblems(rows), [rows]);
  const dirty = useMemo(() => JSON.stringify(rows) !== JSON.stringify(ruleRows(rules.data)), [rows, rules.data]);

  const save = useMutation({
    mutationFn: () => saveWarningRules(rulesBody(rows)),
    onSuccess: (saved) => {
      message.success(t('warnings.rules.saved'));
      queryClient.setQueryData(warningKeys.rules, saved);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.fieldErrors.length > 0) {
        const byCode: Record<string, string> = {};
        for (const fe of e.fieldErrors) {
          const code = ruleCodeOfField(fe.field, rows);
          if (code) byCode[code] = translateFieldError(fe, t, i18n);
        }
        setServerProblems(byCode);
      }
      onError(e, { onReload: () => void queryClient.invalidateQueries({ queryKey: warningKeys.rules }) });
    },
  });

  const change = (code: string, patch: Partial<RuleRow>) => {
    setRows((rs) => rs.map((r) => (r.code === code ? { ...r, ...patch } : r)));
    setServerProblems(({ [code]: _, ...rest }) => rest);
  };

  return (
    <PageContainer
      title={t('warnings.rules.title')}
      subtitle={t('warnings.rules.subtitle')}
      extra={
        canWrite && (
          <Space>
            <Button disabled={!dirty || save.isPending} onClick={() => setRows(ruleRows(rules.data))}>
              {t('common.reset')}
            </Button>
            <Button
              type="primary"
              disabled={!dirty}
              loading={save.isPending}
              data-testid="rules-save"
              onClick={() => {
                setTried(true);
                if (Object.keys(problems).length === 0) save.mutate();
              }}
            >
              {t('warnings.rules.save')}
            </Button>
          </Space>
        )
      }
    >
      {!canWrite && <Alert className="check-note" type="info" showIcon title={t('warnings.rules.readOnly')} />}
      {rules.isLoading ? (
        <Spin />
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="warning-rules">
          {rows.map((r) => {
            const problem = serverProblems[r.code] ?? (tried || r.days !== null ? problems[r.code] && t(`warnings.rules.problems.${problems[r.code]}`) : undefined);
            return (
              <Card key={r.code} size="small" data-testid={`rule-${r.code}`}>
                <Row gutter={[12, 8]} align="middle">
                  <Col xs={24} md={8}>
                    <Typography.Text strong>{t(`warnings.kinds.${r.kind}`)}</Typography.Text>
                    <div className="muted">{ruleLabel(r, r.code, t)}</div>
                  </Col>
                  <Col xs={12} md={4}>
                    <Switch
                      checked={r.enabled}
                      disabled={!canWrite}
                      checkedChildren={t('warnings.rules.on')}
                      unCheckedChildren={t('warnings.rules.off')}
                      onChange={(enabled) => change(r.code, { enabled })}
                      data-testid={`rule-${r.code}-enabled`}
                    />
                  </Col>
                  <Col xs={12} md={5}>
                    <Select
                      value={r.level}
                      disabled={!canWrite}
                      style={{ width: '100%' }}
                      aria-label={t('warnings.columns.level')}
                      options={WARNING_LEVELS.map((l) => ({ value: l, label: t(`warnings.levels.${l}`) }))}
                      onChange={(level) => change(r.code, { level })}
                    />
                  </Col>
                  <Col xs={24} md={7}>
                    {kindHasDays(r.kind) ? (
                      <>
                        <InputNumber
                          value={r.days}
                          min={1}
                          max={3650}
                          precision={0}
                          disabled={!canWrite}
                          style={{ width: '100%' }}
                          status={problem ? 'error' : undefined}
                          prefix={t(`warnings.rules.daysPrefix.${r.kind}`)}
                          suffix={t('warnings.rules.daysSuffix')}
                          aria-label={t('warnings.rules.days')}
                          onChange={(v) => change(r.code, { days: typeof v === 'number' ? v : null })}
                          data-testid={`rule-${r.code}-days`}
                        />
                        {problem && (
                          <Typography.Text type="danger" data-testid={`rule-${r.code}-problem`}>
                            {problem}
                          </Typography.Text>
                        )}
                      </>
                    ) : (
                      <Typography.Text type="secondary">{t(`warnings.rules.noDays.${r.kind}`)}</Typography.Text>
                    )}
                  </Col>
                </Row>
              </Card>
            );
          })}
          {rules.data && rules.data.length > 0 && (
            <Typography.Text type="secondary">
              {t('warnings.rules.lastChange', {
                at: formatDateTime([...rules.data].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0].updatedAt),
              })}
            </Typography.Text>
          )}
        </Space>
      )}
    </PageContainer>
  );
}
