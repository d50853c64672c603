//! The application: shared state and the assembly of every route.

use std::path::PathBuf;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, web};
use collateral::CollateralContext;
use credit::CreditContext;
use customers::{CustomersContext, FileStore, PiiKeys};
use iam::service::{IamContext, TokenKeys};
use kernel::SharedClock;
use loans::LoansContext;
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;
use workflow::WorkflowContext;

use crate::{openapi, routes, spa};

/// The largest JSON body accepted.
pub const JSON_LIMIT_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    pub iam: IamContext,
    pub customers: CustomersContext,
    pub credit: CreditContext,
    pub collateral: CollateralContext,
    pub loans: LoansContext,
    pub ledgers: ledgers::LedgersContext,
    pub workflow: WorkflowContext,
}

/// The secrets and stores of the customer area: the personal-data keys and the file store.
#[derive(Clone)]
pub struct CustomerServices {
    pub pii: PiiKeys,
    pub files: Arc<dyn FileStore>,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        tokens: TokenKeys,
        customer_services: CustomerServices,
    ) -> AppState {
        let customers = CustomersContext {
            db: db.clone(),
            clock: clock.clone(),
            pii: Arc::new(customer_services.pii),
            files: customer_services.files,
        };
        let collateral = CollateralContext {
            db: db.clone(),
            clock: clock.clone(),
            files: customers.files.clone(),
        };
        let credit = CreditContext {
            db: db.clone(),
            clock: clock.clone(),
            customers: customers.clone(),
            http: credit::providers::http_client(),
            loans: Arc::new(loans::service::loan_accounts::OverdueRecords {
                db: db.clone(),
                clock: clock.clone(),
            }),
        };
        AppState {
            loans: LoansContext::new(
                db.clone(),
                clock.clone(),
                credit.clone(),
                collateral.clone(),
            ),
            workflow: WorkflowContext {
                db: db.clone(),
                clock: clock.clone(),
            },
            ledgers: ledgers::LedgersContext {
                db: db.clone(),
                clock: clock.clone(),
            },
            collateral,
            credit,
            customers,
            iam: IamContext {
                db: db.clone(),
                clock: clock.clone(),
                tokens: Arc::new(tokens),
            },
            db,
            clock,
        }
    }
}

/// What varies between deployments.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// The built SPA (`web/dist`); none serves the API alone.
    pub web_dir: Option<PathBuf>,
    /// Origins allowed to call the API from a browser (CORS); empty allows same-origin only.
    pub cors_origins: Vec<String>,
    /// The daily close's time of day, when the server runs it by itself (shown, not run, here).
    pub close_at: Option<loans::domain::close_schedule::CloseAt>,
}

/// The whole application: API, OpenAPI and Swagger UI, SPA.
pub fn build_app(
    state: AppState,
    options: ServerOptions,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    // Swagger UI serves /api/v1/openapi.json, so it is registered before the /api/v1 scope
    // would claim that path.
    let document = openapi::openapi();
    let mut cors = actix_cors::Cors::default()
        .allow_any_header()
        .allow_any_method()
        .max_age(3600);
    for origin in &options.cors_origins {
        cors = cors.allowed_origin(origin);
    }
    let (app, _) = App::new()
        .into_utoipa_app()
        .map(|app| {
            app.wrap(cors)
                .wrap(TracingLogger::default())
                .wrap(actix_web::middleware::Compress::default())
                .service(routes::health::healthz)
                .service(routes::health::readyz)
                .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/v1/openapi.json", document))
        })
        .app_data(web::Data::new(state))
        .app_data(web::Data::new(routes::close_schedule::ScheduleSetting(
            options.close_at,
        )))
        .app_data(routes::json_config())
        .app_data(routes::query_config())
        .app_data(routes::path_config())
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::configure))
        .split_for_parts();
    spa::mount(app, options.web_dir.clone())
}
