// A live search-result preview of the SEO title and meta description as the
// editor types. Progressive: the analysis itself is server-rendered on save.
"use strict";
(function () {
  const TITLE_MAX = 60;
  const DESCRIPTION_MAX = 160;

  function cut(text, max) {
    text = text.replace(/\s+/g, " ").trim();
    if (text.length <= max) return text;
    const head = text.slice(0, max - 1);
    return head.slice(0, head.lastIndexOf(" ") > 0 ? head.lastIndexOf(" ") : head.length) + "…";
  }

  function start() {
    const preview = document.querySelector(".seo-preview");
    if (!preview) return;
    const fields = {
      title: document.getElementById("id_title"),
      seoTitle: document.getElementById("id_seo_title"),
      description: document.getElementById("id_meta_description"),
    };
    const titleOut = preview.querySelector(".seo-preview__title");
    const descriptionOut = preview.querySelector(".seo-preview__description");
    function update() {
      const title = (fields.seoTitle && fields.seoTitle.value) || (fields.title && fields.title.value) || "";
      titleOut.textContent = cut(title, TITLE_MAX) + " (" + title.length + ")";
      const description = fields.description ? fields.description.value : "";
      descriptionOut.textContent = description ? cut(description, DESCRIPTION_MAX) + " (" + description.length + ")" : "";
    }
    Object.values(fields).forEach(function (field) {
      if (field) field.addEventListener("input", update);
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
