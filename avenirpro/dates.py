"""Date arithmetic shared by the core and the apps (pure functions, no model)."""

import calendar
import datetime

UN_JOUR = datetime.timedelta(days=1)


def ajouter_mois(jour: datetime.date, mois: int) -> datetime.date:
    """`jour` + `mois` months. When the day does not exist in the target month (31 October + 4 months), the period
    runs to the end of that month: the result is the first day of the following month."""
    total = jour.month - 1 + mois
    annee, mois_cible = jour.year + total // 12, total % 12 + 1
    dernier = calendar.monthrange(annee, mois_cible)[1]
    if jour.day > dernier:
        return datetime.date(annee, mois_cible, dernier) + UN_JOUR
    return datetime.date(annee, mois_cible, jour.day)
