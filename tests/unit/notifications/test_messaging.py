"""E-mail delivery: SMTP when configured, the outbox otherwise; link splitting for the dev
outbox."""

from espace.core.settings import Settings
from espace.notifications import outbox
from espace.notifications.outbox import split_links


def test_split_links():
    assert split_links("Ouvrez https://x.fr/a?jeton=1 maintenant") == [
        ("Ouvrez ", False),
        ("https://x.fr/a?jeton=1", True),
        (" maintenant", False),
    ]
    assert split_links("sans lien") == [("sans lien", False)]


def test_smtp_sender_uses_settings(monkeypatch, tmp_path):
    sent = {}

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent["server"] = (host, port)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent["tls"] = True

        def login(self, user, password):
            sent["login"] = (user, password)

        def send_message(self, message):
            sent["message"] = message

    monkeypatch.setattr(outbox.smtplib, "SMTP", FakeSMTP)
    settings = Settings(
        data_dir=tmp_path,
        smtp_host="smtp.example",
        smtp_port=2525,
        smtp_user="u",
        smtp_password="p",
    )
    outgoing = outbox.OutboxMessage(
        channel="email", recipient="a@b.fr", subject="Sujet é", body="Corps"
    )
    outbox.SmtpSender().send(outgoing, settings)
    assert sent["server"] == ("smtp.example", 2525) and sent["tls"] and sent["login"] == ("u", "p")
    assert sent["message"]["To"] == "a@b.fr" and sent["message"]["Subject"] == "Sujet é"
    # a text part and its HTML alternative (espace/notifications/messages.py)
    assert "Corps" in sent["message"].get_body(("plain",)).get_content()
    assert "<p " in sent["message"].get_body(("html",)).get_content()
