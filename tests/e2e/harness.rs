//! Starts the real built worker under `wrangler dev` (local workerd with D1, KV, Durable
//! Objects and Queues) once per test run, on a free loopback port with a fresh state
//! directory, and stops it when the test process exits.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The operator token the server was started with: `.dev.vars`, as `make` sets it up.
pub fn operator_token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| dev_var("OPERATOR_TOKEN").expect("OPERATOR_TOKEN in .dev.vars"))
}

/// A value of `.dev.vars` (what the server reads its secrets from), if set.
pub fn dev_var(name: &str) -> Option<String> {
    let vars = std::fs::read_to_string(root().join(".dev.vars")).expect(".dev.vars (run `make test`)");
    let prefix = format!("{name}=");
    vars.lines().find_map(|l| l.strip_prefix(prefix.as_str()).map(|v| v.trim().to_string()))
}

/// The local D1 database file in `state`, to change rows behind a stopped server's back.
pub fn d1_file(state: &Path) -> PathBuf {
    store_file(state, "d1/miniflare-D1DatabaseObject")
}

/// The local R2 bucket's index of objects in `state` (table `_mf_objects`, by `key`).
pub fn r2_file(state: &Path) -> PathBuf {
    store_file(state, "r2/miniflare-R2BucketObject")
}

/// The one SQLite file a local store of `wrangler dev` keeps under `state/v3/<dir>`.
fn store_file(state: &Path, dir: &str) -> PathBuf {
    std::fs::read_dir(state.join("v3").join(dir))
        .unwrap_or_else(|e| panic!("local {dir}: {e}"))
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|x| x == "sqlite") && !p.ends_with("metadata.sqlite"))
        .unwrap_or_else(|| panic!("the local {dir} file"))
}

pub struct Server {
    pub base: String,
    /// The process group of wrangler and workerd (the watchdog's pid).
    group: u32,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static SHORT_TTL_SERVER: OnceLock<Server> = OnceLock::new();

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn path_env() -> String {
    let bin = root().join("node_modules/.bin");
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

/// A free loopback port below the kernel's ephemeral range (32768 and up): a port the OS hands
/// out for `bind(:0)` may meanwhile become the local end of one of the suite's many outgoing
/// connections, and then the server cannot bind it. Each call in this process tries the next
/// candidate, from an offset of this process's own.
fn free_port() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let offset = (std::process::id() % 1000) as u16 * 10;
    loop {
        let port = 20_000 + (offset + NEXT.fetch_add(1, Ordering::Relaxed)) % 12_000;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

fn wrangler(args: &[&str], state: &Path) -> Command {
    let mut c = Command::new("wrangler");
    c.current_dir(root())
        .env("PATH", path_env())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .args(args)
        .arg("--persist-to")
        .arg(state);
    c
}

/// What every server of the suite runs with besides `ALLOW_HTTP_WEBHOOKS`: a fast webhook
/// retry schedule (fifteen retries a second apart) and a sweeper every two seconds, so the
/// delivery tests see retries, failures and recoveries in seconds rather than hours.
pub const WEBHOOK_VARS: &[&str] = &["WEBHOOK_RETRY_SCHEDULE:1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "WEBHOOK_SWEEP_SECONDS:2"];

/// The live position delay of the shared server: short, so the live tests see a position
/// held back and then released within seconds.
pub const LIVE_DELAY_SECONDS: u64 = 3;

/// The shared server, started on first use.
pub fn server() -> &'static Server {
    SERVER.get_or_init(|| {
        let live = format!("LIVE_DELAY_SECONDS:{LIVE_DELAY_SECONDS}");
        let vars: Vec<&str> = WEBHOOK_VARS.iter().copied().chain([live.as_str()]).collect();
        start("main", &vars)
    })
}

/// A second server whose idempotency records expire after three seconds, for expiry tests.
pub fn short_ttl_server() -> &'static Server {
    SHORT_TTL_SERVER.get_or_init(|| start("short-ttl", &["IDEMPOTENCY_TTL_SECONDS:3"]))
}

/// A fresh state directory under `target/e2e` for server `name`, with every migration applied.
pub fn fresh_state(name: &str) -> PathBuf {
    assert!(
        root().join("build/index.js").exists(),
        "build/index.js is missing: run `make test` (or `make build` first)"
    );
    let dir = root().join("target/e2e").join(format!("run-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("state dir");
    let state = dir.join("state");
    apply_migrations(&state);
    state
}

/// Applies the migrations not yet applied to the local database in `state`, as `make dev` does.
pub fn apply_migrations(state: &Path) {
    let out = wrangler(&["d1", "migrations", "apply", "DB", "--local"], state).output().expect("run wrangler");
    assert!(out.status.success(), "migrations failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn start(name: &str, vars: &[&str]) -> Server {
    launch(&fresh_state(name), vars)
}

/// Serves the build on a free port over the state in `state` (its parent holds the log).
// The watchdog below is never waited for: it outlives this process by design and ends the
// server's process group itself.
#[allow(clippy::zombie_processes)]
pub fn launch(state: &Path, vars: &[&str]) -> Server {
    let log = state.parent().unwrap_or(state).join("wrangler.log");
    let port = free_port().to_string();
    let mut args = vec!["dev", "--ip", "127.0.0.1", "--port", &port, "--show-interactive-dev-session=false"];
    args.extend(["--var", "ALLOW_HTTP_WEBHOOKS:true"]);
    // `GET /__scheduled` runs the cron handler (the position retention sweep).
    args.push("--test-scheduled");
    for v in vars {
        args.extend(["--var", v]);
    }
    let dev = wrangler(&args, state);
    let cmdline: Vec<String> = std::iter::once(dev.get_program())
        .chain(dev.get_args())
        .map(|a| format!("'{}'", a.to_string_lossy().replace('\'', "'\\''")))
        .collect();
    // A watchdog in the server's own process group: when this test process exits (however
    // it exits), the whole group — wrangler and workerd — is terminated.
    let script = format!(
        "{} >'{}' 2>&1 & while kill -0 {} 2>/dev/null; do sleep 0.5; done; kill 0",
        cmdline.join(" "),
        log.display(),
        std::process::id()
    );
    let group = Command::new("setsid")
        .arg("bash")
        .arg("-c")
        .arg(script)
        .current_dir(root())
        .env("PATH", path_env())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn wrangler dev")
        .id();

    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if ureq::get(&format!("{base}/openapi.json")).timeout(Duration::from_secs(5)).call().is_ok() {
            break;
        }
        if Instant::now() > deadline {
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("wrangler dev did not start on {base}; log:\n{tail}");
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Server { base, group }
}

impl Server {
    /// Stops the server (its whole process group) and waits until its port is closed, so its
    /// state directory can be opened by another process.
    pub fn stop(&self) {
        let _ = Command::new("kill").arg("--").arg(format!("-{}", self.group)).status();
        let addr = self.base.trim_start_matches("http://").to_string();
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(&addr).is_ok() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        // workerd flushes its SQLite files on exit; give it a moment after the port closes.
        std::thread::sleep(Duration::from_millis(500));
    }
}
