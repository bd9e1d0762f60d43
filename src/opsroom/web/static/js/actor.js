/* One actor: aliases, relations (from the knowledge base and stated in text), events. */
"use strict";

(function () {
  const { el, api, dateText, failPage } = window.opsroom;
  const id = document.getElementById("page").dataset.actorId;

  const pick = (obj, ...keys) => { for (const k of keys) if (obj && obj[k] != null && obj[k] !== "") return obj[k]; return null; };

  function relationRow(r) {
    const other = pick(r, "object_name", "object", "target", "other", "name", "to");
    const otherId = pick(r, "object_id", "target_id", "other_id");
    const evidence = pick(r, "sentence", "evidence");
    const cell = otherId
      ? el("a", { href: `/actors/${encodeURIComponent(otherId)}`, text: String(other || otherId) })
      : String(other || "—");
    return el("tr", {},
      el("td", { text: String(pick(r, "predicate", "relation", "kind", "type") || "") }),
      el("td", {}, cell),
      el("td", {}, evidence ? el("span", {}, el("q", { text: String(evidence) }),
          r.article_id ? el("span", { className: "muted" }, " — ",
            el("a", { href: `/articles/${encodeURIComponent(r.article_id)}`, text: r.article || "article" }))
            : r.article ? el("span", { className: "muted", text: ` — ${r.article}` }) : null)
        : el("span", { className: "muted", text: pick(r, "origin", "source") === "text" ? "stated in text" : "knowledge base" })));
  }

  async function main() {
    try {
      const a = await api(`/actors/${encodeURIComponent(id)}`);
      const actor = a.actor || a;
      document.getElementById("actor-name").textContent = actor.name || id;
      document.title = `${actor.name || "Actor"} · opsroom`;
      const dl = document.getElementById("actor-fields");
      for (const [label, key] of [["Kind", "kind"], ["Country", "country"], ["Events", "event_count"]]) {
        const v = pick(actor, key) ?? pick(a, key);
        if (v != null) dl.append(el("dt", { text: label }), el("dd", { text: String(v) }));
      }
      const aliases = document.getElementById("aliases");
      for (const alias of actor.aliases || a.aliases || []) aliases.append(el("li", { text: String(alias) }));
      if (!aliases.children.length) aliases.append(el("li", { className: "muted", text: "none recorded" }));
      const rel = document.querySelector("#relations tbody");
      // Relations name actors by id: the actor list gives their display names.
      const names = new Map();
      try {
        for (const other of await api("/actors")) names.set(other.id, other.name);
      } catch (err) { /* names stay ids: still readable, still linked */ }
      const linkTo = (ref) => ({ object: names.get(ref) || ref, object_id: ref });
      const pretty = (p) => String(p).replace(/_/g, " ");
      const INVERSE = { part_of: "has part", backed_by: "backs", allied_with: "allied with" };
      let n = 0;
      for (const [pred, refs] of Object.entries(a.relations || {})) {
        for (const ref of refs || []) {
          rel.append(relationRow(Object.assign({ predicate: pretty(pred), origin: "kb" }, linkTo(ref))));
          n++;
        }
      }
      for (const [pred, refs] of Object.entries(a.related_by || {})) {
        for (const ref of refs || []) {
          rel.append(relationRow(Object.assign({ predicate: INVERSE[pred] || `${pretty(pred)} (inverse)`,
                                                 origin: "kb" }, linkTo(ref))));
          n++;
        }
      }
      for (const r of a.stated_relations || []) {
        const mine = r.subject === actor.id;
        const other = mine ? r.object : r.subject;
        rel.append(relationRow(Object.assign({
          predicate: mine ? pretty(r.predicate) : `${INVERSE[r.predicate] || pretty(r.predicate) + " (inverse)"}`,
          sentence: r.sentence, article: r.article_title, article_id: r.article_id, origin: "text" },
          linkTo(other))));
        n++;
      }
      if (!n) rel.append(el("tr", {}, el("td", { colspan: 3, className: "muted", text: "No relation recorded." })));
      const evBody = document.querySelector("#actor-events tbody");
      const events = a.events || a.recent_events || [];
      const link = await window.opsroom.actorLinker();
      // This actor's own name stays text: the other side is the one worth following.
      const linkOthers = (name) => (name === actor.name ? el("strong", { text: name }) : link(name));
      for (const ev of events) {
        const href = `/events/${encodeURIComponent(ev.event_id)}`;
        evBody.append(el("tr", { className: ev.background ? "background" : "" },
          el("td", { className: "date" }, el("a", { href, text: dateText(ev.event_date, ev.date_precision) })),
          el("td", {}, el("a", { href, text: ev.sub_event_type || ev.event_type || "event" }),
            ev.background ? el("span", { className: "tag", text: "history" }) : null),
          el("td", {}, ...window.opsroom.actorsLinked(ev, linkOthers)),
          el("td", { text: window.opsroom.place(ev) }),
          el("td", { className: "num", text: window.opsroom.killed(ev) })));
      }
      if (!events.length) evBody.append(el("tr", {}, el("td", { colspan: 5, className: "muted", text: "No event recorded." })));
      const note = document.getElementById("actor-events-note");
      const all = el("a", { href: `/${window.opsroom.query({ actor: actor.name })}`, text: "all of them on the map" });
      if (events.length && (a.event_count || 0) > events.length) {
        note.append(`The ${events.length} latest of ${a.event_count} events; `, all, ".");
      } else if (events.length) {
        note.append(`${events.length} event${events.length === 1 ? "" : "s"}, latest first; `, all, ".");
      }
    } catch (err) {
      failPage("actor", err);
    }
    document.body.dataset.ready = "1";
  }

  main();
})();
