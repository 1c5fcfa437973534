"""An in-memory e-mail backend that fails with an SMTP error the first `ECHECS` times (retry tests)."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend

ETAT = {"echecs": 0}


class CourrielCapricieux(EmailBackend):
    def send_messages(self, messages):
        if ETAT["echecs"] > 0:
            ETAT["echecs"] -= 1
            raise SMTPServerDisconnected("Connexion SMTP perdue")
        return super().send_messages(messages)
