"""Small checks on text that readers and authors send."""


def is_number(text):
    """True for "42", False for "", "4.2", "-1" and digits of other scripts, such as "²"."""
    return text.isascii() and text.isdigit()


def display_name(user):
    """How the site names a member of staff: their full name, or else their username."""
    return user.get_full_name() or user.get_username()
