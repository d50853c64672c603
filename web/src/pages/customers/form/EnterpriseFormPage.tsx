import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Row, Space, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ENTERPRISE_ADDRESS_KINDS, useCustomer, type Address, type Contact, type Customer, type EnterpriseInput } from '../../../api/customers';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { blankToNull } from '../../../lib/format';
import { creditCodeValid } from '../../../lib/identity';
import { AddressesFields, ContactsFields, CustomerSearchSelect, GradeSelect, ManagerSelect, MONEY_PATTERN } from '../shared';

interface EnterpriseForm {
  name: string;
  creditCode: string;
  legalRepresentative: { customerId?: number | null; name?: string | null; idNumber?: string | null };
  registeredCapital?: string | null;
  foundedOn?: Dayjs | null;
  industry?: string | null;
  addresses?: Address[];
  contacts?: Contact[];
  gradeId?: number | null;
  managerId?: number | null;
}

function toInput(v: EnterpriseForm, version?: number): EnterpriseInput {
  const rep = v.legalRepresentative ?? {};
  return {
    name: v.name.trim(),
    creditCode: v.creditCode.replace(/\s+/g, '').toUpperCase(),
    legalRepresentative: rep.customerId
      ? { customerId: rep.customerId, name: null, idNumber: null }
      : { customerId: null, name: blankToNull(rep.name), idNumber: blankToNull(rep.idNumber?.replace(/\s+/g, '').toUpperCase()) },
    registeredCapital: blankToNull(v.registeredCapital),
    foundedOn: v.foundedOn ? v.foundedOn.format('YYYY-MM-DD') : null,
    industry: blankToNull(v.industry),
    addresses: v.addresses ?? [],
    contacts: (v.contacts ?? []).map((c) => ({ ...c, relation: c.relation ?? null, position: blankToNull(c.position) })),
    gradeId: v.gradeId ?? null,
    managerId: v.managerId ?? null,
    ...(version !== undefined ? { version } : {}),
  };
}

function fromCustomer(c: Customer): EnterpriseForm {
  return {
    name: c.name,
    creditCode: c.creditCode ?? '',
    legalRepresentative: {
      customerId: c.legalRepresentative?.customerId,
      name: c.legalRepresentative?.name,
      idNumber: c.legalRepresentative?.idNumber,
    },
    registeredCapital: c.registeredCapital,
    foundedOn: c.foundedOn ? dayjs(c.foundedOn) : null,
    industry: c.industry,
    addresses: c.addresses,
    contacts: c.contacts,
    gradeId: c.gradeId,
    managerId: c.managerId,
  };
}

export default function EnterpriseFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const editingId = id ? Number(id) : undefined;
  const { has } = useAccess();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<EnterpriseForm>();
  const canReveal = has(P.customerPiiView);
  const existing = useCustomer(editingId ?? 0, canReveal);
  const [version, setVersion] = useState<number>();
  const repCustomer = Form.useWatch(['legalRepresentative', 'customerId'], form);

  useEffect(() => {
    if (existing.data && editingId) {
      form.setFieldsValue(fromCustomer(existing.data));
      setVersion(existing.data.version);
    }
  }, [existing.data, editingId, form]);

  const save = useMutation({
    mutationFn: (v: EnterpriseForm) =>
      editingId
        ? unwrap(api.PUT('/api/v1/customers/enterprises/{id}', { params: { path: { id: editingId } }, body: toInput(v, version) }))
        : unwrap(api.POST('/api/v1/customers/enterprises', { body: toInput(v) })),
    onSuccess: (c) => {
      message.success(t(editingId ? 'common.saved' : 'customers.createdOk'));
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      navigate(`/customers/enterprises/${c.id}`);
    },
    onError: (e) => onError(e, { form, onReload: () => void existing.refetch() }),
  });

  const title = t(editingId ? 'customers.editEnterprise' : 'customers.createEnterprise');
  if (editingId && !canReveal) {
    return (
      <PageContainer title={title}>
        <Alert type="warning" showIcon title={t('errors.forbidden')} />
      </PageContainer>
    );
  }
  if (editingId && existing.isPending) {
    return (
      <PageContainer title={title}>
        <Spin />
      </PageContainer>
    );
  }

  return (
    <PageContainer title={title}>
      <Form<EnterpriseForm>
        name="enterprise"
        form={form}
        layout="vertical"
        initialValues={{ contacts: [{}], addresses: [{ kind: 'registered' }], legalRepresentative: {} }}
        onFinish={(v) => save.mutate(v)}
        scrollToFirstError
      >
        <Card title={t('customers.basic')} className="section-card" size="small">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="name" label={t('customers.enterpriseName')} rules={[{ required: true, message: t('validation.required') }]}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="creditCode"
                label={t('customers.creditCode')}
                rules={[
                  { required: true, message: t('validation.required') },
                  {
                    warningOnly: true,
                    validator: (_, v: string | undefined) =>
                      !v || v.replace(/\s+/g, '').length < 18 || creditCodeValid(v)
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('fieldErrors.invalid_credit_code_check'))),
                  },
                ]}
              >
                <Input maxLength={18} autoComplete="off" className="pii-input" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="registeredCapital" label={t('customers.registeredCapital')} rules={[{ pattern: MONEY_PATTERN, message: t('validation.money') }]}>
                <Input inputMode="decimal" suffix={t('common.yuan')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="foundedOn" label={t('customers.foundedOn')}>
                <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="industry" label={t('customers.industry')}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="gradeId" label={t('customers.grade')}>
                <GradeSelect scope="customer" />
              </Form.Item>
            </Col>
            {has(P.userRead) && (
              <Col xs={24} md={12}>
                <Form.Item name="managerId" label={t('customers.manager')} extra={t('customers.managerHelp')}>
                  <ManagerSelect />
                </Form.Item>
              </Col>
            )}
          </Row>
        </Card>
        <Card title={t('customers.legalRep')} className="section-card" size="small">
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name={['legalRepresentative', 'customerId']} label={t('customers.legalRepCustomer')} extra={t('customers.legalRepCustomerHelp')}>
                <CustomerSearchSelect kind="individual" initialLabel={existing.data?.legalRepresentative?.name} />
              </Form.Item>
            </Col>
            {!repCustomer && (
              <>
                <Col xs={24} md={8}>
                  <Form.Item name={['legalRepresentative', 'name']} label={t('customers.legalRepName')} rules={[{ required: true, message: t('validation.required') }]}>
                    <Input maxLength={50} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name={['legalRepresentative', 'idNumber']} label={t('customers.legalRepIdNumber')} rules={[{ required: true, message: t('validation.required') }]}>
                    <Input maxLength={18} autoComplete="off" className="pii-input" />
                  </Form.Item>
                </Col>
              </>
            )}
          </Row>
        </Card>
        <Card title={t('customers.enterpriseContacts')} className="section-card" size="small">
          <ContactsFields emergency={false} />
        </Card>
        <Card title={t('customers.addresses')} className="section-card" size="small">
          <AddressesFields kinds={ENTERPRISE_ADDRESS_KINDS} />
        </Card>
        <Space className="form-actions">
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="customer-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </PageContainer>
  );
}
