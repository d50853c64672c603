import { BP } from './permissions';

// The books pages' menu entries. Pure data (no React, no i18n instance), so src/access/menu.ts
// may import it and its unit tests stay in node.

export interface BooksMenuEntry {
  key: string;
  /** i18n key of the label (in ./locales). */
  labelKey: string;
  path: string;
  permission: string;
}

/** For the 放款管理 (`funding`) area of src/access/menu.ts, in this order. */
export const BOOKS_MENU: BooksMenuEntry[] = [
  { key: 'booksFees', labelKey: 'books.menu.fees', path: '/books/fees', permission: BP.loanRead },
  { key: 'booksReversals', labelKey: 'books.menu.reversals', path: '/books/reversals', permission: BP.loanRead },
  { key: 'booksManualVoucher', labelKey: 'books.menu.manualVoucher', path: '/books/vouchers/new', permission: BP.voucherWrite },
  { key: 'booksVoucherReview', labelKey: 'books.menu.voucherReview', path: '/books/vouchers/review', permission: BP.ledgerRead },
  { key: 'booksCashJournal', labelKey: 'books.menu.cashJournal', path: '/books/cash-journal', permission: BP.ledgerRead },
];

/** The entries in src/access/menu.ts's `MenuPage` shape ({key, label, path, permission, built}). */
export function booksMenuPages(): { key: string; label: string; path: string; permission: string; built: true }[] {
  return BOOKS_MENU.map((m) => ({ key: m.key, label: m.labelKey, path: m.path, permission: m.permission, built: true }));
}
