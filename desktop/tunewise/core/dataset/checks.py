"""Checks on one record: its shape for the file's format, then its conversation.

Every format becomes chat messages ({role, content[, name]}) here, so what follows (counting,
duplicates, personal data) is one code path. Each problem is a stable kind (model.ProblemKind)
and a plain sentence naming the field or value; a record with any problem is not valid.
The conversation rules are those of OpenAI's chat fine-tuning: a system message only first,
then user and assistant taking turns, ending with the assistant's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tunewise.core.dataset.formats import BY_ID, label, record_format
from tunewise.core.dataset.model import DatasetFormat, ProblemKind

Message = dict[str, str]
ROLES = ("system", "user", "assistant")
MESSAGE_KEYS = frozenset({"role", "content", "name", "weight"})
SHAREGPT_ROLES = {"human": "user", "gpt": "assistant", "system": "system"}
SHAREGPT_KEYS = frozenset({"from", "value"})
PREFERENCE_INPUT_KEYS = frozenset({"messages", "tools", "parallel_tool_calls"})
MAX_ECHO = 40  # characters of a key or value repeated in a problem


@dataclass
class Checked:
    """A record as chat messages, and what is wrong with it (nothing when valid)."""

    messages: list[Message] = field(default_factory=list)
    problems: list[tuple[ProblemKind, str]] = field(default_factory=list)

    def add(self, kind: ProblemKind, problem: str) -> None:
        self.problems.append((kind, problem))


def _echo(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= MAX_ECHO else text[:MAX_ECHO - 1] + "…")


def _kind_of(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def _unknown_keys(obj: dict[str, Any], allowed: frozenset[str], where: str,
                  out: Checked) -> None:
    if obj.keys() <= allowed:
        return
    extra = [k for k in obj if k not in allowed]
    if extra:
        names = ", ".join(_echo(k) for k in extra[:3]) + (" …" if len(extra) > 3 else "")
        out.add("unknown_key", f"{where} has unknown key{'s' if len(extra) > 1 else ''} {names}")


def _text(value: object, what: str, out: Checked) -> str | None:
    """A content value as text: a string, or a list of text parts joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(p, dict) and p.get("type") == "text"
                                       and isinstance(p.get("text"), str) for p in value):
        return "".join(p["text"] for p in value)
    out.add("wrong_type", f"{what} is {_kind_of(value)}, not text")
    return None


def _chat_messages(value: object, where: str, out: Checked) -> list[Message]:
    if not isinstance(value, list):
        out.add("wrong_type", f"{where} is {_kind_of(value)}, not a list of messages")
        return []
    messages: list[Message] = []
    for i, item in enumerate(value, 1):
        # The common case, a plain {role, content} message, is taken as it is.
        if (type(item) is dict and len(item) == 2 and type(item.get("content")) is str
                and item.get("role") in ROLES):
            messages.append(item)
            continue
        what = f"message {i}"
        if not isinstance(item, dict):
            out.add("wrong_type", f"{what} is {_kind_of(item)}, not an object")
            continue
        _unknown_keys(item, MESSAGE_KEYS, what, out)
        role = item.get("role")
        if "role" not in item:
            out.add("missing_key", f"{what} has no 'role'")
        elif not isinstance(role, str):
            out.add("wrong_type", f"the role of {what} is {_kind_of(role)}, not text")
        elif role not in ROLES:
            out.add("unknown_role", f"{what} has role {_echo(role)}; expected system, user "
                    "or assistant")
        if "content" not in item:
            out.add("missing_key", f"{what} has no 'content'")
            content = None
        else:
            content = _text(item["content"], f"the content of {what}", out)
        name = item.get("name")
        if name is not None and not isinstance(name, str):
            out.add("wrong_type", f"the name of {what} is {_kind_of(name)}, not text")
            name = None
        weight = item.get("weight")
        if "weight" in item and (isinstance(weight, bool) or weight not in (0, 1)):
            out.add("wrong_type", f"the weight of {what} is {_echo(weight)}; it must be 0 or 1")
        if isinstance(role, str) and role in ROLES and content is not None:
            message: Message = {"role": role, "content": content}
            if name is not None:
                message["name"] = name
            messages.append(message)
    return messages


def _string(obj: dict[str, Any], key: str, out: Checked, required: bool = True) -> str | None:
    if key not in obj:
        if required:
            out.add("missing_key", f"no {key!r} key")
        return None
    value = obj[key]
    if not isinstance(value, str):
        out.add("wrong_type", f"{key!r} is {_kind_of(value)}, not text")
        return None
    return value


def _chat(obj: dict[str, Any], out: Checked) -> None:
    if "messages" not in obj:
        out.add("missing_key", "no 'messages' key")
        return
    out.messages = _chat_messages(obj["messages"], "'messages'", out)


def _preference(obj: dict[str, Any], out: Checked) -> None:
    given = obj.get("input")
    if "input" not in obj:
        out.add("missing_key", "no 'input' key")
    elif not isinstance(given, dict):
        out.add("wrong_type", f"'input' is {_kind_of(given)}, not an object")
    else:
        _unknown_keys(given, PREFERENCE_INPUT_KEYS, "'input'", out)
        if "messages" not in given:
            out.add("missing_key", "'input' has no 'messages'")
        else:
            out.messages = _chat_messages(given["messages"], "'input.messages'", out)
    for key in ("preferred_output", "non_preferred_output"):
        if key not in obj:
            out.add("missing_key", f"no {key!r} key")
            continue
        answer = _chat_messages(obj[key], repr(key), out)
        if isinstance(obj[key], list) and not obj[key]:
            out.add("no_assistant", f"{key!r} is empty")
        if any(m["role"] != "assistant" for m in answer):
            out.add("role_order", f"{key!r} must hold assistant messages only")
        if key == "preferred_output":
            out.messages = out.messages + answer
        elif any(not m["content"].strip() for m in answer):
            out.add("empty_content", f"{key!r} is empty")


def _sharegpt(obj: dict[str, Any], out: Checked) -> None:
    system = _string(obj, "system", out, required=False)
    if system is not None:
        out.messages.append({"role": "system", "content": system})
    turns = obj.get("conversations")
    if "conversations" not in obj:
        out.add("missing_key", "no 'conversations' key")
        return
    if not isinstance(turns, list):
        out.add("wrong_type", f"'conversations' is {_kind_of(turns)}, not a list")
        return
    for i, turn in enumerate(turns, 1):
        what = f"turn {i}"
        if not isinstance(turn, dict):
            out.add("wrong_type", f"{what} is {_kind_of(turn)}, not an object")
            continue
        _unknown_keys(turn, SHAREGPT_KEYS, what, out)
        speaker = turn.get("from")
        value = _text(turn["value"], f"the value of {what}", out) if "value" in turn else None
        if "value" not in turn:
            out.add("missing_key", f"{what} has no 'value'")
        if "from" not in turn:
            out.add("missing_key", f"{what} has no 'from'")
        elif not isinstance(speaker, str) or speaker not in SHAREGPT_ROLES:
            out.add("unknown_role", f"{what} is from {_echo(speaker)}; expected human, gpt or "
                    "system")
        elif value is not None:
            out.messages.append({"role": SHAREGPT_ROLES[speaker], "content": value})


def _prompt_completion(obj: dict[str, Any], out: Checked) -> None:
    prompt = _string(obj, "prompt", out)
    completion = _string(obj, "completion", out)
    if prompt is not None and completion is not None:
        out.messages = [{"role": "user", "content": prompt},
                        {"role": "assistant", "content": completion}]


def _alpaca(obj: dict[str, Any], out: Checked) -> None:
    instruction = _string(obj, "instruction", out)
    extra = _string(obj, "input", out, required=False)
    output = _string(obj, "output", out)
    system = _string(obj, "system", out, required=False)
    if instruction is None or output is None:
        return
    question = f"{instruction}\n\n{extra}" if extra and extra.strip() else instruction
    out.messages = ([{"role": "system", "content": system}] if system is not None else []) + [
        {"role": "user", "content": question}, {"role": "assistant", "content": output}]


_CONVERTERS = {"chat": _chat, "preference": _preference, "sharegpt": _sharegpt,
               "prompt_completion": _prompt_completion, "alpaca": _alpaca}


def check_record(obj: Any, file_format: DatasetFormat) -> Checked:
    """A parsed JSON line checked against the file's format, then as a conversation."""
    out = Checked()
    if not isinstance(obj, dict):
        out.add("wrong_type", f"the line is {_kind_of(obj)}, not a JSON object")
        return out
    found = record_format(obj)
    if found is not None and found != file_format:
        out.add("mixed_format", f"this record is in {label(found)} form, but the file is "
                f"{label(file_format)}")
        return out
    spec = BY_ID.get(file_format)
    if spec is None:  # a CSV/TSV file has no JSON records
        out.add("wrong_type", f"a {label(file_format)} file has no JSON records")
        return out
    _unknown_keys(obj, spec.allowed, "the record", out)
    _CONVERTERS[file_format](obj, out)
    check_conversation(out)
    return out


def check_row(cells: list[str], width: int, input_index: int, output_index: int,
              header: list[str]) -> Checked:
    """A CSV/TSV row: as wide as the header, with its input and output cells filled."""
    out = Checked()
    if len(cells) != width:
        out.add("bad_row", f"the row has {len(cells)} cells; the header has {width}")
        return out
    out.messages = [{"role": "user", "content": cells[input_index]},
                    {"role": "assistant", "content": cells[output_index]}]
    for index, message in zip((input_index, output_index), out.messages, strict=True):
        if not message["content"].strip():
            out.add("empty_content", f"the {_echo(header[index])} cell is empty")
    return out


def check_conversation(out: Checked) -> None:
    """Empty messages, a missing answer, and roles out of order, on the converted messages."""
    messages = out.messages
    if out.problems:
        return  # the messages are partial: more problems would only echo the first
    for i, message in enumerate(messages, 1):
        if not message["content"].strip():
            out.add("empty_content", f"message {i} ({message['role']}) is empty")
    roles = [m["role"] for m in messages]
    if "assistant" not in roles:
        out.add("no_assistant", "no assistant message: there is no answer to learn from")
        return
    problem = role_order_problem(roles)
    if problem is not None:
        out.add("role_order", problem)


def role_order_problem(roles: list[str]) -> str | None:
    """Why the roles are out of order, or None when they follow the rules."""
    for i, role in enumerate(roles[1:], 2):
        if role == "system":
            return f"message {i} is a system message; a system message can only come first"
    turns = roles[1:] if roles and roles[0] == "system" else roles
    if not turns:
        return "there is only a system message"
    if turns[0] != "user":
        return "the conversation starts with the assistant; it must start with the user"
    for i in range(1, len(turns)):
        if turns[i] == turns[i - 1]:
            where = i + 1 + (len(roles) - len(turns))
            return (f"messages {where - 1} and {where} are both from the {turns[i]}; the user "
                    "and the assistant take turns")
    if turns[-1] != "assistant":
        return "the conversation ends with the user; it must end with the assistant's answer"
    return None
