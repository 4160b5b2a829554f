//! Employee codes (SPEC §6 workers): unique per tenant among live workers, enforced by the
//! schema's partial unique index and reported as 409 on `employee_code`.

use super::{code, Fx};
use crate::domain::listing::Arg;
use crate::error::ErrorCode;
use crate::i18n::Msg;
use crate::storage::resource;
use crate::storage::sqlite::block_on;
use crate::storage::workers::WORKERS;

#[test]
fn a_live_code_is_taken() {
    let fx = Fx::new();
    fx.worker_coded(&fx.tenant, "EMP-1").unwrap(); // ok: native test
    let err = fx.worker_coded(&fx.tenant, "EMP-1").unwrap_err();
    assert_eq!((err.code, err.msg), (ErrorCode::Conflict, Msg::Duplicate("employee_code".into())));
    // Codes compare exactly.
    fx.worker_coded(&fx.tenant, "emp-1").unwrap(); // ok: native test
    assert_eq!(
        fx.count("SELECT count(*) FROM workers WHERE tenant_id = ?", &[fx.tenant.as_str().into()]),
        2,
        "the refused insert left no row"
    );
}

#[test]
fn codes_are_per_tenant() {
    let fx = Fx::new();
    fx.worker_coded(&fx.tenant, "EMP-1").unwrap(); // ok: native test
    let other = fx.add_tenant();
    fx.worker_coded(&other, "EMP-1").unwrap(); // ok: native test
}

#[test]
fn a_deleted_worker_frees_its_code() {
    let fx = Fx::new();
    let gone = fx.worker_coded(&fx.tenant, "EMP-1").unwrap(); // ok: native test
    fx.delete(&WORKERS, &gone).unwrap(); // ok: native test
    let again = fx.worker_coded(&fx.tenant, "EMP-1").unwrap(); // ok: native test
    assert_ne!(gone, again);
    // The tombstone keeps its code; only one live worker holds it.
    let holders = "SELECT count(*) FROM workers WHERE tenant_id = ? AND employee_code = 'EMP-1'";
    assert_eq!(fx.count(holders, &[fx.tenant.as_str().into()]), 2);
}

#[test]
fn an_update_to_a_taken_code_is_refused_and_changes_nothing() {
    let fx = Fx::new();
    fx.worker_coded(&fx.tenant, "EMP-1").unwrap(); // ok: native test
    let second = fx.worker_coded(&fx.tenant, "EMP-2").unwrap(); // ok: native test
    let sets = vec![("employee_code", Arg::from("EMP-1")), ("name", "Renamed".into())];
    let refused = block_on(resource::update(&fx.db, &WORKERS, &fx.tenant, &second, fx.tick(), sets));
    assert_eq!(code(refused), ErrorCode::Conflict);
    let json = block_on(resource::get(&fx.db, &WORKERS, &fx.tenant, &second)).unwrap(); // ok: native test
    let row: serde_json::Value = serde_json::from_str(&json).unwrap(); // ok: native test
    assert_eq!((row["employee_code"].as_str(), row["name"].as_str()), (Some("EMP-2"), Some("Ada Lovelace")));
    // Neither did its `worker.updated` event land.
    assert!(fx.events().iter().all(|(t, _)| t == "worker.created"));
    // Keeping one's own code is no conflict.
    let sets = vec![("employee_code", Arg::from("EMP-2"))];
    let kept = block_on(resource::update(&fx.db, &WORKERS, &fx.tenant, &second, fx.tick(), sets));
    kept.unwrap(); // ok: native test
}

#[test]
fn a_missing_required_column_is_a_422_on_it() {
    let fx = Fx::new();
    let cols = vec![("name", Arg::Null), ("employee_code", "EMP-9".into())];
    let err = fx.create_in(&fx.tenant, &WORKERS, "wkr", cols).unwrap_err();
    assert_eq!(err.code, ErrorCode::ValidationFailed);
    assert_eq!(err.details[0].field, "name");
}
