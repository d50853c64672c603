import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommittees } from '../../api/committee';
import { useAllPositions, useAllRoles, useAllUsers } from '../../api/queries';
import type { Assignee } from '../../api/workflow';
import { P } from '../../access/permissions';
import { useAccess } from '../../auth/hooks';

/**
 * "角色：风控专员", "职务：部门经理", "指定：张三、李四", "贷审会：总部贷审会": names where the user may read them, else
 * the kind of assignee (and how many people) without bare ids.
 */
export function useAssigneeLabel(): (a: Assignee) => string {
  const { t } = useTranslation();
  const { has } = useAccess();
  const roles = useAllRoles(has(P.roleRead));
  const positions = useAllPositions(has(P.positionRead));
  const users = useAllUsers(has(P.userRead));
  const committees = useCommittees(has(P.flowRead));
  return useCallback(
    (a: Assignee) => {
      if (a.kind === 'role') {
        const name = roles.data?.items.find((r) => r.id === a.roleId)?.name;
        return name ? t('flows.assigneeRole', { name }) : t(a.roleId ? 'flows.assigneeSomeRole' : 'flows.assigneeNone');
      }
      if (a.kind === 'position') {
        const name = positions.data?.items.find((p) => p.id === a.positionId)?.name;
        return name ? t('flows.assigneePosition', { name }) : t(a.positionId ? 'flows.assigneeSomePosition' : 'flows.assigneeNone');
      }
      if (a.kind === 'department_head') {
        const name = positions.data?.items.find((p) => p.id === a.positionId)?.name;
        return name ? t('flows.assigneeDepartmentHead', { name }) : t(a.positionId ? 'flows.assigneeSomeDepartmentHead' : 'flows.assigneeNone');
      }
      if (a.kind === 'committee') {
        const name = committees.data?.find((c) => c.id === a.committeeId)?.name;
        return name ? t('flows.assigneeCommitteeNamed', { name }) : t(a.committeeId ? 'flows.assigneeCommittee' : 'flows.assigneeNone');
      }
      if (a.userIds.length === 0) return t('flows.assigneeNone');
      const names = a.userIds.map((id) => users.data?.items.find((u) => u.id === id)?.displayName);
      // Without the right to list users, say how many people rather than show bare ids.
      return names.every(Boolean) ? t('flows.assigneeUsers', { names: names.join('、') }) : t('flows.assigneeSomeUsers', { count: a.userIds.length });
    },
    [t, roles.data, positions.data, users.data, committees.data],
  );
}
