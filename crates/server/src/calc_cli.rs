//! `chedai calc schedule|payoff|overdue`: the calculator's JSON on stdin, its answer on stdout,
//! no database. Errors are the same problem documents the API answers, on stderr, with exit
//! code 2 for input that cannot be read and 1 for a rule it breaks.

use std::io::{Read, Write};

use calc::calculator;
use clap::ValueEnum;
use kernel::{AppError, ErrorKind};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Calculation {
    Schedule,
    Payoff,
    Overdue,
}

pub fn run(calculation: Calculation) -> i32 {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        return fail(&AppError::bad_request(
            "bad_request",
            format!("reading stdin: {e}"),
        ));
    }
    let result = match calculation {
        Calculation::Schedule => answer(&input, calculator::schedule),
        Calculation::Payoff => answer(&input, calculator::payoff),
        Calculation::Overdue => answer(&input, calculator::overdue),
    };
    match result {
        Ok(json) => {
            // A closed pipe (`| head`) is the reader's choice, not an error of ours.
            let _ = writeln!(std::io::stdout(), "{json}");
            0
        }
        Err(e) => fail(&e),
    }
}

fn answer<Q: DeserializeOwned, A: Serialize>(
    input: &str,
    compute: impl Fn(&Q) -> kernel::AppResult<A>,
) -> Result<String, AppError> {
    let request: Q = serde_json::from_str(input).map_err(|e| {
        AppError::bad_request("malformed_json", format!("the input is not valid: {e}"))
    })?;
    let response = compute(&request)?;
    serde_json::to_string_pretty(&response).map_err(AppError::internal)
}

fn fail(e: &AppError) -> i32 {
    let problem = serde_json::json!({
        "code": e.code,
        "detail": e.message,
        "errors": e.field_errors,
    });
    eprintln!(
        "{}",
        serde_json::to_string_pretty(&problem).unwrap_or_default()
    );
    if e.kind == ErrorKind::BadRequest {
        2
    } else {
        1
    }
}
