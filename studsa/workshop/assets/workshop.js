// Live updates for the workshop pages. Everything works without this script; it only
// sends ballots without reloading, and follows the session over server-sent events.
// A form the rater is filling in is never re-rendered: a change of question is announced.
(function () {
  "use strict";
  var body = document.body;
  var dirty = {};
  function isDirty() { return Object.keys(dirty).length > 0; }

  function announce(text) {
    var box = document.getElementById("notice");
    if (box) { box.textContent = text; }
  }

  document.addEventListener("change", function (event) {
    if (event.target.form && event.target.form.classList.contains("ballot-form")) {
      dirty[event.target.form.id] = true;
      var saved = event.target.form.querySelector(".saved");
      if (saved) { saved.textContent = ""; }
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("ballot-form") || !window.fetch) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    if (button) { button.disabled = true; }
    var saved = form.querySelector(".saved");
    fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form))
    }).then(function (response) { return response.json(); }).then(function (answer) {
      if (saved) { saved.textContent = answer.ok ? body.getAttribute("data-saved-text") : answer.error; }
      if (answer.ok) { delete dirty[form.id]; }
    }).catch(function () {
      if (saved) { saved.textContent = body.getAttribute("data-offline-text"); }
    }).then(function () { if (button) { button.disabled = false; } });
  });

  function tick() {
    var nodes = document.querySelectorAll("[data-deadline]");
    for (var i = 0; i < nodes.length; i++) {
      var left = Math.max(0, Math.round((Date.parse(nodes[i].getAttribute("data-deadline")) - Date.now()) / 1000));
      nodes[i].textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
    }
  }
  if (document.querySelector("[data-deadline]")) { tick(); setInterval(tick, 1000); }

  var url = body.getAttribute("data-events");
  if (!url || !window.EventSource) { return; }
  var source = new EventSource(url);
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    window.studsaState = state;
    var same = state.phase === body.getAttribute("data-phase") &&
      String(state.round) === body.getAttribute("data-round") &&
      (state.current || "") === body.getAttribute("data-current");
    if (!same) {
      if (body.getAttribute("data-role") === "seat" && isDirty()) {
        announce(body.getAttribute("data-changed-text"));
      } else {
        source.close();
        window.location.reload();
      }
      return;
    }
    var live = document.querySelectorAll("[data-live]");
    for (var i = 0; i < live.length; i++) {
      var key = live[i].getAttribute("data-live");
      if (key in state) { live[i].textContent = String(state[key]); }
    }
    (state.people || []).forEach(function (person) {
      var row = document.querySelector('tr[data-seat="' + person.id + '"]');
      if (!row) { return; }
      row.querySelector('[data-field="joined"]').textContent =
        person.joined ? body.getAttribute("data-yes") : body.getAttribute("data-no");
      row.querySelector('[data-field="rated"]').textContent = String(person.rated);
    });
  });
})();
