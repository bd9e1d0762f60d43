/* The events page: filters → map (clustered, with a replay slider) + timeline + table,
   all read from /api/v1/events; downloads from /api/v1/export with the same filters. */
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
  // The map's deepest zoom: street level is finer than any geocoded place (a town at
  // best), and the clusterer needs a finite bottom to spiderfy markers at one spot.
  const MAX_ZOOM = 13;
  // A replay runs in about this many steps, whatever the span: some 15 s at the tick
  // below, long enough to follow, short enough to watch twice.
  const REPLAY_STEPS = 60;
  const REPLAY_TICK_MS = 250;
  const DAY = 86400000;
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                  "Nov", "Dec"];
  const state = {
    page: 1, sort: "-event_date", map: null, cluster: null, weeks: [], geom: null,
    markers: [], inRange: [], replay: { start: 0, days: 0, timer: null },
    unread: {},  // filters in the address their field could not take: name → raw value
  };

  // -- dates -----------------------------------------------------------------------

  function isoDate(d) { return d.toISOString().slice(0, 10); }
  function dayOf(iso) { return Date.parse(iso + "T00:00:00Z"); }

  /* An event's date cut to what is known of it ("2014", not "2014-01-01"), as every
     page writes it (common.js). */
  function when(ev) {
    return window.opsroom.dateText(ev.event_date, ev.date_precision);
  }

  /* The hover text of a date: how precise it is and why the extractor chose it. */
  function whenTitle(ev) {
    if (!ev.event_date) return null;
    const p = ev.date_precision ? `known to the ${ev.date_precision}` : "precision unknown";
    return ev.date_reason ? `${p}: ${ev.date_reason}` : p;
  }

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

  const LABELS = { since: "From", until: "To", min_fatalities: "Min. killed" };

  function readURL() {
    const params = new URLSearchParams(location.search);
    for (const name of FILTERS) {
      if (!params.has(name)) continue;
      const input = form.elements[name];
      input.value = params.get(name);
      // A date or number field drops a value it cannot hold: say so rather than widen
      // the selection behind the reader's back.
      if (params.get(name).trim() && !input.value && name in LABELS) state.unread[name] = params.get(name);
    }
    fillSubTypes();
    if (params.has("sub_event_type")) form.elements.sub_event_type.value = params.get("sub_event_type");
  }

  function writeURL() {
    history.replaceState(null, "", location.pathname + window.opsroom.query(filters(true)));
  }

  /* What is wrong with the filters, as [field, message] pairs a reader can act on; the
     API would refuse the same values with a 422, which reads worse. */
  function problems() {
    const out = [];
    const f = form.elements;
    for (const [name, raw] of Object.entries(state.unread)) {
      if (!f[name].value) out.push([name, `“${LABELS[name]}” in the address (${raw}) is not ${
        name === "min_fatalities" ? "a whole number" : "a date (YYYY-MM-DD)"}.`]);
    }
    const since = f.since.value, until = f.until.value;
    if (since && until && since > until) {
      out.push(["since", `“From” (${since}) is after “To” (${until}): pick a start on or before the end.`]);
    }
    const killed = f.min_fatalities;
    const n = Number(killed.value);
    if (killed.validity.badInput || (killed.value !== "" && (!Number.isInteger(n) || n < 0))) {
      out.push(["min_fatalities", "“Min. killed” must be a whole number, 0 or more."]);
    }
    return out;
  }

  function showFilterError(message, fields) {
    const box = document.getElementById("filter-error");
    box.textContent = message;
    box.hidden = !message;
    for (const name of FILTERS) {
      if ((fields || []).includes(name)) form.elements[name].setAttribute("aria-invalid", "true");
      else form.elements[name].removeAttribute("aria-invalid");
    }
  }

  // -- downloads -------------------------------------------------------------------

  /* Point the download links at /export with the current filters: every name in FILTERS
     is a parameter /export declares, and nothing else is sent. */
  function downloads(valid) {
    for (const [id, format] of [["download-csv", "acled-csv"], ["download-geojson", "geojson"]]) {
      const a = document.getElementById(id);
      if (valid) {
        a.href = window.opsroom.API + "/export" +
          window.opsroom.query(Object.assign({ format }, filters(true)));
        a.removeAttribute("aria-disabled");
      } else {
        a.removeAttribute("href");
        a.setAttribute("aria-disabled", "true");
      }
    }
  }

  // -- map -------------------------------------------------------------------------

  function legend() {
    const box = clear(document.getElementById("legend-body"));
    const types = el("div", { className: "legend-types" });
    for (const [t, c] of Object.entries(TYPES)) {
      const sw = el("span", { className: "swatch" });
      sw.style.background = c;
      types.append(el("div", { className: "legend-row" }, sw, t));
    }
    box.append(el("strong", { text: "Event type" }), types);
    box.append(el("strong", { text: "Killed" }));
    const sizes = el("div", { className: "legend-sizes" });
    for (const n of [0, 10, 50, 100]) {
      const r = window.opsroomMap.radius(n);
      const dot = el("span", { className: "dot" });
      dot.style.width = dot.style.height = `${2 * r}px`;
      sizes.append(el("span", { className: "legend-size" }, dot, n === 0 ? "0 / ?" : String(n)));
    }
    box.append(sizes);
    const bubble = el("span", { className: "legend-cluster" }, el("span", { text: "3" }));
    box.append(el("div", { className: "legend-row" }, bubble, "events close together: click to zoom in"));
  }

  function popup(ev) {
    return el("div", { className: "popup" },
      el("a", { href: `/events/${encodeURIComponent(ev.event_id)}`, className: "popup-title",
                text: ev.sub_event_type || ev.event_type || "Event" }),
      el("div", { title: whenTitle(ev), text: `${when(ev)} · ${window.opsroom.place(ev)}` }),
      el("div", { text: window.opsroom.actors(ev) }),
      el("div", { text: `Killed: ${window.opsroom.killed(ev)}` }));
  }

  /* A cluster's bubble: its count, sized in three steps as the library's default, built
     as elements so no text is ever parsed as markup. */
  function clusterIcon(cluster) {
    const n = cluster.getChildCount();
    const size = n < 10 ? "small" : n < 100 ? "medium" : "large";
    return L.divIcon({
      html: el("div", {}, el("span", { text: String(n) })),
      className: `marker-cluster marker-cluster-${size}`,
      iconSize: L.point(40, 40),
    });
  }

  function newCluster() {
    return L.markerClusterGroup({
      iconCreateFunction: clusterIcon,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      // Twice the default spread: two events at one spot then open 32 px apart from the
      // bubble's centre, clear of its 20 px radius, so each can be clicked.
      spiderfyDistanceMultiplier: 2,
      zoomToBoundsOnClick: true,
    });
  }

  /* One circle per event with coordinates, largest first, kept so that the replay only
     picks which of them the clusterer shows. */
  function buildMarkers(events) {
    state.inRange = events;
    state.markers = events.filter(window.opsroom.hasCoords)
      .sort((a, b) => (b.fatalities || 0) - (a.fatalities || 0))
      .map((ev) => ({
        ev,
        layer: L.circleMarker([ev.latitude, ev.longitude], {
          radius: window.opsroomMap.radius(ev.fatalities), color: "#222", weight: 1,
          fillColor: colour(ev.event_type), fillOpacity: 0.75, className: "event-marker",
        }).bindPopup(() => popup(ev)),
      }));
  }

  /* Show the markers the replay selects: all of them at the end of the slider, else the
     dated events up to the slider's day (within the chosen window, when one is). */
  function showMarkers() {
    const r = state.replay;
    const atEnd = r.days === 0 || replayValue() >= r.days;
    const upTo = isoDate(new Date(r.start + replayValue() * DAY));
    // Nothing dated to replay: the window has no day to end on, so everything shows.
    const span = r.start ? Number(document.getElementById("replay-window").value) : 0;
    const from = span ? isoDate(new Date(dayOf(upTo) - (span - 1) * DAY)) : null;
    const shown = state.markers.filter(({ ev }) => {
      if (atEnd && !span) return true;
      if (!ev.event_date) return false;
      return ev.event_date <= upTo && (!from || ev.event_date >= from);
    });
    state.cluster.clearLayers();
    // In bulk: the clusterer animates single additions, which circles cannot follow.
    state.cluster.addLayers(shown.map((m) => m.layer));
    const total = state.inRange.length;
    const mapped = document.getElementById("mapped");
    if (atEnd && !span) {
      mapped.textContent = `${shown.length} of ${total} on the map (the rest have no coordinates)`;
    } else {
      mapped.textContent = `${shown.length} of ${total} on the map: dated ` +
        (from ? `${from} to ${upTo}` : `up to ${upTo}`);
    }
    const map = document.getElementById("map");
    map.dataset.markers = String(shown.length);
    map.dataset.upTo = atEnd && !span ? "" : upTo;
    replayLine();
  }

  // -- replay ----------------------------------------------------------------------

  function replayValue() { return Number(document.getElementById("replay").value); }

  /* Fit the slider to the filtered window: the filter's dates where given, else the
     first and last dated event; the slider starts at the end, where every event shows. */
  function setupReplay(events) {
    stopReplay();
    const dated = events.map((e) => e.event_date).filter(Boolean).sort();
    const since = form.elements.since.value, until = form.elements.until.value;
    const first = since || dated[0], last = until || dated[dated.length - 1];
    const slider = document.getElementById("replay");
    const r = state.replay;
    if (!first || !last || first > last) {
      r.start = 0; r.days = 0;
      slider.max = "0"; slider.value = "0"; slider.disabled = true;
      document.getElementById("play").disabled = true;
      document.getElementById("replay-date").textContent = "no dated event to replay";
      return;
    }
    r.start = dayOf(first);
    r.days = Math.round((dayOf(last) - r.start) / DAY);
    slider.max = String(r.days);
    slider.value = String(r.days);
    slider.disabled = r.days === 0;
    document.getElementById("play").disabled = r.days === 0;
    slider.dataset.first = first;
    slider.dataset.last = last;
    replayLabel();
  }

  function replayLabel() {
    const r = state.replay;
    const day = isoDate(new Date(r.start + replayValue() * DAY));
    document.getElementById("replay-date").textContent =
      replayValue() >= r.days ? `${day} (the whole period)` : day;
  }

  function onSlide() {
    replayLabel();
    showMarkers();
  }

  function stopReplay() {
    const r = state.replay;
    if (r.timer !== null) clearInterval(r.timer);
    r.timer = null;
    const play = document.getElementById("play");
    play.textContent = "▶ Play";
    play.setAttribute("aria-pressed", "false");
    document.getElementById("replay").dataset.playing = "0";
  }

  /* Play the period forward from the slider's day (from the start when it is at the
     end), one step a tick, and stop at the end with every event shown. */
  function startReplay() {
    const r = state.replay;
    const slider = document.getElementById("replay");
    if (replayValue() >= r.days) slider.value = "0";
    const step = Math.max(1, Math.ceil(r.days / REPLAY_STEPS));
    onSlide();
    r.timer = setInterval(() => {
      slider.value = String(Math.min(r.days, replayValue() + step));
      onSlide();
      if (replayValue() >= r.days) stopReplay();
    }, REPLAY_TICK_MS);
    const play = document.getElementById("play");
    play.textContent = "❚❚ Pause";
    play.setAttribute("aria-pressed", "true");
    slider.dataset.playing = "1";
  }

  function setupReplayControls() {
    document.getElementById("play").addEventListener("click", () => {
      if (state.replay.timer !== null) stopReplay(); else startReplay();
    });
    document.getElementById("replay").addEventListener("input", () => { stopReplay(); onSlide(); });
    document.getElementById("replay-window").addEventListener("change", showMarkers);
  }

  // -- timeline --------------------------------------------------------------------

  const NS = "http://www.w3.org/2000/svg";

  function svgEl(tag, attrs, text) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function weekStart(iso) {
    const d = new Date(iso + "T00:00:00Z");
    const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
    return new Date(d.getTime() - dow * DAY);
  }

  /* Tick steps from a week to a decade; the finest whose labels stay TICK_GAP px apart
     is drawn (a label such as "Sep 2017" is about 50 px at 11 px type). */
  const TICK_GAP = 64;
  const TICK_STEPS = [
    { days: 7, unit: "week", n: 1 }, { days: 30.4, unit: "month", n: 1 },
    { days: 91, unit: "month", n: 3 }, { days: 182, unit: "month", n: 6 },
    { days: 365, unit: "year", n: 1 }, { days: 730, unit: "year", n: 2 },
    { days: 1826, unit: "year", n: 5 }, { days: 3652, unit: "year", n: 10 },
  ];

  /* Dates of the ticks between t0 and t1 (ms): Mondays, first days of months (every n
     months, from January) or of years (every n years). */
  function ticks(t0, t1, pxPerDay) {
    const step = TICK_STEPS.find((s) => s.days * pxPerDay >= TICK_GAP) || TICK_STEPS[TICK_STEPS.length - 1];
    const out = [];
    const d0 = new Date(t0);
    if (step.unit === "week") {
      for (let t = weekStart(isoDate(d0)).getTime(); t <= t1; t += 7 * DAY) {
        if (t >= t0) out.push({ t, label: `${new Date(t).getUTCDate()} ${MONTHS[new Date(t).getUTCMonth()]}` });
      }
    } else if (step.unit === "month") {
      let y = d0.getUTCFullYear(), m = Math.ceil(d0.getUTCMonth() / step.n) * step.n;
      for (;;) {
        if (m >= 12) { y += Math.floor(m / 12); m %= 12; }
        const t = Date.UTC(y, m, 1);
        if (t > t1) break;
        if (t >= t0) out.push({ t, label: `${MONTHS[m]} ${y}` });
        m += step.n;
      }
    } else {
      for (let y = Math.ceil(d0.getUTCFullYear() / step.n) * step.n; Date.UTC(y, 0, 1) <= t1; y += step.n) {
        const t = Date.UTC(y, 0, 1);
        if (t >= t0) out.push({ t, label: String(y) });
      }
    }
    return out;
  }

  function drawTimeline(events) {
    const svg = clear(document.getElementById("timeline"));
    const dated = events.filter((e) => e.event_date);
    const width = svg.clientWidth || 900, height = 150;
    // Room for the event counts on the left, the killed on the right, ticks below.
    const padL = 30, padR = 34, padT = 10, padB = 24;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    if (!dated.length) {
      svg.append(svgEl("text", { x: 10, y: 40 }, "No dated events."));
      state.weeks = [];
      return;
    }
    const counts = new Map(), killed = new Map();
    for (const e of dated) {
      const k = weekStart(e.event_date).getTime();
      counts.set(k, (counts.get(k) || 0) + 1);
      killed.set(k, (killed.get(k) || 0) + (e.fatalities || 0));
    }
    const keys = [...counts.keys()];
    const first = Math.min(...keys), last = Math.max(...keys);
    const weeks = [];
    for (let t = first; t <= last; t += 7 * DAY) {
      weeks.push({ start: t, n: counts.get(t) || 0, killed: killed.get(t) || 0 });
    }
    state.weeks = weeks;
    const max = Math.max(...weeks.map((w) => w.n));
    const maxKilled = Math.max(...weeks.map((w) => w.killed));
    const plotW = width - padL - padR, plotH = height - padT - padB, base = height - padB;
    // Bars at most 40 px wide, centred: a few weeks must not look like a solid block.
    const bw = Math.min(plotW / weeks.length, 40);
    const x0 = padL + (plotW - bw * weeks.length) / 2;
    state.geom = { x0, bw, width, height, padT, base };
    const since = form.elements.since.value, until = form.elements.until.value;
    weeks.forEach((w, i) => {
      const h = (plotH * w.n) / max;
      const end = isoDate(new Date(w.start + 6 * DAY));
      const inRange = (!since || end >= since) && (!until || isoDate(new Date(w.start)) <= until);
      const r = svgEl("rect", {
        x: x0 + i * bw + 0.5, y: base - h, width: Math.max(bw - 1, 1), height: h,
        class: inRange ? "bar" : "bar out", "data-week": isoDate(new Date(w.start)),
      });
      r.append(svgEl("title", {},
        `week of ${isoDate(new Date(w.start))}: ${w.n} event(s), ${w.killed} killed`));
      svg.append(r);
    });

    // The killed: a line over the week centres on its own scale, with dots where any died.
    const yK = (v) => base - (maxKilled ? (plotH * v) / maxKilled : 0);
    const pts = weeks.map((w, i) => `${(x0 + (i + 0.5) * bw).toFixed(1)},${yK(w.killed).toFixed(1)}`);
    svg.append(svgEl("polyline", { points: pts.join(" "), class: "deaths" }));
    weeks.forEach((w, i) => {
      if (!w.killed) return;
      const dot = svgEl("circle", { cx: x0 + (i + 0.5) * bw, cy: yK(w.killed), r: 2.5,
                                    class: "deaths-dot", "data-killed": w.killed });
      dot.append(svgEl("title", {}, `week of ${isoDate(new Date(w.start))}: ${w.killed} killed`));
      svg.append(dot);
    });
    svg.dataset.killed = String(weeks.reduce((s, w) => s + w.killed, 0));

    // Axes: counts on the left, killed on the right, dates along the bottom.
    svg.append(svgEl("line", { x1: padL, x2: width - padR, y1: base, y2: base, class: "axis-line" }));
    svg.append(svgEl("text", { x: padL - 4, y: padT + 8, "text-anchor": "end", class: "axis y-events" }, String(max)));
    svg.append(svgEl("text", { x: padL - 4, y: base, "text-anchor": "end", class: "axis" }, "0"));
    svg.append(svgEl("text", { x: width - padR + 4, y: padT + 8, class: "axis axis-killed y-killed" },
                     String(maxKilled)));
    svg.append(svgEl("text", { x: width - padR + 4, y: base, class: "axis axis-killed" }, "0"));
    const t0 = first, t1 = last + 7 * DAY;
    const pxPerDay = bw / 7;
    for (const tick of ticks(t0, t1, pxPerDay)) {
      const x = x0 + ((tick.t - t0) / DAY) * pxPerDay;
      svg.append(svgEl("line", { x1: x, x2: x, y1: base, y2: base + 4, class: "tick-mark" }));
      svg.append(svgEl("text", { x, y: height - 6, "text-anchor": "middle", class: "axis tick",
                                 "data-date": isoDate(new Date(tick.t)) }, tick.label));
    }
    svg.append(svgEl("line", { id: "replay-line", class: "replay-line", y1: padT, y2: base,
                               x1: 0, x2: 0, visibility: "hidden" }));
    svg.append(svgEl("rect", { id: "brush", class: "brush", y: 4, height: base - 2, width: 0 }));
    replayLine();
  }

  /* The replay's day as a line across the timeline, hidden when every event shows. */
  function replayLine() {
    const line = document.getElementById("replay-line");
    const upTo = document.getElementById("map").dataset.upTo;
    if (!line || !state.geom || !state.weeks.length) return;
    if (!upTo) { line.setAttribute("visibility", "hidden"); return; }
    const x = state.geom.x0 + ((dayOf(upTo) + DAY / 2 - state.weeks[0].start) / DAY) * (state.geom.bw / 7);
    const lo = state.geom.x0, hi = state.geom.x0 + state.geom.bw * state.weeks.length;
    line.setAttribute("x1", Math.max(lo, Math.min(hi, x)));
    line.setAttribute("x2", Math.max(lo, Math.min(hi, x)));
    line.setAttribute("visibility", "visible");
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

  /* Text with a line-break chance after each slash: ACLED's type names
     ("Explosions/Remote violence") would otherwise hold a narrow table wide open. */
  function breakable(text) {
    const out = [];
    String(text || "").split("/").forEach((part, i) => {
      if (i) out.push("/", el("wbr", {}));
      out.push(part);
    });
    return out;
  }

  async function loadTable() {
    const body = await api("/events", Object.assign(filters(true), {
      sort: state.sort, page: state.page, per_page: PER_PAGE }));
    const tbody = clear(document.querySelector("#events tbody"));
    for (const ev of body.items) {
      // A narrow column may wrap "week of" from its date, never a date at its hyphens.
      const said = ev.event_date ? when(ev) : "—";
      const cut = said.lastIndexOf(" ") + 1;
      const link = el("a", { href: `/events/${encodeURIComponent(ev.event_id)}`,
                             title: whenTitle(ev), dataset: { precision: ev.date_precision || "" } },
                      said.slice(0, cut), el("span", { className: "nobr", text: said.slice(cut) }));
      const sw = el("span", { className: "swatch" });
      sw.style.background = colour(ev.event_type);
      tbody.append(el("tr", { dataset: { eventId: ev.event_id } },
        el("td", { className: "date" }, link),
        el("td", {}, sw, breakable(ev.event_type)),
        el("td", {}, breakable(ev.sub_event_type)),
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

  /* An error of a table-only request: a refused filter goes next to the filters. */
  function reportError(err) {
    if (err.status === 422) {
      showFilterError(`These filters were refused: ${err.message.replace(/^422:\s*/, "")}`);
    } else {
      showError(err.message);
    }
  }

  // -- glue ------------------------------------------------------------------------

  let generation = 0;

  async function apply() {
    const mine = ++generation;
    brushLabel();
    showError("");
    const wrong = problems();
    if (wrong.length) {
      showFilterError(wrong.map(([, m]) => m).join(" "), wrong.map(([f]) => f));
      downloads(false);
      document.body.dataset.loading = "0";
      return;
    }
    showFilterError("");
    writeURL();
    downloads(true);
    document.body.dataset.loading = "1";
    try {
      const [inRange, all] = await Promise.all([
        apiAll("/events", filters(true), MAP_LIMIT),
        apiAll("/events", filters(false), MAP_LIMIT),
        loadTable(),
      ]);
      if (mine !== generation) return;
      buildMarkers(inRange.items);
      setupReplay(inRange.items);
      drawTimeline(all.items);
      showMarkers();
    } catch (err) {
      if (mine !== generation) return;
      if (err.status === 422) downloads(false);
      reportError(err);
    } finally {
      if (mine === generation) document.body.dataset.loading = "0";
    }
  }

  async function main() {
    fillTypes();
    readURL();
    legend();
    form.elements.event_type.addEventListener("change", fillSubTypes);
    for (const name of Object.keys(LABELS)) {
      form.elements[name].addEventListener("input", () => { delete state.unread[name]; });
    }
    form.addEventListener("submit", (e) => { e.preventDefault(); state.page = 1; apply(); });
    document.getElementById("reset").addEventListener("click", () => {
      form.reset(); fillSubTypes(); state.unread = {}; state.page = 1; apply();
    });
    document.getElementById("prev").addEventListener("click", () => {
      state.page -= 1; loadTable().catch(reportError);
    });
    document.getElementById("next").addEventListener("click", () => {
      state.page += 1; loadTable().catch(reportError);
    });
    for (const b of document.querySelectorAll("button.sort")) {
      b.addEventListener("click", () => {
        const key = b.dataset.sort;
        state.sort = state.sort === "-" + key ? key : "-" + key;
        state.page = 1;
        loadTable().catch(reportError);
      });
    }
    setupBrush();
    setupReplayControls();
    state.map = await window.opsroomMap.create("map", { maxZoom: MAX_ZOOM });
    state.map.on("zoomend", () => { document.getElementById("map").dataset.zoom = String(state.map.getZoom()); });
    document.getElementById("map").dataset.zoom = String(state.map.getZoom());
    state.cluster = newCluster().addTo(state.map);
    // A folded legend gives its column back to the map, which must learn its new size.
    document.getElementById("legend").addEventListener("toggle", () => state.map.invalidateSize());
    await apply();
    document.body.dataset.ready = "1";
  }

  main();
})();
