/*
 * Find the text to link as a translation by its title: what is typed is
 * looked up among the texts of the other languages that may join this
 * one's group, and choosing one (click, or arrows and Enter) puts its id
 * in the hidden field that "Link as a translation" sends. Enter never
 * submits the change form from this box.
 */
"use strict";
(function () {
  function setUp(input) {
    var chosen = document.getElementById(input.dataset.chosen);
    var list = document.createElement("ul");
    list.id = input.id + "-results";
    list.className = "translation-search__results";
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
    var asked = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function describe(text) {
      return text.title + " (" + text.language + ", " + text.status + ")";
    }

    function choose(text) {
      chosen.value = text.id;
      input.value = describe(text);
      close();
    }

    function highlight(index) {
      var options = list.querySelectorAll("li[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
      }
    }

    function show(texts) {
      list.textContent = "";
      texts.forEach(function (text, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.textContent = describe(text);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(text);
        });
        option.chosenText = text;
        list.appendChild(option);
      });
      if (!texts.length) {
        var none = document.createElement("li");
        none.className = "translation-search__none";
        none.textContent = input.dataset.none;
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", texts.length ? "true" : "false");
      active = -1;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      chosen.value = "";
      var typed = input.value.trim();
      if (!typed) {
        close();
        return;
      }
      timer = setTimeout(function () {
        var ask = ++asked;
        fetch(input.dataset.candidatesUrl + "?q=" + encodeURIComponent(typed), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            // An answer to an earlier question, overtaken by later typing.
            if (ask === asked) {
              show(data.results);
            }
          })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // Enter in a box of the change form would save the whole form.
        event.preventDefault();
      }
      var options = list.querySelectorAll("li[role=option]");
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
        choose(options[active].chosenText);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-candidates-url]").forEach(setUp);
  });
})();
