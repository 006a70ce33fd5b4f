"""On PostgreSQL, a post's checks run in one statement (comments/screening.py,
refuse_floods_and_duplicates): a function that gives up the post's place under the ceiling,
takes the locks that let one post at a time from a writer's email address and network
address check and store, and asks the seven questions. One round trip instead of two, and
the questions are planned once per connection rather than for every post."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION alsblog_check_post(
    given_up bigint, writer_lock integer, writer_key text, address_lock integer,
    address_key text, minute_ago timestamptz, ceiling integer, writer text,
    since timestamptz, address inet, on_article bigint, text_body text,
    approved_status text, pending_status text, waiting_cap integer
) RETURNS TABLE (
    last_minute bigint, same_email boolean, same_address boolean, already_posted boolean,
    approved_before boolean, wrote_before boolean, still_waiting bigint
) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- From the commit on, the comment stored counts under the ceiling in its place's stead.
    IF given_up IS NOT NULL THEN
        DELETE FROM comments_postinflight WHERE id = given_up;
    END IF;
    -- One post at a time from this email address, then from this network address, to the
    -- end of the transaction (email first everywhere: two posts never wait in a circle).
    PERFORM pg_advisory_xact_lock(writer_lock, hashtext(writer_key));
    IF address_key IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(address_lock, hashtext(address_key));
    END IF;
    -- Read afresh (a VOLATILE function, READ COMMITTED): what the post before committed
    -- while this one waited for its lock is seen.
    RETURN QUERY SELECT
        (SELECT COUNT(*) FROM (SELECT 1 FROM comments_comment WHERE created_at >= minute_ago
            AND NOT is_staff_reply LIMIT ceiling) AS recent),
        EXISTS (SELECT 1 FROM comments_comment WHERE email = writer AND created_at >= since),
        EXISTS (SELECT 1 FROM comments_comment WHERE ip_address = address
            AND created_at >= since),
        EXISTS (SELECT 1 FROM comments_comment WHERE email = writer
            AND article_id = on_article AND body = text_body),
        EXISTS (SELECT 1 FROM comments_comment WHERE email = writer AND NOT is_staff_reply
            AND status = approved_status),
        EXISTS (SELECT 1 FROM comments_comment WHERE email = writer AND NOT is_staff_reply),
        (SELECT COUNT(*) FROM (SELECT 1 FROM comments_comment WHERE email = writer
            AND NOT is_staff_reply AND status = pending_status LIMIT waiting_cap) AS pending);
END
$$;
"""
DROP = """
DROP FUNCTION IF EXISTS alsblog_check_post(
    bigint, integer, text, integer, text, timestamptz, integer, text, timestamptz, inet,
    bigint, text, text, text, integer
);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("comments", "0012_take_a_place_in_one_statement")]

    operations = [migrations.RunPython(create, drop)]
