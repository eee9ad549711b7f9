"""effective-dated contract terms, and what each option covers

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-05

``contract_terms`` holds the versions of each contract's terms (formula, options and their prices,
capital, deductible, the insured home as rated, premium and tax), each in force from its
``effective_from``. ``contract_option_def`` gains what the option covers (the guarantee it grants,
ceiling, deductible, exclusions, article).

Backfill, per existing contract:
- without endorsement: one version from the start date, equal to the contract row;
- with endorsements: the history is rebuilt backwards from the contract row, undoing each
  endorsement's recorded changes (formula, capital, deductible, options, rooms and surface, address)
  and taking its ``old_premium_cents``: one version from the start date, then one per endorsement
  from its effective date. What endorsements did not record is estimated: the tax of an earlier
  version is the current tax scaled by the premium, an option removed since gets a price of 0, and
  the second address line before a change is lost (the old code cleared it at every endorsement).
  When a change cannot be read back, or effective dates do not follow the order of signature, the
  contract gets one version from its start date equal to its row (what the old code used for every
  claim).
- The old code wrote an endorsement's terms on the contract at signature, even when effective later:
  for those contracts the row, its options and its insured home are set back to the version in force
  on the day of the migration; the coming version stays pending (``applied_at`` empty) until
  ``espace apply-terms`` applies it on its date.
"""

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# catalogue_data.OPTION_COVER at the time of this migration:
# code -> (granted guarantee code, ceiling_cents, ceiling_note, deductible_kind, deductible_value,
# exclusions, article)
OPTION_COVER = {
    "PROTECTION_JURIDIQUE": (
        "PROTECTION_JURIDIQUE",
        2_000_000,
        "Par litige ; seuil d'intervention : 300 €",
        "none",
        0,
        ["Les litiges antérieurs à la souscription.", "Les amendes et leurs majorations."],
        "Art. 13",
    ),
    "OBJETS_VALEUR": (
        None,
        None,
        "Valeur déclarée de chaque objet, au-delà du plafond objets de valeur de la formule",
        "contract",
        0,
        ["Les objets non déclarés.", "Le vol sans effraction ni violence."],
        "Art. 9",
    ),
    "BRIS_GLACE": (
        None,
        None,
        "Plafond de la garantie Bris de glace",
        "base",
        0,
        ["Les rayures et écaillures.", "Les panneaux solaires de plus de 15 ans."],
        "Art. 10",
    ),
    "JARDIN_PISCINE": (
        None,
        1_000_000,
        "Dont arbres et plantations : 500 € par arbre",
        "contract",
        0,
        [
            "Les dommages dus au gel ou à la sécheresse sur les plantations.",
            "Les piscines gonflables ou démontables.",
        ],
        "Art. 3",
    ),
    "ASSISTANCE_PLUS": (
        None,
        50_000,
        "Dépannage d'urgence sans sinistre : 2 interventions par an",
        "none",
        0,
        ["Les pannes d'appareils électroménagers."],
        "Art. 14",
    ),
}
PROPERTY_FIELDS = (
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "property_type",
    "rooms",
    "surface_m2",
    "occupancy",
)
CONTRACT_FIELDS = (
    "formula_id",
    "furniture_capital_cents",
    "deductible_cents",
    "annual_premium_cents",
    "annual_tax_cents",
)

meta = sa.MetaData()
option_def = sa.Table(
    "contract_option_def",
    meta,
    sa.Column("id", sa.Integer),
    sa.Column("code", sa.String),
    sa.Column("name", sa.String),
    sa.Column("guarantee_code", sa.String),
    sa.Column("ceiling_cents", sa.Integer),
    sa.Column("ceiling_note", sa.String),
    sa.Column("deductible_kind", sa.String),
    sa.Column("deductible_value", sa.Integer),
    sa.Column("exclusions", sa.JSON),
    sa.Column("article_refs", sa.String),
)
formula = sa.Table("formula", meta, sa.Column("id", sa.Integer), sa.Column("name", sa.String))
contract = sa.Table(
    "contract",
    meta,
    sa.Column("id", sa.Integer),
    sa.Column("property_id", sa.Integer),
    sa.Column("start_date", sa.Date),
    *(sa.Column(name, sa.Integer) for name in CONTRACT_FIELDS),
)
contract_option = sa.Table(
    "contract_option",
    meta,
    sa.Column("id", sa.Integer),
    sa.Column("contract_id", sa.Integer),
    sa.Column("option_id", sa.Integer),
    sa.Column("annual_price_cents", sa.Integer),
)
insured_property = sa.Table(
    "insured_property",
    meta,
    sa.Column("id", sa.Integer),
    *(
        sa.Column(name, sa.Integer if name in ("rooms", "surface_m2") else sa.String)
        for name in PROPERTY_FIELDS
    ),
)
endorsement = sa.Table(
    "endorsement",
    meta,
    sa.Column("id", sa.Integer),
    sa.Column("contract_id", sa.Integer),
    sa.Column("number", sa.Integer),
    sa.Column("effective_date", sa.Date),
    sa.Column("changes", sa.JSON),
    sa.Column("old_premium_cents", sa.Integer),
    sa.Column("new_premium_cents", sa.Integer),
    sa.Column("tariff_version", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("contract_option_def", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "guarantee_code",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("ceiling_cents", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "ceiling_note",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "deductible_kind",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                server_default="contract",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("deductible_value", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("exclusions", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(
            sa.Column(
                "article_refs",
                sqlmodel.sql.sqltypes.AutoString(length=100),
                server_default="",
                nullable=False,
            )
        )

    op.create_table(
        "contract_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("formula_id", sa.Integer(), nullable=False),
        sa.Column("furniture_capital_cents", sa.Integer(), nullable=False),
        sa.Column("deductible_cents", sa.Integer(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("annual_premium_cents", sa.Integer(), nullable=False),
        sa.Column("annual_tax_cents", sa.Integer(), nullable=False),
        sa.Column("tariff_version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("address_line1", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("address_line2", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("postal_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("property_type", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("rooms", sa.Integer(), nullable=False),
        sa.Column("surface_m2", sa.Integer(), nullable=False),
        sa.Column("occupancy", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("endorsement_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("applied_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_contract_terms_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["endorsement_id"],
            ["endorsement.id"],
            name=op.f("fk_contract_terms_endorsement_id_endorsement"),
        ),
        sa.ForeignKeyConstraint(
            ["formula_id"], ["formula.id"], name=op.f("fk_contract_terms_formula_id_formula")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_terms")),
    )
    with op.batch_alter_table("contract_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_terms_contract_id"), ["contract_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contract_terms_effective_from"), ["effective_from"], unique=False
        )

    bind = op.get_bind()
    _backfill_option_cover(bind)
    _backfill_terms(
        bind, today=datetime.now(ZoneInfo("Europe/Paris")).date(), now=datetime.now(UTC)
    )


def downgrade() -> None:
    with op.batch_alter_table("contract_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_terms_effective_from"))
        batch_op.drop_index(batch_op.f("ix_contract_terms_contract_id"))
    op.drop_table("contract_terms")
    with op.batch_alter_table("contract_option_def", schema=None) as batch_op:
        for name in (
            "article_refs",
            "exclusions",
            "deductible_value",
            "deductible_kind",
            "ceiling_note",
            "ceiling_cents",
            "guarantee_code",
        ):
            batch_op.drop_column(name)


# ---- data ------------------------------------------------------------------------------------


def _backfill_option_cover(bind) -> None:
    for code, (granted, ceiling, note, kind, value, exclusions, refs) in OPTION_COVER.items():
        bind.execute(
            option_def.update()
            .where(option_def.c.code == code)
            .values(
                guarantee_code=granted or "",
                ceiling_cents=ceiling,
                ceiling_note=note,
                deductible_kind=kind,
                deductible_value=value,
                exclusions=exclusions,
                article_refs=refs,
            )
        )


class _Unreadable(ValueError):
    pass


def _cents(text: str) -> int:
    """'25 000,00 €' (as formatting.money writes it) -> 2500000."""
    digits = re.sub(r"[^\d,]", "", text or "")
    if not re.fullmatch(r"\d+,\d\d", digits):
        raise _Unreadable(text)
    euros, cents = digits.split(",")
    return int(euros) * 100 + int(cents)


def _undo(state: dict, changes: list, formulas: dict[str, int], options: dict[str, str]) -> dict:
    """The terms before an endorsement, from those after it and its recorded changes."""
    before = {**state, "options": dict(state["options"])}
    for change in changes or []:
        label, old = change.get("label", ""), change.get("before", "")
        if label == "Formule":
            if old not in formulas:
                raise _Unreadable(old)
            before["formula_id"] = formulas[old]
        elif label == "Capital mobilier":
            before["furniture_capital_cents"] = _cents(old)
        elif label == "Franchise":
            before["deductible_cents"] = _cents(old)
        elif label.startswith("Option "):
            code = options.get(label[len("Option ") :])
            if code is None or old not in ("Souscrite", "Non souscrite"):
                raise _Unreadable(label)
            if old == "Souscrite":
                before["options"].setdefault(code, 0)  # its price then was not recorded
            else:
                before["options"].pop(code, None)
        elif label == "Logement (pièces, surface)":
            found = re.fullmatch(r"(\d+) pièces, (\d+) m²", old)
            if not found:
                raise _Unreadable(old)
            before["rooms"], before["surface_m2"] = int(found.group(1)), int(found.group(2))
        elif label == "Adresse du logement (déménagement)":
            line1, _, place = old.rpartition(", ")
            postal_code, _, city = place.partition(" ")
            if not (line1 and postal_code and city):
                raise _Unreadable(old)
            before.update(address_line1=line1, address_line2="", postal_code=postal_code, city=city)
        else:
            raise _Unreadable(label)
    return before


def _history(
    row, state: dict, endorsements: list, formulas: dict[str, int], options: dict[str, str]
) -> list:
    """[(effective_from, state, endorsement_id)], oldest first; one version when history cannot be
    read."""
    single = [(row.start_date, state, None)]
    if not endorsements:
        return single
    dates = [e.effective_date for e in endorsements]
    if dates != sorted(dates) or dates[0] < row.start_date:
        return single
    versions, current = [], state
    try:
        for item in reversed(endorsements):
            versions.append((item.effective_date, current, item.id))
            previous = _undo(current, item.changes, formulas, options)
            new_premium = current["annual_premium_cents"] or 1
            previous["annual_premium_cents"] = item.old_premium_cents
            previous["annual_tax_cents"] = round(
                current["annual_tax_cents"] * item.old_premium_cents / new_premium
            )
            previous["tariff_version"] = ""
            current = previous
    except _Unreadable:
        return single
    versions.append((row.start_date, current, None))
    return list(reversed(versions))


terms = sa.Table(
    "contract_terms",
    meta,
    sa.Column("id", sa.Integer),
    sa.Column("contract_id", sa.Integer),
    sa.Column("effective_from", sa.Date),
    sa.Column("options", sa.JSON),
    sa.Column("tariff_version", sa.String),
    sa.Column("endorsement_id", sa.Integer),
    sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    sa.Column("applied_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    *(sa.Column(name, sa.Integer) for name in CONTRACT_FIELDS),
    *(
        sa.Column(name, sa.Integer if name in ("rooms", "surface_m2") else sa.String)
        for name in PROPERTY_FIELDS
    ),
)


def _backfill_terms(bind, *, today: date, now: datetime) -> None:
    formulas = {
        name: id_ for id_, name in bind.execute(sa.select(formula.c.id, formula.c.name)).all()
    }
    option_codes = dict(bind.execute(sa.select(option_def.c.name, option_def.c.code)).all())
    option_ids = dict(bind.execute(sa.select(option_def.c.code, option_def.c.id)).all())
    taken: dict[int, dict[str, int]] = {}
    for contract_id, code, price in bind.execute(
        sa.select(
            contract_option.c.contract_id, option_def.c.code, contract_option.c.annual_price_cents
        ).join(option_def, option_def.c.id == contract_option.c.option_id)
    ).all():
        taken.setdefault(contract_id, {})[code] = price
    by_contract: dict[int, list] = {}
    for item in bind.execute(
        sa.select(endorsement).order_by(endorsement.c.contract_id, endorsement.c.number)
    ).all():
        by_contract.setdefault(item.contract_id, []).append(item)
    rows = bind.execute(
        sa.select(contract, *(insured_property.c[name] for name in PROPERTY_FIELDS))
        .join(insured_property, insured_property.c.id == contract.c.property_id)
        .order_by(contract.c.id)
    ).all()
    for row in rows:
        state = {
            **{name: getattr(row, name) for name in CONTRACT_FIELDS + PROPERTY_FIELDS},
            "options": dict(taken.get(row.id, {})),
            "tariff_version": "",
        }
        history = _history(row, state, by_contract.get(row.id, []), formulas, option_codes)
        for effective_from, version, endorsement_id in history:
            bind.execute(
                terms.insert().values(
                    contract_id=row.id,
                    effective_from=effective_from,
                    endorsement_id=endorsement_id,
                    created_at=now,
                    applied_at=now if effective_from <= today else None,
                    tariff_version=version["tariff_version"],
                    options=[
                        {"code": code, "annual_price_cents": price}
                        for code, price in sorted(version["options"].items())
                    ],
                    **{name: version[name] for name in CONTRACT_FIELDS + PROPERTY_FIELDS},
                )
            )
        in_force = [
            version
            for effective_from, version, _ in history
            if effective_from <= max(today, row.start_date)
        ][-1]
        if in_force is not state:  # an endorsement signed before the migration takes effect later
            bind.execute(
                contract.update()
                .where(contract.c.id == row.id)
                .values(**{name: in_force[name] for name in CONTRACT_FIELDS})
            )
            bind.execute(
                insured_property.update()
                .where(insured_property.c.id == row.property_id)
                .values(**{name: in_force[name] for name in PROPERTY_FIELDS})
            )
            bind.execute(contract_option.delete().where(contract_option.c.contract_id == row.id))
            for code, price in sorted(in_force["options"].items()):
                bind.execute(
                    contract_option.insert().values(
                        contract_id=row.id, option_id=option_ids[code], annual_price_cents=price
                    )
                )
