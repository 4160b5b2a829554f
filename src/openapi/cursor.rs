//! The pattern of the cursors the API issues (SPEC §1.2), derived from their format in
//! [`crate::domain::cursor`]: URL-safe base64, without padding, of the version and an id of
//! lower-case letters, digits and `_`. A string matches exactly when the API accepts it, so
//! a client (or a fuzzer) that follows the document never sends a cursor the API refuses.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::domain::cursor::{is_id_byte, MAX_ID, VERSION};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A character class of base64 digits (`-` first, so it is literal).
fn class(mut digits: Vec<u8>) -> String {
    digits.sort_by_key(|d| (ALPHABET[*d as usize] != b'-', *d));
    digits.dedup();
    let chars: String = digits.iter().map(|d| ALPHABET[*d as usize] as char).collect();
    if chars.len() == 1 {
        chars
    } else {
        format!("[{chars}]")
    }
}

fn id_bytes() -> Vec<u8> {
    (0u8..128).filter(|b| is_id_byte(*b)).collect()
}

/// The first two digits of a group whose first byte is an id byte and whose second byte has
/// the high nibble `high` (`None`: no second byte, the end of the id).
fn first_two(high: Option<u8>) -> String {
    let mut by_first: Vec<(u8, Vec<u8>)> = Vec::new();
    for b in id_bytes() {
        let second = ((b & 3) << 4) | high.unwrap_or(0);
        match by_first.iter_mut().find(|(f, _)| *f == b >> 2) {
            Some((_, seconds)) => seconds.push(second),
            None => by_first.push((b >> 2, vec![second])),
        }
    }
    let alternatives: Vec<String> = by_first
        .into_iter()
        .map(|(f, seconds)| format!("{}{}", ALPHABET[f as usize] as char, class(seconds)))
        .collect();
    format!("(?:{})", alternatives.join("|"))
}

/// The high nibbles of id bytes, and the low nibbles each goes with.
fn nibbles() -> Vec<(u8, Vec<u8>)> {
    let mut out: Vec<(u8, Vec<u8>)> = Vec::new();
    for b in id_bytes() {
        match out.iter_mut().find(|(h, _)| *h == b >> 4) {
            Some((_, lows)) => lows.push(b & 15),
            None => out.push((b >> 4, vec![b & 15])),
        }
    }
    out
}

/// Three id bytes as four digits.
fn group() -> String {
    let bytes = id_bytes();
    // The last two digits: the second byte's low nibble with the third byte's top bits, then
    // the third byte's low six bits.
    let last = |lows: &[u8], top: u8| {
        let thirds: Vec<u8> = bytes.iter().filter(|b| *b >> 6 == top).map(|b| b & 63).collect();
        let thirds_digits = lows.iter().map(|l| (l << 2) | top).collect();
        (!thirds.is_empty()).then(|| format!("{}{}", class(thirds_digits), class(thirds)))
    };
    let alternatives: Vec<String> = nibbles()
        .into_iter()
        .map(|(high, lows)| {
            let ends: Vec<String> = (0..4).filter_map(|top| last(&lows, top)).collect();
            format!("{}(?:{})", first_two(Some(high)), ends.join("|"))
        })
        .collect();
    format!("(?:{})", alternatives.join("|"))
}

/// One or two id bytes at the end.
fn tail() -> String {
    let two: Vec<String> = nibbles()
        .into_iter()
        .map(|(high, lows)| format!("{}{}", first_two(Some(high)), class(lows.iter().map(|l| l << 2).collect())))
        .collect();
    format!("(?:{}|{})", first_two(None), two.join("|"))
}

/// The pattern, and the shortest and longest cursor.
pub fn pattern() -> (String, usize, usize) {
    assert_eq!(VERSION.len() % 3, 0, "the version must fill whole base64 groups");
    let prefix = URL_SAFE_NO_PAD.encode(VERSION);
    let longest = prefix.len() + (MAX_ID * 4).div_ceil(3);
    (format!("^{prefix}{}*{}?$", group(), tail()), prefix.len() + 2, longest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cursor::{decode, encode};

    fn matcher() -> regex::Regex {
        regex::Regex::new(&pattern().0).expect("the pattern compiles")
    }

    fn accepted(re: &regex::Regex, s: &str) -> bool {
        let (_, min, max) = pattern();
        re.is_match(s) && (min..=max).contains(&s.len())
    }

    #[test]
    fn matches_every_cursor_the_api_issues() {
        let re = matcher();
        let alphabet: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789_".chars().collect();
        let mut seed = 7u64;
        for n in 1..=MAX_ID {
            for _ in 0..20 {
                let id: String = (0..n)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        alphabet[(seed >> 33) as usize % alphabet.len()]
                    })
                    .collect();
                assert!(accepted(&re, &encode(&id)), "{id}");
            }
        }
        assert!(!accepted(&re, &encode(&"a".repeat(MAX_ID + 1))));
    }

    #[test]
    fn matches_nothing_the_api_refuses() {
        let re = matcher();
        let mut seed = 11u64;
        for len in 0..40 {
            for _ in 0..300 {
                let s: String = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        ALPHABET[(seed >> 33) as usize % 64] as char
                    })
                    .collect();
                let s = format!("YzE6{s}");
                assert_eq!(accepted(&re, &s), decode(&s).is_some(), "{s}");
            }
        }
    }
}
