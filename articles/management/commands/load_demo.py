from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.demo_art import draw_illustration
from articles.demo_content import ARTICLES, STAFF
from articles.models import Article, Category, Image, Tag
from comments import demo as demo_comments


class Command(BaseCommand):
    help = (
        "Load the demo staff accounts and articles. Running it again adds nothing twice. "
        "Refuses to run unless DEBUG is on (or --force): it sets known passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="load the demo even though DEBUG is off"
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo sets published passwords on staff accounts, so it only runs with "
                "DEBUG=1 (as under `make run`). Use --force if you really mean it."
            )
        with transaction.atomic():
            staff = self.load_staff()
            created = sum(self.load_article(entry, staff) for entry in ARTICLES)
            comments = demo_comments.load(moderator=staff["moderator"])
        self.stdout.write(
            f"Demo content ready: {created} article(s) and {comments} comment(s) added."
        )
        self.stdout.write("")
        self.stdout.write(f"Demo staff logins for {settings.SITE_URL}/admin/ :")
        for username, _first, _last, group, password in STAFF:
            self.stdout.write(f"  {group[:-1]:<10} {username:<10} password: {password}")

    def load_staff(self):
        users = {}
        User = get_user_model()
        for username, first, last, group_name, password in STAFF:
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                },
            )
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group_name))
            users[username] = user
        return users

    def load_article(self, entry, staff):
        if Article.objects.filter(slug=entry["slug"]).exists():
            return False
        image = Image(
            title=entry["title"],
            alt_text=entry["image_alt"],
            caption=entry["image_caption"],
            credit="Illustration: ALS Research News",
            uploaded_by=staff[entry["author"]],
        )
        art = draw_illustration(entry["motif"], seed=len(entry["slug"]))
        image.file = ContentFile(art, name="illustration.jpg")
        image.save()
        days_ago = entry["days_ago"]
        article = Article.objects.create(
            slug=entry["slug"],
            title=entry["title"],
            author=staff[entry["author"]],
            category=Category.objects.get(slug=entry["category"]),
            summary=entry["summary"],
            body=entry["body"].strip(),
            image=image,
            status=Article.Status.DRAFT if days_ago is None else Article.Status.PUBLISHED,
            publish_at=None if days_ago is None else timezone.now() - timedelta(days=days_ago),
        )
        for name in entry["tags"]:
            tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
            article.tags.add(tag)
        return True
