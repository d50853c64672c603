import i18n from '../../../i18n';
import { registerBooksLocales } from './index';

// Imported by the books pages: they bring their texts along even before src/i18n/index.ts merges
// them (`mergeBooksTexts`). Adding keys that are already there changes nothing.
registerBooksLocales(i18n);
