/* Shared helpers of the dashboard pages. Data from the API is only ever written with
   textContent or as attribute values, never parsed as HTML. */
"use strict";

window.opsroom = (function () {
  const API = "/api/v1";

  // ACLED's six event types; colours picked to stay distinct for colour-blind readers
  // (Okabe–Ito palette).
  const TYPES = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#E69F00",
    "Violence against civilians": "#CC79A7",
    "Protests": "#56B4E9",
    "Riots": "#0072B2",
    "Strategic developments": "#009E73",
  };
  const SUB_TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
      "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Change to group/activity",
      "Disrupted weapons use", "Headquarters or base established",
      "Looting/property destruction", "Non-violent transfer of territory", "Other"],
  };
  const OTHER_COLOUR = "#777777";

  function colour(type) { return TYPES[type] || OTHER_COLOUR; }

  /* Build an element: attrs are set as attributes/properties, children are nodes or
     strings (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = String(v);
      else if (k === "className") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function showError(message) {
    const box = document.getElementById("error");
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v === null || v === undefined || v === "") continue;
      q.set(k, String(v));
    }
    const s = q.toString();
    return s ? "?" + s : "";
  }

  async function api(path, params, options) {
    const resp = await fetch(API + path + query(params), options || {});
    let body = null;
    const type = resp.headers.get("content-type") || "";
    if (type.includes("json")) body = await resp.json();
    if (!resp.ok) {
      let detail = body && body.detail;
      if (Array.isArray(detail)) detail = detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
      const err = new Error(`${resp.status}: ${detail || resp.statusText}`);
      err.status = resp.status;
      throw err;
    }
    return body;
  }

  /* Every page of a paginated list endpoint, up to `limit` items. */
  async function apiAll(path, params, limit) {
    const perPage = 500;
    const items = [];
    let total = 0;
    for (let page = 1; ; page++) {
      const body = await api(path, Object.assign({}, params, { page, per_page: perPage }));
      items.push(...body.items);
      total = body.total;
      if (!body.items.length || items.length >= total || items.length >= (limit || Infinity)) break;
    }
    return { items, total };
  }

  function actors(ev) {
    const names = [ev.actor1, ev.actor2].filter(Boolean);
    return names.join(" vs ");
  }

  function place(ev) {
    return [ev.location, ev.admin1, ev.country].filter((v, i, a) => v && a.indexOf(v) === i).join(", ");
  }

  function killed(ev) {
    if (ev.fatalities === null || ev.fatalities === undefined) return "—";
    const lo = ev.fatalities_low, hi = ev.fatalities_high;
    if (lo !== null && hi !== null && lo !== undefined && hi !== undefined && lo !== hi) {
      return `${ev.fatalities} (${lo}–${hi})`;
    }
    return String(ev.fatalities);
  }

  function hasCoords(ev) {
    return typeof ev.latitude === "number" && typeof ev.longitude === "number";
  }

  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"];

  /* A date at the precision it is known to: a year-only date is stored as its 1 January
     and a month-only one as the 1st, which must not read as that very day. */
  function dateText(date, precision) {
    if (!date) return "date unknown";
    const [year, month] = String(date).split("-");
    if (precision === "year") return year;
    if (precision === "month" && month) return `${MONTHS[Number(month) - 1]} ${year}`;
    if (precision === "week") return `week of ${date}`;
    return String(date);
  }

  /* "asserts" or "denies", as a badge; a denial stands out. */
  function stanceBadge(stance) {
    const s = stance || "asserts";
    return el("span", { className: `stance stance-${s === "denies" ? "deny" : "assert"}`,
                        text: s === "denies" ? "denies" : s });
  }

  /* "Claimed by X [asserts]": who stands behind a source sentence. */
  function claimant(src, link) {
    const who = src.claimed_by || "the reporting outlet";
    return el("span", { className: "claimant-line" },
      el("span", { className: "muted", text: "Claimed by " }),
      el("strong", {}, (src.claimed_by && link) ? link(src.claimed_by) : who), " ",
      stanceBadge(src.stance));
  }

  /* Where a source sentence stands in its article's text: its offsets when they hold the
     sentence, else the sentence's first occurrence; null when it is not there. */
  function locate(text, src) {
    const s = src.start, e = src.end;
    if (0 <= s && s < e && e <= text.length && text.slice(s, e).trim() === String(src.sentence).trim()) {
      return [s, e];
    }
    const at = text.indexOf(src.sentence);
    return at < 0 ? null : [at, at + src.sentence.length];
  }

  /* An article's address as a link target only when it is a web address: a stored
     "javascript:" or "data:" URL is shown as text, never followed. */
  function safeUrl(url) {
    if (!url) return null;
    try {
      const u = new URL(String(url));
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (err) {
      return null;
    }
  }

  /* A link out to an article's own address (new tab, no referrer), or its text. */
  function urlLink(url, label) {
    const href = safeUrl(url);
    if (!href) return el("span", { className: "url-text", text: String(url) });
    return el("a", { className: "out", href, target: "_blank", rel: "noopener noreferrer",
                     text: label || href });
  }

  let actorIds = null;
  /* Actor name → id, from the knowledge base, fetched once per page.  An event names its
     actors by their knowledge-base name; names the base does not know have no page. */
  function actorIndex() {
    if (!actorIds) {
      actorIds = api("/actors").then((list) => {
        const ids = new Map();
        for (const a of list) ids.set(a.name, a.id);
        return ids;
      }).catch(() => new Map());
    }
    return actorIds;
  }

  /* A function making an actor's name a link to its page, when it has one. */
  async function actorLinker() {
    const ids = await actorIndex();
    return (name) => {
      const id = ids.get(name);
      return id ? el("a", { className: "actor-link", href: `/actors/${encodeURIComponent(id)}`, text: name })
                : document.createTextNode(String(name));
    };
  }

  /* The two sides of an event, each linked to its actor's page. */
  function actorsLinked(ev, link) {
    const names = [ev.actor1, ev.actor2].filter(Boolean);
    const out = [];
    names.forEach((n, i) => { if (i) out.push(" vs "); out.push(link(n)); });
    return out.length ? out : ["—"];
  }

  /* Replace the page with a notice saying what could not be shown and the ways back. */
  function failPage(what, err) {
    const main = document.getElementById("page");
    const status = err && err.status;
    const message = status === 404 ? `There is no ${what} here: it may have been deleted.`
      : status === 401 ? `This server asks for an API token to read; the ${what} cannot be shown.`
      : status === 429 ? "Too many requests for now; wait a moment and reload."
      : `The ${what} could not be loaded (${err && err.message ? err.message : "no answer"}).`;
    clear(main).append(el("section", { className: "notice", id: "notice" },
      el("h1", { text: status === 404 ? "Not found" : `Cannot show this ${what}` }),
      el("p", { className: "notice-message", text: message }),
      el("ul", { className: "notice-links" },
        el("li", {}, el("a", { href: location.pathname + location.search, text: "Try again" })),
        el("li", {}, el("a", { href: "/", text: "Back to the events map" })))));
  }

  // Pages rendered whole on the server have nothing to load.
  document.addEventListener("DOMContentLoaded", () => {
    const page = document.getElementById("page");
    if (page && page.dataset.static) document.body.dataset.ready = "1";
  });

  return { API, TYPES, SUB_TYPES, colour, el, clear, showError, api, apiAll, query,
           actors, place, killed, hasCoords, dateText, stanceBadge, claimant, locate,
           safeUrl, urlLink, actorIndex, actorLinker, actorsLinked, failPage };
})();
