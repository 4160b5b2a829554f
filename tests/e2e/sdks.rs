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
/// and fails with its output unless it succeeds and `skipped_none` finds in its summary that no
/// test was skipped (each suite skips its server tests when it has no server: here it has).
fn run_suite(program: &Path, args: &[&str], envs: &[(&str, &str)], skipped_none: fn(&str) -> bool) {
    let t = tenant();
    let low = t.mint(json!({"label": "sdk low limit", "scopes": "read-write", "limits": {"per_second": 1}}));
    let out = Command::new(program)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("EDGECLOCK_TEST_BASE_URL", &server().base)
        .env("EDGECLOCK_TEST_KEY", &t.key)
        .env("EDGECLOCK_TEST_LOW_KEY", &low)
        .envs(envs.iter().copied())
        .env_remove("EDGECLOCK_API_KEY")
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{} {args:?} failed:\n{text}", program.display());
    assert!(skipped_none(&text), "a suite skipped tests:\n{text}");
}

#[test]
fn typescript_sdk_suite() {
    let node = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/.bin/node");
    let suite = ["--test", "sdk/typescript/test/offline.test.mjs", "sdk/typescript/test/sdk.test.mjs"];
    run_suite(&node, &suite, &[], |out| out.contains("# skipped 0"));
}

#[test]
fn python_sdk_suite() {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    let suite = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "sdk/python/tests"];
    run_suite(&python, &suite, &[("PYTHONPATH", "sdk/python")], |out| !out.contains("skipped"));
}

/// The quick start of `readme`: its first fenced block in `lang`.
fn quick_start(readme: &str, lang: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(readme)).expect("read the README");
    let start = text.find(&format!("```{lang}\n")).expect("a quick start block") + lang.len() + 4;
    let len = text[start..].find("```").expect("the block ends");
    text[start..start + len].to_string()
}

/// Runs `program args` in `dir` and answers its stdout, failing with its output otherwise.
fn run(program: &Path, args: &[&str], dir: &Path, envs: &[(&str, &str)]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(envs.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{} {args:?}: {stdout}{}", program.display(), String::from_utf8_lossy(&out.stderr));
    stdout
}

/// A fresh scratch directory under `target/e2e`.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("make the scratch directory");
    dir
}

/// `npm pack` makes an installable package: installed into an empty project, its README's quick
/// start runs against the server.
#[test]
fn typescript_package_installs_and_its_quick_start_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch("sdk-npm");
    let npm = Path::new("npm");
    let packed = run(npm, &["pack", &root.join("sdk/typescript").to_string_lossy(), "--silent"], &dir, &[]);
    let tarball = dir.join(packed.trim());
    std::fs::write(dir.join("package.json"), r#"{"name": "quick-start", "private": true, "type": "module"}"#).unwrap();
    run(npm, &["install", "--no-audit", "--no-fund", "--silent", &tarball.to_string_lossy()], &dir, &[]);
    std::fs::write(dir.join("quick-start.mjs"), quick_start("sdk/typescript/README.md", "js")).unwrap();
    let t = tenant();
    let node = root.join("node_modules/.bin/node");
    let out = run(
        &node,
        &["quick-start.mjs"],
        &dir,
        &[("EDGECLOCK_API_KEY", &t.key), ("EDGECLOCK_BASE_URL", &server().base)],
    );
    assert!(out.contains("Ada Lovelace"), "{out}");
}

/// `pip wheel` makes an installable package: installed into a new virtualenv, its README's quick
/// start runs against the server.
#[test]
fn python_wheel_installs_and_its_quick_start_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch("sdk-wheel");
    let python = root.join(".venv/bin/python");
    let sdk = root.join("sdk/python");
    run(&python, &["-m", "pip", "wheel", "--quiet", "--no-deps", "-w", "dist", &sdk.to_string_lossy()], &dir, &[]);
    run(Path::new("python3"), &["-m", "venv", "venv"], &dir, &[]);
    let wheel = std::fs::read_dir(dir.join("dist"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"));
    let wheel = wheel.expect("a wheel").to_string_lossy().to_string();
    run(
        &dir.join("venv/bin/python"),
        &["-m", "pip", "install", "--quiet", "--disable-pip-version-check", &wheel],
        &dir,
        &[],
    );
    std::fs::write(dir.join("quick_start.py"), quick_start("sdk/python/README.md", "python")).unwrap();
    let t = tenant();
    let envs = [("EDGECLOCK_API_KEY", t.key.as_str()), ("EDGECLOCK_BASE_URL", server().base.as_str())];
    let out = run(&dir.join("venv/bin/python"), &["quick_start.py"], &dir, &envs);
    assert!(out.contains("Ada Lovelace"), "{out}");
}
