"""Consent-manager configurations generated from the cookie inventory.

So that a website's cookie banner and its cookie statement cannot disagree,
every version of the cookie statement yields:

- ``api/consent/<date>/cookieconsent.json``: the configuration object of
  orestbida/cookieconsent v3 (npm ``vanilla-cookieconsent``): one category per
  cookie category in use, one service per provider, and per language the
  dialog texts and a cookie table per category (``language.translations``);
- ``api/consent/<date>/klaro.json``: the configuration of Klaro!: purposes,
  one service per provider with its cookies, and translations.

The current version's files are also at ``api/consent/cookieconsent.json`` and
``api/consent/klaro.json``. Where ``cookies.yaml`` names its ``consent_tool``, both
store the visitor's choice in the cookie it names (one the inventory declares), for as
long as the inventory says that cookie is kept; otherwise in the tools' own defaults,
``cc_cookie`` and ``klaro``. Pass the JSON to ``CookieConsent.run(config)`` or
assign it to ``window.klaroConfig``. Category and table texts come from the
cookie statement (content) and the interface catalog, never from here.
"""

from __future__ import annotations

import html
import re

from generator import json_text
from generator.content.model import DocumentVersion, Site
from generator.content.schema import COOKIE_CATEGORIES, LANGUAGES
from generator.content.vocabulary import COOKIE_CATEGORY, N_
from generator.export.consent_cookie import consent_cookie, expiry_days
from generator.export.json_schema import DIALECT
from generator.render.environment import Renderer
from generator.render.i18n import format_duration
from generator.render.pages import emit
from generator.render.urls import page_path

FOLDER = "api/consent/"
FORMATS = ("cookieconsent", "klaro")
# Functional cookies cannot be switched off: no consent is needed and the site needs them.
REQUIRED_CATEGORY = "functional"

TEXTS = {
    "title": N_("Cookies on this website"),
    "description": N_("We use functional cookies to make this website work and, with the "
                      "settings you choose, other cookies. Read more in our "
                      "<a href=\"%(url)s\">cookie statement</a>."),
    "accept_all": N_("Accept all"),
    "accept_necessary": N_("Functional cookies only"),
    "preferences": N_("Cookie settings"),
    "save": N_("Save settings"),
    "close": N_("Close"),
    "services": N_("Service|Services"),
    "more": N_("More information"),
    "more_text": N_("Which cookies we use, what for and how long they are kept is in our "
                    "<a href=\"%(url)s\">cookie statement</a>."),
    "cookies": N_("Cookies on this website"),
    "name": N_("Name"),
    "provider": N_("Provider"),
    "purpose": N_("Purpose"),
    "expiry": N_("Expiry"),
    "session": N_("end of the browser session"),
}


def config_path(kind: str, version: str | None = None) -> str:
    return FOLDER + (f"{version}/" if version else "") + f"{kind}.json"


def current_paths() -> dict[str, str]:
    return {kind: config_path(kind) for kind in FORMATS}


def service_id(provider: str) -> str:
    """'MKB serviceshop (Matomo)' -> 'mkb-serviceshop-matomo'."""
    return re.sub(r"[^a-z0-9]+", "-", provider.lower()).strip("-") or "service"


def _json(data) -> bytes:
    return json_text.indented(data) + b"\n"


def add_configs(out: dict[str, bytes], site: Site, entry: DocumentVersion,
                renderer: Renderer, tr: dict) -> dict[str, str]:
    """Both configurations of one cookie-statement version; the current one also unversioned."""
    made = {"cookieconsent": cookieconsent(site, entry, renderer, tr),
            "klaro": klaro(site, entry, renderer, tr)}
    paths = {}
    for kind, data in made.items():
        paths[kind] = config_path(kind, entry.name)
        emit(out, paths[kind], _json(data))
        if entry.status == "current":
            emit(out, config_path(kind), _json(data))
    return paths


def _inventory(entry: DocumentVersion) -> dict[str, dict[str, list]]:
    """category -> provider -> cookies, in the statement's order."""
    grouped: dict[str, dict[str, list]] = {}
    for cookie in entry.version.cookies.values():
        grouped.setdefault(cookie["category"], {}).setdefault(cookie["provider"], []).append(
            cookie)
    return {category: grouped[category] for category in COOKIE_CATEGORIES
            if category in grouped}


def _inline(renderer: Renderer, text: str) -> str:
    """Markdown as sanitised HTML without the outer paragraph: both tools wrap it in one."""
    converted = str(renderer.markdown(text)).strip()
    return converted.replace("</p>\n<p>", "<br><br>").removeprefix("<p>").removesuffix("</p>")


def _consent_needed(cookies) -> bool:
    return any(cookie["consent_required"] for cookie in cookies)


def _category_title(category: str, tr) -> str:
    label = tr(COOKIE_CATEGORY[category])
    return label[:1].upper() + label[1:]


def _statement_url(site: Site, lang: str) -> str:
    return site.base_url + page_path(lang, "cookies")


def _expiry(cookie, lang: str, tr) -> str:
    if cookie["expiry"] == "session":
        return tr(TEXTS["session"])
    return format_duration(cookie["expiry"], lang)


# --- orestbida/cookieconsent v3 ---------------------------------------------------

def cookieconsent(site: Site, entry: DocumentVersion, renderer: Renderer,
                  tr: dict) -> dict:
    inventory = _inventory(entry)
    categories = {}
    for category, providers in inventory.items():
        cookies = [c for group in providers.values() for c in group]
        required = category == REQUIRED_CATEGORY
        spec = {"enabled": required or not _consent_needed(cookies), "readOnly": required,
                "services": {service_id(provider): {
                    "label": html.escape(provider), "cookies": [{"name": c["name"]} for c in group]}
                    for provider, group in providers.items()}}
        if not required:
            spec["autoClear"] = {"cookies": [{"name": c["name"]} for c in cookies]}
        categories[category] = spec
    translations = {lang: _cookieconsent_texts(site, entry, renderer, lang, tr[lang],
                                               inventory) for lang in LANGUAGES}
    needs_consent = any(_consent_needed(c for g in p.values() for c in g)
                        for p in inventory.values())
    return {
        "$comment": f"cookieconsent v3 configuration from the cookie statement of "
                    f"{entry.name}; generated by privacy-docs, do not edit by hand.",
        "mode": "opt-in" if needs_consent else "opt-out",
        "revision": int(entry.name.replace("-", "")),
        "cookie": _cookieconsent_cookie(consent_cookie(entry.version)),
        "guiOptions": {"consentModal": {"equalWeightButtons": True},
                       "preferencesModal": {"equalWeightButtons": True}},
        "categories": categories,
        "language": {"default": LANGUAGES[0], "autoDetect": "document",
                     "translations": translations},
    }


def _cookieconsent_cookie(cookie) -> dict:
    """cookieconsent v3's ``cookie`` option: ``name`` and ``expiresAfterDays``."""
    if cookie is None:
        return {"name": "cc_cookie"}
    days = expiry_days(cookie["expiry"])
    return {"name": cookie["name"], **({"expiresAfterDays": days} if days else {})}


def _cookieconsent_texts(site: Site, entry: DocumentVersion, renderer: Renderer, lang: str,
                         tr, inventory) -> dict:
    statement = entry.version.cookie_statement
    url = _statement_url(site, lang)
    sections = [{"title": html.escape(statement["categories"]["title"][lang]),
                 "description": _inline(renderer, statement["categories"]["text"][lang])}]
    for category, providers in inventory.items():
        sections.append({
            "title": _category_title(category, tr),
            "description": _inline(renderer, statement["categories"]["explanations"][category]
                                   [lang]),
            "linkedCategory": category,
            "cookieTable": {
                "caption": tr(TEXTS["cookies"]),
                "headers": {key: tr(TEXTS[key])
                            for key in ("name", "provider", "purpose", "expiry")},
                "body": [{"name": c["name"], "provider": html.escape(c["provider"]),
                          "purpose": _inline(renderer, c["purpose"][lang]),
                          "expiry": _expiry(c, lang, tr)}
                         for group in providers.values() for c in group],
            },
        })
    sections.append({"title": tr(TEXTS["more"]),
                     "description": tr(TEXTS["more_text"]) % {"url": url}})
    return {
        "consentModal": {
            "title": tr(TEXTS["title"]),
            "description": tr(TEXTS["description"]) % {"url": url},
            "acceptAllBtn": tr(TEXTS["accept_all"]),
            "acceptNecessaryBtn": tr(TEXTS["accept_necessary"]),
            "showPreferencesBtn": tr(TEXTS["preferences"]),
            "closeIconLabel": tr(TEXTS["close"]),
        },
        "preferencesModal": {
            "title": tr(TEXTS["preferences"]),
            "acceptAllBtn": tr(TEXTS["accept_all"]),
            "acceptNecessaryBtn": tr(TEXTS["accept_necessary"]),
            "savePreferencesBtn": tr(TEXTS["save"]),
            "closeIconLabel": tr(TEXTS["close"]),
            "serviceCounterLabel": tr(TEXTS["services"]),
            "sections": sections,
        },
    }


# --- Klaro! -------------------------------------------------------------------------

def klaro(site: Site, entry: DocumentVersion, renderer: Renderer, tr: dict) -> dict:
    inventory = _inventory(entry)
    statement = entry.version.cookie_statement
    services = []
    for category, providers in inventory.items():
        for provider, cookies in providers.items():
            required = category == REQUIRED_CATEGORY
            services.append({
                "name": f"{category}-{service_id(provider)}",
                "title": html.escape(provider),
                "purposes": [category],
                "cookies": [c["name"] for c in cookies],
                "required": required,
                "default": required or not _consent_needed(cookies),
                "optOut": not required and not _consent_needed(cookies),
                "translations": {lang: {"description": " ".join(
                    f"{c['name']}: {_inline(renderer, c['purpose'][lang])}" for c in cookies)}
                    for lang in LANGUAGES},
            })
    translations = {}
    for lang in LANGUAGES:
        text = tr[lang]
        url = _statement_url(site, lang)
        translations[lang] = {
            "privacyPolicyUrl": url,
            "consentModal": {"title": text(TEXTS["preferences"]),
                             "description": text(TEXTS["description"]) % {"url": url}},
            "purposes": {category: {
                "title": _category_title(category, text),
                "description": _inline(renderer,
                                       statement["categories"]["explanations"][category][lang])}
                for category in inventory},
        }
    return {
        "$comment": f"Klaro! configuration from the cookie statement of {entry.name}; "
                    "generated by privacy-docs, do not edit by hand.",
        "version": 1,
        "elementID": "klaro",
        "storageMethod": "cookie",
        **_klaro_cookie(consent_cookie(entry.version)),
        "htmlTexts": True,
        "default": False,
        "mustConsent": False,
        "acceptAll": True,
        "hideDeclineAll": False,
        "lang": LANGUAGES[0],
        "translations": translations,
        "services": services,
    }


def _klaro_cookie(cookie) -> dict:
    """Klaro!'s cookie options: ``storageName`` (since 0.5.28; read before
    ``cookieName``, the older name, which earlier versions read), and
    ``cookieExpiresAfterDays``."""
    if cookie is None:
        return {"cookieName": "klaro"}
    days = expiry_days(cookie["expiry"])
    return {"storageName": cookie["name"], "cookieName": cookie["name"],
            **({"cookieExpiresAfterDays": days} if days else {})}


# --- schemas of the generated subset ------------------------------------------------

def schemas() -> dict[str, dict]:
    """JSON Schemas of what this module writes (the parts of each format it uses)."""
    text = {"type": "string", "minLength": 1}
    per_language = {"type": "object", "required": list(LANGUAGES)}
    cookie_item = {"type": "object", "properties": {"name": text}, "required": ["name"],
                   "additionalProperties": False}
    table = {"type": "object", "properties": {
        "caption": text, "headers": {"type": "object", "additionalProperties": text},
        "body": {"type": "array", "items": {"type": "object",
                                            "additionalProperties": {"type": "string"}}}},
        "required": ["headers", "body"], "additionalProperties": False}
    section = {"type": "object", "properties": {
        "title": text, "description": text, "linkedCategory": {"enum": list(COOKIE_CATEGORIES)},
        "cookieTable": table}, "additionalProperties": False}
    modal_texts = {"type": "object", "additionalProperties": text}
    translation = {"type": "object", "properties": {
        "consentModal": modal_texts,
        "preferencesModal": {"type": "object", "properties": {
            "sections": {"type": "array", "items": section}},
            "required": ["sections"], "additionalProperties": {"type": "string"}}},
        "required": ["consentModal", "preferencesModal"], "additionalProperties": False}
    cookieconsent_schema = {
        "$schema": DIALECT,
        "title": "orestbida/cookieconsent v3 configuration (the part privacy-docs writes)",
        "type": "object",
        "properties": {
            "$comment": {"type": "string"},
            "mode": {"enum": ["opt-in", "opt-out"]},
            "revision": {"type": "integer", "minimum": 0},
            "cookie": {"type": "object", "properties": {
                "name": text, "expiresAfterDays": {"type": "integer", "minimum": 1}},
                "additionalProperties": False},
            "guiOptions": {"type": "object"},
            "categories": {"type": "object", "propertyNames": {"enum": list(COOKIE_CATEGORIES)},
                           "additionalProperties": {"type": "object", "properties": {
                               "enabled": {"type": "boolean"}, "readOnly": {"type": "boolean"},
                               "autoClear": {"type": "object", "properties": {
                                   "cookies": {"type": "array", "items": cookie_item}}},
                               "services": {"type": "object", "additionalProperties": {
                                   "type": "object", "properties": {
                                       "label": text,
                                       "cookies": {"type": "array", "items": cookie_item}},
                                   "additionalProperties": False}}},
                               "additionalProperties": False}},
            "language": {"type": "object", "properties": {
                "default": {"enum": list(LANGUAGES)},
                "autoDetect": {"enum": ["document", "browser"]},
                "translations": {**per_language,
                                 "properties": {lang: translation for lang in LANGUAGES}}},
                "required": ["default", "translations"]},
        },
        "required": ["categories", "language"],
        "additionalProperties": False,
    }
    klaro_service = {"type": "object", "properties": {
        "name": text, "title": text, "purposes": {"type": "array", "items": {
            "enum": list(COOKIE_CATEGORIES)}},
        "cookies": {"type": "array", "items": text}, "required": {"type": "boolean"},
        "default": {"type": "boolean"}, "optOut": {"type": "boolean"},
        "translations": {**per_language, "additionalProperties": {
            "type": "object", "properties": {"description": text}}}},
        "required": ["name", "title", "purposes", "cookies"], "additionalProperties": False}
    klaro_schema = {
        "$schema": DIALECT,
        "title": "Klaro! configuration (the part privacy-docs writes)",
        "type": "object",
        "properties": {
            "$comment": {"type": "string"},
            "version": {"type": "integer"}, "elementID": text, "storageMethod": {
                "enum": ["cookie", "localStorage"]}, "storageName": text, "cookieName": text,
            "cookieExpiresAfterDays": {"type": "integer", "minimum": 1},
            "htmlTexts": {"type": "boolean"}, "default": {"type": "boolean"},
            "mustConsent": {"type": "boolean"}, "acceptAll": {"type": "boolean"},
            "hideDeclineAll": {"type": "boolean"}, "lang": {"enum": list(LANGUAGES)},
            "translations": {**per_language, "additionalProperties": {
                "type": "object", "properties": {
                    "privacyPolicyUrl": {"type": "string", "pattern": "^https?://"},
                    "consentModal": modal_texts, "purposes": {"type": "object"}},
                "required": ["privacyPolicyUrl", "purposes"]}},
            "services": {"type": "array", "items": klaro_service},
        },
        "required": ["translations", "services"],
        "additionalProperties": False,
    }
    return {"consent-cookieconsent": cookieconsent_schema, "consent-klaro": klaro_schema}
