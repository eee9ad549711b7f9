"""/accessibilite: the accessibility statement (déclaration d'accessibilité, RGAA 4.1), public and
linked from every page's footer. It says how the portal was checked and what is known not to
conform, in the order the RGAA model statement uses."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.contact import customer_service_link
from espace.components.public import public_page

AUDIT_DATE = "6 décembre 2026"


def _section(title: str, *children: rx.Component) -> rx.Component:
    return rx.el.section(rx.el.h2(title, class_name="card-subtitle"), *children)


def _list(*items: str | rx.Component) -> rx.Component:
    return rx.el.ul(*[rx.el.li(i) for i in items], class_name="bullets statement-list")


def accessibility_page() -> rx.Component:
    return public_page(
        "Déclaration d'accessibilité",
        rx.el.p(
            "Espace Assurances s'engage à rendre son espace client accessible conformément à "
            "l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration "
            "d'accessibilité s'applique à l'espace client Espace (pages des assurés, pages de "
            "gestion et page publique de vérification des attestations)."
        ),
        _section(
            "État de conformité",
            rx.el.p(
                "L'espace client Espace est ",
                rx.el.strong("partiellement conforme"),
                " avec le référentiel général d'amélioration de l'accessibilité (RGAA), version "
                "4.1, en raison des non-conformités et des dérogations énumérées ci-dessous. "
                "L'audit décrit ici est interne : il n'a pas encore été vérifié par un "
                "auditeur indépendant sur les 106 critères du RGAA.",
            ),
        ),
        _section(
            "Méthode et résultats des tests",
            rx.el.p(f"Audit du {AUDIT_DATE}, refait automatiquement à chaque modification :"),
            _list(
                "Tests automatisés axe-core (règles WCAG 2.1 niveaux A et AA) sur chaque page, "
                "en thème clair et en thème sombre : aucune violation sérieuse ou critique.",
                "Lighthouse, profil mobile, catégorie accessibilité : 100 sur 100.",
                "Parcours principal (connexion, tableau de bord, contrat, attestation, "
                "sinistre, paiements, déconnexion) réalisé au clavier seul, sans souris : "
                "ordre de tabulation logique, focus toujours visible, lien d'évitement vers le "
                "contenu.",
                "Affichage à 320 pixels CSS de large et zoom du texte à 200 % : le contenu se "
                "réorganise sans défilement horizontal ni perte d'information (critères 10.4 "
                "et 10.11).",
                "Contrôle des boîtes englobantes à 1280, 390 et 360 pixels de large : aucun "
                "texte coupé, aucun contrôle hors de son conteneur ; cibles tactiles d'au moins "
                "44 pixels.",
                "Vérifications manuelles : titres de page et hiérarchie des titres, étiquettes "
                "et messages d'erreur reliés aux champs, contrastes des deux thèmes.",
            ),
        ),
        _section(
            "Contenus non accessibles",
            rx.el.p(rx.el.strong("Non-conformités connues :")),
            _list(
                "Les documents PDF (attestations, certificats de garanties, reçus) ne sont pas "
                "balisés : un lecteur d'écran lit leur texte mais pas leur structure (critère "
                "13.3). Les informations qu'ils contiennent sont aussi affichées dans les pages "
                "du contrat et des paiements.",
                "L'aperçu d'un document s'affiche dans le lecteur PDF du navigateur, dont "
                "l'accessibilité ne dépend pas de nous ; le bouton « Télécharger » reste "
                "disponible.",
                "Les tests avec lecteurs d'écran (NVDA, VoiceOver, TalkBack) n'ont pas encore "
                "été menés de bout en bout.",
            ),
            rx.el.p(rx.el.strong("Alternatives proposées :")),
            _list(
                "Le réordonnancement des modules du tableau de bord par glisser-déposer a une "
                "alternative au clavier et au toucher (boutons « Monter » et « Descendre »).",
                "Le QR code d'une attestation est doublé de l'adresse de vérification écrite en "
                "clair sous le code.",
            ),
        ),
        _section(
            "Établissement de cette déclaration",
            rx.el.p(f"Cette déclaration a été établie le {AUDIT_DATE}."),
            rx.el.p("Technologies utilisées : HTML5, CSS, JavaScript, WAI-ARIA."),
            rx.el.p(
                "Environnement de test : Chromium (versions récentes) sous Linux, aux tailles "
                "de bureau (1280 × 800) et de téléphone (390 × 844 et 360 × 640), thèmes clair "
                "et sombre ; outils : axe-core, Lighthouse, Playwright."
            ),
        ),
        _section(
            "Retour d'information et contact",
            rx.el.p(
                "Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez-nous "
                "depuis la messagerie de votre espace, ou appelez le service client au ",
                customer_service_link(),
                " (appel non surtaxé) : nous vous répondrons et vous fournirons l'information "
                "sous une forme accessible.",
            ),
        ),
        _section(
            "Voies de recours",
            rx.el.p(
                "Si vous nous avez signalé un défaut d'accessibilité qui vous empêche "
                "d'accéder à un contenu ou à un service et que vous n'avez pas obtenu de "
                "réponse satisfaisante, vous pouvez :"
            ),
            _list(
                rx.fragment(
                    "écrire un message au ",
                    rx.el.a(
                        "Défenseur des droits (formulaire en ligne)",
                        href="https://formulaire.defenseurdesdroits.fr/",
                    ),
                    ";",
                ),
                "contacter le délégué du Défenseur des droits dans votre région ;",
                "appeler le 09 69 39 00 00 ;",
                "envoyer un courrier (gratuit, ne pas mettre de timbre) : Défenseur des droits, "
                "Libre réponse 71120, 75342 Paris CEDEX 07.",
            ),
        ),
        rx.el.p(rx.el.a("← Retour à l'accueil", href=routes.HOME), class_name="card-links"),
        lead="Espace, l'espace client d'Espace Assurances.",
        wide=True,
    )
