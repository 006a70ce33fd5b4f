// Picking a saved reply on a comment's admin page fills the reply box, ready to adjust.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-saved-replies]");
  if (!select) return;
  const bodies = JSON.parse(select.dataset.savedReplies);
  const box = document.getElementById("id_reply");
  if (box && bodies[select.value]) {
    box.value = bodies[select.value];
    box.focus();
  }
});
