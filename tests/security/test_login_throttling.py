"""Repeated failed logins lock that address out, with a clear page and a way to unlock."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("admin:login")


def attempt(client, username, password="wrong-password", address="203.0.113.5"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )  # fmt: skip


def test_ten_wrong_passwords_lock_the_address_out_with_a_clear_message(client):
    make_user(group="Editors", username="daniel")
    for _ in range(9):
        assert attempt(client, "daniel").status_code == 200  # the form again, with its error
    response = attempt(client, "daniel")
    assert response.status_code == 429
    assertContains(response, "Too many failed logins", status_code=429)
    assertContains(response, "Try again in 30 minutes", status_code=429)


def test_trying_many_names_from_one_address_is_locked_out_too(client):
    for number in range(10):
        attempt(client, f"guess{number}")
    make_user(group="Editors", username="daniel")
    assert attempt(client, "daniel", "a-long-test-password").status_code == 429


def test_a_locked_address_stays_locked_even_with_the_right_password(client):
    make_user(group="Editors", username="daniel")
    for _ in range(10):
        attempt(client, "daniel")
    response = attempt(client, "daniel", password="a-long-test-password")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_applies_to_that_address_not_to_the_staff_member_elsewhere(client):
    make_user(group="Editors", username="daniel")
    for _ in range(10):
        attempt(client, "daniel", address="203.0.113.5")
    response = attempt(client, "daniel", "a-long-test-password", address="198.51.100.9")
    assert response.status_code == 302


def test_an_editor_unlocks_an_address_in_the_admin(client):
    make_user(group="Authors", username="amira")
    for _ in range(10):
        attempt(client, "amira")
    client.force_login(make_user(group="Editors"))
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assertContains(listing, "203.0.113.5")
    for row in AccessAttempt.objects.all():
        client.post(reverse("admin:axes_accessattempt_delete", args=[row.pk]), {"post": "yes"})
    client.logout()
    assert attempt(client, "amira", "a-long-test-password").status_code == 302


def test_a_successful_login_forgets_earlier_failures(client):
    make_user(group="Editors", username="daniel")
    for _ in range(9):
        attempt(client, "daniel")
    assert attempt(client, "daniel", "a-long-test-password").status_code == 302
    client.logout()
    for _ in range(9):
        assert attempt(client, "daniel").status_code == 200


def test_moderators_and_authors_cannot_unlock(client):
    for group in ("Moderators", "Authors"):
        client.force_login(make_user(group=group))
        assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_the_lockout_page_carries_the_sites_name(client):
    for _ in range(10):
        response = attempt(client, "someone")
    assertContains(response, "ALS Research News administration", status_code=429)
    assert b"Django administration" not in response.content
