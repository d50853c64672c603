import { describe, expect, it } from 'vitest';
import type { ApplicationStatus, LoanApplication } from '../api/origination';
import type { ProductTerms } from '../api/products';
import { P } from '../access/permissions';
import {
  allowedActions,
  applicationFieldAliases,
  applicationToForm,
  checkTerms,
  compareDecimal,
  formToApplicationInput,
  ltvLimit,
  passedSteps,
  returnTargets,
} from './application';

const MANAGER = 10;
const INVESTIGATOR = 20;
const manager = { userId: MANAGER, granted: new Set<string>([P.loanApplicationRead, P.loanApplicationWrite]) };
const colleague = { userId: 11, granted: manager.granted };
const investigator = { userId: INVESTIGATOR, granted: new Set<string>([P.loanApplicationRead, P.loanInvestigate]) };
const otherInvestigator = { userId: 21, granted: investigator.granted };
const dispatcher = { userId: 30, granted: new Set<string>([P.loanApplicationRead, P.loanApplicationAssign]) };
const reader = { userId: 40, granted: new Set<string>([P.loanApplicationRead]) };

const app = (status: ApplicationStatus) => ({ status, createdBy: MANAGER, investigatorId: status === 'draft' || status === 'submitted' ? null : INVESTIGATOR });

describe('allowedActions', () => {
  it('lets the drafting manager edit, submit and withdraw a draft', () => {
    expect(allowedActions(app('draft'), manager)).toEqual(['edit', 'submit', 'withdraw']);
    // Another manager in scope may submit or withdraw, but only the drafter edits.
    expect(allowedActions(app('draft'), colleague)).toEqual(['submit', 'withdraw']);
  });

  it('offers assignment of a submitted application to the dispatcher only', () => {
    expect(allowedActions(app('submitted'), dispatcher)).toEqual(['assign']);
    expect(allowedActions(app('submitted'), manager)).toEqual(['withdraw']);
    expect(allowedActions(app('submitted'), investigator)).toEqual([]);
  });

  it('gives the investigation and the send to review to the assigned investigator alone', () => {
    expect(allowedActions(app('investigating'), investigator)).toEqual(['investigate', 'sendToReview']);
    expect(allowedActions(app('investigating'), otherInvestigator)).toEqual([]);
    // It can still be re-assigned while under investigation.
    expect(allowedActions(app('investigating'), dispatcher)).toEqual(['assign']);
  });

  it('leaves an application under review to the flow: nobody edits or withdraws it', () => {
    for (const viewer of [manager, investigator, dispatcher, reader]) expect(allowedActions(app('in_review'), viewer)).toEqual([]);
  });

  it('lets the drafter amend and resubmit a returned application, and the investigator amend the investigation', () => {
    expect(allowedActions(app('returned'), manager)).toEqual(['edit', 'resubmit', 'withdraw']);
    expect(allowedActions(app('returned'), colleague)).toEqual(['withdraw']);
    expect(allowedActions(app('returned'), investigator)).toEqual(['investigate']);
  });

  it('offers nothing on a decided application', () => {
    const everything = { userId: MANAGER, granted: new Set<string>(Object.values(P)) };
    for (const s of ['approved', 'rejected', 'withdrawn'] as const) expect(allowedActions(app(s), everything)).toEqual([]);
  });
});

describe('return targets', () => {
  const graph = {
    start: 'a',
    steps: ['a', 'b', 'c'].map((key) => ({ key, name: key.toUpperCase() + '审', assignee: { kind: 'role' as const, roleId: 1 }, next: [] })),
  };
  const events = [
    { action: 'submit', toStep: 'a', at: '' },
    { action: 'approve', stepKey: 'a', toStep: 'b', at: '' },
    { action: 'transfer', stepKey: 'b', toStep: 'user:3', at: '' },
    { action: 'approve', stepKey: 'b', toStep: 'c', at: '' },
    { action: 'return', stepKey: 'c', toStep: 'a', at: '' },
    { action: 'approve', stepKey: 'a', toStep: 'b', at: '' },
  ];

  it('lists the steps approved so far, each once, in order', () => {
    expect(passedSteps(events)).toEqual(['a', 'b']);
  });

  it('offers the applicant and every passed step but the one waiting now', () => {
    expect(returnTargets({ events, graph, currentStep: 'b' })).toEqual([{ value: 'applicant' }, { value: 'a', stepName: 'A审' }]);
    expect(returnTargets({ events: [], graph, currentStep: 'a' })).toEqual([{ value: 'applicant' }]);
  });
});

describe('the loan-to-value limit', () => {
  it('is the lower of LTV × the appraised total and the product maximum, cut to the fen', () => {
    expect(ltvLimit(['150000.00'], '0.7', '500000')).toEqual({ appraisedTotal: '150000.00', missing: 0, limit: '105000.00' });
    expect(ltvLimit(['400000', '400000'], '0.7', '500000')!.limit).toBe('500000.00');
    // 0.333 × 100.01 = 33.30333 → 33.30, never rounded up.
    expect(ltvLimit(['100.01'], '0.333', '1000')!.limit).toBe('33.30');
  });

  it('counts the vehicles not appraised yet and lends nothing against them', () => {
    expect(ltvLimit(['100000', null, undefined], '0.8', '500000')).toEqual({ appraisedTotal: '100000.00', missing: 2, limit: '80000.00' });
    expect(ltvLimit([], '0.8', '500000')!.limit).toBe('0.00');
  });

  it('compares decimals as text', () => {
    expect(compareDecimal('100000.00', '100000')).toBe(0);
    expect(compareDecimal('99999.99', '100000')).toBe(-1);
    expect(compareDecimal('0.3', '0.29999999')).toBe(1);
    expect(compareDecimal('abc', '1')).toBeNull();
  });
});

const TERMS: ProductTerms = {
  methods: ['equal_installment', 'equal_principal'],
  termMonthsMin: 12,
  termMonthsMax: 36,
  amountMin: '30000.00',
  amountMax: '500000.00',
  rateMin: '0.12',
  rateMax: '0.18',
  maxLtv: '0.7',
  collateralKind: 'mortgage',
};

describe('the application form', () => {
  it('flags values outside the product, as the server would', () => {
    expect(checkTerms({ amount: '100,000', termMonths: 24, method: 'equal_installment', annualRatePct: '15' }, TERMS)).toEqual([]);
    expect(checkTerms({ amount: '500000.01', termMonths: 48, method: 'bullet', annualRatePct: '18.5' }, TERMS)).toEqual([
      'amount',
      'termMonths',
      'method',
      'annualRatePct',
    ]);
    expect(checkTerms({ amount: '30000', annualRatePct: '12' }, TERMS)).toEqual([]);
    expect(checkTerms({ amount: 'abc' }, TERMS)).toEqual(['amount']);
  });

  it('sends the rate as a fraction and the amount without separators', () => {
    const body = formToApplicationInput(
      { customerId: 1, productId: 2, amount: ' 100,000.50 ', termMonths: 24, method: 'equal_installment', annualRatePct: '15.5', purpose: ' 经营周转 ', vehicleIds: [3] },
      4,
    );
    expect(body).toEqual({
      customerId: 1,
      productId: 2,
      amount: '100000.50',
      termMonths: 24,
      method: 'equal_installment',
      annualRate: '0.155',
      purpose: '经营周转',
      vehicleIds: [3],
      guarantorIds: [],
      creditLineId: null,
      version: 4,
    });
    // A chosen credit line travels with the application, and comes back into the form.
    expect(formToApplicationInput({ ...applicationToForm({ annualRate: '0.12', creditLineId: 9 } as LoanApplication), purpose: 'x', amount: '1' }).creditLineId).toBe(9);
    expect(formToApplicationInput({ ...applicationToForm({ annualRate: '0.155', amount: '1.00' } as LoanApplication), purpose: '' })).not.toHaveProperty('version');
    expect(applicationToForm({ annualRate: '0.155' } as LoanApplication).annualRatePct).toBe('15.5');
  });

  it('lands server errors on the fields the form shows', () => {
    const aliases = applicationFieldAliases(2, 1);
    expect(aliases.annualRate).toBe('annualRatePct');
    expect(aliases['vehicleIds[1]']).toBe('vehicleIds');
    expect(aliases['guarantorIds[0]']).toBe('guarantorIds');
  });
});
