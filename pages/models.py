"""The charity's details and the site's own pages (About, Contact, Privacy, Accessibility).

Both are staff's to edit in the admin, and change only through pages/editing.py.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from articles.models import body_field

PHONE = re.compile(r"^\+?[\d\s().-]+$")
PHONE_MIN_DIGITS = 7


def validate_phone(value):
    digits = re.sub(r"\D", "", value)
    if not PHONE.match(value) or len(digits) < PHONE_MIN_DIGITS:
        raise ValidationError(
            "Enter the number in digits, as readers would dial it, e.g. +1 800 555 0142 or "
            "(800) 555-0142: spaces, brackets, dashes and a leading + are fine, letters are not.",
            code="invalid_phone",
        )


class SiteDetails(models.Model):
    """Who runs the site and how to reach them: one row, shown in every page's footer."""

    SINGLETON = 1

    name = models.CharField(
        "charity name", max_length=200, help_text="The charity's full name, as registered."
    )
    registration = models.CharField(
        "registration number",
        max_length=200,
        blank=True,
        help_text="Shown as written, e.g. “Registered charity no. 1234567” or "
        "“A 501(c)(3) nonprofit, EIN 12-3456789”.",
    )
    helpline = models.CharField(
        "helpline phone number",
        max_length=40,
        blank=True,
        validators=[validate_phone],
        help_text="Readers on a phone can call it with one tap.",
    )
    helpline_hours = models.CharField(
        "helpline opening hours",
        max_length=200,
        blank=True,
        help_text="e.g. “Monday to Friday, 9 am to 5 pm Eastern time”.",
    )
    email = models.EmailField("contact email", blank=True)
    donate_url = models.URLField(
        "donation page",
        blank=True,
        help_text="The address of the charity's donation page: every page's header links to "
        "it as “Donate”. Empty: no Donate link.",
    )
    address = models.TextField(
        "postal address", max_length=500, blank=True, help_text="One line per line of the address."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "site details"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON  # one row, whatever path saves it
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The site's details: stored, or unsaved defaults when there are none yet."""
        return cls.objects.filter(pk=cls.SINGLETON).first() or cls(
            pk=cls.SINGLETON, name=settings.SITE_NAME
        )

    @property
    def helpline_link(self):
        """The helpline as a tel: address: its digits, and the + of an international number."""
        number = re.sub(r"[^\d+]", "", self.helpline)
        return f"tel:{number}" if number else ""

    @property
    def address_lines(self):
        return [line.strip() for line in self.address.splitlines() if line.strip()]


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_footer(self):
        return self.published().filter(in_footer=True)


class Page(models.Model):
    """One of the site's own pages, at a fixed address: /about/, /contact/ and so on."""

    class Address(models.TextChoices):
        ABOUT = "about", "/about/ (About us)"
        CONTACT = "contact", "/contact/ (Contact, with the site details below the text)"
        PRIVACY = "privacy", "/privacy/ (Privacy, with what the site stores below the text)"
        ACCESSIBILITY = "accessibility", "/accessibility/ (Accessibility statement)"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        "address",
        max_length=40,
        unique=True,
        choices=Address,
        help_text="Each address has one page; the Contact and Privacy pages add what the "
        "site knows (its details, what it stores) below your text.",
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence for search engines and link previews."
    )
    body = body_field(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="The order of the footer's links: lower numbers come first."
    )
    in_footer = models.BooleanField("linked from the footer", default=True)
    is_published = models.BooleanField(
        "published",
        default=True,
        help_text="Untick to take the page down: its address then answers “not found”, and "
        "the footer stops linking to it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:detail", kwargs={"slug": self.slug})
