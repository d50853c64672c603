import { describe, expect, it } from 'vitest';
import { locate, MENU, permissionFor, visibleMenu } from './menu';
import { P } from './permissions';

const ALL = new Set<string>(Object.values(P));
const byKey = (nodes: ReturnType<typeof visibleMenu>, key: string) => nodes.find((n) => n.key === key);

describe('visibleMenu', () => {
  it('always shows the eight business areas to an administrator', () => {
    const nodes = visibleMenu(ALL);
    for (const key of ['org', 'customers', 'business', 'finance', 'funding', 'appraisal', 'collateral', 'postLoan']) {
      expect(byKey(nodes, key), key).toBeDefined();
    }
    expect(byKey(nodes, 'postLoan')!.disabled).toBe(false);
    expect(byKey(nodes, 'postLoan')!.path).toBeUndefined();
    expect(byKey(nodes, 'funding')!.disabled).toBe(false);
    expect(byKey(nodes, 'org')!.disabled).toBe(false);
    expect(byKey(nodes, 'customers')!.disabled).toBe(false);
  });

  it('shows the customer pages by their permissions', () => {
    const all = byKey(visibleMenu(ALL), 'customers')!;
    expect(all.children!.map((c) => c.key)).toEqual([
      'individuals', 'enterprises', 'prospects', 'blacklist', 'grades', 'transfer', 'riskRules',
    ]);
    expect(all.children!.every((c) => !c.disabled && c.path)).toBe(true);
    const manager = byKey(visibleMenu(new Set([P.customerRead, P.customerWrite])), 'customers')!;
    expect(manager.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual(['individuals', 'enterprises', 'prospects', 'grades']);
  });

  it('shows the appraisal pages to whoever may read vehicles', () => {
    const area = byKey(visibleMenu(new Set([P.vehicleRead])), 'appraisal')!;
    expect(area.disabled).toBe(false);
    expect(area.children!.map((c) => c.key)).toEqual(['vehicleAppraisal', 'appraisalQuery']);
    expect(byKey(visibleMenu(new Set([P.customerRead])), 'appraisal')).toBeUndefined();
    expect(permissionFor('/appraisal/query')).toBe(P.vehicleRead);
  });

  it('opens the vehicle area (车辆管理) at its mortgage query and GPS ledger for vehicle:read', () => {
    const area = byKey(visibleMenu(new Set([P.vehicleRead])), 'collateral')!;
    expect(area.disabled).toBe(false);
    expect(area.children!.map((c) => c.key)).toEqual(['collateralQuery', 'gpsLedger']);
    expect(area.children!.every((c) => !c.disabled && c.path)).toBe(true);
    expect(byKey(visibleMenu(new Set([P.customerRead])), 'collateral')).toBeUndefined();
    expect(permissionFor('/collateral/registrations')).toBe(P.vehicleRead);
    expect(permissionFor('/collateral/gps-devices')).toBe(P.vehicleRead);
  });

  it('shows every organisation page to an administrator', () => {
    const org = byKey(visibleMenu(ALL), 'org')!;
    expect(org.children!.map((c) => c.key)).toEqual(['users', 'departments', 'roles', 'positions', 'employees', 'audit']);
    expect(org.children!.every((c) => !c.disabled && c.path)).toBe(true);
  });

  it('hides pages the user lacks the permission for', () => {
    const org = byKey(visibleMenu(new Set([P.employeeRead, P.departmentRead])), 'org')!;
    expect(org.children!.map((c) => c.key)).toEqual(['departments', 'employees']);
  });

  it('hides a built area with no permitted page but keeps unbuilt areas visible', () => {
    const nodes = visibleMenu(new Set([P.calculatorUse]));
    expect(byKey(nodes, 'org')).toBeUndefined();
    expect(byKey(nodes, 'customers')).toBeUndefined();
    expect(byKey(nodes, 'finance')).toBeUndefined();
    expect(byKey(nodes, 'funding')).toBeUndefined();
    expect(byKey(nodes, 'postLoan')).toBeUndefined();
    const business = byKey(nodes, 'business')!;
    expect(business.children!.find((c) => c.key === 'calculator')!.disabled).toBe(false);
    expect(business.children!.filter((c) => c.disabled).length).toBeGreaterThan(0);
  });

  it('hides the business centre when even the calculator is not allowed', () => {
    const nodes = visibleMenu(new Set());
    expect(byKey(nodes, 'business')).toBeUndefined();
    expect(byKey(nodes, 'home')!.disabled).toBe(false);
    expect(nodes.filter((n) => n.disabled)).toHaveLength(0);
  });

  it('opens the post-loan warnings (贷后预警) and their rules for warning:read, the rest of the area still to come', () => {
    const area = byKey(visibleMenu(new Set([P.warningRead])), 'postLoan')!;
    expect(area.disabled).toBe(false);
    expect(area.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual(['warnings', 'warningRules']);
    expect(area.children!.filter((c) => c.disabled).map((c) => c.key)).toEqual(['inspections', 'classification', 'writeOff', 'collections']);
    expect(permissionFor('/post-loan/warnings')).toBe(P.warningRead);
    expect(permissionFor('/post-loan/warning-rules')).toBe(P.warningRead);
    // Handling or configuring alone opens nothing: the pages are read with warning:read.
    expect(byKey(visibleMenu(new Set([P.warningHandle, P.warningRuleWrite])), 'postLoan')).toBeUndefined();
  });

  it('opens the finance centre at its loan products for product:read', () => {
    const finance = byKey(visibleMenu(new Set([P.productRead])), 'finance')!;
    expect(finance.disabled).toBe(false);
    expect(finance.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual(['products']);
    expect(permissionFor('/finance/products')).toBe(P.productRead);
  });

  it('keeps the order of DESIGN.md §2, after the workbench and the inbox', () => {
    expect(MENU.map((a) => a.key)).toEqual([
      'home', 'tasks', 'org', 'customers', 'business', 'finance', 'funding', 'appraisal', 'collateral', 'postLoan',
    ]);
  });

  it('shows everyone their inbox, whatever their permissions', () => {
    const tasks = byKey(visibleMenu(new Set()), 'tasks')!;
    expect(tasks).toMatchObject({ path: '/tasks', disabled: false });
    expect(locate('/tasks/42').area?.key).toBe('tasks');
    expect(permissionFor('/tasks/42')).toBeUndefined();
  });

  it('opens loan applications under the business centre for loan:application:read', () => {
    const business = byKey(visibleMenu(new Set([P.loanApplicationRead])), 'business')!;
    expect(business.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual(['loanApplication']);
    expect(permissionFor('/business/loan-applications/7')).toBe(P.loanApplicationRead);
    // An investigator or reviewer without it reaches applications through their tasks only.
    expect(byKey(visibleMenu(new Set([P.loanInvestigate])), 'business')).toBeUndefined();
  });

  it('opens the approval flows in the finance centre for flow:read', () => {
    const finance = byKey(visibleMenu(new Set([P.flowRead])), 'finance')!;
    expect(finance.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual(['approvalFlows']);
    expect(locate('/finance/approval-flows/loan_application').page?.key).toBe('approvalFlows');
  });

  it('opens credit lines and contract signing under the business centre by their permissions', () => {
    const business = byKey(visibleMenu(new Set([P.creditLineRead, P.contractRead])), 'business')!;
    expect(business.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual(['creditLine', 'contracts']);
    expect(permissionFor('/business/credit-lines/3')).toBe(P.creditLineRead);
    expect(permissionFor('/business/contracts/9')).toBe(P.contractRead);
    // Credit lines come before the loan applications that draw on them.
    const all = byKey(visibleMenu(ALL), 'business')!.children!.map((c) => c.key);
    expect(all.indexOf('creditLine')).toBeLessThan(all.indexOf('loanApplication'));
  });

  it('opens the review committee to whoever manages it; meetings sit under everyone’s inbox', () => {
    const finance = byKey(visibleMenu(new Set([P.committeeManage])), 'finance')!;
    expect(finance.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual(['committee']);
    expect(permissionFor('/finance/committees')).toBe(P.committeeManage);
    expect(byKey(visibleMenu(new Set([P.flowRead])), 'finance')!.children!.find((c) => c.key === 'committee')).toBeUndefined();
    expect(locate('/tasks/meetings/4').area?.key).toBe('tasks');
    expect(permissionFor('/tasks/meetings/4')).toBeUndefined();
  });
});

describe('the money pages (放款管理)', () => {
  it('shows the inbox and the ledgers of money to whoever may read loans, the books to ledger:read', () => {
    const cashier = byKey(visibleMenu(new Set([P.loanRead, P.disbursementRegister, P.repaymentRegister])), 'funding')!;
    expect(cashier.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual([
      'financeInbox', 'disbursements', 'repayments', 'extensions', 'booksFees', 'booksReversals',
    ]);
    const accountant = byKey(visibleMenu(new Set([P.loanRead, P.ledgerRead])), 'funding')!;
    expect(accountant.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual([
      'financeInbox', 'disbursements', 'repayments', 'extensions', 'vouchers', 'trialBalance', 'chartOfAccounts', 'periodClose', 'statements',
      'booksFees', 'booksReversals', 'booksVoucherReview', 'booksCashJournal',
    ]);
    // The books alone, without loans: the ledger pages only.
    const bookkeeper = byKey(visibleMenu(new Set([P.ledgerRead])), 'funding')!;
    expect(bookkeeper.children!.map((c) => c.key)).toEqual([
      'vouchers', 'trialBalance', 'chartOfAccounts', 'periodClose', 'statements', 'booksVoucherReview', 'booksCashJournal',
    ]);
    // Writing a manual voucher takes its own permission.
    const clerk = byKey(visibleMenu(new Set([P.ledgerRead, 'ledger:voucher:write'])), 'funding')!;
    expect(clerk.children!.map((c) => c.key)).toContain('booksManualVoucher');
  });

  it('hides the area from people who move no money and read no books', () => {
    expect(byKey(visibleMenu(new Set([P.customerRead])), 'funding')).toBeUndefined();
    // The checkers' permissions alone open nothing: the queue is read with loan:read.
    expect(byKey(visibleMenu(new Set([P.disbursementReview])), 'funding')).toBeUndefined();
  });

  it('puts the loan ledger in the finance centre, and knows the pages below each list', () => {
    const finance = byKey(visibleMenu(new Set([P.loanRead])), 'finance')!;
    expect(finance.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual(['loans', 'booksClassificationRequests', 'booksProvisions']);
    expect(permissionFor('/finance/loans/3')).toBe(P.loanRead);
    expect(locate('/money/disbursements/7').page?.key).toBe('disbursements');
    expect(locate('/money/vouchers/12').page?.key).toBe('vouchers');
    expect(permissionFor('/money/trial-balance')).toBe(P.ledgerRead);
    expect(permissionFor('/money/accounts')).toBe(P.ledgerRead);
    expect(permissionFor('/money/periods')).toBe(P.ledgerRead);
    expect(permissionFor('/money/statements')).toBe(P.ledgerRead);
  });

  it('puts the daily close (日终管理) in the finance centre, after the loan ledger, for close:read', () => {
    const finance = byKey(visibleMenu(new Set([P.loanRead, 'close:read'])), 'finance')!;
    expect(finance.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual(['loans', 'booksClose', 'booksClassificationRequests', 'booksProvisions']);
    expect(byKey(visibleMenu(new Set(['close:read'])), 'finance')!.children!.find((c) => c.key === 'booksClose')?.path).toBe('/finance/close');
    expect(permissionFor('/finance/close')).toBe('close:read');
    expect(byKey(visibleMenu(new Set([P.loanRead])), 'finance')!.children!.find((c) => c.key === 'booksClose')).toBeUndefined();
  });

  it('puts 消息发件箱 after the daily close and 日均余额与资产质量 after the provisions, each for its own permission', () => {
    const finance = byKey(visibleMenu(new Set([P.loanRead, 'close:read', 'outbox:read', 'report:portfolio:read'])), 'finance')!;
    expect(finance.children!.filter((c) => !c.disabled).map((c) => c.key)).toEqual([
      'loans',
      'booksClose',
      'booksOutbox',
      'booksClassificationRequests',
      'booksProvisions',
      'booksBalanceReports',
    ]);
    expect(permissionFor('/finance/outbox')).toBe('outbox:read');
    expect(permissionFor('/finance/balance-reports')).toBe('report:portfolio:read');
    expect(byKey(visibleMenu(new Set(['outbox:read'])), 'finance')!.children!.find((c) => c.key === 'booksBalanceReports')).toBeUndefined();
  });

  it('puts 五级分类审核 and 贷款损失准备 in the finance centre after the daily close, for loan:read', () => {
    expect(permissionFor('/finance/classification-requests')).toBe(P.loanRead);
    expect(permissionFor('/finance/provisions')).toBe(P.loanRead);
    expect(byKey(visibleMenu(new Set(['close:read'])), 'finance')!.children!.find((c) => c.key === 'booksProvisions')).toBeUndefined();
  });
});

describe('locate / permissionFor', () => {
  it('finds the area and page of a path', () => {
    const { area, page } = locate('/org/users');
    expect(area?.key).toBe('org');
    expect(page?.key).toBe('users');
    expect(permissionFor('/org/audit-logs')).toBe(P.auditRead);
    expect(permissionFor('/business/calculator')).toBe(P.calculatorUse);
    expect(locate('/customers/individuals/12').page?.key).toBe('individuals');
    expect(permissionFor('/customers/blacklist')).toBe(P.blacklistRead);
    expect(permissionFor('/')).toBeUndefined();
  });
});
