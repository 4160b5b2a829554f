//! The API reference page in a real headless browser (Debian's Chromium, installed by
//! `scripts/tools.sh`), with every request that is not to the server sent to a dead proxy: the
//! page must render the whole document from same-origin files alone (SPEC §8: no CDN).

use std::process::Command;

use crate::harness::server;

#[test]
fn docs_render_with_the_network_cut() {
    let base = &server().base;
    let profile = std::env::temp_dir().join(format!("edgeclock-chromium-{}", std::process::id()));
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Anything but the server goes to a port where nothing listens.
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=127.0.0.1",
            // Swagger UI renders operations in a virtual list (only what is on screen): a tall
            // window puts the whole document on screen, so the DOM holds every operation.
            "--window-size=1280,40000",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("{base}/docs"))
        .output()
        .expect("chromium runs (scripts/tools.sh installs it)");
    let _ = std::fs::remove_dir_all(&profile);
    let dom = String::from_utf8_lossy(&out.stdout);
    // Swagger UI drew the document: its title and an operation block per route, e.g. these.
    assert!(dom.contains("edgeclock"), "the page did not render:\n{}", &dom[..dom.len().min(2000)]);
    for path in
        ["/v1/workers", "/v1/time-entries/{time_entry_id}/approve", "/v1/attendance/clock-in", "/v2/time_entries"]
    {
        assert!(dom.contains(&format!("data-path=\"{path}\"")), "{path} is not on the page");
    }
}
