import pytest

from articles.sanitize import sanitize_body

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="/media/images/a.jpg" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example"><input name="password"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<details open ontoggle="alert(1)">x</details>',
    "<p><scr<script>ipt>alert(1)</scr</script>ipt></p>",
    "<!--<script>alert(1)</script>-->",
    '<img src="https://tracker.example/pixel.gif" alt="tracker">',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">',
    '<img src="/media/../etc/passwd" alt="escape">',
    '<a href="https://example.org" target="_blank" onmouseover="alert(1)">ok</a>',
    '<p><a href="vbscript:msgbox(1)">vb</a></p>',
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markup_loses_everything_that_could_run(payload, settings):
    cleaned = sanitize_body(payload).lower()
    for danger in ("<script", "javascript:", "vbscript:", "data:", "onerror", "onload", "onclick",
                   "onmouseover", "ontoggle", "<iframe", "<object", "<embed", "<form", "<meta",
                   "<base", "<link", "<style", "style=", "tracker.example", "../"):  # fmt: skip
        assert danger not in cleaned, (payload, cleaned)


def test_ordinary_formatting_survives():
    html = (
        "<h2>Results</h2><p><strong>Bold</strong>, <em>italic</em> and "
        '<a href="https://example.org/study">a link</a>.</p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>quote</p></blockquote>"
    )
    cleaned = sanitize_body(html)
    for kept in ("<h2>Results</h2>", "<strong>Bold</strong>", "<em>italic</em>", "<ul>", "<ol>",
                 "<blockquote>", 'href="https://example.org/study"'):  # fmt: skip
        assert kept in cleaned


def test_links_cannot_reach_back_to_the_page_that_opened_them():
    cleaned = sanitize_body('<a href="https://example.org">x</a>')
    assert 'rel="noopener noreferrer"' in cleaned


def test_images_from_the_library_are_kept_with_their_alt_text():
    cleaned = sanitize_body('<figure><img src="/media/images/a.jpg" alt="A lab" data-file="3">'
                            "<figcaption>Our lab</figcaption></figure>")  # fmt: skip
    assert '<img src="/media/images/a.jpg" alt="A lab" data-file="3">' in cleaned
    assert "<figcaption>Our lab</figcaption>" in cleaned


def test_a_top_level_heading_in_the_body_becomes_a_section_heading():
    assert sanitize_body("<h1>Big</h1>") == "<h2>Big</h2>"


def test_an_empty_editor_leaves_an_empty_body():
    assert sanitize_body("<p></p>") == ""
    assert sanitize_body(None) == ""
