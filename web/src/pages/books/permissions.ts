/**
 * The server's permission codes the books pages check (iam::domain::permission). Kept here so the
 * pages need nothing new in src/access/permissions.ts; the lead may move them into `P`.
 */
export const BP = {
  loanRead: 'loan:read',
  contractRead: 'contract:read',
  ledgerRead: 'ledger:read',
  periodClose: 'ledger:period:close',
  periodReopen: 'ledger:period:reopen',
  voucherWrite: 'ledger:voucher:write',
  voucherReview: 'ledger:voucher:review',
  feeRegister: 'fee:register',
  feeReview: 'fee:review',
  repaymentReverse: 'repayment:reverse',
  repaymentReverseApprove: 'repayment:reverse:approve',
  closeRead: 'close:read',
  closeRun: 'close:run',
  classificationWrite: 'classification:write',
  classificationReview: 'classification:review',
  outboxRead: 'outbox:read',
  portfolioReportRead: 'report:portfolio:read',
} as const;
