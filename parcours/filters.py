"""The filters of the parcours lists (page, CSV/XLSX exports): one FilterSet per list."""

import django_filters

from avenirpro.filtres import SessionFilter
from parcours.models import Inscription, OffreAction


class InscriptionFilter(django_filters.FilterSet):
    """The chef's enrolments: status, MEF, name, campaign (every campaign unless `?campagne=<session>`)."""

    statut = django_filters.ChoiceFilter(choices=Inscription.Statut.choices)
    mef = django_filters.ChoiceFilter(choices=Inscription.Mef.choices)
    q = django_filters.CharFilter(field_name="jeune__nom", lookup_expr="icontains")
    campagne = SessionFilter()

    class Meta:
        model = Inscription
        fields = ["statut", "mef", "q", "campagne"]


class OffreFilter(django_filters.FilterSet):
    """The local offer: by type of action (`?type=`)."""

    type = django_filters.CharFilter(field_name="type")

    class Meta:
        model = OffreAction
        fields = ["type"]
