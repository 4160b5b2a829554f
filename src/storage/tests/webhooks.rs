//! Secret rotation (SPEC §7) against the real schema: the replaced secret signs only through
//! the overlap asked for, at most one previous secret is kept, and another tenant's endpoint
//! or a deleted one is not rotated.

use super::Fx;
use crate::domain::listing::Arg;
use crate::domain::time::fmt_ms;
use crate::storage::sqlite::block_on;
use crate::storage::webhooks;

impl Fx {
    fn webhook(&self, secret: &str) -> String {
        let now = self.tick();
        let id = crate::domain::ids::new_id("whk", now as u64);
        self.exec(
            "INSERT INTO webhooks (id, tenant_id, url, events, secret, created_at, updated_at) \
             VALUES (?, ?, 'https://example.com/h', '[\"*\"]', ?, ?4, ?4)",
            [id.clone().into(), self.tenant.clone().into(), secret.into(), fmt_ms(now).into()],
        );
        id
    }
}

#[test]
fn a_rotation_keeps_at_most_one_previous_secret_for_its_overlap() {
    let fx = Fx::new();
    let id = fx.webhook("whsec_first");
    let read = || block_on(webhooks::endpoint(&fx.db, &fx.tenant, &id)).unwrap().unwrap();

    let now = fx.tick();
    let shown = block_on(webhooks::rotate(&fx.db, &fx.tenant, &id, "whsec_second", 3600, now)).unwrap().unwrap();
    assert!(!shown.contains("whsec_"), "the answer carries no secret of its own: {shown}");
    let e = read();
    assert_eq!((e.secret.as_str(), e.previous_secret.as_deref()), ("whsec_second", Some("whsec_first")));
    assert_eq!(e.previous_secret_expires_at, Some(fmt_ms(now + 3_600_000)));

    // Another overlap replaces the previous secret: only the one just replaced is kept.
    block_on(webhooks::rotate(&fx.db, &fx.tenant, &id, "whsec_third", 60, fx.tick())).unwrap().unwrap();
    let e = read();
    assert_eq!((e.secret.as_str(), e.previous_secret.as_deref()), ("whsec_third", Some("whsec_second")));

    // No overlap: the replaced secret stops at once.
    block_on(webhooks::rotate(&fx.db, &fx.tenant, &id, "whsec_fourth", 0, fx.tick())).unwrap().unwrap();
    let e = read();
    assert_eq!((e.secret.as_str(), e.previous_secret, e.previous_secret_expires_at), ("whsec_fourth", None, None));

    let other = fx.add_tenant();
    assert!(block_on(webhooks::rotate(&fx.db, &other, &id, "whsec_x", 0, fx.tick())).unwrap().is_none());
    fx.exec("UPDATE webhooks SET deleted_at = updated_at WHERE id = ?", [Arg::Text(id.clone())]);
    assert!(block_on(webhooks::rotate(&fx.db, &fx.tenant, &id, "whsec_x", 0, fx.tick())).unwrap().is_none());
    assert!(block_on(webhooks::endpoint(&fx.db, &fx.tenant, &id)).unwrap().is_none());
}
