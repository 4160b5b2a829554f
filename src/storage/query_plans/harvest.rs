//! The `/v2` reads (SPEC §9) as index probes and ranges: an integer id is one probe of its
//! table's unique index, and a numbered page is a range of the tenant's `(tenant_id,
//! harvest_id)` index whatever its filters.

use super::plan;
use crate::domain::listing::{Arg, Query};
use crate::storage::sqlite::Sqlite;

/// Integer ids (SPEC §9): a number is one probe of its table's unique index, text ids are
/// primary-key probes, a create's read-back finds its rows by id, and each table's trigger
/// updates its new row by rowid.
#[test]
fn integer_id_lookups_are_index_probes() {
    use crate::storage::harvest_ids::{self, Kind};
    let db = Sqlite::open();
    let conn = db.conn();
    let no_scan = |what: &str, p: &str| assert!(!p.contains("SCAN") && !p.contains("TEMP B-TREE"), "{what}: {p}");
    for kind in Kind::ALL {
        let t = kind.table();
        if let Some(sql) = harvest_ids::lookup_sql(*kind) {
            let p = plan(conn, &sql, &[Arg::Int(1), "ten_1".into()]);
            assert!(p.contains(&format!("SEARCH {t} USING INDEX {t}_harvest_id (harvest_id=?)")), "{t}: {p}");
        }
        if let Some(sql) = harvest_ids::lookup_many_sql(*kind) {
            let p = plan(conn, &sql, &["[1, 2]".into(), "ten_1".into()]);
            // A probe per number: of the unique index, or of the live rows' (tenant, number) index.
            let probe = p.contains(&format!("SEARCH t USING INDEX {t}_harvest_id (harvest_id=?)"))
                || p.contains(&format!("SEARCH t USING INDEX {t}_tenant_harvest (tenant_id=? AND harvest_id=?)"));
            assert!(probe && !p.contains("SCAN t"), "{t}: {p}");
        }
        let p = plan(conn, &harvest_ids::numbers_sql(*kind), &["[\"x_1\"]".into()]);
        assert!(p.contains(&format!("SEARCH {t} USING INDEX sqlite_autoindex_{t}_1 (id=?)")), "{t}: {p}");
        let assign = format!(
            "UPDATE {t} SET harvest_id = (SELECT last FROM harvest_sequences WHERE kind = '{t}') WHERE rowid = ?"
        );
        let p = plan(conn, &assign, &[Arg::Int(1)]);
        assert!(p.contains(&format!("SEARCH {t} USING INTEGER PRIMARY KEY (rowid=?)")), "{t}: {p}");
        no_scan(t, &p);
    }
    let p = plan(conn, harvest_ids::ACCOUNT, &[Arg::Int(1)]);
    assert!(p.contains("SEARCH tenants USING INDEX tenants_harvest_id (harvest_id=?)"), "{p}");
    let p = plan(conn, &crate::storage::positions::read_back_sql(), &["ten_1".into(), "[\"pos_1\"]".into()]);
    no_scan("positions read-back", &p.replace("SCAN json_each", ""));
    use crate::storage::{exports::EXPORTS, tenants::DIVISIONS, time_entries::TIME_ENTRIES, workers::WORKERS};
    for table in [&WORKERS, &TIME_ENTRIES, &DIVISIONS, &EXPORTS, &crate::storage::expenses::EXPENSES] {
        let p = plan(conn, &crate::storage::resource::read_back_sql(table), &["ten_1".into(), "x_1".into()]);
        assert!(p.contains("(id=?)") || p.contains("AND id=?)"), "{}: {p}", table.list.table);
        no_scan(table.list.table, &p);
    }
}

/// `/v2/expenses` and `/v2/invoices` (SPEC §9): with any of their filters, the page's first id
/// is found in the tenant's `(tenant_id, harvest_id)` index of live rows and the page is a range
/// below it, newest first, never sorted; `updated_since` and the ceiling of later pages stay in
/// that range.
#[test]
fn harvest_expense_and_invoice_pages_are_index_range_scans() {
    use crate::domain::harvest::paging::PageRequest;
    use crate::handlers::harvest::{expenses, invoices};
    use crate::storage::harvest::{page_filter, page_sql, Conditions, Resource, EXPENSES, INVOICES};
    let db = Sqlite::open();
    let conn = db.conn();
    let q = |pairs: &[(&str, &str)]| Query::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect());
    type Conds = fn(&Query) -> crate::error::ApiResult<Conditions>;
    let cases: [(&Resource, Conds, Vec<Query>, &str); 2] = [
        (
            &EXPENSES,
            expenses::conditions,
            vec![
                q(&[]),
                q(&[("user_id", "7"), ("is_billed", "false")]),
                q(&[("client_id", "3"), ("from", "20260301"), ("to", "2026-03-31")]),
                q(&[("project_id", "5"), ("is_billed", "true")]),
            ],
            "expenses_tenant_harvest",
        ),
        (
            &INVOICES,
            invoices::conditions,
            vec![
                q(&[]),
                q(&[("client_id", "3"), ("state", "open")]),
                q(&[("from", "20260301"), ("to", "2026-03-31"), ("state", "draft")]),
            ],
            "invoices_tenant_harvest",
        ),
    ];
    for (resource, conditions, queries, index) in cases {
        for query in queries {
            let cond = conditions(&query).expect("conditions"); // ok: native test
            let req = PageRequest { page: 3, per_page: 100, ceiling: Some(900) };
            let (filter, args) = page_filter("ten_1", &cond, &req);
            let mut all = args.clone();
            all.extend(args);
            let p = plan(conn, &page_sql(resource, &filter, &req), &all);
            assert!(
                p.contains(&format!("SEARCH t USING INDEX {index} (tenant_id=? AND harvest_id<?)")),
                "{query:?}: {p}"
            );
            assert!(!p.contains("SCAN t ") && !p.contains("TEMP B-TREE"), "{query:?}: {p}");
            if resource.table == "invoices" {
                // A line's project is one probe of the jobs by id.
                assert!(
                    p.contains("SEARCH j USING INDEX sqlite_autoindex_jobs_1 (id=?)") && !p.contains("SCAN j"),
                    "{p}"
                );
            }
        }
    }
}
