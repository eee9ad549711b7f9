"""Every sensitive service function checks its own step-up proof: without a valid one it refuses and
changes nothing.

For each function: a positive control (a genuine proof works), then the refusals: no proof, an
expired one, one of another account, one naming a session of the account that passed no check, one
whose session was signed out, one already spent by a signature-grade action. Each refusal leaves the
database as it was.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from sqlmodel import func, select

import espace
from espace.billing import bank_accounts, mandates
from espace.billing.models import BankAccount, SepaMandate
from espace.contracts.models import Contract
from espace.core import crypto
from espace.core.models import utcnow
from espace.documents.models import Document
from espace.identity import accounts, auth, profile, second_factor, sessions, stepup
from espace.identity.insurer_authority import InsurerRecord
from espace.identity.models import Account, AuthSession, Policyholder, ProfileChange, RecoveryCode
from espace.identity.stepup import StepUpProof, StepUpRequired
from espace.lifecycle import cancellation
from espace.lifecycle.cancellation_rules import CancellationRequest
from espace.lifecycle.models import Cancellation
from espace.notifications.models import OutboxMessage
from espace.privacy import rights
from espace.privacy.models import PrivacyRequest
from tests import factories

IBAN = "FR7630006000011234567890189"
OTHER_IBAN = "DE89370400440532013000"
RECORD = InsurerRecord(source="core_system")
NEW_PASSWORD = "Girafe#Bleue-Quai2027"


def _count(db, model, *where) -> int:
    return db.exec(select(func.count()).select_from(model).where(*where)).one()


def _account(db, person) -> Account:
    return db.exec(
        select(Account)
        .where(Account.holder_id == person.id)
        .execution_options(populate_existing=True)
    ).one()


def _holder(db, person) -> Policyholder:
    return db.exec(
        select(Policyholder)
        .where(Policyholder.id == person.id)
        .execution_options(populate_existing=True)
    ).one()


def _mandates(db, person) -> list[tuple]:
    query = select(SepaMandate).where(SepaMandate.holder_id == person.id).order_by(SepaMandate.id)
    return [
        (m.id, m.status) for m in db.exec(query.execution_options(populate_existing=True)).all()
    ]


def _bank_accounts(db, person) -> list[tuple]:
    return [
        (a.id, a.removed_at, a.is_default)
        for a in db.exec(
            select(BankAccount)
            .where(BankAccount.holder_id == person.id)
            .order_by(BankAccount.id)
            .execution_options(populate_existing=True)
        ).all()
    ]


def _totp(db, person) -> tuple:
    account = _account(db, person)
    return account.totp_secret_encrypted, account.totp_pending_encrypted, account.totp_enabled_at


def _profile(db, person) -> tuple:
    holder = _holder(db, person)
    sent = _count(db, OutboxMessage, OutboxMessage.subject != "Votre code de confirmation")
    return (
        holder.address_line1,
        holder.postal_code,
        holder.phone,
        holder.email,
        _count(db, ProfileChange, ProfileChange.holder_id == person.id),
        sent,
    )


# ---- the sensitive functions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sensitive:
    name: str
    call: object  # (db, person, ctx, proof, now) -> None
    snapshot: object  # (db, person, ctx) -> comparable state
    setup: object = None  # (db, person) -> ctx, run after the proofs are obtained
    single_use: bool = False


def _with_account(db, person):
    return {
        "account": bank_accounts.add_account(
            session=db,
            holder_id=person.id,
            iban=IBAN,
            bic="",
            account_holder="Alix",
            authority=RECORD,
        ).id
    }


def _with_mandate(db, person):
    ctx = _with_account(db, person)
    ctx["mandate"] = mandates.sign_mandate(
        session=db, holder_id=person.id, account_id=ctx["account"], signed_ip="", authority=RECORD
    ).id
    return ctx


def _with_pending_app(db, person):
    secret = pyotp.random_base32()
    account = _account(db, person)
    account.totp_pending_encrypted, account.totp_pending_at = (
        crypto.encrypt(secret, purpose=b"totp"),
        utcnow(),
    )
    db.add(account)
    db.flush()
    return {"totp": pyotp.TOTP(secret)}


def _with_active_app(db, person):
    account = _account(db, person)
    account.totp_secret_encrypted = crypto.encrypt(pyotp.random_base32(), purpose=b"totp")
    account.totp_enabled_at = utcnow()
    db.add(account)
    db.flush()
    return {}


SENSITIVE = [
    Sensitive(
        "mandates.sign_mandate",
        single_use=True,
        setup=_with_account,
        call=lambda db, p, ctx, proof, now: mandates.sign_mandate(
            session=db,
            holder_id=p.id,
            account_id=ctx["account"],
            signed_ip="",
            authority=proof,
            now=now,
        ),
        snapshot=lambda db, p, ctx: (
            _mandates(db, p),
            _count(db, Document, Document.holder_id == p.id),
        ),
    ),
    Sensitive(
        "mandates.revoke",
        setup=_with_mandate,
        call=lambda db, p, ctx, proof, now: mandates.revoke(
            session=db, holder_id=p.id, mandate_id=ctx["mandate"], authority=proof, now=now
        ),
        snapshot=lambda db, p, ctx: (_mandates(db, p), _bank_accounts(db, p)),
    ),
    Sensitive(
        "bank_accounts.add_account",
        call=lambda db, p, ctx, proof, now: bank_accounts.add_account(
            session=db,
            holder_id=p.id,
            iban=OTHER_IBAN,
            bic="",
            account_holder="Alix",
            authority=proof,
            now=now,
        ),
        snapshot=lambda db, p, ctx: _bank_accounts(db, p),
    ),
    Sensitive(
        "bank_accounts.remove_account",
        setup=_with_mandate,
        call=lambda db, p, ctx, proof, now: bank_accounts.remove_account(
            session=db, holder_id=p.id, account_id=ctx["account"], authority=proof, now=now
        ),
        snapshot=lambda db, p, ctx: (_bank_accounts(db, p), _mandates(db, p)),
    ),
    Sensitive(
        "profile.update_address",
        call=lambda db, p, ctx, proof, now: profile.update_address(
            session=db,
            holder_id=p.id,
            line1="5 quai de la Fosse",
            line2="",
            postal_code="44000",
            city="Nantes",
            proof=proof,
            now=now,
        ),
        snapshot=lambda db, p, ctx: _profile(db, p),
    ),
    Sensitive(
        "profile.start_phone_change",
        single_use=True,
        call=lambda db, p, ctx, proof, now: profile.start_phone_change(
            session=db, holder_id=p.id, phone="07 81 23 45 67", proof=proof, now=now
        ),
        snapshot=lambda db, p, ctx: _profile(db, p),
    ),
    Sensitive(
        "profile.start_email_change",
        single_use=True,
        call=lambda db, p, ctx, proof, now: profile.start_email_change(
            session=db, holder_id=p.id, email=f"nouvelle{p.id}@example.com", proof=proof, now=now
        ),
        snapshot=lambda db, p, ctx: _profile(db, p),
    ),
    Sensitive(
        "rights.request_erasure",
        single_use=True,
        call=lambda db, p, ctx, proof, now: rights.request_erasure(
            session=db, holder_id=p.id, account_id=_account(db, p).id, proof=proof, now=now
        ),
        snapshot=lambda db, p, ctx: (
            _account(db, p).is_active,
            _account(db, p).email,
            _holder(db, p).phone,
            _count(db, PrivacyRequest, PrivacyRequest.holder_id == p.id),
        ),
    ),
    Sensitive(
        "second_factor.begin_totp",
        call=lambda db, p, ctx, proof, now: second_factor.begin_totp(
            session=db, account=_account(db, p), proof=proof, now=now
        ),
        snapshot=lambda db, p, ctx: _totp(db, p),
    ),
    Sensitive(
        "second_factor.confirm_totp",
        setup=_with_pending_app,
        call=lambda db, p, ctx, proof, now: second_factor.confirm_totp(
            session=db, account=_account(db, p), code=ctx["totp"].at(now), proof=proof, now=now
        ),
        snapshot=lambda db, p, ctx: _totp(db, p),
    ),
    Sensitive(
        "second_factor.disable_totp",
        setup=_with_active_app,
        call=lambda db, p, ctx, proof, now: second_factor.disable_totp(
            session=db, account=_account(db, p), proof=proof, now=now
        ),
        snapshot=lambda db, p, ctx: _totp(db, p),
    ),
    Sensitive(
        "second_factor.generate_recovery_codes",
        call=lambda db, p, ctx, proof, now: second_factor.generate_recovery_codes(
            session=db, account=_account(db, p), proof=proof, now=now
        ),
        snapshot=lambda db, p, ctx: sorted(
            db.exec(
                select(RecoveryCode.code_hash).where(RecoveryCode.account_id == _account(db, p).id)
            ).all()
        ),
    ),
    Sensitive(
        "accounts.change_password",
        call=lambda db, p, ctx, proof, now: accounts.change_password(
            session=db,
            account_id=_account(db, p).id,
            current=factories.PASSWORD,
            new=NEW_PASSWORD,
            confirm=NEW_PASSWORD,
            proof=proof,
            now=now,
        ),
        snapshot=lambda db, p, ctx: (
            _account(db, p).password_hash,
            _account(db, p).password_changed_at,
        ),
    ),
]


def _with_contract(db, person):
    start = utcnow().date() - timedelta(days=800)  # past its first year: loi Hamon applies
    return {"contract": factories.contract(db, person, start_date=start).id}


def _cancellation(db, person, ctx) -> tuple:
    contract = db.exec(
        select(Contract)
        .where(Contract.id == ctx["contract"])
        .execution_options(populate_existing=True)
    ).one()
    return contract.end_date, _count(db, Cancellation, Cancellation.contract_id == contract.id)


SENSITIVE.append(
    Sensitive(
        "cancellation.request_cancellation",
        single_use=True,
        setup=_with_contract,
        call=lambda db, p, ctx, proof, now: cancellation.request_cancellation(
            session=db,
            holder_id=p.id,
            contract_id=ctx["contract"],
            request=CancellationRequest(
                ground="hamon", new_insurer_name="Mutuelle du Littoral", new_insurer_contract="ML-1"
            ),
            files=[],
            proof=proof,
            today=now.date(),
            now=now,
        ),
        snapshot=_cancellation,
    )
)
IDS = [s.name for s in SENSITIVE]


@dataclass
class World:
    person: Policyholder
    proof: StepUpProof  # a genuine, fresh proof of person
    other_proof: StepUpProof  # a genuine proof of another holder
    idle_session_id: int  # another signed-in session of person, which passed no check


def _world(db) -> World:
    person, intruder = factories.holder(db), factories.holder(db)
    _, idle = factories.signed_in(db, person)
    return World(
        person=person,
        proof=factories.step_up(db, person),
        other_proof=factories.step_up(db, intruder),
        idle_session_id=idle.session_id,
    )


def _refusals(world: World, db) -> dict[str, tuple[StepUpProof | None, object]]:
    """name -> (proof, now) of each way a proof must be refused."""
    proof, now = world.proof, world.proof.verified_at + timedelta(seconds=30)
    return {
        "no proof": (None, now),
        "expired": (proof, proof.verified_at + stepup.STEP_UP_VALIDITY + timedelta(seconds=1)),
        "another account's": (world.other_proof, now),
        "an unchecked session's": (replace(proof, session_id=world.idle_session_id), now),
        "a made-up check time": (
            replace(proof, verified_at=proof.verified_at - timedelta(seconds=10)),
            now,
        ),
    }


@pytest.mark.parametrize("sensitive", SENSITIVE, ids=IDS)
def test_a_genuine_proof_is_accepted(db, sensitive):
    world = _world(db)
    ctx = sensitive.setup(db, world.person) if sensitive.setup else {}
    before = sensitive.snapshot(db, world.person, ctx)
    sensitive.call(
        db, world.person, ctx, world.proof, world.proof.verified_at + timedelta(seconds=30)
    )
    assert (
        sensitive.snapshot(db, world.person, ctx) != before
    )  # the control: the action did something


@pytest.mark.parametrize("sensitive", SENSITIVE, ids=IDS)
@pytest.mark.parametrize(
    "how",
    ["no proof", "expired", "another account's", "an unchecked session's", "a made-up check time"],
)
def test_an_invalid_proof_is_refused_and_changes_nothing(db, sensitive, how):
    world = _world(db)
    ctx = sensitive.setup(db, world.person) if sensitive.setup else {}
    proof, now = _refusals(world, db)[how]
    before = sensitive.snapshot(db, world.person, ctx)
    with pytest.raises(StepUpRequired):
        sensitive.call(db, world.person, ctx, proof, now)
    assert sensitive.snapshot(db, world.person, ctx) == before


@pytest.mark.parametrize("sensitive", SENSITIVE, ids=IDS)
def test_a_proof_of_a_signed_out_session_is_refused(db, sensitive):
    world = _world(db)
    ctx = sensitive.setup(db, world.person) if sensitive.setup else {}
    sessions.revoke_by_id(session=db, session_id=world.proof.session_id, reason="logout")
    before = sensitive.snapshot(db, world.person, ctx)
    with pytest.raises(StepUpRequired):
        sensitive.call(
            db, world.person, ctx, world.proof, world.proof.verified_at + timedelta(seconds=30)
        )
    assert sensitive.snapshot(db, world.person, ctx) == before


def _lock_by_wrong_passwords(db, person, now) -> None:
    """Five wrong passwords typed elsewhere: the account is locked, its sessions live on."""
    for _ in range(auth.MAX_FAILURES):
        auth.record_failure(session=db, principal=_account(db, person), now=now)


@pytest.mark.parametrize("sensitive", SENSITIVE, ids=IDS)
def test_a_proof_is_refused_while_the_account_is_locked(db, sensitive):
    world = _world(db)
    ctx = sensitive.setup(db, world.person) if sensitive.setup else {}
    now = world.proof.verified_at + timedelta(seconds=30)
    _lock_by_wrong_passwords(db, world.person, now)
    before = sensitive.snapshot(db, world.person, ctx)
    with pytest.raises(StepUpRequired):
        sensitive.call(db, world.person, ctx, world.proof, now)
    assert sensitive.snapshot(db, world.person, ctx) == before


def test_a_locked_account_passes_no_step_up_even_with_the_right_code(db):
    person = factories.holder(db)
    _, principal = factories.signed_in(db, person)
    account = _account(db, person)
    stepup.start_step_up(session=db, account=account, method="email")
    code = factories.last_code(db, account.email)
    now = utcnow()
    _lock_by_wrong_passwords(db, person, now)
    with pytest.raises(second_factor.SecondFactorError, match="verrouillé"):
        stepup.complete_step_up(
            session=db,
            account=_account(db, person),
            session_id=principal.session_id,
            method="email",
            code=code,
            now=now,
        )
    assert (
        stepup.recent_proof(
            session=db, account_id=account.id, session_id=principal.session_id, now=now
        )
        is None
    )


SINGLE_USE = [s for s in SENSITIVE if s.single_use]


@pytest.mark.parametrize("sensitive", SINGLE_USE, ids=[s.name for s in SINGLE_USE])
def test_a_check_used_by_a_signature_grade_action_is_not_used_again(db, sensitive):
    world = _world(db)
    ctx = sensitive.setup(db, world.person) if sensitive.setup else {}
    now = world.proof.verified_at + timedelta(seconds=30)
    stepup.require_step_up(
        session=db, proof=world.proof, account_id=world.proof.account_id, now=now, single_use=True
    )
    before = sensitive.snapshot(db, world.person, ctx)
    with pytest.raises(StepUpRequired):
        sensitive.call(db, world.person, ctx, world.proof, now)
    assert sensitive.snapshot(db, world.person, ctx) == before


def test_signature_grade_functions_use_the_check_up_and_others_do_not(db):
    for sensitive in SENSITIVE:
        world = _world(db)
        ctx = sensitive.setup(db, world.person) if sensitive.setup else {}
        now = world.proof.verified_at + timedelta(seconds=30)
        sensitive.call(db, world.person, ctx, world.proof, now)
        row = db.exec(
            select(AuthSession)
            .where(AuthSession.id == world.proof.session_id)
            .execution_options(populate_existing=True)
        ).one()
        assert (row.step_up_spent_at is not None) is sensitive.single_use, sensitive.name


def test_every_sensitive_function_takes_a_proof_and_checks_it_first():
    """The list above is the list of sensitive functions: each names its proof and calls the check
    itself."""
    functions = [
        mandates.sign_mandate,
        mandates.revoke,
        bank_accounts.add_account,
        bank_accounts.remove_account,
        profile.update_address,
        profile.start_phone_change,
        profile.start_email_change,
        rights.request_erasure,
        second_factor.begin_totp,
        second_factor.confirm_totp,
        second_factor.disable_totp,
        second_factor.generate_recovery_codes,
        accounts.change_password,
        cancellation.request_cancellation,
    ]
    assert {f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}" for f in functions} == set(IDS)
    for function in functions:
        parameters = inspect.signature(function).parameters
        name = "authority" if "authority" in parameters else "proof"
        assert parameters[name].default is inspect.Parameter.empty, (
            function.__name__
        )  # no default: always passed
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
        source = inspect.getsource(function)
        checks = ("require_step_up(", "require_authority(", "_checked(")
        assert any(check in source for check in checks), function.__name__


def test_the_list_holds_every_function_that_takes_a_proof():
    """Every public domain function with a ``proof`` or ``authority`` parameter is in the list above
    (so a sensitive function added later gets every test of this file once it is listed)."""
    root = Path(espace.__file__).parent
    # Callers, not services: the browser's side and the insurer's API (its routes receive the
    # API client's authority and hand it to the services listed here).
    browser_side = {"state", "pages", "components", "api", "integration"}
    found = set()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in browser_side or relative.as_posix() == "identity/stepup.py":
            continue  # stepup.py holds the checks themselves
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if "__mutmut_" in node.name:  # a mutant's copy (scripts/mutation.sh), not a function
                continue
            arguments = node.args.args + node.args.kwonlyargs
            if any(argument.arg in ("proof", "authority") for argument in arguments):
                found.add(f"{path.stem}.{node.name}")
    assert found == set(IDS)


def test_an_insurer_record_is_accepted_only_by_bank_details(db):
    world = _world(db)
    with pytest.raises(StepUpRequired):
        profile.update_address(
            session=db,
            holder_id=world.person.id,
            line1="5 quai de la Fosse",
            line2="",
            postal_code="44000",
            city="Nantes",
            proof=RECORD,
        )
    with pytest.raises(StepUpRequired):
        rights.request_erasure(
            session=db,
            holder_id=world.person.id,
            account_id=_account(db, world.person).id,
            proof=RECORD,
        )
    with pytest.raises(ValueError):
        InsurerRecord(source="handler")


def test_no_layer_a_browser_reaches_imports_the_insurer_authority():
    """Reflex states, pages and the HTTP API never hold the insurer's authority over bank
    details."""
    root = Path(espace.__file__).parent
    for folder in ("state", "pages", "api", "components"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    imported = [
                        getattr(node, "module", None) or "",
                        *(alias.name for alias in node.names),
                    ]
                    assert not any("insurer_authority" in name for name in imported), path


def test_only_a_checked_code_records_a_step_up():
    """Nothing but ``stepup.complete_step_up`` writes a session's check (no helper a handler could
    call)."""
    root = Path(espace.__file__).parent
    writers = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "step_up_at"
                and isinstance(node.ctx, ast.Store)
            ) or (isinstance(node, ast.keyword) and node.arg == "step_up_at"):
                writers.add(path.relative_to(root).as_posix())
    assert writers == {"identity/stepup.py"}
