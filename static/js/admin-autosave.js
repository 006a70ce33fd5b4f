// The article page keeps what the editor types as their draft (an autosave), every few
// seconds when something changed and when the page is closed, and tells them when someone
// else has the article open. The draft never changes the article: only Save does.
// The body's editor copies its content into its textarea on every change, so the form's
// data, read when sending, holds the body as typed.
(() => {
  const IGNORED = new Set(["csrfmiddlewaretoken", "base_revision", "save_anyway", "_autosave"]);

  function start() {
    const status = document.getElementById("autosave-status");
    if (!status) return;
    const form = status.closest("form");
    const url = status.dataset.autosaveUrl;
    const seconds = Math.max(1, Number(status.dataset.autosaveSeconds) || 30);
    const others = document.getElementById("others-editing");
    let lastSent = content();
    let sending = false;
    let leaving = false;
    // While the page offers an earlier draft back, a new draft would replace it: none is
    // kept until the person restores or discards it (heartbeats still go).
    let offered = document.querySelector(".desk-notice--draft");
    const HELD =
      "Not saved as a draft yet: your earlier unsaved changes are offered at the top of " +
      "the page. Discard them to go on from what you have typed, or restore them (they " +
      "replace it). Save still saves the article as it is now.";

    function content() {
      const kept = [];
      for (const [name, value] of new FormData(form)) {
        if (!IGNORED.has(name) && typeof value === "string") kept.push([name, value]);
      }
      return JSON.stringify(kept);
    }

    function data(kind) {
      const sent = new FormData(form);
      sent.set("_autosave", kind);
      return sent;
    }

    function say(text, failed) {
      if (status.textContent === text) return; // a live region reads out every change
      status.textContent = text;
      status.classList.toggle("autosave-status--failed", Boolean(failed));
    }

    function showOthers(sentences) {
      if (!others || !Array.isArray(sentences)) return;
      others.replaceChildren(
        ...sentences.map((sentence) => {
          const paragraph = document.createElement("p");
          paragraph.textContent = sentence;
          return paragraph;
        }),
      );
      others.hidden = sentences.length === 0;
    }

    async function send() {
      if (sending || leaving) return;
      const now = content();
      const changed = now !== lastSent;
      if (!changed && !others) return; // a new article: no one else can have it open
      if (changed && offered) {
        say(HELD);
        if (!others) return;
      }
      sending = true;
      try {
        const response = await fetch(url, {
          method: "POST",
          body: data(changed && !offered ? "content" : "heartbeat"),
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        const type = response.headers.get("Content-Type") || "";
        const reply = type.includes("json") ? await response.json() : {};
        showOthers(reply.others);
        if (response.ok && reply.saved) {
          lastSent = now;
          say(reply.saved);
        } else if (!response.ok) {
          say(
            reply.error ||
              "Draft not saved: you may have been logged out. Keep this page open, log in " +
                "again in another tab, then press Save.",
            true,
          );
        }
      } catch {
        say(
          "Draft not saved: the site could not be reached. Keep this page open and press " +
            "Save when you are back online.",
          true,
        );
      } finally {
        sending = false;
      }
    }

    form.addEventListener("submit", () => {
      leaving = true; // what is sent now is saved, or deliberately thrown away
    });
    form.addEventListener("input", () => {
      if (offered) say(HELD); // at once, not at the next autosave
    });
    document.addEventListener("click", (event) => {
      // Restoring the draft replaces the form: what it holds now must not overwrite it.
      if (event.target.closest(".desk-notice__restore")) leaving = true;
    });
    const discard = document.getElementById("autosave-discard-form");
    if (discard && offered) {
      // Discarded in place, so that what was typed meanwhile stays in the form and is
      // autosaved from now on. (Without this script the form is sent and the page reloads.)
      discard.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          const response = await fetch(discard.action, {
            method: "POST",
            body: new FormData(discard),
            credentials: "same-origin",
            headers: { Accept: "application/json" },
          });
          if (!response.ok) throw new Error(String(response.status));
        } catch {
          say("The earlier changes could not be discarded: try again.", true);
          return;
        }
        offered.remove();
        offered = null; // what was typed since the page opened is autosaved from now on
        say("Your earlier unsaved changes were discarded.");
        send();
      });
    }
    window.addEventListener("pagehide", () => {
      if (leaving || offered || content() === lastSent) return;
      navigator.sendBeacon(url, data("content"));
    });
    window.setInterval(send, seconds * 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
