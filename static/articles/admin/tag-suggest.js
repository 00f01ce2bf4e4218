/*
 * Suggest existing tags while a tag is typed into a comma-separated tags
 * box: the part after the last comma is looked up, and choosing a
 * suggestion (click, or arrows and Enter) puts the tag's own spelling in
 * its place. Without JavaScript the box is typed as before, and the server
 * reuses a tag whatever its case.
 */
"use strict";
(function () {
  function setUp(input) {
    var list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "tag-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.after(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    var active = -1;
    var timer = null;

    function parts() {
      var value = input.value;
      var cut = value.lastIndexOf(",");
      return { before: value.slice(0, cut + 1), typed: value.slice(cut + 1).trim() };
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      var before = parts().before;
      input.value = (before ? before + " " : "") + name + ", ";
      close();
      input.focus();
    }

    function highlight(index) {
      var options = list.querySelectorAll("li");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
      }
    }

    function show(names) {
      list.textContent = "";
      names.forEach(function (name, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.textContent = name;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(name);
        });
        list.appendChild(option);
      });
      list.hidden = names.length === 0;
      input.setAttribute("aria-expanded", names.length ? "true" : "false");
      active = -1;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var typed = parts().typed;
      if (!typed) {
        close();
        return;
      }
      timer = setTimeout(function () {
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(typed), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
          .then(function (data) { show(data.tags); })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      var options = list.querySelectorAll("li");
      if (list.hidden || !options.length) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + options.length) % options.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(options[active].textContent);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url]").forEach(setUp);
  });
})();
