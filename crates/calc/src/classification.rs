//! Five-tier loan classification (五级分类) from days past due, RULES.md §8. The class from
//! days past due is a floor: a person may classify worse at once; better needs review.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The five tiers, best first, so `Ord` compares severity.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RiskClass {
    /// 正常
    Normal,
    /// 关注
    SpecialMention,
    /// 次级
    Substandard,
    /// 可疑
    Doubtful,
    /// 损失
    Loss,
}

impl RiskClass {
    /// 次级, 可疑 and 损失 are non-performing (不良).
    pub fn is_non_performing(self) -> bool {
        self >= RiskClass::Substandard
    }

    pub fn chinese_name(self) -> &'static str {
        match self {
            RiskClass::Normal => "正常",
            RiskClass::SpecialMention => "关注",
            RiskClass::Substandard => "次级",
            RiskClass::Doubtful => "可疑",
            RiskClass::Loss => "损失",
        }
    }
}

/// Where each class starts, in days past due; DPD 0 is 正常 and 1 onwards at least 关注.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassificationTable {
    pub substandard_from_dpd: i64,
    pub doubtful_from_dpd: i64,
    pub loss_from_dpd: i64,
}

impl ClassificationTable {
    /// The 2023 rules: 1–90 关注, 91–270 次级, 271–360 可疑, over 360 损失.
    pub const RULES_2023: ClassificationTable = ClassificationTable {
        substandard_from_dpd: 91,
        doubtful_from_dpd: 271,
        loss_from_dpd: 361,
    };

    /// Older small-loan policies: 91–180 次级, 181–360 可疑.
    pub const ALTERNATIVE: ClassificationTable = ClassificationTable {
        substandard_from_dpd: 91,
        doubtful_from_dpd: 181,
        loss_from_dpd: 361,
    };

    /// The floor class for `days_past_due`.
    pub fn floor(&self, days_past_due: i64) -> RiskClass {
        match days_past_due {
            d if d >= self.loss_from_dpd => RiskClass::Loss,
            d if d >= self.doubtful_from_dpd => RiskClass::Doubtful,
            d if d >= self.substandard_from_dpd => RiskClass::Substandard,
            d if d >= 1 => RiskClass::SpecialMention,
            _ => RiskClass::Normal,
        }
    }

    /// The floor, raised to at least 关注 for a restructured loan (an extension granted for
    /// financial difficulty, RULES.md §7).
    pub fn classify(&self, days_past_due: i64, restructured: bool) -> RiskClass {
        let floor = self.floor(days_past_due);
        if restructured {
            floor.max(RiskClass::SpecialMention)
        } else {
            floor
        }
    }
}

impl Default for ClassificationTable {
    fn default() -> Self {
        ClassificationTable::RULES_2023
    }
}

/// Interest stops being booked as income past this many days past due.
pub const NON_ACCRUAL_AFTER_DPD: i64 = 90;

/// Non-accrual (停止计息入账): DPD > 90 stops booking interest income and reverses accrued
/// unpaid interest to off balance sheet.
pub fn is_non_accrual(days_past_due: i64) -> bool {
    days_past_due > NON_ACCRUAL_AFTER_DPD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2023_table_and_the_alternative_differ_on_181_to_270() {
        let t = ClassificationTable::RULES_2023;
        let cases = [
            (0, RiskClass::Normal),
            (1, RiskClass::SpecialMention),
            (90, RiskClass::SpecialMention),
            (91, RiskClass::Substandard),
            (270, RiskClass::Substandard),
            (271, RiskClass::Doubtful),
            (360, RiskClass::Doubtful),
            (361, RiskClass::Loss),
        ];
        for (dpd, class) in cases {
            assert_eq!(t.floor(dpd), class, "dpd {dpd}");
        }
        let alt = ClassificationTable::ALTERNATIVE;
        assert_eq!(alt.floor(180), RiskClass::Substandard);
        assert_eq!(alt.floor(181), RiskClass::Doubtful);
        assert_eq!(t.classify(0, true), RiskClass::SpecialMention);
        assert!(!is_non_accrual(90));
        assert!(is_non_accrual(91));
    }
}
