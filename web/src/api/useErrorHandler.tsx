import { App } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, translateError } from './errors';
import { mapProblemToFields, type MapOptions, type NamePath } from './forms';

export interface HandleOptions extends MapOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  form?: FormInstance<any>;
  /** Called when the user chooses to reload after a version conflict. */
  onReload?: () => void;
}

/**
 * Shows a failed call to the user: field errors on the form's fields, a stale version as a
 * dialog offering to reload, anything else as a message in the user's language.
 */
export function useErrorHandler() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();

  return (error: unknown, options: HandleOptions = {}) => {
    if (error instanceof ApiError && error.code === 'version_conflict') {
      modal.warning({
        title: t('conflict.title'),
        content: t('conflict.content'),
        okText: t('common.reload'),
        onOk: options.onReload,
      });
      return;
    }
    if (error instanceof ApiError && error.fieldErrors.length > 0 && options.form) {
      const known: NamePath[] =
        options.known ?? options.form.getFieldsError().map((f) => f.name as NamePath);
      const mapped = mapProblemToFields(error, t, i18n, { ...options, known });
      options.form.setFields(mapped.fields);
      // A long form: bring the first field in error into view.
      if (mapped.fields.length > 0) options.form.scrollToField(mapped.fields[0].name, { block: 'center' });
      const extra = mapped.unmatched.map((u) => `${u.field}: ${u.message}`).join('；');
      message.error(extra ? `${mapped.summary}（${extra}）` : mapped.summary);
      return;
    }
    message.error(translateError(error, t, i18n));
  };
}
