//! A loan's five-tier class (五级分类) as the books carry it, RULES.md §8: the floor from days
//! past due (`calc::classification`), and a person's class on top — worse at once, better
//! than the floor only when reviewed, and then only while the floor is no worse than it was
//! when the better class was approved. The daily close's SQL computes the same.

pub use calc::classification::{ClassificationTable, RiskClass};

/// The class a loan carries.
pub fn effective_class(
    floor: RiskClass,
    assigned: Option<RiskClass>,
    approved_floor: Option<RiskClass>,
) -> RiskClass {
    match (assigned, approved_floor) {
        (None, _) => floor,
        (Some(a), Some(approved)) if floor <= approved => a,
        (Some(a), _) => a.max(floor),
    }
}

/// The database's name of a class.
pub fn class_code(c: RiskClass) -> &'static str {
    match c {
        RiskClass::Normal => "normal",
        RiskClass::SpecialMention => "special_mention",
        RiskClass::Substandard => "substandard",
        RiskClass::Doubtful => "doubtful",
        RiskClass::Loss => "loss",
    }
}

pub fn parse_class(s: &str) -> kernel::AppResult<RiskClass> {
    [
        RiskClass::Normal,
        RiskClass::SpecialMention,
        RiskClass::Substandard,
        RiskClass::Doubtful,
        RiskClass::Loss,
    ]
    .into_iter()
    .find(|c| class_code(*c) == s)
    .ok_or_else(|| kernel::AppError::internal(format!("unknown class {s}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use RiskClass::*;

    #[test]
    fn the_floor_rules_unless_a_person_said_worse_or_a_review_said_better() {
        assert_eq!(effective_class(Substandard, None, None), Substandard);
        // Worse at once; the floor still applies when it is worse still.
        assert_eq!(
            effective_class(SpecialMention, Some(Doubtful), None),
            Doubtful
        );
        assert_eq!(effective_class(Loss, Some(Doubtful), None), Loss);
        // A reviewed better class holds while the floor is no worse than at approval…
        assert_eq!(
            effective_class(Substandard, Some(SpecialMention), Some(Substandard)),
            SpecialMention
        );
        assert_eq!(
            effective_class(SpecialMention, Some(SpecialMention), Some(Substandard)),
            SpecialMention
        );
        // …and gives way once the floor gets worse than that.
        assert_eq!(
            effective_class(Doubtful, Some(SpecialMention), Some(Substandard)),
            Doubtful
        );
    }
}
