"""The home page's summary: for each role the user holds, a few figures and the link to its screen."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from avenirpro.models import Campagne
from parcours.models import Inscription
from tableaux.statistiques import chiffres


def resume(user, p) -> list[dict]:
    out = []
    if p.chef:
        from tableaux.selections import alertes

        campagne = Campagne.courante()
        c = chiffres(campagne, {"pk__in": sorted(p.chef)}).get(None) if campagne else None
        out.append(
            {
                "titre": "Tableau de bord de l'établissement",
                "lien": reverse("tableaux:chef"),
                "lignes": [(a["libelle"], a["valeur"], a["lien"]) for a in alertes(c)] if c else [],
            }
        )
    if p.referent or p.missions_locales:
        actifs = Inscription.objects.visibles_par(user).exclude(statut=Inscription.Statut.SORTIE)
        if p.referent:
            n = actifs.filter(referent=user).count()
            fin = actifs.filter(referent=user, statut=Inscription.Statut.A_CLOTURER).count()
            out.append(
                {
                    "titre": "Mes jeunes (référent de parcours)",
                    "lien": reverse("tableaux:referent"),
                    "lignes": [("Parcours suivis", n, None), ("Parcours à clôturer", fin, None)],
                }
            )
        if p.missions_locales:
            n = actifs.filter(conseiller=user).count()
            out.append(
                {
                    "titre": "Mes jeunes (mission locale)",
                    "lien": reverse("tableaux:conseiller"),
                    "lignes": [("Parcours dont je suis le conseiller", n, None)],
                }
            )
    if p.pilotage:
        out.append({"titre": "Pilotage", "lien": reverse("tableaux:pilotage"), "lignes": []})
    for r in out:
        r["jour"] = timezone.localdate()
    return out
