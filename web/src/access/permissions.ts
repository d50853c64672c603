/** Permission codes of the server's catalogue that the SPA checks. */
export const P = {
  departmentRead: 'org:department:read',
  departmentWrite: 'org:department:write',
  userRead: 'org:user:read',
  userWrite: 'org:user:write',
  roleRead: 'org:role:read',
  roleWrite: 'org:role:write',
  positionRead: 'org:position:read',
  positionWrite: 'org:position:write',
  employeeRead: 'org:employee:read',
  employeeWrite: 'org:employee:write',
  auditRead: 'audit:read',
  calculatorUse: 'calculator:use',
  customerRead: 'customer:read',
  customerWrite: 'customer:write',
  customerPiiView: 'customer:pii:view',
  customerTransfer: 'customer:transfer',
  customerGradeWrite: 'customer:grade:write',
  blacklistRead: 'blacklist:read',
  blacklistWrite: 'blacklist:write',
  riskRuleRead: 'risk:rule:read',
  riskRuleWrite: 'risk:rule:write',
  riskScreen: 'risk:screen',
} as const;

export type PermissionCode = (typeof P)[keyof typeof P];
