/* The API's interactive docs (/docs): Swagger UI on this server's own OpenAPI document.
 * Replaces the package's swagger-initializer.js (which points at a public demo), as
 * Swagger UI's docs say to.  A file, not an inline script: the pages' Content-Security-
 * Policy allows scripts from this server only.  validatorUrl null: the default would
 * send the document to validator.swagger.io; nothing here leaves the machine. */
window.addEventListener("load", function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
    tryItOutEnabled: false,
  });
});
