//! Request ids (SPEC §1): a client's `X-Request-Id` of at most 64 visible ASCII characters is
//! echoed; otherwise one is generated.

/// The client's id, if acceptable.
pub fn accept(client: Option<&str>) -> Option<String> {
    let id = client?;
    let ok = !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| (0x21..=0x7e).contains(&b));
    ok.then(|| id.to_string())
}

/// The id of this request: the client's, or a new `req_…`.
pub fn for_request(client: Option<&str>, now_ms: i64) -> String {
    accept(client).unwrap_or_else(|| crate::domain::ids::new_id("req", now_ms.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_only_visible_ascii_up_to_64() {
        assert_eq!(accept(Some("abc-123")).as_deref(), Some("abc-123"));
        assert_eq!(accept(Some(&"x".repeat(64))).map(|s| s.len()), Some(64));
        assert_eq!(accept(Some(&"x".repeat(65))), None);
        assert_eq!(accept(Some("has space")), None);
        assert_eq!(accept(Some("é")), None);
        assert_eq!(accept(Some("")), None);
        assert!(for_request(None, 1).starts_with("req_"));
    }
}
