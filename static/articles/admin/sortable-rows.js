/*
 * Order the rows of an admin inline (class "sortable-rows") by dragging
 * them, or with their "Move up" / "Move down" buttons from the keyboard.
 * The rows' "order" fields follow their place, numbered from 1; a new row
 * comes last. Without JavaScript the order fields are typed as before.
 */
"use strict";
(function () {
  function rows(group) {
    return Array.from(
      group.querySelectorAll("tr.form-row, div.inline-related")
    ).filter(function (row) {
      return !row.classList.contains("empty-form") && row.querySelector("[name$='-order']");
    });
  }

  function renumber(group) {
    rows(group).forEach(function (row, index) {
      row.querySelector("[name$='-order']").value = String(index + 1);
    });
  }

  function moveButton(label, symbol, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sortable-rows__move";
    button.textContent = symbol;
    button.setAttribute("aria-label", label);
    button.title = label;
    button.addEventListener("click", onClick);
    return button;
  }

  function prepare(group, row) {
    if (row.dataset.sortable) {
      return;
    }
    row.dataset.sortable = "1";
    row.draggable = true;
    var order = row.querySelector("[name$='-order']");
    var controls = document.createElement("span");
    controls.className = "sortable-rows__controls";
    controls.appendChild(moveButton("Move up", "↑", function () {
      var list = rows(group);
      var index = list.indexOf(row);
      if (index > 0) {
        list[index - 1].before(row);
        renumber(group);
        this.focus();
      }
    }));
    controls.appendChild(moveButton("Move down", "↓", function () {
      var list = rows(group);
      var index = list.indexOf(row);
      if (index < list.length - 1) {
        list[index + 1].after(row);
        renumber(group);
        this.focus();
      }
    }));
    order.after(controls);
    row.addEventListener("dragstart", function (event) {
      group.dataset.dragging = "1";
      row.classList.add("sortable-rows__dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    row.addEventListener("dragend", function () {
      delete group.dataset.dragging;
      row.classList.remove("sortable-rows__dragging");
      renumber(group);
    });
    row.addEventListener("dragover", function (event) {
      var dragged = group.querySelector(".sortable-rows__dragging");
      if (!dragged || dragged === row) {
        return;
      }
      event.preventDefault();
      var box = row.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) {
        row.before(dragged);
      } else {
        row.after(dragged);
      }
    });
  }

  function setUp(group) {
    rows(group).forEach(function (row) {
      prepare(group, row);
    });
    if (rows(group).some(function (row) {
      return row.querySelector("[name$='-order']").value === "0";
    })) {
      renumber(group);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".sortable-rows").forEach(function (fieldset) {
      setUp(fieldset.closest(".inline-group") || fieldset);
    });
  });
  document.addEventListener("formset:added", function (event) {
    var group = event.target.closest(".inline-group");
    if (group && group.querySelector(".sortable-rows")) {
      prepare(group, event.target);
      renumber(group);
    }
  });
})();
