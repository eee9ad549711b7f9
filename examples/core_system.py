#!/usr/bin/env python3
"""An insurer's core system talking to Espace through its API, as a real integration would.

What it does, against a running Espace (``./run.sh``, which also starts the worker that delivers
webhooks):
  1. reads the formula catalogue;
  2. starts a small HTTP server and registers it as a webhook endpoint;
  3. creates a holder, their flat and a contract (the schedule of instalments follows);
  4. publishes the contract's "conditions particulières" PDF to the holder's documents;
  5. records a claim reported by phone, then moves it: expert appointed, visit planned, damage
     assessed, indemnity paid; and writes to the holder;
  6. waits for the signed ``claim.declared`` webhook and verifies its signature (Standard
     Webhooks, checked with the standard library only: see docs/integration-guide.md).

It prints what the holder needs to sign up on /inscription (contract number, last name, birth
date, postal code). Standard library only: copy it as the start of your own connector.

Usage:
  espace api-client create --name "Système de gestion" --scopes '*'   # prints the token once
  ESPACE_API_TOKEN=esp_... python examples/core_system.py [--base-url http://localhost:8000]

Without a token, it asks the local ``espace`` command for one (same machine and data directory as
./run.sh). ``--json`` prints the result as JSON (used by the end-to-end test).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import queue
import random
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
import zlib
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Api:
    def __init__(self, base_url: str, token: str) -> None:
        self.base = base_url.rstrip("/") + "/api/v1"
        self.token = token

    def call(self, method: str, path: str, body: dict | None = None, key: str | None = None):
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if method != "GET":
            # Keep the key of a write until it succeeds: a retry after a timeout never writes twice.
            headers["Idempotency-Key"] = key or str(uuid.uuid4())
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers=headers
        )
        for attempt in range(6):
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    return json.loads(response.read() or b"null")
            except urllib.error.HTTPError as error:
                if (
                    error.code in (409, 429) and attempt < 5
                ):  # same key still running, or rate limit
                    time.sleep(int(error.headers.get("Retry-After", "2")))
                    continue
                detail = error.read().decode(errors="replace")
                raise SystemExit(f"{method} {path} -> {error.code}: {detail}") from None
            except (TimeoutError, urllib.error.URLError) as error:
                if attempt == 5:
                    raise SystemExit(f"{method} {path}: {error}") from None
                # No answer: send the same request with the same Idempotency-Key. If the first one
                # was written, Espace answers it again instead of writing twice.
                time.sleep(2)
        raise SystemExit(f"{method} {path}: no answer")

    def get(self, path: str):
        return self.call("GET", path)

    def post(self, path: str, body: dict | None = None):
        return self.call("POST", path, body or {})


# ----- webhooks: a receiver and the signature check (stdlib only) ---------------------------------


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    """Standard Webhooks: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}"."""
    timestamp = int(headers["webhook-timestamp"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(f"v1,{expected}", candidate)
        for candidate in headers["webhook-signature"].split()
    )


class Receiver:
    def __init__(self, port: int) -> None:
        self.events: queue.Queue = queue.Queue()
        self.secret = ""
        self.seen: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                if not receiver.secret or not verify(receiver.secret, headers, body):
                    self.send_response(401)
                    self.end_headers()
                    return
                self.send_response(204)
                self.end_headers()
                if headers["webhook-id"] not in receiver.seen:  # deliveries may come twice
                    receiver.seen.add(headers["webhook-id"])
                    receiver.events.put(json.loads(body))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/espace-webhooks"

    def wait_for(self, event_type: str, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self.events.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if event["type"] == event_type:
                return event
        return None


# ----- a tiny PDF (what a real system would read from its document store) -------------------------


def conditions_pdf(lines: list[str]) -> bytes:
    text = "BT /F1 12 Tf 50 780 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in lines
    )
    stream = zlib.compress(text.encode("latin-1", "replace"))
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d/Filter/FlateDecode>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ----- the run ------------------------------------------------------------------------------------


def local_token() -> str:
    espace = shutil.which("espace") or str(Path(sys.executable).parent / "espace")
    root = Path(__file__).resolve().parent.parent
    candidates = [espace, str(root / ".venv" / "bin" / "espace")]
    for command in candidates:
        if Path(command).exists():
            result = subprocess.run(
                [
                    command,
                    "api-client",
                    "create",
                    "--name",
                    "Exemple core_system.py",
                    "--scopes",
                    "*",
                ],
                capture_output=True,
                text=True,
                cwd=root,
                check=True,
            )
            return result.stdout.strip().splitlines()[-1]
    raise SystemExit(
        "No token: set ESPACE_API_TOKEN (espace api-client create --name … --scopes '*')."
    )


def run(base_url: str, token: str, *, webhook_port: int, wait: float, log) -> dict:
    api = Api(base_url, token)
    receiver = Receiver(webhook_port)
    catalogue = api.get("/catalogue")
    log(f"Catalogue : {', '.join(f['name'] for f in catalogue)}")
    endpoint = api.post(
        "/webhooks/endpoints",
        {
            "url": receiver.url,
            "event_types": ["claim.declared", "claim.message_posted", "payment.rejected"],
            "description": "Exemple core_system.py",
        },
    )
    receiver.secret = endpoint["secret"]
    log(f"Webhook enregistré : {receiver.url} (point n° {endpoint['id']})")

    tag = f"{random.randrange(10**6):06d}"
    holder = api.post(
        "/holders",
        {
            "civility": "Mme",
            "first_name": "Héloïse",
            "last_name": f"Coeur-{tag}",
            "birth_date": "1986-05-14",
            "email": f"heloise.{tag}@exemple.fr",
            "phone": "06 45 12 78 90",
            "address_line1": "27 quai de Bondy",
            "postal_code": "69005",
            "city": "Lyon",
        },
    )
    prop = api.post(
        f"/holders/{holder['id']}/properties",
        {
            "address_line1": "27 quai de Bondy",
            "postal_code": "69005",
            "city": "Lyon",
            "property_type": "flat",
            "rooms": 3,
            "surface_m2": 68,
            "occupancy": "tenant",
            "floor": 2,
        },
    )
    start = date.today().replace(day=1) - timedelta(days=120)
    contract = api.post(
        "/contracts",
        {
            "holder_id": holder["id"],
            "property_id": prop["id"],
            "formula": catalogue[min(1, len(catalogue) - 1)]["code"],
            "furniture_capital_cents": 3_000_000,
            "deductible_cents": 15_000,
            "start_date": start.isoformat(),
            "payment_frequency": "monthly",
        },
    )
    log(f"Contrat {contract['number']} créé pour {holder['first_name']} {holder['last_name']}")
    pdf = conditions_pdf(
        [
            "Conditions particulieres",
            f"Contrat {contract['number']} - formule {contract['formula']}",
            f"Assuree : {holder['first_name']} {holder['last_name']}",
            "Logement : 27 quai de Bondy, 69005 Lyon",
        ]
    )
    document = api.post(
        "/documents",
        {
            "holder_id": holder["id"],
            "contract_id": contract["id"],
            "kind": "conditions",
            "title": f"Conditions particulières {contract['number']}",
            "content_base64": base64.b64encode(pdf).decode(),
        },
    )
    log(f"Document publié : {document['title']}")

    occurred = datetime.now().astimezone() - timedelta(days=2)
    claim = api.post(
        "/claims",
        {
            "contract_id": contract["id"],
            "peril": "water_damage",
            "occurred_at": occurred.replace(microsecond=0).isoformat(),
            "description": "Fuite sous l'évier de la cuisine, meuble bas et parquet abîmés.",
            "answers": {
                "origin": "leak",
                "neighbour_involved": "no",
                "amicable_report": "no",
                "leak_stopped": "yes",
            },
            "items": [
                {
                    "description": "Meuble bas de cuisine",
                    "category": "furniture",
                    "estimate_cents": 95_000,
                },
                {
                    "description": "Parquet de la cuisine",
                    "category": "building",
                    "estimate_cents": 240_000,
                },
            ],
        },
    )
    log(f"Sinistre {claim['number']} déclaré ({claim['status']})")
    visit = (datetime.now().astimezone() + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    for action in (
        {"action": "appoint_expert"},
        {
            "action": "plan_visit",
            "visit_at": visit.isoformat(),
            "note": "Prévoir l'accès à la cuisine.",
        },
        {"action": "assess", "damage_cents": 280_000},
        {"action": "record_payment", "reference": f"VIR-{tag}"},
    ):
        claim = api.post(f"/claims/{claim['id']}/actions", action)
        log(f"  -> {claim['status']}")
    api.post(
        f"/claims/{claim['id']}/messages",
        {"body": "Le virement de votre indemnité est parti ce jour. Bonne journée."},
    )
    event = receiver.wait_for("claim.declared", wait)
    if event is None:
        log("Aucun webhook reçu : le worker tourne-t-il (./run.sh le lance) ?")
    else:
        log(f"Webhook reçu et vérifié : {event['type']} {event['data']['number']} ({event['id']})")
    receiver.server.shutdown()
    log(
        "Pour créer l'espace de l'assurée (/inscription) : contrat "
        f"{contract['number']}, nom {holder['last_name']}, née le 14/05/1986, code postal 69005."
    )
    return {
        "holder": holder,
        "contract": contract,
        "document": document,
        "claim": {k: claim[k] for k in ("id", "number", "status")},
        "stages": [e["kind"] for e in claim["events"]],
        "webhook": event,
        "webhook_verified": event is not None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default=os.environ.get("ESPACE_URL", "http://localhost:8000"))
    parser.add_argument("--token", default=os.environ.get("ESPACE_API_TOKEN", ""))
    parser.add_argument("--webhook-port", type=int, default=0, help="0: any free port")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for the webhook")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    log = (lambda text: print(text, file=sys.stderr)) if args.json else print
    result = run(
        args.base_url,
        args.token or local_token(),
        webhook_port=args.webhook_port,
        wait=args.wait,
        log=log,
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0 if result["webhook_verified"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
