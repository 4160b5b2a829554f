//! Where an endpoint may point (SPEC §7, SSRF): an `https://` URL whose host is neither
//! `localhost` nor an IP literal in a loopback, private, link-local or unique-local range.
//! `ALLOW_HTTP_WEBHOOKS=true` (local runs and tests) lifts both rules; a URL must still be
//! `http(s)://` with a host.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::i18n::FieldCode;

/// Longest URL accepted.
pub const MAX_URL: usize = 2048;

/// Why a URL is refused, as the field's error code: `invalid` (not a URL, or not https) or
/// `not_allowed` (a host the API will not call).
pub fn check(url: &str, allow_http: bool) -> Result<(), FieldCode> {
    if url.chars().count() > MAX_URL {
        return Err(FieldCode::TooLong);
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldCode::Invalid);
    }
    let lower = url.to_ascii_lowercase();
    let rest = match (lower.strip_prefix("https://"), lower.strip_prefix("http://")) {
        (Some(rest), _) => rest,
        (None, Some(rest)) if allow_http => rest,
        _ => return Err(FieldCode::Invalid),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Credentials before the host are not ours to send; the host follows the last `@`.
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = host_of(host_port).ok_or(FieldCode::Invalid)?;
    if allow_http {
        return Ok(());
    }
    // A URL parser decodes `%` escapes and folds full-width and other compatibility forms in a
    // host (`%6C%6Focalhost`, `１２７.０.０.１`) before it connects, so such a host is not judged
    // here: hosts are accepted in their ASCII form only (an IDN as its `xn--` name).
    if !host.is_ascii() || host.contains('%') {
        return Err(FieldCode::NotAllowed);
    }
    match classify(host) {
        Host::Name => Ok(()),
        Host::Refused => Err(FieldCode::NotAllowed),
        Host::Invalid => Err(FieldCode::Invalid),
    }
}

/// The host of `host[:port]` or `[v6][:port]`, non-empty, port (if any) digits.
fn host_of(host_port: &str) -> Option<&str> {
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => {
            let (h, after) = v6.split_once(']')?;
            (h, after.strip_prefix(':'))
        }
        None => match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        },
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    (!host.is_empty() && port_ok).then_some(host)
}

enum Host {
    Name,
    Refused,
    Invalid,
}

fn classify(host: &str) -> Host {
    let name = host.trim_end_matches('.');
    if name == "localhost" || name.ends_with(".localhost") {
        return Host::Refused;
    }
    if let Ok(v6) = host.parse::<Ipv6Addr>() {
        return if refused(IpAddr::V6(v6)) { Host::Refused } else { Host::Name };
    }
    // A host whose last label is a number is an IPv4 address to a URL parser (WHATWG), in
    // forms `Ipv4Addr` does not read (`2130706433`, `0x7f.1`): only the dotted quad is taken.
    let last = name.rsplit('.').next().unwrap_or("");
    let numeric = !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || last.strip_prefix("0x").is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())));
    if numeric {
        return match name.parse::<Ipv4Addr>() {
            Ok(v4) if refused(IpAddr::V4(v4)) => Host::Refused,
            Ok(_) => Host::Name,
            Err(_) => Host::Invalid,
        };
    }
    Host::Name
}

/// Loopback, private, link-local, unique-local or unspecified (which reaches this host).
pub fn refused(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.octets()[0] == 0,
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return refused(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback() || v6.is_unspecified() || (first & 0xffc0) == 0xfe80 || (first & 0xfe00) == 0xfc00
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_a_parser_would_decode_are_refused() {
        for host in ["%6C%6F%63%61%6C%68%6F%73%74", "１２７.０.０.１", "ｌｏｃａｌｈｏｓｔ", "münchen.de"]
        {
            assert_eq!(check(&format!("https://{host}/x"), false), Err(FieldCode::NotAllowed), "{host}");
        }
        assert_eq!(check("https://xn--mnchen-3ya.de/x", false), Ok(()));
    }

    #[test]
    fn https_names_and_public_addresses_pass() {
        for ok in [
            "https://example.com/hook",
            "https://EXAMPLE.com:8443/a?b=c#d",
            "https://user:pw@hooks.example.org",
            "https://93.184.216.34/x",
            "https://[2606:4700::1111]/x",
            "https://172.32.0.1/",
            "https://localhost.example.com/",
        ] {
            assert_eq!(check(ok, false), Ok(()), "{ok}");
        }
    }

    #[test]
    fn not_https_or_not_a_url_is_invalid() {
        for bad in [
            "http://example.com",
            "ftp://example.com",
            "example.com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com:",
            "https://example.com:80x",
            "https://[::1",
            "https://0x7f.1/",
            "https://2130706433/",
        ] {
            assert_eq!(check(bad, false), Err(FieldCode::Invalid), "{bad}");
        }
        assert_eq!(check(&format!("https://a.com/{}", "x".repeat(MAX_URL)), false), Err(FieldCode::TooLong));
    }

    #[test]
    fn local_and_private_hosts_are_not_allowed() {
        for bad in [
            "https://localhost/",
            "https://LOCALHOST:443/",
            "https://localhost./",
            "https://api.localhost/",
            "https://127.0.0.1/",
            "https://127.1.2.3:8080/",
            "https://10.0.0.5/",
            "https://172.16.0.1/",
            "https://172.31.255.255/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://0.0.0.0/",
            "https://evil@127.0.0.1/",
            "https://[::1]/",
            "https://[::]/",
            "https://[fe80::1]/",
            "https://[fc00::1]/",
            "https://[fd12:3456::1]:8443/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:10.0.0.1]/",
        ] {
            assert_eq!(check(bad, false), Err(FieldCode::NotAllowed), "{bad}");
        }
    }

    #[test]
    fn allow_http_lifts_both_rules() {
        for ok in ["http://127.0.0.1:9000/hook", "http://localhost/", "https://[::1]:1/", "https://10.0.0.1/"] {
            assert_eq!(check(ok, true), Ok(()), "{ok}");
        }
        assert_eq!(check("ftp://127.0.0.1/", true), Err(FieldCode::Invalid));
        assert_eq!(check("http://", true), Err(FieldCode::Invalid));
    }
}
