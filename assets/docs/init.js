// Starts Swagger UI over the API's own OpenAPI document. Kept out of the page so the page
// needs no inline script (it works under a strict Content-Security-Policy).
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#ui",
  deepLinking: true,
  // No call to the public validator service: every request of the page stays same-origin.
  validatorUrl: null,
});
