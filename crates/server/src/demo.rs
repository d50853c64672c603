//! Demo data for a first local start: an organisation a visitor can click through. Written
//! through the same services as the API, so it is validated and audited like any change.

use iam::repo::user;
use iam::service::departments::{self, NewDepartment};
use iam::service::employees::{self, EmployeeInput};
use iam::service::positions::{self, PositionInput};
use iam::service::roles::{self, RoleInput};
use iam::service::users::{self, NewUser};
use iam::{DataScope, perm};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use api::AppState;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "Chedai-2026";

pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let ctx = &state.iam;
    let admin_id = user::Entity::find()
        .filter(user::Column::Username.eq("admin"))
        .one(&ctx.db)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("no admin user"))?;
    let admin = iam::service::auth::load_actor(&ctx.db, admin_id, None).await?;

    let dept = |parent: Option<i64>, name: &str, code: &str| NewDepartment {
        parent_id: parent,
        name: name.into(),
        code: code.into(),
    };
    let hq = departments::create(ctx, &admin, &dept(None, "总部", "HQ")).await?;
    let business = departments::create(ctx, &admin, &dept(Some(hq.id), "业务部", "BIZ")).await?;
    let team1 =
        departments::create(ctx, &admin, &dept(Some(business.id), "业务一部", "BIZ-1")).await?;
    let team2 =
        departments::create(ctx, &admin, &dept(Some(business.id), "业务二部", "BIZ-2")).await?;
    let risk = departments::create(ctx, &admin, &dept(Some(hq.id), "风控部", "RISK")).await?;
    let finance = departments::create(ctx, &admin, &dept(Some(hq.id), "财务部", "FIN")).await?;
    let post_loan =
        departments::create(ctx, &admin, &dept(Some(hq.id), "贷后管理部", "POST")).await?;

    let position = |code: &str, name: &str| PositionInput {
        code: code.into(),
        name: name.into(),
        description: None,
        version: None,
    };
    let manager_pos = positions::create(ctx, &admin, &position("CM", "客户经理")).await?;
    let appraiser_pos = positions::create(ctx, &admin, &position("APPRAISER", "评估师")).await?;
    let reviewer_pos = positions::create(ctx, &admin, &position("REVIEWER", "风控专员")).await?;
    let cashier_pos = positions::create(ctx, &admin, &position("CASHIER", "出纳")).await?;
    let accountant_pos = positions::create(ctx, &admin, &position("ACCOUNTANT", "会计")).await?;
    let collector_pos = positions::create(ctx, &admin, &position("COLLECTOR", "催收专员")).await?;
    let head_pos = positions::create(ctx, &admin, &position("HEAD", "部门经理")).await?;

    // Every demo role reads the organisation and the loan products.
    let read_org = [
        perm::ORG_DEPARTMENT_READ,
        perm::ORG_EMPLOYEE_READ,
        perm::ORG_POSITION_READ,
        perm::PRODUCT_READ,
    ];
    let role = |code: &str, name: &str, scope: DataScope, extra: &[&str]| RoleInput {
        code: code.into(),
        name: name.into(),
        description: None,
        data_scope: scope,
        permissions: read_org
            .iter()
            .chain(extra)
            .map(|p| p.to_string())
            .collect(),
        version: None,
    };
    let cm_role = roles::create(
        ctx,
        &admin,
        &role(
            "customer_manager",
            "客户经理",
            DataScope::OwnOnly,
            &[
                perm::CUSTOMER_READ,
                perm::CUSTOMER_WRITE,
                perm::BLACKLIST_READ,
                perm::RISK_SCREEN,
                perm::VEHICLE_READ,
                perm::VEHICLE_WRITE,
                perm::LOAN_APPLICATION_READ,
                perm::LOAN_APPLICATION_WRITE,
                perm::CREDIT_LINE_READ,
                perm::CREDIT_LINE_WRITE,
                perm::LOAN_READ,
            ],
        ),
    )
    .await?;
    let head_role = roles::create(
        ctx,
        &admin,
        &role(
            "department_head",
            "部门经理",
            DataScope::DepartmentTree,
            &[
                perm::ORG_USER_READ,
                perm::ORG_EMPLOYEE_WRITE,
                perm::CUSTOMER_READ,
                perm::CUSTOMER_WRITE,
                perm::CUSTOMER_TRANSFER,
                perm::BLACKLIST_READ,
                perm::RISK_SCREEN,
                perm::LOAN_APPLICATION_READ,
                perm::LOAN_APPLICATION_ASSIGN,
                perm::COMMITTEE_MANAGE,
                perm::CONTRACT_READ,
                perm::CONTRACT_WRITE,
                perm::CREDIT_LINE_READ,
                perm::CREDIT_LINE_FREEZE,
                perm::LOAN_READ,
                // The head decides the early releases (提前解押) the appraisers ask for.
                perm::VEHICLE_READ,
                perm::COLLATERAL_RELEASE_EXCEPTION,
            ],
        ),
    )
    .await?;
    let reviewer_role = roles::create(
        ctx,
        &admin,
        &role(
            "risk_reviewer",
            "风控审核",
            DataScope::All,
            &[
                perm::CUSTOMER_READ,
                perm::CUSTOMER_PII_VIEW,
                perm::BLACKLIST_READ,
                perm::BLACKLIST_WRITE,
                perm::RISK_RULE_READ,
                perm::RISK_SCREEN,
                perm::LOAN_APPLICATION_READ,
                perm::FLOW_READ,
                perm::CREDIT_LINE_READ,
                perm::CONTRACT_READ,
            ],
        ),
    )
    .await?;
    // The cashier and the accountant check each other: each may register and review, never
    // their own registration.
    let finance_role = roles::create(
        ctx,
        &admin,
        &role(
            "finance",
            "财务",
            DataScope::All,
            &[
                perm::CUSTOMER_READ,
                perm::LOAN_APPLICATION_READ,
                perm::CONTRACT_READ,
                perm::LOAN_READ,
                perm::DISBURSEMENT_REGISTER,
                perm::DISBURSEMENT_REVIEW,
                perm::REPAYMENT_REGISTER,
                perm::REPAYMENT_CONFIRM,
                perm::FEE_REGISTER,
                perm::FEE_REVIEW,
                perm::REPAYMENT_REVERSE,
                perm::REPAYMENT_REVERSE_APPROVE,
                perm::LEDGER_READ,
                perm::LEDGER_WRITE,
                perm::LEDGER_PERIOD_CLOSE,
                perm::LEDGER_VOUCHER_WRITE,
                perm::LEDGER_VOUCHER_REVIEW,
                // The books' side of the close: the reminders it wrote and the reports its
                // snapshots feed.
                perm::OUTBOX_READ,
                perm::REPORT_PORTFOLIO_READ,
            ],
        ),
    )
    .await?;
    // Appraisers see what their department registered and appraised.
    let appraiser_role = roles::create(
        ctx,
        &admin,
        &role(
            "appraiser",
            "评估师",
            DataScope::Department,
            &[
                perm::CUSTOMER_READ,
                perm::VEHICLE_READ,
                perm::VEHICLE_WRITE,
                perm::APPRAISAL_WRITE,
                // Appraisers visit the customer anyway, so they investigate too (贷前调查).
                perm::LOAN_APPLICATION_READ,
                perm::LOAN_INVESTIGATE,
                // They also register the mortgage and fit the GPS before disbursement.
                perm::CONTRACT_READ,
                perm::COLLATERAL_REGISTER,
                perm::GPS_WRITE,
            ],
        ),
    )
    .await?;
    let collector_role = roles::create(
        ctx,
        &admin,
        &role(
            "collector",
            "催收",
            DataScope::OwnOnly,
            // Collectors see the reminders already sent before they call.
            &[perm::OUTBOX_READ],
        ),
    )
    .await?;

    let people: [(&str, &str, i64, i64, i64, &str); 8] = [
        (
            "head1",
            "王建国",
            business.id,
            head_pos.id,
            head_role.id,
            "13800138001",
        ),
        (
            "manager1",
            "李娜",
            team1.id,
            manager_pos.id,
            cm_role.id,
            "13800138002",
        ),
        (
            "manager2",
            "张伟",
            team2.id,
            manager_pos.id,
            cm_role.id,
            "13800138003",
        ),
        (
            "appraiser1",
            "刘洋",
            team1.id,
            appraiser_pos.id,
            appraiser_role.id,
            "13800138004",
        ),
        (
            "reviewer1",
            "陈静",
            risk.id,
            reviewer_pos.id,
            reviewer_role.id,
            "13800138005",
        ),
        (
            "cashier1",
            "杨帆",
            finance.id,
            cashier_pos.id,
            finance_role.id,
            "13800138006",
        ),
        (
            "accountant1",
            "赵敏",
            finance.id,
            accountant_pos.id,
            finance_role.id,
            "13800138007",
        ),
        (
            "collector1",
            "黄磊",
            post_loan.id,
            collector_pos.id,
            collector_role.id,
            "13800138008",
        ),
    ];
    for (i, (username, name, department, position, role_id, phone)) in
        people.into_iter().enumerate()
    {
        let account = users::create(
            ctx,
            &admin,
            &NewUser {
                username: username.into(),
                display_name: name.into(),
                department_id: Some(department),
                role_ids: vec![role_id],
                initial_password: DEMO_PASSWORD.into(),
            },
        )
        .await?;
        employees::create(
            ctx,
            &admin,
            &EmployeeInput {
                employee_no: format!("E{:04}", i + 1),
                name: name.into(),
                phone: Some(phone.into()),
                email: Some(format!("{username}@chedai.example")),
                department_id: department,
                position_id: Some(position),
                user_id: Some(account.id),
                hired_on: None,
                version: None,
            },
        )
        .await?;
    }
    // Demo accounts are for trying roles out, so they skip the first-sign-in password change.
    user::Entity::update_many()
        .col_expr(user::Column::MustChangePassword, Expr::value(false))
        .filter(user::Column::Username.ne("admin"))
        .exec(&ctx.db)
        .await?;
    load_products(state, &admin).await?;
    load_vehicles(state).await?;
    load_flow(state, &admin, reviewer_role.id, head_role.id).await?;
    Ok(())
}

/// The loan approval flow: 风控初审 by the risk reviewers; above 300 000 a second step by the
/// department heads. And the credit-line review by the risk reviewers.
async fn load_flow(
    state: &AppState,
    admin: &iam::Actor,
    reviewer_role: i64,
    head_role: i64,
) -> anyhow::Result<()> {
    use workflow::domain::{
        Assignee, BusinessType, Condition, DiagramPosition, Exit, Fact, FlowGraph, Op, Step,
    };
    use workflow::service::definitions::{self, FlowInput};
    let graph = FlowGraph {
        start: "risk".into(),
        steps: vec![
            Step {
                key: "risk".into(),
                name: "风控初审".into(),
                assignee: Assignee::Role {
                    role_id: reviewer_role,
                },
                next: vec![
                    Exit {
                        to: "head".into(),
                        when: vec![Condition {
                            fact: Fact::Amount,
                            op: Op::Gt,
                            values: vec!["300000".into()],
                        }],
                    },
                    Exit {
                        to: workflow::domain::END.into(),
                        when: vec![],
                    },
                ],
                position: Some(DiagramPosition { x: 80, y: 120 }),
            },
            Step {
                key: "head".into(),
                name: "部门经理复审".into(),
                assignee: Assignee::Role { role_id: head_role },
                next: vec![Exit {
                    to: workflow::domain::END.into(),
                    when: vec![],
                }],
                position: Some(DiagramPosition { x: 360, y: 60 }),
            },
        ],
    };
    definitions::save(
        &state.workflow,
        admin,
        BusinessType::LoanApplication,
        &FlowInput {
            name: "贷款审批".into(),
            graph,
            version: None,
        },
    )
    .await?;
    // Credit lines: one review by the risk reviewers.
    let line_graph = FlowGraph {
        start: "risk".into(),
        steps: vec![Step {
            key: "risk".into(),
            name: "授信审核".into(),
            assignee: Assignee::Role {
                role_id: reviewer_role,
            },
            next: vec![Exit {
                to: workflow::domain::END.into(),
                when: vec![],
            }],
            position: Some(DiagramPosition { x: 80, y: 120 }),
        }],
    };
    definitions::save(
        &state.workflow,
        admin,
        BusinessType::CreditLine,
        &FlowInput {
            name: "授信审核".into(),
            graph: line_graph,
            version: None,
        },
    )
    .await?;
    Ok(())
}

/// Three 车抵贷 products that pass the 24 % cap at their worst case.
async fn load_products(state: &AppState, admin: &iam::Actor) -> anyhow::Result<()> {
    let products = [
        serde_json::json!({
            "code": "CAR-EI", "name": "车抵贷-等额本息",
            "description": "按揭车辆抵押，等额本息，12–36 期",
            "methods": ["equal_installment", "equal_principal"],
            "termMonthsMin": 12, "termMonthsMax": 36,
            "amountMin": "30000", "amountMax": "500000",
            "rateMin": "0.12", "rateMax": "0.2399",
            "penaltyMultiplier": "1.5", "graceDays": 3,
            "maxLtv": "0.8", "collateralKind": "mortgage", "gpsRequired": true,
            "prepaymentFee": {"kind": "percent_of_remaining", "rate": "0.02", "freeAfterMonths": 12}
        }),
        serde_json::json!({
            "code": "CAR-IO", "name": "车抵贷-先息后本",
            "description": "短期周转，按月付息，到期还本",
            "methods": ["interest_only"],
            "termMonthsMin": 3, "termMonthsMax": 12,
            "amountMin": "50000", "amountMax": "300000",
            "rateMin": "0.10", "rateMax": "0.18",
            "fees": [{"type": "consulting", "basis": "percent", "timing": "at_signing", "rate": "0.01"}],
            "maxLtv": "0.7", "collateralKind": "mortgage", "gpsRequired": true
        }),
        serde_json::json!({
            "code": "CAR-FLAT", "name": "车押贷-月息0.6%",
            "description": "质押车辆入库，等本等息，月息 0.6%",
            "methods": ["flat"],
            "termMonthsMin": 12, "termMonthsMax": 36,
            "amountMin": "20000", "amountMax": "200000",
            "rateMin": "0.072", "rateMax": "0.072",
            "fees": [{"type": "gps", "basis": "percent", "timing": "per_period", "rate": "0.001"}],
            "maxLtv": "0.6", "collateralKind": "pledge",
            "flatPayoffBasis": "original",
            "prepaymentFee": {"kind": "months_interest", "months": 1}
        }),
    ];
    for product in products {
        let input: loans::service::products::ProductInput = serde_json::from_value(product)?;
        loans::service::products::create(&state.loans, admin, &input).await?;
    }
    Ok(())
}

/// Two cars registered and appraised by the demo appraiser, one of them appraised twice.
async fn load_vehicles(state: &AppState) -> anyhow::Result<()> {
    use collateral::service::{appraisals, vehicles};
    let ctx = &state.collateral;
    let appraiser_id = user::Entity::find()
        .filter(user::Column::Username.eq("appraiser1"))
        .one(&ctx.db)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("no appraiser1 user"))?;
    let appraiser = iam::service::auth::load_actor(&ctx.db, appraiser_id, None).await?;
    let cars = [
        (
            serde_json::json!({
                "vin": "LFV2A21K8G4012345", "plate": "京A12345", "brand": "大众",
                "model": "迈腾 2019 330TSI", "firstRegisteredOn": "2019-05-20", "mileageKm": 68000,
                "colour": "黑色", "transmission": "dct", "displacement": "2.0T", "usage": "private",
                "inspectionExpiresOn": "2027-05-31", "insuranceExpiresOn": "2027-05-19"
            }),
            vec![("98000.00", "market_comparison", "good")],
        ),
        (
            serde_json::json!({
                "vin": "LGXCE4CB8N0012345", "plate": "京AD12345", "brand": "比亚迪",
                "model": "汉 EV 2022", "firstRegisteredOn": "2022-03-08", "mileageKm": 32000,
                "colour": "白色", "transmission": "single_speed", "usage": "ride_hailing"
            }),
            vec![
                ("135000.00", "replacement_cost", "excellent"),
                ("128000.00", "market_comparison", "good"),
            ],
        ),
    ];
    for (car, values) in cars {
        let input: vehicles::VehicleRegistration = serde_json::from_value(car)?;
        let saved = vehicles::create(ctx, &appraiser, &input).await?;
        for (value, method, grade) in values {
            let appraisal: appraisals::AppraisalInput =
                serde_json::from_value(serde_json::json!({
                    "value": value, "method": method, "conditionGrade": grade
                }))?;
            appraisals::create(ctx, &appraiser, saved.id, &appraisal).await?;
        }
    }
    Ok(())
}
