//! Post-loan warnings (贷后预警): what raises them, how serious they are, and the edges a
//! warning may take while it is handled (DESIGN.md §5: every edge explicit, a refused one a
//! 409 `invalid_transition`). Pure: no database, no clock.

use kernel::error::FieldErrors;
use kernel::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a rule watches (预警类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// 逾期: the oldest unpaid installment is at least `days` past due.
    Dpd,
    /// 临近到期: the loan matures within `days`.
    Maturity,
    /// GPS离线: no online report from a fitted device for `days`.
    GpsOffline,
    /// GPS报警: a device reported an alarm (raised at once by the feed).
    GpsAlarm,
    /// 保险到期: a held car's insurance expires within `days` (or has expired).
    Insurance,
    /// 年检到期: a held car's annual inspection is due within `days` (or overdue).
    Inspection,
    /// 黑名单: the borrower was put on the blacklist after the loan was made.
    Blacklist,
}

/// How serious a warning is (预警级别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    /// 低 (关注)
    Low,
    /// 中 (警示)
    Medium,
    /// 高 (严重)
    High,
}

/// Where a warning stands (处理状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningStatus {
    /// 待分派
    Open,
    /// 处理中: someone is assigned.
    Assigned,
    /// 已处理: the assignee said what was done.
    Handled,
    /// 已关闭
    Closed,
}

/// A step of handling (处理动作).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningAction {
    /// 分派 (or 改派 while assigned).
    Assign,
    /// 处理: the assignee records what was done.
    Handle,
    /// 关闭, with a note.
    Close,
}

/// An alarm a GPS platform reports (报警类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GpsAlarm {
    /// 断电
    PowerCut,
    /// 拆除/破坏
    Tamper,
    /// 出围栏
    Geofence,
    /// 低电量
    LowBattery,
    /// 其他
    Other,
}

macro_rules! text_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            pub fn parse(s: &str) -> AppResult<Self> {
                match s {
                    $($s => Ok(<$t>::$v),)*
                    other => Err(AppError::internal(format!("unknown {} {other}", stringify!($t)))),
                }
            }
        }
    };
}

text_enum!(WarningKind {
    Dpd => "dpd", Maturity => "maturity", GpsOffline => "gps_offline", GpsAlarm => "gps_alarm",
    Insurance => "insurance", Inspection => "inspection", Blacklist => "blacklist",
});
text_enum!(WarningLevel { Low => "low", Medium => "medium", High => "high" });
text_enum!(WarningStatus { Open => "open", Assigned => "assigned", Handled => "handled", Closed => "closed" });
text_enum!(WarningAction { Assign => "assign", Handle => "handle", Close => "close" });
text_enum!(GpsAlarm {
    PowerCut => "power_cut", Tamper => "tamper", Geofence => "geofence",
    LowBattery => "low_battery", Other => "other",
});

impl WarningKind {
    /// Whether the rule has a threshold in days (the alarm and the blacklist have none).
    pub fn has_days(self) -> bool {
        !matches!(self, WarningKind::GpsAlarm | WarningKind::Blacklist)
    }
}

/// The longest threshold a rule may have: ten years.
pub const MAX_DAYS: i32 = 3650;

/// The status `action` leads to from `from`, or 409 `invalid_transition`. The edges:
/// open → assigned (分派); assigned → assigned (改派); assigned → handled (处理);
/// handled → closed (关闭). A closed warning stays closed.
pub fn transition(from: WarningStatus, action: WarningAction) -> AppResult<WarningStatus> {
    use WarningAction as A;
    use WarningStatus as S;
    match (from, action) {
        (S::Open | S::Assigned, A::Assign) => Ok(S::Assigned),
        (S::Assigned, A::Handle) => Ok(S::Handled),
        (S::Handled, A::Close) => Ok(S::Closed),
        (from, action) => Err(AppError::conflict(
            "invalid_transition",
            format!(
                "a warning that is {} cannot be {}",
                from.as_str(),
                match action {
                    A::Assign => "assigned",
                    A::Handle => "handled",
                    A::Close => "closed",
                }
            ),
        )),
    }
}

/// The actions open to a warning in `status`, for the clients' buttons.
pub fn allowed_actions(status: WarningStatus) -> Vec<WarningAction> {
    [
        WarningAction::Assign,
        WarningAction::Handle,
        WarningAction::Close,
    ]
    .into_iter()
    .filter(|a| transition(status, *a).is_ok())
    .collect()
}

/// A note a handling step needs: handling and closing say what was done; assigning may.
/// Returns the trimmed note.
pub fn check_note(action: WarningAction, note: Option<&str>) -> AppResult<Option<String>> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = note
        && n.chars().count() > 2000
    {
        return Err(AppError::invalid_field(
            "note",
            "too_long",
            "a note is at most 2000 characters",
        ));
    }
    match (action, note) {
        (WarningAction::Handle | WarningAction::Close, None) => Err(AppError::invalid_field(
            "note",
            "required",
            match action {
                WarningAction::Handle => "say what was done about the warning",
                _ => "say why the warning is closed",
            },
        )),
        (_, note) => Ok(note.map(str::to_string)),
    }
}

/// A rule's settings as an administrator sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSettings {
    pub kind: WarningKind,
    pub days: Option<i32>,
    pub enabled: bool,
}

/// Checks a whole set of rule settings, reporting each problem at `rules[i].days`: a rule with
/// a threshold needs one in 1..=3650, the alarm and blacklist rules take none, and two enabled
/// days-past-due rules never share a threshold (one would shadow the other).
pub fn check_rules(rules: &[RuleSettings]) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    for (i, r) in rules.iter().enumerate() {
        let field = format!("rules[{i}].days");
        match (r.kind.has_days(), r.days) {
            (true, None) => errors.add(field, "required", "this rule needs a number of days"),
            (true, Some(d)) if !(1..=MAX_DAYS).contains(&d) => errors.add(
                field,
                "out_of_range",
                format!("the days are between 1 and {MAX_DAYS}"),
            ),
            (false, Some(_)) => errors.add(field, "not_allowed", "this rule takes no days"),
            _ => {}
        }
        if r.kind == WarningKind::Dpd
            && r.enabled
            && rules[..i]
                .iter()
                .any(|o| o.kind == WarningKind::Dpd && o.enabled && o.days == r.days)
        {
            errors.add(
                format!("rules[{i}].days"),
                "duplicate",
                "another enabled days-past-due rule has this threshold",
            );
        }
    }
    errors.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use WarningAction as A;
    use WarningStatus as S;

    #[test]
    fn a_warning_is_assigned_handled_and_closed_in_that_order() {
        assert_eq!(transition(S::Open, A::Assign).unwrap(), S::Assigned);
        assert_eq!(transition(S::Assigned, A::Assign).unwrap(), S::Assigned);
        assert_eq!(transition(S::Assigned, A::Handle).unwrap(), S::Handled);
        assert_eq!(transition(S::Handled, A::Close).unwrap(), S::Closed);
        for (from, action) in [
            (S::Open, A::Handle),
            (S::Open, A::Close),
            (S::Assigned, A::Close),
            (S::Handled, A::Assign),
            (S::Handled, A::Handle),
            (S::Closed, A::Assign),
            (S::Closed, A::Handle),
            (S::Closed, A::Close),
        ] {
            let e = transition(from, action).unwrap_err();
            assert_eq!(e.code, "invalid_transition", "{from:?} {action:?}");
            assert_eq!(e.kind, kernel::ErrorKind::Conflict);
        }
        assert_eq!(allowed_actions(S::Open), vec![A::Assign]);
        assert_eq!(allowed_actions(S::Assigned), vec![A::Assign, A::Handle]);
        assert_eq!(allowed_actions(S::Handled), vec![A::Close]);
        assert!(allowed_actions(S::Closed).is_empty());
    }

    #[test]
    fn handling_and_closing_need_a_note() {
        assert_eq!(check_note(A::Assign, None).unwrap(), None);
        assert_eq!(check_note(A::Assign, Some("  ")).unwrap(), None);
        assert_eq!(
            check_note(A::Handle, Some(" 已电话联系 "))
                .unwrap()
                .as_deref(),
            Some("已电话联系")
        );
        for a in [A::Handle, A::Close] {
            let e = check_note(a, Some(" ")).unwrap_err();
            assert_eq!(e.field_errors[0].field, "note");
            assert_eq!(e.field_errors[0].code, "required");
        }
        let long = "字".repeat(2001);
        assert_eq!(
            check_note(A::Close, Some(&long)).unwrap_err().field_errors[0].code,
            "too_long"
        );
    }

    #[test]
    fn rule_thresholds_are_checked_where_they_are_given() {
        let r = |kind, days, enabled| RuleSettings {
            kind,
            days,
            enabled,
        };
        assert!(
            check_rules(&[
                r(WarningKind::Dpd, Some(1), true),
                r(WarningKind::Dpd, Some(30), true),
                r(WarningKind::GpsAlarm, None, true),
            ])
            .is_ok()
        );
        let e = check_rules(&[
            r(WarningKind::Dpd, Some(30), true),
            r(WarningKind::Dpd, Some(30), true),
            r(WarningKind::Maturity, None, true),
            r(WarningKind::Insurance, Some(0), true),
            r(WarningKind::Blacklist, Some(3), true),
            r(WarningKind::Dpd, Some(30), false),
        ])
        .unwrap_err();
        let got: Vec<_> = e
            .field_errors
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_ref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("rules[1].days", "duplicate"),
                ("rules[2].days", "required"),
                ("rules[3].days", "out_of_range"),
                ("rules[4].days", "not_allowed"),
            ]
        );
    }

    #[test]
    fn names_round_trip() {
        for k in [
            WarningKind::Dpd,
            WarningKind::Maturity,
            WarningKind::GpsOffline,
            WarningKind::GpsAlarm,
            WarningKind::Insurance,
            WarningKind::Inspection,
            WarningKind::Blacklist,
        ] {
            assert_eq!(WarningKind::parse(k.as_str()).unwrap(), k);
        }
        assert_eq!(GpsAlarm::parse("power_cut").unwrap(), GpsAlarm::PowerCut);
        assert!(WarningStatus::parse("nope").is_err());
    }
}
