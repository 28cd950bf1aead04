/* The API documentation page: Swagger UI when it loads, the plain list otherwise. */
(function () {
  'use strict';
  window.addEventListener('DOMContentLoaded', function () {
    var node = document.getElementById('swagger-ui');
    if (!node || typeof window.SwaggerUIBundle !== 'function') return;
    node.hidden = false;
    window.SwaggerUIBundle({
      url: node.getAttribute('data-url'),
      domNode: node,
      // Deep links would put a link inside each operation's expand button (nested controls, tiny targets).
      deepLinking: false,
      // Reading only: calls that change things need credentials this page should not hold.
      supportedSubmitMethods: [],
      defaultModelsExpandDepth: 0,
    });
    var list = document.querySelector('[data-docs-fallback]');
    if (list) list.hidden = true;
  });
})();
