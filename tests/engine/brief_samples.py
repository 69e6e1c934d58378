"""Full creative briefs per language, for the copywriter tests (the demo's Summit 2)."""

from __future__ import annotations

import datetime as dt

from studio.engine.types import (
    Benefit,
    BrandBrief,
    BriefText,
    CampaignBrief,
    CopyRequest,
    Offer,
    SegmentBrief,
)

BENEFITS = {
    "en": (
        ("grips on wet rock", "cushions every descent", "feels light from the first step"),
        ("dry feet all day", "fresh legs at the finish", "sure footing on loose ground"),
    ),
    "de": (
        ("greift auf nassem Fels", "dämpft jeden Downhill", "bleibt auch nach 50 km stabil"),
        ("trockene Füße den ganzen Tag", "frische Beine im Ziel", "sicherer Tritt im Geröll"),
    ),
    "fr": (
        (
            "accroche sur la roche mouillée",
            "amortit chaque descente",
            "reste léger au kilomètre 50",
        ),
        ("des pieds au sec toute la journée", "des jambes fraîches à l'arrivée", "un appui sûr"),
    ),
    "es": (
        ("se agarra a la roca mojada", "amortigua cada bajada", "impulsa cada zancada"),
        ("pies secos todo el día", "piernas frescas en la meta", "un apoyo firme en el terreno"),
    ),
}
PROOF = {
    "en": ("Tested on 1,200 km of Alpine trails", "Rated 4.7 by 2,300 runners"),
    "de": ("Getestet auf 1.200 km Alpentrails", "Bewertet mit 4,7 Sternen von 2.300 Läufern"),
    "fr": ("Testée sur 1 200 km de sentiers alpins", "Notée 4,7 par 2 300 coureurs"),
    "es": ("Probada en 1200 km de senderos alpinos", "Valorada con 4,7 por 2300 corredores"),
}
DESCRIPTION = {
    "en": "A lightweight trail running shoe with a grippy outsole and responsive foam.",
    "de": "Ein leichter Trailschuh mit griffiger Außensohle und reaktivem Schaum.",
    "fr": "Une chaussure de trail légère, avec une semelle accrocheuse et une mousse réactive.",
    "es": "Una zapatilla de trail ligera con suela adherente y espuma reactiva.",
}
AUDIENCE = {
    "en": "trail runners",
    "de": "Trailläufer",
    "fr": "coureurs de trail",
    "es": "corredores de montaña",
}
LOCALE = {"en": "", "de": "de-DE", "fr": "fr-FR", "es": "es-ES"}
VOICES = {
    "playful": "Playful and witty",
    "premium": "Premium and refined",
    "bold": "Bold, energetic and encouraging",
    "friendly": "Friendly and warm",
    "calm": "Calm and minimal",
    "trustworthy": "Trustworthy and expert",
}


def benefits(lang: str) -> tuple[Benefit, ...]:
    does, gets = BENEFITS[lang]
    return tuple(Benefit(t, "does") for t in does) + tuple(Benefit(t, "gets") for t in gets)


def brief_text(lang: str) -> BriefText:
    return BriefText(
        description=DESCRIPTION[lang], benefits=benefits(lang), proof_points=PROOF[lang]
    )


def summit_brief(*, voice="Bold, energetic and encouraging", banned=(), **fields) -> CampaignBrief:
    brand = BrandBrief(name="Trailhead Outfitters", voice=voice, banned_terms=banned)
    values = {
        "product_name": "Summit 2",
        "description": DESCRIPTION["en"],
        "objective": "conversion",
        "landing_url": "https://trailhead.example/summit-2",
        "benefits": benefits("en"),
        "proof_points": PROOF["en"],
        "offer": Offer(discount_percent=20, ends=dt.date(2027, 1, 31)),
        "translations": tuple((lang, brief_text(lang)) for lang in ("de", "fr", "es")),
        **fields,
    }
    return CampaignBrief(brand=brand, **values)


def segment(lang: str = "en", **fields) -> SegmentBrief:
    values = {
        "key": "1",
        "name": "Trail runners",
        "persona": "Outdoorsy people who run mountain trails at weekends and care about grip.",
        "audience": AUDIENCE[lang],
        "locale": LOCALE[lang],
        **fields,
    }
    return SegmentBrief(**values)


def request(lang="en", *, n=12, seed=7, brief=None, **segment_fields) -> CopyRequest:
    return CopyRequest(
        campaign=brief or summit_brief(), segment=segment(lang, **segment_fields), n=n, seed=seed
    )
