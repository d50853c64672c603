//! External data providers (外部数据源): the court enforcement list (法院被执行人), the credit
//! bureau (征信) and vehicle prices (车辆估价). Each sits behind [`DataProvider`]; the HTTP
//! implementation posts the subject as JSON to the provider's URL with a timeout, and every
//! call — answer, error or timeout — is recorded with the screening.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;

/// Which provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// Answers `{"listed": bool, "cases": [...]}`.
    CourtEnforcement,
    /// Answers `{"score": int, "overdueAccounts": int}`.
    CreditBureau,
    /// Answers `{"price": "123456.00"}`.
    VehiclePrice,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 3] = [
        ProviderKind::CourtEnforcement,
        ProviderKind::CreditBureau,
        ProviderKind::VehiclePrice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::CourtEnforcement => "court_enforcement",
            ProviderKind::CreditBureau => "credit_bureau",
            ProviderKind::VehiclePrice => "vehicle_price",
        }
    }

    pub fn parse(s: &str) -> Option<ProviderKind> {
        ProviderKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    Ok,
    Timeout,
    Error,
    /// The provider is not configured or switched off.
    Skipped,
}

/// One call as recorded with the screening.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderCall {
    pub provider: ProviderKind,
    pub status: CallStatus,
    pub elapsed_ms: u64,
    /// The body sent, with personal data masked.
    pub request: Json,
    /// The body received, when there was one.
    pub response: Option<Json>,
    pub error: Option<String>,
}

/// A source of external data.
#[async_trait::async_trait]
pub trait DataProvider: Send + Sync {
    fn kind(&self) -> ProviderKind;
    /// Asks the provider about `request`. Never fails: a failure is a recorded call.
    async fn query(&self, request: &Json, recorded_request: Json) -> ProviderCall;
}

/// A provider reached over HTTP: `POST {base_url}` with the request as JSON.
pub struct HttpProvider {
    pub kind: ProviderKind,
    pub url: String,
    pub timeout: Duration,
    pub client: reqwest::Client,
}

#[async_trait::async_trait]
impl DataProvider for HttpProvider {
    fn kind(&self) -> ProviderKind {
        self.kind
    }

    async fn query(&self, request: &Json, recorded_request: Json) -> ProviderCall {
        let started = Instant::now();
        let result = self
            .client
            .post(&self.url)
            .timeout(self.timeout)
            .json(request)
            .send()
            .await;
        let outcome = match result {
            Ok(response) if response.status().is_success() => match response.json::<Json>().await {
                Ok(body) => Ok(body),
                Err(e) if e.is_timeout() => Err((CallStatus::Timeout, e.to_string())),
                Err(e) => Err((CallStatus::Error, format!("unreadable answer: {e}"))),
            },
            Ok(response) => Err((CallStatus::Error, format!("HTTP {}", response.status()))),
            Err(e) if e.is_timeout() => Err((
                CallStatus::Timeout,
                format!("no answer within {} ms", self.timeout.as_millis()),
            )),
            Err(e) => Err((CallStatus::Error, e.to_string())),
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match outcome {
            Ok(body) => ProviderCall {
                provider: self.kind,
                status: CallStatus::Ok,
                elapsed_ms,
                request: recorded_request,
                response: Some(body),
                error: None,
            },
            Err((status, error)) => {
                tracing::warn!(provider = self.kind.as_str(), %error, "provider call failed");
                ProviderCall {
                    provider: self.kind,
                    status,
                    elapsed_ms,
                    request: recorded_request,
                    response: None,
                    error: Some(error),
                }
            }
        }
    }
}

/// The call recorded for a provider that is not set up.
pub fn skipped(kind: ProviderKind, recorded_request: Json) -> ProviderCall {
    ProviderCall {
        provider: kind,
        status: CallStatus::Skipped,
        elapsed_ms: 0,
        request: recorded_request,
        response: None,
        error: Some("provider not configured or disabled".into()),
    }
}

/// A shared HTTP client: connections are reused across screenings; each call sets its own
/// timeout.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .build()
        .unwrap_or_default()
}
