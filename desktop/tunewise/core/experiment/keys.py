"""Where an endpoint's API key comes from: the environment or the OS keyring, never a file.

Looked up in order: TUNEWISE_API_KEY, then the preset's usual variables (OPENAI_API_KEY, ...),
then the OS keyring (service "tunewise", user name the endpoint's host). Tunewise writes a key
nowhere but the keyring, and only when asked (`remember`). A keyring that is missing or
refuses is a plain message, never a traceback; looking up simply finds nothing there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from tunewise.core.experiment.client import Preset

SERVICE = "tunewise"
KEY_VARIABLE = "TUNEWISE_API_KEY"
JUDGE_KEY_VARIABLE = "TUNEWISE_JUDGE_API_KEY"


class KeyStoreError(Exception):
    """The keyring could not store or remove a key; the message says why in plain words."""


@dataclass(frozen=True)
class FoundKey:
    key: str | None
    source: str  # where it came from, for the user ("TUNEWISE_API_KEY", "the keyring", "none")
    note: str = ""  # why the keyring could not be asked, if it could not


def find_key(host: str, preset: Preset | None = None,
             environ: Mapping[str, str] | None = None,
             variable: str = KEY_VARIABLE) -> FoundKey:
    """The key for the endpoint at `host`, and where it was found. `variable` is looked at
    first (a judge on another endpoint uses JUDGE_KEY_VARIABLE)."""
    env = os.environ if environ is None else environ
    variables = (variable, *(preset.key_variables if preset else ()))
    for name in variables:
        value = env.get(name, "").strip()
        if value:
            return FoundKey(value, name)
    try:
        import keyring

        stored = keyring.get_password(SERVICE, host)
    except Exception as error:
        return FoundKey(None, "none", f"the keyring could not be read ({_why(error)})")
    if stored:
        return FoundKey(stored, "the keyring")
    return FoundKey(None, "none")


def remember(host: str, key: str) -> None:
    """Keep the key in the OS keyring for `host`; KeyStoreError when there is none to use."""
    if not key.strip():
        raise KeyStoreError("there is no key to remember")
    try:
        import keyring

        keyring.set_password(SERVICE, host, key.strip())
    except Exception as error:
        raise KeyStoreError(f"the key could not be kept in the keyring ({_why(error)}); set "
                            f"{KEY_VARIABLE} instead") from None


def forget(host: str) -> None:
    """Remove the key for `host` from the keyring; nothing there is not an error."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(SERVICE, host)
        except PasswordDeleteError:
            return
    except Exception as error:
        raise KeyStoreError(f"the key could not be removed from the keyring "
                            f"({_why(error)})") from None


def _why(error: Exception) -> str:
    # The class name and the backend's first line; a backend never holds the key in it.
    text = str(error).splitlines()[0] if str(error) else ""
    text = text if len(text) <= 120 else text[:119] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
