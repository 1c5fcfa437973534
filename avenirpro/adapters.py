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

    def is_open_for_signup(self, request):
        """No public sign-up: accounts are created by an administrator or by invitation."""
        return False
