"""The "Done when" of issue 19, walked for real: ``examples/core_system.py`` runs against the
production build (with a worker delivering webhooks), creates a holder, a contract, a PDF and a
claim it moves to payment, and receives the signed webhook; then the holder it created signs up on
/inscription and sees the contract, the published PDF and the claim's stages."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from playwright.sync_api import expect
from sqlmodel import Session

from espace.core import fake_clock
from espace.core.settings import PROJECT_ROOT
from espace.integration import clients
from tests.e2e.conftest import login, outbox_link, wait_ready
from tests.integration.notifications.queue_support import start_worker, stop_worker, worker_env

PASSWORD = "Héron#Quai-Bondy2027"


def _python_on_the_suites_clock() -> list[str]:
    """Python for the example: the insurer's system shares the app's clock, moved too when the suite
    runs at another date (scripts/at_date.sh), as the browser's is; the example itself stays
    standard-library only."""
    if fake_clock.requested() is None:
        return [sys.executable]
    launcher = (
        "import runpy, sys\n"
        "from espace.core import fake_clock\n"
        "fake_clock.install_from_env()\n"
        "sys.argv = sys.argv[1:]\n"
        "runpy.run_path(sys.argv[0], run_name='__main__')\n"
    )
    return [sys.executable, "-c", launcher]


def test_the_core_system_example_feeds_the_portal_and_its_holder_sees_everything(
    new_page, live_app, app_engine, app_db_url, tmp_path_factory, tmp_path
):
    app_dir = next(tmp_path_factory.getbasetemp().glob("e2e-app*"))  # the app's data dir
    with Session(app_engine) as db:
        _, token = clients.create_client(session=db, name="core_system.py (e2e)", scopes="*")
        db.commit()
    worker = start_worker(
        worker_env(app_dir, app_db_url, None, ESPACE_WEBHOOK_RETRY_SECONDS="1"),
        tmp_path / "worker.log",
        "--workers",
        "1",
        "--no-periodic",
    )
    try:
        run = subprocess.run(
            [
                *_python_on_the_suites_clock(),
                str(PROJECT_ROOT / "examples" / "core_system.py"),
                "--base-url",
                live_app.url,
                "--token",
                token,
                "--json",
                "--wait",
                "120",
            ],
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        stop_worker(worker)
    assert run.returncode == 0, run.stderr[-3000:] + (tmp_path / "worker.log").read_text()[-2000:]
    result = json.loads(run.stdout)
    assert result["webhook_verified"] and result["webhook"]["type"] == "claim.declared"
    holder, contract = result["holder"], result["contract"]
    claim_number = result["claim"]["number"]

    page = new_page("desktop")
    page.goto("/inscription")
    page.get_by_label("Numéro de contrat").fill(contract["number"])
    page.get_by_label("Nom de famille").fill(holder["last_name"])
    page.get_by_label("Date de naissance").fill(holder["birth_date"])
    page.get_by_label("Code postal du logement assuré").fill("69005")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("votre contrat est bien reconnu")).to_be_visible()
    page.get_by_label("Adresse e-mail").fill(holder["email"])
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon espace").click()
    expect(page.get_by_text("Dernière étape")).to_be_visible()
    page.goto(outbox_link(app_engine, holder["email"]))
    expect(page.get_by_text("Votre espace est activé")).to_be_visible()
    login(page, holder["email"], PASSWORD)

    page.goto("/contrats")
    expect(page.get_by_text(contract["number"]).first).to_be_visible()

    page.goto("/documents")
    document = page.get_by_text(result["document"]["title"]).first
    expect(document).to_be_visible()

    page.goto(f"/sinistre?n={claim_number}")
    wait_ready(page, re.compile(r"/sinistre"))
    tracker = page.locator("#tracker")
    for label in (
        "Déclaration reçue",
        "Expert missionné",
        "Visite planifiée",
        "Indemnité calculée",
        "Paiement envoyé",
    ):
        step = tracker.locator(".tracker-step", has_text=label)
        expect(step).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4}"))
    expect(page.get_by_text("Le virement de votre indemnité est parti ce jour.")).to_be_visible()
