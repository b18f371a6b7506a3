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

  // The picker of a named query's IRI parameter: as one types, the resources of the parameter's class whose
  // names match (GET /api/complete), to choose with the mouse or the arrow keys and Enter. Options are built
  // with textContent only: nothing from the data is ever parsed as HTML.
  function picker(box) {
    var input = box.querySelector("input");
    var list = box.querySelector("ul.options");
    var picked = box.querySelector(".picked");
    var url = box.getAttribute("data-complete");
    var classes = (box.getAttribute("data-classes") || "").split(" ").filter(Boolean);
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(item) {
      input.value = item.value;
      picked.textContent = item.labelZh && item.labelZh !== item.label ? item.label + " · " + item.labelZh
        : item.label || item.labelZh || "";
      input.removeAttribute("aria-invalid");
      close();
    }

    function highlight(index) {
      var options = list.querySelectorAll("li[role=option]");
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({block: "nearest"});
      }
    }

    function show(found) {
      items = found;
      list.textContent = "";
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "empty";
        none.textContent = "Nothing found · 未找到";
        list.appendChild(none);
      }
      found.forEach(function (item, index) {
        var option = document.createElement("li");
        option.setAttribute("role", "option");
        option.id = input.id + "-option-" + index;
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.className = "label";
        label.textContent = item.labelZh && item.labelZh !== item.label ? item.label + " · " + item.labelZh
          : item.label || item.labelZh || item.value;
        var note = document.createElement("span");
        note.className = "note";
        note.textContent = (item.typeLabel ? item.typeLabel + " · " : "") + item.value;
        option.appendChild(label);
        option.appendChild(note);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the field
          choose(item);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function ask() {
      var params = new URLSearchParams();
      params.set("q", input.value);
      classes.forEach(function (cls) { params.append("class", cls); });
      params.set("limit", "12");
      var number = ++asked;
      fetch(url + "?" + params.toString(), {headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {items: []}; })
        .then(function (body) { if (number === asked && document.activeElement === input) { show(body.items); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      picked.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("focus", function () { if (!input.value) { ask(); } });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown") { ask(); event.preventDefault(); }
        return;
      }
      if (event.key === "ArrowDown") {
        highlight(Math.min(active + 1, items.length - 1));
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        highlight(Math.max(active - 1, 0));
        event.preventDefault();
      } else if (event.key === "Enter" && active >= 0) {
        choose(items[active]);
        event.preventDefault();
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  var boxes = document.querySelectorAll(".picker[data-complete]");
  for (var i = 0; i < boxes.length; i++) {
    picker(boxes[i]);
  }
})();
