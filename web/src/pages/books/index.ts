// What other pages may embed from the books pages.
export { PayoffQuote } from './payoff/PayoffQuote';
export { ReversalRequestDialog } from './reversals/ReversalsPage';
export { FeeRegisterDialog, FeeReviewDialog } from './fees/FeesPage';
export { ClassificationCard, ClassTag } from './classification/ClassificationCard';
export { VoucherLines } from './vouchers/VoucherReviewPage';
export { BOOKS_ROUTES, type BooksRoute } from './routes';
export { BOOKS_MENU, booksMenuPages, type BooksMenuArea, type BooksMenuEntry } from './menu';
export { booksLocales, mergeBooksTexts, registerBooksLocales } from './locales';
export { BP as BOOKS_PERMISSIONS } from './permissions';
