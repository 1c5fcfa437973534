import django_filters
from django import forms
from django.core.signals import setting_changed
from django.db.models import Count, Q, Value
from django.dispatch import receiver
from django.utils.translation import get_language
from dsfr.forms import DsfrBaseForm

from avenirpro.memo import Memo
from eleves.models import Diplome, Jeune, Reperage, normaliser_recherche


class ListeFiltreForm(DsfrBaseForm):
    pass


class ReperageFilter(django_filters.FilterSet):
    """The worklist «Jeunes sans solution»: the same filters drive the page, the exports and the mail merge."""

    q = django_filters.CharFilter(label="Nom ou prénom", method="filtrer_nom")
    typologie = django_filters.ChoiceFilter(
        label="Typologie", choices=Reperage.Typologie.choices, empty_label="Toutes (hors solution connue)"
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

    def _masque_les_solutions(self) -> bool:
        """«Sans solution»: those with a known solution appear only when asked for — or when a name is searched:
        a search never misses someone because of a filter the user did not choose."""
        donnees = getattr(self.form, "cleaned_data", {})
        return not donnees.get("typologie") and not (donnees.get("q") or "").strip()

    def filtrer_reinscription(self, queryset, name, value):
        from eleves.regles import reperages_en_attente_d_offre

        return reperages_en_attente_d_offre(queryset) if value == "a_proposer" else queryset

    @property
    def qs(self):
        qs = super().qs
        if self._masque_les_solutions():
            qs = qs.exclude(typologie=Reperage.Typologie.AVEC_SOLUTION)
        return qs

    def masques(self) -> int:
        """How many rows the default hides (shown on the page with a link to them)."""
        if not self._masque_les_solutions():
            return 0
        return super().qs.filter(typologie=Reperage.Typologie.AVEC_SOLUTION).count()

    def comptes(self) -> tuple[int, int]:
        """(rows shown, `masques()`) in one aggregate query over the filtered rows, rather than two counts."""
        lignes = list(self.requete_des_comptes())  # one row, or none when a filter can match nothing
        return (lignes[0]["montres"], lignes[0]["masques"]) if lignes else (0, 0)

    def requete_des_comptes(self):
        """The statement of `comptes()`: one row (montres, masques), aggregated over the filtered rows with no
        GROUP BY (a constant is never grouped by), so that it can be compiled once (`eleves.selections`)."""
        base = super().qs.order_by()
        avec = Q(typologie=Reperage.Typologie.AVEC_SOLUTION)
        if not self._masque_les_solutions():
            montres, masques = Count("pk"), Value(0)
        else:
            montres, masques = Count("pk", filter=~avec), Count("pk", filter=avec)
        return base.values(un=Value(1)).annotate(montres=montres, masques=masques).values("montres", "masques")


# The filters whose values are typed by the user (a name, a division): never a memo's key, so that no process keeps
# what was searched (`champs_du_filtre`, `eleves.selections.ListeCompilee`).
TEXTES_LIBRES = ("q", "division")


def valeurs_soumises(params) -> tuple:
    """The submitted values of the worklist's filters, as a key: ((name, (values…)), …)."""
    return tuple((nom, tuple(params.getlist(nom))) for nom in ReperageFilter.base_filters)


def sans_texte_libre(valeurs: tuple) -> bool:
    return not any(v.strip() for nom, liste in valeurs if nom in TEXTES_LIBRES for v in liste)


def champs_du_filtre(params) -> tuple:
    """The HTML of each field of the worklist's filter form (`as_field_group`) bound to `params`.

    Rendering the six fields through the form templates is a quarter of the worklist's page (8 ms of 35 on the
    bench machine of session 10). Its HTML is a function of the submitted values, the active language and the
    templates; its choices are constants. So, when no free text is submitted (the usual page), it is kept per
    values and language in the process (`_FORMULAIRES`), and the memo is emptied whenever a setting changes
    (`setting_changed`: the tests swap DEBUG, TEMPLATES or the form renderer, which replaces the templates' engine;
    a server never does). With a name or a division typed, the fields are rendered each time and nothing is kept."""
    valeurs = valeurs_soumises(params)
    if not sans_texte_libre(valeurs):
        return _rendre_les_champs(params)
    return _FORMULAIRES.lire((get_language(), valeurs), lambda: _rendre_les_champs(params))


def _rendre_les_champs(params) -> tuple:
    form = ReperageFilter(params, queryset=Reperage.objects.none()).form
    return tuple(champ.as_field_group() for champ in form)


_FORMULAIRES = Memo(256)


@receiver(setting_changed)
def _oublier_les_formulaires(**kwargs):
    _FORMULAIRES.vider()


class SuiviFilter(django_filters.FilterSet):
    """The counsellor's young people: by lycée (`?etablissement=<uuid>`; not a UUID: every lycée) and by name."""

    etablissement = django_filters.UUIDFilter(field_name="etablissement__uuid")
    q = django_filters.CharFilter(method="filtrer_nom")

    class Meta:
        model = Jeune
        fields = ["etablissement", "q"]

    def filtrer_nom(self, queryset, name, value):
        for mot in normaliser_recherche(value).split():
            queryset = queryset.filter(recherche__contains=mot)
        return queryset


__all__ = ["ReperageFilter", "SuiviFilter", "forms"]
