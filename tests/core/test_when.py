"""Publish times in words, in a named zone, as an editor reads them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import when

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
# Tuesday 1 December 2026, 10:00 in London (and in UTC).
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def london(*args):
    return datetime(*args, tzinfo=LONDON)


def test_a_time_in_two_days_is_confirmed_with_its_day_clock_and_city():
    words = when.in_words(london(2026, 12, 3, 9, 0), LONDON, NOW)
    assert words == "Publishes on Thursday 3 December at 09:00, London time; that is in 2 days"


def test_a_time_later_today_says_today_and_how_many_hours():
    words = when.in_words(london(2026, 12, 1, 13, 30), LONDON, NOW)
    assert words.endswith("Tuesday 1 December at 13:30, London time; that is today, in 3 hours")


def test_a_time_tomorrow_says_tomorrow():
    words = when.in_words(london(2026, 12, 2, 8, 0), LONDON, NOW)
    assert words.endswith("that is tomorrow, in 22 hours")


def test_a_time_minutes_away_counts_the_minutes():
    assert when.in_words(NOW + timedelta(minutes=5), LONDON, NOW).endswith("that is in 5 minutes")
    assert when.in_words(NOW + timedelta(minutes=1), LONDON, NOW).endswith("that is in 1 minute")
    assert when.in_words(NOW + timedelta(seconds=20), LONDON, NOW).endswith(
        "that is in less than a minute"
    )


def test_a_past_time_says_published_and_how_long_ago():
    words = when.in_words(NOW - timedelta(hours=3), LONDON, NOW)
    assert words == "Published on Tuesday 1 December at 07:00, London time; that was 3 hours ago"
    assert when.in_words(NOW - timedelta(days=1, hours=2), LONDON, NOW).endswith(
        "that was yesterday, 26 hours ago"
    )
    assert when.in_words(NOW - timedelta(days=9), LONDON, NOW).endswith("that was 9 days ago")
    assert when.in_words(NOW - timedelta(seconds=10), LONDON, NOW).endswith("that was just now")


def test_another_year_is_named_and_far_times_count_months_then_years():
    words = when.in_words(london(2027, 3, 1, 9, 0), LONDON, NOW)
    assert words.startswith("Publishes on Monday 1 March 2027 at 09:00, London time")
    assert words.endswith("that is in 3 months")
    assert when.in_words(NOW - timedelta(days=800), LONDON, NOW).endswith("that was 2 years ago")


def test_the_same_moment_reads_in_the_zone_of_whoever_looks():
    moment = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert "Thursday 3 December at 09:00, London time" in when.in_words(moment, LONDON, NOW)
    assert "Thursday 3 December at 04:00, New York time" in when.in_words(moment, NEW_YORK, NOW)
    assert "Thursday 3 December at 20:00, Sydney time" in when.in_words(moment, SYDNEY, NOW)


def test_today_and_tomorrow_are_the_days_of_the_zone_not_of_the_server():
    # 23:30 UTC on 1 December is already 2 December in Sydney (UTC+11).
    evening = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    moment = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert when.relative(moment, LONDON, evening) == "today, in 1 hour"
    assert when.relative(moment, SYDNEY, evening) == "today, in 1 hour"
    late = datetime(2026, 12, 1, 12, 30, tzinfo=UTC)  # 23:30 in Sydney
    assert when.relative(late + timedelta(hours=2), SYDNEY, late) == "tomorrow, in 2 hours"
    assert when.relative(late + timedelta(hours=2), LONDON, late) == "today, in 2 hours"


def test_across_the_spring_change_of_clocks_the_wall_time_is_kept():
    # London goes from 01:00 GMT to 02:00 BST on Sunday 29 March 2026.
    before = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    moment = london(2026, 3, 29, 9, 0)  # 08:00 UTC
    assert moment.utcoffset() == timedelta(hours=1)
    words = when.in_words(moment, LONDON, before)
    assert "Sunday 29 March at 09:00, London time" in words
    assert words.endswith("that is tomorrow, in 20 hours")  # one hour fewer than the clock says


def test_across_the_autumn_change_of_clocks_the_wall_time_is_kept():
    # New York goes from 02:00 EDT back to 01:00 EST on Sunday 1 November 2026.
    before = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 12:00 EDT
    moment = datetime(2026, 11, 1, 14, 0, tzinfo=UTC)  # 09:00 EST
    words = when.in_words(moment, NEW_YORK, before)
    assert "Sunday 1 November at 09:00, New York time" in words
    assert words.endswith("that is tomorrow, in 22 hours")


def test_zones_are_named_as_people_know_them():
    assert when.zone_label(ZoneInfo("America/New_York")) == "New York time"
    assert when.zone_label(ZoneInfo("America/Argentina/Buenos_Aires")) == "Buenos Aires time"
    assert when.zone_label(ZoneInfo("UTC")) == "UTC"
    assert when.zone_label(ZoneInfo("Etc/GMT+5")) == "GMT+5"


def test_the_exact_time_carries_the_offset():
    assert when.exact(NOW, NEW_YORK) == (
        "Tuesday 1 December 2026, 05:00:00 New York time (UTC-05:00)"
    )


@pytest.mark.parametrize("name", ["", "Mars/Olympus_Mons", "../../etc/passwd", None])
def test_an_unknown_zone_name_is_no_zone(name):
    assert when.zone_named(name) is None


def test_the_common_zones_come_first_the_sites_own_at_the_top(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    common = when.common_zone_names()
    assert common[0] == "Asia/Tokyo"
    assert "Europe/London" in common
    assert len(common) == len(set(common))
