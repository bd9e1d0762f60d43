/* Who held what on a chosen date: the API's changes of control, replayed up to the
   slider's date; the latest change for each place gives its holder. */
"use strict";

(function () {
  const { el, clear, api, showError, dateText } = window.opsroom;
  const form = document.getElementById("control-form");
  const slider = document.getElementById("slider");
  const state = { changes: [], dates: [], map: null, layer: null };
  const DAY = 86400000;

  // Distinct colours per holder, assigned in order of first appearance.
  const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
  const holderColour = new Map();
  function colourOf(holder) {
    if (holder === "?") return "#9a9a9a"; // a place lost with no known taker
    if (!holderColour.has(holder)) holderColour.set(holder, PALETTE[holderColour.size % PALETTE.length]);
    return holderColour.get(holder);
  }

  /* One change of control from the API (opsroom.analysis.ControlChange). */
  function normalise(c) {
    const ev = (c.evidence || [])[0] || {};
    return {
      place: c.place, holder: c.gained_by, previous: c.lost_by, date: c.date,
      precision: c.date_precision, lat: c.latitude, lon: c.longitude,
      sentence: ev.sentence || null, claimedBy: ev.claimed_by || null, event_id: c.event_id,
    };
  }

  async function load() {
    showError("");
    try {
      const body = await api("/control/changes", { country: form.elements.country.value.trim() });
      const items = body.items || [];
      state.changes = items.map(normalise).filter((c) => c.place && c.date)
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      // The slider moves a day at a time from the first recorded change to the last.
      const dated = state.changes.map((c) => Date.parse(c.date + "T00:00:00Z"));
      state.first = dated.length ? Math.min(...dated) : null;
      const days = dated.length ? Math.round((Math.max(...dated) - state.first) / DAY) : 0;
      state.dates = dated.length ? Array.from({ length: days + 1 },
        (_, i) => new Date(state.first + i * DAY).toISOString().slice(0, 10)) : [];
      slider.max = String(Math.max(0, state.dates.length - 1));
      slider.value = slider.max;
      slider.disabled = !state.dates.length;
      render();
    } catch (err) {
      showError(err.message);
    }
    document.body.dataset.ready = "1";
  }

  function render() {
    const on = state.dates[Number(slider.value)] || "";
    document.getElementById("on-date").textContent = on || "no recorded change";
    document.getElementById("on-date-2").textContent = on || "—";
    const latest = new Map();
    for (const c of state.changes) if (c.date <= on) latest.set(c.place, c);
    const tbody = clear(document.querySelector("#holders tbody"));
    state.layer.clearLayers();
    for (const c of [...latest.values()].sort((a, b) => a.place.localeCompare(b.place))) {
      const sw = el("span", { className: "swatch" });
      sw.style.background = colourOf(c.holder || "?");
      const evidence = c.event_id
        ? el("a", { href: `/events/${encodeURIComponent(c.event_id)}`, text: c.sentence || "event" })
        : el("span", { text: c.sentence || "" });
      tbody.append(el("tr", {}, el("td", { text: c.place }),
        el("td", {}, sw, c.holder || "unknown",
          c.previous ? el("div", { className: "muted", text: `from ${c.previous}` }) : null),
        el("td", { className: "date", text: dateText(c.date, c.precision) }),
        el("td", { className: "evidence" }, evidence,
          c.claimedBy ? el("div", { className: "muted", text: `— ${c.claimedBy}` }) : null)));
      if (typeof c.lat === "number" && typeof c.lon === "number") {
        L.circleMarker([c.lat, c.lon], { radius: 8, color: "#222", weight: 1,
          fillColor: colourOf(c.holder || "?"), fillOpacity: 0.85, className: "control-marker" })
          .bindTooltip(`${c.place}: ${c.holder || "unknown"} since ${dateText(c.date, c.precision)}`)
          .addTo(state.layer);
      }
    }
    document.getElementById("control-empty").hidden = latest.size > 0;
  }

  async function main() {
    state.map = await window.opsroomMap.create("control-map");
    state.layer = L.featureGroup().addTo(state.map);
    slider.addEventListener("input", render);
    form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
    form.elements.country.addEventListener("change", load);
    await load();
  }

  main();
})();
