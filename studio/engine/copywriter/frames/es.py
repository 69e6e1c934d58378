"""Spanish frames ("tú"). Benefits: "does" a verb phrase with the product as subject
("se agarra a la roca mojada"), "gets" a noun phrase ("pies secos todo el día"), the
audience noun plural without article ("corredores de montaña"). No frame needs the
product's gender (no "hecho/hecha para", no "pruébalo/pruébala")."""

from studio.engine.copywriter.frames import Bank, spanish_conjunctions

HEADLINES = {
    "does": "{product} {does}",
    "does_lead": "{Does}. {product}.",
    "gets_with": "{Gets}, con {product}",
    "gets_colon": "{product}: {gets}",
    "gets_audience": "{Gets} para {audience}",
    "made_for": "Para {audience} exigentes",
    "product_for": "{product} para {audience}",
    "proof": "{Proof}",
    "discount": "{Discount} en {product}",
    "discount_until": "{product}: {Discount} {until}",
    "price": "{product} por solo {price}",
    "meet": "Descubre {product}",
}
TONE_HEADLINES = {
    "playful": {
        "play.hello": "¡Saluda a {product}!",
        "play.yes": "¿{Gets}? ¡Sí, por favor!",
        "play.psst": "Psst: {product} {does}",
    },
    "premium": {
        "prem.refined": "{product}. Puro detalle.",
        "prem.crafted": "A la altura de {audience} exigentes",
        "prem.gets": "{product}. {Gets}.",
    },
    "bold": {
        "bold.nocomp": "{product}. Sin concesiones.",
        "bold.every": "{Does}. Siempre.",
        "bold.built": "Para {audience} sin límites",
    },
    "friendly": {
        "friend.hi": "Hola, te presentamos {product}",
        "friend.back": "{product} te acompaña",
        "friend.easy": "{Gets}, así de fácil",
    },
    "calm": {
        "calm.simply": "{Gets}, con calma",
        "calm.ease": "{product}. Respira.",
        "calm.breathe": "Tranquilidad con {product}",
    },
    "trustworthy": {
        "trust.deliver": "{product}, con total confianza",
        "trust.design": "{Gets}, sin sorpresas",
        "trust.proof": "{product}. {Proof}.",
    },
}
BODIES = {
    "does_gets": "{product} {does}. El resultado: {gets}. {closing}",
    "does_pair": "{product} {does} y {does2}. {closing}",
    "trio": "{Does}. {Gets}. Para {audience}.",
    "audience_gets": "Para {audience} que quieren {gets}. {closing}",
    "does_proof": "{product} {does}. {Proof}.",
    "proof": "{Proof}. {closing}",
    "gets_pair": "{Gets} y {gets2}, con {product}.",
    "sentence": "{sentence} {closing}",
    "sentence_proof": "{sentence} {Proof}.",
    "discount": "{product} con {discount} {until}. {closing}",
    "discount_now": "Aprovecha {discount} en {product}. {closing}",
    "price": "{product} por solo {price}. {closing}",
    "hello": "{product} ya está aquí. {closing}",
}
TONE_BODIES = {
    "playful": {"play.try": "{product} {does}. ¡Atrévete!"},
    "premium": {"prem.detail": "Cada detalle de {product} está pensado. {closing}"},
    "bold": {"bold.stop": "Basta de conformarse. {product} {does}. {closing}"},
    "friendly": {"friend.mind": "Creamos {product} pensando en {audience}. {closing}"},
    "calm": {"calm.fuss": "{Gets}, sin esfuerzo. {closing}"},
    "trustworthy": {"trust.designed": "{product} tiene un objetivo: {gets}. {closing}"},
}
CLOSINGS = {
    "playful": ("Date un capricho.", "Te va a encantar.", "Compruébalo tú mismo."),
    "premium": ("Hecho para durar.", "Calidad que se nota.", "Hasta el último detalle."),
    "bold": ("Empieza ya.", "Sin excusas.", "Da el paso."),
    "friendly": ("Creemos que te va a encantar.", "Ven a conocernos.", "Hecho con cariño."),
    "calm": ("Con calma.", "Sencillo por diseño.", "Ni más, ni menos."),
    "trustworthy": ("Fiable cada día.", "Todos los detalles en la web.", "Una elección segura."),
}
CTAS = {
    "awareness": ("Más información", "Descubre más", "Ver cómo"),
    "traffic": ("Más información", "Visítanos", "Explorar"),
    "consideration": ("Más información", "Comparar", "Ver detalles"),
    "conversion": ("Comprar ahora", "Comprar", "Ver oferta"),
    "leads": ("Regístrate", "Pide presupuesto", "Únete"),
    "app_installs": ("Instalar", "Descargar la app", "Descargar"),
}
MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"

BANK = Bank(
    language="es",
    headlines=HEADLINES,
    tone_headlines=TONE_HEADLINES,
    bodies=BODIES,
    tone_bodies=TONE_BODIES,
    closings=CLOSINGS,
    ctas=CTAS,
    months=tuple(MONTHS.split()),
    discount="un {p} % de descuento",
    discount_lead="{p} % de descuento",
    until="hasta el {day} de {month}",
    badge_discount="-{p} %",
    badge_price="Solo {price}",
    fix=spanish_conjunctions,
)
