//! The review committee's arithmetic (贷审会, RULES.md §12): quorum, the pass fraction, the
//! veto that can reject but never approve, recusal. Pure: members, attendance and ballots in,
//! a tally out.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A fraction such as 2/3, kept exact: `agree × denominator ≥ eligible × numerator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Fraction {
    pub numerator: u32,
    pub denominator: u32,
}

impl Fraction {
    pub const TWO_THIRDS: Fraction = Fraction {
        numerator: 2,
        denominator: 3,
    };

    /// Whether `part` of `whole` reaches the fraction.
    pub fn reached(self, part: usize, whole: usize) -> bool {
        part as u64 * u64::from(self.denominator) >= whole as u64 * u64::from(self.numerator)
    }

    pub fn is_valid(self) -> bool {
        self.denominator > 0 && self.numerator > 0 && self.numerator <= self.denominator
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    /// 同意
    Agree,
    /// 不同意
    Disagree,
    /// 复议 / 补充调查
    Reinvestigate,
}

impl Vote {
    pub fn as_str(self) -> &'static str {
        match self {
            Vote::Agree => "agree",
            Vote::Disagree => "disagree",
            Vote::Reinvestigate => "reinvestigate",
        }
    }

    pub fn parse(s: &str) -> Option<Vote> {
        match s {
            "agree" => Some(Vote::Agree),
            "disagree" => Some(Vote::Disagree),
            "reinvestigate" => Some(Vote::Reinvestigate),
            _ => None,
        }
    }
}

/// A committee member as the tally sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub user_id: i64,
    /// A presenter (汇报人) sits in but has no vote.
    pub voting: bool,
    pub veto: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ballot {
    pub user_id: i64,
    pub vote: Vote,
    /// Cast with the member's veto: a disagreement that rejects whatever the others say.
    pub veto: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = CommitteeOutcome)]
pub enum Outcome {
    Passed,
    Rejected,
    /// Back for further investigation.
    Reinvestigate,
}

/// The count of one agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    pub voting_members: usize,
    /// Voting members present.
    pub present: usize,
    pub recused: usize,
    /// Present, voting and not recused: whose ballots count.
    pub eligible: usize,
    pub agree: usize,
    pub disagree: usize,
    pub reinvestigate: usize,
    pub quorum_met: bool,
    pub vetoed: bool,
    /// Eligible members who have not voted yet.
    pub waiting_for: Vec<i64>,
    /// Known once the quorum is met and every eligible member has voted.
    pub outcome: Option<Outcome>,
}

/// Counts the ballots of the eligible members under the committee's quorum and pass fraction.
pub fn tally(
    members: &[Member],
    present: &[i64],
    recused: &[i64],
    ballots: &[Ballot],
    quorum: Fraction,
    pass: Fraction,
) -> Tally {
    let voting: Vec<&Member> = members.iter().filter(|m| m.voting).collect();
    let here: Vec<&&Member> = voting
        .iter()
        .filter(|m| present.contains(&m.user_id))
        .collect();
    let eligible: Vec<i64> = here
        .iter()
        .filter(|m| !recused.contains(&m.user_id))
        .map(|m| m.user_id)
        .collect();
    let counted: Vec<&Ballot> = ballots
        .iter()
        .filter(|b| eligible.contains(&b.user_id))
        .collect();
    let count = |v: Vote| counted.iter().filter(|b| b.vote == v).count();
    let (agree, disagree, reinvestigate) = (
        count(Vote::Agree),
        count(Vote::Disagree),
        count(Vote::Reinvestigate),
    );
    let vetoed = counted.iter().any(|b| {
        b.veto
            && b.vote == Vote::Disagree
            && members.iter().any(|m| m.user_id == b.user_id && m.veto)
    });
    let waiting_for: Vec<i64> = eligible
        .iter()
        .copied()
        .filter(|u| !counted.iter().any(|b| b.user_id == *u))
        .collect();
    let quorum_met = !voting.is_empty() && quorum.reached(here.len(), voting.len());
    let outcome = (quorum_met && waiting_for.is_empty() && !eligible.is_empty()).then(|| {
        if vetoed {
            Outcome::Rejected
        } else if pass.reached(agree, eligible.len()) {
            Outcome::Passed
        } else if reinvestigate > disagree {
            Outcome::Reinvestigate
        } else {
            Outcome::Rejected
        }
    });
    Tally {
        voting_members: voting.len(),
        present: here.len(),
        recused: here.len() - eligible.len(),
        eligible: eligible.len(),
        agree,
        disagree,
        reinvestigate,
        quorum_met,
        vetoed,
        waiting_for,
        outcome,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn five(veto_holder: Option<i64>) -> Vec<Member> {
        (1..=5)
            .map(|id| Member {
                user_id: id,
                voting: true,
                veto: veto_holder == Some(id),
            })
            .chain(std::iter::once(Member {
                user_id: 9,
                voting: false,
                veto: false,
            }))
            .collect()
    }

    fn ballots(votes: &[(i64, Vote)]) -> Vec<Ballot> {
        votes
            .iter()
            .map(|&(user_id, vote)| Ballot {
                user_id,
                vote,
                veto: false,
            })
            .collect()
    }

    use Vote::*;

    #[test]
    fn three_of_four_present_pass_at_two_thirds_and_two_of_four_do_not() {
        let present = [1, 2, 3, 4, 9];
        let t = tally(
            &five(None),
            &present,
            &[],
            &ballots(&[(1, Agree), (2, Agree), (3, Agree), (4, Disagree)]),
            Fraction::TWO_THIRDS,
            Fraction::TWO_THIRDS,
        );
        // 4 of 5 voting members present (the presenter 9 does not count): quorum 4 × 3 ≥ 5 × 2.
        assert_eq!((t.present, t.eligible, t.quorum_met), (4, 4, true));
        assert_eq!(t.outcome, Some(Outcome::Passed), "3 × 3 ≥ 4 × 2");
        let t = tally(
            &five(None),
            &present,
            &[],
            &ballots(&[(1, Agree), (2, Agree), (3, Disagree), (4, Disagree)]),
            Fraction::TWO_THIRDS,
            Fraction::TWO_THIRDS,
        );
        assert_eq!(t.outcome, Some(Outcome::Rejected), "2 × 3 < 4 × 2");
    }

    #[test]
    fn three_of_five_present_is_no_quorum_and_decides_nothing() {
        let t = tally(
            &five(None),
            &[1, 2, 3],
            &[],
            &ballots(&[(1, Agree), (2, Agree), (3, Agree)]),
            Fraction::TWO_THIRDS,
            Fraction::TWO_THIRDS,
        );
        // 3 × 3 = 9 < 5 × 2 = 10.
        assert!(!t.quorum_met);
        assert_eq!(t.outcome, None);
    }

    #[test]
    fn a_veto_rejects_a_majority_but_a_vetoholder_agreeing_approves_nothing_alone() {
        let mut b = ballots(&[
            (1, Agree),
            (2, Agree),
            (3, Agree),
            (4, Agree),
            (5, Disagree),
        ]);
        b[4].veto = true;
        let t = tally(
            &five(Some(5)),
            &[1, 2, 3, 4, 5],
            &[],
            &b,
            Fraction::TWO_THIRDS,
            Fraction::TWO_THIRDS,
        );
        assert!(t.vetoed);
        assert_eq!(t.outcome, Some(Outcome::Rejected));
        // A veto flag from someone who holds none counts as a plain disagreement.
        let t = tally(
            &five(None),
            &[1, 2, 3, 4, 5],
            &[],
            &b,
            Fraction::TWO_THIRDS,
            Fraction::TWO_THIRDS,
        );
        assert_eq!(t.outcome, Some(Outcome::Passed));
        // The veto holder alone agreeing: 1 of 5 is no approval.
        let t = tally(
            &five(Some(5)),
            &[1, 2, 3, 4, 5],
            &[],
            &ballots(&[
                (1, Disagree),
                (2, Disagree),
                (3, Disagree),
                (4, Disagree),
                (5, Agree),
            ]),
            Fraction::TWO_THIRDS,
            Fraction::TWO_THIRDS,
        );
        assert_eq!(t.outcome, Some(Outcome::Rejected));
    }

    #[test]
    fn a_recused_member_counts_for_quorum_but_not_for_the_vote() {
        let t = tally(
            &five(None),
            &[1, 2, 3, 4, 5],
            &[5],
            &ballots(&[
                (1, Agree),
                (2, Agree),
                (3, Agree),
                (4, Disagree),
                (5, Disagree),
            ]),
            Fraction::TWO_THIRDS,
            Fraction::TWO_THIRDS,
        );
        assert_eq!((t.present, t.recused, t.eligible), (5, 1, 4));
        assert_eq!(
            (t.agree, t.disagree),
            (3, 1),
            "the recused ballot is ignored"
        );
        assert_eq!(t.outcome, Some(Outcome::Passed));
    }

    #[test]
    fn the_outcome_waits_for_every_eligible_vote_and_reinvestigation_needs_more_than_no() {
        let t = tally(
            &five(None),
            &[1, 2, 3, 4],
            &[],
            &ballots(&[(1, Agree), (2, Reinvestigate)]),
            Fraction::TWO_THIRDS,
            Fraction::TWO_THIRDS,
        );
        assert_eq!(t.waiting_for, vec![3, 4]);
        assert_eq!(t.outcome, None);
        let t = tally(
            &five(None),
            &[1, 2, 3, 4],
            &[],
            &ballots(&[
                (1, Agree),
                (2, Reinvestigate),
                (3, Reinvestigate),
                (4, Disagree),
            ]),
            Fraction::TWO_THIRDS,
            Fraction::TWO_THIRDS,
        );
        assert_eq!(t.outcome, Some(Outcome::Reinvestigate));
    }
}
