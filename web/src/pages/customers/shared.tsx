import { useState } from 'react';
import { Alert, Button, Col, Form, Input, Row, Select, Space, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { SelectProps } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAllUsers } from '../../api/queries';
import { RELATIONS, useGrades, type BlacklistHit, type CustomerKind, type GradeScope } from '../../api/customers';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';

/** Picks a customer manager among active users (needs `org:user:read` to list them). */
export function ManagerSelect(props: SelectProps<number>) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const users = useAllUsers(has(P.userRead));
  return (
    <Select<number>
      allowClear
      showSearch
      optionFilterProp="label"
      placeholder={t('common.pleaseSelect')}
      loading={users.isLoading}
      options={(users.data?.items ?? [])
        .filter((u) => u.status === 'active')
        .map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
      {...props}
    />
  );
}

/** Picks a grade of one scope. */
export function GradeSelect({ scope, ...props }: SelectProps<number> & { scope: GradeScope }) {
  const { t } = useTranslation();
  const grades = useGrades(scope);
  return (
    <Select<number>
      allowClear
      placeholder={t('common.pleaseSelect')}
      loading={grades.isLoading}
      options={(grades.data?.items ?? []).map((g) => ({ value: g.id, label: g.name, disabled: g.status !== 'active' }))}
      {...props}
    />
  );
}

/** The blacklist entries a customer or a check matched, each with its reason. */
export function BlacklistHitsAlert({ hits }: { hits: BlacklistHit[] }) {
  const { t } = useTranslation();
  if (hits.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      className="section-card blacklist-hits"
      data-testid="blacklist-hits"
      title={t('customers.blacklistHit')}
      description={
        <div>
          <div>{t('customers.blacklistHitDesc', { count: hits.length })}</div>
          <ul className="hit-list">
            {hits.map((h) => (
              <li key={h.entryId}>
                {t('customers.hitLine', {
                  kind: t(`blacklist.kinds.${h.subjectKind}`),
                  reason: h.reason,
                  source: t(`blacklist.sources.${h.source}`, { defaultValue: h.source }),
                  effectiveOn: h.effectiveOn,
                })}
              </li>
            ))}
          </ul>
        </div>
      }
    />
  );
}

/** "Show in full / hide" for masked personal data; shown only to holders of `customer:pii:view`. */
export function UnmaskButton({ revealed, onToggle, loading }: { revealed: boolean; onToggle: () => void; loading?: boolean }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  if (!has(P.customerPiiView)) return null;
  return (
    <Tooltip title={revealed ? undefined : t('common.unmaskHint')}>
      <Button
        icon={revealed ? <EyeInvisibleOutlined /> : <EyeOutlined />}
        onClick={onToggle}
        loading={loading}
        data-testid="unmask"
      >
        {revealed ? t('common.mask') : t('common.unmask')}
      </Button>
    </Tooltip>
  );
}

/** Personal data in monospace, so masked and full values line up. */
export function PiiText({ value }: { value: string | null | undefined }) {
  return value ? <Typography.Text className="pii">{value}</Typography.Text> : <>-</>;
}

/** Contacts as a Form.List: name, relation (individuals) or position (enterprises), phone. */
export function ContactsFields({ emergency }: { emergency: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.List name="contacts">
      {(fields, { add, remove }, { errors }) => (
        <div className="list-fields">
          {fields.map((field, i) => (
            <Row key={field.key} gutter={12} className="list-row" align="top">
              <Col xs={24} sm={8}>
                <Form.Item
                  name={[field.name, 'name']}
                  label={`${t('customers.contactName')} ${i + 1}`}
                  rules={[{ required: true, message: t('validation.required') }]}
                >
                  <Input maxLength={50} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={6}>
                {emergency ? (
                  <Form.Item
                    name={[field.name, 'relation']}
                    label={t('customers.relation')}
                    rules={[{ required: true, message: t('validation.requiredSelect') }]}
                  >
                    <Select
                      placeholder={t('common.pleaseSelect')}
                      options={RELATIONS.map((r) => ({ value: r, label: t(`customers.relations.${r}`) }))}
                    />
                  </Form.Item>
                ) : (
                  <Form.Item name={[field.name, 'position']} label={t('customers.position')}>
                    <Input maxLength={50} />
                  </Form.Item>
                )}
              </Col>
              <Col xs={20} sm={8}>
                <Form.Item
                  name={[field.name, 'phone']}
                  label={t('customers.phone')}
                  rules={[{ required: true, message: t('validation.required') }]}
                >
                  <Input inputMode="tel" maxLength={20} />
                </Form.Item>
              </Col>
              <Col xs={4} sm={2} className="list-remove">
                <Button type="text" danger icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(field.name)} />
              </Col>
            </Row>
          ))}
          <Form.ErrorList errors={errors} />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="add-contact">
            {t('customers.addContact')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** Addresses as a Form.List: kind and text. */
export function AddressesFields({ kinds }: { kinds: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <Form.List name="addresses">
      {(fields, { add, remove }) => (
        <div className="list-fields">
          {fields.map((field) => (
            <Row key={field.key} gutter={12} className="list-row" align="top">
              <Col xs={24} sm={6}>
                <Form.Item name={[field.name, 'kind']} label={t('customers.addressKind')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
                  <Select options={kinds.map((k) => ({ value: k, label: t(`customers.addressKinds.${k}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={20} sm={16}>
                <Form.Item name={[field.name, 'text']} label={t('customers.addressText')} rules={[{ required: true, message: t('validation.required') }]}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={4} sm={2} className="list-remove">
                <Button type="text" danger icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(field.name)} />
              </Col>
            </Row>
          ))}
          <Space>
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: kinds[0] })}>
              {t('customers.addAddress')}
            </Button>
          </Space>
        </div>
      )}
    </Form.List>
  );
}

/** A decimal amount of at most two places, as the server takes money. */
export const MONEY_PATTERN = /^\d{1,15}(\.\d{1,2})?$/;

/** Finds a customer by the start of the name (or an exact ID/mobile number). */
export function CustomerSearchSelect(props: {
  kind?: CustomerKind;
  value?: number | null;
  onChange?: (v: number | null) => void;
  initialLabel?: string | null;
  id?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const text = search.trim();
  const exact = /^[0-9]{6,}[0-9Xx]$/.test(text) ? (/^1\d{10}$/.test(text) ? { mobile: text } : { idNumber: text }) : { name: text };
  const found = useQuery({
    queryKey: ['customers', 'search', props.kind, text],
    queryFn: () => unwrap(api.GET('/api/v1/customers', { params: { query: { kind: props.kind, ...exact, page: 1, pageSize: 20 } } })),
    enabled: text.length > 0,
  });
  // The label of the customer picked here: a later search whose results leave them out must
  // still show them by name, not by a bare id.
  const [picked, setPicked] = useState<{ value: number; label: string } | null>(null);
  const options = (found.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.idNumber ?? c.creditCode ?? '#' + c.id}）` }));
  if (props.value && !options.some((o) => o.value === props.value))
    options.unshift({
      value: props.value,
      label: picked?.value === props.value ? picked.label : (props.initialLabel ?? `#${props.value}`),
    });
  return (
    <Select<number>
      id={props.id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      placeholder={t('customers.namePrefixPlaceholder')}
      loading={found.isFetching}
      options={options}
      value={props.value ?? undefined}
      onChange={(v, option) => {
        setPicked(v != null && option && !Array.isArray(option) ? { value: v, label: String(option.label) } : null);
        props.onChange?.(v ?? null);
      }}
    />
  );
}
