// Import progress: poll the import record and reload the page when the analysis or the write is over.
(function () {
  var box = document.getElementById("import-progression");
  if (!box) return;
  var barre = document.getElementById("barre");
  var texte = document.getElementById("barre-texte");
  function tick() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (etat) {
        barre.value = etat.progression;
        texte.textContent = etat.progression + " %";
        if (etat.en_cours) { setTimeout(tick, 1000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(tick, 3000); });
  }
  setTimeout(tick, 1000);
})();
