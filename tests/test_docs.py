"""The README and docs/ name only what exists: commands, settings, files and pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").glob("*.md"))
EVERY = [README, *PAGES]
# How the settings module and the servers read the environment.
ENVIRONMENT = re.compile(
    r"""(?:environ(?:\.get)?[\[(]|env_bool\(|env_int\(|getenv\()\s*["'](\w+)["']"""
)
READERS = [
    ROOT / "alsblog" / "settings.py",
    ROOT / "alsblog" / "serve.py",
    ROOT / "gunicorn.conf.py",
]


def text(path):
    return path.read_text()


def environment_names():
    names = set()
    for reader in READERS:
        names |= set(ENVIRONMENT.findall(reader.read_text()))
    return names


def constants():
    """The names the project's own code sets at the top of a module (tests included)."""
    names = set()
    for module in ROOT.glob("[a-z]*/**/*.py"):
        if ".venv" not in module.parts:
            names |= set(re.findall(r"^([A-Z][A-Z0-9_]+) = ", module.read_text(), re.MULTILINE))
    return names


def test_the_readme_is_short_and_links_every_page_of_the_docs():
    readme = text(README)
    assert len(readme.splitlines()) <= 250
    for page in PAGES:
        assert f"](docs/{page.name}" in readme, f"the README does not link docs/{page.name}"


@pytest.mark.parametrize("page", EVERY, ids=lambda page: page.name)
def test_every_make_target_named_exists(page):
    makefile = text(ROOT / "Makefile")
    targets = set(re.findall(r"^([\w-]+):", makefile, re.MULTILINE))
    named = set(re.findall(r"`make ([\w-]+)", text(page)))
    assert named - targets == set()


@pytest.mark.parametrize("page", EVERY, ids=lambda page: page.name)
def test_every_management_command_named_exists(page):
    named = set(re.findall(r"manage\.py ([a-z_]+)", text(page)))
    assert named - set(get_commands()) == set()


@pytest.mark.parametrize("page", EVERY, ids=lambda page: page.name)
def test_every_setting_named_exists(page):
    """A name in capitals in backticks is a Django setting, a variable the settings read (or
    dj-database-url, for DATABASE_URL), or a constant of the project's code."""
    named = set(re.findall(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:=[^`]*)?`", text(page)))
    known = {name for name in dir(settings) if name.isupper()} | environment_names()
    known |= {"DATABASE_URL"} | constants()
    assert named - known == set()


@pytest.mark.parametrize("page", EVERY, ids=lambda page: page.name)
def test_every_file_and_page_linked_exists(page):
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text(page)):
        if target.startswith(("http://", "https://", "mailto:", "tel:", "sms:")):
            continue
        assert (page.parent / target).exists(), f"{page.name} links to {target}, which is missing"


@pytest.mark.parametrize("page", EVERY, ids=lambda page: page.name)
def test_every_module_named_exists(page):
    """A path in backticks that names a Python file or a folder of the project exists."""
    for path in re.findall(r"`((?:[a-z_]+/)+[a-z_0-9]*\.(?:py|html|js|css|toml|md))`", text(page)):
        assert (ROOT / path).exists(), f"{page.name} names {path}, which is missing"
