// The SEO panel follows the form as the editor types: a search-result
// preview of the SEO title and meta description at once, and, shortly after
// the typing stops, the server's analysis of the form as it is (posted to
// the panel's data-analysis-url, which stores nothing).
"use strict";
(function () {
  const TITLE_MAX = 60;
  const DESCRIPTION_MAX = 160;
  // Long enough not to ask on every keystroke, short enough to feel live.
  const ANALYSIS_DELAY_MS = 600;

  function cut(text, max) {
    text = text.replace(/\s+/g, " ").trim();
    if (text.length <= max) return text;
    const head = text.slice(0, max - 1);
    return head.slice(0, head.lastIndexOf(" ") > 0 ? head.lastIndexOf(" ") : head.length) + "…";
  }

  function startPreview(preview) {
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

  function showAnalysis(panel, analysis) {
    panel.querySelector(".seo-panel__score strong").textContent = analysis.score;
    const list = panel.querySelector(".seo-checks");
    list.replaceChildren(...analysis.checks.map(function (check) {
      const item = document.createElement("li");
      item.className = "seo-check seo-check--" + check.status;
      item.dataset.key = check.key;
      const status = document.createElement("span");
      status.className = "seo-check__status";
      status.textContent = check.status_label;
      const label = document.createElement("strong");
      label.textContent = check.label;
      item.append(status, " ", label, ": " + check.message);
      return item;
    }));
  }

  function startAnalysis(panel) {
    const form = panel.closest("form");
    if (!form) return;
    let timer = null;
    let asking = null;
    let sent = null;
    async function analyse() {
      const data = new FormData(form);
      const body = new URLSearchParams(data).toString();
      if (body === sent) return;
      if (asking) asking.abort();
      const controller = (asking = new AbortController());
      panel.setAttribute("aria-busy", "true");
      try {
        const response = await fetch(panel.dataset.analysisUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok) return;
        showAnalysis(panel, await response.json());
        sent = body;
      } catch (error) {
        // Aborted by newer typing, or offline for a moment: the next input asks again.
      } finally {
        if (asking === controller) panel.removeAttribute("aria-busy");
      }
    }
    function later() {
      clearTimeout(timer);
      timer = setTimeout(analyse, ANALYSIS_DELAY_MS);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    if (!panel.querySelector(".seo-check")) analyse();
  }

  function start() {
    const panel = document.querySelector(".seo-panel[data-analysis-url]");
    if (!panel) return;
    startPreview(panel.querySelector(".seo-preview"));
    startAnalysis(panel);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
