"""The insurance synonym thesaurus as data: shape, coverage, links, accent-insensitive lookup."""

from __future__ import annotations

import pytest

from espace.search import thesaurus as th
from espace.search.thesaurus import groups_for

SYNONYM_GROUPS = th.SYNONYM_GROUPS
ABBREVIATIONS = th.ABBREVIATIONS

ALL_EXPRESSIONS = {expression for group in SYNONYM_GROUPS for expression in group}


def linked(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` share at least one group."""
    key = th.normalize(b)
    return any(key in {th.normalize(e) for e in group} for group in groups_for(a))


# --- Shape -----------------------------------------------------------------


@pytest.mark.data_lint
def test_at_least_45_groups() -> None:
    assert len(SYNONYM_GROUPS) >= 45


@pytest.mark.data_lint
@pytest.mark.parametrize("group", SYNONYM_GROUPS, ids=lambda g: g[0])
def test_group_shape(group: tuple[str, ...]) -> None:
    assert isinstance(group, tuple)
    assert 4 <= len(group) <= 13
    for expression in group:
        assert isinstance(expression, str) and expression
        assert expression == expression.lower()
        assert expression == expression.strip()
        assert "  " not in expression
        assert "’" not in expression  # straight apostrophes only
    assert len(set(group)) == len(group), "duplicate expression"
    assert len({th.normalize(e) for e in group}) == len(group), "duplicate once accents are folded"


@pytest.mark.data_lint
def test_no_two_identical_groups() -> None:
    as_sets = [frozenset(group) for group in SYNONYM_GROUPS]
    assert len(set(as_sets)) == len(as_sets)


@pytest.mark.data_lint
def test_accents_are_written() -> None:
    # Expressions keep their normal French spelling (the user may not, the data does).
    written_forms = (
        "dégât des eaux",
        "prélèvement",
        "résiliation",
        "électroménager",
        "sécheresse",
        "œuvres d'art",
    )
    for written in written_forms:
        assert written in ALL_EXPRESSIONS
    assert "degat des eaux" not in ALL_EXPRESSIONS
    assert "prelevement" not in ALL_EXPRESSIONS


# --- Coverage of the policyholders' words -----------------------------------


@pytest.mark.data_lint
@pytest.mark.parametrize(
    "expression",
    [
        "fuite",
        "dégât des eaux",
        "dégâts des eaux",
        "dde",
        "infiltration",
        "débordement",
        "canalisation",
        "tuyau",
        "rupture de canalisation",
        "eau",
        "humidité",
        "dégât d'eau",
        "voisin inondé",
        "inondation",
        "catastrophe naturelle",
        "crue",
        "coulée de boue",
        "arrêté interministériel",
        "catnat",
        "sécheresse",
        "séisme",
        "tremblement de terre",
        "cambriolage",
        "vol",
        "effraction",
        "voleur",
        "cambrioleur",
        "vandalisme",
        "serrure forcée",
        "porte forcée",
        "feu",
        "incendie",
        "brûlé",
        "fumée",
        "explosion",
        "foudre",
        "court-circuit",
        "vitre",
        "vitre cassée",
        "bris de glace",
        "carreau",
        "fenêtre cassée",
        "baie vitrée",
        "verre",
        "miroir",
        "plaque vitrocéramique",
        "vitrage",
        "tempête",
        "vent",
        "grêle",
        "neige",
        "toiture",
        "tuiles",
        "orage",
        "responsabilité civile",
        "rc",
        "dommage à un tiers",
        "voisin du dessus",
        "dommages causés",
        "franchise",
        "reste à charge",
        "déductible",
        "plafond",
        "limite",
        "montant maximum",
        "indemnisation maximale",
        "indemnité",
        "indemnisation",
        "remboursement",
        "remboursé",
        "dédommagement",
        "attestation",
        "attestation d'assurance",
        "justificatif",
        "certificat",
        "attestation loyer",
        "attestation propriétaire",
        "prélèvement",
        "échéance",
        "échéancier",
        "cotisation",
        "prime",
        "mensualité",
        "paiement",
        "prélèvement rejeté",
        "rib",
        "iban",
        "compte bancaire",
        "coordonnées bancaires",
        "mandat sepa",
        "sinistre",
        "déclaration",
        "déclarer",
        "dossier",
        "accident",
        "expert",
        "expertise",
        "visite",
        "rapport d'expertise",
        "résiliation",
        "résilier",
        "loi hamon",
        "changer d'assureur",
        "mot de passe",
        "identifiant",
        "connexion",
        "se connecter",
        "accès",
        "avenant",
        "modification de contrat",
        "changer de formule",
        "déménagement",
        "déménager",
        "protection juridique",
        "litige",
        "avocat",
        "conflit",
        "assistance",
        "dépannage",
        "serrurier",
        "relogement",
        "urgence",
        "objets de valeur",
        "bijoux",
        "œuvres d'art",
        "électroménager",
        "appareil",
        "dommages électriques",
        "surtension",
        "données personnelles",
        "rgpd",
        "vie privée",
        "suppression de compte",
        "export",
    ],
)
def test_expression_is_present(expression: str) -> None:
    assert expression in ALL_EXPRESSIONS
    assert groups_for(expression)


# --- Links ------------------------------------------------------------------


@pytest.mark.data_lint
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("fuite", "dégât des eaux"),
        ("dde", "dégât des eaux"),
        ("canalisation", "dégât des eaux"),
        ("infiltration", "dégât des eaux"),
        ("voisin inondé", "dégât des eaux"),
        ("cambriolage", "vol"),
        ("cambriolage", "effraction"),
        ("serrure forcée", "cambriolage"),
        ("vandalisme", "vol"),
        ("vitre", "bris de glace"),
        ("vitre cassée", "bris de glace"),
        ("miroir", "bris de glace"),
        ("plaque vitrocéramique", "bris de glace"),
        ("inondation", "catastrophe naturelle"),
        ("inondation", "crue"),
        ("inondation", "coulée de boue"),
        ("inondation", "arrêté interministériel"),
        ("catnat", "catastrophe naturelle"),
        ("sécheresse", "catastrophe naturelle"),
        ("tremblement de terre", "catastrophe naturelle"),
        ("feu", "incendie"),
        ("explosion", "incendie"),
        ("grêle", "tempête"),
        ("tuiles", "tempête"),
        ("rc", "responsabilité civile"),
        ("voisin inondé", "responsabilité civile"),
        ("reste à charge", "franchise"),
        ("montant maximum", "plafond"),
        ("remboursement", "indemnisation"),
        ("dédommagement", "indemnité"),
        ("attestation loyer", "attestation d'assurance"),
        ("justificatif", "attestation"),
        ("prélèvement", "échéance"),
        ("mensualité", "cotisation"),
        ("prélèvement rejeté", "impayé"),
        ("rib", "iban"),
        ("rib", "mandat sepa"),
        ("accident", "sinistre"),
        ("déclarer", "sinistre"),
        ("expertise", "expert"),
        ("loi hamon", "résiliation"),
        ("changer d'assureur", "résilier"),
        ("mot de passe", "connexion"),
        ("déménagement", "avenant"),
        ("changer de formule", "avenant"),
        ("litige", "protection juridique"),
        ("serrurier", "assistance"),
        ("relogement", "assistance"),
        ("bijoux", "objets de valeur"),
        ("surtension", "dommages électriques"),
        ("rgpd", "données personnelles"),
        ("suppression de compte", "données personnelles"),
    ],
)
def test_linked(a: str, b: str) -> None:
    assert linked(a, b), f"{a!r} should share a group with {b!r}"
    assert linked(b, a)


def test_inondation_is_not_a_water_damage() -> None:
    # Flooding is a natural disaster (arrêté CatNat), not the "dégât des eaux" guarantee.
    assert not linked("inondation", "dégât des eaux")
    assert not linked("inondation", "fuite")
    assert not linked("catnat", "dde")


# --- Lookup -------------------------------------------------------------------


def test_groups_for_unknown_is_empty() -> None:
    assert groups_for("xyzzy") == []
    assert groups_for("") == []


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("degat des eaux", "dégât des eaux"),
        ("DÉGÂT DES EAUX", "dégât des eaux"),
        ("  Degat   des eaux ", "dégât des eaux"),
        ("prelevement rejete", "prélèvement rejeté"),
        ("resiliation", "résiliation"),
        ("electromenager", "électroménager"),
        ("oeuvres d'art", "œuvres d'art"),
        ("dégât d’eau", "dégât d'eau"),
        ("court circuit", "court-circuit"),
        ("RIB", "rib"),
    ],
)
def test_case_and_accent_insensitive(typed: str, written: str) -> None:
    assert groups_for(typed) == groups_for(written) != []


def test_groups_for_returns_every_group_of_a_shared_expression() -> None:
    groups = groups_for("catastrophe naturelle")
    assert len(groups) >= 4
    assert all("catastrophe naturelle" in group for group in groups)
    assert groups == [group for group in SYNONYM_GROUPS if "catastrophe naturelle" in group]


def test_groups_for_returns_a_fresh_list() -> None:
    groups_for("fuite").clear()
    assert groups_for("fuite")


def test_synonyms_of() -> None:
    synonyms = th.synonyms_of("degat des eaux")
    assert "fuite" in synonyms
    assert "dégât des eaux" not in synonyms
    assert len(synonyms) == len(set(synonyms))
    assert th.synonyms_of("xyzzy") == []


# --- Abbreviations --------------------------------------------------------------


@pytest.mark.data_lint
@pytest.mark.parametrize(
    ("abbreviation", "expansion"),
    [
        ("dde", "dégât des eaux"),
        ("rc", "responsabilité civile"),
        ("catnat", "catastrophe naturelle"),
        ("cg", "conditions générales"),
        ("cp", "conditions particulières"),
        ("pj", "protection juridique"),
        ("mrh", "multirisque habitation"),
        ("rib", "relevé d'identité bancaire"),
    ],
)
def test_known_abbreviations(abbreviation: str, expansion: str) -> None:
    assert ABBREVIATIONS[abbreviation] == expansion
    assert th.expand_abbreviation(abbreviation.upper()) == expansion


@pytest.mark.data_lint
@pytest.mark.parametrize(("abbreviation", "expansion"), sorted(ABBREVIATIONS.items()))
def test_abbreviation_expands_into_the_thesaurus(abbreviation: str, expansion: str) -> None:
    assert abbreviation == abbreviation.lower().strip() and abbreviation
    assert expansion == expansion.lower().strip()
    assert expansion in ALL_EXPRESSIONS
    assert groups_for(expansion)


@pytest.mark.data_lint
@pytest.mark.parametrize("abbreviation", ["dde", "rc", "catnat", "cg", "cp", "pj", "mrh", "rib"])
def test_abbreviation_shares_a_group_with_its_expansion(abbreviation: str) -> None:
    assert linked(abbreviation, ABBREVIATIONS[abbreviation])


def test_expand_abbreviation_unknown() -> None:
    assert th.expand_abbreviation("fuite") is None


@pytest.mark.parametrize("word", ["arrêté", "inondé", "paie"])
def test_an_ambiguous_word_brings_no_group_alone(word: str) -> None:
    # "arrêté": a ministerial order (CatNat) or "j'ai arrêté mon contrat"; only the expressions
    # around it ("arrêté interministériel", "voisin inondé") choose the sense.
    assert th.normalize(word) in th.ambiguous_words()
    assert groups_for(word) == []


def test_no_expression_is_a_small_word_away_from_a_bare_person() -> None:
    """ "d'un ami" compares as "ami" (small words are ignored): a friend would pull liability into
    "je pars vivre chez mon ami". Damage to a friend's things is written with its verb ("cassé chez
    un ami", "fille a fait tomber")."""
    assert th.expand("je pars vivre chez mon ami") == th.expand("je pars vivre chez mon cousin")
    assert "responsabilite civile" in th.expand("ma fille a fait tomber l'ordinateur d'une amie")
    assert "responsabilite civile" in th.expand("j'ai cassé un vase chez un ami")
