// The image library's focal point: clicking the preview sets focal x and y
// (fractions of the width and height) and moves the marker.
document.addEventListener("click", (event) => {
  const picture = event.target.closest(".focal-point img");
  if (!picture) return;
  const box = picture.getBoundingClientRect();
  const x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
  const y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
  document.getElementById("id_focal_x").value = x.toFixed(3);
  document.getElementById("id_focal_y").value = y.toFixed(3);
  const marker = picture.parentElement.querySelector(".focal-point__marker");
  marker.style.left = `${(x * 100).toFixed(2)}%`;
  marker.style.top = `${(y * 100).toFixed(2)}%`;
});
