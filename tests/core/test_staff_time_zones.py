"""Each member of staff works in the admin in their own time zone; readers stay in the site's."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.models import StaffPreferences
from tests.factories import NO_SOURCES, make_article, make_comment, make_user
from tests.visits import counting_queries, stored_for_everyone

pytestmark = pytest.mark.django_db

PAGE = "/admin/core/staffpreferences/time-zone/"
# 02:30 UTC on 10 March 2026: still 9 March in New York (UTC-5), already the 10th in London.
LATE_EVENING_IN_NEW_YORK = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)


def staff_in(zone, group="Editors"):
    user = make_user(group=group)
    if zone:
        StaffPreferences.objects.create(user=user, time_zone=zone)
    client = Client()
    client.force_login(user)
    return client


def preference_queries(queries):
    return [query for query in queries if "core_staffpreferences" in query["sql"]]


def test_a_staff_member_finds_their_time_zone_page_in_the_admins_user_tools():
    page = staff_in(None, group="Moderators").get("/admin/")
    assertContains(page, f'<a href="{PAGE}">Your time zone</a>')


def test_the_time_zone_page_starts_at_the_sites_zone_and_shows_the_time_there():
    page = staff_in(None).get(PAGE)
    assertContains(page, "You work in <strong>New York time</strong> (America/New_York)")
    assertContains(page, "there now")


def test_the_menu_offers_common_zones_first_then_every_zone_each_with_its_time_now():
    html = staff_in(None).get(PAGE).content.decode()
    common = html.index('<optgroup label="Common time zones">')
    every = html.index('<optgroup label="All time zones">')
    assert common < html.index('value="America/New_York"') < html.index('value="Europe/London"')
    assert html.index('value="Europe/London"') < every
    assert html.index('value="Pacific/Auckland"') > every
    assert "Europe/London, now " in html


def test_choosing_london_saves_it_and_the_page_then_speaks_london_time():
    client = staff_in(None)
    answer = client.post(PAGE, {"time_zone": "Europe/London"}, follow=True)
    assertContains(answer, "Saved: the admin now shows and takes times in London time.")
    assertContains(answer, "You work in <strong>London time</strong> (Europe/London)")
    assert StaffPreferences.objects.get().time_zone == "Europe/London"


def test_a_zone_that_does_not_exist_is_refused_with_a_message_next_to_the_menu():
    client = staff_in("Europe/London")
    answer = client.post(PAGE, {"time_zone": "Mars/Olympus_Mons"})
    assertContains(answer, "Choose a time zone from the list.")
    assert StaffPreferences.objects.get().time_zone == "Europe/London"


def test_readers_cannot_open_the_time_zone_page():
    reader = Client()
    reader.force_login(make_user())
    assert reader.get(PAGE).status_code == 302  # to the admin's login


def test_the_article_list_shows_publish_times_in_the_editors_zone():
    make_article(title="Summer news", publish_at=datetime(2026, 6, 15, 8, 0, tzinfo=UTC))
    changelist = reverse("admin:articles_article_changelist")
    assertContains(staff_in("Europe/London").get(changelist), "June 15, 2026, 9 a.m.")
    assertContains(staff_in(None).get(changelist), "June 15, 2026, 4 a.m.")


def test_a_publish_time_typed_by_an_editor_in_london_is_london_time():
    article = make_article()
    form = {
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "category": article.category_id,
        "status": "published",
        "publish_at_0": "2027-07-01",
        "publish_at_1": "09:00",
        "comments_open": "on",
        **NO_SOURCES,
    }
    change = reverse("admin:articles_article_change", args=[article.pk])
    staff_in("Europe/London").post(change, form)
    article.refresh_from_db()
    assert article.publish_at == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)  # 09:00 BST


def test_staff_reading_the_public_site_see_it_in_the_sites_zone():
    article = make_article(publish_at=LATE_EVENING_IN_NEW_YORK)
    page = staff_in("Europe/London").get(article.get_absolute_url())
    assertContains(page, "March 9, 2026")
    assertNotContains(page, "March 10, 2026")


def test_a_staff_members_zone_never_reaches_the_page_stored_for_everyone():
    article = make_article(publish_at=LATE_EVENING_IN_NEW_YORK)
    make_comment(article, body="Thank you.")
    london = staff_in("Europe/London")
    assertContains(london.get(reverse("admin:articles_article_changelist")), "March 10, 2026")
    # The next request on the same thread is a reader's, whose page the cache keeps.
    page = Client().get(article.get_absolute_url())
    assert stored_for_everyone(page)
    assertContains(page, "March 9, 2026")
    assertContains(page, "New York time")
    assertNotContains(page, "London time")


def test_the_zone_costs_an_admin_page_one_query_and_a_public_page_none():
    article = make_article()
    london = staff_in("Europe/London")
    with counting_queries() as admin_page:
        london.get(reverse("admin:articles_article_changelist"))
    with counting_queries() as public_page:
        london.get(article.get_absolute_url())
    assert len(preference_queries(admin_page)) == 1
    assert preference_queries(public_page) == []


def test_the_login_page_asks_nothing_about_zones():
    with counting_queries() as login_page:
        Client().get("/admin/login/")
    assert preference_queries(login_page) == []


def test_a_reader_signed_in_who_opens_the_admin_costs_no_zone_query():
    reader = Client()
    reader.force_login(make_user())
    with counting_queries() as admin_page:
        reader.get("/admin/")
    assert preference_queries(admin_page) == []


def test_an_editor_previewing_a_scheduled_article_reads_its_time_with_the_sites_zone_named():
    article = make_article(publish_at=datetime(2030, 7, 1, 8, 0, tzinfo=UTC))
    page = staff_in("Europe/London").get(article.get_absolute_url())
    assertContains(page, "This article is scheduled for <time")
    assertContains(page, "July 1, 2030 at 4:00 a.m., New York time</time>")
