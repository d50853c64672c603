import { Table } from 'antd';
import type { TableProps } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * An antd Table that scrolls sideways inside its own box, so a wide table never makes the page
 * wider than a phone screen.
 */
export function DataTable<T extends object>(props: TableProps<T>) {
  const { t } = useTranslation();
  const pagination =
    props.pagination === false
      ? false
      : {
          showSizeChanger: true,
          showTotal: (total: number) => t('common.total', { total }),
          size: 'small' as const,
          ...props.pagination,
        };
  return (
    <div className="table-scroll">
      <Table<T> size="middle" scroll={{ x: 'max-content' }} {...props} pagination={pagination} />
    </div>
  );
}
