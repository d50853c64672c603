//! The review committee over HTTP: a flow step decided by a meeting's named votes, the
//! two-thirds pass, the veto, quorum, recusal, immutable votes and the committee's own rules.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::origination::{Cast, act, cast, detail, inbox, to_review};

/// Five voters (c1 chairs, c5 holds a veto) and a presenter.
struct Board {
    id: i64,
    voters: Vec<(i64, String)>,
    presenter: (i64, String),
}

async fn board(app: &TestApp, c: &Cast) -> Board {
    let mut voters = Vec::new();
    for name in ["board-1", "board-2", "board-3", "board-4", "board-5"] {
        voters.push(app.user_token(&c.admin, name, None, &[]).await);
    }
    let presenter = app.user_token(&c.admin, "presenter", None, &[]).await;
    let mut members: Vec<Value> = voters
        .iter()
        .enumerate()
        .map(|(i, (id, _))| {
            json!({"userId": id, "role": if i == 0 { "chair" } else { "member" }, "veto": i == 4})
        })
        .collect();
    members.push(json!({"userId": presenter.0, "role": "presenter"}));
    let created = expect_json(
        app.post(
            "/api/v1/committees",
            Some(&c.admin),
            &json!({"name": "贷审会", "members": members}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["quorum"], json!({"numerator": 2, "denominator": 3}));
    Board {
        id: created["id"].as_i64().unwrap(),
        voters,
        presenter,
    }
}

/// 初审 by role 1; above 150 000 the committee decides; else approved.
async fn committee_flow(app: &TestApp, c: &Cast, committee: i64) {
    expect_json(
        app.put(
            "/api/v1/flows/loan_application",
            &c.admin,
            &json!({"name": "贷款审批", "graph": {"start": "first", "steps": [
                {"key": "first", "name": "初审", "assignee": {"kind": "role", "roleId": c.first_role},
                 "next": [{"to": "board", "when": [{"fact": "amount", "op": "gt", "values": ["150000"]}]},
                          {"to": "end"}]},
                {"key": "board", "name": "贷审会", "assignee": {"kind": "committee", "committeeId": committee},
                 "next": [{"to": "end"}]}
            ]}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

/// An application past 初审 and waiting for the committee.
async fn at_committee(app: &TestApp, c: &Cast) -> Value {
    let a = to_review(app, c, "180000").await;
    let task = inbox(app, &c.first_reviewer.1).await[0].clone();
    let moved = act(
        app,
        &c.first_reviewer.1,
        &task,
        json!({"action": "approve"}),
    )
    .await;
    assert_eq!(moved["currentStep"], "board");
    a
}

async fn meeting(app: &TestApp, c: &Cast, b: &Board) -> Value {
    let pending = expect_json(
        app.get(
            &format!("/api/v1/committees/{}/pending-tasks", b.id),
            &c.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<Value> = pending
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].clone())
        .collect();
    expect_json(
        app.post(
            "/api/v1/meetings",
            Some(&c.admin),
            &json!({"committeeId": b.id, "title": "第 12 次贷审会", "scheduledAt": "2026-03-02T08:00:00Z",
                    "place": "总部三楼会议室", "taskIds": ids}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

async fn attend(app: &TestApp, c: &Cast, m: &Value, present: &[i64]) -> Value {
    expect_json(
        app.put(
            &format!("/api/v1/meetings/{}/attendance", m["id"]),
            &c.admin,
            &json!({"presentIds": present, "version": m["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

async fn vote(
    app: &TestApp,
    token: &str,
    m: &Value,
    item: &Value,
    body: Value,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/meetings/{}/items/{}/votes", m["id"], item["id"]),
        Some(token),
        &body,
    )
    .await
}

async fn close(app: &TestApp, c: &Cast, m: &Value, item: &Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/meetings/{}/items/{}/close", m["id"], item["id"]),
        Some(&c.admin),
        &json!({}),
    )
    .await
}

fn ids(b: &Board, which: &[usize]) -> Vec<i64> {
    which.iter().map(|i| b.voters[*i].0).collect()
}

#[tokio::test]
async fn two_thirds_of_the_present_approve_and_a_veto_rejects_a_majority() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let b = board(&app, &c).await;
    committee_flow(&app, &c, b.id).await;
    let first = at_committee(&app, &c).await;
    let second = at_committee(&app, &c).await;

    // The chair sees the task but cannot decide it alone.
    let chair_task = inbox(&app, &b.voters[0].1).await[0].clone();
    expect_problem(
        app.post(
            &format!("/api/v1/tasks/{}/actions", chair_task["id"]),
            Some(&b.voters[0].1),
            &json!({"action": "approve"}),
        )
        .await,
        StatusCode::CONFLICT,
        "committee_decides",
    )
    .await;

    let m = meeting(&app, &c, &b).await;
    let items = m["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    // A member who holds no loan permission may open what is on the agenda.
    expect_json(
        app.get(
            &format!("/api/v1/loan-applications/{}", first["id"]),
            &b.voters[3].1,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(m["committee"]["members"][0]["name"], "board-1");
    let mut present = ids(&b, &[0, 1, 2, 3, 4]);
    present.push(b.presenter.0);
    let m = attend(&app, &c, &m, &present).await;

    // Item 1: four agree, one (the veto holder, without veto) disagrees: 4 × 3 ≥ 5 × 2.
    for (i, v) in ["agree", "agree", "agree", "agree", "disagree"]
        .iter()
        .enumerate()
    {
        let r = vote(
            &app,
            &b.voters[i].1,
            &m,
            &items[0],
            json!({"vote": v, "opinion": "意见"}),
        )
        .await;
        expect_json(r, StatusCode::OK).await;
    }
    // A vote is never changed; the presenter has none.
    expect_problem(
        vote(
            &app,
            &b.voters[0].1,
            &m,
            &items[0],
            json!({"vote": "disagree", "opinion": "改主意"}),
        )
        .await,
        StatusCode::CONFLICT,
        "already_voted",
    )
    .await;
    expect_problem(
        vote(
            &app,
            &b.presenter.1,
            &m,
            &items[0],
            json!({"vote": "agree", "opinion": "x"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "no_vote",
    )
    .await;
    let decided = expect_json(close(&app, &c, &m, &items[0]).await, StatusCode::OK).await;
    assert_eq!(decided["decision"], "approved");
    let d = detail(&app, &c.manager, &first["id"]).await;
    assert_eq!(d["application"]["status"], "approved");
    let last = d["flow"]["events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["comment"], "贷审会表决：同意 4，不同意 1，复议 0");

    // Item 2: the same majority, but the veto holder casts the veto.
    for (i, v) in ["agree", "agree", "agree", "agree"].iter().enumerate() {
        expect_json(
            vote(
                &app,
                &b.voters[i].1,
                &m,
                &items[1],
                json!({"vote": v, "opinion": "同意"}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    // Only a holder may veto, and only to disagree.
    let p = expect_problem(
        vote(
            &app,
            &b.voters[4].1,
            &m,
            &items[1],
            json!({"vote": "agree", "opinion": "x", "veto": true}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("veto".into(), "veto_not_allowed".into())]
    );
    expect_json(
        vote(
            &app,
            &b.voters[4].1,
            &m,
            &items[1],
            json!({"vote": "disagree", "opinion": "抵押物瑕疵", "veto": true}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let decided = expect_json(close(&app, &c, &m, &items[1]).await, StatusCode::OK).await;
    assert_eq!(decided["decision"], "rejected");
    assert_eq!(
        detail(&app, &c.manager, &second["id"]).await["application"]["status"],
        "rejected"
    );

    // The minutes: named votes with opinions, the tallies as they stood.
    let minutes = expect_json(
        app.get(&format!("/api/v1/meetings/{}", m["id"]), &b.voters[2].1)
            .await,
        StatusCode::OK,
    )
    .await;
    let item = &minutes["items"][1];
    assert_eq!(item["outcome"], "rejected");
    assert_eq!(item["tally"]["vetoed"], true);
    assert_eq!(item["tally"]["agree"], 4);
    assert_eq!(item["votes"].as_array().unwrap().len(), 5);
    assert_eq!(item["votes"][4]["opinion"], "抵押物瑕疵");
    // The minutes as a PDF, for a member.
    let pdf = app
        .client
        .get(app.url(&format!("/api/v1/meetings/{}/minutes.pdf", m["id"])))
        .bearer_auth(&b.voters[2].1)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    // Closed items take no more votes.
    expect_problem(
        close(&app, &c, &m, &items[1]).await,
        StatusCode::CONFLICT,
        "item_decided",
    )
    .await;
    // And the database itself refuses to change a vote.
    let changed = app
        .db
        .execute_unprepared("UPDATE committee_votes SET vote = 'agree' WHERE veto")
        .await;
    assert!(changed.is_err(), "votes are immutable");
}

#[tokio::test]
async fn without_a_quorum_or_with_votes_missing_nothing_is_decided_and_recusal_counts_for_quorum() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let b = board(&app, &c).await;
    committee_flow(&app, &c, b.id).await;
    let a = at_committee(&app, &c).await;
    let m = meeting(&app, &c, &b).await;
    let item = m["items"][0].clone();

    // 3 of 5 present: 3 × 3 < 5 × 2.
    let m = attend(&app, &c, &m, &ids(&b, &[0, 1, 2])).await;
    for i in 0..3 {
        expect_json(
            vote(
                &app,
                &b.voters[i].1,
                &m,
                &item,
                json!({"vote": "agree", "opinion": "同意"}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    let p = expect_problem(
        close(&app, &c, &m, &item).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "quorum_not_met",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("3 of 5"), "{p}");
    assert_eq!(
        detail(&app, &c.manager, &a["id"]).await["application"]["status"],
        "in_review"
    );
    // Someone not recorded present cannot vote.
    expect_problem(
        vote(
            &app,
            &b.voters[3].1,
            &m,
            &item,
            json!({"vote": "agree", "opinion": "同意"}),
        )
        .await,
        StatusCode::CONFLICT,
        "not_present",
    )
    .await;

    // c4 arrives: quorum, but c4 has not voted.
    let m = attend(&app, &c, &m, &ids(&b, &[0, 1, 2, 3])).await;
    expect_problem(
        close(&app, &c, &m, &item).await,
        StatusCode::CONFLICT,
        "votes_missing",
    )
    .await;
    // c4 recuses (a relative of the borrower): present for the quorum, out of the count.
    expect_json(
        app.post(
            &format!("/api/v1/meetings/{}/items/{}/recusal", m["id"], item["id"]),
            Some(&b.voters[3].1),
            &json!({"reason": "借款人系本人亲属"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_problem(
        vote(
            &app,
            &b.voters[3].1,
            &m,
            &item,
            json!({"vote": "disagree", "opinion": "x"}),
        )
        .await,
        StatusCode::CONFLICT,
        "recused",
    )
    .await;
    let decided = expect_json(close(&app, &c, &m, &item).await, StatusCode::OK).await;
    assert_eq!(decided["decision"], "approved");
    let minutes = expect_json(
        app.get(&format!("/api/v1/meetings/{}", m["id"]), &c.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(minutes["items"][0]["tally"]["recused"], 1);
    assert_eq!(minutes["items"][0]["tally"]["eligible"], 3);
    assert_eq!(
        minutes["items"][0]["recusals"][0]["reason"],
        "借款人系本人亲属"
    );
}

#[tokio::test]
async fn a_call_for_reinvestigation_returns_the_application() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let b = board(&app, &c).await;
    committee_flow(&app, &c, b.id).await;
    let a = at_committee(&app, &c).await;
    let m = meeting(&app, &c, &b).await;
    let item = m["items"][0].clone();
    let m = attend(&app, &c, &m, &ids(&b, &[0, 1, 2, 3, 4])).await;
    for (i, v) in [
        "agree",
        "reinvestigate",
        "reinvestigate",
        "reinvestigate",
        "disagree",
    ]
    .iter()
    .enumerate()
    {
        expect_json(
            vote(
                &app,
                &b.voters[i].1,
                &m,
                &item,
                json!({"vote": v, "opinion": "补充收入证明"}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    let decided = expect_json(close(&app, &c, &m, &item).await, StatusCode::OK).await;
    assert_eq!(decided["decision"], "returned");
    assert_eq!(
        detail(&app, &c.manager, &a["id"]).await["application"]["status"],
        "returned"
    );
}

#[tokio::test]
async fn a_committee_needs_one_chair_and_an_odd_number_of_voters() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let mut users = Vec::new();
    for name in ["mem-1", "mem-2", "mem-3", "mem-4"] {
        users.push(app.user_token(&c.admin, name, None, &[]).await.0);
    }
    let before = app.count("committees").await;
    let p = expect_problem(
        app.post("/api/v1/committees", Some(&c.admin), &json!({"name": "贷审会", "members": [
            {"userId": users[0], "role": "chair"}, {"userId": users[1], "role": "chair"},
            {"userId": users[2], "role": "member"}, {"userId": users[3], "role": "presenter", "veto": true}
        ]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let mut found = field_errors(&p);
    found.sort();
    assert_eq!(
        found,
        vec![
            ("members".into(), "one_chair".into()),
            ("members[3].veto".into(), "presenter_veto".into()),
        ]
    );
    let p = expect_problem(
        app.post(
            "/api/v1/committees",
            Some(&c.admin),
            &json!({"name": "贷审会", "members": [
            {"userId": users[0], "role": "chair"}, {"userId": users[1], "role": "member"},
            {"userId": users[2], "role": "member"}, {"userId": users[3], "role": "member"}
        ], "pass": {"numerator": 3, "denominator": 2}}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let mut found = field_errors(&p);
    found.sort();
    assert_eq!(
        found,
        vec![
            ("members".into(), "odd_voters".into()),
            ("pass".into(), "invalid_fraction".into()),
        ]
    );
    assert_eq!(app.count("committees").await, before);
    // Only committee managers create committees.
    expect_problem(
        app.post(
            "/api/v1/committees",
            Some(&c.manager),
            &json!({"name": "x", "members": []}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}
