"""The filters of the dashboards' lists."""

import django_filters

from parcours.models import Inscription


class ParcoursSuivisFilter(django_filters.FilterSet):
    """«Mes jeunes» (référent): every campaign unless one of the existing campaigns is asked for (`?campagne=`);
    an unknown session shows every campaign."""

    campagne = django_filters.ChoiceFilter(method="par_campagne")

    class Meta:
        model = Inscription
        fields = ["campagne"]

    def __init__(self, data, *, campagnes, **kwargs):
        super().__init__(data, **kwargs)
        self.campagnes = {str(c.session): c for c in campagnes}  # already read by the page: no query here
        self.filters["campagne"].extra["choices"] = [(s, str(c)) for s, c in self.campagnes.items()]

    def choisie(self):
        return self.campagnes.get(self.form.cleaned_data.get("campagne") or "") if self.form.is_valid() else None

    def par_campagne(self, queryset, name, value):
        return queryset.filter(campagne=self.campagnes[value])
