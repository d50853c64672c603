import type { ScheduleRequest, ScheduleResponse } from '../../../api/queries';
import { percentToDecimal } from '../../../lib/decimal';

export type { ScheduleRequest, ScheduleResponse };
export type Method = ScheduleRequest['method'];

export const METHODS: Method[] = ['equal_installment', 'equal_principal', 'interest_only', 'flat', 'bullet', 'balloon'];

/** The calculator form as the user fills it: rates in per cent, amounts as typed text. */
export interface CalculatorValues {
  method: Method;
  principal: string;
  annualRatePct: string;
  termMonths: number;
  /** YYYY-MM-DD */
  startDate: string;
  repaymentDay?: number | null;
  dayBasis?: 360 | 365;
  balloonRatioPct?: string;
  bulletInterest?: 'months' | 'days';
  upfrontFees?: string;
  periodFees?: string;
}

/** Server field → form field, for the fields the form keeps in per cent. */
export const FIELD_ALIASES: Record<string, string> = {
  annualRate: 'annualRatePct',
  balloonRatio: 'balloonRatioPct',
};

const text = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/**
 * Builds the request body: per cent → decimal strings by text arithmetic ("12" → "0.12"), and
 * only the fields that apply to the chosen method.
 */
export function toScheduleRequest(v: CalculatorValues): ScheduleRequest {
  const body: ScheduleRequest = {
    method: v.method,
    principal: v.principal.trim(),
    annualRate: percentToDecimal(v.annualRatePct) ?? v.annualRatePct,
    termMonths: v.termMonths,
    startDate: v.startDate,
  };
  if (v.dayBasis) body.dayBasis = v.dayBasis;
  if (v.method !== 'bullet' && v.repaymentDay) body.repaymentDay = v.repaymentDay;
  if (v.method === 'balloon' && text(v.balloonRatioPct)) {
    body.balloonRatio = percentToDecimal(v.balloonRatioPct!) ?? v.balloonRatioPct!;
  }
  if (v.method === 'bullet') body.bulletInterest = v.bulletInterest ?? 'months';
  if (text(v.upfrontFees)) body.upfrontFees = text(v.upfrontFees);
  if (text(v.periodFees)) body.periodFees = text(v.periodFees);
  return body;
}
