//! Job budgets (SPEC §6 `budget_used`, §7 `job.budget_threshold`): use summed from approved
//! and pending entries, and each of 75/100/110 % announced once, by a compare-and-set on the
//! job's mask in the same batch as the events.

use super::{at, Fx};
use crate::domain::listing::Arg;
use crate::storage::jobs;
use crate::storage::sqlite::block_on;
use crate::storage::time_entries;

/// A job with a 10-hour budget and a worker paid 20.00 an hour.
fn budgeted_job(fx: &Fx) -> (String, String) {
    let job = fx.job(vec![("budget_hours", Arg::Real(10.0)), ("budget_currency", "USD".into())]);
    let worker = fx.worker();
    fx.exec("UPDATE workers SET pay_rate = 2000 WHERE id = ?", [worker.as_str().into()]);
    (job, worker)
}

fn work(fx: &Fx, job: &str, worker: &str, from: &str, to: &str) -> String {
    fx.entry_with(worker, &at(from), Some(&at(to)), vec![("job_id", job.into())]).expect("no overlap")
}

fn announce(fx: &Fx, job: &str) -> Vec<u32> {
    let read = block_on(jobs::budgeted(&fx.db, &fx.tenant, job)).unwrap();
    block_on(time_entries::announce(&fx.db, &fx.tenant, job, &read, fx.tick())).unwrap()
}

fn announced(fx: &Fx) -> Vec<u64> {
    let events = fx.events().into_iter().filter(|(t, _)| t == "job.budget_threshold");
    events.map(|(_, data)| data["threshold"].as_u64().unwrap_or_default()).collect()
}

#[test]
fn budget_used_counts_approved_and_pending_entries() {
    let fx = Fx::new();
    let (job, worker) = budgeted_job(&fx);
    work(&fx, &job, &worker, "08:00", "11:00");
    let rejected = work(&fx, &job, &worker, "12:00", "17:00");
    fx.exec("UPDATE time_entries SET status = 'rejected' WHERE id = ?", [rejected.as_str().into()]);
    let read = block_on(jobs::budgeted(&fx.db, &fx.tenant, &job)).unwrap();
    assert_eq!(read.used, jobs::BudgetUsed { hours: 3.0, amount: 6000, percent: Some(30.0) });
    assert_eq!(read.announced, 0);
    let detail = block_on(jobs::detail(&fx.db, &fx.tenant, &job)).unwrap();
    assert_eq!(detail["budget_used"], serde_json::json!({"hours": 3.0, "amount": 6000, "percent": 30.0}));
    assert_eq!(detail["budget"]["hours"], 10.0);
}

#[test]
fn each_threshold_is_announced_once() {
    let fx = Fx::new();
    let (job, worker) = budgeted_job(&fx);
    work(&fx, &job, &worker, "06:00", "13:00");
    assert!(announce(&fx, &job).is_empty(), "70 % crosses nothing");
    work(&fx, &job, &worker, "13:00", "14:00");
    assert_eq!(announce(&fx, &job), [75]);
    assert!(announce(&fx, &job).is_empty(), "80 % again announces nothing");
    work(&fx, &job, &worker, "14:00", "17:30");
    assert_eq!(announce(&fx, &job), [100, 110]);
    assert!(announce(&fx, &job).is_empty());
    assert_eq!(announced(&fx), [75, 100, 110]);
    assert_eq!(fx.count("SELECT thresholds_crossed FROM jobs WHERE id = ?", &[job.as_str().into()]), 7);

    // The event carries the use that crossed it.
    let (_, last) = fx.events().pop().unwrap();
    assert_eq!((last["job_id"].as_str(), last["percent"].as_f64()), (Some(job.as_str()), Some(115.0)));
    assert_eq!(last["budget_used"]["hours"], 11.5);
    assert_eq!(last["budget"]["hours"], 10.0);
}

/// Two writers read the job at the same moment and both see 75 % newly crossed: only the one
/// whose mask update finds the mask unchanged records the event.
#[test]
fn a_stale_reader_loses_the_compare_and_set() {
    let fx = Fx::new();
    let (job, worker) = budgeted_job(&fx);
    work(&fx, &job, &worker, "08:00", "16:00");
    let first = block_on(jobs::budgeted(&fx.db, &fx.tenant, &job)).unwrap();
    let second = block_on(jobs::budgeted(&fx.db, &fx.tenant, &job)).unwrap();
    let run = |read| block_on(time_entries::announce(&fx.db, &fx.tenant, &job, read, fx.tick())).unwrap();
    assert_eq!(run(&first), [75]);
    assert!(run(&second).is_empty());
    assert_eq!(announced(&fx), [75]);

    // A stale read that would add more still changes nothing: the mask moved since.
    work(&fx, &job, &worker, "16:00", "20:00");
    let fresh = block_on(jobs::budgeted(&fx.db, &fx.tenant, &job)).unwrap();
    let stale = jobs::Budgeted { announced: 0, ..fresh };
    assert!(run(&stale).is_empty());
    assert_eq!(announced(&fx), [75]);
    assert_eq!(announce(&fx, &job), [100, 110]);
}

#[test]
fn without_a_budget_nothing_is_announced() {
    let fx = Fx::new();
    let job = fx.job(vec![]);
    let worker = fx.worker();
    work(&fx, &job, &worker, "00:00", "23:00");
    block_on(time_entries::announce_thresholds(&fx.db, &fx.tenant, &job, fx.tick())).unwrap();
    assert!(announced(&fx).is_empty());
    let read = block_on(jobs::budgeted(&fx.db, &fx.tenant, &job)).unwrap();
    assert_eq!(read.used.percent, None);
    assert_eq!(read.job["budget"], serde_json::Value::Null);
}
