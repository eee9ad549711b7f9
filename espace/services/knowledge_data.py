"""The help centre (FAQ) as data: categories and articles in French, with links into the portal.

Plain data only (no Reflex, no database). Bodies are plain text, paragraphs separated by a blank line.
Facts must stay consistent with the portal (sign-in, claims deadlines, payments...) and French law
(Code des assurances, RGPD).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaqArticle:
    slug: str  # url-safe, unique
    category: str  # a key of CATEGORIES
    title: str  # the question, as a holder would ask it
    body: str  # the answer; paragraphs separated by "\n\n"
    keywords: tuple[str, ...] = ()  # extra words people type
    links: tuple[tuple[str, str], ...] = ()  # (label, internal route)


CATEGORIES = {
    "access": "Accès et sécurité",
    "contract": "Contrat et garanties",
    "claims": "Sinistres",
    "payments": "Paiements",
    "documents": "Documents",
    "privacy": "Données personnelles",
}

ASSISTANCE_PHONE = "01 86 95 00 00"
CUSTOMER_SERVICE_PHONE = "09 70 80 90 00"
DPO_EMAIL = "dpo@espace-assurances.example"


def _a(
    slug: str,
    category: str,
    title: str,
    body: str,
    keywords: tuple[str, ...] = (),
    links: tuple[tuple[str, str], ...] = (),
) -> FaqArticle:
    return FaqArticle(slug, category, title, body.strip(), keywords, links)


_ACCESS = (
    _a(
        "se-connecter",
        "access",
        "Comment me connecter à mon espace ?",
        """
Sur la page de connexion, saisissez votre adresse e-mail ou votre numéro de contrat, puis votre mot de passe. Le numéro de contrat commence par MRH suivi de 7 chiffres (par exemple MRH1234567) : il figure sur vos conditions particulières, vos attestations et vos avis d'échéance.

Si vous vous connectez depuis un appareil que nous ne connaissons pas encore, nous vous demandons en plus un code à 6 chiffres envoyé par e-mail ou par SMS, ou celui de votre application d'authentification si vous l'avez activée.

Par sécurité, votre session se ferme après 30 minutes sans activité. Sur un ordinateur partagé, pensez à vous déconnecter et à ne pas enregistrer votre mot de passe dans le navigateur.

Première visite ? Choisissez « Créer mon espace » sur la page de connexion et indiquez votre numéro de contrat, votre nom, votre date de naissance et le code postal du logement assuré. Un lien d'activation, valable 72 heures, vous est envoyé par e-mail.
""",
        (
            "login",
            "identifiant",
            "se connecter",
            "numéro de contrat",
            "accès",
            "inscription",
            "créer un compte",
        ),
        (("Se connecter", "/connexion"), ("Mot de passe oublié", "/mot-de-passe-oublie")),
    ),
    _a(
        "code-nouvel-appareil",
        "access",
        "Pourquoi me demande-t-on un code à 6 chiffres lors de ma connexion ?",
        """
Lorsque vous vous connectez depuis un nouvel ordinateur, un nouveau téléphone ou un nouveau navigateur, nous vérifions qu'il s'agit bien de vous : en plus du mot de passe, nous vous demandons un code à 6 chiffres. Il vous est envoyé par e-mail ou par SMS, au choix, et ne sert qu'une fois.

Si vous avez activé une application d'authentification dans la rubrique Sécurité, c'est le code affiché par l'application qui vous est demandé. Vous êtes alors protégé même si votre messagerie est piratée.

Le code n'arrive pas ? Vérifiez vos courriers indésirables, patientez une minute puis demandez un nouvel envoi. Si vous avez changé de numéro de mobile ou perdu l'accès à votre messagerie, utilisez un code de secours ou la page « Accès perdu ».

Une fois l'appareil reconnu, le code ne vous est plus demandé à chaque connexion. Nous vous envoyons une alerte à chaque connexion depuis un nouvel appareil.
""",
        ("code de vérification", "double authentification", "2FA", "SMS", "code pas reçu"),
        (("Rubrique Sécurité", "/securite"), ("Accès perdu", "/acces-perdu")),
    ),
    _a(
        "mot-de-passe-oublie",
        "access",
        "J'ai oublié mon mot de passe : comment le réinitialiser ?",
        """
Sur la page « Mot de passe oublié », indiquez votre adresse e-mail ou votre numéro de contrat. Vous avez ensuite deux possibilités.

Par e-mail : nous vous envoyons un lien de réinitialisation, valable 24 heures et utilisable une seule fois. Passé ce délai, faites une nouvelle demande.

Par SMS : si un numéro de mobile vérifié est enregistré sur votre compte, vous pouvez recevoir un code à saisir sur la page.

Choisissez ensuite un nouveau mot de passe conforme aux règles de sécurité. Par précaution, la réinitialisation ferme toutes les sessions ouvertes sur votre compte.

Pour des raisons de sécurité, la page affiche le même message que l'adresse soit connue ou non : si rien n'arrive après quelques minutes, vérifiez vos courriers indésirables et l'adresse saisie. Si vous n'avez plus accès à cette messagerie ni à ce numéro, passez par la page « Accès perdu ».
""",
        ("mdp", "réinitialiser", "mot de passe perdu", "changer mot de passe", "lien expiré"),
        (("Mot de passe oublié", "/mot-de-passe-oublie"), ("Accès perdu", "/acces-perdu")),
    ),
    _a(
        "compte-bloque",
        "access",
        "Mon compte est bloqué après plusieurs essais : que faire ?",
        """
Après 5 tentatives de connexion infructueuses, votre compte est verrouillé pendant 30 minutes. Ce blocage temporaire empêche qu'un tiers essaie de deviner votre mot de passe. Il se lève tout seul : inutile de nous appeler.

Pendant ce délai, vous pouvez réinitialiser votre mot de passe avec « Mot de passe oublié ». Vous pourrez ensuite vous connecter avec le nouveau mot de passe une fois le verrouillage levé.

Vérifiez aussi que vous utilisez le bon identifiant : votre adresse e-mail, ou votre numéro de contrat au format MRH suivi de 7 chiffres. La touche Verr. Maj. activée et un gestionnaire de mots de passe qui remplit un ancien mot de passe sont des causes fréquentes.

Si vous n'êtes pas à l'origine de ces tentatives, changez votre mot de passe dès que possible, puis activez une application d'authentification dans la rubrique Sécurité.
""",
        ("bloqué", "verrouillé", "trop de tentatives", "compte suspendu"),
        (("Mot de passe oublié", "/mot-de-passe-oublie"), ("Se connecter", "/connexion")),
    ),
    _a(
        "acces-email-perdu",
        "access",
        "Je n'ai plus accès à mon adresse e-mail : comment récupérer mon compte ?",
        """
Utilisez la page « Accès perdu ». Nous vérifions d'abord votre identité à partir de votre contrat : numéro de contrat, nom, date de naissance et code postal du logement assuré.

Si un numéro de mobile est enregistré sur votre contrat, nous vous envoyons un code par SMS. Une fois le code saisi, vous pouvez définir une nouvelle adresse e-mail et un nouveau mot de passe.

Sans mobile enregistré, ou si ce numéro n'est plus le vôtre, vous déposez une demande qu'un conseiller traite sous 48 heures. Il peut vous contacter pour vérifier votre identité avant de rétablir l'accès : nous ne modifions jamais une adresse e-mail sur simple appel.

Conseil : si vous avez généré vos 10 codes de secours dans la rubrique Sécurité, gardez-les en lieu sûr. Ils vous permettent de vous connecter sans le code envoyé par e-mail.
""",
        ("adresse mail perdue", "changer email", "piratage messagerie", "plus de téléphone"),
        (("Accès perdu", "/acces-perdu"),),
    ),
    _a(
        "regles-mot-de-passe",
        "access",
        "Quelles sont les règles pour choisir mon mot de passe ?",
        """
Nos règles suivent les recommandations de la CNIL. Votre mot de passe est accepté s'il respecte l'une de ces trois conditions :

- au moins 12 caractères mélangeant les 4 types : majuscules, minuscules, chiffres et caractères spéciaux ;
- au moins 14 caractères avec au moins 3 de ces types ;
- une phrase de passe d'au moins 20 caractères, par exemple plusieurs mots sans rapport entre eux.

Nous refusons aussi les mots de passe trop courants ou trop faciles à deviner, par exemple construits à partir de votre nom ou de votre date de naissance. L'indicateur de robustesse vous aide pendant la saisie.

N'utilisez ce mot de passe sur aucun autre site : en cas de fuite ailleurs, votre espace resterait protégé. Un gestionnaire de mots de passe peut le créer et le retenir pour vous. Vous pouvez le changer à tout moment dans la rubrique Sécurité.
""",
        ("mot de passe refusé", "complexité", "CNIL", "phrase de passe", "robustesse"),
        (("Changer mon mot de passe", "/securite"),),
    ),
    _a(
        "application-authentification",
        "access",
        "Comment activer une application d'authentification et des codes de secours ?",
        """
Dans la rubrique Sécurité, choisissez « Configurer une application ». Ouvrez une application d'authentification sur votre téléphone (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis…), scannez le QR code affiché ou saisissez la clé à la main, puis entrez le code à 6 chiffres qu'elle affiche pour confirmer.

Ensuite, lors d'une connexion depuis un nouvel appareil, c'est le code de l'application qui vous est demandé. Il change toutes les 30 secondes et fonctionne sans réseau.

Générez aussi vos 10 codes de secours. Chacun ne sert qu'une fois et vous permet de vous connecter si vous perdez votre téléphone. Imprimez-les ou notez-les dans un endroit sûr, hors de votre messagerie. Quand il vous en reste peu, générez-en de nouveaux : les anciens deviennent alors invalides.
""",
        ("TOTP", "authenticator", "double authentification", "codes de secours", "2FA"),
        (("Rubrique Sécurité", "/securite"),),
    ),
    _a(
        "alerte-connexion-inconnue",
        "access",
        "J'ai reçu une alerte de connexion que je ne reconnais pas : que faire ?",
        """
Chaque connexion depuis un nouvel appareil déclenche une alerte par e-mail indiquant la date, le type d'appareil et le navigateur utilisés. Si ce n'était pas vous, cliquez sur le lien « Ce n'était pas moi » dans cet e-mail : toutes les sessions ouvertes sur votre compte sont immédiatement fermées, y compris la vôtre.

Changez ensuite votre mot de passe avec « Mot de passe oublié », en choisissant un mot de passe que vous n'utilisez nulle part ailleurs. Activez une application d'authentification dans la rubrique Sécurité et vérifiez l'historique des connexions, conservé 13 mois.

Si vos coordonnées bancaires ou votre adresse e-mail ont pu être modifiées, appelez le service client au 09 70 80 90 00. Nous ne vous demanderons jamais votre mot de passe ni un code reçu par SMS, par téléphone ou par e-mail.
""",
        ("piratage", "connexion suspecte", "ce n'était pas moi", "compte piraté", "hameçonnage"),
        (("Rubrique Sécurité", "/securite"), ("Mot de passe oublié", "/mot-de-passe-oublie")),
    ),
)

_CONTRACT = (
    _a(
        "formules",
        "contract",
        "Quelles différences entre les formules Essentielle, Confort et Intégrale ?",
        """
Les trois formules couvrent l'incendie, les dégâts des eaux et le gel, la tempête, la grêle et le poids de la neige, les catastrophes naturelles, votre responsabilité civile vie privée et l'assistance au domicile 24 h/24.

Essentielle : l'indispensable, sans vol, bris de glace ni dommages électriques. Relogement d'urgence jusqu'à 5 nuits.

Confort : ajoute le vol et le vandalisme (objets de valeur jusqu'à 30 % du capital mobilier), le bris de glace avec une franchise fixe de 75 € et les dommages électriques. Relogement jusqu'à 10 nuits.

Intégrale : plafonds relevés, indemnisation en valeur à neuf, objets de valeur jusqu'à 50 % du capital mobilier, bris de glace sans franchise et protection juridique incluse. Relogement jusqu'à 30 nuits.

Le détail des plafonds et des exclusions figure dans vos conditions générales, et le résumé de votre contrat dans « Mes contrats ».
""",
        ("garanties", "comparer formules", "niveau de couverture", "que couvre mon contrat"),
        (
            ("Mes contrats", "/contrats"),
            ("Conditions générales", "/contrat/conditions"),
            ("Changer de formule", "/contrat/modifier"),
        ),
    ),
    _a(
        "franchise",
        "contract",
        "Qu'est-ce que la franchise et comment est calculée mon indemnité ?",
        """
La franchise est la somme qui reste à votre charge sur chaque sinistre. Vous choisissez son niveau à la souscription, par exemple 150 €, 300 € ou 500 € : plus elle est élevée, plus votre cotisation est basse.

Le calcul est simple : indemnité = montant des dommages − franchise, dans la limite du plafond de la garantie. Exemple : un dégât des eaux chiffré à 2 400 € avec une franchise de 300 € donne une indemnité de 2 100 €. Si les dommages sont inférieurs à la franchise, rien n'est versé.

Certaines garanties ont leur propre franchise. En formule Confort, le bris de glace a une franchise fixe de 75 €. Pour une catastrophe naturelle, la franchise est fixée par la loi : 380 € pour une habitation, 1 520 € pour les dommages dus à la sécheresse. La responsabilité civile s'applique sans franchise.

Vous pouvez changer de niveau de franchise depuis « Modifier mon contrat ».
""",
        ("franchise", "reste à charge", "calcul indemnisation", "remboursement"),
        (
            ("Modifier ma franchise", "/contrat/modifier"),
            ("Conditions générales", "/contrat/conditions"),
        ),
    ),
    _a(
        "options",
        "contract",
        "Quelles options puis-je ajouter à mon contrat ?",
        """
Cinq options complètent votre formule :

- Protection juridique : conseil et prise en charge des frais de procédure pour vos litiges liés au logement (voisin, artisan, bailleur, vendeur). Elle est déjà incluse dans la formule Intégrale.
- Objets de valeur : bijoux, œuvres d'art et collections assurés au-delà du plafond de base. Gardez factures, certificats ou photos pour prouver leur valeur.
- Bris de glace renforcé : étend la garantie aux inserts de cheminée, aquariums et panneaux solaires.
- Jardin et piscine : arbres, plantations, mobilier de jardin, piscine et ses équipements.
- Assistance renforcée : dépannage d'urgence en plomberie, électricité et serrurerie, même sans sinistre garanti.

Vous pouvez ajouter ou retirer une option à tout moment depuis « Modifier mon contrat » : le nouveau prix s'affiche avant validation et un avenant est émis dans vos documents. Une garantie ajoutée ne couvre pas un sinistre déjà survenu.
""",
        ("option", "protection juridique", "bijoux", "piscine", "jardin", "dépannage"),
        (("Modifier mon contrat", "/contrat/modifier"),),
    ),
    _a(
        "modifier-contrat",
        "contract",
        "Comment modifier ma formule, ma franchise ou mes options ?",
        """
Depuis « Modifier mon contrat », choisissez la nouvelle formule, le niveau de franchise, le capital mobilier ou les options. Avant de confirmer, vous voyez la nouvelle cotisation annuelle et ce qui change par rapport à votre contrat actuel.

Une fois la modification validée, un avenant au format PDF est disponible dans vos documents. Il précise les changements et leur date d'effet. Votre échéancier de paiement est ajusté en conséquence.

Certains changements ne se font pas en ligne : nouvelle adresse, surface ou nombre de pièces, passage de locataire à propriétaire. Ils modifient le risque assuré et doivent nous être déclarés dans les 15 jours suivant le moment où vous en avez connaissance (article L113-2 du Code des assurances). Contactez pour cela le service client au 09 70 80 90 00.

Pensez à mettre votre capital mobilier à jour après un achat important : en cas de sous-évaluation, l'indemnité peut être réduite.
""",
        (
            "changer de formule",
            "augmenter garanties",
            "baisser cotisation",
            "avenant",
            "capital mobilier",
        ),
        (("Modifier mon contrat", "/contrat/modifier"), ("Mes documents", "/documents")),
    ),
    _a(
        "assurance-obligatoire",
        "contract",
        "L'assurance habitation est-elle obligatoire ?",
        """
Cela dépend de votre situation.

Locataire d'un logement vide ou meublé en résidence principale : vous devez assurer au minimum les risques locatifs (incendie, dégâts des eaux, explosion), selon la loi du 6 juillet 1989. Votre bailleur peut vous demander une attestation à la remise des clés puis chaque année. Sans attestation, il peut, après mise en demeure restée sans effet pendant un mois, souscrire une assurance pour votre compte et vous en refacturer le coût.

Copropriétaire, occupant ou bailleur : la responsabilité civile est obligatoire depuis la loi ALUR de 2014.

Propriétaire d'une maison individuelle : l'assurance n'est pas obligatoire, mais elle est fortement conseillée, et votre banque l'exige souvent pour un prêt immobilier.

Vos attestations se téléchargent à tout moment dans « Mes documents ».
""",
        ("obligation", "locataire", "propriétaire", "copropriété", "loi ALUR", "bailleur"),
        (("Mes documents", "/documents"),),
    ),
    _a(
        "demenagement",
        "contract",
        "Je déménage : que devient mon contrat ?",
        """
Prévenez-nous avant votre départ, en appelant le service client au 09 70 80 90 00. Deux possibilités :

Transférer votre contrat : nous l'adaptons au nouveau logement (adresse, surface, nombre de pièces). La cotisation est recalculée et un avenant vous est adressé. Pendant la période où vous avez les clés des deux logements, demandez-nous comment ils sont couverts.

Résilier votre contrat : le changement de domicile permet de résilier en cours d'année, dans les 3 mois qui suivent le déménagement (article L113-16 du Code des assurances). La résiliation prend effet un mois après réception de votre demande, et la part de cotisation non utilisée vous est remboursée. Vous pouvez aussi résilier librement après un an de contrat.

Si vous êtes locataire, pensez à remettre une attestation au bailleur de votre nouveau logement : vous la trouverez dans « Mes documents » une fois l'adresse mise à jour.
""",
        ("déménagement", "nouvelle adresse", "changement d'adresse", "transfert contrat"),
        (("Mes contrats", "/contrats"), ("Mes documents", "/documents")),
    ),
    _a(
        "resilier-contrat",
        "contract",
        "Comment résilier mon contrat habitation ?",
        """
Après un an de contrat, la loi Hamon vous permet de résilier à tout moment, sans frais ni justification. La résiliation prend effet un mois après que nous avons reçu votre demande, et la cotisation de la période non couverte vous est remboursée.

Si vous changez d'assureur, le plus simple est de laisser votre nouvel assureur s'en charger : il nous envoie la demande et veille à ce que vous restiez couvert sans interruption. C'est lui qui doit le faire si vous êtes locataire.

Vous pouvez aussi nous écrire, par lettre ou par e-mail, en indiquant votre numéro de contrat (MRH suivi de 7 chiffres). La résiliation ne se fait pas depuis votre espace. Avant la première année, elle reste possible à l'échéance annuelle ou en cas de changement de situation (déménagement, mariage, retraite…).

Avant de résilier, vérifiez qu'aucun sinistre n'est en cours : il continue d'être suivi jusqu'à sa clôture.
""",
        ("résiliation", "loi Hamon", "changer d'assureur", "arrêter contrat", "annuler"),
        (("Mes contrats", "/contrats"),),
    ),
    _a(
        "conditions-generales",
        "contract",
        "Où trouver mes conditions générales et particulières ?",
        """
Les conditions générales décrivent toutes les garanties, les exclusions, les plafonds et les obligations de chacun. Elles sont communes à tous les assurés de la même formule. Vous pouvez les consulter et les télécharger depuis la page « Conditions générales », avec un sommaire par article : l'incendie, les dégâts des eaux, la tempête, les catastrophes naturelles, le vol et votre responsabilité civile y ont chacun leur article.

Les conditions particulières sont propres à votre contrat : adresse et description du logement, formule, options, franchise, capital mobilier et cotisation. Elles se trouvent dans « Mes documents », comme les avenants émis après chaque modification.

En cas de différence, les conditions particulières l'emportent sur les conditions générales. Si un terme vous semble flou, par exemple « vétusté » ou « effraction », la définition figure au début des conditions générales.
""",
        ("CG", "CP", "contrat", "exclusions", "plafonds", "notice"),
        (("Conditions générales", "/contrat/conditions"), ("Mes documents", "/documents")),
    ),
)

_CLAIMS = (
    _a(
        "declarer-sinistre",
        "claims",
        "Comment déclarer un sinistre en ligne ?",
        """
Depuis « Déclarer un sinistre », choisissez le contrat concerné, indiquez ce qui s'est passé (dégât des eaux, vol, bris de glace, incendie…), la date et une description précise : pièces touchées, origine, biens endommagés. Votre déclaration est enregistrée en brouillon tant que vous ne l'avez pas envoyée.

Ajoutez vos photos et justificatifs : factures, devis, récépissé de plainte, constat amiable. Vous pourrez en ajouter plus tard dans le dossier.

À l'envoi, vous recevez un numéro de sinistre et un accusé de réception. Votre gestionnaire étudie la déclaration et vous contacte sous 2 jours ouvrés. Vous suivez ensuite chaque étape dans « Mes sinistres » et êtes prévenu par notification et par e-mail.

Pour une urgence (fuite qui continue, porte fracturée, logement inhabitable), appelez d'abord l'assistance 24 h/24 au 01 86 95 00 00.
""",
        ("déclaration", "déclarer", "sinistre", "dommage", "accident"),
        (("Déclarer un sinistre", "/sinistres/declarer"), ("Mes sinistres", "/sinistres")),
    ),
    _a(
        "delais-declaration",
        "claims",
        "Dans quel délai dois-je déclarer un sinistre ?",
        """
Les délais sont fixés par l'article L113-2 du Code des assurances :

- vol, tentative de vol ou vandalisme : 2 jours ouvrés après la découverte ;
- catastrophe naturelle : 30 jours après la publication de l'arrêté au Journal officiel ;
- tous les autres sinistres (dégât des eaux, incendie, tempête, bris de glace…) : 5 jours ouvrés après la découverte.

Les jours ouvrés vont du lundi au vendredi, hors jours fériés. Le formulaire de déclaration calcule votre date limite.

Une déclaration tardive n'est pas refusée pour ce seul motif : l'assureur ne peut invoquer le retard que s'il lui a causé un préjudice, par exemple parce qu'il n'est plus possible de constater les dommages, et jamais en cas de force majeure. Expliquez alors la raison du retard dans votre description.

Le plus sûr reste de déclarer dès que possible, même si vous n'avez pas encore tous les justificatifs : vous pourrez les ajouter ensuite.
""",
        ("délai", "date limite", "hors délai", "retard", "5 jours", "2 jours"),
        (("Déclarer un sinistre", "/sinistres/declarer"),),
    ),
    _a(
        "degat-des-eaux",
        "claims",
        "J'ai un dégât des eaux : quels sont les premiers réflexes ?",
        """
1. Coupez l'eau au robinet d'arrêt général, et l'électricité si l'eau approche des prises ou du tableau électrique.
2. Cherchez l'origine : chez vous (appareil, canalisation, joint) ou chez un voisin. Prévenez-le, ainsi que le syndic ou le bailleur si les parties communes sont en cause.
3. Protégez vos biens : surélevez les meubles, épongez, aérez.
4. Photographiez les dommages et l'origine de la fuite avant tout nettoyage.
5. Conservez les objets abîmés : l'expert peut avoir besoin de les voir. Ne jetez rien sans notre accord.

Déclarez ensuite le sinistre dans les 5 jours ouvrés. Si un voisin est concerné, remplissez avec lui un constat amiable dégât des eaux.

La recherche de fuite est prise en charge dans les limites de votre formule. La réparation de la conduite elle-même reste à votre charge. Besoin d'un plombier en urgence ? Appelez l'assistance au 01 86 95 00 00, 24 h/24.
""",
        (
            "fuite",
            "inondation",
            "infiltration",
            "plafond mouillé",
            "canalisation",
            "dégât des eaux",
        ),
        (("Déclarer un sinistre", "/sinistres/declarer"),),
    ),
    _a(
        "constat-amiable-degat-des-eaux",
        "claims",
        "Un dégât des eaux touche aussi mon voisin : faut-il remplir un constat amiable ?",
        """
Oui. Le constat amiable dégât des eaux décrit l'origine de la fuite et les logements touchés. Remplissez-le avec le voisin concerné, et avec le syndic si la fuite vient des parties communes. Un seul constat suffit, même s'il y a plusieurs logements. Chacun le signe et le transmet à son propre assureur.

Joignez le constat à votre déclaration, ou ajoutez-le ensuite dans votre dossier. Si le voisin refuse de signer, remplissez-le seul et indiquez-le : nous ferons le lien avec son assureur.

Entre assureurs, la convention IRSI s'applique aux dégâts des eaux jusqu'à 5 000 € HT par local. En pratique, c'est en général l'assureur de l'occupant du logement endommagé qui gère et indemnise, quelle que soit la responsabilité. Vous n'avez donc pas à attendre que le voisin soit indemnisé : c'est à nous que vous vous adressez.
""",
        ("constat", "voisin", "IRSI", "copropriété", "syndic", "fuite voisin"),
        (("Déclarer un sinistre", "/sinistres/declarer"), ("Mes sinistres", "/sinistres")),
    ),
    _a(
        "vol-cambriolage",
        "claims",
        "J'ai été cambriolé : que dois-je faire ?",
        """
1. Ne touchez à rien et prévenez la police ou la gendarmerie. Le dépôt de plainte est indispensable pour être indemnisé : vous pouvez faire une pré-plainte en ligne, puis signer la plainte au commissariat ou à la gendarmerie.
2. Faites opposition sur vos cartes et chéquiers volés, et signalez le vol de vos papiers d'identité.
3. Faites sécuriser le logement : l'assistance 24 h/24 au 01 86 95 00 00 peut envoyer un serrurier.
4. Déclarez le vol dans les 2 jours ouvrés qui suivent sa découverte, avec le récépissé de plainte et la liste des objets volés.

Rassemblez ensuite les preuves de valeur : factures, certificats, photos, notices, relevés bancaires. Photographiez les traces d'effraction.

La garantie vol est incluse dans les formules Confort et Intégrale. Un vol sans effraction ni violence n'est pas couvert, et les objets de valeur sont indemnisés dans la limite prévue par votre formule, sauf option Objets de valeur.
""",
        ("vol", "cambriolage", "effraction", "plainte", "vandalisme", "serrure"),
        (
            ("Déclarer un sinistre", "/sinistres/declarer"),
            ("Conditions générales", "/contrat/conditions"),
        ),
    ),
    _a(
        "catastrophe-naturelle",
        "claims",
        "Comment suis-je indemnisé après une catastrophe naturelle ?",
        """
Inondation, coulée de boue, sécheresse ou séisme ne relèvent de la garantie catastrophes naturelles que si l'état de catastrophe naturelle est reconnu pour votre commune par un arrêté interministériel publié au Journal officiel. Cette reconnaissance peut prendre plusieurs semaines, voire plusieurs mois.

Vous avez 30 jours après la publication de l'arrêté pour déclarer le sinistre. N'attendez pas pour autant : prenez des photos, protégez ce qui peut l'être, conservez les biens abîmés et vos factures. Vous pouvez déclarer avant l'arrêté, nous complèterons le dossier.

La franchise est fixée par la loi : 380 € pour une habitation et 1 520 € pour les dommages causés par la sécheresse (fissures liées au retrait-gonflement des argiles). Elle s'applique quelle que soit votre formule.

Une tempête n'est pas une catastrophe naturelle : elle est couverte par la garantie tempête, grêle et neige de votre contrat, sans attendre d'arrêté et avec votre franchise habituelle.
""",
        ("catnat", "inondation", "sécheresse", "fissures", "arrêté", "séisme", "tempête"),
        (
            ("Déclarer un sinistre", "/sinistres/declarer"),
            ("Conditions générales", "/contrat/conditions"),
        ),
    ),
    _a(
        "reglement-express-bris-de-glace",
        "claims",
        "Qu'est-ce que le règlement express pour un bris de glace ?",
        """
Pour un bris de glace simple, nous pouvons vous indemniser sans expertise. Le règlement express s'applique si ces conditions sont réunies :

- vous joignez une facture ou un devis de remplacement d'un montant de 1 000 € au plus ;
- le sinistre est déclaré dans le délai de 5 jours ouvrés ;
- vous n'avez déclaré aucun autre sinistre au cours des 12 derniers mois.

Le virement part alors directement, sans passer par les étapes d'expertise. Le montant versé est celui de la facture ou du devis, moins la franchise : 75 € en formule Confort, aucune en formule Intégrale. La formule Essentielle ne couvre pas le bris de glace.

Sont couverts les vitres, baies vitrées, vérandas, plaques vitrocéramiques et miroirs fixés. Les rayures et écaillures ne le sont pas. Si l'une des conditions manque, votre dossier suit le traitement habituel par un gestionnaire.
""",
        ("vitre cassée", "fenêtre", "baie vitrée", "bris de glace", "rapide", "sans expert"),
        (("Déclarer un sinistre", "/sinistres/declarer"),),
    ),
    _a(
        "etapes-sinistre",
        "claims",
        "Quelles sont les étapes du traitement de mon sinistre ?",
        """
Votre dossier passe par ces étapes, visibles dans « Mes sinistres » :

1. Déclaration reçue : votre gestionnaire étudie votre déclaration et vous contacte sous 2 jours ouvrés. Il peut vous demander des documents.
2. Expert missionné : pour les dommages importants, un expert est désigné et vous appelle pour fixer une visite.
3. Visite planifiée : l'expert se rend chez vous à la date convenue.
4. Rapport d'expertise : il décrit les causes, les dommages et leur montant.
5. Indemnité calculée : montant des dommages moins la franchise, dans la limite des plafonds.
6. Paiement envoyé : le virement arrive sur votre compte, en général sous 3 jours ouvrés.
7. Dossier clôturé.

Chaque étape déclenche une notification et un e-mail, avec la prochaine action attendue et sa date limite. Un bris de glace éligible au règlement express passe directement au paiement.
""",
        ("suivi", "avancement", "où en est mon dossier", "indemnisation", "délai de traitement"),
        (("Mes sinistres", "/sinistres"), ("Notifications", "/notifications")),
    ),
    _a(
        "visite-expert",
        "claims",
        "Comment se passe la visite de l'expert ?",
        """
L'expert est un professionnel indépendant mandaté par Espace Assurances. Il vous appelle pour convenir d'un rendez-vous, en général dans les jours qui suivent sa désignation.

Pour préparer la visite :
- gardez les biens endommagés et ne commencez pas de travaux définitifs, sauf mesures urgentes pour limiter les dégâts ;
- rassemblez factures, photos, devis de réparation, constat amiable et récépissé de plainte s'il y a lieu ;
- préparez une liste des biens abîmés ou volés avec leur date et leur prix d'achat.

L'expert constate les dommages, en recherche la cause et en évalue le montant, en tenant compte de la vétusté selon votre formule. Son rapport sert au calcul de l'indemnité.

Si vous n'êtes pas d'accord avec ses conclusions, dites-le par écrit à votre gestionnaire. Vous pouvez aussi vous faire assister par votre propre expert. Ses honoraires restent à votre charge, sauf si votre contrat prévoit leur prise en charge.
""",
        ("expert", "expertise", "rendez-vous", "contre-expertise", "vétusté"),
        (("Mes sinistres", "/sinistres"),),
    ),
    _a(
        "assistance-urgence",
        "claims",
        "Qui appeler en urgence après un sinistre ?",
        """
L'assistance Espace Assurances répond 24 h/24 et 7 j/7 au 01 86 95 00 00. Appelez-la quand la situation ne peut pas attendre :

- fuite d'eau que vous ne parvenez pas à arrêter ;
- porte fracturée ou serrure forcée après un cambriolage ;
- logement inhabitable après un incendie ou une inondation ;
- biens à mettre à l'abri après une tempête.

Selon la situation, l'assistance envoie un serrurier ou un plombier, organise un gardiennage ou votre relogement d'urgence : jusqu'à 5 nuits en Essentielle, 10 en Confort et 30 en Intégrale. Avec l'option Assistance renforcée, vous pouvez aussi obtenir un dépannage de plomberie, d'électricité ou de serrurerie sans sinistre garanti.

En cas de danger (incendie, fuite de gaz, personne blessée), appelez d'abord les secours : 18 ou 112. L'appel à l'assistance ne remplace pas la déclaration de sinistre, à faire ensuite en ligne.
""",
        ("urgence", "assistance", "serrurier", "plombier", "relogement", "numéro de téléphone"),
        (("Déclarer un sinistre", "/sinistres/declarer"),),
    ),
)

_PAYMENTS = (
    _a(
        "fractionnement",
        "payments",
        "Puis-je payer ma cotisation chaque mois, chaque trimestre ou une fois par an ?",
        """
Oui, vous avez le choix entre trois rythmes de paiement : mensuel, trimestriel ou annuel. La cotisation annuelle est simplement répartie en parts égales, sans frais de fractionnement.

Le paiement mensuel ou trimestriel se fait par prélèvement et nécessite un mandat de prélèvement SEPA. Vous le signez en ligne dans « Mes paiements », en le confirmant avec un code de vérification.

Vous pouvez demander à changer de rythme à tout moment dans « Mes paiements ». Un aperçu du nouvel échéancier s'affiche avant confirmation. Le changement prend effet à la prochaine date anniversaire de votre contrat, pour ne pas créer de période payée deux fois.

La prochaine échéance, son montant et sa date de prélèvement sont toujours visibles dans « Mes paiements », rubrique « Prochaines échéances ».
""",
        (
            "mensualisation",
            "payer par mois",
            "trimestriel",
            "annuel",
            "échéancier",
            "fractionnement",
        ),
        (("Mes paiements", "/paiements"),),
    ),
    _a(
        "date-prelevement",
        "payments",
        "Comment changer la date de mon prélèvement ?",
        """
Dans « Mes paiements », rubrique « Date et fractionnement », choisissez le jour du prélèvement : le 5, le 10 ou le 15 du mois. Un aperçu du nouvel échéancier s'affiche avant que vous confirmiez.

La nouvelle date s'applique à partir de la période suivante : une échéance déjà programmée n'est pas déplacée. Par exemple, si vous passez du 5 au 15 le 20 mars en paiement mensuel, le prélèvement d'avril a lieu le 15 avril.

Choisissez une date qui suit le versement de vos revenus : cela évite les rejets de prélèvement. Vous recevez de toute façon un rappel quelques jours avant chaque prélèvement.

Le changement de date ne modifie ni le montant de votre cotisation ni votre mandat de prélèvement.
""",
        ("date de prélèvement", "jour", "décaler", "changer date", "prélèvement"),
        (("Mes paiements", "/paiements"),),
    ),
    _a(
        "compte-bancaire-mandat",
        "payments",
        "Comment changer le compte bancaire de mes prélèvements ?",
        """
Dans « Mes paiements », rubrique « Comptes et mandats », choisissez « Ajouter un compte » et saisissez le titulaire et l'IBAN ; le BIC est facultatif. Signez ensuite le mandat de prélèvement SEPA en ligne : un code de vérification vous est envoyé pour confirmer que c'est bien vous. Le mandat signé est téléchargeable en PDF.

Choisissez enfin « Utiliser pour les prélèvements ». Les échéances suivantes sont prélevées sur ce compte. Si une échéance est déjà en cours de traitement, elle peut encore être prélevée sur l'ancien compte : gardez-le approvisionné quelques jours.

Ne clôturez votre ancien compte qu'une fois le premier prélèvement passé sur le nouveau.

Un prélèvement SEPA autorisé peut être contesté auprès de votre banque pendant 8 semaines. En cas de contestation, la cotisation reste due : régularisez-la par carte pour conserver vos garanties.
""",
        ("IBAN", "RIB", "mandat SEPA", "changer de banque", "compte bancaire"),
        (("Mes paiements", "/paiements"),),
    ),
    _a(
        "prelevement-rejete",
        "payments",
        "Mon prélèvement a été rejeté : comment régulariser ?",
        """
Un prélèvement peut être rejeté par votre banque, par exemple pour provision insuffisante, compte clôturé ou opposition. Vous êtes alors prévenu par notification et par e-mail, et l'échéance apparaît comme « Prélèvement rejeté » dans « Mes paiements ».

Pour régulariser, cliquez sur « Régulariser par carte » et payez le montant dû en ligne par carte bancaire. Le paiement est pris en compte immédiatement et le reçu de cotisation est ajouté à vos documents.

Ne tardez pas : en cas de cotisation impayée, l'assureur peut envoyer une mise en demeure. Les garanties sont alors suspendues 30 jours après son envoi, et le contrat peut être résilié 10 jours plus tard (article L113-3 du Code des assurances).

Si le rejet vient d'un changement de banque, mettez aussi à jour votre compte de prélèvement. En cas de difficulté passagère, appelez le service client au 09 70 80 90 00.
""",
        ("impayé", "rejet", "prélèvement refusé", "payer par carte", "retard de paiement"),
        (("Mes paiements", "/paiements"), ("Notifications", "/notifications")),
    ),
    _a(
        "historique-export",
        "payments",
        "Où retrouver l'historique de mes paiements et l'exporter ?",
        """
« Mes paiements » affiche l'historique de vos échéances sur 10 ans : date d'échéance, contrat, période couverte, montant et statut. Vous pouvez filtrer par année et voir le total payé chaque année.

Pour chaque échéance payée, un reçu (quittance) est disponible en PDF, dans le tableau et dans « Mes documents ». Elle prouve le paiement, par exemple pour un bailleur ou une administration.

Vous pouvez aussi exporter vos paiements depuis la rubrique « Export comptable » :
- au format CSV, lisible par un tableur (Excel, LibreOffice) ;
- au format OFX, importable dans la plupart des logiciels de gestion de comptes.

Choisissez la période, puis téléchargez le fichier. Les montants sont exprimés en euros, taxes comprises.
""",
        ("historique", "export", "CSV", "OFX", "relevé", "comptabilité"),
        (("Mes paiements", "/paiements"), ("Mes documents", "/documents")),
    ),
    _a(
        "rappel-prelevement",
        "payments",
        "Suis-je prévenu avant chaque prélèvement ?",
        """
Oui. Quelques jours avant chaque prélèvement, en général 5 jours avant, vous recevez un rappel qui indique le montant, la date et le compte prélevé. Il apparaît dans vos notifications et vous est aussi envoyé par e-mail.

Ce rappel vous laisse le temps d'approvisionner votre compte et d'éviter un rejet. Si vous constatez une erreur de montant ou de compte, contactez le service client au 09 70 80 90 00 avant la date du prélèvement.

À chaque échéance annuelle, vous recevez aussi un avis d'échéance avec votre nouvelle cotisation et le nouvel échéancier.

Le prélèvement apparaît sur votre relevé bancaire avec le nom Espace Assurances et la référence unique de votre mandat (RUM). Vous retrouvez cette référence dans « Mes paiements », rubrique « Comptes et mandats ».
""",
        ("rappel", "avertissement", "alerte prélèvement", "RUM", "avis d'échéance"),
        (("Notifications", "/notifications"), ("Mes paiements", "/paiements")),
    ),
    _a(
        "remboursement-resiliation",
        "payments",
        "Suis-je remboursé si mon contrat s'arrête en cours d'année ?",
        """
Oui, pour la période où vous n'êtes plus assuré. Si votre contrat prend fin avant l'échéance, par exemple après une résiliation au titre de la loi Hamon, un déménagement ou la vente du logement, la part de cotisation qui correspond à la période restante vous est remboursée.

Exemple : pour une cotisation annuelle de 360 € payée en une fois, une résiliation effective 3 mois après l'échéance donne lieu au remboursement d'environ 270 €, soit les 9 mois non couverts.

Dans le cas d'une résiliation loi Hamon, le remboursement intervient dans les 30 jours qui suivent la date d'effet de la résiliation. Il est fait par virement sur le compte enregistré dans « Mes paiements ». Si vous payez par mois, les prélèvements s'arrêtent simplement après la dernière période couverte.

Une cotisation impayée ou un sinistre en cours n'empêche pas le remboursement, mais les sommes dues peuvent être déduites.
""",
        ("remboursement", "trop perçu", "prorata", "résiliation", "avoir"),
        (("Mes paiements", "/paiements"), ("Mes contrats", "/contrats")),
    ),
)

_DOCUMENTS = (
    _a(
        "attestation-habitation",
        "documents",
        "Comment télécharger mon attestation d'assurance habitation ?",
        """
Dans « Mes documents », choisissez « Obtenir une attestation », sélectionnez le contrat et le type d'attestation, puis téléchargez le PDF. Elle est prête immédiatement et vous pouvez en générer autant que nécessaire.

L'attestation indique votre nom, l'adresse du logement assuré, le numéro de contrat et sa période de validité. Chaque attestation porte un QR code qui permet à son destinataire de vérifier qu'elle est authentique et que le contrat est en vigueur.

On vous la demande souvent :
- à la remise des clés, puis chaque année, si vous êtes locataire ;
- par le syndic de copropriété ou la banque qui finance votre achat ;
- par une administration, par exemple pour un dossier d'aide au logement.

Si votre contrat n'est pas encore en vigueur ou vient d'être modifié, une attestation temporaire peut être délivrée.
""",
        ("attestation", "justificatif d'assurance", "bailleur", "propriétaire", "CAF"),
        (("Mes documents", "/documents"),),
    ),
    _a(
        "types-attestations",
        "documents",
        "Quelle attestation choisir : standard, détaillée, saisonnière ou temporaire ?",
        """
Quatre types d'attestation sont disponibles dans « Mes documents » :

Standard : la plus courante. Elle prouve que le logement est assuré et suffit pour un bailleur ou une administration.

Détaillée : elle liste en plus vos garanties et leurs plafonds. Elle est utile pour un syndic de copropriété, un prêteur ou tout organisme qui veut connaître l'étendue de la couverture.

Location saisonnière : elle précise la période de location d'un logement de vacances, à remettre au propriétaire ou à l'agence.

Temporaire : elle couvre une période courte et datée, par exemple entre la souscription et l'émission de vos conditions particulières, ou juste après une modification du contrat.

Toutes sont au format PDF et portent un QR code de vérification. En cas de doute, la version détaillée convient à tous les destinataires. Si vous ne souhaitez pas dévoiler vos garanties, la standard suffit.
""",
        (
            "attestation détaillée",
            "syndic",
            "banque",
            "location saisonnière",
            "vacances",
            "temporaire",
        ),
        (("Mes documents", "/documents"),),
    ),
    _a(
        "verifier-attestation",
        "documents",
        "Comment mon bailleur peut-il vérifier mon attestation ?",
        """
Chaque attestation PDF porte un QR code. Votre bailleur, votre syndic ou votre banque le scanne avec un téléphone : la page de vérification d'Espace Assurances s'ouvre, sans compte ni mot de passe.

Elle affiche l'un de ces résultats :
- Attestation valide : elle a bien été délivrée par Espace Assurances et elle est en vigueur ;
- Attestation expirée : sa période de validité est passée ;
- Attestation révoquée : le contrat a pris fin ou l'attestation a été remplacée ;
- Référence inconnue ou modifiée : le document n'est pas authentique.

Pour une attestation valide, la page rappelle le type de document, le nom de l'assuré, la commune du logement et la période de validité, pour comparaison avec le PDF reçu. Elle n'affiche ni l'adresse complète, ni vos coordonnées bancaires, ni votre cotisation, ni vos sinistres.

Si votre attestation est expirée, générez-en une nouvelle en quelques secondes dans « Mes documents ».
""",
        (
            "QR code",
            "authenticité",
            "vérification",
            "faux document",
            "contrôle",
            "attestation expirée",
        ),
        (("Mes documents", "/documents"),),
    ),
    _a(
        "certificat-garanties",
        "documents",
        "Qu'est-ce que le certificat de garanties et quand l'utiliser ?",
        """
Le certificat de garanties récapitule l'ensemble de votre couverture : formule, garanties souscrites, options, plafonds, franchises et capital mobilier, à une date donnée.

Il est plus complet qu'une attestation. Vous en aurez besoin notamment pour :
- comparer votre contrat avec une autre offre ;
- répondre à un prêteur qui veut connaître l'étendue de la couverture ;
- vérifier, avant un achat important, que votre capital mobilier reste suffisant ;
- préparer une déclaration de sinistre ou un échange avec un expert.

Vous le téléchargez en PDF depuis « Mes documents ». Il reflète votre contrat au jour de l'émission : après une modification de formule ou d'option, téléchargez-en un nouveau.

Le certificat ne remplace pas les conditions générales, qui seules détaillent les exclusions et les conditions d'application de chaque garantie.
""",
        ("certificat", "récapitulatif", "tableau des garanties", "plafonds"),
        (("Mes documents", "/documents"), ("Conditions générales", "/contrat/conditions")),
    ),
    _a(
        "quittances",
        "documents",
        "Où trouver les reçus (quittances) de mes cotisations ?",
        """
Un reçu de cotisation, aussi appelé quittance, est émis pour chaque cotisation payée, qu'elle ait été prélevée ou réglée par carte. Il indique le contrat, la période couverte, le montant payé et la date du paiement.

Vous le retrouvez dans « Mes documents », où vous pouvez filtrer par contrat, par date ou par montant. Dans « Mes paiements », le tableau des paiements passés propose aussi, sur chaque ligne, le reçu en PDF. L'historique remonte jusqu'à 10 ans.

Une échéance rejetée puis régularisée par carte donne lieu à un reçu daté du jour de la régularisation. Une échéance à venir ou impayée n'a pas de reçu.

Le reçu prouve que vous avez payé ; l'attestation prouve que vous êtes assuré. Si l'on vous demande un justificatif d'assurance, envoyez plutôt l'attestation.
""",
        ("quittance", "reçu", "justificatif de paiement", "preuve de paiement"),
        (("Mes documents", "/documents"), ("Mes paiements", "/paiements")),
    ),
    _a(
        "avenant",
        "documents",
        "Qu'est-ce qu'un avenant et où le retrouver ?",
        """
Un avenant est le document qui officialise une modification de votre contrat : changement de formule, de franchise, de capital mobilier, ajout ou retrait d'une option, changement d'adresse.

Il indique, ligne par ligne, la situation avant et après, la date d'effet et la nouvelle cotisation annuelle. Avec les conditions particulières, il fait partie de votre contrat.

Lorsque vous modifiez votre contrat en ligne, l'avenant est généré aussitôt au format PDF et rangé dans « Mes documents ». Vous recevez une notification. Pour une modification faite par un conseiller, il apparaît au même endroit dès qu'elle est enregistrée.

Gardez vos avenants : en cas de sinistre, c'est la version du contrat en vigueur le jour du sinistre qui s'applique. Si une information vous paraît inexacte, signalez-la rapidement au service client au 09 70 80 90 00.
""",
        ("avenant", "modification", "changement de contrat", "nouvelle cotisation"),
        (("Mes documents", "/documents"), ("Modifier mon contrat", "/contrat/modifier")),
    ),
    _a(
        "justificatifs-a-conserver",
        "documents",
        "Quels justificatifs conserver pour être bien indemnisé ?",
        """
En cas de sinistre, c'est à vous de prouver l'existence et la valeur des biens endommagés ou volés. Pensez-y avant, pas après.

Conservez :
- les factures de vos appareils, meubles et équipements, ou les relevés bancaires correspondants ;
- les certificats d'authenticité, expertises et photos de vos bijoux et objets de valeur ;
- les notices, garanties et bons de livraison ;
- des photos ou une courte vidéo de chaque pièce, à refaire tous les ans ou deux.

Gardez-en une copie hors du logement, par exemple dans un espace de stockage en ligne : un incendie ou un cambriolage peut détruire les originaux.

Après un sinistre, ajoutez ces justificatifs à votre dossier depuis « Mes sinistres ». Vous y trouverez aussi les documents qui vous sont demandés. Sans facture, d'autres preuves restent recevables : photos, témoignages, emballages, extraits de compte.
""",
        ("factures", "preuves", "justificatif", "inventaire", "photos", "objets de valeur"),
        (("Mes sinistres", "/sinistres"), ("Mes documents", "/documents")),
    ),
)

_PRIVACY = (
    _a(
        "donnees-utilisees",
        "privacy",
        "Quelles données personnelles utilisez-vous et pourquoi ?",
        """
Nous utilisons uniquement les données nécessaires à votre contrat et à votre espace client :

- identité et coordonnées : nom, date de naissance, adresse, e-mail, téléphone ;
- informations sur le logement assuré et vos garanties ;
- données bancaires : IBAN et mandat de prélèvement ;
- dossiers de sinistre : déclarations, photos, rapports d'expertise, échanges ;
- données de connexion : dates, appareils, adresses IP.

Elles servent à établir et gérer votre contrat, encaisser les cotisations, traiter vos sinistres, sécuriser votre compte, et respecter nos obligations légales, comme la lutte contre la fraude et le blanchiment.

Les destinataires sont limités à ce qui est nécessaire : nos gestionnaires, les experts et prestataires d'assistance mandatés, les réassureurs et les autorités lorsque la loi l'exige. Nous ne vendons pas vos données.

Le détail figure dans notre politique de confidentialité. Vous pouvez aussi vérifier vos informations dans « Mon profil ».
""",
        (
            "RGPD",
            "données personnelles",
            "confidentialité",
            "vie privée",
            "utilisation des données",
        ),
        (("Mon profil", "/profil"),),
    ),
    _a(
        "duree-conservation",
        "privacy",
        "Combien de temps conservez-vous mes données ?",
        """
Nous conservons vos données le temps nécessaire à chaque usage, puis nous les supprimons ou les anonymisons.

- Contrat et sinistres : pendant toute la durée du contrat, puis 10 ans après sa fin ou la clôture du dernier sinistre. Cette durée correspond aux obligations légales et aux délais pendant lesquels une réclamation reste possible.
- Paiements et quittances : 10 ans, durée légale de conservation des pièces comptables. C'est pourquoi votre historique de paiements remonte à 10 ans.
- Journaux de connexion : 13 mois. Ils servent à détecter les accès suspects et sont visibles dans la rubrique Sécurité.
- Codes de vérification et liens de réinitialisation : quelques minutes à 24 heures, puis ils deviennent inutilisables.

Pendant ces délais, les données anciennes ne sont accessibles qu'aux personnes qui en ont besoin, par exemple pour gérer un litige. À leur terme, elles sont effacées.
""",
        ("durée de conservation", "archivage", "suppression", "10 ans", "13 mois"),
        (("Rubrique Sécurité", "/securite"),),
    ),
    _a(
        "droits-rgpd",
        "privacy",
        "Comment exercer mes droits sur mes données personnelles ?",
        """
Le RGPD vous donne plusieurs droits :

- accès : obtenir une copie des données que nous détenons sur vous ;
- rectification : corriger une information inexacte ;
- effacement : demander la suppression de vos données, dans la limite des durées de conservation imposées par la loi ;
- portabilité : recevoir les données que vous nous avez fournies dans un format lisible par une machine ;
- opposition à la prospection commerciale, à tout moment et sans justification ;
- limitation d'un traitement, en cas de contestation.

Vous exercez ces droits depuis votre espace, rubrique Mes données, ou par écrit au délégué à la protection des données : dpo@espace-assurances.example.

Nous répondons dans un délai d'un mois. Ce délai peut être prolongé de deux mois pour une demande complexe ; nous vous en informons alors avant la fin du premier mois. Nous pouvons vous demander de justifier de votre identité si un doute existe. La démarche est gratuite.
""",
        ("RGPD", "droit d'accès", "rectification", "portabilité", "DPO", "copie de mes données"),
        (("Mon profil", "/profil"),),
    ),
    _a(
        "effacement-donnees",
        "privacy",
        "Puis-je demander la suppression de mes données ?",
        """
Oui, mais pas toujours immédiatement. Tant que votre contrat est en cours, nous avons besoin de vos données pour vous assurer : la suppression suppose donc d'abord la fin du contrat.

Après la fin du contrat, certaines informations doivent légalement être conservées : le contrat, les sinistres et les paiements pendant 10 ans. Elles sont alors archivées et ne servent plus qu'à répondre à une obligation légale ou à un litige. Les autres données, comme vos préférences ou les données utilisées pour la prospection, sont supprimées sur simple demande.

Pour faire la demande, passez par votre espace, rubrique Mes données, ou écrivez au délégué à la protection des données : dpo@espace-assurances.example. Nous vous répondons dans un délai d'un mois et précisons ce qui est effacé et ce qui est conservé, avec la durée et la raison.

La résiliation du contrat ne se fait pas depuis cette demande : elle suit ses propres règles.
""",
        ("droit à l'oubli", "effacer", "supprimer mon compte", "suppression des données"),
        (("Mes contrats", "/contrats"),),
    ),
    _a(
        "prospection-commerciale",
        "privacy",
        "Comment ne plus recevoir d'offres commerciales ?",
        """
Vous pouvez vous opposer à la prospection commerciale à tout moment, gratuitement et sans donner de raison :

- cliquez sur le lien de désinscription présent en bas de chaque e-mail commercial ;
- répondez STOP à un SMS commercial ;
- ou faites la demande depuis votre espace, rubrique Mes données, ou par écrit à dpo@espace-assurances.example.

Votre choix est pris en compte rapidement et s'applique à tous les canaux concernés.

L'opposition ne concerne que les messages commerciaux. Vous continuez à recevoir les messages liés à votre contrat : avis d'échéance, rappels de prélèvement, suivi de vos sinistres, alertes de sécurité et codes de vérification. Ces messages sont nécessaires à la gestion de votre contrat et à la sécurité de votre compte. Ils ne contiennent pas de publicité.

Pour le démarchage téléphonique en général, vous pouvez aussi vous inscrire gratuitement sur la liste d'opposition Bloctel.
""",
        ("publicité", "newsletter", "désinscription", "démarchage", "spam", "Bloctel"),
        (("Notifications", "/notifications"),),
    ),
    _a(
        "protection-donnees",
        "privacy",
        "Comment mes données sont-elles protégées ?",
        """
Plusieurs mesures protègent votre espace et vos données :

- toutes les connexions au portail sont chiffrées (HTTPS) ;
- les mots de passe ne sont jamais stockés en clair, et nous ne pouvons pas les lire ;
- un code à 6 chiffres est demandé à chaque connexion depuis un nouvel appareil, et vous êtes alerté par e-mail ;
- après 5 tentatives échouées, le compte est verrouillé 30 minutes ;
- votre session se ferme après 30 minutes d'inactivité ;
- les IBAN sont affichés masqués ;
- seuls les collaborateurs qui gèrent votre contrat ou vos sinistres accèdent à vos dossiers.

Vous pouvez renforcer votre sécurité dans la rubrique Sécurité : application d'authentification, codes de secours, liste des sessions ouvertes et historique des connexions sur 13 mois.

Si une violation de données présentant un risque élevé pour vous survenait, nous vous en informerions, conformément au RGPD, et la CNIL serait notifiée dans les 72 heures.
""",
        ("sécurité", "chiffrement", "protection", "fuite de données", "confidentialité"),
        (("Rubrique Sécurité", "/securite"),),
    ),
    _a(
        "reclamation-cnil",
        "privacy",
        "Comment faire une réclamation sur l'utilisation de mes données ?",
        """
Commencez par écrire à notre délégué à la protection des données (DPO) : dpo@espace-assurances.example, ou par courrier à l'attention du DPO d'Espace Assurances. Décrivez le problème et joignez les éléments utiles. Nous vous répondons dans un délai d'un mois.

Si la réponse ne vous satisfait pas, ou si vous n'en recevez pas, vous pouvez saisir la Commission nationale de l'informatique et des libertés (CNIL). La plainte se dépose gratuitement en ligne sur le site cnil.fr, ou par courrier. Vous pouvez aussi saisir directement la CNIL, sans passer d'abord par nous, mais joindre notre réponse accélère souvent le traitement.

Pour un désaccord qui ne porte pas sur vos données, par exemple sur un sinistre ou une cotisation, adressez-vous au service client au 09 70 80 90 00. Si le désaccord persiste, vous pouvez saisir gratuitement la Médiation de l'Assurance.
""",
        ("plainte", "CNIL", "réclamation", "DPO", "litige données", "médiateur"),
        (("Mon profil", "/profil"),),
    ),
)

ARTICLES: tuple[FaqArticle, ...] = _ACCESS + _CONTRACT + _CLAIMS + _PAYMENTS + _DOCUMENTS + _PRIVACY

BY_SLUG: dict[str, FaqArticle] = {a.slug: a for a in ARTICLES}


def article(slug: str | None) -> FaqArticle | None:
    """The article with this slug, or None."""
    return BY_SLUG.get(slug or "")
