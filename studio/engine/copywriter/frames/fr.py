"""French frames ("vous"). Benefits: "does" a verb phrase with the product as subject
("accroche sur la roche mouillée"), "gets" a noun phrase with its article ("des pieds au
sec toute la journée"), the audience noun plural without article ("coureurs de trail").
No frame puts a past participle next to the product, whose gender the brief does not
give (so no "conçu(e) pour")."""

from studio.engine.copywriter.frames import Bank

HEADLINES = {
    "does": "{product} {does}",
    "does_lead": "{Does}. {product}.",
    "gets_with": "{Gets}, avec {product}",
    "gets_colon": "{product} : {gets}",
    "gets_audience": "{Gets} pour les {audience}",
    "made_for": "Pour tous les {audience}",
    "product_for": "{product}, pour les {audience}",
    "proof": "{Proof}",
    "discount": "{Discount} sur {product}",
    "discount_until": "{product} : {discount} {until}",
    "price": "{product} à {price}",
    "meet": "Découvrez {product}",
}
TONE_HEADLINES = {
    "playful": {
        "play.hello": "Dites bonjour à {product} !",
        "play.yes": "{Gets} ? Oui, merci !",
        "play.psst": "Psst : {product} {does}",
    },
    "premium": {
        "prem.refined": "{product}. Tout en finesse.",
        "prem.crafted": "L'exigence des {audience}",
        "prem.gets": "{product}. {Gets}.",
    },
    "bold": {
        "bold.nocomp": "{product}. Sans compromis.",
        "bold.every": "{Does}. À chaque fois.",
        "bold.built": "Place aux {audience}",
    },
    "friendly": {
        "friend.hi": "Bonjour, voici {product}",
        "friend.back": "{product} vous accompagne",
        "friend.easy": "{Gets}, tout simplement",
    },
    "calm": {
        "calm.simply": "{Gets}, en douceur",
        "calm.ease": "{product}. Respirez.",
        "calm.breathe": "L'esprit léger avec {product}",
    },
    "trustworthy": {
        "trust.deliver": "{product}, en toute confiance",
        "trust.design": "{Gets}, sans surprise",
        "trust.proof": "{product}. {Proof}.",
    },
}
BODIES = {
    "does_gets": "{product} {does}. Résultat : {gets}. {closing}",
    "does_pair": "{product} {does} et {does2}. {closing}",
    "trio": "{Does}. {Gets}. Pour les {audience}.",
    "audience_gets": "Pour les {audience} qui veulent {gets}. {closing}",
    "does_proof": "{product} {does}. {Proof}.",
    "proof": "{Proof}. {closing}",
    "gets_pair": "{Gets} et {gets2}, avec {product}.",
    "sentence": "{sentence} {closing}",
    "sentence_proof": "{sentence} {Proof}.",
    "discount": "{product} est à {discount} {until}. {closing}",
    "discount_now": "Profitez de {discount} sur {product}. {closing}",
    "price": "{product} est à {price}. {closing}",
    "hello": "{product} est là. {closing}",
}
TONE_BODIES = {
    "playful": {"play.try": "{product} {does}. Allez, essayez !"},
    "premium": {"prem.detail": "Chaque détail de {product} est pensé. {closing}"},
    "bold": {"bold.stop": "Fini les compromis. {product} {does}. {closing}"},
    "friendly": {"friend.mind": "Nous avons créé {product} pour les {audience}. {closing}"},
    "calm": {"calm.fuss": "{Gets}, sans effort. {closing}"},
    "trustworthy": {"trust.designed": "{product} vise une chose : {gets}. {closing}"},
}
CLOSINGS = {
    "playful": ("Faites-vous plaisir.", "Vous allez adorer.", "Essayez, pour voir."),
    "premium": ("Fait pour durer.", "La qualité se ressent.", "Jusque dans le détail."),
    "bold": ("Lancez-vous.", "Pas d'excuses.", "À vous de jouer."),
    "friendly": ("Vous allez l'adorer.", "Passez nous voir.", "Fait avec soin."),
    "calm": ("Tout en douceur.", "Simple, par nature.", "Ni plus, ni moins."),
    "trustworthy": ("Fiable, chaque jour.", "Tous les détails en ligne.", "Un choix sûr."),
}
CTAS = {
    "awareness": ("En savoir plus", "Découvrir", "Voir comment"),
    "traffic": ("En savoir plus", "Visiter le site", "Explorer"),
    "consideration": ("En savoir plus", "Comparer", "Voir les détails"),
    "conversion": ("Acheter", "Commander", "J'en profite"),
    "leads": ("S'inscrire", "Demander un devis", "Nous rejoindre"),
    "app_installs": ("Installer", "Obtenir l'appli", "Télécharger"),
}
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"

BANK = Bank(
    language="fr",
    headlines=HEADLINES,
    tone_headlines=TONE_HEADLINES,
    bodies=BODIES,
    tone_bodies=TONE_BODIES,
    closings=CLOSINGS,
    ctas=CTAS,
    months=tuple(MONTHS.split()),
    discount="-{p} %",
    discount_lead="{p} % de remise",
    until="jusqu'au {day} {month}",
    badge_discount="-{p} %",
    badge_price="Seulement {price}",
    first_day="1er",
)
