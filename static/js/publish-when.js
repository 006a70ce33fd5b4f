// The article form's publish time, confirmed in words as the editor types: the words come
// from the admin (articles/admin/dates.py), in the editor's own time zone, into a status
// region that screen readers announce. Without this script the words show what was saved.
(() => {
  const fields = ["id_publish_at_0", "id_publish_at_1", "id_status"];
  let timer = null;
  let asked = 0;

  const value = (id) => document.getElementById(id)?.value ?? "";

  function ask(region) {
    const query = new URLSearchParams({
      date: value("id_publish_at_0"),
      time: value("id_publish_at_1"),
      status: document.getElementById("id_status") ? value("id_status") : region.dataset.status,
    });
    const turn = ++asked;
    fetch(`${region.dataset.publishWhen}?${query}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => {
        // Only the answer to the latest question: an older one may arrive last.
        if (answer && turn === asked && region.textContent !== answer.phrase) {
          region.textContent = answer.phrase;
        }
      })
      .catch(() => {});  // offline: the words keep what they said
  }

  function soon(event) {
    const region = document.querySelector("[data-publish-when]");
    if (!region || !fields.includes(event.target.id)) return;
    clearTimeout(timer);
    timer = setTimeout(() => ask(region), 250);
  }

  // The calendar and clock shortcuts set the inputs' values and then focus them.
  for (const kind of ["input", "change", "focusin"]) document.addEventListener(kind, soon);
})();
