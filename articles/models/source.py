"""The sources an article cites, listed under it."""

from django.core.exceptions import ValidationError
from django.db import models

from articles import sources
from articles.models.article import Article


class Source(models.Model):
    """A paper, report or page an article is based on, listed under its body."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="sources")
    title = models.CharField(
        max_length=300, help_text="e.g. “Trial of antisense oligonucleotide tofersen for SOD1 ALS”."
    )
    publication = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where and when it appeared, e.g. “New England Journal of Medicine, 2022”.",
    )
    url = models.CharField(
        "web address",
        max_length=500,
        blank=True,
        validators=[sources.validate_web_address],
        help_text="Starting with https://. Leave empty if you give a DOI.",
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[sources.validate_doi],
        help_text="e.g. 10.1056/NEJMoa2204705. Readers are sent to https://doi.org/ and the DOI.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.url and not self.doi:
            raise ValidationError(
                {"url": "Give a web address or a DOI, so readers can find the source."}
            )

    @property
    def link(self):
        """Where readers go: the DOI's address when there is one (it outlives web pages)."""
        return sources.doi_link(self.doi) if self.doi else self.url
