import { TreeSelect } from 'antd';
import type { TreeSelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDepartmentTree, type DepartmentTree } from '../api/queries';

interface TreeOption {
  value: number;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

function toOptions(nodes: DepartmentTree[], exclude?: number, includeDisabled = false): TreeOption[] {
  return nodes
    .filter((n) => n.id !== exclude)
    .map((n) => ({
      value: n.id,
      title: n.status === 'disabled' ? `${n.name}（${n.code}）` : n.name,
      disabled: !includeDisabled && n.status === 'disabled',
      children: toOptions(n.children, exclude, includeDisabled),
    }));
}

type Props = Omit<TreeSelectProps, 'treeData'> & {
  /** A department (with its subtree) that may not be chosen, e.g. itself as its own parent. */
  exclude?: number;
  /** Lets disabled departments be chosen (for filters). */
  includeDisabled?: boolean;
};

/** Picks a department from the tree. */
export function DepartmentSelect({ exclude, includeDisabled, ...rest }: Props) {
  const { t } = useTranslation();
  const { data, isLoading } = useDepartmentTree();
  return (
    <TreeSelect
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear
      treeDefaultExpandAll
      loading={isLoading}
      placeholder={t('common.pleaseSelect')}
      treeData={toOptions(data ?? [], exclude, includeDisabled)}
      popupMatchSelectWidth={false}
      {...rest}
    />
  );
}
