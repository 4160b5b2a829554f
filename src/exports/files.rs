//! Export files in R2 (the `EXPORT_FILES` bucket): a file is written once per export under its
//! own key — a repeated last step overwrites it, never adds a second — and read back whole for
//! a download. R2 rather than KV: files are objects of any size (KV caps a value at 25 MiB),
//! a write is visible to the next read everywhere (KV may serve a stale or missing value for a
//! minute), and `wrangler dev` runs a local R2 bucket under `.wrangler/state`.

use worker::{Env, HttpMetadata};

use crate::domain::formats::Format;
use crate::error::ApiResult;

const BUCKET: &str = "EXPORT_FILES";

/// Stores `body` under `key`, replacing what was there.
pub async fn put(env: &Env, key: &str, body: String, format: Format) -> ApiResult<()> {
    let metadata = HttpMetadata { content_type: Some(format.content_type().to_string()), ..HttpMetadata::default() };
    env.bucket(BUCKET)?.put(key, body).http_metadata(metadata).execute().await?;
    Ok(())
}

/// The file under `key`, if there is one.
pub async fn get(env: &Env, key: &str) -> ApiResult<Option<String>> {
    let Some(object) = env.bucket(BUCKET)?.get(key).execute().await? else { return Ok(None) };
    match object.body() {
        Some(body) => Ok(Some(body.text().await?)),
        None => Ok(None),
    }
}
