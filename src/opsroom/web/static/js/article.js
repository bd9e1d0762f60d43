/* One article: its metadata and address, its text with every sentence behind an event
   marked (with the event's number and who asserts or denies it), and its events. */
"use strict";

(function () {
  const { el, clear, api, colour, dateText, claimant, locate, urlLink, failPage } = window.opsroom;
  const id = document.getElementById("page").dataset.articleId;
  // Where the publication date was read (models.DateSource).
  const DATE_SOURCES = { given: "given with the article", text: "stated in the text",
                         caption: "from a photo caption", flag: "from the outlet's flag",
                         dateline: "from the dateline" };

  function field(dl, name, ...value) {
    if (!value.length || value[0] === null || value[0] === undefined || value[0] === "") return;
    dl.append(el("dt", { text: name }), el("dd", {}, ...value));
  }

  /* The marked stretches of the text: each source of this article located in it, and
     sources that overlap (two events told by one sentence) joined into one stretch. */
  function stretches(text, events, articleId) {
    const spans = [];
    events.forEach((ev, i) => {
      for (const src of ev.sources || []) {
        if (src.article_id !== articleId) continue;
        const at = locate(text, src);
        if (at) spans.push({ start: at[0], end: at[1], src, n: i + 1, ev });
      }
    });
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const out = [];
    for (const s of spans) {
      const last = out[out.length - 1];
      if (last && s.start < last.end) {
        last.end = Math.max(last.end, s.end);
        last.items.push(s);
      } else {
        out.push({ start: s.start, end: s.end, items: [s] });
      }
    }
    return out;
  }

  /* The note after a marked stretch: for each source, its event's number and claimant. */
  function note(items, link) {
    const box = el("span", { className: "hl-note" });
    const seen = new Set();
    for (const it of items) {
      const key = `${it.n}|${it.src.claimed_by}|${it.src.stance}`;
      if (seen.has(key)) continue;
      seen.add(key);
      box.append(el("span", { className: it.src.stance === "denies" ? "hl-claim denied" : "hl-claim" },
        el("a", { className: "ev-ref", href: `#event-${it.n}`, title: `event ${it.n}`, text: String(it.n) }),
        claimant(it.src, link)));
    }
    return box;
  }

  function renderText(text, events, articleId, link) {
    const box = clear(document.getElementById("article-text"));
    let at = 0;
    for (const s of stretches(text, events, articleId)) {
      box.append(text.slice(at, s.start));
      const denied = s.items.some((it) => it.src.stance === "denies");
      const mark = el("mark", { className: denied ? "hl hl-deny" : "hl",
                                dataset: { events: [...new Set(s.items.map((it) => it.n))].join(" ") } },
        text.slice(s.start, s.end));
      // An anchor for each source's own start, so the event page can point at it.
      const anchors = [...new Set(s.items.map((it) => it.src.start))]
        .map((start) => el("span", { className: "anchor", id: `src-${start}` }));
      box.append(...anchors, mark, note(s.items, link));
      at = s.end;
    }
    box.append(text.slice(at));
  }

  function eventItem(ev, n, link) {
    const sw = el("span", { className: "swatch" });
    sw.style.background = colour(ev.event_type);
    const when = dateText(ev.event_date, ev.date_precision);
    return el("li", { className: ev.background ? "article-event background" : "article-event", id: `event-${n}` },
      el("span", { className: "ev-ref", text: String(n) }),
      el("div", { className: "article-event-body" },
        el("a", { className: "event-link", href: `/events/${encodeURIComponent(ev.event_id)}` },
          sw, `${ev.sub_event_type || ev.event_type} — ${when}`),
        ev.actor1 || ev.actor2 ? el("div", {}, ...window.opsroom.actorsLinked(ev, link))
          : el("div", { className: "muted", text: "no actor named" }),
        el("div", { className: "muted", text: [window.opsroom.place(ev),
          ev.fatalities === null || ev.fatalities === undefined ? "no toll stated" : `killed ${window.opsroom.killed(ev)}`]
          .filter(Boolean).join(" · ") }),
        ev.background ? el("div", { className: "tag", text: "told as history" }) : null,
        ev.n_articles > 1 ? el("div", { className: "muted", text: `reported in ${ev.n_articles} articles` }) : null));
  }

  async function main() {
    try {
      const [article, events, link] = await Promise.all([
        api(`/articles/${encodeURIComponent(id)}`),
        api(`/articles/${encodeURIComponent(id)}/events`),
        window.opsroom.actorLinker(),
      ]);
      document.getElementById("article-title").textContent = article.title || "Untitled article";
      document.title = `${article.title || "Article"} · opsroom`;
      const dl = document.getElementById("article-fields");
      field(dl, "Outlet", article.source || "unknown");
      const whence = DATE_SOURCES[article.published_source];
      field(dl, "Published", article.published ? dateText(article.published, "day") : "date unknown",
            article.published && whence ? el("span", { className: "muted", text: ` (${whence})` }) : null);
      field(dl, "Authors", (article.authors || []).join(", "));
      field(dl, "Dateline", article.dateline);
      field(dl, "Address", article.url ? urlLink(article.url) : el("span", { className: "muted", text: "none recorded" }));
      field(dl, "Id", el("code", { text: article.id }));
      renderText(article.text || "", events, article.id, link);
      const captions = article.captions || [];
      if (captions.length) {
        document.getElementById("captions-section").hidden = false;
        const ul = document.getElementById("captions");
        for (const c of captions) ul.append(el("li", { text: c }));
      }
      document.getElementById("n-events").textContent = `(${events.length})`;
      const list = document.getElementById("article-events");
      events.forEach((ev, i) => list.append(eventItem(ev, i + 1, link)));
      if (!events.length) list.append(el("li", { className: "muted", text: "No event was found in this article." }));
      // The address may point at a marked sentence (#src-N): scroll to it now it exists.
      if (location.hash) {
        const target = document.getElementById(location.hash.slice(1));
        if (target) target.scrollIntoView({ block: "center" });
      }
    } catch (err) {
      failPage("article", err);
    }
    document.body.dataset.ready = "1";
  }

  main();
})();
