// The live map page (SPEC §6 "live map"): draws a tenant's sites, their geofences and each
// worker's latest released position in one SVG, from the live position stream
// (`/v1/positions/live`, Server-Sent Events) opened with the page's embed token, and lists the
// workers beside it with when each was last seen, the connection's state and the token error.
// No framework, nothing remote, no inline code: it runs under `default-src 'self'`. The only
// requests to another host are the tiles of an optional `tiles=` URL template.
"use strict";

(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";
  // Web Mercator, as tile servers cut it: the world is a TILE-unit square at zoom 0 and
  // 2^z tiles across at zoom z, so a tile layer lines up with what is drawn here.
  const TILE = 256;
  const EARTH_CIRCUMFERENCE_M = 40075016.686;
  const MAX_LATITUDE = 85.0511287798; // where the Mercator square ends
  const PADDING_PX = 40;
  const MAX_ZOOM = 18; // a lone point is shown at this zoom, never closer
  const MAX_TILE_ZOOM = 19;
  const EXPIRED = "This map link has expired or is invalid";

  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  const tiles = tileTemplate(params.get("tiles"));

  const byId = (id) => document.getElementById(id);
  const map = byId("map");
  const layers = { tiles: byId("tiles"), fences: byId("fences"), sites: byId("sites"), workers: byId("workers") };
  const list = byId("worker-list");

  // What the stream has told: sites with a location, worker names, each worker's latest fix.
  const sites = new Map(); // site id → site
  const names = new Map(); // worker id → name
  const latest = new Map(); // worker id → { position, recordedMs }
  const markers = new Map(); // worker id → its <g class="worker-marker">
  const items = new Map(); // worker id → its <li> in the list
  // The world point at the map's centre, screen pixels per world unit, the map's size, and
  // whether anything was there to frame (else it shows the whole world).
  let view = null;

  // ---- Projection --------------------------------------------------------------------------

  /** A latitude/longitude in world units (0..TILE on both axes, y growing southwards). */
  function project(latitude, longitude) {
    const phi = (Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, latitude)) * Math.PI) / 180;
    return {
      x: ((longitude + 180) / 360) * TILE,
      y: ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * TILE,
    };
  }

  /** A distance on the ground at `latitude` in world units: Mercator stretches by 1/cos φ. */
  function metresToWorld(metres, latitude) {
    const phi = (Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, latitude)) * Math.PI) / 180;
    return (metres * TILE) / (EARTH_CIRCUMFERENCE_M * Math.cos(phi));
  }

  function toScreen(point) {
    return {
      x: (point.x - view.x) * view.scale + view.w / 2,
      y: (point.y - view.y) * view.scale + view.h / 2,
    };
  }

  /** Whether a world point is on screen, clear of the edges by half the padding. */
  function inView(point) {
    const s = toScreen(point);
    const margin = PADDING_PX / 2;
    return s.x >= margin && s.y >= margin && s.x <= view.w - margin && s.y <= view.h - margin;
  }

  /** Frames every site's fence and every worker's position; the whole world when there is none. */
  function fit() {
    const rect = map.getBoundingClientRect();
    const w = Math.max(1, rect.width);
    const h = Math.max(1, rect.height);
    const boxes = [];
    for (const site of sites.values()) {
      const radius = isNumber(site.geofence_radius_m) ? metresToWorld(site.geofence_radius_m, site.latitude) : 0;
      boxes.push({ ...project(site.latitude, site.longitude), r: radius });
    }
    for (const { position } of latest.values()) boxes.push({ ...project(position.latitude, position.longitude), r: 0 });
    if (boxes.length === 0) {
      view = { x: TILE / 2, y: TILE / 2, scale: Math.min(w, h) / TILE, w, h, framed: false };
      return;
    }
    const minX = Math.min(...boxes.map((b) => b.x - b.r));
    const maxX = Math.max(...boxes.map((b) => b.x + b.r));
    const minY = Math.min(...boxes.map((b) => b.y - b.r));
    const maxY = Math.max(...boxes.map((b) => b.y + b.r));
    // A lone point (a zero-sized box) divides to Infinity and is held at MAX_ZOOM.
    const scale = Math.min(
      Math.max(1, w - 2 * PADDING_PX) / (maxX - minX),
      Math.max(1, h - 2 * PADDING_PX) / (maxY - minY),
      2 ** MAX_ZOOM,
    );
    view = { x: (minX + maxX) / 2, y: (minY + maxY) / 2, scale, w, h, framed: true };
  }

  // ---- Drawing -----------------------------------------------------------------------------

  function svg(tag, attributes, parent) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (parent) parent.appendChild(node);
    return node;
  }

  /** A stable colour per worker, so its marker and its list entry match. */
  function colour(workerId) {
    let hash = 2166136261; // FNV-1a: ids differing in one letter still land far apart
    for (const c of workerId) hash = Math.imul(hash ^ c.charCodeAt(0), 16777619) >>> 0;
    return `hsl(${hash % 360} 65% 42%)`;
  }

  /** Tiles under everything, at the tile zoom nearest the view's scale. */
  function drawTiles() {
    layers.tiles.replaceChildren();
    if (!tiles) return;
    const zoom = Math.max(0, Math.min(MAX_TILE_ZOOM, Math.round(Math.log2(view.scale))));
    const count = 2 ** zoom;
    const side = (TILE / count) * view.scale; // one tile on screen, in pixels
    const left = view.x - view.w / 2 / view.scale;
    const top = view.y - view.h / 2 / view.scale;
    const firstX = Math.floor((left * count) / TILE);
    const lastX = Math.floor(((left + view.w / view.scale) * count) / TILE);
    const firstY = Math.max(0, Math.floor((top * count) / TILE));
    const lastY = Math.min(count - 1, Math.floor(((top + view.h / view.scale) * count) / TILE));
    for (let ty = firstY; ty <= lastY; ty++) {
      for (let tx = firstX; tx <= lastX; tx++) {
        const wrapped = ((tx % count) + count) % count; // east of 180° is the world again
        const corner = toScreen({ x: (tx * TILE) / count, y: (ty * TILE) / count });
        const href = tiles.replaceAll("{z}", zoom).replaceAll("{x}", wrapped).replaceAll("{y}", ty);
        // Half a pixel of overlap hides the seams between neighbours.
        const image = svg("image", { href, x: corner.x, y: corner.y, width: side + 0.5, height: side + 0.5 }, layers.tiles);
        // A tile that fails (offline, no such tile) leaves the plain background, not a broken-image icon.
        image.addEventListener("error", () => image.remove());
      }
    }
  }

  /** Each site as a marker with its name, over a circle of its geofence's radius. */
  function drawSites() {
    layers.fences.replaceChildren();
    layers.sites.replaceChildren();
    for (const site of sites.values()) {
      const at = toScreen(project(site.latitude, site.longitude));
      if (isNumber(site.geofence_radius_m)) {
        const r = metresToWorld(site.geofence_radius_m, site.latitude) * view.scale;
        svg("circle", { class: "geofence", "data-site-id": site.id, cx: at.x, cy: at.y, r }, layers.fences);
      }
      const marker = svg("g", { class: "site-marker", "data-site-id": site.id, transform: `translate(${at.x} ${at.y})` }, layers.sites);
      svg("rect", { x: -6, y: -6, width: 12, height: 12, transform: "rotate(45)" }, marker);
      svg("text", { y: 22, "text-anchor": "middle" }, marker).textContent = site.name;
    }
  }

  /** Puts worker `id`'s marker at its latest position, making the marker on first sight. */
  function placeWorker(id) {
    const { position } = latest.get(id);
    let marker = markers.get(id);
    if (!marker) {
      marker = svg("g", { class: "worker-marker", "data-worker-id": id }, layers.workers);
      svg("circle", { class: "accuracy", fill: colour(id), r: 0 }, marker);
      svg("circle", { class: "dot", fill: colour(id), r: 7 }, marker);
      svg("text", { x: 11, y: 4 }, marker);
      markers.set(id, marker);
    }
    const at = toScreen(project(position.latitude, position.longitude));
    marker.setAttribute("transform", `translate(${at.x} ${at.y})`);
    const accuracy = isNumber(position.accuracy_m) ? metresToWorld(position.accuracy_m, position.latitude) * view.scale : 0;
    marker.querySelector(".accuracy").setAttribute("r", String(accuracy));
    marker.querySelector("text").textContent = names.get(id) || id;
  }

  /** Redraws everything for the current view (after a refit or a resize). */
  function render() {
    drawTiles();
    drawSites();
    for (const id of latest.keys()) placeWorker(id);
  }

  // ---- The worker list ---------------------------------------------------------------------

  function ago(ms) {
    const seconds = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (seconds < 5) return "just now";
    if (seconds < 60) return `${seconds} s ago`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.floor(minutes / 60);
    return hours < 24 ? `${hours} h ago` : `${Math.floor(hours / 24)} d ago`;
  }

  /** Worker `id`'s entry: a colour swatch, the name, and when it was last seen. */
  function listItem(id) {
    let item = items.get(id);
    if (!item) {
      item = document.createElement("li");
      item.dataset.workerId = id;
      const swatch = item.appendChild(document.createElement("span"));
      swatch.className = "swatch";
      swatch.style.backgroundColor = colour(id); // CSSOM, which the style policy allows
      item.appendChild(document.createElement("span")).className = "name";
      item.appendChild(document.createElement("time")).className = "last-seen";
      items.set(id, item);
    }
    item.querySelector(".name").textContent = names.get(id) || id;
    const seen = latest.get(id);
    const time = item.querySelector(".last-seen");
    if (seen) {
      time.dateTime = seen.position.recorded_at;
      time.title = new Date(seen.recordedMs).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "long" });
    }
    return item;
  }

  /** The list in order: most recently seen first, then the unseen by name. */
  function sortList() {
    const order = [...items.keys()].sort((a, b) => {
      const seenA = latest.has(a) ? latest.get(a).recordedMs : -Infinity;
      const seenB = latest.has(b) ? latest.get(b).recordedMs : -Infinity;
      return seenB - seenA || (names.get(a) || a).localeCompare(names.get(b) || b);
    });
    for (const id of order) list.appendChild(items.get(id));
    byId("empty").hidden = items.size > 0;
    tick();
  }

  /** Refreshes the relative times (every second). */
  function tick() {
    for (const [id, item] of items) {
      const seen = latest.get(id);
      item.querySelector(".last-seen").textContent = seen ? ago(seen.recordedMs) : "not seen yet";
    }
  }

  // ---- The stream --------------------------------------------------------------------------

  function isNumber(value) {
    return typeof value === "number" && Number.isFinite(value);
  }

  function parse(data) {
    try {
      return JSON.parse(data);
    } catch {
      return null;
    }
  }

  /** Sites and workers, sent once per connection (again after a reconnect). */
  function onContext(context) {
    if (!context) return;
    sites.clear();
    for (const site of context.sites || []) {
      // A site without a location has nothing to draw.
      if (isNumber(site.latitude) && isNumber(site.longitude)) sites.set(site.id, site);
    }
    for (const worker of context.workers || []) {
      names.set(worker.id, worker.name);
      listItem(worker.id);
    }
    sortList();
    fit();
    render();
    document.documentElement.dataset.context = "drawn";
  }

  /** A released position: moves its worker's marker unless an older fix than the one shown. */
  function onPosition(position) {
    if (!position || typeof position.worker_id !== "string") return;
    if (!isNumber(position.latitude) || !isNumber(position.longitude)) return;
    const recordedMs = Date.parse(position.recorded_at);
    if (!Number.isFinite(recordedMs)) return;
    const id = position.worker_id;
    const shown = latest.get(id);
    if (shown && recordedMs < shown.recordedMs) return;
    latest.set(id, { position, recordedMs });
    listItem(id);
    sortList();
    // The first thing to show, or one off the edge, reframes the map; others just move.
    if (view.framed && inView(project(position.latitude, position.longitude))) {
      placeWorker(id);
    } else {
      fit();
      render();
    }
  }

  function setStatus(state, text) {
    const status = byId("status");
    status.dataset.state = state;
    status.textContent = text;
  }

  function showError(text) {
    const error = byId("error");
    error.textContent = text;
    error.hidden = !text;
  }

  function connect() {
    if (!token) {
      setStatus("closed", "Not connected");
      showError(EXPIRED);
      return;
    }
    // EventSource reconnects by itself, sending Last-Event-ID (the last position's id).
    const source = new EventSource(`/v1/positions/live?token=${encodeURIComponent(token)}&include=context,latest`);
    let opened = false;
    source.addEventListener("open", () => {
      opened = true;
      showError("");
      setStatus("live", "Live");
    });
    source.addEventListener("error", () => {
      // A refused token (401) closes the source for good; so would any non-stream answer.
      // An error before any open is shown the same way, and cleared if a retry opens.
      if (source.readyState === EventSource.CLOSED) {
        setStatus("closed", "Disconnected");
        showError(EXPIRED);
      } else {
        setStatus("reconnecting", "Reconnecting…");
        if (!opened) showError(EXPIRED);
      }
    });
    source.addEventListener("context", (event) => onContext(parse(event.data)));
    source.addEventListener("position", (event) => onPosition(parse(event.data)));
  }

  /** The `tiles=` template, `{s}` (a subdomain choice) dropped; null unless http(s) with z, x, y. */
  function tileTemplate(raw) {
    if (!raw) return null;
    const template = raw.replaceAll("{s}.", "").replaceAll("{s}", "").replaceAll("{r}", "");
    const complete = ["{z}", "{x}", "{y}"].every((part) => template.includes(part));
    return /^https?:\/\//.test(template) && complete ? template : null;
  }

  if (tiles) {
    const attribution = byId("attribution");
    attribution.textContent = `Map tiles: ${new URL(tiles.replace(/\{[zxy]\}/g, "0")).host}`;
    attribution.hidden = false;
  }
  fit();
  render();
  new ResizeObserver(() => {
    fit();
    render();
  }).observe(map);
  setInterval(tick, 1000);
  connect();
})();
