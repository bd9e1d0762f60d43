/* One event: its fields, each source sentence highlighted inside its article (linked to
   the article's page and its own address), claims; actors linked to their pages. */
"use strict";

(function () {
  const { el, clear, api, colour, dateText, stanceBadge, claimant, urlLink, failPage } = window.opsroom;
  const id = document.getElementById("page").dataset.eventId;

  function field(dl, name, value) {
    if (value === null || value === undefined || value === "") return;
    const dd = el("dd", {});
    if (value instanceof Node || Array.isArray(value)) dd.append(...[value].flat());
    else dd.textContent = String(value);
    dl.append(el("dt", { text: name }), dd);
  }

  /* What the source's article is: its page, its outlet and date, its own address. */
  function articleLine(src, meta) {
    const title = src.article_title || (meta && meta.title) || src.article_id || "article";
    const parts = [el("a", { className: "article-link",
                             href: `/articles/${encodeURIComponent(src.article_id)}#src-${src.start}`,
                             text: title })];
    if (meta) {
      const about = [meta.source, meta.published].filter(Boolean).join(", ");
      if (about) parts.push(el("span", { className: "muted", text: ` — ${about}` }));
      if (meta.url) parts.push(" ", urlLink(meta.url, "original ↗"));
    }
    return el("h3", { className: "article-title" }, parts);
  }

  function source(src, meta, link) {
    const ctx = src.context || { before: "", match: src.sentence, after: "" };
    const quote = el("blockquote", { className: "context" },
      ctx.before || "",
      el("mark", { className: src.stance === "denies" ? "hl hl-deny" : "hl", text: ctx.match || src.sentence }),
      ctx.after || "");
    const who = el("p", { className: "claimant" }, claimant(src, link));
    return el("li", { className: src.stance === "denies" ? "source denied" : "source" },
      articleLine(src, meta), who, quote);
  }

  /* Each source article's metadata (outlet, date, address); one missing is left out. */
  async function articlesOf(sources) {
    const ids = [...new Set(sources.map((s) => s.article_id))];
    const found = await Promise.all(ids.map((a) =>
      api(`/articles/${encodeURIComponent(a)}`).catch(() => null)));
    return new Map(ids.map((a, i) => [a, found[i]]));
  }

  async function main() {
    try {
      const ev = await api(`/events/${encodeURIComponent(id)}`);
      const sources = ev.sources || [];
      const [link, articles] = await Promise.all([window.opsroom.actorLinker(), articlesOf(sources)]);
      const when = dateText(ev.event_date, ev.date_precision);
      const head = document.getElementById("event-title");
      const sw = el("span", { className: "swatch big" });
      sw.style.background = colour(ev.event_type);
      clear(head).append(sw, `${ev.sub_event_type || ev.event_type || "Event"} — ${when}`);
      document.title = `${ev.sub_event_type || "Event"} · opsroom`;
      const dl = document.getElementById("event-fields");
      field(dl, "Type", ev.event_type);
      field(dl, "Sub-type", ev.sub_event_type);
      if (ev.event_date) {
        field(dl, "Date", [el("span", { id: "event-date", text: when }),
          el("span", { className: "muted", text: ` (known to the ${ev.date_precision || "day"})` }),
          ev.date_reason ? el("div", { className: "muted reason", text: ev.date_reason }) : null]
          .filter(Boolean));
      } else {
        field(dl, "Date", when);
      }
      for (const [label, key] of [["Actor 1", "actor1"], ["Actor 2", "actor2"],
                                  ["With actor 1", "assoc_actor_1"], ["With actor 2", "assoc_actor_2"]]) {
        if (ev[key]) field(dl, label, link(ev[key]));
      }
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
      for (const src of sources) list.append(source(src, articles.get(src.article_id), link));
      if (!sources.length) list.append(el("li", { className: "muted", text: "No source recorded." }));
      const tbody = document.querySelector("#claims tbody");
      // Claims about a figure; a claim with no field only says who reported the event,
      // which the sources list already shows.
      const figures = (ev.claims || []).filter((c) => c.field);
      for (const c of figures) {
        tbody.append(el("tr", { className: c.stance === "denies" ? "denied" : "" },
          el("td", { text: c.field }), el("td", { className: "num", text: c.value === null ? "—" : String(c.value) }),
          el("td", {}, c.claimed_by ? link(c.claimed_by) : "—"), el("td", {}, stanceBadge(c.stance))));
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
      failPage("event", err);
    }
    document.body.dataset.ready = "1";
  }

  main();
})();
