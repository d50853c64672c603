import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Drawer, Empty, Form, Input, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { HistoryOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ApiError, translateError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { BUSINESS_TYPES, type BusinessType, type FlowDefinition, type FlowVersion } from '../../../api/workflow';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { FlowEditorCanvas, FlowInstanceDiagram } from '../../../components/flow/FlowDiagram';
import { useAssigneeLabel } from '../../../components/flow/useAssigneeLabel';
import { PageContainer } from '../../../components/PageContainer';
import { StatusTag } from '../../../components/StatusTag';
import { useIsMobile } from '../../../components/useIsMobile';
import { addStep, connect, emptyModel, fromGraph, placeErrors, toGraph, updateStep, type FlowModel, type GraphIssue } from '../../../lib/flowGraph';
import { formatDateTime } from '../../../lib/format';
import { StepPanel, useIssueText } from './StepPanel';

export interface Selection {
  stepId: string | null;
  exitId: string | null;
}

/** 审批流程图: the diagram editor of one business type's flow. */
export default function FlowEditorPage() {
  const { t, i18n } = useTranslation();
  const { businessType: param } = useParams();
  const businessType = BUSINESS_TYPES.find((b) => b === param);
  const { has } = useAccess();
  const canWrite = has(P.flowWrite);
  const isMobile = useIsMobile();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const issueText = useIssueText();
  const assigneeLabel = useAssigneeLabel();

  const flow = useQuery({
    queryKey: ['flows', 'one', businessType],
    queryFn: async (): Promise<FlowDefinition | null> => {
      try {
        return await unwrap(api.GET('/api/v1/flows/{businessType}', { params: { path: { businessType: businessType! } } }));
      } catch (e) {
        // Not configured yet: the editor starts empty.
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    enabled: !!businessType,
  });

  const [model, setModel] = useState<FlowModel>(emptyModel);
  const [name, setName] = useState('');
  const [loadedFrom, setLoadedFrom] = useState<FlowDefinition | null | undefined>(undefined);
  const [selection, setSelection] = useState<Selection>({ stepId: null, exitId: null });
  const [issues, setIssues] = useState<GraphIssue[]>([]);
  const [dirty, setDirty] = useState(false);
  const [versionsOpen, setVersionsOpen] = useState(false);

  // The saved flow is the starting point; a refetch after saving does not throw away the edits.
  useEffect(() => {
    if (flow.data === undefined || (loadedFrom !== undefined && dirty)) return;
    if (loadedFrom !== undefined && flow.data?.version === loadedFrom?.version) return;
    setLoadedFrom(flow.data);
    setModel(flow.data ? fromGraph(flow.data.graph) : emptyModel());
    setName(flow.data?.name ?? t('flows.defaultName', { type: t(`flows.types.${businessType}`) }));
    setSelection({ stepId: null, exitId: null });
    setIssues([]);
    setDirty(false);
  }, [flow.data, loadedFrom, dirty, businessType, t]);

  /** Every edit goes through here: the step edited loses its old server errors. */
  const edit = useCallback((next: FlowModel, touched?: string) => {
    setModel(next);
    setDirty(true);
    if (touched) setIssues((all) => all.filter((i) => i.stepId !== touched));
  }, []);

  const save = useMutation({
    mutationFn: (sent: FlowModel) =>
      unwrap(
        api.PUT('/api/v1/flows/{businessType}', {
          params: { path: { businessType: businessType! } },
          body: { name: name.trim(), graph: toGraph(sent), version: loadedFrom?.version ?? null },
        }),
      ),
    onSuccess: (saved) => {
      message.success(t('flows.saved', { n: saved.graphVersion }));
      setIssues([]);
      setDirty(false);
      setLoadedFrom(saved);
      queryClient.setQueryData(['flows', 'one', businessType], saved);
      void queryClient.invalidateQueries({ queryKey: ['flows', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['flows', 'versions', businessType] });
    },
    onError: (e, sent) => {
      if (e instanceof ApiError && e.fieldErrors.length > 0) {
        const placed = placeErrors(e.fieldErrors, sent);
        setIssues(placed);
        const first = placed.find((i) => i.stepId);
        if (first?.stepId) setSelection({ stepId: first.stepId, exitId: first.exitId ?? null });
        message.error(t('flows.saveRefused', { count: placed.length }));
        return;
      }
      onError(e, {
        onReload: () => {
          setDirty(false);
          setLoadedFrom(undefined);
          void flow.refetch();
        },
      });
    },
  });

  const issueCount = useMemo(() => {
    const m = new Map<string, number>();
    for (const i of issues) if (i.stepId) m.set(i.stepId, (m.get(i.stepId) ?? 0) + 1);
    return m;
  }, [issues]);
  const flowIssues = issues.filter((i) => !i.stepId);
  const nameIssue = flowIssues.find((i) => i.field === 'name');
  const selectedStep = model.steps.find((s) => s.id === selection.stepId) ?? null;

  if (!businessType) return <PageContainer title={t('flows.title')}><Empty description={t('errors.not_found')} /></PageContainer>;
  const typeName = t(`flows.types.${businessType}`);
  if (flow.isPending || loadedFrom === undefined)
    return (
      <PageContainer title={t('flows.editorTitle', { type: typeName })}>
        <Spin />
      </PageContainer>
    );
  if (flow.isError)
    return (
      <PageContainer title={t('flows.editorTitle', { type: typeName })}>
        <Empty description={translateError(flow.error, t, i18n)} />
      </PageContainer>
    );

  const addNewStep = () => {
    const { model: next, id } = addStep(model, t('flows.newStepName', { n: model.steps.length + 1 }));
    edit(next);
    setSelection({ stepId: id, exitId: null });
  };

  return (
    <PageContainer
      title={t('flows.editorTitle', { type: typeName })}
      subtitle={loadedFrom ? t('flows.currentVersion', { n: loadedFrom.graphVersion, at: formatDateTime(loadedFrom.updatedAt) }) : t('flows.notConfiguredHint')}
      extra={
        <Space wrap>
          {loadedFrom && <StatusTag status={loadedFrom.status} />}
          {dirty && <Tag color="orange">{t('flows.unsaved')}</Tag>}
          {loadedFrom && (
            <Button icon={<HistoryOutlined />} onClick={() => setVersionsOpen(true)} data-testid="flow-versions">
              {t('flows.versions')}
            </Button>
          )}
          {canWrite && (
            <Button type="primary" icon={<SaveOutlined />} loading={save.isPending} onClick={() => save.mutate(model)} data-testid="flow-save">
              {t('common.save')}
            </Button>
          )}
        </Space>
      }
    >
      <Card size="small" className="section-card">
        <Form layout="vertical" component="div" className="flow-head-form">
          <Form.Item
            label={t('flows.flowName')}
            validateStatus={nameIssue ? 'error' : undefined}
            help={nameIssue ? issueText(nameIssue) : undefined}
            style={{ marginBottom: 0 }}
          >
            <Input
              id="flow-name"
              value={name}
              maxLength={60}
              disabled={!canWrite}
              onChange={(e) => {
                setName(e.target.value);
                setDirty(true);
                setIssues((all) => all.filter((i) => i.field !== 'name' || i.stepId));
              }}
            />
          </Form.Item>
        </Form>
      </Card>
      {flowIssues.filter((i) => i.field !== 'name').length > 0 && (
        <Alert
          type="error"
          showIcon
          className="section-card"
          data-testid="flow-issues"
          title={flowIssues
            .filter((i) => i.field !== 'name')
            .map(issueText)
            .join('；')}
        />
      )}
      <Row gutter={16}>
        <Col xs={24} lg={15}>
          <Card
            size="small"
            className="section-card"
            title={t('flows.diagram')}
            extra={
              canWrite && (
                <Button size="small" icon={<PlusOutlined />} onClick={addNewStep} data-testid="flow-add-step">
                  {t('flows.addStep')}
                </Button>
              )
            }
          >
            <div className="flow-canvas" style={{ height: isMobile ? 360 : 520 }} data-testid="flow-canvas">
              <FlowEditorCanvas
                model={model}
                readOnly={!canWrite}
                assigneeLabel={assigneeLabel}
                issues={issueCount}
                selectedStep={selection.stepId}
                selectedExit={selection.exitId}
                onSelect={(stepId, exitId) => setSelection({ stepId, exitId: exitId ?? null })}
                onMove={(stepId, position) => edit(updateStep(model, stepId, { position }))}
                onConnect={(source, target) => {
                  const made = connect(model, source, target);
                  if (!made) return;
                  edit(made.model, source);
                  setSelection({ stepId: source, exitId: made.exitId });
                }}
              />
            </div>
            <Typography.Paragraph type="secondary" className="flow-help">
              {canWrite ? t('flows.help') : t('flows.readOnlyHelp')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          {selectedStep ? (
            <StepPanel
              model={model}
              step={selectedStep}
              selectedExit={selection.exitId}
              issues={issues.filter((i) => i.stepId === selectedStep.id)}
              readOnly={!canWrite}
              onChange={(next) => edit(next, selectedStep.id)}
              onRemoved={(next) => {
                edit(next, selectedStep.id);
                setSelection({ stepId: null, exitId: null });
              }}
              onSelectExit={(exitId) => setSelection({ stepId: selectedStep.id, exitId })}
            />
          ) : (
            <Card size="small" className="section-card" data-testid="step-panel-empty">
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={model.steps.length ? t('flows.pickStep') : t('flows.noSteps')} />
            </Card>
          )}
        </Col>
      </Row>
      {versionsOpen && (
        <VersionsDrawer
          businessType={businessType}
          canRestore={canWrite}
          onClose={() => setVersionsOpen(false)}
          onRestore={(v) => {
            edit(fromGraph(v.graph));
            setIssues([]);
            setSelection({ stepId: null, exitId: null });
            setVersionsOpen(false);
            message.info(t('flows.restored', { n: v.versionNo }));
          }}
        />
      )}
    </PageContainer>
  );
}

function VersionsDrawer({
  businessType,
  canRestore,
  onClose,
  onRestore,
}: {
  businessType: BusinessType;
  canRestore: boolean;
  onClose: () => void;
  onRestore: (v: FlowVersion) => void;
}) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const assigneeLabel = useAssigneeLabel();
  const versions = useQuery({
    queryKey: ['flows', 'versions', businessType],
    queryFn: () => unwrap(api.GET('/api/v1/flows/{businessType}/versions', { params: { path: { businessType } } })),
  });
  const noStates = useMemo(() => new Map(), []);
  return (
    <Drawer open size={isMobile ? '100%' : 720} title={t('flows.versions')} onClose={onClose} destroyOnHidden>
      <div className="table-scroll">
        <Table<FlowVersion>
          size="small"
          rowKey="versionNo"
          loading={versions.isFetching}
          dataSource={versions.data}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="flow-version-list"
          expandable={{
            expandedRowRender: (v) => (
              <div className="flow-mini" style={{ height: 200 }}>
                <FlowInstanceDiagram graph={v.graph} states={noStates} assigneeLabel={assigneeLabel} />
              </div>
            ),
          }}
          columns={[
            { title: t('flows.graphVersion'), dataIndex: 'versionNo', render: (n: number) => `V${n}` },
            { title: t('flows.steps'), key: 'steps', render: (_: unknown, v) => v.graph.steps.map((s) => s.name).join(' → ') },
            { title: t('products.savedBy'), dataIndex: 'createdByName', render: (n: string | null) => n ?? '-' },
            { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
            ...(canRestore
              ? [
                  {
                    title: t('common.actions'),
                    key: 'restore',
                    render: (_: unknown, v: FlowVersion) => (
                      <Button type="link" size="small" onClick={() => onRestore(v)}>
                        {t('flows.restore')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </div>
    </Drawer>
  );
}
