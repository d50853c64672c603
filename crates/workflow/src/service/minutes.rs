//! The minutes of a committee meeting (贷审会会议纪要) as a PDF: who attended, and for each
//! item every named vote with its opinion, recusals, the tally and the decision.

use documents::{PREAMBLE, lit};
use iam::Actor;
use kernel::{AppError, AppResult, ErrorKind};

use super::WorkflowContext;
use super::meetings::{self, Meeting};
use crate::domain::committee::Outcome;

fn vote_zh(vote: &str) -> &'static str {
    match vote {
        "agree" => "同意",
        "disagree" => "不同意",
        _ => "复议",
    }
}

fn outcome_zh(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Passed) => "通过",
        Some(Outcome::Rejected) => "否决",
        Some(Outcome::Reinvestigate) => "补充调查后复议",
        None => "尚未表决",
    }
}

/// The minutes as typst markup; pure.
pub fn markup(m: &Meeting) -> String {
    let name_of = |id: i64| {
        m.committee
            .members
            .iter()
            .find(|x| x.user_id == id)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let present: Vec<String> = m.present_ids.iter().map(|id| name_of(*id)).collect();
    let mut s = String::from(PREAMBLE);
    s.push_str("#align(center)[#text(size: 16pt, weight: \"bold\")[贷款审查委员会会议纪要]]\n\n");
    s.push_str(&format!(
        "会议：#{}\n\n委员会：#{}　时间：#{}　地点：#{}\n\n出席：#{}\n\n",
        lit(&m.title),
        lit(&m.committee.name),
        lit(&m.scheduled_at.date().to_string()),
        lit(&m.place),
        lit(&if present.is_empty() {
            "—".to_string()
        } else {
            present.join("、")
        }),
    ));
    for (i, item) in m.items.iter().enumerate() {
        s.push_str(&format!("== 议题 {}：#{}\n", i + 1, lit(&item.task.title)));
        s.push_str("#table(columns: (auto, auto, 1fr), stroke: 0.5pt, inset: 5pt,\n  [*委员*], [*表决*], [*意见*],\n");
        for v in &item.votes {
            let vote = format!(
                "{}{}",
                vote_zh(&v.vote),
                if v.veto { "（一票否决）" } else { "" }
            );
            s.push_str(&format!(
                "  [#{}], [#{}], [#{}],\n",
                lit(&v.name),
                lit(&vote),
                lit(&v.opinion)
            ));
        }
        s.push_str(")\n");
        for r in &item.recusals {
            s.push_str(&format!(
                "回避：#{}（#{}）\n\n",
                lit(&r.name),
                lit(&r.reason)
            ));
        }
        let t = &item.tally;
        s.push_str(&format!(
            "表决结果：应到有表决权委员 {}，实到 {}，回避 {}；同意 {}，不同意 {}，复议 {}。决议：*{}*\n\n",
            t.voting_members,
            t.present,
            t.recused,
            t.agree,
            t.disagree,
            t.reinvestigate,
            outcome_zh(item.outcome)
        ));
    }
    s.push_str("#v(2em)\n主任委员签字：　　　　　　　记录人：\n");
    s
}

/// The meeting's title and its minutes as a PDF, for a member or a committee manager.
pub async fn pdf(ctx: &WorkflowContext, actor: &Actor, id: i64) -> AppResult<(String, Vec<u8>)> {
    let meeting = meetings::get(ctx, actor, id).await?;
    let text = markup(&meeting);
    let rendered = tokio::task::spawn_blocking(move || documents::render_pdf(&text))
        .await
        .map_err(AppError::internal)?;
    let bytes = rendered.map_err(|e| match e {
        documents::DocumentError::NoFont(_) => {
            AppError::new(ErrorKind::Internal, "font_missing", e.to_string())
        }
        other => AppError::internal(other),
    })?;
    Ok((format!("minutes-{}", meeting.id), bytes))
}
