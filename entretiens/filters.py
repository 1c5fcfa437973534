"""The filters of the meetings list (page «Réunions et entretiens» and its exports)."""

import uuid

import django_filters

from avenirpro.filtres import SessionFilter
from entretiens.models import Invitation, Reunion


class ReunionFilter(django_filters.FilterSet):
    """Every campaign, or the one chosen by `?campagne=<session>`."""

    campagne = SessionFilter()

    class Meta:
        model = Reunion
        fields = ["campagne"]


class InvitationFilter(django_filters.FilterSet):
    """The letters of a meeting: every invited young person, or one (`?invitation=<uuid>`; not a UUID: none)."""

    invitation = django_filters.CharFilter(method="une_invitation")

    class Meta:
        model = Invitation
        fields = ["invitation"]

    def une_invitation(self, queryset, name, value):
        try:
            return queryset.filter(uuid=uuid.UUID(value))
        except ValueError:
            return queryset.none()
