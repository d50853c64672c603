import { P } from './permissions';
import { booksMenuPages } from '../pages/books/menu';

// The navigation model, kept apart from React so its rules are unit-tested: the eight business
// areas of DESIGN.md §2 always show; an area or page not built yet shows greyed out ("coming
// soon"); a built page the user lacks the permission for is hidden, and so is a built area
// left with no visible page.

export interface MenuPage {
  key: string;
  /** i18n key of the label. */
  label: string;
  path?: string;
  /** Required permission; absent means every signed-in user. */
  permission?: string;
  /** False for pages not built yet: shown, greyed out, not clickable. */
  built?: boolean;
}

export interface MenuArea {
  key: string;
  label: string;
  icon: string;
  /** An area with a path is a single top-level page. */
  path?: string;
  permission?: string;
  built?: boolean;
  children?: MenuPage[];
}

export const MENU: MenuArea[] = [
  { key: 'home', label: 'menu.home', icon: 'home', path: '/', built: true },
  // Everyone's inbox (我的待办): each user sees the tasks waiting for them, whatever their roles.
  { key: 'tasks', label: 'menu.tasks', icon: 'tasks', path: '/tasks', built: true },
  {
    key: 'org',
    label: 'menu.org',
    icon: 'org',
    built: true,
    children: [
      { key: 'users', label: 'menu.users', path: '/org/users', permission: P.userRead, built: true },
      { key: 'departments', label: 'menu.departments', path: '/org/departments', permission: P.departmentRead, built: true },
      { key: 'roles', label: 'menu.roles', path: '/org/roles', permission: P.roleRead, built: true },
      { key: 'positions', label: 'menu.positions', path: '/org/positions', permission: P.positionRead, built: true },
      { key: 'employees', label: 'menu.employees', path: '/org/employees', permission: P.employeeRead, built: true },
      { key: 'audit', label: 'menu.audit', path: '/org/audit-logs', permission: P.auditRead, built: true },
    ],
  },
  {
    key: 'customers',
    label: 'menu.customers',
    icon: 'customers',
    built: true,
    children: [
      { key: 'individuals', label: 'menu.individuals', path: '/customers/individuals', permission: P.customerRead, built: true },
      { key: 'enterprises', label: 'menu.enterprises', path: '/customers/enterprises', permission: P.customerRead, built: true },
      { key: 'prospects', label: 'menu.prospects', path: '/customers/prospects', permission: P.customerRead, built: true },
      { key: 'blacklist', label: 'menu.blacklist', path: '/customers/blacklist', permission: P.blacklistRead, built: true },
      { key: 'grades', label: 'menu.grades', path: '/customers/grades', permission: P.customerRead, built: true },
      { key: 'transfer', label: 'menu.transfer', path: '/customers/transfer', permission: P.customerTransfer, built: true },
      { key: 'riskRules', label: 'menu.riskRules', path: '/customers/risk-rules', permission: P.riskRuleRead, built: true },
    ],
  },
  {
    key: 'business',
    label: 'menu.business',
    icon: 'business',
    built: true,
    children: [
      { key: 'calculator', label: 'menu.calculator', path: '/business/calculator', permission: P.calculatorUse, built: true },
      { key: 'creditLine', label: 'menu.creditLine', path: '/business/credit-lines', permission: P.creditLineRead, built: true },
      { key: 'loanApplication', label: 'menu.loanApplication', path: '/business/loan-applications', permission: P.loanApplicationRead, built: true },
      { key: 'contracts', label: 'menu.contracts', path: '/business/contracts', permission: P.contractRead, built: true },
      { key: 'extension', label: 'menu.extension', built: false },
      { key: 'prepayment', label: 'menu.prepayment', built: false },
    ],
  },
  {
    key: 'finance',
    label: 'menu.finance',
    icon: 'finance',
    built: true,
    children: [
      // 业务台账: the loans with their balances and the overdue ones (逾期台账).
      { key: 'loans', label: 'menu.loans', path: '/finance/loans', permission: P.loanRead, built: true },
      // 日终管理: the daily close, its live progress and its runs (src/pages/books/close).
      ...booksMenuPages('finance'),
      { key: 'financeReports', label: 'menu.financeReports', built: false },
      { key: 'products', label: 'menu.products', path: '/finance/products', permission: P.productRead, built: true },
      { key: 'approvalFlows', label: 'menu.approvalFlows', path: '/finance/approval-flows', permission: P.flowRead, built: true },
      { key: 'committee', label: 'menu.committee', path: '/finance/committees', permission: P.committeeManage, built: true },
    ],
  },
  {
    // 放款管理: money movement with a second person's check, and the books it posts to.
    key: 'funding',
    label: 'menu.funding',
    icon: 'funding',
    built: true,
    children: [
      { key: 'financeInbox', label: 'menu.financeInbox', path: '/money/inbox', permission: P.loanRead, built: true },
      { key: 'disbursements', label: 'menu.disbursements', path: '/money/disbursements', permission: P.loanRead, built: true },
      { key: 'repayments', label: 'menu.repayments', path: '/money/repayments', permission: P.loanRead, built: true },
      { key: 'extensions', label: 'menu.extensions', path: '/money/extensions', permission: P.loanRead, built: true },
      { key: 'vouchers', label: 'menu.vouchers', path: '/money/vouchers', permission: P.ledgerRead, built: true },
      { key: 'trialBalance', label: 'menu.trialBalance', path: '/money/trial-balance', permission: P.ledgerRead, built: true },
      { key: 'chartOfAccounts', label: 'menu.chartOfAccounts', path: '/money/accounts', permission: P.ledgerRead, built: true },
      { key: 'periodClose', label: 'menu.periodClose', path: '/money/periods', permission: P.ledgerRead, built: true },
      { key: 'statements', label: 'menu.statements', path: '/money/statements', permission: P.ledgerRead, built: true },
      ...booksMenuPages(),
    ],
  },
  {
    key: 'appraisal',
    label: 'menu.appraisal',
    icon: 'appraisal',
    built: true,
    children: [
      { key: 'vehicleAppraisal', label: 'menu.vehicleAppraisal', path: '/appraisal/vehicles', permission: P.vehicleRead, built: true },
      { key: 'appraisalQuery', label: 'menu.appraisalQuery', path: '/appraisal/query', permission: P.vehicleRead, built: true },
    ],
  },
  {
    key: 'collateral',
    label: 'menu.collateral',
    icon: 'collateral',
    built: true,
    children: [
      { key: 'collateralQuery', label: 'menu.collateralQuery', path: '/collateral/registrations', permission: P.vehicleRead, built: true },
      { key: 'gpsLedger', label: 'menu.gpsLedger', path: '/collateral/gps-devices', permission: P.vehicleRead, built: true },
    ],
  },
  {
    // 贷后管理: warnings and their handling so far; inspections, classification, write-off and
    // collections come next.
    key: 'postLoan',
    label: 'menu.postLoan',
    icon: 'postLoan',
    built: true,
    children: [
      { key: 'inspections', label: 'menu.inspections', built: false },
      { key: 'warnings', label: 'menu.warnings', path: '/post-loan/warnings', permission: P.warningRead, built: true },
      { key: 'warningRules', label: 'menu.warningRules', path: '/post-loan/warning-rules', permission: P.warningRead, built: true },
      { key: 'classification', label: 'menu.classification', built: false },
      { key: 'writeOff', label: 'menu.writeOff', built: false },
      { key: 'collections', label: 'menu.collections', built: false },
    ],
  },
];

export interface VisibleNode {
  key: string;
  label: string;
  icon?: string;
  path?: string;
  disabled: boolean;
  children?: VisibleNode[];
}

const allowed = (permission: string | undefined, granted: ReadonlySet<string>) =>
  permission === undefined || granted.has(permission);

/** The menu as a user with these permissions sees it. */
export function visibleMenu(granted: ReadonlySet<string>, menu: MenuArea[] = MENU): VisibleNode[] {
  const out: VisibleNode[] = [];
  for (const area of menu) {
    if (!area.built) {
      out.push({ key: area.key, label: area.label, icon: area.icon, disabled: true });
      continue;
    }
    if (!allowed(area.permission, granted)) continue;
    if (!area.children) {
      out.push({ key: area.key, label: area.label, icon: area.icon, path: area.path, disabled: false });
      continue;
    }
    const children: VisibleNode[] = [];
    for (const page of area.children) {
      if (!page.built) children.push({ key: page.key, label: page.label, disabled: true });
      else if (allowed(page.permission, granted))
        children.push({ key: page.key, label: page.label, path: page.path, disabled: false });
    }
    // A built area whose every built page is hidden says nothing useful: hide it whole.
    if (!children.some((c) => !c.disabled)) continue;
    out.push({ key: area.key, label: area.label, icon: area.icon, disabled: false, children });
  }
  return out;
}

/** The area and page a path belongs to, for the breadcrumb and the selected menu item. */
export function locate(pathname: string, menu: MenuArea[] = MENU): { area?: MenuArea; page?: MenuPage } {
  for (const area of menu) {
    if (area.path && (area.path === pathname || (area.path !== '/' && pathname.startsWith(area.path + '/')))) return { area };
    for (const page of area.children ?? []) {
      if (page.path && (pathname === page.path || pathname.startsWith(page.path + '/'))) return { area, page };
    }
  }
  return {};
}

/** The permission a path needs, if it is a menu page. */
export function permissionFor(pathname: string): string | undefined {
  const { area, page } = locate(pathname);
  return page?.permission ?? area?.permission;
}
