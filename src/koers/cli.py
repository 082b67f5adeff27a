"""The ``koers`` console command: Django's management commands under the project's own name.

    koers demo                 load the demo data (idempotent, demo mode only)
    koers generate --participants N --seed S
    koers migrate | koers check --deploy | koers audit-verify | ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["koers", *argv])
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")  # "koers audit-verify" runs the command audit_verify
    execute_from_command_line(["koers", *args[1:]])


if __name__ == "__main__":  # pragma: no cover
    main()
