"""Reflex states: nothing secret is public, and private handlers re-check the session."""

import reflex as rx

import espace.espace  # noqa: F401  (registers every state and page)

FORBIDDEN = ("password", "hash", "token", "secret", "totp", "iban", "code", "key", "qr")
# Shown to the person once, on purpose, and emptied afterwards (see espace/state/security.py):
# the authenticator enrolment (QR code and key) and freshly generated recovery codes.
SHOWN_ONCE = {
    "SecurityState.enrol_qr",
    "SecurityState.enrol_key",
    "SecurityState.shown_codes",
    "SecurityState.codes_left",
}  # codes_left is a count


def _espace_states():
    seen, todo = [], [rx.State]
    while todo:
        cls = todo.pop()
        for sub in cls.get_substates():
            todo.append(sub)
            if sub.__module__.startswith("espace."):
                seen.append(sub)
    return seen


def test_there_are_states_to_check():
    names = {cls.__name__ for cls in _espace_states()}
    assert {"SessionState", "LoginState", "ContractsState", "ProfileState"} <= names


def test_no_public_var_holds_a_secret():
    for cls in _espace_states():
        public = set(cls.vars)  # backend (_underscore) vars are not in .vars
        for name in public:
            if name.endswith(
                ("_error", "_hint", "_label")
            ):  # French messages about a field, not its value
                continue
            if f"{cls.__name__}.{name}" in SHOWN_ONCE:
                continue
            assert not any(word in name.lower() for word in FORBIDDEN), (
                f"{cls.__name__}.{name} is sent to the browser"
            )
