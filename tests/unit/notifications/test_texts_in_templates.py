"""Issue 17, content out of code: the e-mails and SMS a domain sends are Jinja templates
(``espace/notifications/templates``, rendered by ``notifications.messages``), never text written
in the call. An AST check of every ``notices.notify(...)``, ``outbox.send_email(...)`` and
``outbox.send_sms(...)`` call in ``espace/``, every module (no exemption is left): its e-mail
subject and body and its SMS text must not be a string literal or an f-string (nor a local variable
holding one)."""

from __future__ import annotations

import ast
from pathlib import Path

import espace

ROOT = Path(espace.__file__).parent
# The keywords that carry a message's text: notify's, in any call (a helper that passes them on,
# like profile's _alert, is checked too), and the outbox's, by the call's last name.
NOTIFY_TEXTS = {"email_subject", "email_body", "sms_body"}
TEXT_ARGUMENTS = {"send_email": {"subject", "body"}, "send_sms": {"body"}}
OWN_FILES = {"notifications/outbox.py", "notifications/notices.py"}  # the senders themselves


def _is_text(node: ast.expr) -> bool:
    """A literal text: "…" (but not the empty string, which means 'no e-mail'), f"…", or one
    built from them ("…" + x, "…".join(...), "…" if c else "…")."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value != ""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) or _is_text(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("join", "format") and _is_text(node.func.value)
    return False


def _assigned_text(function: ast.AST, name: str) -> bool:
    """The function assigns literal text to this local name (``email = f"Bonjour…"``)."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            if _is_text(node.value):
                return True
        if isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            if node.target.id == name and node.value is not None and _is_text(node.value):
                return True
    return False


def _texts_in_code(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for call in ast.walk(function):
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            for keyword in call.keywords:
                if keyword.arg not in NOTIFY_TEXTS | TEXT_ARGUMENTS.get(called, set()):
                    continue
                value = keyword.value
                if _is_text(value) or (
                    isinstance(value, ast.Name) and _assigned_text(function, value.id)
                ):
                    found.append(f"{called}({keyword.arg}=...) line {call.lineno}")
    return found


def _modules() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


def test_no_message_text_is_written_in_the_code():
    offenders = {}
    for path in _modules():
        name = path.relative_to(ROOT).as_posix()
        if name in OWN_FILES:
            continue
        found = _texts_in_code(path)
        if found:
            offenders[name] = found
    assert offenders == {}, "Move these texts to espace/notifications/templates: " + repr(offenders)


def test_the_check_finds_a_text_written_in_the_code(tmp_path):
    """The check itself: an f-string body, a literal subject, a text kept in a local variable, a
    text built with + and one passed through a helper are found; a rendered template and the
    empty 'no e-mail' are not."""
    module = tmp_path / "sample.py"
    module.write_text(
        "def a(n):\n"
        "    notices.notify(title='t', email_subject='Objet', email_body=f'Bonjour {n}')\n"
        "def b(n):\n"
        "    text = f'Rappel {n}'\n"
        "    notices.notify(title='t', sms_body=text)\n"
        "def c(n):\n"
        "    outbox.send_email(to=n, subject=s, body='Bonjour ' + n)\n"
        "    _alert(n, title='t', email_body=(f'Bonjour {n}'))\n"
        "def d(n):\n"
        "    email = messages.email('x', n=n)\n"
        "    notices.notify(title='Titre', body=f'{n}', email_subject=email.subject,\n"
        "                   email_body=email.body if email else '', sms_body=messages.sms('y'))\n"
        "    outbox.send_email(to=n, subject=email.subject, body=email.body)\n",
        encoding="utf-8",
    )
    assert _texts_in_code(module) == [
        "notify(email_subject=...) line 2",
        "notify(email_body=...) line 2",
        "notify(sms_body=...) line 5",
        "send_email(body=...) line 7",
        "_alert(email_body=...) line 8",
    ]
