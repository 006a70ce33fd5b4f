// The library window opened by the article editor's "Browse…" button: clicking
// "Use this image" hands the image back to the editor's dialog and closes the window.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".image-picker__choose");
  if (!button) return;
  const picker = document.querySelector(".image-picker");
  const funcNum = picker.dataset.funcNum;
  const editor = window.opener && window.opener.CKEDITOR;
  if (!editor || !funcNum) {
    button.textContent = "Open this window from the article editor to place the image";
    return;
  }
  editor.tools.callFunction(Number(funcNum), button.dataset.url, {
    id: button.dataset.id,
    alternative_text: button.dataset.alt,
    caption: button.dataset.caption,
  });
  window.close();
});
