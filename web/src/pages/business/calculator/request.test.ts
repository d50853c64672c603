import { describe, expect, it } from 'vitest';
import { toScheduleRequest } from './request';

describe('toScheduleRequest', () => {
  it('sends the rate as a decimal string computed without floats', () => {
    expect(
      toScheduleRequest({ method: 'equal_installment', principal: '100000', annualRatePct: '12', termMonths: 12, startDate: '2026-01-31', dayBasis: 360 }),
    ).toEqual({ method: 'equal_installment', principal: '100000', annualRate: '0.12', termMonths: 12, startDate: '2026-01-31', dayBasis: 360 });
  });

  it('keeps only what applies to the method', () => {
    const balloon = toScheduleRequest({
      method: 'balloon', principal: '80000.00', annualRatePct: '7.2', termMonths: 36, startDate: '2026-03-15',
      balloonRatioPct: '30', bulletInterest: 'days', repaymentDay: 20, upfrontFees: ' ', periodFees: '50.00',
    });
    expect(balloon).toMatchObject({ annualRate: '0.072', balloonRatio: '0.3', repaymentDay: 20, periodFees: '50.00' });
    expect(balloon).not.toHaveProperty('bulletInterest');
    expect(balloon).not.toHaveProperty('upfrontFees');

    const bullet = toScheduleRequest({
      method: 'bullet', principal: '1', annualRatePct: '1.15', termMonths: 6, startDate: '2026-01-01', repaymentDay: 5, balloonRatioPct: '20',
    });
    expect(bullet).toMatchObject({ annualRate: '0.0115', bulletInterest: 'months' });
    expect(bullet).not.toHaveProperty('repaymentDay');
    expect(bullet).not.toHaveProperty('balloonRatio');
  });
});
