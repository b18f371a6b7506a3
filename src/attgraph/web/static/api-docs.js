// The API page: Swagger UI over this service's OpenAPI document, with nothing fetched from another host (no
// validator badge, no remote configuration).
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  if (!holder || typeof SwaggerUIBundle !== "function") { return; }
  SwaggerUIBundle({
    url: holder.getAttribute("data-spec"),
    domNode: holder,
    validatorUrl: null,
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    queryConfigEnabled: false,
    syntaxHighlight: { activated: false },
  });
}());
