import { Collapse, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditLog } from '../api/queries';
import { diffRecords, showValue, type DiffRow } from '../lib/diff';

/** The before/after difference of one audit record, with the raw JSON folded away. */
export function DiffView({ log }: { log: AuditLog }) {
  const { t } = useTranslation();
  const rows = diffRecords(log.before as Record<string, unknown> | null, log.after as Record<string, unknown> | null);
  const changed = rows.filter((r) => r.changed);
  return (
    <div className="audit-diff">
      {changed.length === 0 ? (
        <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>
      ) : (
        <div className="table-scroll">
          <Table<DiffRow>
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={changed}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('audit.field'), dataIndex: 'key', render: (k: string) => <code>{k}</code> },
              {
                title: t('audit.before'),
                dataIndex: 'before',
                render: (v: unknown) => (v === undefined ? '' : <span className="diff-before">{showValue(v)}</span>),
              },
              {
                title: t('audit.after'),
                dataIndex: 'after',
                render: (v: unknown) => (v === undefined ? '' : <span className="diff-after">{showValue(v)}</span>),
              },
            ]}
          />
        </div>
      )}
      <Collapse
        ghost
        size="small"
        items={[
          {
            key: 'raw',
            label: t('audit.rawJson'),
            children: (
              <div className="json-pair">
                <div>
                  <Typography.Text type="secondary">{t('audit.before')}</Typography.Text>
                  <pre>{JSON.stringify(log.before, null, 2)}</pre>
                </div>
                <div>
                  <Typography.Text type="secondary">{t('audit.after')}</Typography.Text>
                  <pre>{JSON.stringify(log.after, null, 2)}</pre>
                </div>
              </div>
            ),
          },
        ]}
      />
      {log.requestId && (
        <Typography.Text type="secondary" className="audit-request-id">
          {t('audit.requestId')}: <code>{log.requestId}</code>
        </Typography.Text>
      )}
    </div>
  );
}
