//! The live feed of one tenant (SPEC §6 positions), as pure state: positions wait until their
//! due time (`recorded_at` + the live delay), are then released in due order into a bounded
//! ring that serves `Last-Event-ID` resumes, and each worker's latest released position is
//! kept for a map opening late. The `LiveFeed` object owns one [`Feed`] and does the I/O:
//! storage, the alarm at [`Feed::next_due`], and writing events to subscribers.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::rc::Rc;

use serde::{Deserialize, Serialize};

/// One position on the feed. `json` is the position object exactly as the API shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub worker_id: String,
    pub site_id: Option<String>,
    /// When it may be released (unix ms).
    pub due_ms: i64,
    pub json: Rc<str>,
}

/// How much a feed holds. Past `pending` positions not yet due, more are not streamed (they
/// are still recorded in history): at a 60 s delay that is a sustained 333 positions/s.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub pending: usize,
    /// Released positions kept for resuming.
    pub released: usize,
    /// Workers whose latest position is kept.
    pub workers: usize,
}

pub const BOUNDS: Bounds = Bounds { pending: 20_000, released: 2_000, workers: 10_000 };

/// The feed: pending by (due time, arrival), released in release order.
#[derive(Debug, Default)]
pub struct Feed {
    pending: BTreeMap<(i64, u64), Item>,
    released: VecDeque<Item>,
    latest: HashMap<String, Item>,
    arrivals: u64,
    /// Positions refused because `pending` was full.
    pub skipped: u64,
}

impl Feed {
    /// Queues a position; `false` (and nothing kept) when the pending buffer is full.
    pub fn add(&mut self, item: Item, bounds: &Bounds) -> bool {
        if self.pending.len() >= bounds.pending {
            self.skipped += 1;
            return false;
        }
        self.arrivals += 1;
        self.pending.insert((item.due_ms, self.arrivals), item);
        true
    }

    /// Moves every position due at `now_ms` to the released ring, in due order, and returns
    /// them (to be written to subscribers).
    pub fn release(&mut self, now_ms: i64, bounds: &Bounds) -> Vec<Item> {
        let later = self.pending.split_off(&(now_ms.saturating_add(1), 0));
        let due = std::mem::replace(&mut self.pending, later);
        let out: Vec<Item> = due.into_values().collect();
        for item in &out {
            self.remember(item.clone(), bounds);
        }
        out
    }

    /// Keeps a released position: in the ring (for resumes) and, if it is its worker's
    /// newest, as that worker's latest.
    pub fn remember(&mut self, item: Item, bounds: &Bounds) {
        self.note_latest(item.clone(), bounds);
        self.push_released(item, bounds);
    }

    /// Puts a position back in the resume ring (a restart reloading it).
    pub fn push_released(&mut self, item: Item, bounds: &Bounds) {
        self.released.push_back(item);
        while self.released.len() > bounds.released {
            self.released.pop_front();
        }
    }

    /// Makes `item` its worker's latest if nothing newer is; past `bounds.workers` workers, the
    /// one seen longest ago is forgotten.
    pub fn note_latest(&mut self, item: Item, bounds: &Bounds) {
        if self.latest.get(&item.worker_id).is_some_and(|l| l.due_ms > item.due_ms) {
            return;
        }
        if self.latest.len() >= bounds.workers && !self.latest.contains_key(&item.worker_id) {
            if let Some(oldest) = self.latest.values().min_by_key(|l| l.due_ms).map(|l| l.worker_id.clone()) {
                self.latest.remove(&oldest);
            }
        }
        self.latest.insert(item.worker_id.clone(), item);
    }

    /// When the next pending position is due.
    pub fn next_due(&self) -> Option<i64> {
        self.pending.keys().next().map(|(due, _)| *due)
    }

    /// The positions released after `last_id`, oldest first; `None` when `last_id` is no
    /// longer (or never was) in the ring, so there is nothing to resume from.
    pub fn since(&self, last_id: &str) -> Option<Vec<&Item>> {
        let at = self.released.iter().rposition(|i| i.id == last_id)?;
        Some(self.released.iter().skip(at + 1).collect())
    }

    /// Each worker's latest released position, oldest first.
    pub fn latest(&self) -> Vec<&Item> {
        let mut all: Vec<&Item> = self.latest.values().collect();
        all.sort_by(|a, b| (a.due_ms, &a.id).cmp(&(b.due_ms, &b.id)));
        all
    }

    /// How much the feed holds now: (pending, released, workers).
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.pending.len(), self.released.len(), self.latest.len())
    }
}

/// What one subscriber wants: positions of these workers, of workers of these sites (both
/// when both are given); everything when neither is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_ids: Option<Vec<String>>,
}

impl Filter {
    pub fn matches(&self, item: &Item) -> bool {
        self.worker_ids.as_ref().is_none_or(|w| w.contains(&item.worker_id))
            && self.site_ids.as_ref().is_none_or(|s| item.site_id.as_ref().is_some_and(|id| s.contains(id)))
    }

    /// This filter narrowed by `outer` (an embed token's): a connection sees only what both
    /// allow. Lists intersect; a list on one side only is kept.
    pub fn within(self, outer: &Filter) -> Filter {
        fn both(inner: Option<Vec<String>>, outer: &Option<Vec<String>>) -> Option<Vec<String>> {
            match (inner, outer) {
                (Some(i), Some(o)) => Some(i.into_iter().filter(|id| o.contains(id)).collect()),
                (None, Some(o)) => Some(o.clone()),
                (i, None) => i,
            }
        }
        Filter { worker_ids: both(self.worker_ids, &outer.worker_ids), site_ids: both(self.site_ids, &outer.site_ids) }
    }
}

/// A position as the request that recorded it hands it to the feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    pub id: String,
    pub worker_id: String,
    pub site_id: Option<String>,
    pub due_ms: i64,
    /// The position object, as JSON text.
    pub json: String,
}

impl From<Published> for Item {
    fn from(p: Published) -> Item {
        Item { id: p.id, worker_id: p.worker_id, site_id: p.site_id, due_ms: p.due_ms, json: Rc::from(p.json) }
    }
}

/// A connection asking for the stream.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscribe {
    #[serde(default)]
    pub filter: Filter,
    /// `Last-Event-ID`: resume after this position if the ring still holds it.
    #[serde(default)]
    pub last_event_id: Option<String>,
    /// Start with each worker's latest released position (when not resuming).
    #[serde(default)]
    pub latest: bool,
    /// Frames written before anything else (the map's `context` event).
    #[serde(default)]
    pub head: Option<String>,
}

/// What the feed holds and serves, for the benchmark and operators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub pending: usize,
    pub released: usize,
    pub workers: usize,
    pub skipped: u64,
    pub sse_streams: usize,
    pub websockets: usize,
    /// The object's wasm linear memory, in bytes.
    pub memory_bytes: u64,
}

/// What a new connection gets before live positions: a resume from the ring, else (if asked)
/// each worker's latest, filtered.
pub fn backlog<'f>(feed: &'f Feed, sub: &Subscribe) -> Vec<&'f Item> {
    let resumed = sub.last_event_id.as_deref().and_then(|id| feed.since(id));
    let items = match resumed {
        Some(items) => items,
        None if sub.latest && sub.last_event_id.is_none() => feed.latest(),
        None => Vec::new(),
    };
    items.into_iter().filter(|i| sub.filter.matches(i)).collect()
}

/// A Server-Sent Events frame for a position: `event: position`, `id:`, `data:`.
pub fn sse_position(item: &Item) -> String {
    format!("event: position\nid: {}\ndata: {}\n\n", item.id, item.json)
}

/// A Server-Sent Events frame of another kind (one line of JSON data, no id).
pub fn sse_event(event: &str, data: &str) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// The comment that keeps an idle stream open through proxies.
pub const SSE_HEARTBEAT: &str = ": heartbeat\n\n";
/// How often the heartbeat is written.
pub const HEARTBEAT_MS: i64 = 15_000;
/// The reconnection delay suggested to clients, sent first on every stream.
pub const SSE_RETRY: &str = "retry: 2000\n\n";

#[cfg(test)]
mod tests {
    use super::*;

    const B: Bounds = Bounds { pending: 5, released: 3, workers: 2 };

    fn item(id: &str, worker: &str, site: Option<&str>, due: i64) -> Item {
        Item {
            id: id.into(),
            worker_id: worker.into(),
            site_id: site.map(str::to_string),
            due_ms: due,
            json: Rc::from(format!("{{\"id\":\"{id}\"}}")),
        }
    }

    fn ids(items: &[Item]) -> Vec<&str> {
        items.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn releases_in_due_order_never_early() {
        let mut f = Feed::default();
        f.add(item("b", "w1", None, 200), &B);
        f.add(item("a", "w1", None, 100), &B);
        f.add(item("c", "w2", None, 200), &B);
        assert_eq!(f.next_due(), Some(100));
        assert!(f.release(99, &B).is_empty());
        assert_eq!(ids(&f.release(100, &B)), ["a"]);
        assert_eq!(f.next_due(), Some(200));
        // Same due time: arrival order.
        assert_eq!(ids(&f.release(1_000, &B)), ["b", "c"]);
        assert_eq!(f.next_due(), None);
    }

    #[test]
    fn pending_is_bounded() {
        let mut f = Feed::default();
        for n in 0..7 {
            f.add(item(&format!("p{n}"), "w", None, 100 + n), &B);
        }
        assert_eq!(f.sizes().0, 5);
        assert_eq!(f.skipped, 2);
    }

    #[test]
    fn resumes_from_the_ring_only() {
        let mut f = Feed::default();
        for (n, id) in ["a", "b", "c", "d"].iter().enumerate() {
            f.add(item(id, "w", None, n as i64), &B);
        }
        f.release(10, &B);
        // The ring keeps 3: "a" has fallen out.
        assert_eq!(f.since("a"), None);
        assert_eq!(f.since("b").unwrap().iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["c", "d"]);
        assert!(f.since("d").unwrap().is_empty());
        assert_eq!(f.since("zzz"), None);
    }

    #[test]
    fn latest_per_worker_is_bounded_and_newest() {
        let mut f = Feed::default();
        f.add(item("a1", "a", None, 1), &B);
        f.add(item("a2", "a", None, 5), &B);
        f.add(item("b1", "b", None, 3), &B);
        f.release(10, &B);
        let latest: Vec<&str> = f.latest().iter().map(|i| i.id.as_str()).collect();
        assert_eq!(latest, ["b1", "a2"]);
        f.add(item("c1", "c", None, 20), &B);
        f.release(20, &B);
        // Two workers at most: the one seen longest ago goes.
        let latest: Vec<&str> = f.latest().iter().map(|i| i.id.as_str()).collect();
        assert_eq!(latest, ["a2", "c1"]);
    }

    #[test]
    fn filters_match_and_narrow() {
        let p = item("x", "w1", Some("s1"), 0);
        assert!(Filter::default().matches(&p));
        let workers = Filter { worker_ids: Some(vec!["w1".into()]), site_ids: None };
        assert!(workers.matches(&p));
        let sites = Filter { worker_ids: None, site_ids: Some(vec!["s2".into()]) };
        assert!(!sites.matches(&p));
        assert!(!sites.matches(&item("y", "w1", None, 0)), "no site: only unfiltered sites match");
        let token = Filter { worker_ids: Some(vec!["w1".into(), "w2".into()]), site_ids: None };
        let asked = Filter { worker_ids: Some(vec!["w2".into(), "w3".into()]), site_ids: Some(vec!["s1".into()]) };
        let got = asked.within(&token);
        assert_eq!(got.worker_ids, Some(vec!["w2".to_string()]));
        assert_eq!(got.site_ids, Some(vec!["s1".to_string()]));
        assert_eq!(Filter::default().within(&token), token);
    }

    #[test]
    fn a_new_connection_resumes_else_starts_from_the_latest() {
        let mut f = Feed::default();
        for (n, (id, w)) in [("a", "w1"), ("b", "w2"), ("c", "w1")].iter().enumerate() {
            f.add(item(id, w, None, n as i64), &B);
        }
        f.release(10, &B);
        let got = |sub: Subscribe| backlog(&f, &sub).iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(got(Subscribe { last_event_id: Some("a".into()), latest: true, ..Default::default() }), ["b", "c"]);
        assert_eq!(got(Subscribe { latest: true, ..Default::default() }), ["b", "c"]);
        assert!(got(Subscribe::default()).is_empty());
        // An id the ring no longer holds: nothing to resume, and no snapshot in its place.
        assert!(got(Subscribe { last_event_id: Some("gone".into()), latest: true, ..Default::default() }).is_empty());
        let only_w1 = Filter { worker_ids: Some(vec!["w1".into()]), site_ids: None };
        let sub = Subscribe { last_event_id: Some("a".into()), filter: only_w1, ..Default::default() };
        assert_eq!(got(sub), ["c"]);
    }

    #[test]
    fn frames() {
        let p = item("pos_1", "w", None, 0);
        assert_eq!(sse_position(&p), "event: position\nid: pos_1\ndata: {\"id\":\"pos_1\"}\n\n");
        assert_eq!(sse_event("context", "{}"), "event: context\ndata: {}\n\n");
    }
}
