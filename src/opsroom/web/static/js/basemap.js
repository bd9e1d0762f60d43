/* The offline basemap: country outlines and Iraq's and Syria's provinces drawn as plain
   vector layers (no tile server). */
"use strict";

window.opsroomMap = (function () {
  const COUNTRY_STYLE = { color: "#8a8f98", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1,
                          className: "basemap basemap-country", interactive: false };
  const FOCUS_STYLE = { color: "#6b7079", weight: 1.4, fillColor: "#fffdf7", fillOpacity: 1,
                        className: "basemap basemap-country", interactive: false };
  const PROVINCE_STYLE = { color: "#b9b3a6", weight: 0.7, dashArray: "3 3", fill: false,
                           className: "basemap basemap-province" };
  const FOCUS = new Set(["Iraq", "Syria"]);
  // Iraq and Syria with a margin: the theatre the corpus reports on.
  const HOME = [[29.0, 35.5], [37.5, 48.8]];

  async function getJSON(url) {
    const resp = await fetch(url);
    if (!resp.ok) throw new Error(`${url}: ${resp.status}`);
    return resp.json();
  }

  /* A Leaflet map on `elementId` with the basemap loaded; resolves to the map. */
  async function create(elementId, options) {
    const map = L.map(elementId, Object.assign({
      zoomSnap: 0.25, preferCanvas: false, attributionControl: true, worldCopyJump: false,
    }, options || {}));
    map.fitBounds(HOME);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Boundaries: Natural Earth");
    map.createPane("basemap");
    map.getPane("basemap").style.zIndex = 200;
    try {
      const [countries, provinces] = await Promise.all([
        getJSON("/basemap/countries.geojson"),
        getJSON("/static/basemap/admin1.geojson"),
      ]);
      L.geoJSON(countries, {
        pane: "basemap",
        style: (f) => (FOCUS.has(f.properties.name) ? FOCUS_STYLE : COUNTRY_STYLE),
      }).addTo(map);
      L.geoJSON(provinces, {
        pane: "basemap", style: () => PROVINCE_STYLE,
        onEachFeature: (f, layer) => layer.bindTooltip(f.properties.name, { sticky: true }),
      }).addTo(map);
      const labels = L.layerGroup().addTo(map);
      for (const f of countries.features) {
        if (!FOCUS.has(f.properties.name)) continue;
        const c = L.geoJSON(f).getBounds().getCenter();
        labels.addLayer(L.marker(c, {
          interactive: false, keyboard: false,
          icon: L.divIcon({ className: "country-label", html: "", iconSize: null }),
        }).on("add", (e) => { e.target.getElement().textContent = f.properties.name; }));
      }
    } catch (err) {
      window.opsroom.showError("Basemap unavailable: " + err.message);
    }
    return map;
  }

  /* Circle radius in pixels for a fatality count: area grows with the count, so the
     radius with its square root; unknown counts get the smallest size. */
  function radius(fatalities) {
    const n = typeof fatalities === "number" && fatalities > 0 ? fatalities : 0;
    return Math.min(4 + 2.2 * Math.sqrt(n), 30);
  }

  return { create, radius, HOME };
})();
