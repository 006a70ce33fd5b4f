"""The sources an article cites: how a DOI or a web address is checked, and where it links.

A DOI is the stable name of a paper (Crossref's advice: "10.", a registrant code of 4 to 9
digits, a slash, then the item's own suffix); readers follow it through https://doi.org/.
Editors often paste it as a link or with a "doi:" prefix, so those are taken off first.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
DOI_RESOLVER = "https://doi.org/"

_web_address = URLValidator(schemes=["http", "https"])


def normalise_doi(value):
    """`value` as a bare DOI: without a doi.org address or a "doi:" in front of it."""
    return DOI_PREFIXES.sub("", (value or "").strip()).strip()


def validate_doi(value):
    if not DOI.match(value):
        raise ValidationError(
            "Enter a DOI such as 10.1056/NEJMoa2204705: it starts with “10.”, then numbers, "
            "a slash and the rest, with no spaces.",
            code="invalid_doi",
        )


def validate_web_address(value):
    try:
        _web_address(value)
    except ValidationError:
        raise ValidationError(
            "Enter a full web address starting with https:// (or http://), "
            "e.g. https://www.nejm.org/doi/full/10.1056/NEJMoa2204705.",
            code="invalid_web_address",
        ) from None


def doi_link(doi):
    return f"{DOI_RESOLVER}{doi}"
