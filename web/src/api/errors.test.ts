import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import zh from '../locales/zh-CN.json';
import en from '../locales/en-US.json';
import { ApiError, toApiError, translateError } from './errors';

const SERVER_CODES = [
  'unauthenticated', 'token_expired', 'forbidden', 'invalid_credentials', 'account_locked',
  'account_disabled', 'password_change_required', 'password_too_weak', 'password_reused',
  'wrong_current_password', 'refresh_token_invalid', 'refresh_token_reused', 'not_found',
  'version_conflict', 'duplicate', 'invalid_state', 'validation_failed', 'malformed_json',
  'bad_request', 'payload_too_large', 'internal_error',
];
const FIELD_CODES = [
  'required', 'too_long', 'too_short', 'invalid_format', 'invalid_phone', 'invalid_email',
  'out_of_range', 'unknown_reference', 'invalid_value', 'duplicate', 'too_many_decimals',
  'invalid_amount', 'invalid_rate', 'negative_rate', 'cycle',
];

const problem = (code: string, title = 'Server title') =>
  new ApiError(409, { type: 'about:blank', title, status: 409, code });

describe('translateError', () => {
  it('translates known codes in the chosen language', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(translateError(problem('version_conflict'), i18n.t, i18n)).toBe(zh.errors.version_conflict);
    await i18n.changeLanguage('en-US');
    expect(translateError(problem('version_conflict'), i18n.t, i18n)).toBe(en.errors.version_conflict);
    await i18n.changeLanguage('zh-CN');
  });

  it("falls back to the server's title for an unknown code", () => {
    expect(translateError(problem('loan_frozen', '贷款已冻结'), i18n.t, i18n)).toBe('贷款已冻结');
  });

  it('describes non-problem answers by their status', () => {
    const err = toApiError(502, '<html>Bad gateway</html>');
    expect(err.code).toBe('unknown');
    expect(translateError(err, i18n.t, i18n)).toContain('502');
    expect(translateError(toApiError(0, undefined), i18n.t, i18n)).toBe(zh.errors.network);
  });

  it('has a translation for every server and field code in both languages', () => {
    for (const locale of [zh, en] as const) {
      for (const c of SERVER_CODES) expect(locale.errors, c).toHaveProperty(c);
      for (const c of FIELD_CODES) expect(locale.fieldErrors, c).toHaveProperty(c);
    }
  });
});

describe('locale files', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
  it('have the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });
});
