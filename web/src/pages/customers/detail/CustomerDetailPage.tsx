import { useState } from 'react';
import { App, Button, Card, Descriptions, Empty, Space, Spin, Table, Tabs, Tag } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { useCustomer, type Contact, type Customer } from '../../../api/customers';
import { translateError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { StatusAction } from '../../../components/StatusAction';
import { StatusTag } from '../../../components/StatusTag';
import { formatDateTime } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { groupMobile } from '../../../lib/pii';
import { BlacklistHitsAlert, PiiText, UnmaskButton } from '../shared';
import { BankAccountsTab } from './BankAccountsTab';
import { DocumentsTab } from './DocumentsTab';
import { CustomerAuditTab } from './CustomerAuditTab';
import { ScreeningTab } from '../risk/ScreeningTab';
import { CustomerLoans } from './CustomerLoans';

function BasicInfo({ c }: { c: Customer }) {
  const { t } = useTranslation();
  const dash = (v: string | null | undefined) => v || '-';
  const common = (
    <>
      <Descriptions.Item label={t('customers.grade')}>{dash(c.gradeName)}</Descriptions.Item>
      <Descriptions.Item label={t('customers.manager')}>{c.managerName}</Descriptions.Item>
      <Descriptions.Item label={t('customers.department')}>{dash(c.departmentName)}</Descriptions.Item>
      <Descriptions.Item label={t('common.status')}>
        <StatusTag status={c.status} />
      </Descriptions.Item>
      <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(c.createdAt)}</Descriptions.Item>
      <Descriptions.Item label={t('common.updatedAt')}>{formatDateTime(c.updatedAt)}</Descriptions.Item>
    </>
  );
  const addresses = c.addresses.length ? (
    <Descriptions.Item label={t('customers.addresses')} span="filled">
      <div>
        {c.addresses.map((a, i) => (
          <div key={i}>
            <Tag>{t(`customers.addressKinds.${a.kind}`)}</Tag>
            {a.text}
          </div>
        ))}
      </div>
    </Descriptions.Item>
  ) : null;
  if (c.kind === 'enterprise') {
    return (
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 3 }} className="detail-desc">
        <Descriptions.Item label={t('customers.enterpriseName')}>{c.name}</Descriptions.Item>
        <Descriptions.Item label={t('customers.creditCode')}>
          <PiiText value={c.creditCode} />
        </Descriptions.Item>
        <Descriptions.Item label={t('customers.legalRep')}>
          {c.legalRepresentative?.name ?? '-'} <PiiText value={c.legalRepresentative?.idNumber} />
        </Descriptions.Item>
        <Descriptions.Item label={t('customers.registeredCapital')}>
          {c.registeredCapital ? `${formatMoney(c.registeredCapital)} ${t('common.yuan')}` : '-'}
        </Descriptions.Item>
        <Descriptions.Item label={t('customers.foundedOn')}>{dash(c.foundedOn)}</Descriptions.Item>
        <Descriptions.Item label={t('customers.industry')}>{dash(c.industry)}</Descriptions.Item>
        {common}
        {addresses}
      </Descriptions>
    );
  }
  return (
    <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 3 }} className="detail-desc">
      <Descriptions.Item label={t('customers.individualName')}>{c.name}</Descriptions.Item>
      <Descriptions.Item label={t('customers.idNumber')}>
        <span data-testid="customer-id-number">
          <PiiText value={c.idNumber} />
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('customers.mobile')}>
        <PiiText value={c.mobile ? groupMobile(c.mobile) : null} />
      </Descriptions.Item>
      <Descriptions.Item label={t('customers.birthDate')}>{dash(c.birthDate)}</Descriptions.Item>
      <Descriptions.Item label={t('customers.sex')}>{c.sex ? t(`sex.${c.sex}`) : '-'}</Descriptions.Item>
      <Descriptions.Item label={t('customers.age')}>{c.age != null ? t('common.years', { count: c.age }) : '-'}</Descriptions.Item>
      <Descriptions.Item label={t('customers.employer')}>{dash(c.employer)}</Descriptions.Item>
      <Descriptions.Item label={t('customers.monthlyIncome')}>
        {c.monthlyIncome ? `${formatMoney(c.monthlyIncome)} ${t('common.yuan')}` : '-'}
      </Descriptions.Item>
      <Descriptions.Item label={t('customers.maritalStatus')}>
        {c.maritalStatus ? t(`customers.marital.${c.maritalStatus}`) : '-'}
      </Descriptions.Item>
      <Descriptions.Item label={t('customers.education')}>
        {c.education ? t(`customers.educations.${c.education}`) : '-'}
      </Descriptions.Item>
      {common}
      {addresses}
    </Descriptions>
  );
}

function ContactsTable({ c }: { c: Customer }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll">
      <Table<Contact>
        size="small"
        rowKey={(_, i) => String(i)}
        pagination={false}
        dataSource={c.contacts}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.none')} /> }}
        columns={[
          { title: t('customers.contactName'), dataIndex: 'name' },
          c.kind === 'enterprise'
            ? { title: t('customers.position'), dataIndex: 'position', render: (v: string | null) => v ?? '-' }
            : { title: t('customers.relation'), dataIndex: 'relation', render: (v: string | null) => (v ? t(`customers.relations.${v}`) : '-') },
          { title: t('customers.phone'), dataIndex: 'phone', render: (v: string) => <PiiText value={groupMobile(v)} /> },
        ]}
      />
    </div>
  );
}

export default function CustomerDetailPage() {
  const { t, i18n } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const navigate = useNavigate();
  const { has } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [revealed, setRevealed] = useState(false);
  const [tab, setTab] = useState('basic');
  const customer = useCustomer(id, revealed);

  const toggle = useMutation({
    mutationFn: ({ c, action }: { c: Customer; action: 'disable' | 'enable' }) =>
      unwrap(
        api.POST(action === 'disable' ? '/api/v1/customers/{id}/disable' : '/api/v1/customers/{id}/enable', {
          params: { path: { id: c.id } },
          body: { version: c.version },
        }),
      ),
    onSuccess: (_, { action }) => {
      message.success(t(action === 'disable' ? 'common.disabledOk' : 'common.enabledOk'));
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
    onError: (e) => onError(e, { onReload: () => void customer.refetch() }),
  });

  if (customer.isPending) {
    return (
      <PageContainer title={t('common.details')}>
        <Spin />
      </PageContainer>
    );
  }
  if (customer.isError || !customer.data) {
    return (
      <PageContainer title={t('common.details')}>
        <Empty description={translateError(customer.error, t, i18n)} />
      </PageContainer>
    );
  }
  const c = customer.data;
  const editPath = c.kind === 'enterprise' ? `/customers/enterprises/${c.id}/edit` : `/customers/individuals/${c.id}/edit`;
  // Editing sends the full ID and phone numbers back, so it needs customer:pii:view too.
  const canEdit = has(P.customerWrite) && has(P.customerPiiView);

  return (
    <PageContainer
      title={c.name}
      subtitle={`${t(`customers.kinds.${c.kind}`)} · #${c.id}`}
      extra={
        <Space wrap>
          <UnmaskButton revealed={revealed} loading={customer.isFetching && revealed} onToggle={() => setRevealed(!revealed)} />
          {canEdit && (
            <Button icon={<EditOutlined />} onClick={() => navigate(editPath)} data-testid="customer-edit">
              {t('common.edit')}
            </Button>
          )}
          {has(P.customerWrite) && (
            <StatusAction name={c.name} status={c.status} loading={toggle.isPending} onToggle={(action) => toggle.mutate({ c, action })} />
          )}
        </Space>
      }
    >
      <BlacklistHitsAlert hits={c.blacklistHits} />
      {!c.piiMasked && <Tag color="orange" className="section-card">{t('customers.piiShown')}</Tag>}
      <Card className="section-card detail-tabs" size="small">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'basic', label: t('customers.basic'), children: <BasicInfo c={c} /> },
            {
              key: 'contacts',
              label: t(c.kind === 'enterprise' ? 'customers.enterpriseContacts' : 'customers.contacts'),
              children: <ContactsTable c={c} />,
            },
            { key: 'accounts', label: t('customers.bankAccounts'), children: <BankAccountsTab customer={c} revealed={revealed} /> },
            { key: 'documents', label: t('customers.documents'), children: <DocumentsTab customer={c} /> },
            {
              key: 'loans',
              label: t('customers.loans'),
              children: has(P.loanRead) ? (
                <CustomerLoans customerId={c.id} empty={<NoLoans customerId={c.id} />} />
              ) : (
                <NoLoans customerId={c.id} />
              ),
            },
            ...(has(P.riskScreen) ? [{ key: 'risk', label: t('risk.screening'), children: <ScreeningTab customerId={c.id} /> }] : []),
            { key: 'audit', label: t('customers.auditTab'), children: <CustomerAuditTab customerId={c.id} /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}

/** The loans tab when the customer has none: the way to their applications, or to a new one. */
function NoLoans({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const navigate = useNavigate();
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.loansEmpty')}>
      {has(P.loanApplicationRead) && (
        <Space wrap>
          <Button onClick={() => navigate(`/business/loan-applications?customerId=${customerId}`)} data-testid="customer-applications">
            {t('customers.viewApplications')}
          </Button>
          {has(P.loanApplicationWrite) && (
            <Button type="primary" onClick={() => navigate(`/business/loan-applications/new?customerId=${customerId}`)}>
              {t('applications.create')}
            </Button>
          )}
        </Space>
      )}
    </Empty>
  );
}
