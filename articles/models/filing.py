"""Where an article is filed: its category and its tags."""

from django.db import models
from django.urls import reverse


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Shown at the top of the category page.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})

    @property
    def surrogate_key(self):
        """What its page answers to in a front cache (pagecache/keys.py)."""
        return f"{self._meta.model_name}-{self.pk}"


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})

    @property
    def surrogate_key(self):
        """What its page answers to in a front cache (pagecache/keys.py)."""
        return f"{self._meta.model_name}-{self.pk}"
