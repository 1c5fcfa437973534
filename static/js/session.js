// Idle session: warn two minutes before expiry and let the user extend it (SESSION_IDLE_SECONDS).
(function () {
  var el = document.getElementById("session-expiry");
  if (!el) return;
  var idle = parseInt(el.dataset.idleSeconds, 10) * 1000;
  var warnBefore = 120 * 1000;
  var timer;
  function csrf() {
    var m = document.cookie.match(/csrftoken=([^;]+)/);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : (m ? m[1] : "");
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(warn, Math.max(idle - warnBefore, 1000));
  }
  function warn() {
    var box = document.getElementById("session-expiry-alerte");
    if (!box) {
      box = document.createElement("div");
      box.id = "session-expiry-alerte";
      box.className = "fr-alert fr-alert--warning fr-container fr-mb-2w";
      box.setAttribute("role", "alert");
      box.innerHTML = '<p>Votre session va expirer dans deux minutes faute d\'activité.</p>' +
        '<button type="button" class="fr-btn fr-btn--sm fr-mt-1w" id="session-prolonger">Rester connecté</button>';
      document.querySelector("main").prepend(box);
      document.getElementById("session-prolonger").addEventListener("click", function () {
        fetch(el.dataset.extendUrl, {method: "POST", headers: {"X-CSRFToken": csrf()}, credentials: "same-origin"})
          .then(function () { box.remove(); schedule(); });
      });
    }
  }
  schedule();
})();

// A page brought back from the browser's back-forward cache shows data (and form values) as they were when it was
// left: reload it from the server, so that no stale grid can be saved again over what was saved since.
window.addEventListener("pageshow", function (event) {
  if (event.persisted && document.getElementById("session-expiry")) {
    window.location.reload();
  }
});
