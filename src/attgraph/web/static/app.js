// attgraph pages: small conveniences only; every page works without this file.
(function () {
  "use strict";
  var text = document.getElementById("query-text");
  var form = document.getElementById("query-form");
  if (text && form) {
    text.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        form.submit();
      }
    });
  }
})();
