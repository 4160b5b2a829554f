//! Request bodies: the 1 MiB limit (413), JSON only (415), well-formed JSON (400).

use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::Msg;

pub const MAX_BODY: usize = 1024 * 1024;

fn too_large() -> ApiError {
    ApiError::new(ErrorCode::PayloadTooLarge, Msg::Default)
}

/// Rejects a declared `Content-Length` over the limit before the body is read.
pub fn check_declared_length(content_length: Option<&str>) -> ApiResult<()> {
    match content_length.and_then(|v| v.trim().parse::<u64>().ok()) {
        Some(n) if n > MAX_BODY as u64 => Err(too_large()),
        _ => Ok(()),
    }
}

/// `application/json` or any `+json` type, with parameters such as `charset`.
pub fn is_json_type(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return false };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The parsed body: an empty one reads as `{}`, else it must be JSON within the limit. A body
/// of `null` stays `null`, so readers refuse it as they refuse any JSON that is not an object.
pub fn parse(bytes: &[u8], content_type: Option<&str>) -> ApiResult<Value> {
    if bytes.len() > MAX_BODY {
        return Err(too_large());
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Value::Object(Map::new()));
    }
    if !is_json_type(content_type) {
        return Err(ApiError::new(ErrorCode::UnsupportedMediaType, Msg::Default));
    }
    serde_json::from_slice(bytes).map_err(|_| ApiError::bad_request(Msg::InvalidJson))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_types() {
        assert!(check_declared_length(Some("1048577")).is_err());
        assert!(check_declared_length(Some("1048576")).is_ok());
        assert!(check_declared_length(None).is_ok());
        assert_eq!(parse(b"", None).unwrap(), Value::Object(Map::new()));
        assert_eq!(parse(b" \n", Some("application/json")).unwrap(), Value::Object(Map::new()));
        assert_eq!(parse(b"null", Some("application/json")).unwrap(), Value::Null);
        assert_eq!(parse(b"{}", Some("text/plain")).unwrap_err().status(), 415);
        assert_eq!(parse(b"{}", None).unwrap_err().status(), 415);
        assert_eq!(parse(b"{", Some("application/json")).unwrap_err().status(), 400);
        assert!(parse(b"{\"a\":1}", Some("Application/JSON; charset=utf-8")).is_ok());
        assert!(parse(b"{}", Some("application/merge-patch+json")).is_ok());
        assert_eq!(parse(&vec![b' '; MAX_BODY + 1], Some("application/json")).unwrap_err().status(), 413);
    }
}
