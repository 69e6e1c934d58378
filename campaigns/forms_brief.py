"""The creative brief on the campaign form: typed fields, checked line by line, and the
same language-dependent fields per extra language (stored in brief_translations)."""

from __future__ import annotations

import datetime as dt

from django import forms

from campaigns.services.briefs import BRIEF_LANGUAGE, brief_lines, brief_words
from studio.engine.copywriter.frames import banks
from studio.engine.locales import language_name

BRIEF_FIELDS = (
    "benefits_does",
    "benefits_gets",
    "proof_points",
    "offer_discount",
    "offer_price",
    "offer_ends",
    "required_claims",
    "disclaimer",
    "words_to_use",
    "words_to_avoid",
)
# field -> (most lines, longest line in characters)
LINE_LIMITS = {
    "benefits_does": (8, 60),
    "benefits_gets": (8, 60),
    "proof_points": (6, 80),
    "required_claims": (4, 160),
}
MAX_WORDS = 20
# Examples per language for the fields whose grammar the frames depend on.
EXAMPLES = {
    "de": ("greift auf nassem Fels", "trockene Füße den ganzen Tag"),
    "fr": ("accroche sur la roche mouillée", "des pieds au sec toute la journée"),
    "es": ("se agarra a la roca mojada", "pies secos todo el día"),
}
TRANSLATED = {
    "product_name": ("product name", "Empty keeps the main product name."),
    "description": ("description", "Whole sentences; the copy may quote one of them."),
    "benefits_does": ("what it does", "One per line, a verb phrase, e.g. “{does}”."),
    "benefits_gets": ("what you get", "One per line, a noun phrase, e.g. “{gets}”."),
    "proof_points": ("proof points", "One per line."),
    "required_claims": ("required claims", "One per line."),
    "disclaimer": ("disclaimer", "Empty uses the main one."),
}


def clean_lines(value: str, field: str) -> str:
    lines = brief_lines(value)
    most, longest = LINE_LIMITS[field]
    if len(lines) > most:
        raise forms.ValidationError(f"At most {most} lines, one entry per line.")
    for line in lines:
        if len(line) > longest:
            raise forms.ValidationError(
                f"“{line[:40]}…” is {len(line)} characters; keep each line under {longest + 1}."
            )
    return "\n".join(lines)


def clean_words(value: str) -> str:
    words = brief_words(value)
    if len(words) > MAX_WORDS:
        raise forms.ValidationError(f"At most {MAX_WORDS} words or phrases, comma-separated.")
    return ", ".join(words)


def translation_languages() -> list[str]:
    return [lang for lang in banks() if lang != BRIEF_LANGUAGE]


class BriefFormMixin:
    """Adds the translation fields and checks the brief fields of a ModelForm on Campaign."""

    def add_translation_fields(self) -> None:
        stored = (self.instance.brief_translations or {}) if self.instance.pk else {}
        for lang in translation_languages():
            does, gets = EXAMPLES.get(lang, ("", ""))
            for name, (label, help_text) in TRANSLATED.items():
                key = f"{lang}__{name}"
                widget = forms.TextInput if name in ("product_name", "disclaimer") else None
                self.fields[key] = forms.CharField(
                    required=False,
                    max_length=2000,
                    label=f"{language_name(lang)}: {label}",
                    help_text=help_text.format(does=does, gets=gets),
                    widget=widget(attrs={"lang": lang})
                    if widget
                    else forms.Textarea(attrs={"rows": 3, "lang": lang}),
                )
                value = stored.get(lang, {}).get(name, "")
                self.initial.setdefault(key, "\n".join(value) if isinstance(value, list) else value)

    def brief_fields(self):
        return [self[name] for name in BRIEF_FIELDS]

    def translation_groups(self):
        groups = []
        for lang in translation_languages():
            fields = [self[f"{lang}__{name}"] for name in TRANSLATED]
            filled = any(f.value() for f in fields) or any(f.errors for f in fields)
            groups.append((language_name(lang), lang, fields, filled))
        return groups

    def clean_benefits_does(self):
        return clean_lines(self.cleaned_data["benefits_does"], "benefits_does")

    def clean_benefits_gets(self):
        return clean_lines(self.cleaned_data["benefits_gets"], "benefits_gets")

    def clean_proof_points(self):
        return clean_lines(self.cleaned_data["proof_points"], "proof_points")

    def clean_required_claims(self):
        return clean_lines(self.cleaned_data["required_claims"], "required_claims")

    def clean_words_to_use(self):
        return clean_words(self.cleaned_data["words_to_use"])

    def clean_words_to_avoid(self):
        return clean_words(self.cleaned_data["words_to_avoid"])

    def clean_offer_discount(self):
        value = self.cleaned_data.get("offer_discount")
        if value is not None and not 1 <= value <= 90:
            raise forms.ValidationError("A discount between 1 and 90 percent, e.g. 20.")
        return value

    def clean_offer_price(self):
        value = " ".join(self.cleaned_data["offer_price"].split())
        if value and not any(c.isdigit() for c in value):
            raise forms.ValidationError("A price with its amount and currency, e.g. 89 €.")
        return value

    def clean_offer_ends(self):
        value = self.cleaned_data.get("offer_ends")
        changed = value != getattr(self.instance, "offer_ends", None)
        if value and changed and value < dt.date.today():
            raise forms.ValidationError("The offer cannot end in the past.")
        return value

    def clean_brief(self, cleaned: dict) -> None:
        if cleaned.get("offer_ends") and not (
            cleaned.get("offer_discount") or cleaned.get("offer_price")
        ):
            self.add_error("offer_ends", "An end date needs a discount or a price to end.")
        translations = {}
        for lang in translation_languages():
            fields = {}
            for name in TRANSLATED:
                key = f"{lang}__{name}"
                value = cleaned.get(key) or ""
                if name in LINE_LIMITS:
                    try:
                        fields[name] = brief_lines(clean_lines(value, name))
                    except forms.ValidationError as exc:
                        self.add_error(key, exc)
                        continue
                else:
                    fields[name] = " ".join(value.split()) if name != "description" else value
            if any(fields.values()):
                translations[lang] = fields
        self.instance.brief_translations = translations
