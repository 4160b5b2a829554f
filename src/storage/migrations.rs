// Compiled only for tests: `#[cfg(test)] mod migrations;` in storage/mod.rs.
//! Schema history (README "Upgrading"): `migrations/NNNN_name.sql` applied in order must give
//! exactly the schema `schema.sql` describes — the same tables, columns (name, type, NOT NULL,
//! default, primary key) and indexes (columns, uniqueness, partial conditions) — so the readable
//! whole schema can never drift from what databases really get.

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
