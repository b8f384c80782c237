// The partner API's interactive documentation: Swagger UI on the app's own OpenAPI document.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: false, // its links sit inside the operations’ buttons (axe: nested-interactive)
    validatorUrl: null, // no badge fetched from outside
    defaultModelsExpandDepth: 0,
  });
});
