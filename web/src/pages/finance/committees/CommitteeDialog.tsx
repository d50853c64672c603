import { useMemo } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { COMMITTEES_KEY, MEMBER_ROLES, TWO_THIRDS, type Committee, type CommitteeMember, type Fraction, type MemberRole } from '../../../api/committee';
import type { NamePath } from '../../../api/forms';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { PersonSelect } from '../../../components/PersonSelect';
import { checkMembers, isVoting, validFraction, type MemberDraft } from '../../../lib/committee';

interface Values {
  name: string;
  quorum: Fraction;
  pass: Fraction;
  members: MemberDraft[];
}

/** Two whole numbers, "2 / 3": a quorum or pass fraction. */
export function FractionInput({ value, onChange, id }: { value?: Fraction; onChange?: (v: Fraction) => void; id?: string }) {
  const { t } = useTranslation();
  const set = (patch: Partial<Fraction>) => onChange?.({ ...(value ?? TWO_THIRDS), ...patch });
  return (
    <Space.Compact className="fraction-input">
      <InputNumber
        id={id}
        min={1}
        max={99}
        precision={0}
        value={value?.numerator}
        inputMode="numeric"
        aria-label={t('committees.numerator')}
        onChange={(n) => set({ numerator: n ?? 0 })}
      />
      <span className="fraction-bar">/</span>
      <InputNumber
        min={1}
        max={99}
        precision={0}
        value={value?.denominator}
        inputMode="numeric"
        aria-label={t('committees.denominator')}
        onChange={(d) => set({ denominator: d ?? 0 })}
      />
    </Space.Compact>
  );
}

/** 新建 / 编辑贷审会: its name, members (one chair, an odd number of voters), quorum and pass. */
export function CommitteeDialog({ committee, onClose, onSaved }: { committee?: Committee; onClose: () => void; onSaved?: (c: Committee) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<Values>();
  const members = Form.useWatch('members', form) as MemberDraft[] | undefined;
  const voters = (members ?? []).filter((m) => isVoting(m?.role)).length;
  const labels = useMemo(() => new Map((committee?.members ?? []).map((m: CommitteeMember) => [m.userId, m.name])), [committee]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        name: v.name.trim(),
        quorum: v.quorum,
        pass: v.pass,
        members: v.members.map((m) => ({ userId: m.userId!, role: m.role!, veto: !!m.veto && isVoting(m.role) })),
      };
      return committee
        ? unwrap(api.PUT('/api/v1/committees/{id}', { params: { path: { id: committee.id } }, body: { ...body, version: committee.version } }))
        : unwrap(api.POST('/api/v1/committees', { body }));
    },
    onSuccess: (saved) => {
      message.success(t(committee ? 'common.saved' : 'common.created'));
      void queryClient.invalidateQueries({ queryKey: COMMITTEES_KEY });
      onSaved?.(saved);
      onClose();
    },
    onError: (e) => {
      const count = form.getFieldValue('members')?.length ?? 0;
      const known: NamePath[] = [['name'], ['quorum'], ['pass'], ['members']];
      for (let i = 0; i < count; i++) known.push(['members', i, 'userId'], ['members', i, 'role'], ['members', i, 'veto']);
      onError(e, {
        form,
        known,
        onReload: () => {
          onClose();
          void queryClient.invalidateQueries({ queryKey: COMMITTEES_KEY });
        },
      });
    },
  });

  const initial: Values = committee
    ? { name: committee.name, quorum: committee.quorum, pass: committee.pass, members: committee.members.map((m) => ({ userId: m.userId, role: m.role, veto: !!m.veto })) }
    : {
        name: '',
        quorum: TWO_THIRDS,
        pass: TWO_THIRDS,
        members: [{ role: 'chair' }, { role: 'member' }, { role: 'member' }],
      };

  const fractionRule = { validator: async (_: unknown, f?: Fraction) => { if (!validFraction(f)) throw new Error(t('fieldErrors.invalid_fraction')); } };

  return (
    <Modal
      open
      title={committee ? t('committees.editTitle', { name: committee.name }) : t('committees.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'committee-save' } as ButtonProps}
      width={720}
      destroyOnHidden
    >
      <Form<Values> name="committee" form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('committees.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={60} placeholder={t('committees.nameHint')} />
        </Form.Item>
        <Space wrap size={24}>
          <Form.Item name="quorum" label={t('committees.quorum')} extra={t('committees.quorumHelp')} rules={[fractionRule]}>
            <FractionInput />
          </Form.Item>
          <Form.Item name="pass" label={t('committees.pass')} extra={t('committees.passHelp')} rules={[fractionRule]}>
            <FractionInput />
          </Form.Item>
        </Space>
        <Form.List
          name="members"
          rules={[
            {
              validator: async (_, list: MemberDraft[]) => {
                const issues = checkMembers(list ?? []).filter((i) => i.field === 'members');
                if (issues.length) throw new Error(issues.map((i) => t(`fieldErrors.${i.code}`)).join('；'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <div className="member-list" data-testid="committee-members">
              <div className="member-list-head">
                <strong>{t('committees.members')}</strong>
                <Typography.Text type="secondary">{t('committees.votersNow', { count: voters })}</Typography.Text>
              </div>
              {fields.map((field, i) => {
                const role = members?.[i]?.role;
                return (
                  <div key={field.key} className="member-row" data-testid={`member-${i}`}>
                    <Form.Item
                      name={[field.name, 'userId']}
                      className="member-person"
                      rules={[
                        { required: true, message: t('validation.requiredSelect') },
                        {
                          validator: async (_, id?: number) => {
                            if (id != null && (members ?? []).slice(0, i).some((m) => m?.userId === id)) throw new Error(t('committees.duplicateMember'));
                          },
                        },
                      ]}
                    >
                      <PersonSelect id={`committee_members_${i}_userId`} initialLabel={labels.get(members?.[i]?.userId ?? 0)} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'role']} className="member-role" rules={[{ required: true, message: t('validation.requiredSelect') }]}>
                      <Select<MemberRole>
                        id={`committee_members_${i}_role`}
                        options={MEMBER_ROLES.map((r) => ({ value: r, label: t(`committees.roles.${r}`) }))}
                        onChange={(r) => {
                          if (r === 'presenter') form.setFieldValue(['members', field.name, 'veto'], false);
                        }}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'veto']}
                      valuePropName="checked"
                      className="member-veto"
                      rules={[
                        {
                          validator: async (_, veto?: boolean) => {
                            if (veto && role === 'presenter') throw new Error(t('fieldErrors.presenter_veto'));
                          },
                        },
                      ]}
                    >
                      <Checkbox disabled={role === 'presenter'}>{t('committees.veto')}</Checkbox>
                    </Form.Item>
                    <Button
                      type="text"
                      danger
                      icon={<MinusCircleOutlined />}
                      aria-label={t('common.remove')}
                      className="member-remove"
                      onClick={() => {
                        remove(field.name);
                        void form.validateFields([['members']]).catch(() => undefined);
                      }}
                    />
                  </div>
                );
              })}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ role: 'member', veto: false })} data-testid="member-add">
                {t('committees.addMember')}
              </Button>
              <Form.ErrorList errors={errors} />
            </div>
          )}
        </Form.List>
        <Alert type="info" showIcon className="committee-rules" title={t('committees.rules')} />
      </Form>
    </Modal>
  );
}
