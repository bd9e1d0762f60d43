/* The events page: filters → map + timeline + table, all read from /api/v1/events. */
"use strict";

(function () {
  const { el, clear, api, apiAll, colour, TYPES, SUB_TYPES, showError } = window.opsroom;
  const form = document.getElementById("filters");
  const FILTERS = ["since", "until", "country", "admin1", "actor", "event_type",
                   "sub_event_type", "q", "min_fatalities"];
  const PER_PAGE = 25;
  // The map draws at most this many events: enough for years of one theatre, while a
  // browser still pans smoothly over SVG circles.
  const MAP_LIMIT = 5000;
  const state = { page: 1, sort: "-event_date", map: null, markers: null, weeks: [] };

  // -- filters ---------------------------------------------------------------------

  function fillTypes() {
    const type = form.elements.event_type;
    for (const t of Object.keys(TYPES)) type.append(el("option", { value: t, text: t }));
    fillSubTypes();
  }

  function fillSubTypes() {
    const sub = form.elements.sub_event_type;
    const keep = sub.value;
    clear(sub).append(el("option", { value: "", text: "any" }));
    const types = form.elements.event_type.value ? [form.elements.event_type.value] : Object.keys(SUB_TYPES);
    for (const t of types) for (const s of SUB_TYPES[t]) sub.append(el("option", { value: s, text: s }));
    sub.value = [...sub.options].some((o) => o.value === keep) ? keep : "";
  }

  function filters(withDates) {
    const out = {};
    for (const name of FILTERS) {
      if (!withDates && (name === "since" || name === "until")) continue;
      const v = form.elements[name].value.trim();
      if (v) out[name] = v;
    }
    return out;
  }

  function readURL() {
    const params = new URLSearchParams(location.search);
    for (const name of FILTERS) if (params.has(name)) form.elements[name].value = params.get(name);
    fillSubTypes();
    if (params.has("sub_event_type")) form.elements.sub_event_type.value = params.get("sub_event_type");
  }

  function writeURL() {
    history.replaceState(null, "", location.pathname + window.opsroom.query(filters(true)));
  }

  // -- map -------------------------------------------------------------------------

  function legend() {
    const box = clear(document.getElementById("legend"));
    box.append(el("strong", { text: "Event type" }));
    for (const [t, c] of Object.entries(TYPES)) {
      const sw = el("span", { className: "swatch" });
      sw.style.background = c;
      box.append(el("div", { className: "legend-row" }, sw, t));
    }
    box.append(el("strong", { text: "Killed" }));
    const sizes = el("div", { className: "legend-sizes" });
    for (const n of [0, 10, 50, 100]) {
      const r = window.opsroomMap.radius(n);
      const dot = el("span", { className: "dot" });
      dot.style.width = dot.style.height = `${2 * r}px`;
      sizes.append(el("span", { className: "legend-size" }, dot, n === 0 ? "0 / ?" : String(n)));
    }
    box.append(sizes);
  }

  function popup(ev) {
    return el("div", { className: "popup" },
      el("a", { href: `/events/${encodeURIComponent(ev.event_id)}`, className: "popup-title",
                text: ev.sub_event_type || ev.event_type || "Event" }),
      el("div", { text: `${ev.event_date || "date unknown"} · ${window.opsroom.place(ev)}` }),
      el("div", { text: window.opsroom.actors(ev) }),
      el("div", { text: `Killed: ${window.opsroom.killed(ev)}` }));
  }

  function drawMarkers(events) {
    state.markers.clearLayers();
    // Largest first, so small circles stay clickable on top of big ones.
    const sorted = events.filter(window.opsroom.hasCoords)
      .sort((a, b) => (b.fatalities || 0) - (a.fatalities || 0));
    for (const ev of sorted) {
      const c = colour(ev.event_type);
      L.circleMarker([ev.latitude, ev.longitude], {
        radius: window.opsroomMap.radius(ev.fatalities), color: "#222", weight: 1,
        fillColor: c, fillOpacity: 0.75, className: "event-marker",
      }).bindPopup(popup(ev)).addTo(state.markers);
    }
    const mapped = document.getElementById("mapped");
    mapped.textContent = `${sorted.length} of ${events.length} on the map (the rest have no coordinates)`;
    document.getElementById("map").dataset.markers = String(sorted.length);
  }

  // -- timeline --------------------------------------------------------------------

  const DAY = 86400000;

  function weekStart(iso) {
    const d = new Date(iso + "T00:00:00Z");
    const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
    return new Date(d.getTime() - dow * DAY);
  }

  function isoDate(d) { return d.toISOString().slice(0, 10); }

  function drawTimeline(events) {
    const svg = document.getElementById("timeline");
    clear(svg);
    const dated = events.filter((e) => e.event_date);
    const NS = "http://www.w3.org/2000/svg";
    const width = svg.clientWidth || 900, height = 120, pad = 22;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    if (!dated.length) {
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", 10); t.setAttribute("y", 40); t.textContent = "No dated events.";
      svg.append(t);
      state.weeks = [];
      return;
    }
    const counts = new Map();
    for (const e of dated) {
      const k = weekStart(e.event_date).getTime();
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    const keys = [...counts.keys()];
    const first = Math.min(...keys), last = Math.max(...keys);
    const weeks = [];
    for (let t = first; t <= last; t += 7 * DAY) weeks.push({ start: t, n: counts.get(t) || 0 });
    state.weeks = weeks;
    const max = Math.max(...weeks.map((w) => w.n));
    // Bars at most 40 px wide, centred: a few weeks must not look like a solid block.
    const bw = Math.min((width - 2 * pad) / weeks.length, 40);
    const x0 = pad + ((width - 2 * pad) - bw * weeks.length) / 2;
    state.geom = { x0, bw, width, height };
    const since = form.elements.since.value, until = form.elements.until.value;
    weeks.forEach((w, i) => {
      const h = ((height - 2 * pad) * w.n) / max;
      const r = document.createElementNS(NS, "rect");
      const end = isoDate(new Date(w.start + 6 * DAY));
      const inRange = (!since || end >= since) && (!until || isoDate(new Date(w.start)) <= until);
      r.setAttribute("x", x0 + i * bw + 0.5);
      r.setAttribute("y", height - pad - h);
      r.setAttribute("width", Math.max(bw - 1, 1));
      r.setAttribute("height", h);
      r.setAttribute("class", inRange ? "bar" : "bar out");
      const title = document.createElementNS(NS, "title");
      title.textContent = `week of ${isoDate(new Date(w.start))}: ${w.n} event(s)`;
      r.append(title);
      svg.append(r);
    });
    const axis = (x, label, anchor) => {
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", x); t.setAttribute("y", height - 6);
      t.setAttribute("text-anchor", anchor); t.setAttribute("class", "axis");
      t.textContent = label;
      svg.append(t);
    };
    // Date labels under the ends of a full-width run of bars, beside a short one.
    const full = x0 <= pad + 1;
    axis(full ? x0 : x0 - 6, isoDate(new Date(first)), full ? "start" : "end");
    axis(full ? x0 + bw * weeks.length : x0 + bw * weeks.length + 6,
         isoDate(new Date(last + 6 * DAY)), full ? "end" : "start");
    const maxLabel = document.createElementNS(NS, "text");
    maxLabel.setAttribute("x", 2); maxLabel.setAttribute("y", pad); maxLabel.setAttribute("class", "axis");
    maxLabel.textContent = String(max);
    svg.append(maxLabel);
    const brush = document.createElementNS(NS, "rect");
    brush.setAttribute("id", "brush"); brush.setAttribute("class", "brush");
    brush.setAttribute("y", 4); brush.setAttribute("height", height - pad - 2);
    brush.setAttribute("width", 0);
    svg.append(brush);
  }

  function weekAt(clientX) {
    const svg = document.getElementById("timeline");
    const box = svg.getBoundingClientRect();
    const x = ((clientX - box.left) * state.geom.width) / box.width;
    const i = Math.floor((x - state.geom.x0) / state.geom.bw);
    return Math.max(0, Math.min(state.weeks.length - 1, i));
  }

  function setupBrush() {
    const svg = document.getElementById("timeline");
    let start = null;
    const show = (a, b) => {
      const brush = document.getElementById("brush");
      if (!brush) return;
      const lo = Math.min(a, b), hi = Math.max(a, b);
      brush.setAttribute("x", state.geom.x0 + lo * state.geom.bw);
      brush.setAttribute("width", (hi - lo + 1) * state.geom.bw);
    };
    svg.addEventListener("pointerdown", (e) => {
      if (!state.weeks.length) return;
      start = weekAt(e.clientX);
      svg.setPointerCapture(e.pointerId);
      show(start, start);
    });
    svg.addEventListener("pointermove", (e) => { if (start !== null) show(start, weekAt(e.clientX)); });
    svg.addEventListener("pointerup", (e) => {
      if (start === null) return;
      const end = weekAt(e.clientX);
      const lo = Math.min(start, end), hi = Math.max(start, end);
      start = null;
      form.elements.since.value = isoDate(new Date(state.weeks[lo].start));
      form.elements.until.value = isoDate(new Date(state.weeks[hi].start + 6 * DAY));
      apply();
    });
    document.getElementById("clear-brush").addEventListener("click", () => {
      form.elements.since.value = "";
      form.elements.until.value = "";
      apply();
    });
  }

  function brushLabel() {
    const since = form.elements.since.value, until = form.elements.until.value;
    const label = document.getElementById("brush-label");
    const any = since || until;
    label.textContent = any ? `selected: ${since || "…"} to ${until || "…"}`
      : "drag across the bars to select dates";
    document.getElementById("clear-brush").hidden = !any;
  }

  // -- table -----------------------------------------------------------------------

  async function loadTable() {
    const body = await api("/events", Object.assign(filters(true), {
      sort: state.sort, page: state.page, per_page: PER_PAGE }));
    const tbody = clear(document.querySelector("#events tbody"));
    for (const ev of body.items) {
      const link = el("a", { href: `/events/${encodeURIComponent(ev.event_id)}`,
                             text: ev.event_date || "—" });
      const sw = el("span", { className: "swatch" });
      sw.style.background = colour(ev.event_type);
      tbody.append(el("tr", { dataset: { eventId: ev.event_id } },
        el("td", {}, link, ev.date_precision && ev.date_precision !== "day"
          ? el("span", { className: "muted", text: ` (${ev.date_precision})` }) : null),
        el("td", {}, sw, ev.event_type || ""),
        el("td", { text: ev.sub_event_type || "" }),
        el("td", { text: window.opsroom.actors(ev) }),
        el("td", { text: ev.location || "" }),
        el("td", { text: ev.admin1 || "" }),
        el("td", { text: ev.country || "" }),
        el("td", { className: "num", text: window.opsroom.killed(ev) }),
        el("td", { className: "num", text: String((ev.sources || []).length) })));
    }
    if (!body.items.length) {
      tbody.append(el("tr", {}, el("td", { colspan: 9, className: "muted", text: "No event matches." })));
    }
    const pages = Math.max(1, Math.ceil(body.total / PER_PAGE));
    document.getElementById("total").textContent = `(${body.total})`;
    document.getElementById("pageinfo").textContent = `page ${state.page} of ${pages}`;
    document.getElementById("prev").disabled = state.page <= 1;
    document.getElementById("next").disabled = state.page >= pages;
    document.getElementById("events").dataset.total = String(body.total);
    for (const b of document.querySelectorAll("button.sort")) {
      const key = b.dataset.sort;
      b.dataset.dir = state.sort === key ? "asc" : state.sort === "-" + key ? "desc" : "";
    }
  }

  // -- glue ------------------------------------------------------------------------

  let generation = 0;

  async function apply() {
    const mine = ++generation;
    writeURL();
    brushLabel();
    showError("");
    document.body.dataset.loading = "1";
    try {
      const [inRange, all] = await Promise.all([
        apiAll("/events", filters(true), MAP_LIMIT),
        apiAll("/events", filters(false), MAP_LIMIT),
        loadTable(),
      ]);
      if (mine !== generation) return;
      drawMarkers(inRange.items);
      drawTimeline(all.items);
    } catch (err) {
      showError(err.message);
    } finally {
      if (mine === generation) document.body.dataset.loading = "0";
    }
  }

  async function main() {
    fillTypes();
    readURL();
    legend();
    form.elements.event_type.addEventListener("change", fillSubTypes);
    form.addEventListener("submit", (e) => { e.preventDefault(); state.page = 1; apply(); });
    document.getElementById("reset").addEventListener("click", () => {
      form.reset(); fillSubTypes(); state.page = 1; apply();
    });
    document.getElementById("prev").addEventListener("click", () => {
      state.page -= 1; loadTable().catch((e) => showError(e.message));
    });
    document.getElementById("next").addEventListener("click", () => {
      state.page += 1; loadTable().catch((e) => showError(e.message));
    });
    for (const b of document.querySelectorAll("button.sort")) {
      b.addEventListener("click", () => {
        const key = b.dataset.sort;
        state.sort = state.sort === "-" + key ? key : "-" + key;
        state.page = 1;
        loadTable().catch((e) => showError(e.message));
      });
    }
    setupBrush();
    state.map = await window.opsroomMap.create("map");
    state.markers = L.featureGroup().addTo(state.map);
    await apply();
    document.body.dataset.ready = "1";
  }

  main();
})();
