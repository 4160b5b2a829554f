//! Object ids (SPEC §1): a type prefix and a UUIDv7 in lower-case hex.
//!
//! The 12-bit `rand_a` field is a counter, so ids made in one isolate within the same
//! millisecond (the Workers clock only advances after I/O) still sort in creation order.

use std::cell::RefCell;

/// Monotonic UUIDv7 generator state.
#[derive(Debug, Default)]
pub struct IdGen {
    last_ms: u64,
    counter: u16,
}

impl IdGen {
    /// The next UUIDv7 (as 16 bytes) for wall-clock `now_ms`, using 10 random bytes.
    pub fn next(&mut self, now_ms: u64, random: [u8; 10]) -> [u8; 16] {
        if now_ms > self.last_ms {
            self.last_ms = now_ms;
            // Start low in the counter space so many ids fit in one millisecond.
            self.counter = u16::from_be_bytes([random[8] & 0x03, random[9]]);
        } else if self.counter >= 0x0FFF {
            self.last_ms += 1;
            self.counter = 0;
        } else {
            self.counter += 1;
        }
        let ms = self.last_ms.to_be_bytes();
        let mut b = [0u8; 16];
        b[..6].copy_from_slice(&ms[2..8]);
        b[6] = 0x70 | ((self.counter >> 8) as u8 & 0x0F);
        b[7] = (self.counter & 0xFF) as u8;
        b[8] = 0x80 | (random[0] & 0x3F);
        b[9..16].copy_from_slice(&random[1..8]);
        b
    }
}

thread_local! {
    static GEN: RefCell<IdGen> = RefCell::new(IdGen::default());
}

/// `N` bytes from the platform CSPRNG (Web Crypto on Workers); `None` if it is unavailable.
pub fn random_bytes<const N: usize>() -> Option<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).ok().map(|_| buf)
}

pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// A new id such as `wkr_0193c2…`, ordered by creation time.
pub fn new_id(prefix: &str, now_ms: u64) -> String {
    // Ids are not secrets: without a CSPRNG the counter alone still keeps them unique here.
    let random = random_bytes::<10>().unwrap_or_default();
    let bytes = GEN.with(|g| g.borrow_mut().next(now_ms, random));
    let mut id = String::with_capacity(prefix.len() + 33);
    id.push_str(prefix);
    id.push('_');
    id.push_str(&hex(&bytes));
    id
}

/// Whether `s` looks like an id with `prefix` (cheap syntactic check before a lookup).
pub fn is_id(prefix: &str, s: &str) -> bool {
    s.len() == prefix.len() + 33
        && s.starts_with(prefix)
        && s.as_bytes().get(prefix.len()) == Some(&b'_')
        && s[prefix.len() + 1..].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// When an id made by [`new_id`] was made (unix ms): its UUIDv7's first 48 bits. For ordering
/// objects of different kinds in time (an event and an endpoint); `None` for anything else.
pub fn millis(id: &str) -> Option<i64> {
    let (_, uuid) = id.split_once('_')?;
    i64::from_str_radix(uuid.get(..12)?, 16).ok()
}

/// The least id with `prefix` that [`new_id`] could make at `ms`: every id made before `ms`
/// sorts below it, so `id < floor(…)` is a time bound that an index on `id` can range over.
pub fn floor(prefix: &str, ms: i64) -> String {
    format!("{prefix}_{:012x}{}", ms.clamp(0, 0xFFFF_FFFF_FFFF), "0".repeat(20))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_monotonic_within_a_millisecond_and_across_a_stuck_clock() {
        let mut g = IdGen::default();
        let mut prev = g.next(1_000, [0xff; 10]);
        for i in 0..10_000u64 {
            // The clock does not advance (and even steps back once).
            let now = if i == 5000 { 999 } else { 1_000 };
            let next = g.next(now, [(i % 251) as u8; 10]);
            assert!(next > prev, "id {i} not increasing");
            prev = next;
        }
    }

    #[test]
    fn ids_carry_version_and_variant() {
        let b = IdGen::default().next(1_700_000_000_000, [0xAB; 10]);
        assert_eq!(b[6] >> 4, 7);
        assert_eq!(b[8] >> 6, 0b10);
    }

    #[test]
    fn new_id_has_prefix_and_hex() {
        let id = new_id("wkr", 1_700_000_000_000);
        assert!(is_id("wkr", &id), "{id}");
        assert!(!is_id("job", &id));
        assert!(!is_id("wkr", "wkr_xyz"));
        assert!(new_id("wkr", 1_700_000_000_000) > id);
    }

    #[test]
    fn ids_carry_their_time_and_floors_bound_it() {
        let at = 1_700_000_000_123;
        let id = new_id("evt", at as u64);
        assert_eq!(millis(&id), Some(at));
        assert_eq!(millis("evt_xyz"), None);
        assert_eq!(millis("nounderscore"), None);
        let f = floor("evt", at);
        assert!(is_id("evt", &f), "{f}");
        assert!(f.as_str() <= id.as_str());
        assert!(id < floor("evt", at + 1));
        let earlier = IdGen::default().next((at - 1) as u64, [0xff; 10]);
        assert!(format!("evt_{}", hex(&earlier)) < f);
    }
}
