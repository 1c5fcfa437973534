"""The filters of the parcours lists (page, CSV/XLSX exports): one FilterSet per list."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone

from avenirpro.filtres import SessionFilter
from parcours.models import Inscription, OffreAction
from parcours.regles import JOURS_FIN_PROCHE

STATUTS_ACTIFS = [Inscription.Statut.EN_PREPARATION, Inscription.Statut.EN_COURS, Inscription.Statut.A_CLOTURER]


def _alerte(queryset, name, value):
    """The chef dashboard's alerts, each the same condition as the count it links from."""
    jour = timezone.localdate()
    if value == "fin_proche":
        return queryset.filter(
            statut__in=[Inscription.Statut.EN_PREPARATION, Inscription.Statut.EN_COURS],
            date_fin_prevue__gte=jour,
            date_fin_prevue__lte=jour + datetime.timedelta(days=JOURS_FIN_PROCHE),
        )
    if value == "pfmp":
        return queryset.filter(pk__in=Inscription.objects.filter(pfmps__depassement_signale=True).values("pk"))
    if value == "pfmp_sans_convention":  # R18: under way today without a signed convention
        sous = Q(pfmps__date_debut__lte=jour, pfmps__date_fin__gte=jour, pfmps__convention_signee_le__isnull=True)
        return queryset.filter(pk__in=Inscription.objects.filter(sous).values("pk"))
    if value == "sans_referent":
        return queryset.filter(statut__in=STATUTS_ACTIFS, referent__isnull=True)
    return queryset


class InscriptionFilter(django_filters.FilterSet):
    """The chef's enrolments: status, MEF, name, campaign (every campaign unless `?campagne=<session>`)."""

    statut = django_filters.ChoiceFilter(choices=Inscription.Statut.choices)
    mef = django_filters.ChoiceFilter(choices=Inscription.Mef.choices)
    q = django_filters.CharFilter(field_name="jeune__nom", lookup_expr="icontains")
    campagne = SessionFilter()
    # The pilotage's bars link here (ADR 0022): exits of one situation or one motif.
    situation_sortie = django_filters.ChoiceFilter(choices=Inscription.SituationSortie.choices)
    motif_sortie = django_filters.ChoiceFilter(choices=Inscription.MotifSortie.choices)
    alerte = django_filters.ChoiceFilter(
        choices=[
            ("fin_proche", "Fin de parcours proche"),
            ("pfmp", "Dépassement du plafond PFMP signalé"),
            ("pfmp_sans_convention", "PFMP en cours sans convention signée"),
            ("sans_referent", "Sans référent de parcours"),
        ],
        method=_alerte,
    )

    class Meta:
        model = Inscription
        fields = ["statut", "mef", "q", "campagne", "situation_sortie", "motif_sortie", "alerte"]


class OffreFilter(django_filters.FilterSet):
    """The local offer: by type of action (`?type=`)."""

    type = django_filters.CharFilter(field_name="type")

    class Meta:
        model = OffreAction
        fields = ["type"]


class GratificationFilter(django_filters.FilterSet):
    """The gratification export: one of the chef's lycées by its UAI (`?lycee=`, any case); the period (`du`, `au`)
    chooses half-days, not rows, and is read by the bounded date parser."""

    lycee = django_filters.CharFilter(method="par_uai", max_length=8)

    class Meta:
        model = Inscription
        fields = ["lycee"]

    def par_uai(self, queryset, name, value):
        return queryset.filter(etablissement__uai=value.strip().upper())
