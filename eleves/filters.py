import django_filters
from django import forms
from dsfr.forms import DsfrBaseForm

from eleves.models import Diplome, Reperage, normaliser_recherche


class ListeFiltreForm(DsfrBaseForm):
    pass


class ReperageFilter(django_filters.FilterSet):
    """The worklist «Jeunes sans solution»: the same filters drive the page, the exports and the mail merge."""

    q = django_filters.CharFilter(label="Nom ou prénom", method="filtrer_nom")
    typologie = django_filters.ChoiceFilter(
        label="Typologie", choices=Reperage.Typologie.choices, empty_label="Toutes"
    )
    diplome = django_filters.ChoiceFilter(label="Diplôme", choices=Diplome.choices, empty_label="Tous")
    division = django_filters.CharFilter(label="Division", lookup_expr="iexact")
    statut_contact = django_filters.ChoiceFilter(
        label="Statut de contact", choices=Reperage.StatutContact.choices, empty_label="Tous"
    )
    reinscription = django_filters.ChoiceFilter(
        label="Réinscription (R9)",
        choices=[("a_proposer", "Ajournés ou absents en attente de la proposition")],
        empty_label="Tous",
        method="filtrer_reinscription",
    )

    class Meta:
        model = Reperage
        fields = ["q", "typologie", "diplome", "division", "statut_contact", "reinscription"]
        form = ListeFiltreForm

    def filtrer_nom(self, queryset, name, value):
        for mot in normaliser_recherche(value).split():
            queryset = queryset.filter(jeune__recherche__contains=mot)
        return queryset

    def filtrer_reinscription(self, queryset, name, value):
        from eleves.regles import reperages_en_attente_d_offre

        return reperages_en_attente_d_offre(queryset) if value == "a_proposer" else queryset

    @property
    def qs(self):
        qs = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("typologie"):
            # «sans solution»: those with a known solution appear only when asked for.
            qs = qs.exclude(typologie=Reperage.Typologie.AVEC_SOLUTION)
        return qs


__all__ = ["ReperageFilter", "forms"]
