//! A flow definition's graph: steps, who acts on each, and the guarded exits between them.

use std::collections::{BTreeMap, BTreeSet};

use kernel::error::FieldErrors;
use kernel::{AppResult, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The exit target that ends a flow approved.
pub const END: &str = "end";

/// A flow: a start step and the steps, each with ordered exits. A graph that passes
/// [`FlowGraph::validate`] has no cycles and every path ends, so every instance finishes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlowGraph {
    /// The key of the first step.
    pub start: String,
    pub steps: Vec<Step>,
}

/// One approval step (审批节点).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Letters, digits, `_` and `-`, unique in the flow; `end` is reserved.
    pub key: String,
    /// e.g. `初审`, `风控复审`.
    pub name: String,
    pub assignee: Assignee,
    /// Where an approval goes: the first exit whose conditions all hold. The last exit must
    /// have no conditions, so some exit always applies.
    pub next: Vec<Exit>,
    /// Where the diagram editor draws the step; no meaning to the engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<DiagramPosition>,
}

/// Where the diagram editor draws a step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DiagramPosition {
    pub x: i32,
    pub y: i32,
}

/// Who may act on a step's task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assignee {
    /// Every active user holding the role.
    Role {
        #[serde(rename = "roleId")]
        role_id: i64,
    },
    /// Every active user whose employee record holds the position (职务).
    Position {
        #[serde(rename = "positionId")]
        position_id: i64,
    },
    /// The named users.
    Users {
        #[serde(rename = "userIds")]
        user_ids: Vec<i64>,
    },
    /// The applicant's department head (部门负责人): whoever holds this position (e.g. 部门经理)
    /// in the applicant's department, or in the nearest department above it that has one
    /// (also when the applicant is the head).
    DepartmentHead {
        #[serde(rename = "positionId")]
        position_id: i64,
    },
    /// The review committee (贷审会): its vote at a meeting decides the step; the task waits
    /// in the chair's inbox until it is on an agenda.
    Committee {
        #[serde(rename = "committeeId")]
        committee_id: i64,
    },
}

/// An exit of a step, taken on approval when every condition holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Exit {
    /// A step key, or `end` to finish the flow approved.
    pub to: String,
    #[serde(default)]
    pub when: Vec<Condition>,
}

/// A test of one fact, e.g. amount `gt` `["200000"]` or riskGrade `in` `["C", "D"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    pub fact: Fact,
    pub op: Op,
    /// One value, or one or more for `in`: decimals for amount, whole numbers for term and
    /// product, text for the risk grade.
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Fact {
    /// The amount applied for, in yuan.
    Amount,
    TermMonths,
    ProductId,
    /// The risk screening's grade (A–E).
    RiskGrade,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
}

/// What the conditions test: the facts of the thing being decided, taken when the flow
/// starts (and again when it is resubmitted).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = FlowFacts)]
pub struct Facts {
    pub amount: Option<Money>,
    pub term_months: Option<i64>,
    pub product_id: Option<i64>,
    pub risk_grade: Option<String>,
}

impl Fact {
    fn is_ordered(self) -> bool {
        matches!(self, Fact::Amount | Fact::TermMonths)
    }
}

impl Condition {
    /// Whether the condition holds. A missing fact satisfies no condition but `ne`.
    pub fn holds(&self, facts: &Facts) -> bool {
        let ordering = |actual: Option<Decimal>| -> Option<Vec<std::cmp::Ordering>> {
            let actual = actual?;
            self.values
                .iter()
                .map(|v| v.trim().parse::<Decimal>().ok().map(|v| actual.cmp(&v)))
                .collect()
        };
        let compared = match self.fact {
            Fact::Amount => ordering(facts.amount.map(Money::amount)),
            Fact::TermMonths => ordering(facts.term_months.map(Decimal::from)),
            Fact::ProductId => ordering(facts.product_id.map(Decimal::from)),
            Fact::RiskGrade => facts.risk_grade.as_ref().map(|grade| {
                self.values
                    .iter()
                    .map(|v| {
                        if v.trim().eq_ignore_ascii_case(grade) {
                            std::cmp::Ordering::Equal
                        } else {
                            std::cmp::Ordering::Less
                        }
                    })
                    .collect()
            }),
        };
        let Some(compared) = compared else {
            return self.op == Op::Ne;
        };
        use std::cmp::Ordering::*;
        match self.op {
            Op::In => compared.contains(&Equal),
            Op::Eq => compared.first() == Some(&Equal),
            Op::Ne => compared.first() != Some(&Equal),
            Op::Gt => compared.first() == Some(&Greater),
            Op::Gte => matches!(compared.first(), Some(Greater | Equal)),
            Op::Lt => compared.first() == Some(&Less),
            Op::Lte => matches!(compared.first(), Some(Less | Equal)),
        }
    }
}

/// Where an approval of `step` leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Route<'g> {
    Step(&'g Step),
    End,
}

impl FlowGraph {
    pub fn step(&self, key: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.key == key)
    }

    pub fn start_step(&self) -> Option<&Step> {
        self.step(&self.start)
    }

    /// The first exit of `step` whose conditions hold. A validated graph always has one.
    pub fn route(&self, step: &Step, facts: &Facts) -> Route<'_> {
        let exit = step
            .next
            .iter()
            .find(|exit| exit.when.iter().all(|c| c.holds(facts)));
        match exit.map(|e| e.to.as_str()) {
            Some(END) | None => Route::End,
            Some(key) => self.step(key).map_or(Route::End, Route::Step),
        }
    }

    /// Every structural rule at once, with paths like `steps[1].next[0].to`.
    pub fn validate(&self) -> AppResult<()> {
        let mut errors = FieldErrors::new();
        if self.steps.is_empty() {
            errors.add("steps", "required", "a flow needs at least one step");
        }
        if self.steps.len() > 50 {
            errors.add("steps", "too_many", "a flow has at most 50 steps");
        }
        let mut keys = BTreeSet::new();
        for (i, step) in self.steps.iter().enumerate() {
            let path = format!("steps[{i}]");
            let key = step.key.as_str();
            if key.is_empty()
                || key.len() > 40
                || key == END
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                errors.add(
                    format!("{path}.key"),
                    "invalid_format",
                    "use 1–40 letters, digits, '_' and '-' (not `end`)",
                );
            } else if !keys.insert(key) {
                errors.add(
                    format!("{path}.key"),
                    "duplicate",
                    format!("another step is also called `{key}`"),
                );
            }
            if step.name.trim().is_empty() || step.name.chars().count() > 60 {
                errors.add(
                    format!("{path}.name"),
                    "required",
                    "a step needs a name of at most 60 characters",
                );
            }
            validate_assignee(&step.assignee, &format!("{path}.assignee"), &mut errors);
        }
        if !self.start.is_empty() && !keys.contains(self.start.as_str()) {
            errors.add(
                "start",
                "unknown_step",
                "the start must be one of the steps",
            );
        } else if self.start.is_empty() {
            errors.add("start", "required", "name the first step");
        }
        for (i, step) in self.steps.iter().enumerate() {
            let path = format!("steps[{i}].next");
            if step.next.is_empty() {
                errors.add(
                    path.clone(),
                    "required",
                    "a step needs at least one exit (another step or `end`)",
                );
            }
            for (j, exit) in step.next.iter().enumerate() {
                let exit_path = format!("{path}[{j}]");
                if exit.to == step.key {
                    errors.add(
                        format!("{exit_path}.to"),
                        "loop",
                        "a step cannot lead to itself",
                    );
                } else if exit.to != END && !keys.contains(exit.to.as_str()) {
                    errors.add(
                        format!("{exit_path}.to"),
                        "unknown_step",
                        format!("`{}` is not a step of this flow", exit.to),
                    );
                }
                for (k, condition) in exit.when.iter().enumerate() {
                    validate_condition(condition, &format!("{exit_path}.when[{k}]"), &mut errors);
                }
            }
            if step.next.last().is_some_and(|last| !last.when.is_empty()) {
                errors.add(
                    format!("{path}[{}].when", step.next.len() - 1),
                    "needs_default",
                    "the last exit must have no conditions, so an approval always goes somewhere",
                );
            }
        }
        errors.finish()?;
        self.validate_shape()
    }

    /// No cycles and no step that cannot be reached: checked once the references are sound.
    fn validate_shape(&self) -> AppResult<()> {
        let mut errors = FieldErrors::new();
        let index: BTreeMap<&str, usize> = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.as_str(), i))
            .collect();
        // Depth-first from the start: 1 = on the current path, 2 = finished.
        let mut state = vec![0u8; self.steps.len()];
        // The step and exit that close a cycle, if any.
        let mut cycle: Option<(usize, usize)> = None;
        fn visit(
            graph: &FlowGraph,
            index: &BTreeMap<&str, usize>,
            state: &mut [u8],
            at: usize,
            cycle: &mut Option<(usize, usize)>,
        ) {
            state[at] = 1;
            for (j, exit) in graph.steps[at].next.iter().enumerate() {
                let Some(&to) = index.get(exit.to.as_str()) else {
                    continue;
                };
                match state[to] {
                    0 => visit(graph, index, state, to, cycle),
                    1 => {
                        cycle.get_or_insert((at, j));
                    }
                    _ => {}
                }
            }
            state[at] = 2;
        }
        if let Some(&start) = index.get(self.start.as_str()) {
            visit(self, &index, &mut state, start, &mut cycle);
        }
        if let Some((at, exit)) = cycle {
            errors.add(
                format!("steps[{at}].next[{exit}].to"),
                "cycle",
                format!(
                    "this exit of `{}` leads back to an earlier step; use the return action to send work back",
                    self.steps[at].key
                ),
            );
        }
        for (i, step) in self.steps.iter().enumerate() {
            if state[i] == 0 {
                errors.add(
                    format!("steps[{i}]"),
                    "unreachable",
                    format!("no path from the start reaches `{}`", step.key),
                );
            }
        }
        errors.finish()
    }
}

fn validate_assignee(assignee: &Assignee, path: &str, errors: &mut FieldErrors) {
    match assignee {
        Assignee::Users { user_ids } if user_ids.is_empty() => errors.add(
            format!("{path}.userIds"),
            "required",
            "name at least one user",
        ),
        Assignee::Users { user_ids } if user_ids.len() > 50 => errors.add(
            format!("{path}.userIds"),
            "too_many",
            "name at most 50 users",
        ),
        _ => {}
    }
}

fn validate_condition(condition: &Condition, path: &str, errors: &mut FieldErrors) {
    let values = &condition.values;
    if condition.op == Op::In {
        if values.is_empty() {
            errors.add(
                format!("{path}.values"),
                "required",
                "`in` needs at least one value",
            );
        }
    } else if values.len() != 1 {
        errors.add(
            format!("{path}.values"),
            "one_value",
            "this comparison takes exactly one value",
        );
    }
    if !condition.fact.is_ordered() && matches!(condition.op, Op::Gt | Op::Gte | Op::Lt | Op::Lte) {
        errors.add(
            format!("{path}.op"),
            "invalid_op",
            "product and risk grade can only be compared with eq, ne or in",
        );
    }
    for (i, value) in values.iter().enumerate() {
        let value = value.trim();
        let ok = match condition.fact {
            Fact::Amount => value
                .parse::<Decimal>()
                .is_ok_and(|d| !d.is_sign_negative()),
            Fact::TermMonths | Fact::ProductId => value.parse::<u32>().is_ok(),
            Fact::RiskGrade => !value.is_empty() && value.len() <= 10,
        };
        if !ok {
            let expected = match condition.fact {
                Fact::Amount => "an amount in yuan such as 200000",
                Fact::TermMonths => "a whole number of months",
                Fact::ProductId => "a product id",
                Fact::RiskGrade => "a grade such as A or C",
            };
            errors.add(
                format!("{path}.values[{i}]"),
                "invalid_value",
                format!("expected {expected}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(key: &str, next: Vec<Exit>) -> Step {
        Step {
            key: key.into(),
            name: key.to_uppercase(),
            assignee: Assignee::Users { user_ids: vec![1] },
            next,
            position: None,
        }
    }

    fn to(key: &str) -> Exit {
        Exit {
            to: key.into(),
            when: vec![],
        }
    }

    fn amount_over(limit: &str, key: &str) -> Exit {
        Exit {
            to: key.into(),
            when: vec![Condition {
                fact: Fact::Amount,
                op: Op::Gt,
                values: vec![limit.into()],
            }],
        }
    }

    fn two_step() -> FlowGraph {
        FlowGraph {
            start: "first".into(),
            steps: vec![
                step("first", vec![amount_over("200000", "committee"), to(END)]),
                step("committee", vec![to(END)]),
            ],
        }
    }

    fn codes(graph: &FlowGraph) -> Vec<(String, String)> {
        graph
            .validate()
            .unwrap_err()
            .field_errors
            .into_iter()
            .map(|e| (e.field, e.code.into_owned()))
            .collect()
    }

    fn facts(amount: i64) -> Facts {
        Facts {
            amount: Some(Money::yuan(amount)),
            ..Facts::default()
        }
    }

    #[test]
    fn an_amount_condition_routes_large_loans_to_the_committee() {
        let graph = two_step();
        graph.validate().unwrap();
        let first = graph.start_step().unwrap();
        assert_eq!(graph.route(first, &facts(200_000)), Route::End);
        assert_eq!(
            graph.route(first, &facts(200_001)),
            Route::Step(graph.step("committee").unwrap())
        );
    }

    #[test]
    fn conditions_compare_each_fact_as_its_kind() {
        let f = Facts {
            amount: Some(Money::yuan(150_000)),
            term_months: Some(36),
            product_id: Some(7),
            risk_grade: Some("C".into()),
        };
        let c = |fact, op, values: &[&str]| Condition {
            fact,
            op,
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        assert!(c(Fact::Amount, Op::Gte, &["150000.00"]).holds(&f));
        assert!(!c(Fact::Amount, Op::Lt, &["150000"]).holds(&f));
        assert!(c(Fact::TermMonths, Op::Lte, &["36"]).holds(&f));
        assert!(c(Fact::ProductId, Op::In, &["3", "7"]).holds(&f));
        assert!(c(Fact::ProductId, Op::Ne, &["3"]).holds(&f));
        assert!(c(Fact::RiskGrade, Op::In, &["c", "D"]).holds(&f));
        assert!(!c(Fact::RiskGrade, Op::Eq, &["A"]).holds(&f));
        // A fact nobody supplied fails every test but "not equal".
        let none = Facts::default();
        assert!(!c(Fact::RiskGrade, Op::Eq, &["A"]).holds(&none));
        assert!(c(Fact::RiskGrade, Op::Ne, &["A"]).holds(&none));
    }

    #[test]
    fn a_cycle_is_refused_naming_the_exit_that_closes_it() {
        let graph = FlowGraph {
            start: "a".into(),
            steps: vec![step("a", vec![to("b")]), step("b", vec![to("a")])],
        };
        assert_eq!(
            codes(&graph),
            vec![("steps[1].next[0].to".into(), "cycle".into())]
        );
    }

    #[test]
    fn structural_mistakes_are_all_reported_at_once() {
        let graph = FlowGraph {
            start: "nowhere".into(),
            steps: vec![
                step("a", vec![amount_over("x", "ghost")]),
                step("a", vec![]),
                Step {
                    assignee: Assignee::Users { user_ids: vec![] },
                    ..step("end", vec![to(END)])
                },
            ],
        };
        let found = codes(&graph);
        for expected in [
            ("steps[1].key", "duplicate"),
            ("steps[2].key", "invalid_format"),
            ("steps[2].assignee.userIds", "required"),
            ("start", "unknown_step"),
            ("steps[0].next[0].to", "unknown_step"),
            ("steps[0].next[0].when[0].values[0]", "invalid_value"),
            ("steps[0].next[0].when", "needs_default"),
            ("steps[1].next", "required"),
        ] {
            assert!(
                found.contains(&(expected.0.to_string(), expected.1.to_string())),
                "{expected:?} missing from {found:?}"
            );
        }
    }

    #[test]
    fn an_orphan_step_is_unreachable() {
        let mut graph = two_step();
        graph.steps.push(step("orphan", vec![to(END)]));
        assert_eq!(
            codes(&graph),
            vec![("steps[2]".into(), "unreachable".into())]
        );
    }

    #[test]
    fn ordering_ops_are_refused_on_grades() {
        let mut graph = two_step();
        graph.steps[0].next[0].when[0] = Condition {
            fact: Fact::RiskGrade,
            op: Op::Gt,
            values: vec!["B".into()],
        };
        assert_eq!(
            codes(&graph),
            vec![("steps[0].next[0].when[0].op".into(), "invalid_op".into())]
        );
    }

    #[test]
    fn the_graph_travels_as_camel_case_json() {
        let json = serde_json::to_value(two_step()).unwrap();
        assert_eq!(json["steps"][0]["assignee"]["kind"], "users");
        assert_eq!(json["steps"][0]["assignee"]["userIds"][0], 1);
        assert_eq!(json["steps"][0]["next"][0]["when"][0]["fact"], "amount");
        let back: FlowGraph = serde_json::from_value(json).unwrap();
        assert_eq!(back, two_step());
    }
}
