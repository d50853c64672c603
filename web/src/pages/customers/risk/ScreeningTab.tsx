import { useState } from 'react';
import { App, Button, Empty, Form, Modal, Table } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Decision, Screening } from '../../../api/customers';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { formatDateTime } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { DecisionTag, OutcomeView } from './OutcomeView';
import { ScreeningFields, toScreeningInput, type ScreeningForm } from './ScreeningFields';

const outcomeOf = (s: Screening) => ({ decision: s.decision, score: s.score, grade: s.grade, reasons: s.reasons, scoreLines: s.scoreLines });

/** A customer's stored screenings, a new screening and re-runs. */
export function ScreeningTab({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [paging, setPaging] = useState({ page: 1, pageSize: 10 });
  const [screening, setScreening] = useState(false);
  const [shown, setShown] = useState<Screening | null>(null);
  const key = ['risk', 'screenings', customerId];
  const list = useQuery({
    queryKey: [...key, paging],
    queryFn: () => unwrap(api.GET('/api/v1/risk/screenings', { params: { query: { customerId, ...paging } } })),
    placeholderData: keepPreviousData,
  });
  const done = (s: Screening) => {
    message.success(t('risk.screenedOk'));
    void queryClient.invalidateQueries({ queryKey: key });
    setShown(s);
  };
  const rerun = useMutation({
    mutationFn: (id: number) => unwrap(api.POST('/api/v1/risk/screenings/{id}/rerun', { params: { path: { id } } })),
    onSuccess: done,
    onError: (e) => onError(e),
  });
  return (
    <div className="tab-body">
      <div className="tab-actions">
        <Button type="primary" icon={<SafetyOutlined />} onClick={() => setScreening(true)} data-testid="risk-screen">
          {t('risk.screen')}
        </Button>
      </div>
      <div className="table-scroll">
        <Table<Screening>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('risk.noScreenings')} /> }}
          pagination={{ current: paging.page, pageSize: paging.pageSize, total: list.data?.total, size: 'small', onChange: (page, pageSize) => setPaging({ page, pageSize }) }}
          columns={[
            { title: t('risk.screenedAt'), dataIndex: 'screenedAt', render: formatDateTime },
            { title: t('risk.decision'), dataIndex: 'decision', render: (d: Decision) => <DecisionTag decision={d} /> },
            { title: t('risk.score'), dataIndex: 'score' },
            { title: t('risk.grade'), dataIndex: 'grade' },
            { title: t('risk.loanAmount'), key: 'amount', render: (_: unknown, s) => formatMoney(s.input.loanAmount) },
            { title: t('risk.ruleSetVersion'), dataIndex: 'ruleSetVersion', render: (v: number) => `v${v}` },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_: unknown, s) => (
                <>
                  <Button type="link" size="small" onClick={() => setShown(s)}>
                    {t('common.view')}
                  </Button>
                  <Button type="link" size="small" loading={rerun.isPending && rerun.variables === s.id} onClick={() => rerun.mutate(s.id)}>
                    {t('risk.rerun')}
                  </Button>
                </>
              ),
            },
          ]}
        />
      </div>
      {screening && <ScreenDialog customerId={customerId} onDone={(s) => { setScreening(false); done(s); }} onClose={() => setScreening(false)} />}
      {shown && (
        <Modal open width={860} title={t('risk.details')} footer={null} onCancel={() => setShown(null)}>
          <OutcomeView outcome={outcomeOf(shown)} providerCalls={shown.providerCalls} />
        </Modal>
      )}
    </div>
  );
}

function ScreenDialog({ customerId, onDone, onClose }: { customerId: number; onDone: (s: Screening) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ScreeningForm>();
  const screen = useMutation({
    mutationFn: (v: ScreeningForm) => unwrap(api.POST('/api/v1/risk/screenings', { body: toScreeningInput({ ...v, customerId }) })),
    onSuccess: onDone,
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal open title={t('risk.screen')} onCancel={onClose} onOk={() => form.submit()} okText={t('risk.screen')} confirmLoading={screen.isPending} destroyOnHidden>
      <Form<ScreeningForm> name="screening" form={form} layout="vertical" initialValues={{ termMonths: 36 }} onFinish={(v) => screen.mutate(v)}>
        <ScreeningFields withCustomer={false} />
      </Form>
    </Modal>
  );
}
