// "Reply" moves the comment form under the comment being answered. Without JavaScript the
// same link reloads the page with the form addressed to that comment, so this is optional.
(() => {
  const form = document.getElementById("comment-form");
  if (!form) return;
  const home = document.createComment("comment-form-home");
  form.before(home);
  const parentInput = form.querySelector("input[name=parent]");
  const replying = form.querySelector("[data-replying]");
  const replyingName = form.querySelector("[data-replying-name]");

  function replyTo(link) {
    const comment = link.closest(".comment");
    comment.querySelector(".comment__box").after(form);
    parentInput.value = link.dataset.replyTo;
    replyingName.textContent = link.dataset.replyName;
    replying.hidden = false;
    form.querySelector("textarea").focus();
  }

  function cancel() {
    home.after(form);
    parentInput.value = "";
    replying.hidden = true;
    form.focus();
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest(".comment__reply");
    if (link) {
      event.preventDefault();
      replyTo(link);
      return;
    }
    if (event.target.closest("[data-cancel-reply]")) {
      event.preventDefault();
      cancel();
    }
  });
})();
