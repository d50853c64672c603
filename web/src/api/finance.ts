import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { paths } from './schema';

// Money movement and the books (放款管理): disbursements and repayments with their maker and
// checker, loans and their sub-ledger, vouchers, the trial balance, the chart of accounts, the
// business date and the reconciliation. Record types taken from the answers of the paths.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Disbursement = JsonOk<paths['/api/v1/disbursements/{id}']['get']>;
export type DisbursementStatus = Disbursement['status'];
export type DisbursementQuery = NonNullable<paths['/api/v1/disbursements']['get']['parameters']['query']>;
export type RegisterDisbursement = JsonBody<paths['/api/v1/disbursements']['post']>;
export type CheckInput = JsonBody<paths['/api/v1/disbursements/{id}/review']['post']>;
export type CheckDecision = CheckInput['decision'];

export type Repayment = JsonOk<paths['/api/v1/repayments/{id}']['get']>;
export type RepaymentStatus = Repayment['status'];
export type RepaymentChannel = Repayment['channel'];
export type RepaymentQuery = NonNullable<paths['/api/v1/repayments']['get']['parameters']['query']>;
export type RegisterRepayment = JsonBody<paths['/api/v1/repayments']['post']>;
export type PaymentOutcome = NonNullable<Repayment['allocation']>;
export type AppliedLine = PaymentOutcome['lines'][number];
export type AllocationComponent = AppliedLine['component'];

export type LoanDetail = JsonOk<paths['/api/v1/loans/{id}']['get']>;
export type Loan = LoanDetail['loan'];
export type LoanStatus = Loan['status'];
export type LoanQuery = NonNullable<paths['/api/v1/loans']['get']['parameters']['query']>;
export type LoanInstallment = LoanDetail['installments'][number];
export type InstallmentStatus = LoanInstallment['status'];

export type Voucher = JsonOk<paths['/api/v1/vouchers/{id}']['get']>;
export type VoucherLine = Voucher['lines'][number];
export type VoucherStatus = Voucher['status'];
export type VoucherQuery = NonNullable<paths['/api/v1/vouchers']['get']['parameters']['query']>;

export type TrialBalance = JsonOk<paths['/api/v1/trial-balance']['get']>;
export type TrialBalanceRow = TrialBalance['rows'][number];
export type Reconciliation = JsonOk<paths['/api/v1/reconciliation']['get']>;
export type ReconciliationCheck = Reconciliation['checks'][number];

export type Account = JsonOk<paths['/api/v1/accounts']['get']>[number];
export type AccountCategory = Account['category'];
export type NewSubAccount = JsonBody<paths['/api/v1/accounts']['post']>;
export type AccountUpdate = JsonBody<paths['/api/v1/accounts/{code}']['put']>;
export type AdvanceInput = JsonBody<paths['/api/v1/business-date/advance']['post']>;

export type Period = JsonOk<paths['/api/v1/periods']['get']>[number];
export type CloseCheck = JsonOk<paths['/api/v1/periods/{period}/close-checks']['get']>[number];
export type CloseReport = JsonOk<paths['/api/v1/periods/{period}/close']['post']>;
export type BalanceSheet = JsonOk<paths['/api/v1/balance-sheet']['get']>;
export type StatementLine = BalanceSheet['assets'][number];
export type IncomeStatement = JsonOk<paths['/api/v1/income-statement']['get']>;
export type IncomeLine = IncomeStatement['lines'][number];

export const DISBURSEMENT_STATUSES: DisbursementStatus[] = ['registered', 'approved', 'rejected'];
export const REPAYMENT_STATUSES: RepaymentStatus[] = ['registered', 'confirmed', 'rejected', 'reversed'];
export const REPAYMENT_CHANNELS: RepaymentChannel[] = ['bank_transfer', 'cash', 'channel'];
export const LOAN_STATUSES: LoanStatus[] = ['active', 'settled'];
export const VOUCHER_SOURCES = ['disbursement', 'repayment', 'period_close', 'year_end', 'manual'] as const;

export const financeKeys = {
  all: ['finance'] as const,
  businessDate: ['finance', 'business-date'] as const,
  accounts: ['finance', 'accounts'] as const,
  disbursement: (id: number) => ['finance', 'disbursements', 'one', id] as const,
  repayment: (id: number) => ['finance', 'repayments', 'one', id] as const,
  loan: (id: number) => ['finance', 'loans', 'one', id] as const,
  voucher: (id: number) => ['finance', 'vouchers', 'one', id] as const,
};

const valid = (id: number) => Number.isFinite(id) && id > 0;

/** The business date (营业日期) loans live on; any signed-in user may read it. */
export function useBusinessDate(enabled = true) {
  return useQuery({
    queryKey: financeKeys.businessDate,
    queryFn: async () => (await unwrap(api.GET('/api/v1/business-date'))).today,
    enabled,
    staleTime: 60_000,
  });
}

/** The chart of accounts in code order (needs `ledger:read`). */
export function useAccounts(enabled = true) {
  return useQuery({
    queryKey: financeKeys.accounts,
    queryFn: () => unwrap(api.GET('/api/v1/accounts')),
    enabled,
    staleTime: 60_000,
  });
}

export function useDisbursement(id: number) {
  return useQuery({
    queryKey: financeKeys.disbursement(id),
    queryFn: () => unwrap(api.GET('/api/v1/disbursements/{id}', { params: { path: { id } } })),
    enabled: valid(id),
  });
}

export function useRepayment(id: number) {
  return useQuery({
    queryKey: financeKeys.repayment(id),
    queryFn: () => unwrap(api.GET('/api/v1/repayments/{id}', { params: { path: { id } } })),
    enabled: valid(id),
  });
}

export function useLoan(id: number, enabled = true) {
  return useQuery({
    queryKey: financeKeys.loan(id),
    queryFn: () => unwrap(api.GET('/api/v1/loans/{id}', { params: { path: { id } } })),
    enabled: enabled && valid(id),
  });
}

export function useVoucher(id: number) {
  return useQuery({
    queryKey: financeKeys.voucher(id),
    queryFn: () => unwrap(api.GET('/api/v1/vouchers/{id}', { params: { path: { id } } })),
    enabled: valid(id),
  });
}

// Money-moving requests: each carries the Idempotency-Key of its submission (see
// lib/idempotency.ts), so that a retry after a lost answer moves nothing twice.

export function registerDisbursement(body: RegisterDisbursement, key: string) {
  return unwrap(api.POST('/api/v1/disbursements', { params: { header: { 'Idempotency-Key': key } }, body }));
}

export function reviewDisbursement(id: number, body: CheckInput, key: string) {
  return unwrap(api.POST('/api/v1/disbursements/{id}/review', { params: { path: { id }, header: { 'Idempotency-Key': key } }, body }));
}

export function registerRepayment(body: RegisterRepayment, key: string) {
  return unwrap(api.POST('/api/v1/repayments', { params: { header: { 'Idempotency-Key': key } }, body }));
}

export function confirmRepayment(id: number, body: CheckInput, key: string) {
  return unwrap(api.POST('/api/v1/repayments/{id}/confirm', { params: { path: { id }, header: { 'Idempotency-Key': key } }, body }));
}
