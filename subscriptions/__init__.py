"""What readers subscribe to by email: the monthly newsletter and the weekly digest.

Double opt-in: a sign-up only asks; the confirmation email's link, and a press of its
button, makes it real. Every email to a subscriber carries a one-click unsubscribe and a link
to a page where they manage their lists without logging in. Mail goes through the outbox.
"""
