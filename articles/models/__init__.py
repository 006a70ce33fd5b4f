"""The articles app's models, one module each: the article, where it is filed, its
picture, its sources, its review steps and its revisions.

`save()` only stores: every change goes through articles/publishing.py, articles/workflow.py
or articles/autosave.py.
"""

from articles.models.article import (
    BODY_EXTENSIONS,
    LISTS_KEY,
    SEARCH_DOCUMENT_SQL,
    SEARCH_MAX_RESULTS,
    Article,
    ArticleQuerySet,
    body_field,
    search_document,
)
from articles.models.filing import Category, Tag
from articles.models.picture import Image
from articles.models.revision import Presence, Revision
from articles.models.source import Source
from articles.models.workflow import NOTE_MAX_LENGTH, ReviewStep

__all__ = [
    "BODY_EXTENSIONS", "LISTS_KEY", "SEARCH_DOCUMENT_SQL", "SEARCH_MAX_RESULTS", "NOTE_MAX_LENGTH",
    "Article", "ArticleQuerySet", "Category", "Image", "Presence", "ReviewStep", "Revision",
    "Source", "Tag", "body_field", "search_document",
]  # fmt: skip
