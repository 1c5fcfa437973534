import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    # allauth's French catalogue leaves these untranslated: the users read French only.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": "Trop de tentatives de connexion infructueuses. Réessayez dans quelques minutes.",
        "rate_limited": "Trop de demandes en peu de temps : patientez un instant avant de réessayer.",
        "email_password_mismatch": "L'adresse électronique ou le mot de passe est incorrect.",
        "incorrect_code": "Code incorrect.",
        "incorrect_password": "Mot de passe incorrect.",
        "invalid_or_expired_key": "Lien invalide ou expiré.",
        "invalid_login": "Identifiants invalides.",
        "enter_current_password": "Saisissez votre mot de passe actuel.",
        "same_as_current": "La nouvelle valeur doit être différente de l'actuelle.",
    }

    def format_email_subject(self, subject: str) -> str:
        """The «AvenirPro+ – » prefix is added by `avenirpro.courriels`, once."""
        return subject

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (password reset…) take the project's one mail path: queued after commit, sent by the
        worker with retries (ADR 0020). allauth renders them from its own templates."""
        from allauth.core import context as contexte_allauth
        from django.contrib.sites.shortcuts import get_current_site

        from avenirpro import courriels

        request = contexte_allauth.request
        base = {"request": request, "email": email, "current_site": get_current_site(request)}
        message = self.render_mail(template_prefix, email, base | context)
        courriels.envoyer_texte(message.subject, message.body, message.to)

    def is_open_for_signup(self, request):
        """No public sign-up: accounts are created by an administrator or by invitation."""
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """First TOTP enrolment right after login: the password was typed less than
        `ACCOUNT_REAUTHENTICATION_TIMEOUT` seconds ago and the account had no authenticator before that login, so
        allauth's re-authentication (activation, then viewing the recovery codes) would only ask for it a second
        time. An account enrolled before this login, or a login older than the timeout, is asked as before."""
        if app == "allauth.mfa" and self._premiere_activation_juste_apres_connexion():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def _premiere_activation_juste_apres_connexion(self) -> bool:
        from allauth.account.internal.flows.login import get_authentication_records
        from allauth.mfa.models import Authenticator

        request = self.request
        user = getattr(request, "user", None)
        if request is None or user is None or not user.is_authenticated:
            return False
        connexions = [r for r in get_authentication_records(request, user) if r.get("method") == "password"]
        if not connexions or time.time() - connexions[-1]["at"] >= account_settings.REAUTHENTICATION_TIMEOUT:
            return False
        # Only what was enrolled since that login (the codes shown right after the activation), never an older one.
        connecte_le = datetime.fromtimestamp(connexions[-1]["at"], tz=UTC)
        return not Authenticator.objects.filter(user=user, created_at__lt=connecte_le).exists()
