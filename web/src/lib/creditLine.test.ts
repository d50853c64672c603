import { describe, expect, it } from 'vitest';
import { P } from '../access/permissions';
import type { CreditLine } from '../api/credit';
import { aboveAvailable, availability, creditLineActions, creditLineToForm, formToCreditLineInput, usableLines, validityOrdered } from './creditLine';

const manager = { userId: 7, granted: new Set<string>([P.creditLineRead, P.creditLineWrite]) };
const colleague = { userId: 8, granted: manager.granted };
const risk = { userId: 9, granted: new Set<string>([P.creditLineRead, P.creditLineFreeze]) };
const line = (status: CreditLine['status'], createdBy = 7) => ({ status, createdBy });

describe('credit-line actions per status and person', () => {
  it('lets the drafting manager edit, submit and withdraw a draft', () => {
    expect(creditLineActions(line('draft'), manager)).toEqual(['edit', 'submit', 'withdraw']);
    expect(creditLineActions(line('draft'), colleague)).toEqual([]);
  });

  it('lets the drafting manager amend, resubmit or withdraw a returned line', () => {
    expect(creditLineActions(line('returned'), manager)).toEqual(['edit', 'resubmit', 'withdraw']);
  });

  it('offers nothing while in review or once decided, but freezing to whoever may', () => {
    for (const s of ['in_review', 'rejected', 'withdrawn'] as const) {
      expect(creditLineActions(line(s), manager), s).toEqual([]);
      expect(creditLineActions(line(s), risk), s).toEqual([]);
    }
    expect(creditLineActions(line('active'), manager)).toEqual([]);
    expect(creditLineActions(line('active'), risk)).toEqual(['freeze']);
    expect(creditLineActions(line('frozen'), risk)).toEqual(['unfreeze']);
  });
});

describe('drawing on a line', () => {
  const l = (status: CreditLine['status'], availableAmount: string, expired = false) => ({ status, availableAmount, expired });

  it('says why a line cannot be drawn on', () => {
    expect(availability(l('active', '100.00'))).toBe('available');
    expect(availability(l('active', '0.00'))).toBe('exhausted');
    expect(availability(l('active', '100.00', true))).toBe('expired');
    expect(availability(l('frozen', '0.00'))).toBe('frozen');
    expect(availability(l('in_review', '0.00'))).toBe('not_active');
  });

  it('offers only the usable lines on the application form', () => {
    const lines = [l('active', '5000.00'), l('active', '0.00'), l('frozen', '0.00'), l('active', '1.00', true)];
    expect(usableLines(lines)).toEqual([lines[0]]);
    expect(usableLines(undefined)).toEqual([]);
  });

  it('compares the amount typed with what is available, as decimals', () => {
    expect(aboveAvailable('300,000.01', '300000.00')).toBe(true);
    expect(aboveAvailable('300000', '300000.00')).toBe(false);
    expect(aboveAvailable('', '1.00')).toBe(false);
    expect(aboveAvailable(undefined, '1.00')).toBe(false);
  });
});

describe('the credit-line form', () => {
  it('sends the amount without separators and the purpose trimmed, with the version when editing', () => {
    const v = { customerId: 3, requestedAmount: ' 300,000.00 ', validFrom: '2026-03-01', validUntil: '2027-02-28', purpose: ' 循环贷 ' };
    expect(formToCreditLineInput(v, 2)).toEqual({ customerId: 3, requestedAmount: '300000.00', validFrom: '2026-03-01', validUntil: '2027-02-28', purpose: '循环贷', version: 2 });
    expect(formToCreditLineInput(v)).not.toHaveProperty('version');
    const back = creditLineToForm({ customerId: 3, requestedAmount: '300000.00', validFrom: '2026-03-01', validUntil: '2027-02-28', purpose: '循环贷' } as CreditLine);
    expect(back.requestedAmount).toBe('300000.00');
  });

  it('wants the validity to end on or after its start', () => {
    expect(validityOrdered('2026-03-01', '2026-03-01')).toBe(true);
    expect(validityOrdered('2026-03-02', '2026-03-01')).toBe(false);
    expect(validityOrdered(undefined, '2026-03-01')).toBe(true);
  });
});
