// Risk screening reasons as people read them. A reason's code is a rule (`age`, `blacklist` …),
// `score`, `data_unavailable:<fact>` or `provider_unavailable:<provider>`.

export interface ReasonLabel {
  /** i18n key of the label. */
  key: string;
  params?: Record<string, string>;
  /** i18n keys of the parameters' own labels, translated before use. */
  paramKeys?: Record<string, string>;
}

export function reasonLabel(code: string): ReasonLabel {
  const [kind, arg] = code.split(':', 2);
  if (kind === 'data_unavailable' && arg) return { key: 'risk.dataUnavailable', paramKeys: { fact: `risk.facts.${arg}` } };
  if (kind === 'provider_unavailable' && arg) return { key: 'risk.providerUnavailable', paramKeys: { provider: `risk.providers.${arg}` } };
  return { key: `risk.ruleCodes.${code}` };
}

/** Which bounds a rule takes, as the server checks them. */
export function ruleBounds(code: string): { min: boolean; max: boolean; windowDays: boolean } {
  return {
    min: code === 'age' || code === 'enterprise_age',
    max: ['age', 'recent_applications', 'debt_to_income', 'loan_to_value'].includes(code),
    windowDays: code === 'recent_applications',
  };
}

/** The lowest grade's "any score" bound (i32::MIN on the server) shown as a blank. */
export const ANY_SCORE = -2147483648;
