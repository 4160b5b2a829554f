//! The embeddable live map (SPEC §6 "live map"): how `/embed/live-map` is served (a token in
//! the link, a policy that lets any site frame it and the page load nothing remote), and the
//! page in a real headless browser (`tests/browser/live_map.mjs`, Debian's Chromium driven by
//! puppeteer-core, the network cut to loopback) drawing a position posted while it is open.

use std::path::PathBuf;
use std::process::Command;

use serde_json::json;

use crate::client::{req, tenant};
use crate::harness::server;

const POLICY: &str = "default-src 'self'; img-src 'self' data: https: http:; style-src 'self'; \
                      connect-src 'self'; frame-ancestors *";

#[test]
fn the_page_needs_a_token_and_may_be_framed_anywhere() {
    for path in [
        "/embed/live-map",
        "/embed/live-map?token=",
        "/embed/live-map?token=ec_live_abc",
        "/embed/live-map?token=ect_a%20b",
        "/embed/live-map?token=ect_abc&tiles=ftp%3A%2F%2Ftiles.example.org%2F%7Bz%7D%2F%7Bx%7D%2F%7By%7D",
    ] {
        req("GET", path).send().expect_error(400, "bad_request");
    }

    // Well formed but not signed by this server: the link cannot work, and says so.
    req("GET", "/embed/live-map?token=ect_abc123").send().expect_error(401, "unauthorized");

    let t = crate::client::tenant();
    let minted = t.post("/v1/positions/embed-tokens", json!({"ttl_seconds": 60})).expect(201);
    let token = minted.data()["token"].as_str().unwrap().to_string();
    let tiles = "https%3A%2F%2F%7Bs%7D.tiles.example.org%2F%7Bz%7D%2F%7Bx%7D%2F%7By%7D.png";
    let r = req("GET", &format!("/embed/live-map?token={token}&tiles={tiles}")).send().expect(200);
    assert!(r.header("Content-Type").unwrap().starts_with("text/html"));
    assert_eq!(r.header("Content-Security-Policy"), Some(POLICY));
    assert_eq!(r.header("X-Frame-Options"), None, "the page is made to be framed");
    assert!(r.header("X-Request-Id").is_some());
    // Every file the page loads is one of its own, served here, and none carries a policy.
    let files: Vec<&str> = r.text.split('"').filter(|s| s.ends_with(".js") || s.ends_with(".css")).collect();
    assert_eq!(files, ["/embed/live-map.css", "/embed/live-map.js"], "{}", r.text);
    for (file, kind) in [("/embed/live-map.js", "javascript"), ("/embed/live-map.css", "text/css")] {
        let asset = req("GET", file).send().expect(200);
        assert!(asset.header("Content-Type").unwrap().contains(kind), "{file}: {:?}", asset.header("Content-Type"));
        assert_eq!(asset.header("Content-Security-Policy"), None);
    }
    req("GET", "/embed/live-map.html").send().expect_error(404, "not_found");
    req("GET", "/embed/nope.js").send().expect_error(404, "not_found");
    let r = req("POST", "/embed/live-map?token=ect_abc").send().expect(405);
    assert_eq!(r.header("Allow"), Some("GET, HEAD"));
}

/// Where the browser test leaves its screenshot, for a person to look at after a run.
fn screenshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-artifacts/live-map.png")
}

#[test]
fn the_page_draws_a_position_posted_while_it_is_open() {
    let base = &server().base;
    let t = tenant();
    let site = t
        .post(
            "/v1/sites",
            json!({"name": "Gran Vía Works", "latitude": 40.4203, "longitude": -3.7058, "geofence_radius_m": 150}),
        )
        .expect(201);
    let site_id = site.data()["id"].as_str().unwrap();
    let worker = t.worker(json!({"name": "Ana García", "site_id": site_id}));
    let worker_id = worker["id"].as_str().unwrap();
    let minted = t.post("/v1/positions/embed-tokens", json!({"ttl_seconds": 600})).expect(201);
    let token = minted.data()["token"].as_str().unwrap();
    assert!(token.starts_with("ect_"), "{token}");

    let out = screenshot_path();
    let _ = std::fs::remove_file(&out);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = format!("{}:{}", root.join("node_modules/.bin").display(), std::env::var("PATH").unwrap_or_default());
    // A few metres off the site, inside its fence.
    let position = json!({"worker_id": worker_id, "latitude": 40.4209, "longitude": -3.7049});
    let run = Command::new(root.join("node_modules/.bin/node"))
        .current_dir(&root)
        .env("PATH", path)
        .arg("tests/browser/live_map.mjs")
        .args(["--base", base])
        .args(["--page", &format!("{base}/embed/live-map?token={token}")])
        .args(["--key", &t.key])
        .args(["--position", &position.to_string()])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("node runs (npm ci installs it and puppeteer-core)");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the browser test failed:\n{stdout}\n{stderr}");
    assert!(stdout.starts_with(&format!("ok: marker for {worker_id} \"Ana García\"")), "{stdout}");
    assert!(stdout.contains("(1 site(s), 1 geofence(s), 1 worker marker(s))"), "{stdout}");

    // A real picture of the viewport: a PNG of 960×600 with more in it than a blank page.
    let png = std::fs::read(&out).expect("the screenshot was saved");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let size = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    assert_eq!((size(16), size(20)), (960, 600), "the IHDR's width and height");
    assert!(png.len() > 5_000, "a {}-byte screenshot is all but blank", png.len());
}
