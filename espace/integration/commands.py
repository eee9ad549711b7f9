"""The integration's admin commands, registered on ``espace``'s parser (``espace/cli.py``):

- ``espace api-client create --name … --scopes …`` (the token is shown once), ``list``, ``rotate``,
  ``revoke``, ``scopes``, ``calls`` (the audit of the calls);
- ``espace webhooks add --url … --events …`` (the signing secret is shown once), ``list``,
  ``disable``, ``deliveries`` (the delivery log), ``attempts``, ``replay``;
- ``espace bank export-debits --from … --to …`` (pain.008) and ``import-returns FILE``
  (pain.002 / camt.054)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from sqlmodel import select

from espace.core.db import session_scope


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


# ----- api-client ---------------------------------------------------------------------------------


def cmd_client_create(args: argparse.Namespace) -> int:
    from espace.integration import clients

    try:
        with session_scope() as db:
            row, token = clients.create_client(
                session=db,
                name=args.name,
                scopes=args.scopes,
                rate_limit_per_minute=args.rate_limit,
            )
            client_id, scopes = row.id, row.scopes
    except clients.ClientError as error:
        return _fail(str(error))
    print(f"Client API n° {client_id} « {args.name} » créé, portées : {', '.join(scopes)}.")
    print("Jeton (affiché une seule fois, conservez-le dans le coffre du système appelant) :")
    print(token)
    return 0


def cmd_client_list(_args: argparse.Namespace) -> int:
    from espace.integration import clients

    with session_scope() as db:
        for row in clients.list_clients(session=db):
            state = f"révoqué le {row.revoked_at:%d/%m/%Y}" if row.revoked_at else "actif"
            used = f"{row.last_used_at:%d/%m/%Y %H:%M}" if row.last_used_at else "jamais"
            print(
                f"{row.id:>4}  {row.name:<30} {state:<22} {row.rate_limit_per_minute}/min  "
                f"dernier appel : {used}  {','.join(row.scopes)}"
            )
    return 0


def cmd_client_rotate(args: argparse.Namespace) -> int:
    from espace.integration import clients

    try:
        with session_scope() as db:
            token = clients.rotate(session=db, client_id=args.id)
    except clients.ClientError as error:
        return _fail(str(error))
    print("Nouveau jeton (l'ancien ne fonctionne plus) :")
    print(token)
    return 0


def cmd_client_revoke(args: argparse.Namespace) -> int:
    from espace.integration import clients

    try:
        with session_scope() as db:
            clients.revoke(session=db, client_id=args.id)
    except clients.ClientError as error:
        return _fail(str(error))
    print(f"Client API n° {args.id} révoqué.")
    return 0


def cmd_client_scopes(args: argparse.Namespace) -> int:
    from espace.integration import clients

    try:
        with session_scope() as db:
            row = clients.set_scopes(session=db, client_id=args.id, scopes=args.scopes)
            scopes = row.scopes
    except clients.ClientError as error:
        return _fail(str(error))
    print(f"Portées du client n° {args.id} : {', '.join(scopes)}.")
    return 0


def cmd_client_calls(args: argparse.Namespace) -> int:
    from espace.integration import clients

    with session_scope() as db:
        for call in clients.calls(session=db, client_id=args.id, limit=args.limit):
            print(
                f"{call.at:%Y-%m-%d %H:%M:%S}  client {call.client_id or '-':>4}  {call.method:<6} "
                f"{call.path:<45} {call.status_code}  {call.object_ref}"
            )
    return 0


# ----- webhooks -----------------------------------------------------------------------------------


def cmd_webhook_add(args: argparse.Namespace) -> int:
    from espace.webhooks import delivery

    events = [e.strip() for e in args.events.split(",") if e.strip()]
    try:
        with session_scope() as db:
            row, secret = delivery.create_endpoint(
                session=db, url=args.url, event_types=events, description=args.description
            )
            endpoint_id = row.id
    except delivery.EndpointError as error:
        return _fail(str(error))
    print(f"Point de réception n° {endpoint_id} enregistré pour : {', '.join(events)}.")
    print("Secret de signature (affiché une seule fois) :")
    print(secret)
    return 0


def cmd_webhook_list(_args: argparse.Namespace) -> int:
    from espace.webhooks.models import WebhookEndpoint

    with session_scope() as db:
        for row in db.exec(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all():
            state = "actif" if row.is_active else "désactivé"
            print(f"{row.id:>4}  {state:<10} {row.url}  {','.join(row.event_types)}")
    return 0


def cmd_webhook_disable(args: argparse.Namespace) -> int:
    from espace.webhooks import delivery

    try:
        with session_scope() as db:
            delivery.update_endpoint(session=db, endpoint_id=args.id, is_active=False)
    except LookupError:
        return _fail(f"Point de réception inconnu : {args.id}")
    print(f"Point de réception n° {args.id} désactivé.")
    return 0


def cmd_webhook_deliveries(args: argparse.Namespace) -> int:
    from espace.webhooks.models import WebhookDelivery, WebhookEvent

    with session_scope() as db:
        query = (
            select(WebhookDelivery, WebhookEvent)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(args.limit)
        )
        if args.status:
            query = query.where(WebhookDelivery.status == args.status)
        for row, event in db.exec(query).all():
            print(
                f"{row.id:>6}  {event.created_at:%Y-%m-%d %H:%M}  {event.type:<24} "
                f"-> point {row.endpoint_id:<4} {row.status:<10} {row.attempts} essai(s)  "
                f"{row.last_error}"
            )
    return 0


def cmd_webhook_attempts(args: argparse.Namespace) -> int:
    from espace.webhooks import delivery

    with session_scope() as db:
        for attempt in delivery.attempts(session=db, delivery_id=args.id):
            print(
                f"essai {attempt.number}  {attempt.at:%Y-%m-%d %H:%M:%S}  "
                f"HTTP {attempt.status_code or '-'}  {attempt.duration_ms} ms  {attempt.error}"
            )
    return 0


def cmd_webhook_replay(args: argparse.Namespace) -> int:
    from espace.webhooks import delivery

    try:
        with session_scope() as db:
            delivery.replay(session=db, delivery_id=args.id)
    except LookupError:
        return _fail(f"Envoi inconnu : {args.id}")
    except delivery.EndpointError as error:
        return _fail(str(error))
    print(f"Envoi n° {args.id} remis en file (le worker l'envoie).")
    return 0


# ----- bank files ---------------------------------------------------------------------------------


def cmd_bank_export(args: argparse.Namespace) -> int:
    from espace.integration import banking

    try:
        with session_scope() as db:
            collection = banking.export_direct_debits(
                session=db, start=date.fromisoformat(args.start), end=date.fromisoformat(args.end)
            )
    except banking.BankFileError as error:
        return _fail(str(error))
    out = Path(args.output or f"{collection.message_id}.xml")
    out.write_bytes(collection.xml)
    print(
        f"{out} : {len(collection.payment_ids)} prélèvement(s), "
        f"{collection.total_cents / 100:.2f} EUR ({banking.SCHEMA}, "
        f"message {collection.message_id})."
    )
    return 0


def cmd_bank_export_refunds(args: argparse.Namespace) -> int:
    from espace.integration import banking

    try:
        with session_scope() as db:
            transfers = banking.export_refunds(session=db)
    except banking.BankFileError as error:
        return _fail(str(error))
    out = Path(args.output or f"{transfers.message_id}.xml")
    out.write_bytes(transfers.xml)
    print(
        f"{out} : {len(transfers.refund_ids)} remboursement(s), "
        f"{transfers.total_cents / 100:.2f} EUR ({banking.TRANSFER_SCHEMA}, "
        f"message {transfers.message_id}), marqués transmis à la banque."
    )
    return 0


def cmd_bank_import(args: argparse.Namespace) -> int:
    from espace.integration import banking

    try:
        with session_scope() as db:
            result = banking.import_returns(session=db, xml=Path(args.file).read_bytes())
    except banking.BankFileError as error:
        return _fail(str(error))
    print(
        f"{result.message_type} : {len(result.rejected)} rejet(s) enregistré(s), "
        f"{len(result.already_rejected)} déjà connu(s), {len(result.unknown)} inconnu(s) ; "
        f"remboursements : {len(result.refunds_paid)} versé(s), "
        f"{len(result.refunds_returned)} refusé(s) par la banque."
    )
    return 0


def register(sub) -> None:
    """Add ``api-client``, ``webhooks`` and ``bank`` to ``espace``'s subcommands."""
    client = sub.add_parser("api-client", help="clients de l'API d'intégration (/api/v1)")
    csub = client.add_subparsers(dest="action", required=True)
    create = csub.add_parser("create", help="crée un client (jeton affiché une fois)")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--scopes",
        required=True,
        help="ex. holders,contracts,claims:write ou * (ressource seule : lecture et écriture)",
    )
    create.add_argument("--rate-limit", type=int, default=None, help="appels par minute")
    create.set_defaults(func=cmd_client_create)
    csub.add_parser("list", help="liste les clients").set_defaults(func=cmd_client_list)
    for name, func, text in (
        ("rotate", cmd_client_rotate, "nouveau jeton (l'ancien cesse de fonctionner)"),
        ("revoke", cmd_client_revoke, "révoque le client"),
    ):
        action = csub.add_parser(name, help=text)
        action.add_argument("id", type=int)
        action.set_defaults(func=func)
    scopes = csub.add_parser("scopes", help="change les portées")
    scopes.add_argument("id", type=int)
    scopes.add_argument("--scopes", required=True)
    scopes.set_defaults(func=cmd_client_scopes)
    calls = csub.add_parser("calls", help="journal des appels (audit)")
    calls.add_argument("id", type=int, nargs="?")
    calls.add_argument("--limit", type=int, default=50)
    calls.set_defaults(func=cmd_client_calls)

    hooks = sub.add_parser("webhooks", help="webhooks vers les systèmes de l'assureur")
    hsub = hooks.add_subparsers(dest="action", required=True)
    add = hsub.add_parser("add", help="enregistre un point de réception (secret affiché une fois)")
    add.add_argument("--url", required=True)
    add.add_argument("--events", required=True, help="types séparés par des virgules, ou *")
    add.add_argument("--description", default="")
    add.set_defaults(func=cmd_webhook_add)
    hsub.add_parser("list", help="points de réception").set_defaults(func=cmd_webhook_list)
    disable = hsub.add_parser("disable", help="désactive un point de réception")
    disable.add_argument("id", type=int)
    disable.set_defaults(func=cmd_webhook_disable)
    deliveries = hsub.add_parser("deliveries", help="journal des envois")
    deliveries.add_argument(
        "--status", choices=["pending", "sending", "retry", "delivered", "failed"]
    )
    deliveries.add_argument("--limit", type=int, default=50)
    deliveries.set_defaults(func=cmd_webhook_deliveries)
    for name, func, text in (
        ("attempts", cmd_webhook_attempts, "les essais d'un envoi"),
        ("replay", cmd_webhook_replay, "renvoie un envoi (même webhook-id)"),
    ):
        action = hsub.add_parser(name, help=text)
        action.add_argument("id", type=int)
        action.set_defaults(func=func)

    bank = sub.add_parser("bank", help="fichiers SEPA échangés avec la banque")
    bsub = bank.add_subparsers(dest="action", required=True)
    export = bsub.add_parser("export-debits", help="fichier pain.008 des prélèvements à présenter")
    export.add_argument("--from", dest="start", required=True, help="AAAA-MM-JJ")
    export.add_argument("--to", dest="end", required=True, help="AAAA-MM-JJ")
    export.add_argument("-o", "--output", help="fichier de sortie (<MsgId>.xml par défaut)")
    export.set_defaults(func=cmd_bank_export)
    transfers = bsub.add_parser(
        "export-refunds", help="fichier pain.001 des remboursements à verser (marqués transmis)"
    )
    transfers.add_argument("-o", "--output", help="fichier de sortie (<MsgId>.xml par défaut)")
    transfers.set_defaults(func=cmd_bank_export_refunds)
    returns = bsub.add_parser("import-returns", help="importe un pain.002 ou camt.054 de rejets")
    returns.add_argument("file")
    returns.set_defaults(func=cmd_bank_import)
