import { BP } from './permissions';

// The books pages' menu entries. Pure data (no React, no i18n instance), so src/access/menu.ts
// may import it and its unit tests stay in node.

/** The areas of src/access/menu.ts the books pages sit in. */
export type BooksMenuArea = 'funding' | 'finance';

export interface BooksMenuEntry {
  key: string;
  /** The area of src/access/menu.ts the entry belongs to. */
  area: BooksMenuArea;
  /** i18n key of the label (in ./locales). */
  labelKey: string;
  path: string;
  permission: string;
}

/** Each area's entries in this order: 放款管理 (`funding`), and 财务中心 (`finance`) for the daily close, 消息发件箱, 五级分类审核, 贷款损失准备 and 日均余额与资产质量. */
export const BOOKS_MENU: BooksMenuEntry[] = [
  { key: 'booksFees', area: 'funding', labelKey: 'books.menu.fees', path: '/books/fees', permission: BP.loanRead },
  { key: 'booksReversals', area: 'funding', labelKey: 'books.menu.reversals', path: '/books/reversals', permission: BP.loanRead },
  { key: 'booksManualVoucher', area: 'funding', labelKey: 'books.menu.manualVoucher', path: '/books/vouchers/new', permission: BP.voucherWrite },
  { key: 'booksVoucherReview', area: 'funding', labelKey: 'books.menu.voucherReview', path: '/books/vouchers/review', permission: BP.ledgerRead },
  { key: 'booksCashJournal', area: 'funding', labelKey: 'books.menu.cashJournal', path: '/books/cash-journal', permission: BP.ledgerRead },
  { key: 'booksClose', area: 'finance', labelKey: 'books.menu.close', path: '/finance/close', permission: BP.closeRead },
  { key: 'booksOutbox', area: 'finance', labelKey: 'books.menu.outbox', path: '/finance/outbox', permission: BP.outboxRead },
  { key: 'booksClassificationRequests', area: 'finance', labelKey: 'books.menu.classificationRequests', path: '/finance/classification-requests', permission: BP.loanRead },
  { key: 'booksProvisions', area: 'finance', labelKey: 'books.menu.provisions', path: '/finance/provisions', permission: BP.loanRead },
  { key: 'booksBalanceReports', area: 'finance', labelKey: 'books.menu.balanceReports', path: '/finance/balance-reports', permission: BP.portfolioReportRead },
];

/**
 * The entries of one area in src/access/menu.ts's `MenuPage` shape ({key, label, path,
 * permission, built}); 放款管理's by default.
 */
export function booksMenuPages(area: BooksMenuArea = 'funding'): { key: string; label: string; path: string; permission: string; built: true }[] {
  return BOOKS_MENU.filter((m) => m.area === area).map((m) => ({ key: m.key, label: m.labelKey, path: m.path, permission: m.permission, built: true }));
}
