import { describe, expect, it } from 'vitest';
import {
  carsToHold,
  checkLabelKey,
  decisionAction,
  decisionBody,
  heldCars,
  imeiProblem,
  missingChecks,
  normalizeImei,
  orderedChecks,
  releaseAction,
  releaseBody,
  releaseRequestBody,
  requestOf,
} from './securing';

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

describe('release bodies', () => {
  it('sends the settled release trimmed, with the certificate', () => {
    expect(releaseBody({ releasedOn: '2026-01-05', handoverNote: ' 登记证书与两把钥匙交借款人 ', settlementCertNo: ' JQ-1 ' }, 3)).toEqual({
      releasedOn: '2026-01-05', settlementCertNo: 'JQ-1', handoverNote: '登记证书与两把钥匙交借款人', version: 3,
    });
    expect(releaseBody({ releasedOn: '2026-01-05' }, 1)).toMatchObject({ settlementCertNo: '', handoverNote: '' });
  });
  it('asks for an early release with the reason and the planned hand-over, and nothing else', () => {
    expect(releaseRequestBody({ reason: ' 借款人以保证金置换抵押 ', handoverNote: ' 登记证书交借款人 ' }, 4)).toEqual({
      reason: '借款人以保证金置换抵押', handoverNote: '登记证书交借款人', version: 4,
    });
  });
  it('sends a decision with its comment only when there is one', () => {
    expect(decisionBody({ decision: 'approve', comment: '  ' }, 1)).toEqual({ decision: 'approve', comment: null, version: 1 });
    expect(decisionBody({ decision: 'reject', comment: ' 保证金未到账 ' }, 2)).toEqual({ decision: 'reject', comment: '保证金未到账', version: 2 });
  });
  it('keeps the IMEI as digits only', () => {
    expect(normalizeImei(' 4901 5420 3237 518 ')).toBe('490154203237518');
  });
});

describe('releaseAction', () => {
  it('releases a settled loan’s car with its certificate, and asks for an early release otherwise', () => {
    expect(releaseAction('registered', 'settled', true)).toBe('release');
    expect(releaseAction('registered', 'active', true)).toBe('request');
    // Not disbursed yet: no loan, so not settled either.
    expect(releaseAction('registered', null, true)).toBe('request');
    expect(releaseAction('registered', undefined, true)).toBe('request');
  });
  it('offers nothing while a request waits, once released, or without the permission', () => {
    expect(releaseAction('release_requested', 'active', true)).toBeNull();
    expect(releaseAction('release_requested', 'settled', true)).toBeNull();
    expect(releaseAction('released', 'settled', true)).toBeNull();
    expect(releaseAction('registered', 'settled', false)).toBeNull();
    expect(releaseAction('registered', 'active', false)).toBeNull();
  });
});

describe('decisionAction', () => {
  const waiting = { status: 'requested', requestedBy: 7 };
  it('lets another holder of the permission decide, never the requester', () => {
    expect(decisionAction(waiting, 8, true)).toBe('decide');
    expect(decisionAction(waiting, 7, true)).toBe('own');
  });
  it('offers nothing without the permission or once decided', () => {
    expect(decisionAction(waiting, 8, false)).toBeNull();
    expect(decisionAction({ status: 'approved', requestedBy: 7 }, 8, true)).toBeNull();
    expect(decisionAction({ status: 'rejected', requestedBy: 7 }, 7, true)).toBeNull();
  });
});

describe('held cars and their requests', () => {
  it('counts a car waiting for its early release as still held', () => {
    const held = heldCars([
      { vehicleId: 1, status: 'registered' },
      { vehicleId: 2, status: 'release_requested' },
      { vehicleId: 3, status: 'released' },
    ]);
    expect([...held].sort()).toEqual([1, 2]);
  });
  it('finds the newest request of a registration, of a status when asked', () => {
    const qs = [
      { id: 1, registrationId: 5, status: 'rejected' },
      { id: 3, registrationId: 5, status: 'approved' },
      { id: 2, registrationId: 6, status: 'requested' },
    ];
    expect(requestOf(qs, 5)?.id).toBe(3);
    expect(requestOf(qs, 5, 'rejected')?.id).toBe(1);
    expect(requestOf(qs, 5, 'requested')).toBeUndefined();
    expect(requestOf(qs, 6, 'requested')?.id).toBe(2);
  });
});
