// Picking a saved reply on a comment's admin page puts its text where the cursor is, in the
// reply box used last (the public reply, or the private answer), keeping what is typed.
(() => {
  const boxes = ["id_reply", "id_private_reply"];
  let lastBox = null;

  document.addEventListener("focusin", (event) => {
    if (boxes.includes(event.target.id)) lastBox = event.target;
  });

  document.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-saved-replies]");
    if (!select) return;
    const text = JSON.parse(select.dataset.savedReplies)[select.value];
    const box = lastBox || document.getElementById(boxes[0]);
    if (!box || !text) return;
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? start;
    const before = box.value.slice(0, start);
    const after = box.value.slice(end);
    const gap = before && !/\s$/.test(before) ? " " : "";
    const gapAfter = after && !/^\s/.test(after) ? " " : "";
    box.value = before + gap + text + gapAfter + after;
    const caret = (before + gap + text).length;
    box.focus();
    box.setSelectionRange(caret, caret);
    select.value = "";  // sent empty: the text is in the box now
  });
})();
