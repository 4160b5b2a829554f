// Compiled only for tests: `#[cfg(test)] mod migrations;` in storage/mod.rs.
//! Schema history (README "Upgrading"): `migrations/NNNN_name.sql` applied in order must give
//! exactly the schema `schema.sql` describes — the same tables, columns (name, type, NOT NULL,
//! default, primary key), indexes (columns, uniqueness, partial conditions) and triggers (their
//! whole text) — so the readable whole schema can never drift from what databases really get.

use std::path::PathBuf;

use rusqlite::Connection;

fn migrations() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("migrations/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("readable"))
        })
        .collect();
    files.sort();
    files
}

/// Tables and indexes as comparable text: one line per column and per index.
fn shape(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    let mut objects = conn
        .prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'd1_%' AND name != '_cf_KV' ORDER BY type, name",
        )
        .expect("sqlite_master");
    let rows: Vec<(String, String, String, String)> = objects
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    for (kind, name, table, sql) in rows {
        match kind.as_str() {
            "table" => {
                let mut info = conn.prepare(&format!("PRAGMA table_info({name})")).expect("table_info");
                let cols = info
                    .query_map([], |r| {
                        Ok(format!(
                            "column {name}.{} {} notnull={} default={:?} pk={}",
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, i64>(3)?,
                            r.get::<_, Option<String>>(4)?,
                            r.get::<_, i64>(5)?
                        ))
                    })
                    .expect("columns");
                out.extend(cols.map(|c| c.expect("column")));
            }
            "index" => {
                let mut info = conn.prepare(&format!("PRAGMA index_info({name})")).expect("index_info");
                let cols: Vec<String> = info
                    .query_map([], |r| r.get::<_, String>(2))
                    .expect("index columns")
                    .map(|c| c.expect("c"))
                    .collect();
                // The partial condition, if any, in a whitespace-insensitive form.
                let condition =
                    sql.split_once(" WHERE ").map(|(_, w)| w.split_whitespace().collect::<Vec<_>>().join(" "));
                let unique = sql.to_ascii_uppercase().starts_with("CREATE UNIQUE");
                out.push(format!("index {name} on {table} ({}) unique={unique} where={condition:?}", cols.join(", ")));
            }
            // A trigger's body is what it does: compared whole, whitespace aside.
            "trigger" => {
                out.push(format!("trigger {name} on {table}: {}", sql.split_whitespace().collect::<Vec<_>>().join(" ")))
            }
            other => out.push(format!("{other} {name} on {table}")),
        }
    }
    out.sort();
    out
}

#[test]
fn migrations_are_numbered_in_order_from_0001() {
    for (i, (name, _)) in migrations().iter().enumerate() {
        let (number, rest) = name.split_once('_').unwrap_or_default();
        assert_eq!(number, format!("{:04}", i + 1), "{name}: migrations are NNNN_name.sql, numbered without gaps");
        assert!(rest.len() > 4, "{name} needs a name after its number");
    }
}

#[test]
fn applying_every_migration_gives_schema_sql() {
    let migrated = Connection::open_in_memory().expect("sqlite");
    for (name, sql) in migrations() {
        migrated.execute_batch(&sql).unwrap_or_else(|e| panic!("{name} does not apply: {e}"));
    }
    let described = Connection::open_in_memory().expect("sqlite");
    described.execute_batch(include_str!("../../schema.sql")).expect("schema.sql applies");
    let (got, want) = (shape(&migrated), shape(&described));
    let missing: Vec<_> = want.iter().filter(|l| !got.contains(l)).collect();
    let extra: Vec<_> = got.iter().filter(|l| !want.contains(l)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "schema.sql and migrations/ disagree.\nin schema.sql only: {missing:#?}\nfrom migrations only: {extra:#?}"
    );
    assert!(want.len() > 50, "the comparison saw the schema ({} lines)", want.len());
}

/// The migrations up to and including number `last`.
fn applied_up_to(last: usize) -> Connection {
    let conn = Connection::open_in_memory().expect("sqlite");
    for (name, sql) in migrations().into_iter().take(last) {
        conn.execute_batch(&sql).unwrap_or_else(|e| panic!("{name} does not apply: {e}"));
    }
    conn
}

#[test]
fn backfill_0002_marks_entries_of_non_billable_tasks_and_is_idempotent() {
    let db = applied_up_to(1);
    db.execute_batch(
        "INSERT INTO tasks (id, tenant_id, name, billable_by_default, created_at, updated_at) VALUES
           ('tsk_bill', 'ten_a', 'Install', 1, 'x', 'x'), ('tsk_free', 'ten_a', 'Training', 0, 'x', 'x'),
           ('tsk_other', 'ten_b', 'Training', 0, 'x', 'x');
         INSERT INTO time_entries (id, tenant_id, worker_id, task_id, started_at, created_at, updated_at) VALUES
           ('te_1', 'ten_a', 'wkr_1', 'tsk_bill', 's', 'x', 'x'), ('te_2', 'ten_a', 'wkr_1', 'tsk_free', 's', 'x', 'x'),
           ('te_3', 'ten_a', 'wkr_1', NULL, 's', 'x', 'x'),
           -- a task id of another tenant never reaches across tenants
           ('te_4', 'ten_a', 'wkr_1', 'tsk_other', 's', 'x', 'x');",
    )
    .expect("first-release rows");
    let (_, sql) = migrations().into_iter().nth(1).expect("0002");
    db.execute_batch(&sql).expect("0002 applies");
    let billable = |db: &Connection| -> Vec<(String, i64)> {
        let mut s = db.prepare("SELECT id, billable FROM time_entries ORDER BY id").expect("select");
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("rows").map(|r| r.expect("row")).collect()
    };
    let want: Vec<(String, i64)> =
        [("te_1", 1), ("te_2", 0), ("te_3", 1), ("te_4", 1)].iter().map(|(i, b)| (i.to_string(), *b)).collect();
    assert_eq!(billable(&db), want);
    // Idempotent: the backfill statement again changes nothing.
    let update = sql.split_once("UPDATE").map(|(_, u)| format!("UPDATE{u}")).expect("an UPDATE");
    db.execute_batch(&update).expect("again");
    assert_eq!(billable(&db), want);
    // And it reaches the rows through the task index, not a scan of every entry.
    let plan: String = db
        .prepare(&format!("EXPLAIN QUERY PLAN {update}"))
        .expect("explain")
        .query_map([], |r| r.get::<_, String>(3))
        .expect("plan")
        .map(|r| r.expect("row"))
        .collect::<Vec<_>>()
        .join(" | ");
    assert!(plan.contains("time_entries USING INDEX time_entries_task"), "{plan}");
}

#[test]
fn backfill_0006_numbers_rows_in_id_order_and_new_rows_follow() {
    let db = applied_up_to(5);
    db.execute_batch(
        "INSERT INTO workers (id, tenant_id, name, employee_code, created_at, updated_at) VALUES
           ('wkr_2', 'ten_a', 'B', 'E2', 'x', 'x'), ('wkr_1', 'ten_a', 'A', 'E1', 'x', 'x'),
           ('wkr_3', 'ten_b', 'C', 'E3', 'x', 'x');",
    )
    .expect("rows before 0006");
    let (name, sql) = migrations().into_iter().nth(5).expect("0006");
    assert!(name.starts_with("0006_"), "{name}");
    db.execute_batch(&sql).expect("0006 applies");
    let numbers = |db: &Connection| -> Vec<(String, i64)> {
        let mut s = db.prepare("SELECT id, harvest_id FROM workers ORDER BY harvest_id").expect("select");
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("rows").map(|r| r.expect("row")).collect()
    };
    let owned = |pairs: &[(&str, i64)]| pairs.iter().map(|(i, n)| (i.to_string(), *n)).collect::<Vec<_>>();
    // Existing rows in id order (creation order), across tenants: one sequence per table.
    assert_eq!(numbers(&db), owned(&[("wkr_1", 1), ("wkr_2", 2), ("wkr_3", 3)]));
    let last = |kind: &str| -> i64 {
        db.query_row("SELECT last FROM harvest_sequences WHERE kind = ?", [kind], |r| r.get(0)).expect("sequence")
    };
    assert_eq!((last("workers"), last("sites")), (3, 0));
    // New rows are numbered after them, whatever their ids, and a purged number stays used.
    let insert = |id: &str| {
        db.execute(
            "INSERT INTO workers (id, tenant_id, name, employee_code, created_at, updated_at) \
             VALUES (?1, 'ten_a', 'N', ?1, 'x', 'x')",
            [id],
        )
        .expect("insert")
    };
    insert("wkr_0");
    db.execute("DELETE FROM workers WHERE id = 'wkr_0'", []).expect("purge");
    insert("wkr_9");
    assert_eq!(numbers(&db), owned(&[("wkr_1", 1), ("wkr_2", 2), ("wkr_3", 3), ("wkr_9", 5)]));
}
