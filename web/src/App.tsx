import { lazy, Suspense, useEffect } from 'react';
import { App as AntdApp, ConfigProvider, Spin, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api/errors';
import { AppLayout } from './layout/AppLayout';
import { RequireAuth, RequirePermission } from './auth/guards';
import { P } from './access/permissions';
import { LoginPage } from './pages/auth/LoginPage';
import { ChangePasswordPage } from './pages/auth/ChangePasswordPage';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/ErrorPages';
import { BOOKS_ROUTES } from './pages/books/routes';

const UsersPage = lazy(() => import('./pages/org/users/UsersPage'));
const DepartmentsPage = lazy(() => import('./pages/org/departments/DepartmentsPage'));
const RolesPage = lazy(() => import('./pages/org/roles/RolesPage'));
const PositionsPage = lazy(() => import('./pages/org/positions/PositionsPage'));
const EmployeesPage = lazy(() => import('./pages/org/employees/EmployeesPage'));
const AuditLogPage = lazy(() => import('./pages/org/audit/AuditLogPage'));
const CalculatorPage = lazy(() => import('./pages/business/calculator/CalculatorPage'));
const CustomersPage = lazy(() => import('./pages/customers/list/CustomersPage'));
const CustomerDetailPage = lazy(() => import('./pages/customers/detail/CustomerDetailPage'));
const IndividualFormPage = lazy(() => import('./pages/customers/form/IndividualFormPage'));
const EnterpriseFormPage = lazy(() => import('./pages/customers/form/EnterpriseFormPage'));
const BlacklistPage = lazy(() => import('./pages/customers/blacklist/BlacklistPage'));
const GradesPage = lazy(() => import('./pages/customers/grades/GradesPage'));
const ProspectsPage = lazy(() => import('./pages/customers/prospects/ProspectsPage'));
const TransferPage = lazy(() => import('./pages/customers/transfer/TransferPage'));
const RiskRulesPage = lazy(() => import('./pages/customers/risk/RiskRulesPage'));
const VehiclesPage = lazy(() => import('./pages/appraisal/vehicles/VehiclesPage'));
const ProductsPage = lazy(() => import('./pages/finance/products/ProductsPage'));
const AppraisalQueryPage = lazy(() => import('./pages/appraisal/query/AppraisalQueryPage'));
const ApplicationsPage = lazy(() => import('./pages/business/applications/ApplicationsPage'));
const ApplicationFormPage = lazy(() => import('./pages/business/applications/ApplicationFormPage'));
const ApplicationDetailPage = lazy(() => import('./pages/business/applications/ApplicationDetailPage'));
const TasksPage = lazy(() => import('./pages/tasks/TasksPage'));
const TaskPage = lazy(() => import('./pages/tasks/TaskPage'));
const FlowsPage = lazy(() => import('./pages/finance/flows/FlowsPage'));
const FlowEditorPage = lazy(() => import('./pages/finance/flows/FlowEditorPage'));
const CommitteesPage = lazy(() => import('./pages/finance/committees/CommitteesPage'));
const MeetingPage = lazy(() => import('./pages/tasks/MeetingPage'));
const ContractsPage = lazy(() => import('./pages/business/contracts/ContractsPage'));
const ContractPage = lazy(() => import('./pages/business/contracts/ContractPage'));
const CreditLinesPage = lazy(() => import('./pages/business/creditLines/CreditLinesPage'));
const CreditLineFormPage = lazy(() => import('./pages/business/creditLines/CreditLineFormPage'));
const CreditLineDetailPage = lazy(() => import('./pages/business/creditLines/CreditLineDetailPage'));
const RegistrationsPage = lazy(() => import('./pages/collateral/RegistrationsPage'));
const GpsLedgerPage = lazy(() => import('./pages/collateral/GpsLedgerPage'));
const FinanceInboxPage = lazy(() => import('./pages/money/inbox/FinanceInboxPage'));
const DisbursementsPage = lazy(() => import('./pages/money/disbursements/DisbursementsPage'));
const DisbursementFormPage = lazy(() => import('./pages/money/disbursements/DisbursementFormPage'));
const DisbursementDetailPage = lazy(() => import('./pages/money/disbursements/DisbursementDetailPage'));
const RepaymentsPage = lazy(() => import('./pages/money/repayments/RepaymentsPage'));
const ExtensionsPage = lazy(() => import('./pages/money/extensions/ExtensionsPage'));
const RepaymentDetailPage = lazy(() => import('./pages/money/repayments/RepaymentDetailPage'));
const LoansPage = lazy(() => import('./pages/money/loans/LoansPage'));
const LoanDetailPage = lazy(() => import('./pages/money/loans/LoanDetailPage'));
const VouchersPage = lazy(() => import('./pages/money/vouchers/VouchersPage'));
const VoucherPage = lazy(() => import('./pages/money/vouchers/VoucherPage'));
const TrialBalancePage = lazy(() => import('./pages/money/ledger/TrialBalancePage'));
const AccountsPage = lazy(() => import('./pages/money/ledger/AccountsPage'));
const PeriodsPage = lazy(() => import('./pages/money/ledger/PeriodsPage'));
const StatementsPage = lazy(() => import('./pages/money/ledger/StatementsPage'));
const WarningsPage = lazy(() => import('./pages/postLoan/WarningsPage'));
const WarningRulesPage = lazy(() => import('./pages/postLoan/WarningRulesPage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; only network and server errors are retried.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

const Loading = () => (
  <div className="page-loading">
    <Spin />
  </div>
);

/** A page every signed-in user may open (it shows only what is theirs). */
function open(element: React.ReactNode) {
  return <Suspense fallback={<Loading />}>{element}</Suspense>;
}

function guarded(permission: string, element: React.ReactNode) {
  return (
    <RequirePermission permission={permission}>
      <Suspense fallback={<Loading />}>{element}</Suspense>
    </RequirePermission>
  );
}

export function App() {
  const { i18n } = useTranslation();
  const zh = i18n.language !== 'en-US';

  useEffect(() => {
    dayjs.locale(zh ? 'zh-cn' : 'en');
    document.documentElement.lang = i18n.language;
  }, [zh, i18n.language]);

  return (
    <ConfigProvider
      locale={zh ? zhCN : enUS}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { colorPrimary: '#1d5bd6', borderRadius: 6, fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif" },
      }}
    >
      <AntdApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route
                path="/change-password"
                element={
                  <RequireAuth allowPasswordChange>
                    <ChangePasswordPage />
                  </RequireAuth>
                }
              />
              <Route
                element={
                  <RequireAuth>
                    <AppLayout />
                  </RequireAuth>
                }
              >
                <Route index element={<HomePage />} />
                <Route path="org/users" element={guarded(P.userRead, <UsersPage />)} />
                <Route path="org/departments" element={guarded(P.departmentRead, <DepartmentsPage />)} />
                <Route path="org/roles" element={guarded(P.roleRead, <RolesPage />)} />
                <Route path="org/positions" element={guarded(P.positionRead, <PositionsPage />)} />
                <Route path="org/employees" element={guarded(P.employeeRead, <EmployeesPage />)} />
                <Route path="org/audit-logs" element={guarded(P.auditRead, <AuditLogPage />)} />
                <Route path="business/calculator" element={guarded(P.calculatorUse, <CalculatorPage />)} />
                <Route path="business/loan-applications" element={guarded(P.loanApplicationRead, <ApplicationsPage />)} />
                <Route path="business/loan-applications/new" element={guarded(P.loanApplicationWrite, <ApplicationFormPage />)} />
                <Route path="business/loan-applications/:id" element={guarded(P.loanApplicationRead, <ApplicationDetailPage />)} />
                <Route path="business/loan-applications/:id/edit" element={guarded(P.loanApplicationWrite, <ApplicationFormPage />)} />
                <Route path="business/credit-lines" element={guarded(P.creditLineRead, <CreditLinesPage />)} />
                <Route path="business/credit-lines/new" element={guarded(P.creditLineWrite, <CreditLineFormPage />)} />
                <Route path="business/credit-lines/:id" element={open(<CreditLineDetailPage />)} />
                <Route path="business/credit-lines/:id/edit" element={guarded(P.creditLineWrite, <CreditLineFormPage />)} />
                <Route path="business/contracts" element={guarded(P.contractRead, <ContractsPage />)} />
                <Route path="business/contracts/:id" element={guarded(P.contractRead, <ContractPage />)} />
                <Route path="tasks" element={open(<TasksPage />)} />
                <Route path="tasks/meetings/:id" element={open(<MeetingPage />)} />
                <Route path="tasks/:id" element={open(<TaskPage />)} />
                <Route path="customers/individuals" element={guarded(P.customerRead, <CustomersPage kind="individual" />)} />
                <Route path="customers/individuals/new" element={guarded(P.customerWrite, <IndividualFormPage />)} />
                <Route path="customers/individuals/:id" element={guarded(P.customerRead, <CustomerDetailPage />)} />
                <Route path="customers/individuals/:id/edit" element={guarded(P.customerWrite, <IndividualFormPage />)} />
                <Route path="customers/enterprises" element={guarded(P.customerRead, <CustomersPage kind="enterprise" />)} />
                <Route path="customers/enterprises/new" element={guarded(P.customerWrite, <EnterpriseFormPage />)} />
                <Route path="customers/enterprises/:id" element={guarded(P.customerRead, <CustomerDetailPage />)} />
                <Route path="customers/enterprises/:id/edit" element={guarded(P.customerWrite, <EnterpriseFormPage />)} />
                <Route path="customers/blacklist" element={guarded(P.blacklistRead, <BlacklistPage />)} />
                <Route path="customers/grades" element={guarded(P.customerRead, <GradesPage />)} />
                <Route path="customers/prospects" element={guarded(P.customerRead, <ProspectsPage />)} />
                <Route path="customers/transfer" element={guarded(P.customerTransfer, <TransferPage />)} />
                <Route path="customers/risk-rules" element={guarded(P.riskRuleRead, <RiskRulesPage />)} />
                <Route path="finance/products" element={guarded(P.productRead, <ProductsPage />)} />
                <Route path="finance/approval-flows" element={guarded(P.flowRead, <FlowsPage />)} />
                <Route path="finance/approval-flows/:businessType" element={guarded(P.flowRead, <FlowEditorPage />)} />
                <Route path="finance/committees" element={guarded(P.committeeManage, <CommitteesPage />)} />
                <Route path="finance/loans" element={guarded(P.loanRead, <LoansPage />)} />
                <Route path="finance/loans/:id" element={guarded(P.loanRead, <LoanDetailPage />)} />
                <Route path="finance" element={<Navigate to="/finance/products" replace />} />
                <Route path="money/inbox" element={guarded(P.loanRead, <FinanceInboxPage />)} />
                <Route path="money/disbursements" element={guarded(P.loanRead, <DisbursementsPage />)} />
                <Route path="money/disbursements/new" element={guarded(P.disbursementRegister, <DisbursementFormPage />)} />
                <Route path="money/disbursements/:id" element={guarded(P.loanRead, <DisbursementDetailPage />)} />
                <Route path="money/repayments" element={guarded(P.loanRead, <RepaymentsPage />)} />
                <Route path="money/extensions" element={guarded(P.loanRead, <ExtensionsPage />)} />
                <Route path="money/repayments/:id" element={guarded(P.loanRead, <RepaymentDetailPage />)} />
                <Route path="money/vouchers" element={guarded(P.ledgerRead, <VouchersPage />)} />
                <Route path="money/vouchers/:id" element={guarded(P.ledgerRead, <VoucherPage />)} />
                <Route path="money/trial-balance" element={guarded(P.ledgerRead, <TrialBalancePage />)} />
                <Route path="money/accounts" element={guarded(P.ledgerRead, <AccountsPage />)} />
                <Route path="money/periods" element={guarded(P.ledgerRead, <PeriodsPage />)} />
                <Route path="money/statements" element={guarded(P.ledgerRead, <StatementsPage />)} />
                <Route path="money" element={<Navigate to="/money/inbox" replace />} />
                {BOOKS_ROUTES.map((r) => (
                  <Route key={r.path} path={r.path} element={guarded(r.permission, r.element)} />
                ))}
                <Route path="appraisal/vehicles" element={guarded(P.vehicleRead, <VehiclesPage />)} />
                <Route path="collateral/registrations" element={guarded(P.vehicleRead, <RegistrationsPage />)} />
                <Route path="collateral/gps-devices" element={guarded(P.vehicleRead, <GpsLedgerPage />)} />
                <Route path="appraisal/query" element={guarded(P.vehicleRead, <AppraisalQueryPage />)} />
                <Route path="post-loan/warnings" element={guarded(P.warningRead, <WarningsPage />)} />
                <Route path="post-loan/warning-rules" element={guarded(P.warningRead, <WarningRulesPage />)} />
                <Route path="post-loan" element={<Navigate to="/post-loan/warnings" replace />} />
                <Route path="appraisal" element={<Navigate to="/appraisal/vehicles" replace />} />
                <Route path="customers" element={<Navigate to="/customers/individuals" replace />} />
                <Route path="org" element={<Navigate to="/org/users" replace />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </QueryClientProvider>
      </AntdApp>
    </ConfigProvider>
  );
}
