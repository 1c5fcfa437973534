"""The partners' directory, read-only: missions locales (with the lycées they cover) and the PSAD structures (CIO,
MLDS, FOQUALE, tiers-lieux, companies…). Kept by the administrator in the administration screens."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from dsfr.forms import DsfrBaseForm

from avenirpro import acces
from avenirpro.models import Couverture, MissionLocale, Structure

PAR_PAGE = 50


class AnnuaireForm(DsfrBaseForm):
    q = forms.CharField(label="Nom, commune ou contact", required=False, max_length=100)
    type = forms.ChoiceField(
        label="Type de structure", required=False, choices=[("", "Tous"), *Structure.Type.choices]
    )


def _exiger(user) -> None:
    if not acces.peut_consulter_annuaire(user):
        raise PermissionDenied


def _couvertures_actives():
    return Prefetch(
        "couvertures",
        queryset=Couverture.objects.actives().select_related("etablissement").order_by("etablissement__nom"),
        to_attr="couvertures_actives",
    )


def annuaire(request):
    _exiger(request.user)
    form = AnnuaireForm(request.GET or None)
    q, type_ = "", ""
    if form.is_valid():
        q, type_ = form.cleaned_data["q"].strip(), form.cleaned_data["type"]
    structures = Structure.objects.order_by("nom", "pk")
    missions = MissionLocale.objects.order_by("nom", "pk").prefetch_related(_couvertures_actives())
    if q:
        structures = structures.filter(
            Q(nom__icontains=q) | Q(commune__icontains=q) | Q(contact_nom__icontains=q) | Q(bassin__icontains=q)
        )
        missions = missions.filter(
            Q(nom__icontains=q) | Q(adresse__icontains=q) | Q(etablissements__nom__icontains=q)
        ).distinct()
    if type_:
        structures = structures.filter(type=type_)
        missions = missions.none() if type_ != Structure.Type.MISSION_LOCALE else missions
    page = Paginator(structures, PAR_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "annuaire/annuaire.html",
        {
            "titre": "Annuaire des partenaires",
            "form": form,
            "missions": list(missions[:PAR_PAGE]),
            "page": page,
            "query": params.urlencode(),
        },
    )


def mission_locale(request, uuid):
    _exiger(request.user)
    ml = get_object_or_404(MissionLocale.objects.prefetch_related(_couvertures_actives()), uuid=uuid)
    return render(request, "annuaire/mission_locale.html", {"titre": str(ml), "ml": ml})


def structure(request, uuid):
    _exiger(request.user)
    s = get_object_or_404(Structure.objects.all(), uuid=uuid)
    return render(request, "annuaire/structure.html", {"titre": str(s), "s": s})
