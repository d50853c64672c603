import { decimalToPercent, percentToDecimal } from './decimal';
import type {
  AllocationComponent,
  CollateralKind,
  FeeBasis,
  FeeTiming,
  FeeType,
  Method,
  PayoffBasis,
  PrepaymentKind,
  Product,
  ProductInput,
} from '../api/products';
import { DEFAULT_ALLOCATION } from '../api/products';

// The product form keeps rates and fractions as percentages, as people type them ("23.99"),
// and converts them to the API's decimal fractions ("0.2399") as text, never through a number.

export interface FeeRow {
  type: FeeType;
  basis: FeeBasis;
  timing: FeeTiming;
  amount?: string | null;
  ratePct?: string | null;
}

export interface ProductFormValues {
  code: string;
  name: string;
  description?: string | null;
  methods: Method[];
  termMonthsMin: number;
  termMonthsMax: number;
  amountMin: string;
  amountMax: string;
  rateMinPct: string;
  rateMaxPct: string;
  dayBasis: number;
  penaltyMultiplier: string;
  graceDays: number;
  allocation: { components: AllocationComponent[]; installmentByInstallment: boolean };
  fees: FeeRow[];
  repaymentDay?: number | null;
  minFirstPeriodDays: number;
  balloonRatioPct?: string | null;
  maxLtvPct: string;
  prepaymentFee: {
    kind: PrepaymentKind;
    ratePct?: string | null;
    months?: number | null;
    freeAfterMonths?: number | null;
    cap?: string | null;
  };
  collateralKind: CollateralKind;
  gpsRequired: boolean;
  flatPayoffBasis: PayoffBasis;
}

const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';
const pctIn = (v: string) => percentToDecimal(v) ?? v.trim();
const pctOut = (v: string | null | undefined) => (blank(v) ? null : (decimalToPercent(v!) ?? v!));

/** Empty form values for a new product, with RULES.md's defaults. */
export function emptyProductForm(): ProductFormValues {
  return {
    code: '',
    name: '',
    description: null,
    methods: ['equal_installment'],
    termMonthsMin: 12,
    termMonthsMax: 36,
    amountMin: '',
    amountMax: '',
    rateMinPct: '',
    rateMaxPct: '',
    dayBasis: 360,
    penaltyMultiplier: '1.5',
    graceDays: 0,
    allocation: { components: [...DEFAULT_ALLOCATION], installmentByInstallment: false },
    fees: [],
    repaymentDay: null,
    minFirstPeriodDays: 10,
    balloonRatioPct: null,
    maxLtvPct: '70',
    prepaymentFee: { kind: 'none' },
    collateralKind: 'mortgage',
    gpsRequired: true,
    flatPayoffBasis: 'remaining',
  };
}

/** A product's current terms as form values. */
export function productToForm(p: Product): ProductFormValues {
  const t = p.terms;
  return {
    code: p.code,
    name: p.name,
    description: p.description ?? null,
    methods: t.methods,
    termMonthsMin: t.termMonthsMin,
    termMonthsMax: t.termMonthsMax,
    amountMin: t.amountMin,
    amountMax: t.amountMax,
    rateMinPct: pctOut(t.rateMin) ?? '',
    rateMaxPct: pctOut(t.rateMax) ?? '',
    dayBasis: t.dayBasis ?? 360,
    penaltyMultiplier: t.penaltyMultiplier ?? '1.5',
    graceDays: t.graceDays ?? 0,
    allocation: {
      components: t.allocation?.components ?? [...DEFAULT_ALLOCATION],
      installmentByInstallment: t.allocation?.installmentByInstallment ?? false,
    },
    fees: (t.fees ?? []).map((f) => ({
      type: f.type,
      basis: f.basis,
      timing: f.timing,
      amount: f.amount ?? null,
      ratePct: pctOut(f.rate),
    })),
    repaymentDay: t.repaymentDay ?? null,
    minFirstPeriodDays: t.minFirstPeriodDays ?? 10,
    balloonRatioPct: pctOut(t.balloonRatio),
    maxLtvPct: pctOut(t.maxLtv) ?? '',
    prepaymentFee: {
      kind: t.prepaymentFee?.kind ?? 'none',
      ratePct: pctOut(t.prepaymentFee?.rate),
      months: t.prepaymentFee?.months ?? null,
      freeAfterMonths: t.prepaymentFee?.freeAfterMonths ?? null,
      cap: t.prepaymentFee?.cap ?? null,
    },
    collateralKind: t.collateralKind,
    gpsRequired: t.gpsRequired ?? false,
    flatPayoffBasis: t.flatPayoffBasis ?? 'remaining',
  };
}

/** The request body of the form's values; `version` when editing. */
export function formToProductInput(v: ProductFormValues, version?: number): ProductInput {
  const pf = v.prepaymentFee;
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    description: blank(v.description) ? null : v.description!.trim(),
    methods: v.methods,
    termMonthsMin: v.termMonthsMin,
    termMonthsMax: v.termMonthsMax,
    amountMin: v.amountMin.trim(),
    amountMax: v.amountMax.trim(),
    rateMin: pctIn(v.rateMinPct),
    rateMax: pctIn(v.rateMaxPct),
    dayBasis: v.dayBasis,
    penaltyMultiplier: v.penaltyMultiplier.trim(),
    graceDays: v.graceDays ?? 0,
    allocation: v.allocation,
    fees: (v.fees ?? []).map((f) =>
      f.basis === 'fixed'
        ? { type: f.type, basis: f.basis, timing: f.timing, amount: blank(f.amount) ? null : f.amount!.trim() }
        : { type: f.type, basis: f.basis, timing: f.timing, rate: blank(f.ratePct) ? null : pctIn(f.ratePct!) },
    ),
    repaymentDay: v.repaymentDay ?? null,
    minFirstPeriodDays: v.minFirstPeriodDays ?? 10,
    balloonRatio: v.methods.includes('balloon') && !blank(v.balloonRatioPct) ? pctIn(v.balloonRatioPct!) : null,
    maxLtv: pctIn(v.maxLtvPct),
    prepaymentFee:
      pf.kind === 'none'
        ? null
        : {
            kind: pf.kind,
            rate: pf.kind === 'percent_of_remaining' && !blank(pf.ratePct) ? pctIn(pf.ratePct!) : null,
            months: pf.kind === 'months_interest' ? (pf.months ?? null) : null,
            freeAfterMonths: pf.freeAfterMonths ?? null,
            cap: blank(pf.cap) ? null : pf.cap!.trim(),
          },
    collateralKind: v.collateralKind,
    gpsRequired: v.gpsRequired,
    flatPayoffBasis: v.flatPayoffBasis,
    ...(version !== undefined ? { version } : {}),
  };
}

/**
 * Server field → form field for the fields the form shows as percentages, so a 422 lands on
 * the input the user typed in (`fees[1].rate` → `fees[1].ratePct`).
 */
export function productFieldAliases(feeCount: number): Record<string, string> {
  const aliases: Record<string, string> = {
    rateMin: 'rateMinPct',
    rateMax: 'rateMaxPct',
    maxLtv: 'maxLtvPct',
    balloonRatio: 'balloonRatioPct',
    'prepaymentFee.rate': 'prepaymentFee.ratePct',
  };
  for (let i = 0; i < feeCount; i++) aliases[`fees[${i}].rate`] = `fees[${i}].ratePct`;
  return aliases;
}

/** "0.12" and "0.2399" → "12% – 23.99%". */
export function rateRange(min: string, max: string): string {
  const a = decimalToPercent(min) ?? min;
  const b = decimalToPercent(max) ?? max;
  return a === b ? `${a}%` : `${a}% – ${b}%`;
}
