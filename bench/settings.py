"""The production settings, plus one route: the "limit" the benchmark compares pages with."""

from alsblog.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
