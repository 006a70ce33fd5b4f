"""The demo's staff logins: one of each group, with passwords `make run` prints.

Never in production: `load_demo` refuses to run unless DEBUG is on.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

# (username, first name, last name, group, password)
STAFF = [
    ("author", "Amira", "Haddad", "Authors", "demo-author-2026"),
    ("editor", "Daniel", "Okafor", "Editors", "demo-editor-2026"),
    ("moderator", "Grace", "Lindqvist", "Moderators", "demo-moderator-2026"),
]


def load_staff():
    """Make (or reset) each demo login; return them by username."""
    users = {}
    User = get_user_model()
    for username, first, last, group_name, password in STAFF:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    return users
