// Every page: on a phone the categories fold behind a "Menu" button. Loaded in the head,
// so the page is laid out folded from the start; without JavaScript the list shows open.
(() => {
  document.documentElement.classList.add("has-menu");
  document.addEventListener("DOMContentLoaded", () => {
    const button = document.querySelector(".site-menu-button");
    const nav = document.getElementById("site-nav");
    if (!button || !nav) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        nav.classList.remove("is-open");
        button.focus();
      }
    });
  });
})();
