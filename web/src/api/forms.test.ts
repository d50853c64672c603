import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { ApiError } from './errors';
import { fieldPath, mapProblemToFields } from './forms';

const validation = (errors: { field: string; code: string; message: string }[]) =>
  new ApiError(422, { type: 'about:blank', title: 'Validation failed', status: 422, code: 'validation_failed', errors });

describe('fieldPath', () => {
  it('splits camelCase paths with indexes', () => {
    expect(fieldPath('name')).toEqual(['name']);
    expect(fieldPath('contacts[0].phone')).toEqual(['contacts', 0, 'phone']);
    expect(fieldPath('a.b[12][3].c')).toEqual(['a', 'b', 12, 3, 'c']);
  });
});

describe('mapProblemToFields', () => {
  it('puts translated messages on the fields, grouped', async () => {
    await i18n.changeLanguage('zh-CN');
    const m = mapProblemToFields(
      validation([
        { field: 'code', code: 'duplicate', message: 'code already used' },
        { field: 'contacts[0].phone', code: 'invalid_phone', message: 'bad phone' },
        { field: 'code', code: 'too_long', message: 'too long' },
      ]),
      i18n.t,
      i18n,
    );
    expect(m.fields).toEqual([
      { name: ['code'], errors: ['已被使用，请换一个', '内容过长'] },
      { name: ['contacts', 0, 'phone'], errors: ['手机号格式不正确'] },
    ]);
    expect(m.unmatched).toEqual([]);
    expect(m.summary).toBe('提交的内容有误，请检查标红的字段');
  });

  it("uses the server's message for an unknown field code", () => {
    const m = mapProblemToFields(validation([{ field: 'vin', code: 'bad_checksum', message: 'VIN checksum' }]), i18n.t, i18n);
    expect(m.fields[0].errors).toEqual(['VIN checksum']);
  });

  it('reports fields the form does not have, and follows aliases', () => {
    const m = mapProblemToFields(
      validation([
        { field: 'annualRate', code: 'negative_rate', message: '' },
        { field: 'internalThing', code: 'invalid_value', message: 'x' },
      ]),
      i18n.t,
      i18n,
      { known: [['annualRatePct'], ['principal']], aliases: { annualRate: 'annualRatePct' } },
    );
    expect(m.fields).toEqual([{ name: ['annualRatePct'], errors: ['利率不能为负数'] }]);
    expect(m.unmatched).toEqual([{ field: 'internalThing', message: '取值无效' }]);
  });

  it('maps nested list fields and strips a body prefix', () => {
    const m = mapProblemToFields(
      validation([
        { field: 'customer.contacts[1].phone', code: 'invalid_phone', message: '' },
        { field: 'customer.idNumber', code: 'invalid_id_check_digit', message: 'check digit' },
        { field: 'customer.contacts', code: 'too_few_contacts', message: '' },
      ]),
      i18n.t,
      i18n,
      { stripPrefix: 'customer.', known: [['idNumber'], ['contacts', 1, 'phone'], ['contacts']] },
    );
    expect(m.fields).toEqual([
      { name: ['contacts', 1, 'phone'], errors: ['手机号格式不正确'] },
      { name: ['idNumber'], errors: ['身份证号码校验位不正确，请逐位核对'] },
      { name: ['contacts'], errors: ['至少填写两位紧急联系人'] },
    ]);
    expect(m.unmatched).toEqual([]);
  });
});
