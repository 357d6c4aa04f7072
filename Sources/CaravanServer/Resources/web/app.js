// Caravan web page: plain JavaScript on Leaflet (vendored), no external assets (works offline).
"use strict";

// Corridor colours: from the Okabe-Ito and Paul Tol colour-blind-safe sets, at least ΔE 20 (CIELAB)
// from each other and from every other legend colour (checked by a test over style.css and this list).
const COLORS = ["#332288", "#EE6677", "#999933", "#E69F00", "#FFAABB", "#994455", "#EE8866", "#BBBBBB"];
const BEST_COLOR = "#222222";
const $ = (id) => document.getElementById(id);
const fmt = (v, d = 1) => (v == null ? "" : v.toFixed(d));
const money = (v) => Math.round(v).toLocaleString("en");

// Everything the URL restores; `writeURL` mirrors it after every change.
const state = { from: "", to: "", date: "", service: "block", cargo: "teu", scenarios: [], deadline: null, delta: false, energy: false, scale: 1, assign: false, chosen: null };
let map, renderer, citations = {}, placesById = {}, linkProps = {}, linkLayers = {}, placeMarkers = [], events = [];
const layers = {};
// Drawing order, bottom to top: one SVG holds every layer, so redrawn layers are raised back in this order.
const LAYER_ORDER = ["basemap", "network", "changed", "base", "flows", "energy", "routes", "bottlenecks", "places"];
function raise() { for (const name of LAYER_ORDER.slice(1)) layers[name].bringToFront(); }
let lastCompare = null, firstRenderDone = false;

function status(text, details) { const s = $("status"); s.textContent = text; s.title = details || ""; }
async function get(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error((body.error && (body.error.field + ": " + body.error.reason)) || r.statusText);
  return body;
}
function query(extra, withScenarios = true) {
  const p = new URLSearchParams();
  if (state.date) p.set("date", state.date);
  if (withScenarios && state.scenarios.length) p.set("scenario", state.scenarios.join(","));
  for (const k in extra) if (extra[k] != null && extra[k] !== "") p.set(k, extra[k]);
  return p;
}
function clearChildren(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
function cell(tr, text, cls) { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); return td; }

// MARK: URL state

function readURL() {
  const q = new URLSearchParams(location.search);
  state.from = q.get("from") || "";
  state.to = q.get("to") || "";
  state.date = q.get("date") || new Date().toISOString().slice(0, 10);
  state.service = ["consignment", "express"].includes(q.get("service")) ? q.get("service") : "block";
  state.cargo = ["truck", "trailer"].includes(q.get("cargo")) ? q.get("cargo") : "teu";
  state.scenarios = (q.get("scenario") || "").split(/[,+]/).filter((s) => s);
  state.deadline = q.get("deadline") ? parseFloat(q.get("deadline")) : null;
  state.delta = q.get("delta") === "1";
  state.energy = q.get("energy") === "1";
  state.scale = parseFloat(q.get("scale") || "1") || 1;
  state.assign = q.get("assign") === "1";
  state.chosen = q.get("corridor");
  const m = (q.get("map") || "").split("/").map(parseFloat);
  return m.length === 3 && m.every((v) => isFinite(v)) ? { zoom: m[0], center: [m[1], m[2]] } : null;
}
function writeURL() {
  const p = new URLSearchParams();
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  if (state.date) p.set("date", state.date);
  if (state.service !== "block") p.set("service", state.service);
  if (state.cargo !== "teu") p.set("cargo", state.cargo);
  if (state.scenarios.length) p.set("scenario", state.scenarios.join(","));
  if (state.deadline) p.set("deadline", String(state.deadline));
  if (state.delta) p.set("delta", "1");
  if (state.energy) p.set("energy", "1");
  if (state.scale !== 1) p.set("scale", String(state.scale));
  if (state.assign) p.set("assign", "1");
  if (state.chosen) p.set("corridor", state.chosen);
  if (map) { const c = map.getCenter(); p.set("map", `${map.getZoom()}/${c.lat.toFixed(2)}/${c.lng.toFixed(2)}`); }
  history.replaceState(null, "", "?" + p.toString().replace(/%2C/g, ",").replace(/%2F/g, "/"));
}
function syncInputs() {
  $("from").value = state.from; $("to").value = state.to; $("date").value = state.date; $("service").value = state.service; $("cargo").value = state.cargo;
  $("deadline").value = state.deadline || ""; $("delta-toggle").checked = state.delta;
  $("energy-toggle").checked = state.energy; $("scale").value = state.scale;
  for (const box of document.querySelectorAll("#scenario-list input")) box.checked = state.scenarios.includes(box.value);
  setSlider(state.date);
}

// MARK: Map

function initMap(view) {
  renderer = L.svg({ padding: 0.5 });
  map = L.map("map", { renderer, zoomSnap: 0.5, minZoom: 2, maxZoom: 10, worldCopyJump: false, preferCanvas: false });
  if (view) map.setView(view.center, view.zoom); else map.fitBounds([[20, -10], [60, 125]]);
  L.control.scale({ metric: true, imperial: false, maxWidth: 160 }).addTo(map);
  for (const name of LAYER_ORDER) layers[name] = L.featureGroup().addTo(map);
  const legend = L.control({ position: "bottomright" });
  legend.onAdd = () => {
    const box = L.DomUtil.create("details", "legend");
    box.open = true;
    L.DomUtil.create("summary", "", box).textContent = "Legend";
    L.DomUtil.create("div", "", box).id = "legend";
    L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  legend.addTo(map);
  map.on("zoomend", updateLabels);
  // One popup per layer group, filled from the clicked feature's properties.
  layers.network.on("click", (e) => L.popup().setLatLng(e.latlng).setContent(linkPopup(e.layer.caravan)).openOn(map));
  layers.places.on("click", (e) => L.popup().setLatLng(e.latlng).setContent(placePopup(e.layer.caravan)).openOn(map));
  map.on("moveend", writeURL);
}

async function drawBasemap() {
  const geo = await get("/static/countries.geojson");
  // Rings across the antimeridian (far eastern Russia) are left out: outside the corridors.
  const feats = geo.features.filter((f) => !JSON.stringify(f.geometry.coordinates).includes("[-17"));
  L.geoJSON({ type: "FeatureCollection", features: feats }, { renderer, interactive: false, style: () => ({ className: "country", fillOpacity: 1 }) }).addTo(layers.basemap);
  layers.basemap.bringToBack();
  document.body.dataset.completeMs = String(Math.round(performance.now()));
}

function linkPopup(p) {
  const rows = [["mode", p.mode + (p.gauge ? " (" + p.gauge + " gauge)" : "")], ["class", p.class], ["length", p.length_km ? p.length_km + " km" + (p.length_estimated ? " (estimated: no published length found)" : "") : "estimated from coordinates (great circle × circuity)"],
    ["time", p.time_h ? p.time_h + " h" : "from the class speed"], ["headway", p.headway_h ? p.headway_h + " h" : ""],
    ["capacity", p.capacity ? p.capacity.toLocaleString("en") + " " + p.capacity_unit : "unconstrained"],
    ["status", p.status + (p.in_service ? ", in service on the date" : ", not in service on the date")],
    ["dates", (p.valid_from || "…") + " to " + (p.valid_to || "…")],
    ["border dwell", (p.crossings || []).map((c) => `${c.dwell_h} h${c.entering ? " entering " + ((placesById[c.entering] || {}).name || c.entering) : ""}`
      + (c.side ? ` (${(placesById[c.side] || {}).name || c.side} side only; the other side half the general time)` : "")).join("; ")
      || (placesById[p.from] && placesById[p.to] && placesById[p.from].country !== placesById[p.to].country ? "general border time (no measured figure)" : "")],
    ["sources", cite((p.sources || []).concat(...(p.crossings || []).map((c) => c.sources)))]];
  return popupHTML(p.id, rows);
}
function popupHTML(title, rows) {
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  return `<strong>${esc(title)}</strong><table class="popup">` + rows.filter((r) => r[1] !== "" && r[1] != null).map((r) => `<tr><th>${esc(r[0])}</th><td>${esc(r[1])}</td></tr>`).join("") + "</table>";
}

function placePopup(p) {
  return popupHTML(p.name + " (" + p.country + ")", [["id", p.id], ["kind", p.kind], ["functions", (p.functions || []).join(", ")],
    ["dwell", p.transfer_h != null ? p.transfer_h + " h" : ""], ["handling", p.transfer_usd_teu != null ? p.transfer_usd_teu + " USD/TEU" : ""],
    ["import clearance", (p.crossings || []).map((c) => c.dwell_h + " h for sea arrivals").join("; ")],
    ["sources", cite((p.sources || []).concat(...(p.crossings || []).map((c) => c.sources)))]]);
}
const cite = (ids) => [...new Set(ids)].map((id) => citations[id] || id).join("; ");
// The network of the date and scenarios; `pending` is a request already under way.
async function drawNetwork(pending) {
  const geo = await (pending || get("/v1/network?" + query({})));
  citations = geo.sources || {};
  layers.network.clearLayers(); layers.places.clearLayers();
  placesById = {}; linkProps = {}; linkLayers = {}; placeMarkers = [];
  for (const f of geo.features) {
    const p = f.properties;
    if (f.geometry.type === "Point") {
      const [lon, lat] = f.geometry.coordinates;
      placesById[p.id] = { lon, lat, name: p.name, country: p.country };
      const m = L.circleMarker([lat, lon], { renderer, radius: 3, fillOpacity: 1, className: "place" });
      m.caravan = p;
      m.addTo(layers.places);
      m.getElement().setAttribute("data-id", p.id);
      placeMarkers.push({ id: p.id, name: p.name, rank: p.rank || 0, marker: m });
    } else {
      linkProps[p.id] = p;
      const line = L.polyline(f.geometry.coordinates.map((c) => [c[1], c[0]]), { renderer, weight: 1.6, className: "link " + p.mode + (p.in_service ? "" : " closed") });
      line.caravan = p;
      line.addTo(layers.network);
      line.getElement().setAttribute("data-id", p.id);
      linkLayers[p.id] = line;
    }
  }
  placeMarkers.sort((a, b) => b.rank - a.rank || a.id.localeCompare(b.id));
  raise();
  updateLabels();
}

// Labels by importance: the highest-ranked places first, more as the map zooms in; the route's ends always.
// Tooltips are made only for the labels shown (hundreds of hidden ones slow the first render).
function updateLabels() {
  const z = map.getZoom();
  const shown = z < 3.5 ? 10 : z < 4.5 ? 28 : z < 5.5 ? 70 : z < 6.5 ? 140 : placeMarkers.length;
  const ends = new Set([lastCompare && lastCompare.origin.id, lastCompare && lastCompare.destination.id]);
  placeMarkers.forEach((pm, i) => {
    const show = i < shown || ends.has(pm.id);
    if (show && !pm.marker.getTooltip()) pm.marker.bindTooltip(pm.name, { permanent: true, direction: "right", offset: [4, 0], className: "place-label" + (i < 10 || ends.has(pm.id) ? " major" : "") });
    else if (!show && pm.marker.getTooltip()) pm.marker.unbindTooltip();
  });
}

function lineOf(id, start) {
  const l = linkProps[id];
  if (!l || !linkLayers[id]) return null;
  const pts = linkLayers[id].getLatLngs();
  return start === l.from ? pts : pts.slice().reverse();
}
function routeLatLngs(route, ends) {
  const pts = [];
  const at = (id) => placesById[id] || ends[id];
  for (const leg of route.legs) {
    let here = leg.from, drawn = false;
    for (const id of leg.links || []) {
      const line = lineOf(id, here);
      if (!line) continue;
      for (const c of pts.length ? line.slice(1) : line) pts.push(c);
      here = here === linkProps[id].from ? linkProps[id].to : linkProps[id].from;
      drawn = true;
    }
    if (!drawn) for (const id of [leg.from].concat(leg.via || [], [leg.to])) { const p = at(id); if (p) pts.push(L.latLng(p.lat, p.lon)); }
  }
  return pts;
}
function drawRoute(group, route, color, ends, attrs, base) {
  const line = L.polyline(routeLatLngs(route, ends), { renderer, color, weight: base ? 3 : 5, opacity: base ? 0.7 : 0.9, className: "route" + (base ? " base" : "") });
  line.bindTooltip((route.corridorName || "route") + ": " + route.totals.days.toFixed(1) + " days, " + money(route.totals.usd) + " USD" + (base ? " (base)" : ""), { sticky: true });
  line.addTo(group);
  for (const k in attrs) line.getElement().setAttribute(k, attrs[k]);
  return line;
}

// MARK: Legend

function drawLegend(extra) {
  const d = clearChildren($("legend"));
  const section = (title, keys) => {
    const h = document.createElement("h3"); h.textContent = title; d.appendChild(h);
    for (const [cls, text, color] of keys) {
      const k = document.createElement("span"); k.className = "key " + cls; k.textContent = text;
      if (color) k.style.setProperty("--c", color);
      d.appendChild(k);
    }
  };
  section("Network", [["rail", "rail"], ["road", "road"], ["ferry", "ferry"], ["sea", "sea"], ["closed", "not in service on the date"]]);
  if (extra.corridors && extra.corridors.length) section("Routes" + (extra.delta ? " (dashed: base)" : ""), extra.corridors.map((c) => ["corridor", c.name, c.color]));
  if (extra.changed) section("Scenario", [["changed", "link changed by the scenario"]]);
  if (extra.flows) {
    section("Assigned freight", [["flow", "TEU per year (width)"], ["bottleneck", "bottleneck (v/c label)"]]);
    widthKeys(d, extra.flows);
  }
  if (extra.energy) {
    section("Energy", [["natural_gas", "gas"], ["crude_oil", "oil"], ["electricity", "power"]]);
    widthKeys(d, extra.energy);
  }
}
function widthKeys(d, w) {
  for (const [value, width] of w.samples) {
    const row = document.createElement("span"); row.className = "width";
    const bar = document.createElement("i"); bar.style.height = width + "px"; bar.style.background = w.color;
    row.appendChild(bar); row.appendChild(document.createTextNode(value));
    d.appendChild(row);
  }
}
let legendState = {};
function legend(patch) { legendState = Object.assign({}, legendState, patch); drawLegend(legendState); }

// MARK: Places, scenarios, timeline

async function suggest(input, list) {
  const text = input.value.trim();
  if (text.length < 2) return;
  const hits = await get("/v1/places?" + new URLSearchParams({ q: text, limit: "8" }));
  clearChildren(list);
  for (const p of hits) { const o = document.createElement("option"); o.value = p.id; o.label = p.name + " (" + p.country + ")" + (p.kind === "city" && p.id.includes(",") ? " · off the network" : ""); list.appendChild(o); }
}

async function loadScenarios() {
  const list = await get("/v1/scenarios");
  const box = clearChildren($("scenario-list"));
  for (const s of list) {
    const label = document.createElement("label");
    const input = document.createElement("input"); input.type = "checkbox"; input.value = s.name; input.id = "sc-" + s.name;
    label.appendChild(input); label.appendChild(document.createTextNode(" " + s.name + (s.saved ? " (saved)" : "") + ": " + s.title));
    input.addEventListener("change", () => {
      state.scenarios = [...document.querySelectorAll("#scenario-list input:checked")].map((i) => i.value);
      track(refresh());
    });
    box.appendChild(label);
  }
}

const DAY0 = Date.UTC(2005, 0, 1), DAY_MS = 86400000;
const dayIndex = (iso) => Math.round((Date.parse(iso + "T00:00:00Z") - DAY0) / DAY_MS);
const isoOf = (i) => new Date(DAY0 + i * DAY_MS).toISOString().slice(0, 10);
async function loadTimeline() {
  events = await get("/v1/events");
  const s = $("date-slider");
  s.max = String(dayIndex("2032-12-31"));
  const ticks = clearChildren($("event-ticks")), marks = clearChildren($("event-marks"));
  for (const e of events) {
    const i = dayIndex(e.date);
    const o = document.createElement("option"); o.value = String(i); o.label = e.title; ticks.appendChild(o);
    const m = document.createElement("span"); m.style.left = (100 * i / Number(s.max)) + "%"; m.title = e.date + ": " + e.title; marks.appendChild(m);
  }
}
function setSlider(iso) {
  const s = $("date-slider");
  if (!iso) return;
  s.value = String(dayIndex(iso));
  const i = dayIndex(iso);
  const past = events.filter((e) => dayIndex(e.date) <= i);
  const last = past[past.length - 1];
  $("event-note").textContent = last ? `Latest event by ${iso}: ${last.date}, ${last.title}` : `No recorded event before ${iso}`;
}

// MARK: Compare, reliability, scenario deltas

function rowTimes(c) { return c.route ? c.route.totals : null; }
// Routes first (no sampling), then the sampled percentiles: the map and table appear at once.
const railService = () => (state.service === "block" ? null : state.service);
// A truck or trailer keeps to road and ro-ro ferries (the API's cargo=truck|trailer); a container is the default.
const cargoParam = () => (state.cargo === "teu" ? null : state.cargo);
const compareURL = (sampled) => "/v1/compare?" + query({ from: state.from, to: state.to, service: railService(), cargo: cargoParam(), percentiles: sampled ? null : "false", deadline: sampled ? state.deadline : null });
let compareRun = 0, deltaRun = 0, fitNext = false;
async function compare(pending) { const sampled = await compareRoutes(pending); if (sampled) await sampled(); }
// Draws the routes and the table; returns the step that fetches and shows the sampled percentiles.
async function compareRoutes(pending) {
  if (!state.from || !state.to) { status("Type an origin and a destination, then compare."); return null; }
  const run = ++compareRun;
  status("Comparing corridors…");
  const fast = await (pending || get(compareURL(false)));
  if (run !== compareRun) return null; // a newer request has started: its answer wins
  lastCompare = fast;
  renderRoutes(fast);
  renderTable(fast);
  if (!firstRenderDone) { firstRenderDone = true; document.body.dataset.firstRenderMs = String(Math.round(performance.now())); }
  writeURL();
  return async () => {
    const full = await get(compareURL(true));
    if (run !== compareRun) return;
    lastCompare = full;
    const chosen = renderTable(full);
    if (chosen) showDistribution(chosen); else clearChildren($("chart"));
  };
}

// What a route's figures rest on besides measured data (the CLI marks the same with ~ and "general").
function estimateNote(route) {
  const count = (n, one, many) => (n ? [`${n} ${n > 1 ? many : one}`] : []);
  return count(route.legs.filter((l) => l.estimatedLength).length, "leg with its length estimated", "legs with lengths estimated")
    .concat(route.legs.some((l) => l.carriage) ? ["first/last-mile road legs estimated (a place off the network)"] : [],
            count(route.stops.filter((st) => st.estimated && !st.oneSideGeneral).length, "stop with a general dwell (no measured figure)", "stops with a general dwell (no measured figure)"),
            count(route.stops.filter((st) => st.oneSideGeneral).length, "border measured on one side only", "borders measured on one side only"),
            count(route.stops.filter((st) => st.estimateMethods && !st.estimated).length, "dwell derived through a stated estimation method", "dwells derived through a stated estimation method"),
            count(route.legs.filter((l) => l.truckAboard && !l.truckFareSources).length, "ferry fare of a truck or trailer from the class tariff (no published fare)", "ferry fares of a truck or trailer from the class tariff (no published fare)"),
            count(route.legs.filter((l) => l.truckFareEstimated).length, "ferry fare applied to the line by a stated estimate", "ferry fares applied to the line by a stated estimate"))
    .join("; ");
}
// A days cell, marked (~ and the reasons on hover) when the route rests partly on estimates.
function daysCell(tr, route) {
  const td = cell(tr, fmt(route.totals.days));
  const note = estimateNote(route);
  if (note) { td.classList.add("estimated"); td.title = "rests partly on estimates: " + note; }
}
function swatchCell(tr, color) {
  const td = document.createElement("td"); tr.appendChild(td);
  if (color) { const s = document.createElement("span"); s.className = "swatch"; s.style.background = color; td.appendChild(s); }
}
// The mixed best route when no corridor row holds it (e.g. Nakhchivan to Baku).
const mixedBest = (res) => res.best && !res.corridors.some((c) => c.route && res.best.corridor && c.route.corridor === res.best.corridor);

function renderRoutes(res) {
  const ends = { [res.origin.id]: res.origin, [res.destination.id]: res.destination };
  layers.routes.clearLayers();
  const legendRows = [];
  res.corridors.forEach((c, i) => {
    if (!c.route) return;
    drawRoute(layers.routes, c.route, COLORS[i % COLORS.length], ends, { "data-corridor": c.corridor });
    legendRows.push({ name: c.name, color: COLORS[i % COLORS.length] });
  });
  if (mixedBest(res)) {
    drawRoute(layers.routes, res.best, BEST_COLOR, ends, { "data-best": "mixed" });
    legendRows.push({ name: "best overall (mixed corridors)", color: BEST_COLOR });
  }
  for (const e of [res.origin, res.destination]) {
    const m = L.circleMarker([e.lat, e.lon], { renderer, radius: 6, fillOpacity: 1, className: "place end" }).addTo(layers.routes);
    // Network places carry their own label; a city off the network gets one here.
    if (!placesById[e.id]) m.bindTooltip(e.name + " (off the network)", { permanent: true, direction: "auto", className: "place-label major" });
  }
  if (fitNext) { fitNext = false; const b = layers.routes.getBounds(); if (b.isValid()) map.fitBounds(b, { paddingTopLeft: [30, 30], paddingBottomRight: [250, 30], maxZoom: 8 }); }
  const withRoute = res.corridors.filter((c) => c.route).length;
  const bestText = res.best ? `; best overall: ${mixedBest(res) ? "mixed corridors" : res.best.corridorName}, ${res.best.totals.days.toFixed(1)} days` : "";
  status(`${res.origin.name} to ${res.destination.name}: ${withRoute} corridors with a route${bestText}, as of ${res.date}` + (state.scenarios.length ? ` with ${state.scenarios.join(" + ")}` : ""));
  legend({ corridors: legendRows, delta: state.delta && state.scenarios.length > 0 });
  raise();
  updateLabels();
}

// One row per corridor (the reason in full when it has no route); returns the corridor to chart.
function renderTable(res) {
  const tbody = clearChildren($("compare").querySelector("tbody"));
  let chosen = null;
  res.corridors.forEach((c, i) => {
    const tr = document.createElement("tr");
    if (c.route) {
      swatchCell(tr, COLORS[i % COLORS.length]);
      const t = c.route.totals;
      tr.className = "selectable"; tr.tabIndex = 0; tr.dataset.corridor = c.corridor;
      cell(tr, c.name); daysCell(tr, c.route); cell(tr, fmt(c.p50)); cell(tr, fmt(c.p90));
      cell(tr, c.onTime == null ? "" : Math.round(c.onTime * 100) + "%"); cell(tr, money(t.usd)); cell(tr, money(t.co2eKg));
      const pick = () => { state.chosen = c.corridor; showDistribution(c); writeURL(); };
      tr.addEventListener("click", pick);
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
      if (state.chosen === c.corridor || (!state.chosen && (!chosen || t.days < chosen.route.totals.days))) chosen = c;
    } else {
      tr.className = "none";
      swatchCell(tr, null);
      cell(tr, c.name);
      cell(tr, "no route: " + (c.reason || "none found"), "reason").colSpan = 6;
    }
    tbody.appendChild(tr);
  });
  if (mixedBest(res)) {
    const tr = document.createElement("tr");
    swatchCell(tr, BEST_COLOR);
    const t = res.best.totals;
    cell(tr, "best overall (mixed corridors)"); daysCell(tr, res.best); cell(tr, ""); cell(tr, ""); cell(tr, ""); cell(tr, money(t.usd)); cell(tr, money(t.co2eKg));
    tbody.appendChild(tr);
  }
  return chosen;
}

const svgNS = "http://www.w3.org/2000/svg";
function svg(name, attrs, parent) { const e = document.createElementNS(svgNS, name); for (const k in attrs) e.setAttribute(k, attrs[k]); if (parent) parent.appendChild(e); return e; }
function showDistribution(c) {
  for (const tr of document.querySelectorAll("#compare tr.selectable")) tr.classList.toggle("chosen", tr.dataset.corridor === c.corridor);
  const d = c.distribution;
  const g = clearChildren($("chart"));
  if (!d) return;
  const onTime = d.probabilityWithinDeadline != null ? `, ${Math.round(d.probabilityWithinDeadline * 100)}% within ${d.deadline} days` : "";
  $("dist-title").textContent = `${c.name}: p50 ${d.p50.toFixed(1)} d, p90 ${d.p90.toFixed(1)} d${onTime}`;
  const x0 = 46, x1 = 430, y0 = 170, y1 = 10, n = d.histogram.length;
  const total = d.histogram.reduce((a, b) => a + b, 0) || 1;
  const maxShare = Math.max(...d.histogram) / total;
  const lo = d.histogramStart, hi = d.histogramStart + n * d.histogramWidth;
  const X = (days) => x0 + (days - lo) / (hi - lo) * (x1 - x0);
  const Y = (share) => y0 - share / (maxShare || 1) * (y0 - y1);
  d.histogram.forEach((v, i) => {
    const h = y0 - Y(v / total);
    const r = svg("rect", { x: X(lo + i * d.histogramWidth), y: y0 - h, width: Math.max(1, (x1 - x0) / n - 1), height: h, class: "bar" }, g);
    svg("title", {}, r).textContent = `${(lo + i * d.histogramWidth).toFixed(1)}–${(lo + (i + 1) * d.histogramWidth).toFixed(1)} days: ${(100 * v / total).toFixed(1)}% of samples`;
  });
  // Axes: days below, share of samples at the left, with ticks.
  const ax = svg("g", { class: "axis" }, g);
  svg("line", { x1: x0, y1: y0, x2: x1, y2: y0 }, ax);
  svg("line", { x1: x0, y1: y0, x2: x0, y2: y1 }, ax);
  const step = niceStep((hi - lo) / 6);
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
    svg("line", { x1: X(t), y1: y0, x2: X(t), y2: y0 + 4 }, ax);
    svg("text", { x: X(t), y: y0 + 15, "text-anchor": "middle" }, ax).textContent = String(Math.round(t * 10) / 10);
  }
  const ystep = niceStep(maxShare / 4);
  for (let s = 0; s <= maxShare + 1e-9; s += ystep) {
    svg("line", { x1: x0 - 4, y1: Y(s), x2: x0, y2: Y(s) }, ax);
    svg("text", { x: x0 - 6, y: Y(s) + 3, "text-anchor": "end" }, ax).textContent = Math.round(s * 1000) / 10 + "%";
  }
  svg("text", { x: (x0 + x1) / 2, y: 200, "text-anchor": "middle" }, ax).textContent = "transit time, days";
  svg("text", { x: 10, y: (y0 + y1) / 2, "text-anchor": "middle", transform: `rotate(-90 10 ${(y0 + y1) / 2})` }, ax).textContent = "share of samples";
  for (const [v, name] of [[d.p50, "p50"], [d.p90, "p90"]]) {
    svg("line", { x1: X(v), y1: y0, x2: X(v), y2: y1, class: "pline" }, g);
    svg("text", { x: X(v) + 2, y: y1 + 8, "font-size": 10 }, g).textContent = name;
  }
  if (d.deadline != null && d.deadline >= lo && d.deadline <= hi) {
    svg("line", { x1: X(d.deadline), y1: y0, x2: X(d.deadline), y2: y1, class: "deadline" }, g);
    svg("text", { x: X(d.deadline) - 2, y: y1 + 20, "font-size": 10, "text-anchor": "end" }, g).textContent = "deadline";
  }
}
function niceStep(raw) {
  if (!(raw > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 2.5, 5, 10].map((k) => k * p).find((s) => s >= raw);
}

// Base against scenario: routes of both, a table of deltas, and the links the scenario changed.
async function drawDelta() {
  const run = ++deltaRun;
  const table = $("delta"), tbody = clearChildren(table.querySelector("tbody"));
  layers.base.clearLayers(); layers.changed.clearLayers();
  $("changed-note").textContent = "";
  const on = state.delta && state.scenarios.length > 0 && lastCompare;
  table.hidden = !on; $("delta-exports").hidden = !on;
  if (!on) { legend({ changed: false }); return; }
  const [base, baseNet] = await Promise.all([get("/v1/compare?" + query({ from: state.from, to: state.to, service: railService(), cargo: cargoParam(), percentiles: "false" }, false)), get("/v1/network?" + query({}, false))]);
  if (run !== deltaRun) return;
  const ends = { [base.origin.id]: base.origin, [base.destination.id]: base.destination };
  const rows = base.corridors.map((b, i) => ({ b, s: lastCompare.corridors.find((c) => c.corridor === b.corridor), color: COLORS[i % COLORS.length] }));
  if (base.best || lastCompare.best) rows.push({ b: { name: "best overall", route: base.best }, s: { route: lastCompare.best }, color: BEST_COLOR });
  for (const { b, s, color } of rows) {
    if (b.route) drawRoute(layers.base, b.route, color, ends, { "data-base": b.corridor || "best" }, true);
    const tr = document.createElement("tr");
    const sw = document.createElement("td"); const swatch = document.createElement("span"); swatch.className = "swatch"; swatch.style.background = color; sw.appendChild(swatch); tr.appendChild(sw);
    cell(tr, b.name);
    const bt = rowTimes(b), st = s ? rowTimes(s) : null;
    const delta = (a, z, digits, unit) => {
      if (!a && !z) return ["", ""];
      if (!a) return ["opens", "down"];
      if (!z) return ["no route", "up"];
      const v = z - a;
      return [(v > 0 ? "+" : "") + (digits ? v.toFixed(digits) : money(v)) + unit, Math.abs(v) < 1e-6 ? "" : v > 0 ? "up" : "down"];
    };
    cell(tr, bt ? fmt(bt.days) : "—"); cell(tr, st ? fmt(st.days) : "—");
    const [dd, dc] = delta(bt && bt.days, st && st.days, 1, ""); cell(tr, dd, dc);
    cell(tr, bt ? money(bt.usd) : "—"); cell(tr, st ? money(st.usd) : "—");
    const [du, uc] = delta(bt && bt.usd, st && st.usd, 0, ""); cell(tr, du, uc);
    tbody.appendChild(tr);
  }
  // Links whose service or values differ between the base network and the scenario's.
  let changed = 0;
  for (const f of baseNet.features) {
    if (f.geometry.type !== "LineString") continue;
    const a = f.properties, b = linkProps[a.id];
    const keys = ["in_service", "time_h", "headway_h", "capacity", "length_km"];
    if (b && keys.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))) {
      changed++;
      const line = L.polyline(linkLayers[a.id].getLatLngs(), { renderer, weight: 7, opacity: 0.75, className: "link changed" }).addTo(layers.changed);
      line.bindTooltip(a.id + ": " + keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).map((k) => `${k} ${a[k] ?? "—"} → ${b[k] ?? "—"}`).join(", "), { sticky: true });
      line.getElement().setAttribute("data-changed", a.id);
    }
  }
  raise();
  $("changed-note").textContent = `${changed} links changed by ${state.scenarios.join(" + ")} (blue on the map).`;
  // Base routes of corridors the scenario leaves without a route are drawn dashed: name them too.
  const named = new Set((legendState.corridors || []).map((c) => c.name));
  const extra = rows.filter((r) => r.b.route && r.b.name !== "best overall" && !named.has(r.b.name)).map((r) => ({ name: r.b.name + " (base only)", color: r.color }));
  legend({ changed: changed > 0, delta: true, corridors: (legendState.corridors || []).concat(extra) });
}

// MARK: Assignment and energy

async function assign() {
  const body = { scale: state.scale };
  if (state.date) body.date = state.date;
  if (state.scenarios.length) body.scenarios = state.scenarios;
  const bar = $("assign-progress");
  bar.hidden = false; bar.value = 0;
  status("Assignment queued…");
  const r = await fetch("/v1/jobs/assignment", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const job = await r.json();
  if (!r.ok) { status("Assignment: " + job.error.reason); bar.hidden = true; return; }
  for (;;) {
    const s = await get(job.url);
    bar.value = s.job.progress; bar.textContent = Math.round(s.job.progress * 100) + "%";
    status(`Assignment ${s.job.status}, ${Math.round(s.job.progress * 100)}%` + (s.job.message ? `: ${s.job.message}` : ""));
    if (s.job.status === "done") { bar.value = 1; drawFlows(s.result); return; }
    if (["failed", "cancelled", "interrupted"].includes(s.job.status)) { status("Assignment " + s.job.status + ": " + (s.job.error || "")); return; }
    await new Promise((ok) => setTimeout(ok, 250));
  }
}
const flowWidth = (v, max) => 1.5 + 12 * Math.sqrt(v / max);
function drawFlows(report) {
  layers.flows.clearLayers(); layers.bottlenecks.clearLayers();
  const max = Math.max(...report.links.map((l) => l.forwardTEU + l.backwardTEU), 1);
  for (const l of report.links) {
    const v = l.forwardTEU + l.backwardTEU;
    if (v <= 0 || !linkLayers[l.id]) continue;
    const line = L.polyline(linkLayers[l.id].getLatLngs(), { renderer, weight: flowWidth(v, max), opacity: 0.65, className: "flow" }).addTo(layers.flows);
    line.bindTooltip(`${l.id}: ${money(v)} TEU/yr` + (l.volumeCapacityRatio ? `, v/c ${l.volumeCapacityRatio.toFixed(2)}` : ""), { sticky: true });
  }
  const ol = clearChildren($("bottlenecks"));
  for (const b of report.bottlenecks) {
    const li = document.createElement("li");
    li.textContent = `${b.name}${b.direction ? " (" + b.direction + ")" : ""}: v/c ${b.volumeCapacityRatio.toFixed(2)}, +${b.delayDays.toFixed(1)} days`;
    ol.appendChild(li);
    // On the map: at the place, or at the middle of the link.
    let at = null;
    // A port's container terminal sits at the port; a ferry line's truck deck on the line.
    if ((b.kind === "place" || b.kind === "container_terminal") && placesById[b.id]) at = L.latLng(placesById[b.id].lat, placesById[b.id].lon);
    else if (linkLayers[b.id]) { const pts = linkLayers[b.id].getLatLngs(); at = pts[Math.floor(pts.length / 2)]; }
    if (at) {
      const m = L.circleMarker(at, { renderer, radius: 7, fillOpacity: 1, className: "bottleneck" }).addTo(layers.bottlenecks);
      m.bindTooltip(`v/c ${b.volumeCapacityRatio.toFixed(2)}`, { permanent: true, direction: "top", className: "bottleneck-label" });
      m.getElement().setAttribute("data-bottleneck", b.id);
    }
  }
  raise();
  legend({ flows: { color: "#601A4A", samples: [max, max / 4, max / 25].map((v) => [money(v) + " TEU/yr", flowWidth(v, max)]) } });
  const shares = report.corridors.map((c) => `${c.name} ${(c.share * 100).toFixed(1)}%`).join("; ");
  // Plain words in the status; the solver's figures on hover.
  const converged = /gap/.test(report.stopReason || "");
  status(`Assignment ${converged ? "converged" : "stopped before converging"} (demand ×${state.scale}). Corridor shares: ${shares}`,
         `relative gap ${report.relativeGap.toExponential(1)} after ${report.iterations} iterations, ${report.seconds.toFixed(2)} s (${report.stopReason})`);
}

const energyWidth = (v, max) => 1.5 + 10 * Math.sqrt(v / max);
async function energy() {
  layers.energy.clearLayers();
  const ul = clearChildren($("energy-summary"));
  if (!state.energy) { legend({ energy: null }); return; }
  const geo = await get("/v1/energy/geojson?" + query({}));
  const lines = geo.features.filter((f) => f.geometry.type === "LineString" && f.geometry.coordinates.length >= 2);
  const max = Math.max(...lines.map((f) => f.properties.flow || 0), 1e-9);
  for (const f of lines) {
    const p = f.properties;
    const line = L.polyline(f.geometry.coordinates.map((c) => [c[1], c[0]]), { renderer, weight: energyWidth(p.flow || 0, max), opacity: 0.8, className: "energy-line " + p.commodity }).addTo(layers.energy);
    line.bindTooltip(`${p.name}: ${(p.flow || 0).toFixed(2)} ${p.unit || ""}` + (p.binding ? " (at capacity)" : ""), { sticky: true });
  }
  raise();
  const rep = await get("/v1/energy?" + query({}));
  for (const c of rep.commodities) {
    const li = document.createElement("li");
    li.textContent = `${c.commodity}: delivered ${c.delivered.toFixed(2)} ${c.unit}, unmet ${c.unmetDemand.toFixed(2)}`;
    ul.appendChild(li);
  }
  for (const b of rep.bottlenecks) { const li = document.createElement("li"); li.textContent = `at capacity: ${b.name}`; ul.appendChild(li); }
  legend({ energy: { color: "#555555", samples: [max, max / 4].map((v) => [v.toFixed(1) + " (flow unit per asset)", energyWidth(v, max)]) } });
}

// MARK: Export

function mapSVG() {
  const src = document.querySelector("#map .leaflet-overlay-pane svg");
  const copy = src.cloneNode(true);
  const size = map.getSize(), origin = map.containerPointToLayerPoint([0, 0]);
  copy.setAttribute("xmlns", svgNS);
  copy.setAttribute("viewBox", `${origin.x} ${origin.y} ${size.x} ${size.y}`);
  copy.setAttribute("width", size.x); copy.setAttribute("height", size.y);
  copy.removeAttribute("style");
  // Inline the stylesheet's colours, so the file draws the same outside the page.
  const live = src.querySelectorAll("path"), out = copy.querySelectorAll("path");
  live.forEach((p, i) => {
    const cs = getComputedStyle(p);
    for (const k of ["fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity", "fill-opacity", "opacity"]) out[i].setAttribute(k, cs.getPropertyValue(k));
  });
  const bg = svg("rect", { x: origin.x, y: origin.y, width: size.x, height: size.y, fill: "#dbe9f4" });
  copy.insertBefore(bg, copy.firstChild);
  // Open labels as text at their places.
  for (const el of document.querySelectorAll("#map .leaflet-tooltip-pane .leaflet-tooltip")) {
    const r = el.getBoundingClientRect(), m = $("map").getBoundingClientRect();
    const pt = map.containerPointToLayerPoint([r.left - m.left + 3, r.bottom - m.top - 4]);
    const t = svg("text", { x: pt.x, y: pt.y, "font-size": 11, "font-family": "sans-serif", fill: "#1a1a1a", stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke" }, copy);
    t.textContent = el.textContent;
  }
  // The legend as drawn beside the map: its headings, colour keys and width samples.
  const items = [...document.querySelectorAll("#legend h3, #legend .key, #legend .width")];
  if (items.length) {
    const corner = map.containerPointToLayerPoint([size.x - 270, size.y - 18 * items.length - 16]);
    const g = svg("g", { class: "legend", "font-family": "sans-serif", "font-size": 11 }, copy);
    svg("rect", { x: corner.x - 6, y: corner.y - 14, width: 264, height: 18 * items.length + 10, fill: "#ffffff", "fill-opacity": 0.92, stroke: "#999999" }, g);
    items.forEach((el, i) => {
      const y = corner.y + 18 * i;
      if (el.tagName === "H3") { svg("text", { x: corner.x, y, "font-weight": 700 }, g).textContent = el.textContent; return; }
      if (el.classList.contains("width")) {
        const bar = el.querySelector("i");
        svg("rect", { x: corner.x, y: y - 4 - bar.offsetHeight / 2, width: 28, height: Math.max(1, bar.offsetHeight), fill: getComputedStyle(bar).backgroundColor }, g);
      } else {
        svg("line", { x1: corner.x, y1: y - 4, x2: corner.x + 28, y2: y - 4, stroke: getComputedStyle(el, "::before").color, "stroke-width": 4 }, g);
      }
      svg("text", { x: corner.x + 36, y }, g).textContent = el.textContent;
    });
  }
  return new XMLSerializer().serializeToString(copy);
}
function download(name, type, data) {
  const a = document.createElement("a");
  a.href = typeof data === "string" && data.startsWith("data:") ? data : URL.createObjectURL(new Blob([data], { type }));
  a.download = name; document.body.appendChild(a); a.click(); a.remove();
}
function mapPNG() {
  return new Promise((ok, fail) => {
    const img = new Image(), size = map.getSize();
    img.onload = () => {
      const c = document.createElement("canvas"); c.width = size.x; c.height = size.y;
      c.getContext("2d").drawImage(img, 0, 0);
      ok(c.toDataURL("image/png"));
    };
    img.onerror = () => fail(new Error("the map could not be drawn as PNG"));
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(mapSVG());
  });
}
function tableCSV(id) {
  const quote = (s) => /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  // A days figure that rests partly on estimates keeps its ~ (drawn by the stylesheet on the page).
  const text = (c) => c.textContent.trim() + (c.classList.contains("estimated") ? "~" : "");
  return [...$(id).querySelectorAll("tr")].map((tr) => [...tr.children].slice(1).map((c) => quote(text(c))).join(",")).join("\n") + "\n";
}
window.caravan = { mapSVG, mapPNG, tableCSV, state };

// MARK: Wiring

function fail(x) { status("Error: " + x.message); }
// Work under way (body[data-busy] counts it): the browser test waits for 0 before it reads the page.
let busyCount = 0;
function track(promise) {
  document.body.dataset.busy = String(++busyCount);
  return promise.catch(fail).finally(() => { document.body.dataset.busy = String(--busyCount); });
}
async function refresh() {
  writeURL();
  await drawNetwork();
  await compare();
  await drawDelta();
  await energy();
}

async function main() {
  const view = readURL();
  // Every request at once, before the map is built; the routes are drawn first, the basemap after them (below).
  const net = get("/v1/network?" + query({}));
  const cmp = state.from && state.to ? get(compareURL(false)) : null;
  net.catch(() => {}); if (cmp) cmp.catch(() => {});
  initMap(view);
  legend({});
  syncInputs();
  fitNext = !view;
  try {
    await drawNetwork(net);
    const sampled = cmp ? await compareRoutes(cmp) : null;
    const side = Promise.all([loadScenarios(), loadTimeline()]);
    if (!cmp) status("Type an origin and a destination (any city, port or LAT,LON) and compare the corridors.");
    await drawBasemap();
    if (sampled) await sampled();
    await side;
    syncInputs();
    await drawDelta();
    await energy();
    if (state.assign) await assign();
  } catch (e) { fail(e); }
  document.body.dataset.ready = "1";
}

$("controls").addEventListener("submit", (e) => {
  e.preventDefault();
  state.from = $("from").value.trim(); state.to = $("to").value.trim(); state.chosen = null; fitNext = true;
  track(compare().then(drawDelta));
});
for (const [id, list] of [["from", "from-list"], ["to", "to-list"]]) $(id).addEventListener("input", () => suggest($(id), $(list)).catch(() => {}));
$("swap").addEventListener("click", () => {
  [state.from, state.to] = [$("to").value.trim(), $("from").value.trim()];
  syncInputs(); track(compare().then(drawDelta));
});
$("date").addEventListener("change", () => { state.date = $("date").value; syncInputs(); track(refresh()); });
$("date-slider").addEventListener("input", () => { const iso = isoOf(Number($("date-slider").value)); $("date").value = iso; setSlider(iso); });
$("date-slider").addEventListener("change", () => { state.date = isoOf(Number($("date-slider").value)); syncInputs(); track(refresh()); });
$("service").addEventListener("change", () => { state.service = $("service").value; writeURL(); track(compare()); });
$("cargo").addEventListener("change", () => { state.cargo = $("cargo").value; writeURL(); track(compare()); });
$("deadline").addEventListener("change", () => { const v = parseFloat($("deadline").value); state.deadline = v > 0 ? v : null; track(compare()); });
$("delta-toggle").addEventListener("change", () => { state.delta = $("delta-toggle").checked; writeURL(); track(compare().then(drawDelta)); });
$("energy-toggle").addEventListener("change", () => { state.energy = $("energy-toggle").checked; writeURL(); track(energy()); });
$("scale").addEventListener("change", () => { state.scale = parseFloat($("scale").value) || 1; writeURL(); });
$("assign-button").addEventListener("click", () => { state.assign = true; state.scale = parseFloat($("scale").value) || 1; writeURL(); track(assign()); });
$("export-svg").addEventListener("click", () => download("caravan-map.svg", "image/svg+xml", mapSVG()));
$("export-png").addEventListener("click", () => track(mapPNG().then((url) => download("caravan-map.png", "image/png", url))));
$("compare-csv").addEventListener("click", () => download("caravan-corridors.csv", "text/csv", tableCSV("compare")));
$("delta-csv").addEventListener("click", () => download("caravan-scenario-deltas.csv", "text/csv", tableCSV("delta")));

// Scenario editor: the common edits, written as YAML (docs/scenarios.md) and saved with the token.
function editorYAML() {
  const v = (id) => $(id).value.trim();
  const ids = v("ed-ids").split(",").map((s) => s.trim()).filter((s) => s);
  const list = "[" + ids.join(", ") + "]", value = v("ed-value");
  const edit = {
    "close-links": `close: {links: ${list}}`, "close-pair": `close: {pair: ${ids[0] || ""}}`,
    "link-time": `link: {links: ${list}, time_factor: ${value}}`, "link-capacity": `link: {links: ${list}, capacity_factor: ${value}}`,
    "place-dwell": `place: {places: ${list}, transfer_h: ${value}}`, "place-capacity": `capacity: {places: ${list}, capacity_factor: ${value}}`,
    "class-rate": `class: {classes: ${list}, tariff_factor: ${value}}`,
  }[$("ed-action").value];
  const q = (s) => JSON.stringify(s);
  const name = v("ed-name");
  return [`name: ${name}`, `title: ${q(v("ed-title"))}`, `description: ${q("Written in the web page. Basis: " + v("ed-why"))}`,
    "sources:", `  - id: s-web-${name}`, "    kind: estimate", "    publisher: Caravan user (web page)", `    title: ${q(v("ed-why"))}`, `    year: ${new Date().getFullYear()}`, "    url: \"\"",
    "edits:", `  - ${edit}`] .concat(v("ed-from") ? [`    from: ${v("ed-from")}`] : [], v("ed-to") ? [`    to: ${v("ed-to")}`] : [], [`    source: [s-web-${name}]`]).join("\n") + "\n";
}
$("editor-form").addEventListener("submit", (e) => { e.preventDefault(); track(saveFromEditor()); });
async function saveFromEditor() {
  const out = $("ed-result");
  try {
    const r = await fetch("/v1/scenarios", { method: "POST", headers: { "content-type": "application/yaml", authorization: "Bearer " + $("ed-token").value }, body: editorYAML() });
    const body = await r.json();
    if (!r.ok) { out.textContent = `Not saved (${r.status}): ${body.error ? body.error.reason : ""}` + (body.problems ? "\n" + body.problems.map((p) => `${p.field}: ${p.reason}`).join("\n") : ""); return; }
    out.textContent = `Saved as ${body.name}. It is ticked below the list; untick to go back to the base.`;
    await loadScenarios();
    state.scenarios = state.scenarios.concat([body.name]); state.delta = true;
    syncInputs(); await refresh();
  } catch (x) { out.textContent = "Not saved: " + x.message; }
}

main();
