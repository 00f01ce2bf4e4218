// The publish button says "Schedule" while the publish date typed is still
// to come, as the save will then schedule (the form opens with the label of
// the stored date: articles/admin/publishing_buttons.py). The date is the
// site's time, as the form's fields are.
"use strict";
(function () {
  function typedMoment(dateField, timeField) {
    const day = dateField.value.trim().strptime(get_format("DATE_INPUT_FORMATS")[0]);
    const [hours, minutes, seconds] = (timeField.value.trim() || "0").split(":").map(Number);
    // Today's offset of the site's zone: a date across a daylight-saving
    // change moves the label an hour early or late, never the save.
    const siteOffset = Number(document.body.dataset.adminUtcOffset || 0);
    return day.getTime() + ((hours || 0) * 3600 + (minutes || 0) * 60 + (seconds || 0) - siteOffset) * 1000;
  }

  function start() {
    const buttons = document.querySelectorAll("input[name=_publish][data-schedule-label]");
    const dateField = document.getElementById("id_published_at_0");
    const timeField = document.getElementById("id_published_at_1");
    if (!buttons.length || !dateField || !timeField) return;
    function update() {
      const moment = typedMoment(dateField, timeField);
      if (Number.isNaN(moment)) return;
      for (const button of buttons) {
        button.value = moment > Date.now() ? button.dataset.scheduleLabel : button.dataset.publishLabel;
      }
    }
    // The calendar and clock shortcuts set the fields without an event.
    for (const type of ["input", "change", "click"]) {
      dateField.form.addEventListener(type, update);
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
