import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { ButtonProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { COMMITTEES_KEY, MEETINGS_KEY, type Committee, type PendingTask } from '../../../api/committee';
import { useErrorHandler } from '../../../api/useErrorHandler';

interface Values {
  title: string;
  scheduledAt: Dayjs;
  place: string;
  taskIds: number[];
}

/** 安排上会: a meeting of the committee with the chosen waiting tasks as its agenda. */
export function MeetingDialog({
  committee,
  pending,
  selected,
  onClose,
}: {
  committee: Committee;
  pending: PendingTask[];
  selected: number[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<Values>();
  const taskIds = Form.useWatch('taskIds', form) as number[] | undefined;
  const create = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/api/v1/meetings', {
          body: { committeeId: committee.id, title: v.title.trim(), scheduledAt: v.scheduledAt.toISOString(), place: v.place.trim(), taskIds: v.taskIds },
        }),
      ),
    onSuccess: (m) => {
      message.success(t('meetings.created'));
      void queryClient.invalidateQueries({ queryKey: MEETINGS_KEY });
      void queryClient.invalidateQueries({ queryKey: COMMITTEES_KEY });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      navigate(`/tasks/meetings/${m.id}`);
    },
    onError: (e) => {
      // `taskIds[2]` lands on the agenda field.
      const aliases: Record<string, string> = {};
      (taskIds ?? []).forEach((_, i) => (aliases[`taskIds[${i}]`] = 'taskIds'));
      onError(e, { form, aliases, onReload: () => void queryClient.invalidateQueries({ queryKey: COMMITTEES_KEY }) });
    },
  });
  return (
    <Modal
      open
      title={t('meetings.createTitle', { name: committee.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('meetings.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'meeting-save' } as ButtonProps}
      destroyOnHidden
    >
      <Form<Values>
        name="meeting"
        form={form}
        layout="vertical"
        initialValues={{
          title: t('meetings.defaultTitle', { name: committee.name, date: dayjs().format('YYYY-MM-DD') }),
          scheduledAt: dayjs().add(1, 'hour').startOf('hour'),
          taskIds: selected,
        }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item name="title" label={t('meetings.title')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="scheduledAt" label={t('meetings.scheduledAt')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="place" label={t('meetings.place')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} placeholder={t('meetings.placeHint')} />
        </Form.Item>
        <Form.Item name="taskIds" label={t('meetings.agenda')} rules={[{ required: true, message: t('meetings.agendaRequired') }]}>
          <Select<number[]>
            mode="multiple"
            options={pending.map((p) => ({ value: p.id, label: p.title }))}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('meetings.agendaHint')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
