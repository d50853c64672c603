import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

// The books pages use the app's typed client.
export const booksApi = api;

type S = components['schemas'];
export type Account = S['Account'];
export type Period = S['Period'];
export type CloseCheck = S['CloseCheck'];
export type CloseReport = S['CloseReport'];
export type BalanceSheet = S['BalanceSheet'];
export type IncomeStatement = S['IncomeStatement'];
export type StatementLine = S['StatementLine'];
export type IncomeLine = S['IncomeLine'];
export type CashJournal = S['CashJournal'];
export type JournalEntry = S['JournalEntry'];
export type FundSummaryRow = S['FundSummaryRow'];
export type Voucher = S['Voucher'];
export type VoucherLine = S['VoucherLine'];
export type VoucherStatus = S['VoucherStatus'];
export type ManualVoucher = S['ManualVoucher'];
export type FeeReceipt = S['FeeReceipt'];
export type RegisterFee = S['RegisterFee'];
export type FeeStatus = S['DisbursementStatus'];
export type MoneyCheckInput = S['MoneyCheckInput'];
export type Repayment = S['Repayment'];
export type Reversal = S['Reversal'];
export type ReversalStatus = S['ReversalStatus'];
export type PayoffFigures = S['PayoffFigures'];
export type Contract = S['Contract'];
export type CloseRun = S['CloseRun'];
export type CloseStepProgress = S['CloseStepProgress'];
export type CloseLoanFailure = S['CloseLoanFailure'];
export type CloseStarted = S['CloseStarted'];
export type CloseSchedule = S['CloseSchedule'];
export type RiskClass = S['RiskClass'];
export type LoanClassification = S['LoanClassification'];
export type ClassificationChange = S['ClassificationChange'];
export type ClassificationRequest = S['ClassificationRequest'];
export type ProvisionReport = S['ProvisionReport'];
export type ProvisionLine = S['ProvisionLine'];
export type OutboxMessage = S['OutboxMessage'];
export type AdbReport = S['AdbReport'];
export type AdbLine = S['AdbLine'];
export type QualityReport = S['QualityReport'];
export type QualityLine = S['QualityLine'];

export const FEE_STATUSES: FeeStatus[] = ['registered', 'approved', 'rejected'];
export const REVERSAL_STATUSES: ReversalStatus[] = ['requested', 'approved', 'rejected'];
export const CLASSIFICATION_REQUEST_STATUSES = ['requested', 'approved', 'rejected'] as const;
export type ClassificationRequestStatus = (typeof CLASSIFICATION_REQUEST_STATUSES)[number];
export const VOUCHER_STATUSES: VoucherStatus[] = ['pending', 'posted', 'rejected'];
/** Fee types the server knows by name; it takes any lower-case code. */
export const FEE_TYPES = ['consulting', 'service', 'gps'] as const;

/** React Query keys: everything the books pages cache sits under `books`. */
export const booksKeys = {
  all: ['books'] as const,
  businessDate: ['books', 'business-date'] as const,
  accounts: ['books', 'accounts'] as const,
  periods: ['books', 'periods'] as const,
  closeChecks: (period: string) => ['books', 'close-checks', period] as const,
  /** The daily close's runs (日终), the live view's and the history's pages alike. */
  closeRuns: ['books', 'close-runs'] as const,
  /** The server's own schedule for the close (定时日终), from its environment. */
  closeSchedule: ['books', 'close-schedule'] as const,
  /** A loan's five-tier class and its history (五级分类). */
  classification: (loanId: number) => ['books', 'classification', loanId] as const,
  classificationRequests: ['books', 'classification-requests'] as const,
  provisions: ['books', 'provisions'] as const,
};

/** The other finance pages cache under `finance`; a money event here changes what they show. */
export const FINANCE_KEY = ['finance'] as const;

export { unwrap };

/** Asks the server for 营业日期. */
export const fetchBusinessDate = async () => (await unwrap(booksApi.GET('/api/v1/business-date'))).today;

/** 营业日期, the day new money events are dated by default. */
export function useBusinessDate() {
  return useQuery({
    queryKey: booksKeys.businessDate,
    queryFn: fetchBusinessDate,
    staleTime: 60_000,
  });
}

/** The chart of accounts (code order); only for those who may read the books. */
export function useAccounts(enabled = true) {
  return useQuery({
    queryKey: booksKeys.accounts,
    queryFn: () => unwrap(booksApi.GET('/api/v1/accounts')),
    enabled,
    staleTime: 5 * 60_000,
  });
}
