import { describe, expect, it } from 'vitest';
import { P } from '../access/permissions';
import type { Contract } from '../api/contracts';
import { canGenerate, cleanWitnesses, contractActions, contractFileName, liveContract, looksLikePdf, signReady, witnessProblem } from './contract';

const writer = new Set<string>([P.contractRead, P.contractWrite]);
const reader = new Set<string>([P.contractRead]);
const c = (status: Contract['status'], hasScan = false) => ({ status, hasScan });

describe('contract actions per status', () => {
  it('lets a writer attach the scan, sign and void a draft only', () => {
    expect(contractActions(c('draft'), writer)).toEqual(['uploadScan', 'sign', 'void']);
    expect(contractActions(c('signed'), writer)).toEqual([]);
    expect(contractActions(c('voided'), writer)).toEqual([]);
  });

  it('offers nothing to a reader', () => {
    expect(contractActions(c('draft'), reader)).toEqual([]);
  });

  it('signs only once the scan is attached', () => {
    expect(signReady(c('draft'))).toBe(false);
    expect(signReady(c('draft', true))).toBe(true);
    expect(signReady(c('signed', true))).toBe(false);
  });
});

describe('generating a contract', () => {
  it('needs an approved application without a live contract', () => {
    expect(canGenerate('approved', [], writer)).toBe(true);
    expect(canGenerate('approved', [c('voided')], writer)).toBe(true);
    expect(canGenerate('approved', [c('voided'), c('draft')], writer)).toBe(false);
    expect(canGenerate('approved', [c('signed')], writer)).toBe(false);
    expect(canGenerate('in_review', [], writer)).toBe(false);
    expect(canGenerate('approved', [], reader)).toBe(false);
    // Until the list has loaded, no button.
    expect(canGenerate('approved', undefined, writer)).toBe(false);
  });

  it('finds the live contract among voided ones', () => {
    const list = [{ id: 3, status: 'draft' as const }, { id: 2, status: 'voided' as const }];
    expect(liveContract(list)?.id).toBe(3);
    expect(liveContract([{ id: 2, status: 'voided' as const }])).toBeUndefined();
    expect(liveContract(undefined)).toBeUndefined();
  });
});

describe('the signing form', () => {
  it('wants one to five witnesses, blanks ignored', () => {
    expect(cleanWitnesses([' 张三 ', '', null, '李四'])).toEqual(['张三', '李四']);
    expect(witnessProblem(['', '  '])).toBe('required');
    expect(witnessProblem(undefined)).toBe('required');
    expect(witnessProblem(['甲'])).toBeNull();
    expect(witnessProblem(['甲', '乙', '丙', '丁', '戊'])).toBeNull();
    expect(witnessProblem(['甲', '乙', '丙', '丁', '戊', '己'])).toBe('too_many');
  });
});

describe('the PDF', () => {
  it('is saved under the contract number and recognised by its first bytes', () => {
    expect(contractFileName({ contractNo: 'JK20260302000017-2' })).toBe('JK20260302000017-2.pdf');
    expect(looksLikePdf(new TextEncoder().encode('%PDF-1.7\n'))).toBe(true);
    expect(looksLikePdf(new TextEncoder().encode('<html>'))).toBe(false);
    expect(looksLikePdf(new Uint8Array([0x25, 0x50]))).toBe(false);
  });
});
