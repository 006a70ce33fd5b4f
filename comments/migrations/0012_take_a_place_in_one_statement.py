"""On PostgreSQL, a post takes its place under the site-wide ceiling in one statement
(comments/screening.py, place_under_the_ceiling): a function that takes the ceiling's lock,
counts and inserts, so that the lock is held inside the database for microseconds, never
across a round trip to an app server that may be busy with other work."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION alsblog_take_place(
    lock_key bigint, ceiling integer, taken timestamptz, since timestamptz,
    stale timestamptz, wait_for_disk boolean
) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    place bigint;
BEGIN
    -- One post at a time from here to the end of its transaction. Each statement below
    -- reads afresh (a VOLATILE function, READ COMMITTED): it sees what the post before
    -- committed while this one waited.
    PERFORM pg_advisory_xact_lock(lock_key);
    IF NOT wait_for_disk THEN  -- a place lost in a crash only counts a minute too long
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
    IF (SELECT COUNT(*) FROM (SELECT 1 FROM comments_comment
            WHERE created_at >= since AND NOT is_staff_reply LIMIT ceiling) AS stored)
       + (SELECT COUNT(*) FROM (SELECT 1 FROM comments_postinflight
            WHERE taken_at >= since LIMIT ceiling) AS posting) >= ceiling THEN
        RETURN NULL;
    END IF;
    INSERT INTO comments_postinflight (taken_at) VALUES (taken) RETURNING id INTO place;
    DELETE FROM comments_postinflight WHERE taken_at < stale;
    RETURN place;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS alsblog_take_place(bigint, integer, timestamptz, timestamptz, timestamptz, boolean);"  # noqa: E501


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("comments", "0011_post_in_flight")]

    operations = [migrations.RunPython(create, drop)]
