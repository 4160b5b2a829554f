//! References (SPEC §6, README "Deletes of referenced objects"): what a create or update points
//! at must be live in the tenant (422 naming the fields), and a delete is refused (409) while
//! live rows point at the object — checked in the same statement as the delete.

use super::{at, code, Fx};
use crate::domain::model::RefCheck;
use crate::error::ErrorCode;
use crate::handlers::catalog::{CUSTOMERS, DEPARTMENTS, SITES};
use crate::i18n::{FieldCode, Msg};
use crate::storage::jobs::JOBS;
use crate::storage::resource;
use crate::storage::shifts::SHIFTS;
use crate::storage::sqlite::block_on;
use crate::storage::time_entries::TIME_ENTRIES;
use crate::storage::workers::WORKERS;

fn check(fx: &Fx, refs: Vec<RefCheck>) -> Result<(), Vec<(String, FieldCode)>> {
    block_on(resource::check_refs(&fx.db, &fx.tenant, &refs))
        .map_err(|e| e.details.into_iter().map(|d| (d.field, d.code)).collect())
}

#[test]
fn references_must_be_live_in_the_tenant() {
    let fx = Fx::new();
    let (site, worker) = (fx.site(), fx.worker());
    assert_eq!(check(&fx, vec![]), Ok(()));
    assert_eq!(check(&fx, vec![("site_id", "sites", site.clone()), ("worker_id", "workers", worker.clone())]), Ok(()));

    // Every field that points nowhere is named, in order, in one 422.
    let missing = check(
        &fx,
        vec![
            ("worker_id", "workers", "wkr_nope".into()),
            ("site_id", "sites", site.clone()),
            ("job_id", "jobs", "job_nope".into()),
        ],
    );
    assert_eq!(missing, Err(vec![("worker_id".into(), FieldCode::NotFound), ("job_id".into(), FieldCode::NotFound)]));

    // Another tenant's site is as absent as a missing one.
    let other = fx.add_tenant();
    let theirs = fx.create_in(&other, &SITES.table, "site", vec![("name", "Theirs".into())]).unwrap(); // ok: native test
    assert_eq!(check(&fx, vec![("site_id", "sites", theirs)]), Err(vec![("site_id".into(), FieldCode::NotFound)]));

    // So is a deleted one.
    fx.delete(&SITES.table, &site).unwrap(); // ok: native test
    assert_eq!(check(&fx, vec![("site_id", "sites", site)]), Err(vec![("site_id".into(), FieldCode::NotFound)]));
}

#[test]
fn a_site_with_jobs_workers_shifts_or_entries_is_not_deleted() {
    let fx = Fx::new();
    let refused = |site: &str| {
        let err = fx.delete(&SITES.table, site).unwrap_err();
        assert_eq!((err.code, err.msg), (ErrorCode::Conflict, Msg::StillReferenced));
    };

    let site = fx.site();
    let job = fx.job(vec![("site_id", site.as_str().into())]);
    refused(&site);
    fx.delete(&JOBS, &job).unwrap(); // ok: native test
    assert_eq!(fx.delete(&SITES.table, &site).unwrap()["deleted"], true); // ok: native test

    let site = fx.site();
    let worker = fx.worker();
    fx.exec("UPDATE workers SET site_id = ? WHERE id = ?", [site.as_str().into(), worker.as_str().into()]);
    refused(&site);

    let site = fx.site();
    let shift = fx.shift(&fx.worker(), &site, &at("09:00"), &at("17:00")).unwrap(); // ok: native test
    refused(&site);
    fx.delete(&SHIFTS, &shift).unwrap(); // ok: native test
    fx.delete(&SITES.table, &site).unwrap(); // ok: native test

    let site = fx.site();
    fx.entry_with(&fx.worker(), &at("09:00"), Some(&at("10:00")), vec![("site_id", site.as_str().into())]).unwrap(); // ok: native test
    refused(&site);
    // Still there and live.
    assert!(block_on(resource::get(&fx.db, &SITES.table, &fx.tenant, &site)).is_ok());
}

#[test]
fn a_worker_with_entries_or_shifts_is_not_deleted() {
    let fx = Fx::new();
    let worker = fx.worker();
    let entry = fx.entry(&worker, &at("09:00"), Some(&at("10:00"))).unwrap(); // ok: native test
    assert_eq!(code(fx.delete(&WORKERS, &worker)), ErrorCode::Conflict);
    fx.delete(&TIME_ENTRIES, &entry).unwrap(); // ok: native test

    let shift = fx.shift(&worker, &fx.site(), &at("09:00"), &at("17:00")).unwrap(); // ok: native test
    assert_eq!(code(fx.delete(&WORKERS, &worker)), ErrorCode::Conflict);
    fx.delete(&SHIFTS, &shift).unwrap(); // ok: native test

    // Tombstones no longer hold it.
    assert_eq!(fx.delete(&WORKERS, &worker).unwrap()["id"], worker.as_str()); // ok: native test
}

#[test]
fn jobs_customers_and_departments_are_held_by_what_points_at_them() {
    let fx = Fx::new();
    let customer = fx.create_in(&fx.tenant, &CUSTOMERS.table, "cus", vec![("name", "Client".into())]).unwrap(); // ok: native test
    let job = fx.job(vec![("customer_id", customer.as_str().into())]);
    assert_eq!(code(fx.delete(&CUSTOMERS.table, &customer)), ErrorCode::Conflict);

    fx.entry_with(&fx.worker(), &at("09:00"), Some(&at("10:00")), vec![("job_id", job.as_str().into())]).unwrap(); // ok: native test
    assert_eq!(code(fx.delete(&JOBS, &job)), ErrorCode::Conflict);

    let department = fx.create_in(&fx.tenant, &DEPARTMENTS.table, "dep", vec![("name", "Ops".into())]).unwrap(); // ok: native test
    let worker = fx.worker();
    fx.exec("UPDATE workers SET department_id = ? WHERE id = ?", [department.as_str().into(), worker.as_str().into()]);
    assert_eq!(code(fx.delete(&DEPARTMENTS.table, &department)), ErrorCode::Conflict);
    fx.delete(&WORKERS, &worker).unwrap(); // ok: native test
    fx.delete(&DEPARTMENTS.table, &department).unwrap(); // ok: native test
}

#[test]
fn deleting_what_is_not_there_is_404_not_409() {
    let fx = Fx::new();
    assert_eq!(code(fx.delete(&WORKERS, "wkr_missing")), ErrorCode::NotFound);
    let site = fx.site();
    fx.delete(&SITES.table, &site).unwrap(); // ok: native test
    assert_eq!(code(fx.delete(&SITES.table, &site)), ErrorCode::NotFound);
    // Another tenant's object is not found either, even while referenced there.
    let other = fx.add_tenant();
    let theirs = fx.create_in(&other, &SITES.table, "site", vec![("name", "Theirs".into())]).unwrap(); // ok: native test
    assert_eq!(code(fx.delete(&SITES.table, &theirs)), ErrorCode::NotFound);
}
