"""What changed between two versions of a document, computed from the models: the
lines worded by hand (a purpose's bases, recipients and categories, retention,
transfers, a recipient's role and country, cookies); every other declared field is
walked by ``change_walk.py``. How a line reads in a language is ``change_words.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.content import derived
from generator.content.model import Version, to_plain
from generator.content.vocabulary import N_
from generator.render.change_words import (
    Change,
    Country,
    Duration,
    Grounds,
    Label,
    Missing,
    QuotedNames,
    Retention,
    Subjects,
    describe,
    describe_value,
)

__all__ = ["Change", "Country", "Duration", "Label", "Missing", "Subjects", "describe",
           "describe_value", "document_changes", "privacy_changes", "cookie_changes"]


def _new_recipients(old: Version, new: Version) -> list[Change]:
    """A new recipient with its role and where it processes the data (Art. 13(1)(e),
    (f)), and the purposes it receives data for: one line, not one per purpose."""
    out = []
    for key, recipient in new.recipients.items():
        if key in old.recipients:
            continue
        purposes = tuple(_purpose_name(new, pid) for pid, purpose in new.purposes.items()
                         if key in purpose["recipients"])
        params = (("name", recipient["name"]), ("role", Label("role", (recipient["role"],))),
                  ("country", Country(recipient["country"])))
        if purposes:
            out.append(Change(N_("New recipient: %(name)s (%(role)s; %(country)s), for "
                                 "%(purposes)s"), params + (("purposes", QuotedNames(purposes)),)))
        else:
            out.append(Change(N_("New recipient: %(name)s (%(role)s; %(country)s)"), params))
    return out


def _purpose_name(version: Version, purpose_id: str):
    purpose = version.purposes[purpose_id]
    if purpose.get("title"):
        return purpose["title"]
    group = next(g for g in version.groups if purpose in g["purposes"])
    return group["title"]


def _added_removed(old: Version, new: Version, collection: str, added: str, removed: str,
                   name: Callable[[Version, str], object]) -> list[Change]:
    """Items of ``collection`` (purposes, categories, ...) added and removed, by id."""
    before, after = getattr(old, collection), getattr(new, collection)
    out = [Change(added, (("name", name(new, key)),)) for key in after if key not in before]
    out += [Change(removed, (("name", name(old, key)),)) for key in before if key not in after]
    return out


def privacy_changes(old: Version, new: Version) -> list[Change]:
    return [change for _, change in privacy_changes_by_section(old, new)]


def privacy_changes_by_section(old: Version, new: Version) -> list[tuple[str, Change]]:
    """The lines worded here, each with the section of the statement it is about (the
    change list follows the statement's order)."""
    parts = {
        "purposes": _purpose_changes(old, new),
        "data_categories": _added_removed(
            old, new, "categories", N_("New category of personal data: %(name)s"),
            N_("Category of personal data removed: %(name)s"),
            lambda version, key: version.categories[key]["name"]) + _retention_changes(old, new),
        "recipients": _new_recipients(old, new) + [
            Change(N_("Recipient removed: %(name)s"), (("name", recipient["name"]),))
            for key, recipient in old.recipients.items() if key not in new.recipients
        ] + _party_changes(old, new),
        "transfers": _transfer_changes(old, new),
    }
    return [(section, change) for section, found in parts.items() for change in found]


def _purpose_changes(old: Version, new: Version) -> list[Change]:
    changes = _added_removed(old, new, "purposes", N_("New purpose: %(name)s"),
                             N_("Purpose removed: %(name)s"), _purpose_name)
    for pid in (p for p in new.purposes if p in old.purposes):
        before, after = old.purposes[pid], new.purposes[pid]
        if before is after:  # validated once, unchanged (see _changed)
            continue
        name = ("purpose", _purpose_name(new, pid))
        if list(before["legal_bases"]) != list(after["legal_bases"]):
            changes.append(Change(N_("Legal basis for the purpose ‘%(purpose)s’: %(old)s → "
                                     "%(new)s"), (
                name, ("old", Label("basis", tuple(before["legal_bases"]))),
                ("new", Label("basis", tuple(after["legal_bases"]))))))
        for rid in after["recipients"]:
            if rid not in before["recipients"] and rid in old.recipients:  # a new one: above
                changes.append(Change(N_("New recipient for the purpose ‘%(purpose)s’: "
                                         "%(recipient)s"),
                                      (name, ("recipient", new.recipients[rid]["name"]))))
        for rid in before["recipients"]:
            if rid not in after["recipients"] and rid in new.recipients:  # removed: above
                changes.append(Change(N_("No longer a recipient for the purpose "
                                         "‘%(purpose)s’: %(recipient)s"),
                                      (name, ("recipient", old.recipients[rid]["name"]))))
        for cid in after["data_categories"]:
            if cid not in before["data_categories"]:
                changes.append(Change(N_("Purpose ‘%(purpose)s’ now also processes: "
                                         "%(category)s"),
                                      (name, ("category", new.categories[cid]["name"]))))
        for cid in before["data_categories"]:
            if cid not in after["data_categories"] and cid in new.categories:
                changes.append(Change(N_("Purpose ‘%(purpose)s’ no longer processes: "
                                         "%(category)s"),
                                      (name, ("category", new.categories[cid]["name"]))))
        if _changed(before.get("legitimate_interest"), after.get("legitimate_interest")):
            changes.append(Change(N_("Legitimate interest pursued for the purpose "
                                     "‘%(purpose)s’: %(old)s → %(new)s"), (
                name, ("old", before.get("legitimate_interest") or Missing()),
                ("new", after.get("legitimate_interest") or Missing()))))
        changes += _purpose_facts(old, new, before, after, name)
    return changes


def _own_subjects(version: Version) -> tuple:
    return tuple((s["id"], s["name"])
                 for s in version.files["purposes.yaml"].get("data_subjects") or ())


def _purpose_facts(old: Version, new: Version, before, after, name) -> list[Change]:
    """Whose data a purpose processes, its own retention and its own security measures
    (issue 19); what its bases cover is worded from the declarations (change_walk)."""
    out = []
    if list(before.get("data_subjects") or ()) != list(after.get("data_subjects") or ()):
        out.append(Change(N_("Categories of data subjects for the purpose ‘%(purpose)s’: "
                             "%(old)s → %(new)s"), (
            name, ("old", Subjects(tuple(before.get("data_subjects") or ()),
                                   _own_subjects(old))),
            ("new", Subjects(tuple(after.get("data_subjects") or ()), _own_subjects(new))))))
    kept_before = {k["category"]: k for k in before.get("retention") or ()}
    kept_after = {k["category"]: k for k in after.get("retention") or ()}
    for category in [*kept_after, *(c for c in kept_before if c not in kept_after)]:
        was, now = (Retention.of(kept.get(category)) for kept in (kept_before, kept_after))
        if was != now:
            names = new.categories if category in new.categories else old.categories
            out.append(Change(N_("Retention period for %(category)s under the purpose "
                                 "‘%(purpose)s’: %(old)s → %(new)s"), (
                name, ("category", names[category]["name"]), ("old", was), ("new", now))))
    security = before.get("security"), after.get("security")
    if _changed(*security):
        out.append(Change(N_("Security measures for %(purpose)s: added") if security[0] is None
                          else N_("Security measures for %(purpose)s: removed")
                          if security[1] is None
                          else N_("Security measures for %(purpose)s: reworded"), (name,)))
    return out


def _changed(before, after) -> bool:
    """Whether two model values differ, as their fingerprints would (not where they are).
    The same object has not changed: a file repeated unchanged, or a piece of one
    (``validated_pieces``), is validated once, and its values are shared."""
    return before is not after and to_plain(before) != to_plain(after)


def _retention_changes(old: Version, new: Version) -> list[Change]:
    """A category's retention: its period and its criteria, both compared and both
    shown ("not stated" only where neither is)."""
    out = []
    for cid in (c for c in new.categories if c in old.categories):
        before, after = old.categories[cid], new.categories[cid]
        if before is after:
            continue
        kept = [Retention.of(c.get("retention")) for c in (before, after)]
        if kept[0] != kept[1]:
            if kept[0].criteria == kept[1].criteria:  # the period changed: the criteria
                kept = [Retention(k.period, None if k.period else k.criteria) for k in kept]
            out.append(Change(N_("Retention period for %(category)s: %(old)s → %(new)s"), (
                ("category", after["name"]), ("old", kept[0]), ("new", kept[1]))))
    return out


def _transfer_changes(old: Version, new: Version) -> list[Change]:
    def by_key(version: Version) -> dict:
        return {(t["recipient"], t["country"]): t
                for t in version.privacy["transfers"]["transfers"]}

    before, after = by_key(old), by_key(new)
    out = []
    for key, transfer in after.items():
        params = (("recipient", new.recipients[key[0]]["name"]), ("country", Country(key[1])))
        if key not in before:
            out.append(Change(N_("New transfer outside the EEA: %(recipient)s (%(country)s), "
                                 "on the basis of %(grounds)s"),
                              params + (("grounds", Grounds.of(transfer)),)))
            continue
        grounds = [derived.mechanisms(t) for t in (before[key], transfer)]
        types = [tuple(m["type"] for m in found) for found in grounds]
        if types[0] != types[1]:
            out.append(Change(N_("Safeguard for the transfer to %(recipient)s (%(country)s): "
                                 "%(old)s → %(new)s"), params + (
                ("old", Label("mechanism", types[0])), ("new", Label("mechanism", types[1])))))
        elif _changed(grounds[0], grounds[1]) or _changed(before[key].get("copy_how"),
                                                          transfer.get("copy_how")):
            out.append(Change(N_("The safeguards named for the transfer to %(recipient)s "
                                 "(%(country)s) were changed"), params))
    for key in before:
        if key not in after:
            out.append(Change(N_("Transfer outside the EEA ended: %(recipient)s (%(country)s)"),
                              (("recipient", old.recipients[key[0]]["name"]),
                               ("country", Country(key[1])))))
    return out


def _party_changes(old: Version, new: Version) -> list[Change]:
    """A recipient's role or country, as the page shows them (issue 19); the supervisory
    authority the page names is compared in ``change_walk``."""
    out = []
    for ident, after in new.recipients.items():
        before = old.recipients.get(ident)
        if before is None or before is after:
            continue
        name = ("recipient", after["name"])
        if before["role"] != after["role"]:
            out.append(Change(N_("Role of %(recipient)s: %(old)s → %(new)s"), (
                name, ("old", Label("role", (before["role"],))),
                ("new", Label("role", (after["role"],))))))
        if before["country"] != after["country"]:
            out.append(Change(N_("Where %(recipient)s processes the data: %(old)s → %(new)s"),
                              (name, ("old", Country(before["country"])),
                               ("new", Country(after["country"])))))
    return out


def cookie_changes(old: Version, new: Version) -> list[Change]:
    changes = _added_removed(old, new, "cookies", N_("New cookie: %(name)s"),
                             N_("Cookie removed: %(name)s"), lambda version, key: key)
    for name in (n for n in new.cookies if n in old.cookies):
        before, after = old.cookies[name], new.cookies[name]
        if before is after:
            continue
        if before["expiry"] != after["expiry"]:
            changes.append(Change(N_("Expiry of cookie %(name)s: %(old)s → %(new)s"), (
                ("name", name), ("old", Duration(before["expiry"])),
                ("new", Duration(after["expiry"])))))
        if before["category"] != after["category"]:
            changes.append(Change(N_("Category of cookie %(name)s: %(old)s → %(new)s"), (
                ("name", name), ("old", Label("cookie_category", (before["category"],))),
                ("new", Label("cookie_category", (after["category"],))))))
        if before["provider"] != after["provider"]:
            changes.append(Change(N_("Provider of cookie %(name)s: %(old)s → %(new)s"), (
                ("name", name), ("old", before["provider"]), ("new", after["provider"]))))
        if _changed(before["purpose"], after["purpose"]):
            changes.append(Change(N_("What cookie %(name)s is for was reworded"),
                                  (("name", name),)))
        if before["consent_required"] != after["consent_required"]:
            message = (N_("Consent is now required for cookie %(name)s")
                       if after["consent_required"]
                       else N_("Consent is no longer required for cookie %(name)s"))
            changes.append(Change(message, (("name", name),)))
    before, after = (v.cookie_statement.get("settings_link") for v in (old, new))
    if _changed(before, after):
        changes.append(Change(
            N_("The consent section now links to the cookie settings") if before is None else
            N_("The consent section no longer links to the cookie settings") if after is None
            else N_("The link to the cookie settings was changed")))
    return changes


def document_changes(document: str, old: Version, new: Version) -> list[Change]:
    """Every change of ``document``: the lines worded here and those the declarations
    give (``change_walk``)."""
    from generator.render import change_walk  # it builds on this module's wording
    return change_walk.document_changes(document, old, new)

