import { App, Button, Space, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { BUSINESS_TYPES, type BusinessType, type FlowDefinition } from '../../../api/workflow';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { PageContainer } from '../../../components/PageContainer';
import { StatusAction } from '../../../components/StatusAction';
import { StatusTag } from '../../../components/StatusTag';
import { formatDateTime } from '../../../lib/format';

interface Row {
  businessType: BusinessType;
  flow?: FlowDefinition;
}

/** 审批流程配置: one flow per business type, configured in the diagram editor. */
export default function FlowsPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const canWrite = has(P.flowWrite);
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const flows = useQuery({ queryKey: ['flows', 'list'], queryFn: () => unwrap(api.GET('/api/v1/flows')) });
  const rows: Row[] = BUSINESS_TYPES.map((b) => ({ businessType: b, flow: flows.data?.find((f) => f.businessType === b) }));
  const toggle = useMutation({
    mutationFn: ({ flow, action }: { flow: FlowDefinition; action: 'disable' | 'enable' }) =>
      unwrap(
        api.POST(action === 'disable' ? '/api/v1/flows/{businessType}/disable' : '/api/v1/flows/{businessType}/enable', {
          params: { path: { businessType: flow.businessType } },
          body: { version: flow.version },
        }),
      ),
    onSuccess: (_, { action }) => {
      message.success(t(action === 'disable' ? 'common.disabledOk' : 'common.enabledOk'));
      void queryClient.invalidateQueries({ queryKey: ['flows'] });
    },
    onError: (e) => onError(e, { onReload: () => void flows.refetch() }),
  });

  return (
    <PageContainer title={t('flows.title')} subtitle={t('flows.subtitle')}>
      <DataTable<Row>
        rowKey="businessType"
        loading={flows.isFetching}
        dataSource={rows}
        pagination={false}
        columns={[
          {
            title: t('flows.businessType'),
            dataIndex: 'businessType',
            render: (b: BusinessType) => (
              <Button type="link" size="small" onClick={() => navigate(`/finance/approval-flows/${b}`)} data-testid={`flow-open-${b}`}>
                {t(`flows.types.${b}`)}
              </Button>
            ),
          },
          { title: t('flows.flowName'), key: 'name', render: (_: unknown, r) => r.flow?.name ?? <Tag>{t('flows.notConfigured')}</Tag> },
          { title: t('flows.steps'), key: 'steps', render: (_: unknown, r) => (r.flow ? r.flow.graph.steps.length : '-') },
          { title: t('flows.graphVersion'), key: 'version', render: (_: unknown, r) => (r.flow ? `V${r.flow.graphVersion}` : '-') },
          { title: t('common.status'), key: 'status', render: (_: unknown, r) => (r.flow ? <StatusTag status={r.flow.status} /> : '-') },
          { title: t('common.updatedAt'), key: 'updatedAt', render: (_: unknown, r) => (r.flow ? formatDateTime(r.flow.updatedAt) : '-') },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => navigate(`/finance/approval-flows/${r.businessType}`)}>
                  {canWrite ? (r.flow ? t('flows.edit') : t('flows.configure')) : t('common.view')}
                </Button>
                {canWrite && r.flow && (
                  <StatusAction name={r.flow.name} status={r.flow.status} onToggle={(action) => toggle.mutate({ flow: r.flow!, action })} />
                )}
              </Space>
            ),
          },
        ]}
      />
    </PageContainer>
  );
}
