import pytest
from axe_playwright_python.sync_playwright import Axe

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Browser tests use committed data: each starts with what the migrations seed."""


@pytest.fixture
def log_in(page):
    """Log `user` in through the admin's login form, as a person would."""

    def log_in_as(user):
        page.goto("/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#site-name")
        return page

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
