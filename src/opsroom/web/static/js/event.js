/* One event: its fields, each source sentence highlighted inside its article, claims. */
"use strict";

(function () {
  const { el, clear, api, colour, showError } = window.opsroom;
  const id = document.getElementById("page").dataset.eventId;

  function field(dl, name, value) {
    if (value === null || value === undefined || value === "") return;
    dl.append(el("dt", { text: name }), el("dd", { text: String(value) }));
  }

  function stanceBadge(stance) {
    const s = stance || "asserts";
    return el("span", { className: `stance stance-${s === "denies" ? "deny" : "assert"}`,
                        text: s === "denies" ? "denies" : s });
  }

  function source(src) {
    const ctx = src.context || { before: "", match: src.sentence, after: "" };
    const quote = el("blockquote", { className: "context" },
      ctx.before || "",
      el("mark", { className: src.stance === "denies" ? "hl hl-deny" : "hl", text: ctx.match || src.sentence }),
      ctx.after || "");
    const who = el("p", { className: "claimant" },
      el("span", { className: "muted", text: "Claimed by " }),
      el("strong", { text: src.claimed_by || "the reporting outlet" }), " ", stanceBadge(src.stance));
    const title = src.article_title || src.article_id || "article";
    return el("li", { className: src.stance === "denies" ? "source denied" : "source" },
      el("h3", { className: "article-title", text: title }), who, quote);
  }

  async function main() {
    try {
      const ev = await api(`/events/${encodeURIComponent(id)}`);
      const head = document.getElementById("event-title");
      const sw = el("span", { className: "swatch big" });
      sw.style.background = colour(ev.event_type);
      clear(head).append(sw, `${ev.sub_event_type || ev.event_type || "Event"} — ${ev.event_date || "date unknown"}`);
      document.title = `${ev.sub_event_type || "Event"} · opsroom`;
      const dl = document.getElementById("event-fields");
      field(dl, "Type", ev.event_type);
      field(dl, "Sub-type", ev.sub_event_type);
      field(dl, "Date", ev.event_date && `${ev.event_date} (${ev.date_precision || "?"})`);
      field(dl, "Actor 1", ev.actor1);
      field(dl, "Actor 2", ev.actor2);
      field(dl, "Location", window.opsroom.place(ev));
      field(dl, "Geo precision", ev.geo_precision);
      field(dl, "Killed", window.opsroom.killed(ev));
      field(dl, "Injured", ev.injuries);
      field(dl, "Weapon", ev.weapon);
      field(dl, "Quantity", ev.quantity);
      if (ev.background) field(dl, "Background", "told as history");
      const edits = ev.edits || [];
      if (edits.length) {
        document.getElementById("edits-section").hidden = false;
        const body = document.querySelector("#edits tbody");
        const shown = (v) => (v === null || v === undefined ? "—" : String(v));
        for (const e of edits) {
          const status = el("td", { className: `edit-${e.status.replace(" ", "-")}`, text: e.status });
          if (e.reason) status.title = e.reason;
          body.append(el("tr", {},
            el("td", { text: e.field }), el("td", { text: shown(e.value) }),
            el("td", { className: "muted", text: shown(e.extracted) }), el("td", { text: e.by }),
            el("td", { text: e.at }), status));
          if (e.reason) body.append(el("tr", {}, el("td", { colspan: 6, className: "muted", text: e.reason })));
        }
      }
      const list = document.getElementById("sources");
      for (const src of ev.sources || []) list.append(source(src));
      if (!(ev.sources || []).length) list.append(el("li", { className: "muted", text: "No source recorded." }));
      const tbody = document.querySelector("#claims tbody");
      // Claims about a figure; a claim with no field only says who reported the event,
      // which the sources list already shows.
      const figures = (ev.claims || []).filter((c) => c.field);
      for (const c of figures) {
        tbody.append(el("tr", { className: c.stance === "denies" ? "denied" : "" },
          el("td", { text: c.field }), el("td", { className: "num", text: c.value === null ? "—" : String(c.value) }),
          el("td", { text: c.claimed_by || "—" }), el("td", {}, stanceBadge(c.stance))));
      }
      if (!figures.length) {
        tbody.append(el("tr", {}, el("td", { colspan: 4, className: "muted", text: "No figure claimed." })));
      }
      if (window.opsroom.hasCoords(ev)) {
        const map = await window.opsroomMap.create("event-map", { zoomControl: true });
        L.circleMarker([ev.latitude, ev.longitude], {
          radius: window.opsroomMap.radius(ev.fatalities), color: "#222", weight: 1,
          fillColor: colour(ev.event_type), fillOpacity: 0.8, className: "event-marker",
        }).addTo(map);
        map.setView([ev.latitude, ev.longitude], 6);
      } else {
        document.getElementById("event-map").hidden = true;
      }
    } catch (err) {
      showError(err.status === 404 ? "No such event." : err.message);
    }
    document.body.dataset.ready = "1";
  }

  main();
})();
