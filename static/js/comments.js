// The comment form's helpers. Without JavaScript the form works as it is: "Reply" reloads
// the page with the form addressed to that comment, and the server explains any error.
(() => {
  const section = document.getElementById("comments");

  // A link to a comment that is on another page of the conversation (an old link, or
  // one made before newer comments moved it): its permalink knows the page.
  // Once only: if the permalink leads back here without it (the comment is no longer
  // public), the page stays as it is.
  const LOOKED_FOR = "alsblog.comment-looked-for";
  const wanted = /^#comment-(\d+)$/.exec(window.location.hash);
  if (section && wanted) {
    let lookedFor = wanted[1]; // without sessionStorage, never risk a loop
    try {
      lookedFor = window.sessionStorage.getItem(LOOKED_FOR);
      window.sessionStorage.removeItem(LOOKED_FOR);
    } catch {
      // keep lookedFor: no second look
    }
    if (!document.getElementById(`comment-${wanted[1]}`) && lookedFor !== wanted[1]) {
      try {
        window.sessionStorage.setItem(LOOKED_FOR, wanted[1]);
      } catch {
        // the permalink's page will not look again: nothing is stored to say it may
      }
      window.location.replace(section.dataset.permalink.replace(/0\/$/, `${wanted[1]}/`));
      return;
    }
  }

  // Help for a reader whose comment a flag category holds (the distress category's tells
  // them how to reach someone now) takes the focus as it first appears, so that a screen
  // reader reads it out: just after their comment is posted, or when it came back unsent.
  // Again once the page has loaded (the browser moves to the #comment target then), unless
  // the reader has moved on.
  const accepted = document.querySelector("[data-comment-accepted]");
  const help =
    document.querySelector("[data-help-now-focus]") ||
    (accepted && wanted && document.getElementById(`help-now-${wanted[1]}`));
  // Its top is brought to the top of the screen: it may be taller than a phone's screen.
  const showHelp = () => {
    help.focus({ preventScroll: true });
    help.scrollIntoView({ block: "start", behavior: "instant" });
  };
  if (help) {
    showHelp();
    window.addEventListener("load", () =>
      window.setTimeout(() => {
        const at = document.activeElement;
        if (at === document.body || at === help || !at.closest("a, button, input, textarea")) {
          showHelp();
        }
      }, 0),
    );
  }

  const form = document.getElementById("comment-form");
  if (!form) return;
  const fields = form.querySelector("form");
  const body = form.querySelector("textarea[data-draft]");
  const parentInput = form.querySelector("input[name=parent]");
  const replying = form.querySelector("[data-replying]");
  const replyingName = form.querySelector("[data-replying-name]");
  const restored = form.querySelector("[data-draft-restored]");
  const home = document.createComment("comment-form-home");
  form.before(home);

  // After an error the summary at the top of the form takes the focus, so the reader
  // hears or sees at once what to correct; each item links to its field.
  // (Again once the page has loaded: the browser focuses the #comment-form target then.)
  // Only if the reader has not moved on by then.
  const summary = form.querySelector(".error-summary");
  if (summary && !help) {
    summary.focus();
    window.addEventListener("load", () =>
      window.setTimeout(() => {
        const at = document.activeElement;
        if (at === document.body || at === form || at === summary) summary.focus();
      }, 0),
    );
  }

  // Drafts: what the reader types is kept on this device (localStorage) as they type, one
  // draft per article and reply target, until the comment is accepted.
  const DRAFTS = "alsblog.comment-drafts";
  const SENT = "alsblog.comment-sent";
  const KEEP_DAYS = Number(fields.dataset.draftDays) || 7;

  function readDrafts() {
    try {
      const drafts = JSON.parse(window.localStorage.getItem(DRAFTS) || "{}");
      const oldest = Date.now() - KEEP_DAYS * 24 * 60 * 60 * 1000;
      for (const key of Object.keys(drafts)) {
        if (!drafts[key] || drafts[key].savedAt < oldest) delete drafts[key];
      }
      return drafts;
    } catch {
      return {};
    }
  }

  function writeDrafts(drafts) {
    try {
      window.localStorage.setItem(DRAFTS, JSON.stringify(drafts));
    } catch {
      // Storage full or switched off: the form still works, without drafts.
    }
  }

  function draftKey() {
    return `${fields.dataset.draftArticle}:${parentInput.value || "new"}`;
  }

  function saveDraft() {
    const drafts = readDrafts();
    const text = body.value;
    if (text.trim()) {
      drafts[draftKey()] = { text, savedAt: Date.now() };
    } else {
      delete drafts[draftKey()];
    }
    writeDrafts(drafts);
  }

  function forgetDraft(key) {
    const drafts = readDrafts();
    delete drafts[key];
    writeDrafts(drafts);
  }

  function restoreDraft() {
    restored.hidden = true;
    if (body.value.trim()) return; // the page came back with the reader's text in it
    const draft = readDrafts()[draftKey()];
    if (draft && draft.text.trim()) {
      body.value = draft.text;
      restored.hidden = false;
    }
  }

  // The comment was accepted: the draft it came from is done with.
  let sent = null;
  try {
    sent = window.sessionStorage.getItem(SENT);
    window.sessionStorage.removeItem(SENT);
  } catch {
    sent = null;
  }
  if (sent && document.querySelector("[data-comment-accepted]")) forgetDraft(sent);

  // Once the form is sent, leaving the page keeps nothing more: coming Back to it (the
  // browser shows the text as sent) must not bring a sent comment back as a draft.
  let sending = false;
  let pending = null;
  body.addEventListener("input", () => {
    sending = false;
    window.clearTimeout(pending);
    pending = window.setTimeout(saveDraft, 400);
  });
  // The tab closing or going to the background keeps what was typed since the last save.
  const keepUnlessSent = () => {
    if (!sending) saveDraft();
  };
  window.addEventListener("pagehide", keepUnlessSent);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") keepUnlessSent();
  });
  fields.addEventListener("submit", () => {
    saveDraft();
    sending = true;
    try {
      window.sessionStorage.setItem(SENT, draftKey());
    } catch {
      // Without sessionStorage the draft stays until the reader discards it.
    }
  });
  form.querySelector("[data-draft-discard]").addEventListener("click", () => {
    forgetDraft(draftKey());
    body.value = "";
    restored.hidden = true;
    body.focus();
  });
  restoreDraft();

  // "Reply" moves the form under the comment being answered.
  function replyTo(link) {
    saveDraft();
    const comment = link.closest(".comment");
    comment.querySelector(".comment__box").after(form);
    parentInput.value = link.dataset.replyTo;
    replyingName.textContent = link.dataset.replyName;
    replying.hidden = false;
    body.value = "";
    restoreDraft();
    body.focus();
  }

  function cancel() {
    saveDraft();
    home.after(form);
    parentInput.value = "";
    replying.hidden = true;
    body.value = "";
    restoreDraft();
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
