import type { i18n as I18n } from 'i18next';
import zhCN from './zh-CN.json';
import enUS from './en-US.json';

/**
 * The books pages' texts: `books.*`, plus the server error codes of these endpoints under
 * `errors.*` / `fieldErrors.*`. Pure data and helpers (no i18n instance is imported here), so
 * src/i18n/index.ts may import this module to merge them into the app's resources.
 */
export const booksLocales = { 'zh-CN': zhCN, 'en-US': enUS } as const;
export type BooksLanguage = keyof typeof booksLocales;

type Tree = { [key: string]: unknown };
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base` with the keys of `extra` it lacks, at any depth; a key `base` already has is kept. */
export function mergeMissing<T extends Tree>(base: T, extra: Tree): T {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    if (!(k in out)) out[k] = v;
    else if (isTree(out[k]) && isTree(v)) out[k] = mergeMissing(out[k] as Tree, v);
  }
  return out as T;
}

/** The app's texts for `lng` with the books' texts added (never overwriting the app's). */
export function mergeBooksTexts<T extends Tree, L extends BooksLanguage>(base: T, lng: L): T & (typeof booksLocales)[L] {
  return mergeMissing(base, booksLocales[lng] as Tree) as T & (typeof booksLocales)[L];
}

/** Adds the books' texts to a running i18n instance, keeping every key it already has. */
export function registerBooksLocales(target: Pick<I18n, 'addResourceBundle'>) {
  for (const [lng, resources] of Object.entries(booksLocales)) {
    target.addResourceBundle(lng, 'translation', resources, true, false);
  }
}
