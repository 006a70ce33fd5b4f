"""Who may do what with an article, in one place for the admin and the public pages."""

from articles.models import Article


def can_publish(user):
    """Editors publish, schedule and edit every article; Authors only draft their own."""
    return user.has_perm("articles.publish_article")


def can_edit(user, article):
    if not user.has_perm("articles.change_article"):
        return False
    if can_publish(user):
        return True
    # An Author edits their own article until it is published or scheduled (while it waits
    # for review too: it keeps waiting); then it is the editors' to change, so nothing
    # reaches readers without an editor's say.
    unpublished = (article.Status.DRAFT, article.Status.REVIEW)
    return article.author_id == user.pk and article.status in unpublished


def can_submit(user, article):
    """Whoever may change a draft may submit it for review (the Authors' way to say "ready")."""
    return article.status == article.Status.DRAFT and can_edit(user, article)


def can_send_back(user, article):
    """Only editors send a waiting article back to its author."""
    return article.status == article.Status.REVIEW and can_publish(user)


def can_preview(user, article):
    """Staff who may see `article` in the admin may also see it on its real page."""
    if not (user.is_active and user.is_staff and user.has_perm("articles.view_article")):
        return False
    return can_publish(user) or article.author_id == user.pk


def can_change_image(user, image):
    """Editors change any image; an Author only their own, while no reader can see it.

    An image on a published article is part of what readers see, and only editors change
    that.
    """
    if not user.has_perm("articles.change_image"):
        return False
    if can_publish(user):
        return True
    return (
        image.uploaded_by_id == user.pk and not Article.objects.showing(image).published().exists()
    )
