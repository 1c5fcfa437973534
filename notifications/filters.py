"""The FilterSet of the notifications list."""

import django_filters

from avenirpro.models import Notification


class NotificationFilter(django_filters.FilterSet):
    """`?filtre=non_lues`: only the unread ones; anything else, all of them."""

    filtre = django_filters.ChoiceFilter(choices=[("non_lues", "Non lues")], method="filtrer")

    class Meta:
        model = Notification
        fields = ["filtre"]

    def filtrer(self, queryset, name, value):
        return queryset.filter(lue_le__isnull=True) if value == "non_lues" else queryset
