"""The comments' desks in the Django admin, one module each.

comments.py   the queue and each comment's page      desk.py   the steps moderators take
forms.py      the forms those pages use               filters.py  the queue's filters
personal_data.py  export or erase an address's data   alerts.py   a moderator's own alerts
log.py        the moderation log                      lists.py  saved replies, reasons,
                                                                  flag categories, blocked words
"""

# Importing each module registers its admins with the admin site.
from comments.admin import comments, lists, log  # noqa: F401
