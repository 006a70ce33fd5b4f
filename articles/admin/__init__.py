"""The articles' desks in the Django admin, one module each.

articles.py   the article list and an article's page      forms.py   the forms they use
revisions.py  autosave, the colleague warning, compare and restore
workflow.py   submit for review, the waiting list, send back
dates.py      the publish time in words, review dates     library.py pictures, categories, tags
"""

# Importing each module registers its admins with the admin site.
from articles.admin import articles, library  # noqa: F401
