// Compiled only for tests: `#[cfg(test)] mod query_plans;` in storage/mod.rs.
//! Every list query is an index range scan: each resource's compiled page query is run
//! through SQLite's `EXPLAIN QUERY PLAN` against the real schema, natively.

use rusqlite::Connection;

use crate::domain::cursor;
use crate::domain::jobs::JobStatus;
use crate::domain::listing::{compile, Arg, ListSpec, Query};
use crate::domain::workers::WorkerStatus;
use crate::storage::sqlite::Sqlite;

/// The `/v2` reads (SPEC §9): integer ids and numbered pages.
mod harvest;

fn plan(conn: &Connection, sql: &str, args: &[Arg]) -> String {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("explain");
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3)).expect("query plan");
    rows.map(|r| r.unwrap_or_default()).collect::<Vec<_>>().join(" | ")
}

fn specs() -> Vec<(&'static str, &'static ListSpec, bool)> {
    use crate::handlers::catalog::*;
    vec![
        ("workers", &crate::storage::workers::WORKERS.list, true),
        ("sites", &SITES.table.list, true),
        ("departments", &DEPARTMENTS.table.list, true),
        ("cost_codes", &COST_CODES.table.list, true),
        ("tasks", &TASKS.table.list, true),
        ("customers", &CUSTOMERS.table.list, true),
        ("jobs", &crate::storage::jobs::JOBS.list, true),
        ("shifts", &crate::storage::shifts::SHIFTS.list, true),
        ("api_keys", &crate::storage::api_keys::API_KEYS.list, true),
        ("partnerships", &crate::storage::partnerships::PARTNERSHIPS.list, true),
        ("audit_log", &crate::storage::audit::AUDIT_LOG, true),
        ("divisions", &crate::storage::tenants::DIVISIONS.list, true),
        ("webhooks", &crate::storage::webhooks::WEBHOOKS.list, true),
        ("tenants", &crate::storage::tenants::TENANT_LIST, false),
        ("vendors", &crate::storage::vendors::VENDOR_LIST, false),
        ("exports", &crate::storage::exports::EXPORTS.list, true),
        ("expenses", &crate::storage::expenses::EXPENSES.list, true),
        ("invoices", &crate::storage::invoices::INVOICES.list, true),
    ]
}

#[test]
fn every_list_page_is_an_index_range_scan() {
    let db = Sqlite::open();
    let conn = db.conn();
    let c = cursor::encode("x_0193c2aa000070008000000000000001");
    for (name, spec, scoped) in specs() {
        for pairs in [vec![], vec![("cursor".to_string(), c.clone())], vec![("include_deleted".into(), "true".into())]]
        {
            let lq = compile(spec, scoped.then_some("ten_1"), &Query::new(pairs.clone())).expect("compiles");
            let p = plan(conn, &lq.sql, &lq.args);
            assert!(p.contains("USING INDEX") || p.contains("USING COVERING INDEX"), "{name} {pairs:?}: {p}");
            assert!(!p.contains("TEMP B-TREE"), "{name} {pairs:?} sorts: {p}");
            if scoped {
                assert!(
                    p.contains("(tenant_id=?") || p.contains("(parent_id=?"),
                    "{name}: not a range on the owner: {p}"
                );
            }
        }
    }
}

#[test]
fn single_value_filters_use_their_index() {
    let db = Sqlite::open();
    let conn = db.conn();
    let q = |pairs: &[(&str, &str)]| Query::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect());
    let cases: Vec<(&ListSpec, Query, &str)> = vec![
        (
            &crate::storage::workers::WORKERS.list,
            q(&[("status", WorkerStatus::Active.as_str())]),
            "workers_tenant_status",
        ),
        (&crate::storage::jobs::JOBS.list, q(&[("status", JobStatus::Active.as_str())]), "jobs_tenant_status"),
    ];
    for (spec, query, index) in cases {
        let lq = compile(spec, Some("ten_1"), &query).unwrap();
        let p = plan(conn, &lq.sql, &lq.args);
        assert!(p.contains(index), "{}: {p}", spec.table);
        assert!(!p.contains("TEMP B-TREE"), "{}: {p}", spec.table);
    }
}

/// Several values of a filter arrive as one JSON array (`json_each`): the list is built once,
/// and the page is still a range on the owner's index in id order.
#[test]
fn many_valued_filters_keep_the_range_scan() {
    let db = Sqlite::open();
    let conn = db.conn();
    let q = |pairs: &[(&str, &str)]| Query::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect());
    let cases: Vec<(&ListSpec, Query)> = vec![
        (&crate::storage::workers::WORKERS.list, q(&[("status", "active,inactive"), ("q", "ana")])),
        (
            &crate::storage::time_entries::TIME_ENTRIES.list,
            q(&[
                ("worker_id", "wkr_0193c2aa000070008000000000000001,wkr_0193c2aa000070008000000000000002"),
                ("status", "pending,approved"),
            ]),
        ),
        (&crate::storage::audit::AUDIT_LOG, q(&[("status", "200,429"), ("method", "GET,POST")])),
    ];
    for (spec, query) in cases {
        let lq = compile(spec, Some("ten_1"), &query).unwrap();
        let p = plan(conn, &lq.sql, &lq.args);
        assert!(p.contains("USING INDEX") || p.contains("USING COVERING INDEX"), "{}: {p}", spec.table);
        assert!(p.contains("(tenant_id=?"), "{}: not a range on the owner: {p}", spec.table);
        assert!(!p.contains("TEMP B-TREE"), "{}: {p}", spec.table);
    }
}

/// Webhook delivery's queries (SPEC §7): the delivery log is a range of its endpoint, and the
/// sweeper's scans (undispatched events, overdue deliveries, 30-day purges) are ranges of their
/// indexes, however large the tables grow.
#[test]
fn webhook_delivery_queries_use_their_indexes() {
    use crate::domain::ids;
    let db = Sqlite::open();
    let conn = db.conn();
    let c = cursor::encode("dlv_0193c2aa000070008000000000000001");
    let q = |pairs: &[(&str, &str)]| Query::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect());
    for query in [q(&[]), q(&[("cursor", &c), ("status", "pending"), ("event", "ping,worker.created")])] {
        let lq = crate::storage::deliveries::page_query("ten_1", "whk_1", &query).unwrap();
        let p = plan(conn, &lq.sql, &lq.args);
        assert!(p.contains("webhook_deliveries_webhook (tenant_id=? AND webhook_id=?"), "{p}");
        assert!(!p.contains("TEMP B-TREE"), "{p}");
    }
    let t = Arg::Text("2026-01-01T00:00:00Z".into());
    let n = Arg::Int(200);
    use crate::storage::{deliveries, events};
    let cases: Vec<(&str, Vec<Arg>, &str)> = vec![
        (events::STALE, vec![ids::floor("evt", 1).into(), n.clone()], "events_undispatched (dispatched_at=? AND id<?)"),
        (
            deliveries::OVERDUE,
            vec![t.clone(), n.clone()],
            "webhook_deliveries_pending (status=? AND next_attempt_at<?)",
        ),
        (deliveries::PURGE, vec![t.clone(), n.clone()], "webhook_deliveries_created (created_at<?)"),
        (events::PURGE, vec![t, n], "events_undispatched (dispatched_at<?)"),
    ];
    for (sql, args, expected) in cases {
        let p = plan(conn, sql, &args);
        assert!(p.contains(expected), "{sql}: {p}");
        assert!(!p.contains("TEMP B-TREE"), "{sql}: {p}");
    }
}

/// The report aggregates (SPEC §6) read the counted entries by an index range on the tenant's
/// entries — by start, or by worker or job and start when one is asked for — never by scanning
/// the table, whatever they group by.
#[test]
fn report_aggregates_are_index_range_scans() {
    use crate::domain::listing::Filter;
    use crate::domain::reports::GroupBy;
    use crate::handlers::reports::FILTERS;
    use crate::storage::counted::Counted;
    let db = Sqlite::open();
    let conn = db.conn();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let filter = |name: &str| -> &Filter { FILTERS.filters.iter().find(|f| f.param == name).expect("filter") };
    let counted = |filters: &[(&str, &str)]| {
        let mut c = Counted {
            tenant: "ten_1".into(),
            tenant_zone: "Europe/Madrid".into(),
            site_zones: vec!["America/New_York".into()],
            from: day("2026-03-01"),
            to: day("2026-03-31"),
            conditions: vec![],
        };
        for (name, raw) in filters {
            c.filter(filter(name), raw).expect("filter value");
        }
        c
    };
    let wkr = "wkr_0193c2aa000070008000000000000001";
    let job = "job_0193c2aa000070008000000000000001";
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("status", "approved,pending")], "time_entries_started"),
        (vec![("status", "approved"), ("worker_id", wkr)], "time_entries_worker"),
        (vec![("status", "approved,pending"), ("job_id", job)], "time_entries_job_started"),
    ];
    for (filters, index) in cases {
        let c = counted(&filters);
        let mut queries: Vec<(String, Vec<Arg>)> = Vec::new();
        for group in GroupBy::ALL {
            queries.push(crate::storage::reports::time_sql(&c, *group));
        }
        queries.push(crate::storage::reports::job_costing_sql(&c));
        for (sql, args) in queries {
            let p = plan(conn, &sql, &args);
            assert!(p.contains(&format!("SEARCH te USING INDEX {index} (tenant_id=?")), "{filters:?}: {p}");
            assert!(!p.contains("SCAN te"), "{filters:?} scans the entries: {p}");
            for joined in ["w", "j", "es", "js", "ws"] {
                assert!(!p.contains(&format!("SCAN {joined} ")), "{filters:?} scans {joined}: {p}");
            }
        }
    }
}

/// An invoice import's reads (SPEC §6 "invoices"): the customer's billable entries are a range
/// on the tenant's entries by start (as reports count them), its expenses a range by spent date;
/// freeing a deleted draft's rows and the `is_invoiced` filter use the invoice index.
#[test]
fn invoice_import_reads_are_index_range_scans() {
    use crate::storage::counted::Counted;
    use crate::storage::invoices;
    let db = Sqlite::open();
    let conn = db.conn();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let counted = Counted {
        tenant: "ten_1".into(),
        tenant_zone: "Europe/Madrid".into(),
        site_zones: vec!["America/New_York".into()],
        from: day("2026-03-01"),
        to: day("2026-03-31"),
        conditions: vec![],
    };
    // All the customer's jobs, or only some (`job_ids`, `/v2`'s `project_ids`): then a range of
    // each job's entries.
    for (jobs, index) in [
        (None, "time_entries_started (tenant_id=?"),
        (Some("[\"job_1\"]"), "time_entries_job_started (tenant_id=? AND job_id=?"),
    ] {
        let (sql, args) = invoices::billable_entries_sql(&counted, "cus_1", jobs);
        let p = plan(conn, &sql, &args);
        assert!(p.contains(&format!("SEARCH te USING INDEX {index}")), "{p}");
        assert!(!p.contains("SCAN te") && !p.contains("SCAN k") && !p.contains("SCAN j "), "{p}");
        let mut args: Vec<Arg> =
            ["ten_1", "2026-03-01", "2026-03-31", "USD", "cus_1"].into_iter().map(|s| Arg::Text(s.into())).collect();
        args.push(jobs.map_or(Arg::Null, Arg::from));
        let p = plan(conn, invoices::BILLABLE_EXPENSES, &args);
        assert!(
            p.contains("SEARCH x USING INDEX expenses_spent (tenant_id=? AND spent_date>? AND spent_date<?)"),
            "{p}"
        );
        assert!(!p.contains("SCAN x") && !p.contains("SCAN j "), "{p}");
    }
    let p = plan(conn, invoices::CUSTOMER_JOBS, &["ten_1".into(), "cus_1".into(), "[\"job_1\"]".into()]);
    assert!(p.contains("SEARCH jobs USING INDEX jobs_customer (tenant_id=? AND customer_id=?)"), "{p}");
    assert!(!p.contains("SCAN jobs") && !p.contains("TEMP B-TREE"), "{p}");
    let free = "SELECT id FROM time_entries WHERE tenant_id = ? AND invoice_id = ?";
    let p = plan(conn, free, &[Arg::Text("ten_1".into()), Arg::Text("inv_1".into())]);
    assert!(p.contains("time_entries_invoice (tenant_id=? AND invoice_id=?)"), "{p}");
    let lq = compile(
        &crate::storage::time_entries::TIME_ENTRIES.list,
        Some("ten_1"),
        &Query::new(vec![("is_invoiced".into(), "true".into())]),
    )
    .expect("compiles");
    let p = plan(conn, &lq.sql, &lq.args);
    assert!(p.contains("(tenant_id=?") && !p.contains("TEMP B-TREE"), "{p}");
}

/// A payroll export's reads (SPEC §6): its page of workers, their approved entries in the
/// range, and its gathered rows — each a range on an index, none sorting.
#[test]
fn export_reads_are_index_range_scans() {
    let db = Sqlite::open();
    let conn = db.conn();
    let counted = crate::storage::counted::Counted {
        tenant: "ten_1".into(),
        tenant_zone: "UTC".into(),
        site_zones: vec![],
        from: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
        to: chrono::NaiveDate::from_ymd_opt(2026, 3, 31).expect("date"),
        conditions: vec![
            ("te.status = ?".into(), vec![Arg::from("approved")]),
            ("te.worker_id IN (SELECT value FROM json_each(?))".into(), vec![Arg::from("[\"wkr_1\",\"wkr_2\"]")]),
        ],
    };
    let (from_where, args) = counted.from_where("");
    let worked = format!("SELECT te.worker_id {from_where}");
    let p = plan(conn, &worked, &args);
    assert!(
        p.contains("SEARCH te USING INDEX time_entries_worker (tenant_id=? AND worker_id=? AND started_at>?"),
        "{p}"
    );
    let cases: [(&str, Vec<Arg>, &str); 2] = [
        (
            "SELECT id, employee_code, name, pay_rate FROM workers WHERE tenant_id = ?1 AND id > ?2 ORDER BY id LIMIT 50",
            vec!["ten_1".into(), "".into()],
            "workers_tenant (tenant_id=? AND id>?)",
        ),
        (
            "SELECT worker_id, data FROM export_rows WHERE export_id = ?1 AND worker_id > ?2 ORDER BY worker_id LIMIT 1000",
            vec!["exp_1".into(), "".into()],
            "sqlite_autoindex_export_rows_1 (export_id=? AND worker_id>?)",
        ),
    ];
    for (sql, args, index) in cases {
        let p = plan(conn, sql, &args);
        assert!(p.contains(index) && !p.contains("TEMP B-TREE"), "{sql}: {p}");
    }
}

/// Expenses (SPEC §6): every filter of the list is a range on one of the table's indexes of
/// migration 0008. Without days, the page is a range of the tenant's expenses in id order (no
/// sort); with `from`/`to`, the range of those days (of one worker or job when one is asked
/// for) is read from its index and only that range is put in id order.
#[test]
fn expense_filters_are_index_range_scans() {
    let db = Sqlite::open();
    let conn = db.conn();
    let q = |pairs: &[(&str, &str)]| Query::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect());
    let (wkr, job) = ("wkr_0193c2aa000070008000000000000001", "job_0193c2aa000070008000000000000001");
    let in_id_order = "expenses_tenant (tenant_id=?)";
    let cases: Vec<(Query, &str)> = vec![
        (q(&[("worker_id", wkr)]), in_id_order),
        (q(&[("category", "meals"), ("status", "approved"), ("billable", "true")]), in_id_order),
        (q(&[("is_invoiced", "false"), ("updated_since", "2026-03-01")]), in_id_order),
        (q(&[("is_invoiced", "true"), ("job_id", &format!("{job},{job}"))]), in_id_order),
        (
            q(&[("from", "2026-03-01"), ("to", "2026-03-31")]),
            "expenses_spent (tenant_id=? AND spent_date>? AND spent_date<?)",
        ),
        (
            q(&[("worker_id", wkr), ("from", "2026-03-01")]),
            "expenses_worker (tenant_id=? AND worker_id=? AND spent_date>?)",
        ),
        (q(&[("job_id", job), ("to", "2026-03-31")]), "expenses_job (tenant_id=? AND job_id=? AND spent_date<?)"),
    ];
    for (query, index) in cases {
        let lq = compile(&crate::storage::expenses::EXPENSES.list, Some("ten_1"), &query).expect("compiles");
        let p = plan(conn, &lq.sql, &lq.args);
        assert!(p.contains(&format!("SEARCH expenses USING INDEX {index}")), "{query:?}: {p}");
        assert!(!p.contains("SCAN expenses"), "{query:?}: {p}");
        let days = query.get("from").is_some() || query.get("to").is_some();
        assert!(days || !p.contains("TEMP B-TREE"), "{query:?} sorts: {p}");
    }
}
