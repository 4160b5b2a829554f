//! `GET /openapi.json` and `GET /docs` (SPEC §8): the generated OpenAPI document and Swagger
//! UI over it, served from Workers Static Assets (the `ASSETS` binding; files assembled into
//! `build/assets/` at build) rather than from the wasm. They pass through the worker so that
//! they carry the same `X-Request-Id`, 404 and 405 behaviour as every other response. No key.

use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::pipeline::router::RouteDef;
use crate::route;

/// Everything the docs page loads comes from this origin; nothing inline, nothing remote.
const DOCS_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                           frame-ancestors 'none'";

/// The asset at `path`, or 404 when the build has no such file.
async fn asset(call: &Call<'_>, path: &str) -> ApiResult<Reply> {
    let mut response = call.env.assets("ASSETS")?.fetch(format!("http://assets{path}"), None).await?;
    if response.status_code() != 200 {
        return Err(ApiError::not_found(Msg::RouteNotFound));
    }
    let content_type = response.headers().get("Content-Type")?.unwrap_or_else(|| "application/octet-stream".into());
    let mut headers = vec![("Cache-Control", "public, max-age=300".to_string())];
    if content_type.starts_with("text/html") {
        headers.push(("Content-Security-Policy", DOCS_POLICY.to_string()));
    }
    Ok(Reply::raw(content_type, response.text().await?, headers))
}

/// The files of the docs page: its script and Swagger UI's.
async fn docs_file(call: &Call<'_>, file: &str) -> ApiResult<Reply> {
    match file {
        "init.js" | "swagger-ui.css" | "swagger-ui-bundle.js" => asset(call, &format!("/docs/{file}")).await,
        _ => Err(ApiError::not_found(Msg::RouteNotFound)),
    }
}

/// The routes this module serves (public, and not themselves in the OpenAPI document).
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/openapi.json", Public, |call| asset(call, "/openapi.json"), {
        id: "getOpenApi",
        tag: "Docs",
        summary: "The OpenAPI document",
        description: "This document, generated from the route and field declarations.",
        ok: 200,
        response: "",
    }),
    route!(GET "/docs", Public, |call| asset(call, "/docs/index.html"), {
        id: "getDocs",
        tag: "Docs",
        summary: "The API reference",
        description: "Swagger UI over `/openapi.json`, self-hosted.",
        ok: 200,
        response: "",
    }),
    route!(GET "/docs/{file}", Public, |call| docs_file(call, call.param("file")), {
        id: "getDocsFile",
        tag: "Docs",
        summary: "A file of the API reference page",
        description: "Swagger UI's script and style sheet and the page's start-up script.",
        ok: 200,
        response: "",
    }),
];
