//! `GET /embed/live-map` (SPEC §6 "live map"): the embeddable page that draws a tenant's sites,
//! their geofences and each worker's latest position from the live position stream, and its
//! script and style sheet, served from Workers Static Assets ([`super::assets`]). No key: the
//! page's `token` (an embed token, `ect_…`, from `POST /v1/positions/embed-tokens`) is what
//! the stream the page opens is authorised by; it is verified here too, so that a link without
//! one is a clear 400 and an altered or expired one a clear 401, not a page that cannot work.

use crate::domain::listing::bad;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::pipeline::router::RouteDef;
use crate::route;

use super::assets;

/// The page runs only its own files and opens the stream on this origin; images (the optional
/// tile layer) may come from any host. Any site may frame it: it is made to be embedded.
const LIVE_MAP_POLICY: &str = "default-src 'self'; img-src 'self' data: https: http:; style-src 'self'; \
                               connect-src 'self'; frame-ancestors *";

/// Whether `token` has an embed token's shape: `ect_`, then URL-safe characters.
fn is_embed_token(token: &str) -> bool {
    token.strip_prefix("ect_").is_some_and(|rest| {
        (1..=8192).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
    })
}

/// Whether `tiles` is a tile URL template the page can draw from: http(s), naming `{z}`, `{x}`
/// and `{y}` (the page drops a `{s}` subdomain choice).
fn is_tile_template(tiles: &str) -> bool {
    (tiles.starts_with("https://") || tiles.starts_with("http://"))
        && ["{z}", "{x}", "{y}"].iter().all(|part| tiles.contains(part))
}

/// The page, once its query can work: a missing or malformed `token`, or a `tiles` the page
/// would ignore, is 400.
async fn live_map(call: &Call<'_>) -> ApiResult<Reply> {
    if !call.query.get("token").is_some_and(is_embed_token) {
        return Err(bad("token"));
    }
    if call.query.get("tiles").is_some_and(|tiles| !is_tile_template(tiles)) {
        return Err(bad("tiles"));
    }
    crate::pipeline::auth::embed_token(call.env, call.query.get("token").unwrap_or_default(), call.now_ms)?;
    assets::asset(call, "/embed/live-map.html", LIVE_MAP_POLICY).await
}

/// The page's script and style sheet; nothing else is under `/embed/`.
async fn embed_file(call: &Call<'_>, file: &str) -> ApiResult<Reply> {
    match file {
        "live-map.js" | "live-map.css" => assets::asset(call, &format!("/embed/{file}"), LIVE_MAP_POLICY).await,
        _ => Err(ApiError::not_found(Msg::RouteNotFound)),
    }
}

/// The routes this module serves (public, and not themselves in the OpenAPI document).
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/embed/live-map", Public, |call| live_map(call), {
        id: "getLiveMap",
        tag: "Positions",
        summary: "The embeddable live map",
        description: "A page drawing the tenant's sites, geofences and workers' latest positions from the live stream its `token` opens; `tiles` adds a tile layer.",
        ok: 200,
        response: "",
    }),
    route!(GET "/embed/{file}", Public, |call| embed_file(call, call.param("file")), {
        id: "getLiveMapFile",
        tag: "Positions",
        summary: "A file of the live map page",
        description: "The page's script and style sheet.",
        ok: 200,
        response: "",
    }),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embed_token_is_ect_and_url_safe_characters() {
        assert!(is_embed_token("ect_0123abcDEF_-.~"));
        for token in ["", "ect_", "ec_live_abc", "ECT_abc", "ect_a b", "ect_a&b=c", "ect_<script>", "xect_abc"] {
            assert!(!is_embed_token(token), "{token:?}");
        }
        assert!(is_embed_token(&format!("ect_{}", "a".repeat(8192))), "filters make long tokens");
        assert!(!is_embed_token(&format!("ect_{}", "a".repeat(8193))));
    }

    #[test]
    fn a_tile_template_is_http_with_z_x_and_y() {
        assert!(is_tile_template("https://{s}.tile.example.org/{z}/{x}/{y}.png"));
        assert!(is_tile_template("http://127.0.0.1:8080/tiles/{z}/{x}/{y}"));
        for tiles in
            ["", "javascript:{z}{x}{y}", "//tiles.example.org/{z}/{x}/{y}", "https://t.example.org/{z}/{x}.png"]
        {
            assert!(!is_tile_template(tiles), "{tiles:?}");
        }
    }
}
