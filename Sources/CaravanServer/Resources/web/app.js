// Caravan web page: plain JavaScript, no external assets (works offline).
"use strict";

const W = 1000, H = 560;
// Equirectangular view of Eurasia from the Atlantic to the Pacific coast of China.
const VIEW = { lon0: -12, lon1: 128, lat0: 18, lat1: 62 };
// Corridor colours: from the Okabe-Ito and Paul Tol colour-blind-safe sets, at least ΔE 20 (CIELAB)
// from each other and from every other legend colour (checked by a test over style.css and this list).
const COLORS = ["#332288", "#EE6677", "#999933", "#E69F00", "#FFAABB", "#994455", "#EE8866", "#BBBBBB"];
const svgNS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
let places = {}, links = {};

function project(lon, lat) {
  const x = (lon - VIEW.lon0) / (VIEW.lon1 - VIEW.lon0) * W;
  const y = (VIEW.lat1 - lat) / (VIEW.lat1 - VIEW.lat0) * H;
  return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
}
function el(name, attrs, parent) {
  const e = document.createElementNS(svgNS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
function clear(id) { const g = $(id); while (g.firstChild) g.removeChild(g.firstChild); return g; }
function status(text, details) { const s = $("status"); s.textContent = text; s.title = details || ""; }
async function get(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error((body.error && (body.error.field + ": " + body.error.reason)) || r.statusText);
  return body;
}
function params() {
  const p = new URLSearchParams();
  if ($("date").value) p.set("date", $("date").value);
  if ($("scenario").value) p.set("scenario", $("scenario").value);
  return p;
}
function linePath(coords) {
  return coords.map((c, i) => (i ? "L" : "M") + project(c[0], c[1]).join(",")).join(" ");
}

async function drawBasemap() {
  const geo = await get("/static/countries.geojson");
  const g = clear("basemap");
  for (const f of geo.features) {
    const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    let d = "";
    for (const poly of polys) for (const ring of poly) {
      // Skip rings across the antimeridian (far eastern Russia): outside the view anyway.
      if (ring.some((c) => c[0] < -170)) continue;
      d += linePath(ring) + "Z ";
    }
    if (d) el("path", { d, class: "country", "data-name": f.properties.name || "" }, g);
  }
}

async function drawNetwork() {
  const geo = await get("/v1/network?" + params());
  const g = clear("network"), pg = clear("places");
  places = {}; links = {};
  for (const f of geo.features) {
    if (f.geometry.type === "Point") {
      const [lon, lat] = f.geometry.coordinates;
      places[f.properties.id] = { lon, lat, name: f.properties.name };
      const [x, y] = project(lon, lat);
      const c = el("circle", { cx: x, cy: y, r: 1.8, class: "place" }, pg);
      el("title", {}, c).textContent = f.properties.name;
    } else {
      links[f.properties.id] = { from: f.properties.from, to: f.properties.to, coords: f.geometry.coordinates };
      const cls = "link " + f.properties.mode + (f.properties.in_service ? "" : " closed");
      const p = el("path", { d: linePath(f.geometry.coordinates), class: cls, "data-id": f.properties.id }, g);
      el("title", {}, p).textContent = f.properties.id + (f.properties.in_service ? "" : " (not in service)");
    }
  }
}

async function loadChoices() {
  const list = await get("/v1/places?limit=1000");
  list.sort((a, b) => a.name.localeCompare(b.name));
  for (const id of ["from", "to"]) {
    const s = $(id);
    for (const p of list) { const o = document.createElement("option"); o.value = p.id; o.textContent = p.name + " (" + p.country + ")"; s.appendChild(o); }
  }
  const sc = await get("/v1/scenarios");
  for (const s of sc) { const o = document.createElement("option"); o.value = s.name; o.textContent = s.name; $("scenario").appendChild(o); }
}

// A link's line from `start` (one of its ends), sea tracks included; null when unknown.
function linkLine(id, start) {
  const l = links[id];
  if (!l) return null;
  return start === l.from ? l.coords : l.coords.slice().reverse();
}

function drawRoute(route, color, index) {
  const coords = [];
  for (const leg of route.legs) {
    let at = leg.from;
    for (const id of leg.links || []) {
      const line = linkLine(id, at);
      if (!line) continue;
      for (const c of coords.length ? line.slice(1) : line) coords.push(c);
      at = at === links[id].from ? links[id].to : links[id].from;
    }
    if (!(leg.links || []).length) {
      for (const id of [leg.from].concat(leg.via || [], [leg.to])) { const p = places[id]; if (p) coords.push([p.lon, p.lat]); }
    }
  }
  const path = el("path", { d: linePath(coords), class: "route", stroke: color, "data-corridor": route.corridor || "mixed" }, $("routes"));
  el("title", {}, path).textContent = (route.corridorName || "route") + ": " + route.totals.days.toFixed(1) + " days";
  return path;
}

async function compare() {
  const from = $("from").value, to = $("to").value;
  const p = params(); p.set("from", from); p.set("to", to);
  status("Comparing corridors…");
  const res = await get("/v1/compare?" + p);
  clear("routes");
  const tbody = $("compare").querySelector("tbody");
  while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
  let best = null;
  res.corridors.forEach((c, i) => {
    const tr = document.createElement("tr");
    const color = COLORS[i % COLORS.length];
    if (c.route) {
      drawRoute(c.route, color, i);
      tr.className = "selectable";
      tr.onclick = () => reliability(c);
      const t = c.route.totals;
      tr.innerHTML = `<td><span class="swatch" style="background:${color}"></span></td><td>${c.name}</td><td>${t.days.toFixed(1)}</td>` +
        `<td>${c.p50 ? c.p50.toFixed(1) : ""}</td><td>${c.p90 ? c.p90.toFixed(1) : ""}</td><td>${Math.round(t.usd).toLocaleString("en")}</td><td>${Math.round(t.co2eKg).toLocaleString("en")}</td>`;
      if (!best || t.days < best.route.totals.days) best = c;
    } else {
      tr.className = "none";
      tr.innerHTML = `<td></td><td>${c.name}</td><td colspan="5" title="${c.reason || ""}">no route</td>`;
    }
    tbody.appendChild(tr);
  });
  // The overall best route when it mixes corridors (no corridor row holds it), e.g. Nakhchivan to Baku.
  const mixed = res.best && !res.corridors.some((c) => c.route && c.route.corridor === res.best.corridor && res.best.corridor);
  if (mixed) {
    drawRoute(res.best, "#222222", res.corridors.length).setAttribute("data-best", "mixed");
    const tr = document.createElement("tr");
    const t = res.best.totals;
    tr.innerHTML = `<td><span class="swatch" style="background:#222222"></span></td><td>best overall (mixed corridors)</td><td>${t.days.toFixed(1)}</td>` +
      `<td></td><td></td><td>${Math.round(t.usd).toLocaleString("en")}</td><td>${Math.round(t.co2eKg).toLocaleString("en")}</td>`;
    tbody.appendChild(tr);
  }
  for (const id of [from, to]) {
    const q = places[id];
    if (q) { const [x, y] = project(q.lon, q.lat); el("circle", { cx: x, cy: y, r: 5, class: "place end" }, $("routes")); }
  }
  const bestText = res.best ? `; best overall: ${res.best.corridorName}, ${res.best.totals.days.toFixed(1)} days` : "";
  status(`${res.corridors.filter((c) => c.route).length} corridors with a route${bestText}, as of ${res.date}`);
  if (best) await reliability(best);
}

async function reliability(c) {
  const p = params(); p.set("from", $("from").value); p.set("to", $("to").value); p.set("samples", "4000");
  const res = await get("/v1/reliability?" + p);
  // The candidate closest to the chosen corridor's route.
  const pick = res.candidates.find((k) => k.route.corridor === c.corridor) || res.fastestMean;
  const d = pick.distribution;
  $("dist-title").textContent = `${c.name}: p50 ${d.p50.toFixed(1)} d, p90 ${d.p90.toFixed(1)} d`;
  const g = $("chart");
  while (g.firstChild) g.removeChild(g.firstChild);
  const max = Math.max(...d.histogram, 1), n = d.histogram.length, bw = 400 / n;
  d.histogram.forEach((v, i) => {
    const h = v / max * 150;
    el("rect", { x: 10 + i * bw, y: 160 - h, width: Math.max(1, bw - 1), height: h, class: "bar" }, g);
  });
  const label = (x, text) => { const t = el("text", { x, y: 176, "font-size": 10 }, g); t.textContent = text; };
  label(10, d.histogramStart.toFixed(0) + " d");
  label(370, (d.histogramStart + n * d.histogramWidth).toFixed(0) + " d");
}

async function assign() {
  const body = { scale: parseFloat($("scale").value) || 1 };
  if ($("date").value) body.date = $("date").value;
  if ($("scenario").value) body.scenarios = [$("scenario").value];
  status("Assignment queued…");
  const r = await fetch("/v1/jobs/assignment", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const job = await r.json();
  if (!r.ok) { status("Assignment: " + job.error.reason); return; }
  for (;;) {
    const s = await get(job.url);
    status(`Assignment ${s.job.status} ${Math.round(s.job.progress * 100)}% ${s.job.message}`);
    if (s.job.status === "done") { drawFlows(s.result); return; }
    if (["failed", "cancelled", "interrupted"].includes(s.job.status)) { status("Assignment " + s.job.status + ": " + (s.job.error || "")); return; }
    await new Promise((ok) => setTimeout(ok, 300));
  }
}

function drawFlows(report) {
  const g = clear("flows");
  const max = Math.max(...report.links.map((l) => l.forwardTEU + l.backwardTEU), 1);
  for (const l of report.links) {
    const a = places[l.from], b = places[l.to], v = l.forwardTEU + l.backwardTEU;
    if (!a || !b || v <= 0) continue;
    const line = linkLine(l.id, l.from) || [[a.lon, a.lat], [b.lon, b.lat]];
    const p = el("path", { d: linePath(line), class: "flow", "stroke-width": 1 + 11 * Math.sqrt(v / max) }, g);
    el("title", {}, p).textContent = `${l.id}: ${Math.round(v).toLocaleString("en")} TEU/yr` + (l.volumeCapacityRatio ? `, v/c ${l.volumeCapacityRatio.toFixed(2)}` : "");
  }
  const ol = $("bottlenecks");
  while (ol.firstChild) ol.removeChild(ol.firstChild);
  for (const b of report.bottlenecks) {
    const li = document.createElement("li");
    li.textContent = `${b.name}${b.direction ? " (" + b.direction + ")" : ""}: v/c ${b.volumeCapacityRatio.toFixed(2)}, +${b.delayDays.toFixed(1)} days`;
    ol.appendChild(li);
  }
  const shares = report.corridors.map((c) => `${c.name} ${(c.share * 100).toFixed(1)}%`).join("; ");
  // Plain words in the status; the solver's figures on hover.
  const converged = /gap/.test(report.stopReason || "");
  status(`Assignment ${converged ? "converged" : "stopped before converging"}. Corridor shares: ${shares}`,
         `relative gap ${report.relativeGap.toExponential(1)} after ${report.iterations} iterations, ${report.seconds.toFixed(2)} s (${report.stopReason})`);
}

async function energy(on) {
  const g = clear("energy");
  const ul = $("energy-summary");
  while (ul.firstChild) ul.removeChild(ul.firstChild);
  if (!on) return;
  const p = params();
  const geo = await get("/v1/energy/geojson?" + p);
  for (const f of geo.features) {
    if (f.geometry.type !== "LineString" || f.geometry.coordinates.length < 2) continue;
    const w = 1 + Math.min(8, (f.properties.flow || 0) / 4);
    const path = el("path", { d: linePath(f.geometry.coordinates), class: "energy-line " + f.properties.commodity, "stroke-width": w }, g);
    el("title", {}, path).textContent = `${f.properties.name}: ${(f.properties.flow || 0).toFixed(2)}` + (f.properties.binding ? " (binding)" : "");
  }
  const rep = await get("/v1/energy?" + p);
  for (const c of rep.commodities) {
    const li = document.createElement("li");
    li.textContent = `${c.commodity}: delivered ${c.delivered.toFixed(2)} ${c.unit}, unmet ${c.unmetDemand.toFixed(2)}`;
    ul.appendChild(li);
  }
  for (const b of rep.bottlenecks) {
    const li = document.createElement("li");
    li.textContent = `binding: ${b.name}`;
    ul.appendChild(li);
  }
}

async function main() {
  const q = new URLSearchParams(location.search);
  $("date").value = q.get("date") || new Date().toISOString().slice(0, 10);
  try {
    await loadChoices();
    if (q.get("scenario")) $("scenario").value = q.get("scenario");
    $("from").value = q.get("from") || "xian";
    $("to").value = q.get("to") || "duisburg";
    await drawBasemap();
    await drawNetwork();
    status("Pick two places and compare the corridors.");
    if (q.get("from") && q.get("to")) await compare();
    if (q.get("energy")) { $("energy-toggle").checked = true; await energy(true); }
  } catch (e) { status("Error: " + e.message); }
}

$("controls").addEventListener("submit", (e) => { e.preventDefault(); compare().catch((x) => status("Error: " + x.message)); });
$("assign-button").addEventListener("click", () => assign().catch((x) => status("Error: " + x.message)));
$("energy-toggle").addEventListener("change", (e) => energy(e.target.checked).catch((x) => status("Error: " + x.message)));
for (const id of ["date", "scenario"]) $(id).addEventListener("change", () => drawNetwork().then(compare).catch((x) => status("Error: " + x.message)));
// Zoom (mouse wheel) and pan (drag) by moving the map's viewBox; a double click resets the view.
const map = $("map");
let view = { x: 0, y: 0, w: W, h: H };
function setView(v) { view = v; map.setAttribute("viewBox", `${v.x} ${v.y} ${v.w} ${v.h}`); map.style.setProperty("--z", v.w / W); }
map.addEventListener("wheel", (e) => {
  e.preventDefault();
  const r = map.getBoundingClientRect();
  const mx = view.x + (e.clientX - r.left) / r.width * view.w, my = view.y + (e.clientY - r.top) / r.height * view.h;
  const w = Math.min(W * 2.5, Math.max(W / 25, view.w * Math.exp(e.deltaY * 0.0015))), k = w / view.w;
  setView({ x: mx - (mx - view.x) * k, y: my - (my - view.y) * k, w, h: view.h * k });
}, { passive: false });
let drag = null;
map.addEventListener("pointerdown", (e) => { drag = { x: e.clientX, y: e.clientY, v: view }; });
map.addEventListener("pointermove", (e) => {
  if (!drag) return;
  const r = map.getBoundingClientRect();
  setView({ ...drag.v, x: drag.v.x - (e.clientX - drag.x) / r.width * drag.v.w, y: drag.v.y - (e.clientY - drag.y) / r.height * drag.v.h });
});
for (const ev of ["pointerup", "pointerleave"]) map.addEventListener(ev, () => { drag = null; });
map.addEventListener("dblclick", () => setView({ x: 0, y: 0, w: W, h: H }));

main();
