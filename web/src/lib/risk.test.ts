import { describe, expect, it } from 'vitest';
import { reasonLabel, ruleBounds } from './risk';

describe('reasonLabel', () => {
  it('labels rules, missing data and silent providers', () => {
    expect(reasonLabel('debt_to_income')).toEqual({ key: 'risk.ruleCodes.debt_to_income' });
    expect(reasonLabel('score')).toEqual({ key: 'risk.ruleCodes.score' });
    expect(reasonLabel('data_unavailable:vehicle_value')).toEqual({
      key: 'risk.dataUnavailable',
      paramKeys: { fact: 'risk.facts.vehicle_value' },
    });
    expect(reasonLabel('provider_unavailable:credit_bureau')).toEqual({
      key: 'risk.providerUnavailable',
      paramKeys: { provider: 'risk.providers.credit_bureau' },
    });
  });
});

describe('ruleBounds', () => {
  it('matches the bounds each rule needs', () => {
    expect(ruleBounds('age')).toEqual({ min: true, max: true, windowDays: false });
    expect(ruleBounds('recent_applications')).toEqual({ min: false, max: true, windowDays: true });
    expect(ruleBounds('enterprise_age')).toEqual({ min: true, max: false, windowDays: false });
    expect(ruleBounds('blacklist')).toEqual({ min: false, max: false, windowDays: false });
  });
});
