"""German frames (informal "du", as sports and lifestyle brands write). Benefits: "does"
in main-clause order with the product as subject ("greift auf nassem Fels"), so no frame
puts it in a subordinate clause; "gets" a noun phrase used only where the nominative
stands ("trockene Füße den ganzen Tag"); the audience noun plural ("Trailläufer")."""

from studio.engine.copywriter.frames import Bank

HEADLINES = {
    "does": "{product} {does}",
    "does_lead": "{Does}. {product}.",
    "gets_with": "{Gets} – mit {product}",
    "gets_colon": "{product}: {gets}",
    "gets_audience": "{Gets}. Für {audience}.",
    "made_for": "Gemacht für {audience}",
    "product_for": "{product} für {audience}",
    "proof": "{Proof}",
    "discount": "{Discount} auf {product}",
    "discount_until": "{product}: {discount} {until}",
    "price": "{product} jetzt für {price}",
    "meet": "Das ist {product}",
}
TONE_HEADLINES = {
    "playful": {
        "play.hello": "Sag hallo zu {product}!",
        "play.yes": "{Gets}? Ja, bitte!",
        "play.psst": "Psst: {product} {does}",
    },
    "premium": {
        "prem.refined": "{product}. Bis ins Detail.",
        "prem.crafted": "Gefertigt für {audience}",
        "prem.gets": "{product}. {Gets}.",
    },
    "bold": {
        "bold.nocomp": "{product}. Ohne Kompromisse.",
        "bold.every": "{Does}. Jedes Mal.",
        "bold.yours": "{product}. Für {audience}.",
    },
    "friendly": {
        "friend.hi": "Hallo! Das ist {product}",
        "friend.back": "{product} ist für dich da",
        "friend.easy": "{Gets}, ganz einfach",
    },
    "calm": {
        "calm.simply": "{Gets}. Einfach so.",
        "calm.ease": "{product}. Durchatmen.",
        "calm.breathe": "Entspannt mit {product}",
    },
    "trustworthy": {
        "trust.deliver": "{product}: verlässlich gebaut",
        "trust.design": "{Gets} – durchdacht",
        "trust.proof": "{product}. {Proof}.",
    },
}
BODIES = {
    "does_gets": "{product} {does}. Das Ergebnis: {gets}. {closing}",
    "does_pair": "{product} {does} und {does2}. {closing}",
    "trio": "{Does}. {Gets}. Gemacht für {audience}.",
    "audience_gets": "Für {audience}, die mehr wollen: {gets}. {closing}",
    "does_proof": "{product} {does}. {Proof}.",
    "proof": "{Proof}. {closing}",
    "gets_pair": "{Gets} und {gets2} – mit {product}.",
    "sentence": "{sentence} {closing}",
    "sentence_proof": "{sentence} {Proof}.",
    "discount": "{product} gibt es {until} mit {discount}. {closing}",
    "discount_now": "Jetzt {discount} auf {product}. {closing}",
    "price": "{product} jetzt für {price}. {closing}",
    "hello": "{product} ist da. {closing}",
}
TONE_BODIES = {
    "playful": {"play.try": "{product} {does}. Probier's aus!"},
    "premium": {"prem.detail": "Jedes Detail von {product} ist durchdacht. {closing}"},
    "bold": {"bold.stop": "Schluss mit halben Sachen. {product} {does}. {closing}"},
    "friendly": {"friend.mind": "Wir haben {product} für {audience} gemacht. {closing}"},
    "calm": {"calm.fuss": "{Gets}, ohne Aufwand. {closing}"},
    "trustworthy": {"trust.designed": "{product} ist auf eines ausgelegt: {gets}. {closing}"},
}
CLOSINGS = {
    "playful": ("Gönn dir was.", "Du wirst es lieben.", "Probier's einfach."),
    "premium": ("Gemacht für Jahre.", "Qualität, die man spürt.", "Bis ins letzte Detail."),
    "bold": ("Starte jetzt.", "Keine Ausreden.", "Mach den ersten Schritt."),
    "friendly": ("Wir glauben, du wirst es mögen.", "Schau vorbei.", "Mit Sorgfalt gemacht."),
    "calm": ("Ganz entspannt.", "Einfach durchdacht.", "Nicht mehr, nicht weniger."),
    "trustworthy": ("Verlässlich, jeden Tag.", "Alle Details online.", "Darauf ist Verlass."),
}
CTAS = {
    "awareness": ("Mehr erfahren", "Entdecken", "So geht's"),
    "traffic": ("Mehr erfahren", "Zur Website", "Jetzt entdecken"),
    "consideration": ("Mehr erfahren", "Jetzt vergleichen", "Details ansehen"),
    "conversion": ("Jetzt kaufen", "Jetzt bestellen", "Zum Shop"),
    "leads": ("Jetzt anmelden", "Angebot anfordern", "Mitmachen"),
    "app_installs": ("Jetzt installieren", "App holen", "Herunterladen"),
}
MONTHS = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"

BANK = Bank(
    language="de",
    headlines=HEADLINES,
    tone_headlines=TONE_HEADLINES,
    bodies=BODIES,
    tone_bodies=TONE_BODIES,
    closings=CLOSINGS,
    ctas=CTAS,
    months=tuple(MONTHS.split()),
    discount="{p} % Rabatt",
    discount_lead="{p} % Rabatt",
    until="bis zum {day}. {month}",
    badge_discount="-{p} %",
    badge_price="Jetzt {price}",
)
