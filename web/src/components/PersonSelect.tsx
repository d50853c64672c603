import { useEffect, useMemo, useRef, useState } from 'react';
import { Select } from 'antd';
import type { SelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { personLabel, usePeople } from '../api/people';

type Props = Omit<SelectProps<number>, 'options' | 'showSearch' | 'mode'> & {
  /** Only people whose roles grant this permission (e.g. `loan:investigate`). */
  permission?: string;
  /** People to leave out (e.g. oneself, the applicant). */
  exclude?: number[];
  /** The label of the current value, when it may not be among the first answers. */
  initialLabel?: string;
};

/**
 * Picks an active colleague through GET /people, which every signed-in user may call: the first
 * fifty at once, others by typing part of the name.
 */
export function PersonSelect({ permission, exclude = [], initialLabel, value, ...props }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(search), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const people = usePeople({ q, permission });
  // Names seen so far, so a chosen person keeps their label when the search changes.
  const seen = useRef(new Map<number, string>());
  const options = useMemo(() => {
    for (const p of people.data ?? []) seen.current.set(p.id, personLabel(p));
    const out = (people.data ?? []).filter((p) => !exclude.includes(p.id)).map((p) => ({ value: p.id, label: personLabel(p) }));
    if (value != null && !out.some((o) => o.value === value))
      out.unshift({ value, label: seen.current.get(value) ?? initialLabel ?? `#${value}` });
    return out;
  }, [people.data, exclude, value, initialLabel]);
  return (
    <Select<number>
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      placeholder={t('people.search')}
      loading={people.isFetching}
      notFoundContent={people.isFetching ? undefined : t('people.none')}
      options={options}
      value={value}
      onOpenChange={(open) => {
        if (!open) setSearch('');
      }}
      {...props}
    />
  );
}
