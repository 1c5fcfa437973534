"""The one way an e-mail leaves AvenirPro+ (ADR 0020).

- Subject and body come from templates: `templates/courriels/<nom>_sujet.txt` and `<nom>_corps.txt`; the subject
  gets the «AvenirPro+ – » prefix here, once (docs/regles.md: every e-mail about the scheme carries «AvenirPro+»).
- `envoyer(...)` renders them in the caller (who holds the rows) and hands the message to the task queue AFTER COMMIT
  (`avenirpro.taches.envoyer`: a broker down keeps it in `TacheEnAttente`); the worker's task
  `avenirpro.tasks.envoyer_courriel_simple` sends it and retries with backoff on SMTP or network errors
  (`RELANCES_COURRIEL`). A rolled-back transaction sends nothing; a request never waits on the mail server.
- `expedier(...)` is the only call to Django's mail API in the project (checked by tests/avenirpro/
  test_un_seul_chemin.py): only tasks call it — the notification e-mails call it inside the worker's row lock that
  makes them at most once, never inside a request's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.template.loader import render_to_string

PREFIXE_SUJET = "AvenirPro+ – "


def sujet(texte: str) -> str:
    """One line, prefixed once with «AvenirPro+ – »."""
    texte = " ".join(texte.split())
    return texte if texte.startswith(PREFIXE_SUJET) else f"{PREFIXE_SUJET}{texte}"


def rendre(nom: str, contexte: dict) -> tuple[str, str]:
    """(subject with its prefix, body) of the e-mail `nom`, from its two templates."""
    return (
        sujet(render_to_string(f"courriels/{nom}_sujet.txt", contexte)),
        render_to_string(f"courriels/{nom}_corps.txt", contexte),
    )


def envoyer(
    nom: str,
    contexte: dict,
    destinataires: Iterable[str],
    *,
    pieces_jointes: Sequence[tuple[str, str, str]] = (),
    marque: tuple[str, int, str] | None = None,
) -> bool:
    """Queue the e-mail `nom` for after commit; False (nothing queued) when there is no address.

    `pieces_jointes`: (file name, text content, MIME type). `marque`: ("app.Modele", pk, "champ") — a date field the
    worker sets once the mail server accepted the message (e.g. `Invitation.courriel_envoye_le`)."""
    sujet_, corps = rendre(nom, contexte)
    return envoyer_texte(sujet_, corps, destinataires, pieces_jointes=pieces_jointes, marque=marque)


def envoyer_texte(
    sujet_: str,
    corps: str,
    destinataires: Iterable[str],
    *,
    pieces_jointes: Sequence[tuple[str, str, str]] = (),
    marque: tuple[str, int, str] | None = None,
) -> bool:
    """Queue an e-mail already rendered (allauth renders its own templates: `avenirpro.adapters`)."""
    from avenirpro.taches import envoyer as mettre_en_file
    from avenirpro.tasks import envoyer_courriel_simple

    adresses = [a for a in dict.fromkeys(destinataires) if a]
    if not adresses:
        return False
    mettre_en_file(
        envoyer_courriel_simple,
        sujet(sujet_),
        corps,
        adresses,
        pieces_jointes=[list(p) for p in pieces_jointes] or None,
        marque=list(marque) if marque else None,
    )
    return True


def expedier(sujet_: str, corps: str, destinataires: Sequence[str], pieces_jointes: Sequence = ()) -> int:
    """Hand one message to the mail server (the worker's side); SMTP errors propagate so that the task retries."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    message = EmailMessage(sujet(sujet_), corps, settings.DEFAULT_FROM_EMAIL, list(destinataires))
    for nom_fichier, contenu, type_mime in pieces_jointes or ():
        message.attach(nom_fichier, contenu, type_mime)
    return message.send()


def marquer(marque: Sequence | None) -> None:
    """Record on its row that the message went out (`marque` = ("app.Modele", pk, "champ"))."""
    if not marque:
        return
    from django.apps import apps
    from django.utils import timezone

    modele, pk, champ = marque
    apps.get_model(modele).objects.filter(pk=pk).update(**{champ: timezone.now()})
