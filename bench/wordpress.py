"""The WordPress importer on a generated export: 10,000 posts and 200,000 comments.

Run by `make bench` (or alone: `python bench/wordpress.py [--posts N]`). It writes the
export to a temporary folder, imports it into a fresh SQLite database in a child process,
and reports the time and the child's peak memory; the table goes into bench/results.md.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://old.example.org"
HEADER = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated</title><link>{SITE}</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{SITE}</wp:base_site_url><wp:base_blog_url>{SITE}</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>writer</wp:author_login>
<wp:author_email>writer@old.example.org</wp:author_email><wp:author_display_name>Writer</wp:author_display_name>
<wp:author_first_name>Wri</wp:author_first_name><wp:author_last_name>Ter</wp:author_last_name></wp:author>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>research</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name>Research</wp:cat_name></wp:category>
"""
PARAGRAPHS = (
    "Researchers followed a group of people living with ALS for two years and measured how "
    "quickly their symptoms changed.\n\nThe results suggest a slower decline for some, and a "
    "larger trial will now test the idea.\n\nWe will report again when the next results are in."
)


def write_export(path, posts, comments_per_post):
    comment_id = 1
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for number in range(1, posts + 1):
            day = f"2024-{(number % 12) + 1:02d}-{(number % 28) + 1:02d}"
            out.write(
                f"<item><title>Research update {number}</title>"
                f"<link>{SITE}/{day.replace('-', '/')}/research-update-{number}/</link>"
                f"<dc:creator>writer</dc:creator>"
                f"<content:encoded><![CDATA[{PARAGRAPHS}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{number}</wp:post_id><wp:post_date>{day} 09:00:00</wp:post_date>"
                f"<wp:post_date_gmt>{day} 09:00:00</wp:post_date_gmt>"
                f"<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>research-update-{number}</wp:post_name><wp:status>publish</wp:status>"
                f"<wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>"
                f"<wp:post_password></wp:post_password>"
                f'<category domain="category" nicename="research"><![CDATA[Research]]></category>'
            )
            first = comment_id
            for index in range(comments_per_post):
                parent = first + index - 1 if index % 3 else 0
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {comment_id}</wp:comment_author>"
                    f"<wp:comment_author_email>r{comment_id}@example.com</wp:comment_author_email>"
                    f"<wp:comment_author_url></wp:comment_author_url>"
                    f"<wp:comment_author_IP>192.0.2.7</wp:comment_author_IP>"
                    f"<wp:comment_date>{day} 10:00:00</wp:comment_date>"
                    f"<wp:comment_date_gmt>{day} 10:00:00</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[Thank you for this, it gives us hope. "
                    f"Is the trial open in our region?]]></wp:comment_content>"
                    f"<wp:comment_approved>{'1' if index % 10 else '0'}</wp:comment_approved>"
                    f"<wp:comment_type>comment</wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent>"
                    f"<wp:comment_user_id>0</wp:comment_user_id></wp:comment>"
                )
                comment_id += 1
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments-per-post", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="print, do not update results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.xml"
        write_export(export, args.posts, args.comments_per_post)
        size_mb = export.stat().st_size / 1e6
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{folder}/import.sqlite3",
            "MEDIA_ROOT": folder,
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        started = time.perf_counter()
        subprocess.run(
            [*manage, "import_wordpress", str(export), "-v0"],
            env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    comments = args.posts * args.comments_per_post
    table = (
        "| posts | comments | export MB | seconds | posts/s | comments/s | peak memory MB |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        f"| {args.posts:,} | {comments:,} | {size_mb:,.0f} | {seconds:,.0f} | "
        f"{args.posts / seconds:,.0f} | {comments / seconds:,.0f} | {peak_mb:,.0f} |\n"
    )
    print(table)
    if not args.no_write:
        update_results(table)


def update_results(table):
    results = ROOT / "bench" / "results.md"
    text = results.read_text() if results.exists() else ""
    heading = "## WordPress import"
    section = (
        f"{heading}\n\n`python bench/wordpress.py`: a generated export (one author, one "
        "category, classic-editor posts, threads of replies, one comment in ten pending) "
        "imported by `manage.py import_wordpress` into a fresh SQLite database, in one "
        "transaction; peak memory is the importing process's.\n\n" + table
    )
    if heading in text:
        before, _, rest = text.partition(heading)
        after = rest.split("\n## ", 1)
        text = before + section + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    results.write_text(text)


if __name__ == "__main__":
    main()
