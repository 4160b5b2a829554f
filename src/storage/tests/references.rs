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
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    let theirs = fx.create_in(&other, &SITES.table, "site", vec![("name", "Theirs".into())]).unwrap();
    assert_eq!(check(&fx, vec![("site_id", "sites", theirs)]), Err(vec![("site_id".into(), FieldCode::NotFound)]));

    // So is a deleted one.
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.delete(&SITES.table, &site).unwrap();
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
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.delete(&JOBS, &job).unwrap();
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    assert_eq!(fx.delete(&SITES.table, &site).unwrap()["deleted"], true);

    let site = fx.site();
    let worker = fx.worker();
    fx.exec("UPDATE workers SET site_id = ? WHERE id = ?", [site.as_str().into(), worker.as_str().into()]);
    refused(&site);

    let site = fx.site();
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    let shift = fx.shift(&fx.worker(), &site, &at("09:00"), &at("17:00")).unwrap();
    refused(&site);
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.delete(&SHIFTS, &shift).unwrap();
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.delete(&SITES.table, &site).unwrap();

    let site = fx.site();
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.entry_with(&fx.worker(), &at("09:00"), Some(&at("10:00")), vec![("site_id", site.as_str().into())]).unwrap();
    refused(&site);
    // Still there and live.
    assert!(block_on(resource::get(&fx.db, &SITES.table, &fx.tenant, &site)).is_ok());
}

#[test]
fn a_worker_with_entries_or_shifts_is_not_deleted() {
    let fx = Fx::new();
    let worker = fx.worker();
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    let entry = fx.entry(&worker, &at("09:00"), Some(&at("10:00"))).unwrap();
    assert_eq!(code(fx.delete(&WORKERS, &worker)), ErrorCode::Conflict);
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.delete(&TIME_ENTRIES, &entry).unwrap();

    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    let shift = fx.shift(&worker, &fx.site(), &at("09:00"), &at("17:00")).unwrap();
    assert_eq!(code(fx.delete(&WORKERS, &worker)), ErrorCode::Conflict);
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.delete(&SHIFTS, &shift).unwrap();

    // Tombstones no longer hold it.
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    assert_eq!(fx.delete(&WORKERS, &worker).unwrap()["id"], worker.as_str());
}

#[test]
fn jobs_customers_and_departments_are_held_by_what_points_at_them() {
    let fx = Fx::new();
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    let customer = fx.create_in(&fx.tenant, &CUSTOMERS.table, "cus", vec![("name", "Client".into())]).unwrap();
    let job = fx.job(vec![("customer_id", customer.as_str().into())]);
    assert_eq!(code(fx.delete(&CUSTOMERS.table, &customer)), ErrorCode::Conflict);

    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.entry_with(&fx.worker(), &at("09:00"), Some(&at("10:00")), vec![("job_id", job.as_str().into())]).unwrap();
    assert_eq!(code(fx.delete(&JOBS, &job)), ErrorCode::Conflict);

    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    let department = fx.create_in(&fx.tenant, &DEPARTMENTS.table, "dep", vec![("name", "Ops".into())]).unwrap();
    let worker = fx.worker();
    fx.exec("UPDATE workers SET department_id = ? WHERE id = ?", [department.as_str().into(), worker.as_str().into()]);
    assert_eq!(code(fx.delete(&DEPARTMENTS.table, &department)), ErrorCode::Conflict);
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.delete(&WORKERS, &worker).unwrap();
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.delete(&DEPARTMENTS.table, &department).unwrap();
}

#[test]
fn deleting_what_is_not_there_is_404_not_409() {
    let fx = Fx::new();
    assert_eq!(code(fx.delete(&WORKERS, "wkr_missing")), ErrorCode::NotFound);
    let site = fx.site();
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    fx.delete(&SITES.table, &site).unwrap();
    assert_eq!(code(fx.delete(&SITES.table, &site)), ErrorCode::NotFound);
    // Another tenant's object is not found either, even while referenced there.
    let other = fx.add_tenant();
    // ok: native test code (cfg(test)), never in the wasm; a failure is the test failing
    let theirs = fx.create_in(&other, &SITES.table, "site", vec![("name", "Theirs".into())]).unwrap();
    assert_eq!(code(fx.delete(&SITES.table, &theirs)), ErrorCode::NotFound);
}
