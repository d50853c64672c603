import type { RiskClass } from '../api/client';

// The five tiers (五级分类) from best to worst, and what the forms may offer.

export const RISK_CLASSES: RiskClass[] = ['normal', 'special_mention', 'substandard', 'doubtful', 'loss'];

/** Position from best (0, 正常) to worst (4, 损失). */
export const classRank = (c: RiskClass) => RISK_CLASSES.indexOf(c);

/** Classes worse than `c`: set at once by a person (调整为更差分类). */
export const worseThan = (c: RiskClass) => RISK_CLASSES.filter((x) => classRank(x) > classRank(c));

/** Classes better than `c`: asked for and approved by someone else (申请上调分类). */
export const betterThan = (c: RiskClass) => RISK_CLASSES.filter((x) => classRank(x) < classRank(c));

/** 次级, 可疑 and 损失 are non-performing (不良). */
export const isNonPerforming = (c: RiskClass) => classRank(c) >= 2;

/** Tag colours: green to red. */
export const CLASS_COLORS: Record<RiskClass, string> = {
  normal: 'success',
  special_mention: 'gold',
  substandard: 'orange',
  doubtful: 'volcano',
  loss: 'red',
};
