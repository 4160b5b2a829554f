//! `GET /openapi.json` and `GET /docs` (SPEC §8): the generated OpenAPI document and Swagger
//! UI over it, served from Workers Static Assets through the worker ([`super::assets`]) rather
//! than from the wasm. No key.

use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::pipeline::router::RouteDef;
use crate::route;

use super::assets;

/// Everything the docs page loads comes from this origin; nothing inline, nothing remote.
const DOCS_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                           frame-ancestors 'none'";

/// The docs page's own file at `path`, under its policy.
async fn asset(call: &Call<'_>, path: &str) -> ApiResult<Reply> {
    assets::asset(call, path, DOCS_POLICY).await
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
