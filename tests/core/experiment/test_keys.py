"""API keys: the environment first, then the keyring; a missing keyring is a plain message."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from tests.core.experiment.conftest import MemoryKeyring
from tunewise.core.experiment import keys
from tunewise.core.experiment.client import PRESETS


def test_tunewise_variable_then_the_presets_then_the_keyring(
        memory_keyring: MemoryKeyring) -> None:
    keys.remember("api.openai.com", "from-keyring")
    assert memory_keyring.stored == {("tunewise", "api.openai.com"): "from-keyring"}
    openai = PRESETS["openai"]
    env = {"TUNEWISE_API_KEY": "from-tunewise", "OPENAI_API_KEY": "from-openai"}
    assert keys.find_key("api.openai.com", openai, env).key == "from-tunewise"
    found = keys.find_key("api.openai.com", openai, {"OPENAI_API_KEY": "from-openai"})
    assert (found.key, found.source) == ("from-openai", "OPENAI_API_KEY")
    found = keys.find_key("api.openai.com", openai, {})
    assert (found.key, found.source) == ("from-keyring", "the keyring")
    assert keys.find_key("other.host", None, {}).key is None
    keys.forget("api.openai.com")
    keys.forget("api.openai.com")  # nothing there: not an error
    assert keys.find_key("api.openai.com", openai, {}).key is None


def test_no_keyring_backend_is_a_plain_message() -> None:
    keyring.set_keyring(fail.Keyring())
    found = keys.find_key("api.openai.com", None, {})
    assert found.key is None and "keyring could not be read" in found.note
    with pytest.raises(keys.KeyStoreError, match="set TUNEWISE_API_KEY instead"):
        keys.remember("api.openai.com", "sk-abc")
