"""The home page: the summary of each role's dashboard, then the tiles of everything the user can reach."""

from django.shortcuts import render

from avenirpro.acces import perimetre
from tableaux.resume import resume


def accueil(request):
    """Home: the summary of each role's screen (alerts of the chef, parcours followed by a référent or a
    counsellor) with a link to it, then the tiles of everything the user can reach."""
    p = perimetre(request.user)
    return render(
        request, "avenirpro/accueil.html", {"titre": "Accueil", "perimetre": p, "resumes": resume(request.user, p)}
    )
