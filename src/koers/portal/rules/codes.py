"""Activation codes and portal usernames: what they look like, how a typed code is read back."""

from __future__ import annotations

import secrets
import unicodedata

#: No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read from paper and typed on a phone should not be misread.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 12
GROUP = 4


def new_code() -> str:
    """A fresh code, ~55 bits, shown in groups: ``K7F3-9QXM-2PAC``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise(typed: str) -> str:
    """The code as stored (hashed): upper case, without spaces and dashes; '' when it cannot be a code."""
    cleaned = "".join(ch for ch in (typed or "").upper() if ch not in " -\t")
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return cleaned


def username_base(name: str) -> str:
    """A readable start of the username from the participant's first name, ASCII only ('heba', 'nahom')."""
    first = (name or "").strip().split(" ")[0] if name else ""
    ascii_only = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode("ascii").lower()
    letters = "".join(ch for ch in ascii_only if ch.isalpha())[:12]
    return letters or "deelnemer"


def new_username(name: str) -> str:
    return f"{username_base(name)}.{secrets.randbelow(9000) + 1000}"
