//! The client SDKs (`sdk/typescript`, `sdk/python`) against the real worker: each SDK's own
//! test suite runs here, pointed at the shared `wrangler dev` server with a fresh tenant's owner
//! key and a key limited to one request a second (for the retried 429). The suites create,
//! paginate, fail validation, sync, and verify a real webhook delivery to a receiver of their own
//! on 127.0.0.1.

use std::path::Path;
use std::process::Command;

use serde_json::json;

use crate::client::tenant;
use crate::harness::server;

/// Runs `program args` from the repository root with the server and keys in its environment,
/// and fails with its output unless it succeeds and its summary says `no_skips` (each suite
/// skips its server tests when it has no server: here it has, so none may be skipped).
fn run_suite(program: &Path, args: &[&str], no_skips: &str) {
    let t = tenant();
    let low = t.mint(json!({"label": "sdk low limit", "scopes": "read-write", "limits": {"per_second": 1}}));
    let out = Command::new(program)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("EDGECLOCK_TEST_BASE_URL", &server().base)
        .env("EDGECLOCK_TEST_KEY", &t.key)
        .env("EDGECLOCK_TEST_LOW_KEY", &low)
        .env_remove("EDGECLOCK_API_KEY")
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{} {args:?} failed:\n{text}", program.display());
    assert!(text.contains(no_skips), "a suite skipped tests:\n{text}");
}

#[test]
fn typescript_sdk_suite() {
    let node = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/.bin/node");
    run_suite(&node, &["--test", "sdk/typescript/test/offline.test.mjs", "sdk/typescript/test/sdk.test.mjs"], "# skipped 0");
}
