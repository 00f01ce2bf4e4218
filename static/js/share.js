// "Copy link": shown only where the clipboard can be written; the e-mail and
// WhatsApp links work without this script and load nothing from elsewhere.
for (const button of document.querySelectorAll("button.share__copy")) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(button.dataset.url);
    button.textContent = button.dataset.copied;
  });
}
