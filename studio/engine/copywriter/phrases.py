"""Brand voice -> tone, and the words the template copywriter puts in image prompts.

The copy itself comes from the frame banks in frames/ (one per language, per tone).
"""

from __future__ import annotations

# Voice keywords are matched against the brand's free-text voice; the tone with the
# most hits wins, and "friendly" is the fallback because it suits most brands.
VOICE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "playful": (
        "playful",
        "fun",
        "witty",
        "cheeky",
        "quirky",
        "whimsical",
        "lighthearted",
        "humor",
        "humour",
        "humorous",
        "silly",
        "joyful",
        "cheerful",
    ),
    "premium": (
        "premium",
        "luxury",
        "luxurious",
        "elegant",
        "refined",
        "sophisticated",
        "exclusive",
        "upscale",
        "classy",
        "timeless",
        "crafted",
    ),
    "bold": (
        "bold",
        "confident",
        "energetic",
        "daring",
        "punchy",
        "edgy",
        "loud",
        "fearless",
        "direct",
        "ambitious",
        "powerful",
    ),
    "friendly": (
        "friendly",
        "warm",
        "approachable",
        "casual",
        "welcoming",
        "kind",
        "caring",
        "conversational",
        "helpful",
        "human",
    ),
    "calm": (
        "calm",
        "minimal",
        "minimalist",
        "serene",
        "soothing",
        "gentle",
        "simple",
        "clean",
        "mindful",
        "quiet",
        "relaxed",
    ),
    "trustworthy": (
        "professional",
        "trustworthy",
        "trusted",
        "reliable",
        "expert",
        "authoritative",
        "clinical",
        "serious",
        "credible",
        "honest",
        "transparent",
    ),
}
DEFAULT_TONE = "friendly"

# Style words that make the image prompt match the brand voice.
TONE_STYLE: dict[str, str] = {
    "playful": "vibrant, playful, colourful, cheerful light",
    "premium": "elegant, luxurious, soft studio lighting, refined composition",
    "bold": "high contrast, dynamic angle, bold colours, energetic",
    "friendly": "warm natural light, inviting, approachable",
    "calm": "minimal, airy, soft pastel light, serene",
    "trustworthy": "clean, crisp, professional, well lit",
}

# Persona keyword -> scene, so the image prompt places the product in the persona's world.
SCENES: dict[str, str] = {
    "parent": "a bright family kitchen",
    "family": "a cosy family living room",
    "kid": "a playful family home",
    "student": "a lively campus study space",
    "runner": "an early morning running trail",
    "fitness": "a sunlit gym",
    "gym": "a sunlit gym",
    "outdoor": "a mountain trail at golden hour",
    "hik": "a mountain trail at golden hour",
    "travel": "a stylish airport lounge",
    "commut": "a busy city street at dawn",
    "city": "a modern city apartment",
    "urban": "a modern city apartment",
    "professional": "a calm modern office",
    "office": "a calm modern office",
    "developer": "a tidy desk with a laptop",
    "gamer": "a neon-lit gaming setup",
    "garden": "a lush home garden",
    "cook": "a rustic kitchen counter",
    "food": "a rustic kitchen counter",
    "retire": "a peaceful sunlit porch",
    "pet": "a cosy home with a happy dog",
    "beauty": "a marble bathroom vanity",
    "skin": "a marble bathroom vanity",
}
DEFAULT_SCENES = ("a clean studio setting", "a softly lit tabletop", "a minimal lifestyle scene")

# A few named colours, so palette hex codes become words an image model understands.
NAMED_COLOURS: dict[str, tuple[int, int, int]] = {
    "black": (0, 0, 0),
    "charcoal": (40, 44, 52),
    "slate grey": (100, 116, 139),
    "silver": (192, 192, 192),
    "white": (255, 255, 255),
    "red": (220, 38, 38),
    "coral": (248, 113, 113),
    "orange": (249, 115, 22),
    "amber": (245, 158, 11),
    "yellow": (250, 204, 21),
    "lime green": (132, 204, 22),
    "green": (22, 163, 74),
    "teal": (13, 148, 136),
    "sky blue": (56, 189, 248),
    "blue": (37, 99, 235),
    "navy": (30, 58, 138),
    "indigo": (79, 70, 229),
    "purple": (147, 51, 234),
    "pink": (236, 72, 153),
    "brown": (120, 72, 40),
    "beige": (232, 220, 196),
}
