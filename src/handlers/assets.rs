//! Files of Workers Static Assets (the `ASSETS` binding; assembled into `build/assets/_assets`
//! by `scripts/assets.sh`) served through the worker, so that they carry the same
//! `X-Request-Id`, 404 and 405 behaviour as every other response: the docs page (SPEC §8) and
//! the embeddable live map (SPEC §6). No byte of them is in the wasm.

use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;

/// The asset at `path` (under `/_assets`), or 404 when the build has no such file. An HTML
/// page gets `html_policy` as its `Content-Security-Policy`: each page says what it may load
/// and who may frame it.
pub async fn asset(call: &Call<'_>, path: &str, html_policy: &str) -> ApiResult<Reply> {
    let mut response = call.env.assets("ASSETS")?.fetch(format!("http://assets/_assets{path}"), None).await?;
    if response.status_code() != 200 {
        return Err(ApiError::not_found(Msg::RouteNotFound));
    }
    let content_type = response.headers().get("Content-Type")?.unwrap_or_else(|| "application/octet-stream".into());
    let mut headers = vec![("Cache-Control", "public, max-age=300".to_string())];
    if content_type.starts_with("text/html") {
        headers.push(("Content-Security-Policy", html_policy.to_string()));
    }
    Ok(Reply::raw(content_type, response.text().await?, headers))
}
