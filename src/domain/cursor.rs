//! Opaque pagination cursors (SPEC §1.2): the id of the last object of a page, so the next
//! page is a keyset range (`id > cursor`) whose cost does not grow with depth.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

pub const VERSION: &str = "c1:";
/// The longest id a cursor may carry.
pub const MAX_ID: usize = 64;

/// The bytes of the ids a cursor may carry: lower-case letters, digits and `_`.
pub fn is_id_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
}

pub fn encode(last_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{VERSION}{last_id}"))
}

/// The id a cursor stands for; `None` for anything this API did not issue.
pub fn decode(cursor: &str) -> Option<String> {
    let raw = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let id = text.strip_prefix(VERSION)?;
    let valid = !id.is_empty() && id.len() <= MAX_ID && id.bytes().all(is_id_byte);
    valid.then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let c = encode("wkr_0193c2aa");
        assert_eq!(decode(&c).as_deref(), Some("wkr_0193c2aa"));
    }

    #[test]
    fn rejects_foreign_cursors() {
        assert_eq!(decode("not base64!"), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("wkr_1")), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("c1:wkr_1' OR 1=1")), None);
        assert_eq!(decode(""), None);
    }
}
