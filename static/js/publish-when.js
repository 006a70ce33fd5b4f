// The article form's publish time, confirmed in words as the editor types: the words come
// from the admin (articles/admin/dates.py), in the editor's own time zone, into a status
// region that screen readers announce. Without this script the words show what was saved.
// The Schedule panel's button says what it will do the same way: "Publish on Tuesday
// 8 December at 09:00, New York time".
(() => {
  const targets = [
    {
      // The Publishing fieldset: its status and publish time, confirmed in words.
      fields: ["id_publish_at_0", "id_publish_at_1", "id_status"],
      region: () => document.querySelector("[data-publish-when]"),
      url: (region) => region.dataset.publishWhen,
      status: (region) =>
        document.getElementById("id_status") ? value("id_status") : region.dataset.status,
      date: () => value("id_publish_at_0"),
      time: () => value("id_publish_at_1"),
      show: (region, answer) => say(region, answer.phrase),
    },
    {
      // The Schedule panel: its time, the button's words and the line under it.
      fields: ["id_schedule_at_0", "id_schedule_at_1"],
      region: () => document.querySelector("[data-schedule-when]"),
      url: (button) => button.dataset.scheduleWhen,
      status: () => "published",
      date: () => value("id_schedule_at_0"),
      time: () => value("id_schedule_at_1"),
      show: (button, answer) => {
        say(button, answer.button);
        const note = document.getElementById("schedule-note");
        if (note) say(note, answer.schedule);
      },
    },
  ];
  const timers = new Map();
  const asked = new Map();

  const value = (id) => document.getElementById(id)?.value ?? "";

  function say(element, text) {
    if (text && element.textContent !== text) element.textContent = text;
  }

  function ask(target, region) {
    const query = new URLSearchParams({
      date: target.date(),
      time: target.time(),
      status: target.status(region),
    });
    const turn = (asked.get(target) || 0) + 1;
    asked.set(target, turn);
    fetch(`${target.url(region)}?${query}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => {
        // Only the answer to the latest question: an older one may arrive last.
        if (answer && turn === asked.get(target)) target.show(region, answer);
      })
      .catch(() => {});  // offline: the words keep what they said
  }

  function soon(event) {
    for (const target of targets) {
      const region = target.region();
      if (!region || !target.fields.includes(event.target.id)) continue;
      clearTimeout(timers.get(target));
      timers.set(target, setTimeout(() => ask(target, region), 250));
    }
  }

  // The calendar and clock shortcuts set the inputs' values and then focus them.
  for (const kind of ["input", "change", "focusin"]) document.addEventListener(kind, soon);

  // Schedule pressed and refused: its panel, with what to fix, is far below the page's
  // "Please correct the error below": go there, on the time to correct.
  function toTheRefusal() {
    const refused = document.querySelector("#schedule .schedule__time.errors input");
    if (refused) {
      refused.scrollIntoView({ block: "center" });
      refused.focus({ preventScroll: true });
    }
  }
  // Django's calendar shortcuts are added on load; this comes after them.
  if (document.readyState === "complete") toTheRefusal();
  else window.addEventListener("load", toTheRefusal);
})();
