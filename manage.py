#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from config.env import EnvironmentInvalid

    try:
        execute_from_command_line(sys.argv)
    except EnvironmentInvalid as exc:
        sys.exit(f"manage.py: {exc}")  # one line naming the variable, not a traceback


if __name__ == "__main__":
    main()
