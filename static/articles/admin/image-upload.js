// Files dropped on an upload form are sent by that form, as if chosen in
// its file input: the server checks each one and the page that comes back
// names what was saved and what was refused, with or without this script.
for (const form of document.querySelectorAll(".image-upload")) {
  const input = form.querySelector("input[type=file]")
  const carriesFiles = (event) => event.dataTransfer?.types.includes("Files")

  form.addEventListener("dragover", (event) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = "copy"
    form.classList.add("image-upload--over")
  })
  form.addEventListener("dragleave", (event) => {
    if (!form.contains(event.relatedTarget)) form.classList.remove("image-upload--over")
  })
  form.addEventListener("drop", (event) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    form.classList.remove("image-upload--over")
    if (!event.dataTransfer.files.length) return
    input.files = event.dataTransfer.files
    form.requestSubmit()
  })
  // One upload at a time: a second click while the files travel would send them again.
  form.addEventListener("submit", (event) => {
    if (form.getAttribute("aria-busy") === "true") event.preventDefault()
    form.setAttribute("aria-busy", "true")
  })
  // Back to this page from the next, the form is free again.
  window.addEventListener("pageshow", () => form.removeAttribute("aria-busy"))
}
