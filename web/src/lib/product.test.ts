import { describe, expect, it } from 'vitest';
import { emptyProductForm, formToProductInput, productFieldAliases, productToForm, rateRange } from './product';
import type { Product } from '../api/products';

describe('product form', () => {
  it('sends percentages as decimal fractions, exactly', () => {
    const v = {
      ...emptyProductForm(),
      code: ' CAR-EI ',
      name: '车抵贷',
      amountMin: '30000',
      amountMax: '500000',
      rateMinPct: '12',
      rateMaxPct: '23.99',
      maxLtvPct: '80',
      fees: [
        { type: 'gps' as const, basis: 'fixed' as const, timing: 'at_signing' as const, amount: '1500', ratePct: '3' },
        { type: 'service' as const, basis: 'percent' as const, timing: 'per_period' as const, amount: '9', ratePct: '0.1' },
      ],
      prepaymentFee: { kind: 'percent_of_remaining' as const, ratePct: '2', months: 3, freeAfterMonths: 12 },
    };
    const body = formToProductInput(v, 4);
    expect(body.code).toBe('CAR-EI');
    expect(body.rateMin).toBe('0.12');
    expect(body.rateMax).toBe('0.2399');
    expect(body.maxLtv).toBe('0.8');
    expect(body.fees).toEqual([
      { type: 'gps', basis: 'fixed', timing: 'at_signing', amount: '1500' },
      { type: 'service', basis: 'percent', timing: 'per_period', rate: '0.001' },
    ]);
    expect(body.prepaymentFee).toEqual({ kind: 'percent_of_remaining', rate: '0.02', months: null, freeAfterMonths: 12, cap: null });
    expect(body.balloonRatio).toBeNull();
    expect(body.version).toBe(4);
    expect(formToProductInput({ ...v, prepaymentFee: { kind: 'none' } }).prepaymentFee).toBeNull();
    expect('version' in formToProductInput(v)).toBe(false);
  });

  it('reads a product back into the same form values', () => {
    const v = { ...emptyProductForm(), code: 'A', name: 'B', amountMin: '1.00', amountMax: '2.00', rateMinPct: '7.2', rateMaxPct: '7.2' };
    const body = formToProductInput(v);
    const { code, name, description, version: _v, ...terms } = body;
    const product = { id: 1, code, name, description, status: 'active', version: 1, termsVersion: 1, terms, createdAt: '', updatedAt: '' } as Product;
    const back = productToForm(product);
    expect(back.rateMinPct).toBe('7.2');
    expect(back.maxLtvPct).toBe('70');
    expect(back.prepaymentFee.kind).toBe('none');
  });

  it('maps the server fields the form shows as percentages', () => {
    const aliases = productFieldAliases(2);
    expect(aliases['fees[1].rate']).toBe('fees[1].ratePct');
    expect(aliases.rateMax).toBe('rateMaxPct');
    expect(aliases['fees[2].rate']).toBeUndefined();
  });

  it('shows a rate range in percent', () => {
    expect(rateRange('0.12', '0.2399')).toBe('12% – 23.99%');
    expect(rateRange('0.072', '0.072')).toBe('7.2%');
  });
});
