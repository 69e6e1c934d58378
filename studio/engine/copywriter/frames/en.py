"""English frames. Benefits: "does" is a verb phrase ("grips on wet rock"), "gets" a noun
phrase ("dry feet all day"); the audience noun is plural ("trail runners")."""

from studio.engine import copy_rules
from studio.engine.copywriter.frames import Bank

HEADLINES = {
    "does": "{product} {does}",
    "does_lead": "{Does}. {product}.",
    "gets_with": "{Gets}, with {product}",
    "gets_colon": "{product}: {gets}",
    "gets_audience": "{Gets} for {audience}",
    "made_for": "Made for {audience}",
    "audience_meet": "{Audience}, meet {product}",
    "proof": "{Proof}",
    "discount": "{Discount} {product}",
    "discount_until": "{product}: {discount} {until}",
    "price": "{product}, now {price}",
    "meet": "Meet {product}",
}
TONE_HEADLINES = {
    "playful": {
        "play.hello": "Say hello to {product}!",
        "play.yes": "{Gets}? Yes, please!",
        "play.psst": "Psst: {product} {does}",
    },
    "premium": {
        "prem.refined": "{product}. Refined.",
        "prem.crafted": "Crafted for {audience}",
        "prem.gets": "{product}. {Gets}.",
    },
    "bold": {
        "bold.nocomp": "{product}. No compromises.",
        "bold.every": "{Does}. Every time.",
        "bold.yours": "{Audience}, this one is yours",
    },
    "friendly": {
        "friend.hi": "Hi there, meet {product}",
        "friend.back": "{product} has your back",
        "friend.easy": "{Gets}, made easy",
    },
    "calm": {
        "calm.simply": "{Gets}, simply",
        "calm.ease": "{product}. Ease in.",
        "calm.breathe": "Breathe easy with {product}",
    },
    "trustworthy": {
        "trust.deliver": "{product}: built to deliver",
        "trust.design": "{Gets}, by design",
        "trust.proof": "{product}. {Proof}.",
    },
}
BODIES = {
    "does_gets": "{product} {does}, so you get {gets}. {closing}",
    "does_pair": "{product} {does} and {does2}. {closing}",
    "trio": "{Does}. {Gets}. Made for {audience}.",
    "audience_gets": "For {audience} who want {gets}. {closing}",
    "does_proof": "{product} {does}. {Proof}.",
    "proof": "{Proof}. {closing}",
    "gets_pair": "{Gets} and {gets2}, with {product}.",
    "sentence": "{sentence} {closing}",
    "sentence_proof": "{sentence} {Proof}.",
    "discount": "{product} is {discount} {until}. {closing}",
    "discount_now": "Get {product} at {discount} today. {closing}",
    "price": "Get {product} for {price}. {closing}",
    "hello": "{product} is here. {closing}",
}
TONE_BODIES = {
    "playful": {"play.try": "{product} {does}. Go on, try it!"},
    "premium": {"prem.detail": "Every detail of {product} is considered. {closing}"},
    "bold": {"bold.stop": "Stop settling. {product} {does}. {closing}"},
    "friendly": {"friend.mind": "We made {product} with {audience} in mind. {closing}"},
    "calm": {"calm.fuss": "{Gets}, without the fuss. {closing}"},
    "trustworthy": {"trust.designed": "{product} is designed for {gets}. {closing}"},
}
CLOSINGS = {
    "playful": ("Go on, treat yourself.", "You'll wonder how you managed without it.", "Try it."),
    "premium": ("Designed to last.", "Made to impress.", "Quality you can feel."),
    "bold": ("Start now.", "No excuses.", "Make your move."),
    "friendly": ("We think you'll love it.", "Come say hello.", "Made with care."),
    "calm": ("Take it easy.", "Simple by design.", "Nothing more, nothing less."),
    "trustworthy": ("See the details.", "Reliable every day.", "Built on trust."),
}
CTAS = copy_rules.CTA_CHOICES_BY_OBJECTIVE  # one list, shared with the checks
MONTHS = (
    "January February March April May June July August September October November December"
).split()

BANK = Bank(
    language="en",
    headlines=HEADLINES,
    tone_headlines=TONE_HEADLINES,
    bodies=BODIES,
    tone_bodies=TONE_BODIES,
    closings=CLOSINGS,
    ctas=CTAS,
    months=tuple(MONTHS),
    discount="{p}% off",
    discount_lead="{p}% off",
    until="until {day} {month}",
    badge_discount="-{p}%",
    badge_price="Now {price}",
)
