import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Select, Space, Spin } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import {
  EDUCATIONS,
  INDIVIDUAL_ADDRESS_KINDS,
  MARITAL,
  useCustomer,
  type Customer,
  type IndividualInput,
} from '../../../api/customers';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { blankToNull } from '../../../lib/format';
import { ageOn, parseResidentId } from '../../../lib/identity';
import { duplicateCustomer } from '../../../lib/search';
import { ApiError } from '../../../api/errors';
import { AddressesFields, BlacklistHitsAlert, ContactsFields, GradeSelect, ManagerSelect, MONEY_PATTERN } from '../shared';

export type IndividualForm = Omit<IndividualInput, 'version'>;

/** The form's values → the request body (blank optional text becomes null). */
export function toIndividualInput(v: IndividualForm, version?: number): IndividualInput {
  return {
    name: v.name.trim(),
    idNumber: v.idNumber.replace(/\s+/g, '').toUpperCase(),
    mobile: v.mobile.trim(),
    employer: blankToNull(v.employer),
    monthlyIncome: blankToNull(v.monthlyIncome),
    maritalStatus: v.maritalStatus ?? null,
    education: v.education ?? null,
    addresses: v.addresses ?? [],
    contacts: (v.contacts ?? []).map((c) => ({ ...c, position: blankToNull(c.position) })),
    gradeId: v.gradeId ?? null,
    managerId: v.managerId ?? null,
    ...(version !== undefined ? { version } : {}),
  };
}

export function fromCustomer(c: Customer): IndividualForm {
  return {
    name: c.name,
    idNumber: c.idNumber ?? '',
    mobile: c.mobile ?? '',
    employer: c.employer,
    monthlyIncome: c.monthlyIncome,
    maritalStatus: (c.maritalStatus ?? undefined) as IndividualForm['maritalStatus'],
    education: (c.education ?? undefined) as IndividualForm['education'],
    addresses: c.addresses,
    contacts: c.contacts,
    gradeId: c.gradeId,
    managerId: c.managerId,
  };
}

/** What the ID number says, shown under the field while it is typed. */
export function DerivedIdentity({ idNumber }: { idNumber: string | undefined }) {
  const { t } = useTranslation();
  const reading = parseResidentId(idNumber ?? '');
  if (!reading.ok) return <div className="derived-id muted">{t('customers.derivedHint')}</div>;
  const age = ageOn(reading.birthDate, dayjs().format('YYYY-MM-DD'));
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 3 }} className="derived-id" data-testid="derived-identity">
      <Descriptions.Item label={t('customers.birthDate')}>{reading.birthDate}</Descriptions.Item>
      <Descriptions.Item label={t('customers.sex')}>{t(`sex.${reading.sex}`)}</Descriptions.Item>
      <Descriptions.Item label={t('customers.age')}>{t('common.years', { count: age })}</Descriptions.Item>
    </Descriptions>
  );
}

/** The identity, contacts and finances of an individual; shared with the prospect conversion. */
export function IndividualFields() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const form = Form.useFormInstance<IndividualForm>();
  const idNumber = Form.useWatch('idNumber', form);
  const mobile = Form.useWatch('mobile', form);
  // The blacklist is checked as soon as the numbers are whole, before anything is saved.
  const reading = parseResidentId(idNumber ?? '');
  const phone = /^1\d{10}$/.test((mobile ?? '').replace(/\s+/g, '')) ? (mobile ?? '').replace(/\s+/g, '') : null;
  const check = useQuery({
    queryKey: ['blacklist', 'check', reading.ok ? reading.value : null, phone],
    queryFn: () =>
      unwrap(api.POST('/api/v1/blacklist/check', { body: { idNumber: reading.ok ? reading.value : null, mobile: phone, creditCode: null } })),
    enabled: reading.ok || phone !== null,
    staleTime: 30_000,
  });
  return (
    <>
      {check.data?.blocked && <BlacklistHitsAlert hits={check.data.hits} />}
      <Card title={t('customers.basic')} className="section-card" size="small">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('customers.individualName')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={50} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="idNumber"
              label={t('customers.idNumber')}
              rules={[
                { required: true, message: t('validation.required') },
                {
                  // Early warning only: the server's answer is the error that counts.
                  warningOnly: true,
                  validator: (_, v: string | undefined) => {
                    if (!v || v.replace(/\s+/g, '').length < 18) return Promise.resolve();
                    const r = parseResidentId(v);
                    return r.ok ? Promise.resolve() : Promise.reject(new Error(t(`fieldErrors.${r.code}`)));
                  },
                },
              ]}
              extra={<DerivedIdentity idNumber={idNumber} />}
            >
              <Input maxLength={18} autoComplete="off" placeholder={t('customers.idNumberPlaceholder')} className="pii-input" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="mobile" label={t('customers.mobile')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input inputMode="tel" maxLength={20} autoComplete="off" />
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
          <Col xs={24} md={12}>
            <Form.Item name="employer" label={t('customers.employer')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="monthlyIncome"
              label={t('customers.monthlyIncome')}
              rules={[{ pattern: MONEY_PATTERN, message: t('validation.money') }]}
            >
              <Input inputMode="decimal" suffix={t('common.yuan')} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="maritalStatus" label={t('customers.maritalStatus')}>
              <Select allowClear options={MARITAL.map((m) => ({ value: m, label: t(`customers.marital.${m}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="education" label={t('customers.education')}>
              <Select allowClear options={EDUCATIONS.map((m) => ({ value: m, label: t(`customers.educations.${m}`) }))} />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card title={t('customers.contacts')} className="section-card" size="small" extra={<span className="muted">{t('customers.contactsHelp')}</span>}>
        <ContactsFields emergency />
      </Card>
      <Card title={t('customers.addresses')} className="section-card" size="small">
        <AddressesFields kinds={INDIVIDUAL_ADDRESS_KINDS} />
      </Card>
    </>
  );
}

export default function IndividualFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const editingId = id ? Number(id) : undefined;
  const { has } = useAccess();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<IndividualForm>();
  // Editing needs the full ID and mobile numbers: only holders of customer:pii:view may.
  const canReveal = has(P.customerPiiView);
  const existing = useCustomer(editingId ?? 0, canReveal);
  const [version, setVersion] = useState<number>();

  useEffect(() => {
    if (existing.data && editingId) {
      form.setFieldsValue(fromCustomer(existing.data));
      setVersion(existing.data.version);
    }
  }, [existing.data, editingId, form]);

  const save = useMutation({
    mutationFn: (v: IndividualForm) =>
      editingId
        ? unwrap(api.PUT('/api/v1/customers/individuals/{id}', { params: { path: { id: editingId } }, body: toIndividualInput(v, version) }))
        : unwrap(api.POST('/api/v1/customers/individuals', { body: toIndividualInput(v) })),
    onSuccess: (c) => {
      message.success(t(editingId ? 'common.saved' : 'customers.createdOk'));
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      navigate(`/customers/individuals/${c.id}`);
    },
    onError: (e) => {
      onError(e, { form, onReload: () => void existing.refetch() });
      // One customer per ID number: offer the one that already has it, when it is ours to see.
      const dup = e instanceof ApiError && e.code === 'duplicate' ? duplicateCustomer(e.fieldErrors.find((f) => f.field === 'idNumber')?.message) : null;
      if (dup)
        modal.confirm({
          title: t('customers.duplicateTitle', { name: dup.name }),
          okText: t('customers.openDuplicate'),
          cancelText: t('common.close'),
          onOk: () => navigate(`/customers/individuals/${dup.id}`),
        });
    },
  });

  const title = t(editingId ? 'customers.editIndividual' : 'customers.createIndividual');
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
      <Form<IndividualForm>
        name="individual"
        form={form}
        layout="vertical"
        initialValues={{ contacts: [{}, {}], addresses: [{ kind: 'residence' }] }}
        onFinish={(v) => save.mutate(v)}
        scrollToFirstError
      >
        <IndividualFields />
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
