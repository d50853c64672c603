import type { components } from './schema';

// Loan products (贷款产品): record types from the OpenAPI document.
type S = components['schemas'];

export type Product = S['Product'];
export type ProductInput = S['ProductInput'];
export type ProductTerms = S['ProductTerms'];
export type ProductVersion = S['ProductVersion'];
export type WorstCase = S['WorstCase'];
export type AprCase = S['AprCase'];
export type Method = S['Method'];
export type FeeType = S['FeeType'];
export type FeeBasis = S['FeeBasis'];
export type FeeTiming = S['FeeTiming'];
export type CollateralKind = S['CollateralKind'];
export type PayoffBasis = S['PayoffBasis'];
export type PrepaymentKind = S['FeeKindName'];
export type AllocationComponent = S['AllocationComponent'];
export type CapStatus = S['CapStatus'];

export const METHODS: Method[] = ['equal_installment', 'equal_principal', 'interest_only', 'flat', 'bullet', 'balloon'];
export const FEE_TYPES: FeeType[] = ['consulting', 'gps', 'service'];
export const COLLATERAL_KINDS: CollateralKind[] = ['mortgage', 'pledge'];
export const PAYOFF_BASES: PayoffBasis[] = ['remaining', 'original', 'next_period'];
export const PREPAYMENT_KINDS: PrepaymentKind[] = ['none', 'percent_of_remaining', 'months_interest'];
export const DEFAULT_ALLOCATION: AllocationComponent[] = ['fees', 'penalty', 'compound', 'interest', 'principal'];
