import { lazy, type ReactNode } from 'react';
import { BP } from './permissions';
import './locales/register';

// The books pages as the app wires them in (see ./README.md): routes under /books/… (and the
// daily close, the outbox, the classification review, the provisions and the balance reports under /finance/…) with the permission that opens each, and the menu entries that
// lead to them.

const CashJournalPage = lazy(() => import('./cashJournal/CashJournalPage'));
const ManualVoucherPage = lazy(() => import('./vouchers/ManualVoucherPage'));
const VoucherReviewPage = lazy(() => import('./vouchers/VoucherReviewPage'));
const FeesPage = lazy(() => import('./fees/FeesPage'));
const ReversalsPage = lazy(() => import('./reversals/ReversalsPage'));
const ClosePage = lazy(() => import('./close/ClosePage'));
const ClassificationRequestsPage = lazy(() => import('./classification/ClassificationRequestsPage'));
const ProvisionsPage = lazy(() => import('./classification/ProvisionsPage'));
const OutboxPage = lazy(() => import('./outbox/OutboxPage'));
const BalanceReportsPage = lazy(() => import('./balances/BalanceReportsPage'));

export interface BooksRoute {
  /** Relative to the signed-in layout route, as App.tsx writes its paths ("books/fees"). */
  path: string;
  /** A lazily loaded page: wrap it in <Suspense> (App.tsx's `guarded` does). */
  element: ReactNode;
  /** The permission that opens the page. */
  permission: string;
}

export const BOOKS_ROUTES: BooksRoute[] = [
  { path: 'books/cash-journal', element: <CashJournalPage />, permission: BP.ledgerRead },
  { path: 'books/vouchers/new', element: <ManualVoucherPage />, permission: BP.voucherWrite },
  { path: 'books/vouchers/review', element: <VoucherReviewPage />, permission: BP.ledgerRead },
  { path: 'books/fees', element: <FeesPage />, permission: BP.loanRead },
  { path: 'books/reversals', element: <ReversalsPage />, permission: BP.loanRead },
  { path: 'finance/close', element: <ClosePage />, permission: BP.closeRead },
  { path: 'finance/classification-requests', element: <ClassificationRequestsPage />, permission: BP.loanRead },
  { path: 'finance/provisions', element: <ProvisionsPage />, permission: BP.loanRead },
  { path: 'finance/outbox', element: <OutboxPage />, permission: BP.outboxRead },
  { path: 'finance/balance-reports', element: <BalanceReportsPage />, permission: BP.portfolioReportRead },
];

export { BOOKS_MENU, booksMenuPages, type BooksMenuArea, type BooksMenuEntry } from './menu';
