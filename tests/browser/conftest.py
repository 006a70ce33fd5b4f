import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.screens import SCREENS

PASSWORD = "a-long-test-password"


def sign_in(tab, user):
    """Log `user` in on `tab` through the admin's login form, as a person would."""
    tab.goto("/admin/login/")
    tab.fill("#id_username", user.username)
    tab.fill("#id_password", PASSWORD)
    tab.click("input[type=submit]")
    tab.wait_for_selector("#site-name")
    return tab


def open_as(browser, live_server, user, screen):
    """A tab of its own, at one of SCREENS, with `user` logged in."""
    context = browser.new_context(base_url=live_server.url, **SCREENS[screen])
    context.set_default_timeout(15_000)
    return sign_in(context.new_page(), user)


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Browser tests use committed data: each starts with what the migrations seed."""


@pytest.fixture
def log_in(page):
    """Log `user` in through the admin's login form, as a person would."""

    def log_in_as(user):
        return sign_in(page, user)

    return log_in_as


@pytest.fixture
def log_out(page):
    def log_out_now():
        page.goto("/admin/")
        page.click("#logout-form button")
        page.wait_for_load_state()

    return log_out_now


@pytest.fixture(scope="session")
def axe():
    return Axe()


def violations_report(results):
    return "\n".join(
        f"{violation['id']}: {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
    )
