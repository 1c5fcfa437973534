"""What every filtered list shares: its filters are a django-filter `FilterSet` (in `<app>/filters.py`), used by the
page, its CSV/XLSX exports and its PDFs alike, and the list's selection says which one it uses.

- Dates and numbers in a filter go through `avenirpro.parametres` (`DateBorneeFilter`, `EntierBorneFilter`): a value
  that does not parse or lies outside the bounds counts as absent, exactly as the views' helpers do — never a 5xx,
  never a form error for a hand-edited URL.
- A value that is not one of a choice filter's choices is ignored the same way (django-filter filters with the
  valid fields only).
- `filtree(FilterSet)` marks a selection function (`selection(user, params, …)`) with the FilterSet it applies;
  `tests/avenirpro/test_filtersets.py` checks that every registered export of a filtered list has one, and that no
  view reads a filter from `request.GET` by hand.
"""

from __future__ import annotations

import django_filters
from django import forms

from avenirpro.parametres import ENTIER_MAX, date_bornee, entier_parametre


class _ChampBorne(forms.Field):
    """A field that never fails: an unreadable value is None (absent)."""

    def lire(self, valeur):  # pragma: no cover - overridden
        raise NotImplementedError

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return self.lire(value)

    def validate(self, value):
        return None


class DateBorneeField(_ChampBorne):
    def lire(self, valeur):
        return date_bornee(valeur)


class EntierBorneField(_ChampBorne):
    def __init__(self, *args, minimum: int = 0, maximum: int = ENTIER_MAX, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        super().__init__(*args, **kwargs)

    def lire(self, valeur):
        return entier_parametre({"v": valeur}, "v", defaut=None, minimum=self.minimum, maximum=self.maximum)


class DateBorneeFilter(django_filters.Filter):
    field_class = DateBorneeField


class EntierBorneFilter(django_filters.Filter):
    field_class = EntierBorneField


class SessionFilter(EntierBorneFilter):
    """`?campagne=<session>`: one campaign's rows; absent or unreadable, every campaign."""

    def __init__(self, field_name="campagne__session", **kwargs):
        kwargs.setdefault("label", "Campagne")
        super().__init__(field_name=field_name, **kwargs)


def filtree(filterset):
    """Marks a list's selection with the FilterSet it applies (read by the tests, and by the exports' docs)."""

    def marquer(selection):
        selection.filterset = filterset
        return selection

    return marquer


def valeurs(filtre) -> dict[str, str]:
    """The filters as the page shows them back in its form: the valid value of each field, else ''."""
    filtre.form.is_valid()  # the invalid fields are left out of cleaned_data: shown blank, not applied
    donnees = filtre.form.cleaned_data
    return {nom: "" if donnees.get(nom) is None else str(donnees.get(nom)) for nom in filtre.filters}


class FilterSetDeFormulaire(django_filters.FilterSet):
    """A FilterSet whose form is an existing form class (`Meta.form`) as it is — its fields, labels, widgets and
    validation — rather than one built from the filters; each field of the form has a filter of the same name
    (usually a `method=`). As with the form alone, an invalid form filters nothing."""

    def get_form_class(self):
        return self._meta.form

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return queryset
        return super().filter_queryset(queryset)
