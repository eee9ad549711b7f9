"""Bank details checked without the database: the IBAN normalised, the IBAN and BIC checks
(schwifty: check digits, length, bank code, SEPA zone, the BIC's country) and the French messages of
the bank-account forms. An exception's text is never kept: it may quote the IBAN."""

from __future__ import annotations

import re
import warnings
from typing import NamedTuple

from schwifty import BIC, IBAN
from schwifty import exceptions as sx

# IBANs of the French overseas departments and collectivities start with FR; their banks' BICs may
# not.
FR_TERRITORIES = {"FR", "GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"}
MESSAGES = {
    "iban_empty": "Saisissez l'IBAN du compte à débiter.",
    "iban_checksum": (
        "Le numéro IBAN est invalide : la clé de contrôle ne correspond pas. Vérifiez les "
        "chiffres saisis."
    ),
    "iban_length": (
        "Le numéro IBAN n'a pas le bon nombre de caractères pour ce pays. Vérifiez qu'il est "
        "complet."
    ),
    "iban_country": "Le code pays de l'IBAN (ses deux premières lettres) n'est pas reconnu.",
    "iban_bank": (
        "Le code banque contenu dans cet IBAN n'est pas reconnu. Vérifiez les chiffres saisis."
    ),
    "iban_national": (
        "Le numéro IBAN est invalide : la clé RIB du compte ne correspond pas. Vérifiez les "
        "chiffres saisis."
    ),
    "iban_structure": (
        "Le numéro IBAN contient des caractères inattendus pour ce pays. Vérifiez votre saisie."
    ),
    "iban_sepa": (
        "Ce compte n'est pas situé dans la zone SEPA : le prélèvement n'est possible que depuis un "
        "compte d'un pays de la zone SEPA."
    ),
    "iban_duplicate": "Ce compte est déjà enregistré dans votre espace.",
    "bic_needed": (
        "Nous ne pouvons pas retrouver le BIC de cette banque : saisissez-le (il figure sur votre "
        "RIB)."
    ),
    "bic_invalid": (
        "Le BIC est invalide : il compte 8 ou 11 caractères, par exemple AGRIFRPP ou AGRIFRPPXXX."
    ),
    "bic_country": (
        "Le BIC ne correspond pas au pays de l'IBAN. Vérifiez les deux numéros sur votre RIB."
    ),
    "holder_empty": "Saisissez le nom du titulaire du compte, tel qu'il figure sur votre RIB.",
    "holder_length": "Le nom du titulaire doit compter entre 2 et 140 caractères.",
    "label_length": "Le libellé ne doit pas dépasser 60 caractères.",
    "not_found": "Ce compte est introuvable.",
    "mandate_first": "Signez d'abord le mandat de prélèvement pour ce compte.",
    "choose_other": (
        "Ce compte est celui de vos prélèvements : choisissez d'abord un autre compte pour les "
        "prélèvements (après avoir signé son mandat), puis retirez celui-ci."
    ),
    "debits_running": (
        "Ce compte sert aux prélèvements de vos contrats en cours : ajoutez d'abord un autre "
        "compte, signez son mandat et choisissez-le pour les prélèvements, puis retirez celui-ci."
    ),
    "revoke_choose_other": (
        "Ce mandat sert à vos prélèvements : choisissez d'abord un autre compte pour les "
        "prélèvements (après avoir signé son mandat), puis révoquez celui-ci."
    ),
    "revoke_debits_running": (
        "Ce mandat sert aux prélèvements de vos contrats en cours : ajoutez d'abord un autre "
        "compte, signez son mandat et choisissez-le pour les prélèvements, puis révoquez celui-ci."
    ),
}
_ERROR_KEYS = [  # most specific first (InvalidBBANChecksum etc. are not subclasses of each other)
    (sx.InvalidChecksumDigits, "iban_checksum"),
    (sx.InvalidLength, "iban_length"),
    (sx.InvalidCountryCode, "iban_country"),
    (sx.InvalidBankCode, "iban_bank"),
    (sx.InvalidBranchCode, "iban_bank"),
    (sx.InvalidBBANChecksum, "iban_national"),
    (sx.InvalidAccountCode, "iban_national"),
]


def normalise(value: str) -> str:
    """Upper case, without spaces or the usual separators (IBANs are often pasted grouped)."""
    return re.sub(r"[\s\-.\u00a0\u202f]", "", value or "").upper()


def _parse_iban(value: str) -> tuple[IBAN | None, str]:
    """(IBAN, "") or (None, message key). The exception text is never kept: it may quote the
    IBAN."""
    if not value:
        return None, "iban_empty"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", sx.NationalChecksumNotVerified)
            iban = IBAN(value, validate_bban=True)
    except sx.SchwiftyException as error:
        key = next((key for kind, key in _ERROR_KEYS if isinstance(error, kind)), "iban_structure")
        return None, key
    if not iban.in_sepa_zone:
        return None, "iban_sepa"
    return iban, ""


def _derived_bic(iban: IBAN) -> BIC | None:
    try:
        return iban.bic
    except sx.SchwiftyException:
        return None


def _check_bic(iban: IBAN, value: str) -> tuple[str, str]:
    """(BIC to store, "") or ("", message key)."""
    if not value:
        derived = _derived_bic(iban)
        return (str(derived.compact), "") if derived is not None else ("", "bic_needed")
    try:
        bic = BIC(value)
    except sx.SchwiftyException:
        return "", "bic_invalid"
    ok = (
        bic.country_code in FR_TERRITORIES
        if iban.country_code == "FR"
        else bic.country_code == iban.country_code
    )
    return (str(bic.compact), "") if ok else ("", "bic_country")


def _bank_name(iban: IBAN, bic: str) -> str:
    name = iban.bank_name
    if not name:
        try:
            names = BIC(bic).bank_names
            name = names[0] if names else ""
        except (sx.SchwiftyException, IndexError):
            name = ""
    return (name or "")[:120]


class Checked(NamedTuple):
    errors: dict[str, str]  # field id -> French message; empty when everything is valid
    iban: IBAN | None
    bic: str  # the BIC to store (given or derived from the IBAN)


def check_fields(*, iban: str, bic: str, account_holder: str, label: str = "") -> Checked:
    """Check the form's fields (no database): every field's error at once."""
    errors: dict[str, str] = {}
    parsed, key = _parse_iban(normalise(iban))
    if key:
        errors["iban"] = MESSAGES[key]
    bic_value = ""
    if parsed is not None:
        bic_value, key = _check_bic(parsed, normalise(bic))
        if key:
            errors["bic"] = MESSAGES[key]
    name = " ".join(account_holder.split())
    if not name:
        errors["account_holder"] = MESSAGES["holder_empty"]
    elif not 2 <= len(name) <= 140:
        errors["account_holder"] = MESSAGES["holder_length"]
    if len(label.strip()) > 60:
        errors["label"] = MESSAGES["label_length"]
    return Checked(errors, parsed, bic_value)
