//! Errors of the HTML pages: the same `AppError` as the API, rendered as a page in bokmål with
//! the right status (docs.rs' `AxumNope` idea), plus the two cases only the web has.

use askama::Template;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::web::paths;
use crate::web::ui::{self, Layout};

/// An error on an HTML page.
#[derive(Debug)]
pub enum WebError {
    /// Any error of the request path; its status is kept.
    App(AppError),
    /// 403: the form's CSRF token is missing, stale or wrong, or the request is cross-site.
    Csrf,
    /// 303 to the sign-in page, coming back to `next` afterwards.
    LoginRequired { next: String },
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError::App(e)
    }
}

impl From<sea_orm::DbErr> for WebError {
    fn from(e: sea_orm::DbErr) -> Self {
        WebError::App(e.into())
    }
}

impl From<QueryRejection> for WebError {
    fn from(r: QueryRejection) -> Self {
        WebError::App(AppError::BadRequest(r.body_text()))
    }
}

impl From<PathRejection> for WebError {
    fn from(r: PathRejection) -> Self {
        WebError::App(AppError::NotFound(r.body_text()))
    }
}

impl From<BytesRejection> for WebError {
    fn from(r: BytesRejection) -> Self {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::App(AppError::PayloadTooLarge("the form is too large".into()))
        } else {
            WebError::App(AppError::BadRequest(r.body_text()))
        }
    }
}

/// Result of an HTML handler.
pub type WebResult<T> = Result<T, WebError>;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: &'static str,
    message: &'static str,
    detail: Option<String>,
}

fn texts(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "Forespørselen kunne ikke leses",
            "Adressen eller skjemaet inneholder noe vi ikke forstår. Sjekk det du skrev, og prøv igjen.",
        ),
        401 => ("Du må logge inn", "Denne siden er bare for redaksjonen."),
        403 => (
            "Du har ikke tilgang",
            "Rollen din gir ikke tilgang til dette: lesere i redaksjonskomiteen kan lese utkast og sammenligne, men ikke gjøre endringer. Ta kontakt med sekretariatet hvis du mener det er feil.",
        ),
        404 => (
            "Fant ikke siden",
            "Sjekk at adressen er skrevet riktig. Utgått materiell blir liggende på sin adresse, så du kan også søke etter det.",
        ),
        409 => (
            "Endringen kan ikke gjøres nå",
            "Dokumentet er i en tilstand som ikke tillater dette. Ingenting er endret.",
        ),
        412 => (
            "Dokumentet er endret i mellomtiden",
            "Noen andre har endret dokumentet etter at du åpnet skjemaet. Ingenting er endret; åpne skjemaet på nytt.",
        ),
        413 => (
            "Skjemaet er for stort",
            "Innholdet er større enn det registeret tar imot. Ingenting er endret.",
        ),
        422 => (
            "Opplysningene kan ikke brukes",
            "Noe av det som ble sendt inn, bryter reglene. Ingenting er endret.",
        ),
        _ => (
            "Noe gikk galt",
            "Det oppstod en feil hos oss. Feilen er logget. Prøv igjen om litt.",
        ),
    }
}

/// Renders an error page with a status.
pub fn error_page(status: StatusCode, detail: Option<String>) -> Response {
    let (heading, message) = texts(status);
    let page = ErrorPage {
        layout: Layout::public(format!("{heading} – {}", ui::NB.site_name), None),
        heading,
        message,
        detail,
    };
    ui::render(status, &page)
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::App(e) => {
                let status = e.status();
                if status.is_server_error() {
                    tracing::error!(error = ?e, "page failed");
                    return error_page(status, None);
                }
                // Details of 4xx come from the domain rules (in English); they help editors.
                // A refusal by role is said in full in bokmål by the page itself.
                let detail = (status != StatusCode::NOT_FOUND && status != StatusCode::FORBIDDEN).then(|| e.detail());
                error_page(status, detail)
            }
            WebError::Csrf => {
                let page = ErrorPage {
                    layout: Layout::public(format!("Skjemaet kunne ikke sendes – {}", ui::NB.site_name), None),
                    heading: "Skjemaet kunne ikke sendes",
                    message: "Skjemaet manglet en gyldig sikkerhetsnøkkel, eller økten din er utløpt. Ingenting er endret. Gå tilbake, last inn siden på nytt og prøv igjen.",
                    detail: None,
                };
                ui::render(StatusCode::FORBIDDEN, &page)
            }
            WebError::LoginRequired { next } => {
                let target = format!("{}?neste={}", paths::SIGN_IN, urlencode(&next));
                let mut res = StatusCode::SEE_OTHER.into_response();
                if let Ok(v) = HeaderValue::from_str(&target) {
                    res.headers_mut().insert(header::LOCATION, v);
                }
                res
            }
        }
    }
}

/// Percent-encodes a query-string value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
