// Posts the article form every few seconds while it changes, so that a
// crash or a closed tab loses nothing (see articles/autosave.py).
const form = document.getElementById("article_form")
const url = document.getElementById("article-autosave")?.dataset.url
if (form && url) {
  let last = new URLSearchParams(new FormData(form)).toString()
  setInterval(async () => {
    const data = new FormData(form)
    const current = new URLSearchParams(data).toString()
    if (current === last) return
    try {
      const response = await fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      if (response.ok) last = current
    } catch {
      // Offline for a moment: the next tick tries again.
    }
  }, 5000)
}
