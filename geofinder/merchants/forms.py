"""The forms of the merchants' and moderators' pages, French first.

A form that fails keeps everything typed (Django re-renders bound forms) and names each wrong
field. URLs are http(s) only; opening hours are checked by the same evaluator as the search
(geofinder/opening), with messages in French. Forms that anyone may post carry a honeypot field
(`HoneypotMixin`): a person leaves it empty, a naive robot fills it.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.contrib.auth import password_validation
from django.core.validators import RegexValidator, URLValidator

from geofinder.merchants.values import FIELD_LABELS, SERVICE_FIELDS
from geofinder.opening import validate
from geofinder.places.models import Announcement, Category, Place

# How precise a position found from the address is, by the kind of the gazetteer's answer.
LOCATED_PRECISION = {
    "address": Place.LocationPrecision.ADDRESS,
    "postcode": Place.LocationPrecision.POSTCODE,
    "commune": Place.LocationPrecision.COMMUNE,
}
HTTP_URL = URLValidator(schemes=["http", "https"], message=_("Saisissez une adresse web commençant par http:// ou https://."))
PHONE = RegexValidator(r"^[0-9+ ().-]{6,25}$", _("Saisissez un numéro de téléphone (chiffres, espaces, + . -)."))
SIRET = RegexValidator(r"^[0-9]{14}$", _("Un SIRET a 14 chiffres."))


class HoneypotMixin(forms.Form):
    """A field hidden from people (CSS and aria-hidden), which robots fill in."""

    HONEYPOT = "site_web_confirmation"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.HONEYPOT] = forms.CharField(
            required=False, label=_("Ne remplissez pas ce champ"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.HONEYPOT):
            raise forms.ValidationError(_("Envoi refusé."), code="honeypot")
        return cleaned


class HttpUrlField(forms.URLField):
    """http(s) only: a bare "example.org" becomes "https://example.org"; "javascript:…",
    "data:…" or "ftp://…" keep their scheme and are refused."""

    default_validators = [HTTP_URL]
    default_error_messages = {"invalid": HTTP_URL.message}  # one message whatever the wrong part


class SignupForm(HoneypotMixin):
    email = forms.EmailField(label=_("Adresse électronique"), max_length=150)
    password1 = forms.CharField(label=_("Mot de passe"), widget=forms.PasswordInput(render_value=False), strip=False)
    password2 = forms.CharField(label=_("Mot de passe, encore"), widget=forms.PasswordInput(render_value=False), strip=False)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Les deux mots de passe diffèrent."))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def hours_error(raw: str) -> str | None:
    """A message in the page's language (French first) naming what is wrong in an opening_hours
    value, or None."""
    problem = validate(raw)
    if problem is None:
        return None
    return gettext(
        "Ces horaires ne sont pas au format OpenStreetMap (exemple : « Mo-Fr 09:00-12:00,14:00-18:00; "
        "Sa 09:00-12:00; PH off ») — %(problem)s."
    ) % {"problem": _problem_in_words(problem)}


# What the parser expected (geofinder/opening/validation.py names it in English).
EXPECTED_WORDS = {
    "a weekday": _("un jour de la semaine"), "a time span": _("une plage horaire"), "a date": _("une date"),
    "a holiday": _("un jour férié (PH) ou des vacances scolaires (SH)"), "a week": _("une semaine"),
    "a year": _("une année"), "+/-": "+/-", "24/7": "24/7", "a comment": _("un commentaire"),
    "open/closed/unknown": _("un état (open, closed, off, unknown)"), "a rule separator": _("un séparateur de règles (;)"),
}
_UNEXPECTED = re.compile(r"^unexpected (?:'(?P<snippet>.*)' at character (?P<column>[0-9]+)|(?P<end>end of value))"
                         r"(?:; expected (?P<expected>.+))?$")


def _problem_in_words(problem: str) -> str:
    """validation.py's English detail in the page's language (as it is if it has another form)."""
    match = _UNEXPECTED.match(problem)
    if match is None:
        return problem
    if match["end"]:
        words = gettext("la valeur s’arrête trop tôt")
    else:
        words = gettext("« %(snippet)s » inattendu au caractère %(column)s") % {
            "snippet": match["snippet"], "column": match["column"]}
    if match["expected"]:
        expected = [str(EXPECTED_WORDS.get(name, name)) for name in match["expected"].split(", ")]
        if len(expected) > 1:
            expected = [gettext("%(list)s ou %(last)s") % {"list": ", ".join(expected[:-1]), "last": expected[-1]}]
        words += gettext(" ; attendu : %(expected)s") % {"expected": expected[0]}
    return words


class PlaceForm(forms.Form):
    """A place's fields, for a proposal and for the dashboard."""

    name = forms.CharField(label=FIELD_LABELS["name"], max_length=255)
    category = forms.ChoiceField(label=FIELD_LABELS["category"])
    secondary_categories = forms.MultipleChoiceField(label=FIELD_LABELS["secondary_categories"], required=False)
    street = forms.CharField(label=FIELD_LABELS["street"], max_length=255, required=False)
    postcode = forms.CharField(
        label=FIELD_LABELS["postcode"], max_length=5, required=False,
        validators=[RegexValidator(r"^[0-9][0-9AB][0-9]{3}$", _("Un code postal a 5 chiffres."))],
    )
    city = forms.CharField(label=FIELD_LABELS["city"], max_length=120, required=False)
    lon = forms.FloatField(label=FIELD_LABELS["lon"], min_value=-180, max_value=180, required=False,
                           help_text=_("Placez l'épingle sur la carte ; vide, la position est trouvée d'après "
                                        "l'adresse (la commune ou le code postal hors ligne, l'adresse exacte avec le "
                                        "géocodeur)."))
    lat = forms.FloatField(label=FIELD_LABELS["lat"], min_value=-90, max_value=90, required=False)
    phone = forms.CharField(label=FIELD_LABELS["phone"], max_length=40, required=False, validators=[PHONE])
    email = forms.EmailField(label=FIELD_LABELS["email"], required=False)
    website = HttpUrlField(label=FIELD_LABELS["website"], max_length=500, required=False, assume_scheme="https")
    shop_url = HttpUrlField(label=FIELD_LABELS["shop_url"], max_length=500, required=False, assume_scheme="https")
    click_and_collect = forms.BooleanField(label=FIELD_LABELS["click_and_collect"], required=False)
    delivery = forms.BooleanField(label=FIELD_LABELS["delivery"], required=False)
    takeaway = forms.BooleanField(label=FIELD_LABELS["takeaway"], required=False)
    appointment = forms.BooleanField(label=FIELD_LABELS["appointment"], required=False)
    opening_hours = forms.CharField(
        label=FIELD_LABELS["opening_hours"], max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("Rempli par le tableau de la semaine ; les experts peuvent l'écrire directement "
                    "(format OpenStreetMap opening_hours)."),
    )
    status = forms.ChoiceField(label=FIELD_LABELS["status"], choices=Place.Status.choices, initial=Place.Status.ACTIVE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label = "label_en" if get_language() == "en" else "label"  # the taxonomy's own English names
        choices = list(Category.objects.order_by(label).values_list("slug", label))
        self.fields["category"].choices = [("", "—"), *choices]
        self.fields["secondary_categories"].choices = choices

    def clean_opening_hours(self):
        raw = self.cleaned_data["opening_hours"].strip()
        if raw:
            message = hours_error(raw)
            if message:
                raise forms.ValidationError(message)
        return raw

    def clean(self):
        cleaned = super().clean()
        lon, lat = cleaned.get("lon"), cleaned.get("lat")
        if (lon is None) != (lat is None) and not ({"lon", "lat"} & set(self.errors)):
            self.add_error("lat" if lat is None else "lon", _("Donnez la longitude et la latitude, ou aucune des deux."))
        elif lon is None and lat is None and not ({"lon", "lat"} & set(self.errors)):
            self._locate(cleaned)
        if cleaned.get("lon") is not None and cleaned.get("lat") is not None:
            cleaned["lon"], cleaned["lat"] = round(cleaned["lon"], 7), round(cleaned["lat"], 7)
        return cleaned

    def _locate(self, cleaned: dict) -> None:
        """The position of the address typed: the search's gazetteer (its commune or postcode
        offline; the street too with GEOFINDER_NETWORK, through BAN or Nominatim)."""
        from geofinder.search.where import WhereAmbiguous, WhereError, resolve_where

        text = " ".join(part for part in (cleaned.get("street"), cleaned.get("postcode"), cleaned.get("city")) if part)
        if not (cleaned.get("postcode") or cleaned.get("city")):
            self.add_error("lon", _("Placez l'épingle sur la carte, ou donnez le code postal et la commune."))
            return
        try:
            where = resolve_where(text if cleaned.get("street") else text.strip())
        except WhereAmbiguous as error:
            names = ", ".join(candidate.label for candidate in error.candidates[:5])
            self.add_error("city", gettext("Plusieurs communes possibles (%(names)s) : précisez le code postal.")
                           % {"names": names})
            return
        except WhereError:
            self.add_error("city", _("Adresse introuvable : vérifiez la commune et le code postal, ou placez l'épingle."))
            return
        cleaned["lon"], cleaned["lat"] = where.lon, where.lat
        self.located = where

    def values(self) -> dict:
        """The cleaned values as a proposal stores them (JSON)."""
        data = dict(self.cleaned_data)
        data["secondary_categories"] = [slug for slug in data["secondary_categories"] if slug != data["category"]]
        for service in SERVICE_FIELDS:
            data[service] = bool(data[service])
        values = {field: data[field] for field in FIELD_LABELS if field in data}
        located = getattr(self, "located", None)
        if located is not None:  # found from the address: as precise as the gazetteer's answer
            values["location_precision"] = LOCATED_PRECISION.get(located.kind, Place.LocationPrecision.COMMUNE)
        return values


class ProposalForm(HoneypotMixin, PlaceForm):
    pass


class ClaimForm(HoneypotMixin):
    METHOD_EMAIL, METHOD_MODERATOR = "email", "moderator"

    method = forms.ChoiceField(
        label=_("Comment prouver que vous gérez ce commerce ?"), widget=forms.RadioSelect,
        choices=[(METHOD_EMAIL, _("Recevoir un lien à l'adresse électronique connue pour ce commerce")),
                 (METHOD_MODERATOR, _("Faire vérifier ma demande par un modérateur"))],
    )
    siret = forms.CharField(label=_("SIRET de l'établissement"), required=False, validators=[SIRET],
                            help_text=_("14 chiffres, pour le modérateur"))
    role = forms.CharField(label=_("Votre rôle (gérant, salarié…)"), max_length=120, required=False)
    message = forms.CharField(label=_("Message au modérateur"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, place_has_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not place_has_email:
            self.fields["method"].choices = self.fields["method"].choices[1:]
            self.fields["method"].initial = self.METHOD_MODERATOR

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == self.METHOD_MODERATOR and not (cleaned.get("siret") or cleaned.get("message")):
            self.add_error("siret", _("Donnez au modérateur votre SIRET ou un message qui l'aide à vérifier."))
        return cleaned


class ClosureForm(forms.Form):
    """An exceptional closure (prefix "closure": it shares the dashboard's page)."""

    start = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Au (inclus)"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Motif (congés, travaux…)"), max_length=255, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("La fin doit être le jour du début ou après."))
        return cleaned


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Announcement.Kind.choices)
    title = forms.CharField(label=_("Titre"), max_length=120)
    text = forms.CharField(label=_("Texte"), max_length=Announcement.TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": Announcement.TEXT_MAX_LENGTH}))
    start = forms.DateField(label=_("Affichée du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("au (inclus)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("La fin doit être le jour du début ou après."))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approuver")), ("reject", _("Refuser"))], widget=forms.RadioSelect,
                                 label=_("Décision"))
    reason = forms.CharField(label=_("Motif (envoyé par courriel)"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", _("Dites pourquoi : le motif est envoyé au demandeur."))
        return cleaned
