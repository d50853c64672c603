//! Serves the built SPA on the API's port: real files as they are, every other path that is
//! not the API answered with index.html so client-side routes survive a reload.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse, fn_service};
use actix_web::{App, HttpResponse};

use crate::ApiError;
use kernel::AppError;

pub fn mount<T, B>(app: App<T>, web_dir: Option<PathBuf>) -> App<T>
where
    B: MessageBody,
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = actix_web::Error,
            InitError = (),
        >,
{
    let index = web_dir.as_ref().map(|d| d.join("index.html"));
    let fallback_index = index.clone();
    let app = app.default_service(fn_service(move |req: ServiceRequest| {
        let index = fallback_index.clone();
        async move { Ok(fallback(req, index)) }
    }));
    match web_dir {
        Some(dir) if dir.is_dir() => app.service(
            Files::new("/", dir)
                .index_file("index.html")
                .default_handler(fn_service(move |req: ServiceRequest| {
                    let index = index.clone();
                    async move { Ok(fallback(req, index)) }
                })),
        ),
        _ => app,
    }
}

fn fallback(req: ServiceRequest, index: Option<PathBuf>) -> ServiceResponse {
    let (req, _) = req.into_parts();
    if req.path().starts_with("/api/") {
        let response = actix_web::ResponseError::error_response(&ApiError(AppError::new(
            kernel::ErrorKind::NotFound,
            "not_found",
            format!("no endpoint {} {}", req.method(), req.path()),
        )));
        return ServiceResponse::new(req, response);
    }
    let response = match index.map(NamedFile::open) {
        Some(Ok(file)) => file.into_response(&req),
        _ => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("The web app is not built: run `npm run build` in web/."),
    };
    ServiceResponse::new(req, response)
}
