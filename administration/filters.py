"""The FilterSets of the administration screens (page and exports)."""

import uuid as uuid_module

import django_filters
from django.db.models import Q

from administration.forms import CompteFiltreForm, JournalFiltreForm, RechercheForm
from avenirpro.filtres import FilterSetDeFormulaire
from avenirpro.models import Affectation, Etablissement, JournalAcces, Structure, Utilisateur


class EtablissementFilter(FilterSetDeFormulaire):
    q = django_filters.CharFilter(method="rechercher")

    class Meta:
        model = Etablissement
        fields = ["q"]
        form = RechercheForm

    def rechercher(self, queryset, name, value):
        return queryset.filter(Q(nom__icontains=value) | Q(uai__icontains=value) | Q(commune__icontains=value))


class StructureFilter(FilterSetDeFormulaire):
    q = django_filters.CharFilter(method="rechercher")

    class Meta:
        model = Structure
        fields = ["q"]
        form = RechercheForm

    def rechercher(self, queryset, name, value):
        return queryset.filter(Q(nom__icontains=value) | Q(commune__icontains=value))


class CompteFilter(FilterSetDeFormulaire):
    q = django_filters.CharFilter(method="rechercher")
    role = django_filters.CharFilter(method="par_role")
    actif = django_filters.CharFilter(method="par_etat")

    class Meta:
        model = Utilisateur
        fields = ["q", "role", "actif"]
        form = CompteFiltreForm

    def rechercher(self, queryset, name, value):
        return queryset.filter(
            Q(email__icontains=value) | Q(last_name__icontains=value) | Q(first_name__icontains=value)
        )

    def par_role(self, queryset, name, value):
        return queryset.filter(pk__in=Affectation.objects.actives().filter(role=value).values("utilisateur_id"))

    def par_etat(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


class JournalFilter(FilterSetDeFormulaire):
    utilisateur = django_filters.CharFilter(field_name="utilisateur__email", lookup_expr="icontains")
    action = django_filters.CharFilter(field_name="action")
    objet = django_filters.CharFilter(method="par_objet")
    du = django_filters.DateFilter(field_name="date__date", lookup_expr="gte")
    au = django_filters.DateFilter(field_name="date__date", lookup_expr="lte")

    class Meta:
        model = JournalAcces
        fields = ["utilisateur", "action", "objet", "du", "au"]
        form = JournalFiltreForm

    def par_objet(self, queryset, name, value):
        # A record is searched by its number, never by its name: the log must not reveal who the young are.
        try:
            return queryset.filter(objet_uuid=uuid_module.UUID(value.strip()))
        except ValueError:
            return queryset.filter(objet_uuid__isnull=True, objet__icontains=value)
