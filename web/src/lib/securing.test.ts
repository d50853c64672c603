import { describe, expect, it } from 'vitest';
import { carsToHold, checkLabelKey, imeiProblem, missingChecks, normalizeImei, orderedChecks, releaseBases, releaseBody } from './securing';

describe('imeiProblem', () => {
  it('accepts the textbook IMEI and catches one wrong digit', () => {
    // 49015420323751 with its Luhn check digit 8.
    expect(imeiProblem('490154203237518')).toBeNull();
    expect(imeiProblem('49 0154 2032 37518')).toBeNull();
    expect(imeiProblem('490154203237517')).toBe('check_digit');
    expect(imeiProblem('49015420323751')).toBe('format');
    expect(imeiProblem('49015420323751X')).toBe('format');
  });
});

describe('readiness', () => {
  const checks = [
    { code: 'gps_installed', ok: false, vehicleId: 7 },
    { code: 'mortgage_registered', ok: false, vehicleId: 7 },
    { code: 'contract_signed', ok: true, vehicleId: null },
    { code: 'mortgage_registered', ok: true, vehicleId: 9 },
  ];
  it('lists what is missing, the car to hold before its tracker', () => {
    expect(missingChecks(checks).map((c) => c.code)).toEqual(['mortgage_registered', 'gps_installed']);
  });
  it('names the cars not yet mortgaged or pledged', () => {
    expect(carsToHold(checks)).toEqual([7]);
  });
});

describe('orderedChecks', () => {
  it('puts the contract first, then each kind by car, unknown codes last', () => {
    const out = orderedChecks([
      { code: 'gps_installed', ok: true, vehicleId: 9 },
      { code: 'future_check', ok: false, vehicleId: null },
      { code: 'mortgage_registered', ok: true, vehicleId: 9 },
      { code: 'mortgage_registered', ok: false, vehicleId: 7 },
      { code: 'contract_signed', ok: true, vehicleId: null },
    ]);
    expect(out.map((c) => `${c.code}:${c.vehicleId ?? '-'}`)).toEqual([
      'contract_signed:-', 'mortgage_registered:7', 'mortgage_registered:9', 'gps_installed:9', 'future_check:-',
    ]);
    expect(checkLabelKey('gps_installed')).toBe('collateral.checks.gps_installed');
    expect(checkLabelKey('future_check')).toBe('collateral.checks.other');
  });
});

describe('releaseBody', () => {
  it('sends only the certificate for a settled loan and only the reason for an exception', () => {
    const base = { releasedOn: '2026-01-05', handoverNote: ' 登记证书与两把钥匙交借款人 ', settlementCertNo: ' JQ-1 ', reason: '客户提前还款' };
    expect(releaseBody({ ...base, basis: 'settled' }, 3)).toEqual({
      basis: 'settled', releasedOn: '2026-01-05', handoverNote: '登记证书与两把钥匙交借款人', settlementCertNo: 'JQ-1', reason: null, version: 3,
    });
    expect(releaseBody({ ...base, basis: 'exception' }, 3)).toMatchObject({ settlementCertNo: null, reason: '客户提前还款' });
    expect(releaseBody({ basis: 'exception', releasedOn: '2026-01-05', reason: '  ' }, 1)).toMatchObject({ handoverNote: '', reason: null });
  });
  it('offers the exception only with its permission', () => {
    expect(releaseBases(false)).toEqual(['settled']);
    expect(releaseBases(true)).toEqual(['settled', 'exception']);
    expect(normalizeImei(' 4901 5420 3237 518 ')).toBe('490154203237518');
  });
});
