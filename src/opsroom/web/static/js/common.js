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

  return { API, TYPES, SUB_TYPES, colour, el, clear, showError, api, apiAll, query,
           actors, place, killed, hasCoords };
})();
