#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # `TESTING=1 manage.py …` (checks run by make test / make quality): the tests' settings, said explicitly.
    reglages = (
        "avenirpro.settings_tests" if os.environ.get("TESTING", "").lower() in ("1", "true") else "avenirpro.settings"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", reglages)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
