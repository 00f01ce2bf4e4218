// Hands the chosen library image back to the prose editor that opened this
// window, through the CKEditor-style callback its Figure extension installs.
document.addEventListener("click", (event) => {
  const choice = event.target.closest(".image-picker__choice")
  if (!choice) return
  const callback = choice.closest(".image-picker").dataset.callback
  window.opener.CKEDITOR.tools.callFunction(callback, choice.dataset.url, {
    id: choice.dataset.id,
    alternative_text: choice.dataset.alt,
    caption: choice.dataset.caption,
  })
  window.close()
})
