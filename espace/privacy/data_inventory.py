"""GDPR: what we keep about a holder, why, how long and who receives it (the article 13
information shown on "Mes données").
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# What we keep, why, how long, who receives it (article 13 information)
# ---------------------------------------------------------------------------------------------

_CONTRACT_RETENTION = (
    "Durée du contrat, puis 10 ans après sa fin (prescription et obligations légales)"
)
_INSURER = "Nos services de gestion ; l'assureur et ses réassureurs"

DATA_INVENTORY: list[dict[str, str]] = [
    {
        "category": "Identité et coordonnées",
        "what": "Civilité, nom, prénom, date de naissance, adresse postale, e-mail, téléphone",
        "why": "Exécution du contrat d'assurance (art. 6.1.b RGPD)",
        "how_long": _CONTRACT_RETENTION,
        "who": _INSURER,
    },
    {
        "category": "Contrats et biens assurés",
        "what": "Numéro de contrat, formule, options, capital mobilier, franchise, cotisation, "
        "adresse et caractéristiques du logement, avenants et simulations",
        "why": (
            "Exécution du contrat ; obligations légales du Code des assurances (art. 6.1.b et "
            "6.1.c)"
        ),
        "how_long": _CONTRACT_RETENTION,
        "who": _INSURER,
    },
    {
        "category": "Paiements et coordonnées bancaires",
        "what": "Échéances, paiements et rejets, mandats SEPA, IBAN (chiffré, affiché masqué), "
        "4 derniers chiffres et marque de la carte (jamais le numéro complet)",
        "why": "Exécution du contrat ; obligations comptables et fiscales (art. 6.1.b et 6.1.c)",
        "how_long": _CONTRACT_RETENTION + " ; pièces comptables 10 ans",
        "who": "Nos services de gestion, notre banque et notre prestataire de paiement par carte",
    },
    {
        "category": "Sinistres",
        "what": "Déclarations, descriptions, biens endommagés, photos et justificatifs, "
        "rapports d'expertise, messages échangés, indemnisations",
        "why": "Exécution du contrat ; lutte contre la fraude (art. 6.1.b et 6.1.f)",
        "how_long": _CONTRACT_RETENTION,
        "who": (
            "Gestionnaires sinistres, experts mandatés, réparateurs et, le cas échéant, "
            "l'assureur du tiers"
        ),
    },
    {
        "category": "Documents",
        "what": (
            "Attestations d'assurance, conditions particulières, avis d'échéance, quittances, "
            "avenants, mandats"
        ),
        "why": "Exécution du contrat ; obligations légales (art. 6.1.b et 6.1.c)",
        "how_long": _CONTRACT_RETENTION,
        "who": _INSURER + " ; les tiers à qui vous remettez une attestation",
    },
    {
        "category": "Journaux de connexion",
        "what": (
            "Date et heure, adresse IP, navigateur, résultat de la connexion, appareils reconnus"
        ),
        "why": "Sécurité de votre compte et obligations de conservation (art. 6.1.c et 6.1.f)",
        "how_long": "13 mois au plus",
        "who": "Nos équipes sécurité ; les autorités sur réquisition judiciaire",
    },
    {
        "category": "Notifications et préférences",
        "what": (
            "Notifications de l'Espace, choix des canaux (e-mail, SMS, push), abonnements push, "
            "disposition du tableau de bord"
        ),
        "why": "Fonctionnement de votre Espace (art. 6.1.b)",
        "how_long": "Tant que votre compte est ouvert",
        "who": "Nos services ; le service de notification push de votre navigateur",
    },
    {
        "category": "Messages et assistant",
        "what": (
            "Vos conversations avec nos conseillers et leurs pièces jointes, les échanges avec "
            "l'assistant que vous leur avez transmis, vos notes de satisfaction, vos avis sur les "
            "articles d'aide"
        ),
        "why": (
            "Exécution du contrat et traitement de vos demandes (art. 6.1.b) ; qualité de service "
            "(art. 6.1.f)"
        ),
        "how_long": _CONTRACT_RETENTION + " ; avis sur l'aide : tant que votre compte est ouvert",
        "who": "Les conseillers et gestionnaires qui traitent votre demande",
    },
    {
        "category": "Historique des coordonnées",
        "what": (
            "Les changements d'adresse postale, de téléphone et d'e-mail, leur date et la "
            "vérification faite"
        ),
        "why": "Sécurité de votre compte : prouver qui a modifié quoi (art. 6.1.f)",
        "how_long": "Tant que votre compte est ouvert",
        "who": "Nos équipes sécurité",
    },
    {
        "category": "Consultations de votre dossier",
        "what": (
            "Chaque ouverture de vos sinistres, conversations, fichiers ou demandes par nos "
            "collaborateurs : date, rôle du collaborateur, ce qu'il a consulté"
        ),
        "why": (
            "Sécurité et confidentialité de vos données : tracer les accès (art. 32 RGPD ; art. "
            "6.1.c et 6.1.f)"
        ),
        "how_long": "13 mois",
        "who": (
            "Nos responsables et le délégué à la protection des données ; vous-même, dans « Mes "
            "données »"
        ),
    },
    {
        "category": "Consentements",
        "what": (
            "Vos choix pour les offres par e-mail, par SMS et le partage avec nos partenaires, "
            "avec leur historique"
        ),
        "why": "Votre consentement (art. 6.1.a), et la preuve de ce consentement (art. 7.1)",
        "how_long": "Durée de la relation, puis 5 ans pour la preuve",
        "who": "Nos services ; nos partenaires uniquement si vous l'avez accepté",
    },
]
