// Click-to-load videos: the page loads nothing from the video site until the
// reader clicks. The player URL is built on the server from a checked id.
document.addEventListener("click", (event) => {
  const link = event.target.closest("figure.video-embed[data-player] > a");
  if (!link) return;
  event.preventDefault();
  const figure = link.parentElement;
  const iframe = document.createElement("iframe");
  iframe.src = figure.dataset.player;
  iframe.title = link.textContent;
  iframe.allow = "autoplay; fullscreen; picture-in-picture";
  iframe.allowFullscreen = true;
  iframe.loading = "lazy";
  link.replaceWith(iframe);
});
