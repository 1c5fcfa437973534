// «Tout sélectionner» on the invitation list: (un)checks every checkbox named after data-cible.
document.addEventListener("DOMContentLoaded", function () {
  var maitre = document.getElementById("tout-selectionner");
  if (!maitre) return;
  var nom = maitre.getAttribute("data-cible");
  maitre.addEventListener("change", function () {
    document.querySelectorAll('input[type="checkbox"][name="' + nom + '"]').forEach(function (c) {
      c.checked = maitre.checked;
    });
  });
});
