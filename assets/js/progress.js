// Live send progress on the survey page: polls the survey's progress.json while mail is on its
// way and updates the figures in place (and for screen readers, the status line).
(function () {
  "use strict";
  var card = document.querySelector("[data-progress]");
  if (!card || !window.fetch) {
    return;
  }
  var url = card.getAttribute("data-progress");
  function set(field, value) {
    var el = card.querySelector('[data-field="' + field + '"]');
    if (el && el.textContent !== String(value)) {
      el.textContent = String(value);
    }
  }
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var p = data.progress;
        set("invitations", p.invitations);
        set("sent", p.sent + p.answered);
        set("responses", data.responses);
        set("waiting", p.mails_waiting + p.mails_retrying);
        // An invitation that failed for good is one failure, whether counted by invitation or
        // by mail; a failed reminder is listed among the errors.
        set("failed", p.failed);
        set("opted_out", p.opted_out);
        var busy = p.mails_waiting + p.mails_retrying > 0 || p.queued > 0;
        window.setTimeout(tick, busy ? 2000 : 10000);
      })
      .catch(function () { window.setTimeout(tick, 15000); });
  }
  window.setTimeout(tick, 2000);
})();
