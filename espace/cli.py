"""Admin commands: ``espace migrate | seed | create-staff | purge | purge-files | terminate-contract
| reindex | search | remind-debits | apply-terms | worker``, and the integration's ``api-client |
webhooks | bank`` (``espace/integration/commands.py``)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import timedelta

from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.core.migrations import upgrade_to_head
from espace.core.models import today_paris, utcnow
from espace.demo import generated
from espace.demo import seed as seed_service
from espace.identity.identifiers import normalise_email
from espace.identity.models import StaffRole, StaffUser
from espace.identity.passwords import hash_password
from espace.privacy.retention import purge_connection_data


def cmd_migrate(_args: argparse.Namespace) -> int:
    upgrade_to_head()
    print("Base de données à jour.")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    with session_scope() as session:
        if args.if_empty and not seed_service.is_empty(session):
            print("Données déjà présentes : rien à faire.")
            return 0
        report = seed_service.seed_demo(session)
        print(
            f"Démo : {report.holders} assurés, {report.contracts} contrats, {report.staff} "
            "collaborateurs."
        )
    if args.holders:
        with session_scope() as session:
            report = generated.seed_volume(session, holders=args.holders)
        print(f"Volume : {report.holders} assurés, {report.contracts} contrats ajoutés.")
    return 0


def cmd_create_staff(args: argparse.Namespace) -> int:
    password = os.environ.get("ESPACE_STAFF_PASSWORD") or getpass.getpass("Mot de passe : ")
    if len(password) < 12:
        print("Le mot de passe doit contenir au moins 12 caractères.", file=sys.stderr)
        return 2
    with session_scope() as session:
        session.add(
            StaffUser(
                email=normalise_email(args.email),
                full_name=args.name,
                role=args.role,
                password_hash=hash_password(password),
            )
        )
    print(f"Collaborateur {args.email} créé ({args.role}).")
    return 0


def cmd_purge(_args: argparse.Namespace) -> int:
    with session_scope() as session:
        purged = purge_connection_data(session=session, now=utcnow())
    print(
        f"{purged.sessions} sessions, {purged.login_events} entrées de l'historique de connexion "
        f"et {purged.staff_reads} consultations de dossiers par les collaborateurs de plus de 13 "
        "mois supprimées."
    )
    return cmd_purge_files(_args)


def cmd_purge_files(args: argparse.Namespace) -> int:
    """Stored files that no row names any more (safe while the app runs: recent files are left
    alone)."""
    from espace.documents import private_files

    grace = timedelta(minutes=max(getattr(args, "grace_minutes", 60) or 60, 10))
    with session_scope() as session:
        report = private_files.purge_orphans(session=session, grace=grace)
    deleted = fmt.plural(
        report.deleted, "fichier orphelin supprimé", "fichiers orphelins supprimés"
    )
    print(
        f"{deleted} "
        f"({report.bytes_freed / 1_048_576:.1f} Mo libérés, "
        f"{fmt.plural(report.checked, 'fichier examiné', 'fichiers examinés')} de plus "
        f"de {int(grace.total_seconds() // 60)} minutes)."
    )
    return 0


def cmd_terminate(args: argparse.Namespace) -> int:
    from datetime import date

    from espace.contracts.admin import terminate

    end = date.fromisoformat(args.date) if args.date else today_paris()
    try:
        with session_scope() as session:
            terminate(session=session, number=args.number.upper(), end_date=end, reason=args.reason)
    except LookupError as error:
        print(str(error), file=sys.stderr)
        return 2
    print(
        f"Contrat {args.number.upper()} résilié au {end:%d/%m/%Y} ; ses attestations sont "
        "révoquées."
    )
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    import time

    from espace.search import indexer

    start = time.perf_counter()
    if args.stop_with:
        indexer.stop_with(args.stop_with)
    if args.if_needed:
        if indexer.ensure_built():
            print(f"Index de recherche construit en {time.perf_counter() - start:.1f} s.")
        else:
            print("Index de recherche déjà construit (ou en construction) : rien à faire.")
        return 0
    with session_scope() as session:
        count = indexer.rebuild(session=session)
    print(
        f"Index de recherche reconstruit : {count} éléments en {time.perf_counter() - start:.1f} s."
    )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """The app's search, for admins: the holder's scope (or the public one), ranked results."""
    import json

    from espace.search import service

    queries = [args.query] if args.query else []
    if args.queries_file:
        with open(args.queries_file, encoding="utf-8") as handle:
            queries += [line.strip() for line in handle if line.strip()]
    if not queries:
        print("Indiquez une requête ou --queries-file.", file=sys.stderr)
        return 2
    with session_scope() as session:
        try:
            holder_id = service.holder_by_email(session=session, email=args.holder)
        except LookupError as error:
            print(str(error), file=sys.stderr)
            return 2
        for query in queries:
            found = service.run(session=session, holder_id=holder_id, query=query, limit=args.limit)
            if args.json or args.queries_file:
                print(json.dumps(found, ensure_ascii=False))
            else:
                results = fmt.plural(len(found["results"]), "résultat", "résultats")
                print(f"« {query} » : {results}")
                for n, hit in enumerate(found["results"], 1):
                    print(f"{n:>3}. [{hit['kind']}] {hit['title']}  ({hit['id']}, {hit['score']})")
    return 0


def cmd_remind_debits(args: argparse.Namespace) -> int:
    from datetime import date

    from espace.billing.debit_reminders import send_due_reminders
    from espace.core.formatting import PARIS

    today = date.fromisoformat(args.today) if args.today else utcnow().astimezone(PARIS).date()
    with session_scope() as session:
        count = send_due_reminders(session=session, today=today, days=args.days)
    print(f"{fmt.plural(count, 'rappel envoyé', 'rappels envoyés')}.")
    return 0


def cmd_apply_terms(args: argparse.Namespace) -> int:
    from datetime import date

    from espace.contracts.terms import apply_due
    from espace.core.formatting import PARIS

    today = date.fromisoformat(args.today) if args.today else utcnow().astimezone(PARIS).date()
    with session_scope() as session:
        count = apply_due(session=session, today=today)
    print(
        f"{fmt.plural(count, 'contrat mis', 'contrats mis')} à jour avec les conditions en "
        f"vigueur le {fmt.date_fr(today)}."
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from espace.core import jobs

    return jobs.run_worker(
        workers=args.workers, catch_up=not args.no_catch_up, periodic_jobs=not args.no_periodic
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="espace", description="Administration d'Espace")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="met la base de données à jour").set_defaults(func=cmd_migrate)
    seed = sub.add_parser("seed", help="charge les données de démonstration")
    seed.add_argument("--if-empty", action="store_true", help="seulement si la base est vide")
    seed.add_argument("--holders", type=int, default=0, help="ajoute N assurés générés (volume)")
    seed.set_defaults(func=cmd_seed)
    staff = sub.add_parser("create-staff", help="crée un compte collaborateur")
    staff.add_argument("--email", required=True)
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", required=True, choices=[r.value for r in StaffRole])
    staff.set_defaults(func=cmd_create_staff)
    sub.add_parser(
        "purge",
        help="supprime les données de connexion et de consultation de plus de 13 mois, "
        "et les fichiers orphelins",
    ).set_defaults(func=cmd_purge)
    files = sub.add_parser(
        "purge-files", help="supprime les fichiers stockés qu'aucune donnée ne référence plus"
    )
    files.add_argument(
        "--grace-minutes",
        type=int,
        default=60,
        help="ne touche pas aux fichiers plus récents (60 par défaut, 10 au moins)",
    )
    files.set_defaults(func=cmd_purge_files)
    term = sub.add_parser(
        "terminate-contract", help="résilie un contrat et révoque ses attestations"
    )
    term.add_argument("number", help="numéro de contrat, ex. MRH0412857")
    term.add_argument("--date", help="date d'effet AAAA-MM-JJ (aujourd'hui par défaut)")
    term.add_argument("--reason", default="Résiliation")
    term.set_defaults(func=cmd_terminate)
    reindex = sub.add_parser(
        "reindex", help="reconstruit l'index de recherche (articles du dossier de contenu compris)"
    )
    reindex.add_argument(
        "--if-needed", action="store_true", help="seulement s'il n'est pas encore construit"
    )
    reindex.add_argument(
        "--stop-with", type=int, default=0, metavar="PID", help="s'arrêter quand ce processus finit"
    )
    reindex.set_defaults(func=cmd_reindex)
    search = sub.add_parser("search", help="recherche comme dans l'application (pour vérifier)")
    search.add_argument("query", nargs="?", default="", help="la requête")
    search.add_argument("--holder", default="", help="e-mail de l'assuré (sinon : contenu public)")
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--json", action="store_true", help="une ligne JSON par requête")
    search.add_argument("--queries-file", help="une requête par ligne, une ligne JSON par requête")
    search.set_defaults(func=cmd_search)
    remind = sub.add_parser("remind-debits", help="prévient les assurés des prochains prélèvements")
    remind.add_argument("--today", help="date du jour AAAA-MM-JJ (aujourd'hui par défaut)")
    remind.add_argument("--days", type=int, default=None, help="prélèvements des N prochains jours")
    remind.set_defaults(func=cmd_remind_debits)
    terms = sub.add_parser(
        "apply-terms", help="applique les avenants qui prennent effet (à lancer chaque jour)"
    )
    terms.add_argument("--today", help="date du jour AAAA-MM-JJ (aujourd'hui par défaut)")
    terms.set_defaults(func=cmd_apply_terms)
    worker = sub.add_parser(
        "worker",
        help="envoie les e-mails, SMS et notifications push et lance les tâches périodiques "
        "(à lancer à côté de l'application)",
    )
    worker.add_argument("--workers", type=int, default=2, help="tâches en parallèle (2 par défaut)")
    worker.add_argument(
        "--no-catch-up",
        action="store_true",
        help="ne pas lancer au démarrage les tâches du jour pas encore faites",
    )
    worker.add_argument(
        "--no-periodic",
        action="store_true",
        help="seulement les envois, sans les tâches périodiques (un autre worker les lance)",
    )
    worker.set_defaults(func=cmd_worker)
    from espace.integration import commands as integration_commands

    integration_commands.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from espace.core.fake_clock import install_from_env

    # tests only: a CLI run by the suite at another date (ESPACE_FAKE_NOW, ESPACE_ENV=test)
    install_from_env()
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
