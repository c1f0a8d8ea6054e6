// Starts Swagger UI on /api/docs. A file of its own because the CSP forbids inline scripts.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/api/docs/json", dom_id: "#swagger-ui", deepLinking: true });
});
