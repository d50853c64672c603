import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { BOOKS_MENU, BOOKS_ROUTES, booksMenuPages } from './routes';
import appZh from '../../locales/zh-CN.json';
import { BOOKS_MENU as MENU_DIRECT } from './menu';
import { booksLocales, mergeBooksTexts, mergeMissing } from './locales';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('wiring of the books pages', () => {
  it('puts every page under /books (the daily close under /finance) with a permission, and every menu entry on a page', () => {
    for (const r of BOOKS_ROUTES) {
      expect(r.path).toMatch(/^(books\/|finance\/(close|outbox|classification-requests|provisions|balance-reports)$)/);
      expect(r.permission).toMatch(/^[a-z_]+(:[a-z_]+)+$/);
    }
    for (const m of BOOKS_MENU) {
      const route = BOOKS_ROUTES.find((r) => `/${r.path}` === m.path);
      expect(route, m.path).toBeDefined();
      expect(m.permission).toBe(route!.permission);
    }
    expect(booksMenuPages()[0]).toEqual({ key: 'booksFees', label: 'books.menu.fees', path: '/books/fees', permission: 'loan:read', built: true });
    // 放款管理 keeps its five; 日终管理, 五级分类审核 and 贷款损失准备 go to 财务中心.
    expect(booksMenuPages().map((m) => m.key)).not.toContain('booksClose');
    expect(booksMenuPages('finance')[0]).toEqual({ key: 'booksClose', label: 'books.menu.close', path: '/finance/close', permission: 'close:read', built: true });
    expect(booksMenuPages('finance').map((m) => m.path)).toEqual([
      '/finance/close',
      '/finance/outbox',
      '/finance/classification-requests',
      '/finance/provisions',
      '/finance/balance-reports',
    ]);
  });

  it('has the same texts in Chinese and English, the menu labels included', () => {
    expect(keys(booksLocales['en-US']).sort()).toEqual(keys(booksLocales['zh-CN']).sort());
    for (const m of BOOKS_MENU) {
      expect(i18n.getFixedT('zh-CN')(m.labelKey)).not.toBe(m.labelKey);
      expect(i18n.getFixedT('en-US')(m.labelKey)).not.toBe(m.labelKey);
    }
  });

  it('does not overwrite a text the app already has', () => {
    // `common.cancel` is the app's; the books bundle adds only what is missing.
    expect(i18n.getFixedT('zh-CN')('common.cancel')).toBe('取消');
    expect(i18n.getFixedT('zh-CN')('errors.later_repayments')).toContain('冲正');
  });

  it('merges into the app’s texts at any depth without replacing them', () => {
    expect(mergeMissing({ errors: { a: 'app' }, x: '1' }, { errors: { a: 'books', b: 'books' }, y: { z: '2' } })).toEqual({
      errors: { a: 'app', b: 'books' },
      x: '1',
      y: { z: '2' },
    });
    const merged = mergeBooksTexts(appZh, 'zh-CN');
    // Every text of the app survives as it was; the books' are added.
    for (const k of keys(appZh)) expect(k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], merged), k).toBe(k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], appZh));
    expect(merged.books.menu.fees).toBe('收费登记与复核');
    expect(MENU_DIRECT).toBe(BOOKS_MENU);
  });
});
