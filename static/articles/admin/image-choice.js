// Shows the chosen library image below its choice in a change form, and the
// new one as soon as the editor picks another. Select2 announces a choice
// through jQuery's events, which addEventListener does not hear.
django.jQuery(document).on("change", ".image-choice select", async (event) => {
  const select = event.target
  const choice = select.closest(".image-choice")
  const preview = choice.querySelector(".image-choice__preview")
  const id = select.value
  if (!id) {
    preview.replaceChildren()
    return
  }
  const url = `${choice.dataset.thumbnailUrl}?${new URLSearchParams({ id })}`
  const response = await fetch(url, { credentials: "same-origin" })
  // A slower answer for an earlier choice must not replace the current one.
  if (response.ok && select.value === id) preview.innerHTML = await response.text()
})
