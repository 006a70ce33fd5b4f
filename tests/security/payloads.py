"""Hostile input for every field people fill in: 60+ ways to try to run script in a page.

Each is sent as it is; none may execute, inject an element with an on* attribute or a
javascript: link, and (in readers' fields) what was typed must stay readable.
"""

PAYLOADS = [
    # Script elements, plain and disguised
    "<script>alert('xss-1')</script>",
    "<SCRIPT>alert('xss-2')</SCRIPT>",
    "<script src=//evil.example/x.js></script>",
    "<scr<script>ipt>alert('xss-3')</scr</script>ipt>",
    "<script\n>alert('xss-4')</script\n>",
    "</textarea><script>alert('xss-5')</script>",
    "</title><script>alert('xss-6')</script>",
    "'\"><script>alert('xss-7')</script>",
    "<!--<script>alert('xss-8')</script>-->",
    "<![CDATA[<script>alert('xss-9')</script>]]>",
    # Event handlers
    "<img src=x onerror=alert('xss-10')>",
    "<img src=x onerror=\"alert('xss-11')\">",
    "<img/src=x/onerror=alert('xss-12')>",
    "<body onload=alert('xss-13')>",
    "<div onmouseover=\"alert('xss-14')\">hover me</div>",
    "<input autofocus onfocus=alert('xss-15')>",
    "<details open ontoggle=alert('xss-16')>",
    "<video><source onerror=\"alert('xss-17')\"></video>",
    "<audio src=x onerror=alert('xss-18')>",
    "<marquee onstart=alert('xss-19')>moving</marquee>",
    "<select autofocus onfocus=alert('xss-20')>",
    "<iframe onload=alert('xss-21')></iframe>",
    "\" onmouseover=\"alert('xss-22')",
    "' autofocus onfocus='alert(\"xss-23\")",
    # javascript:, data: and other URL tricks
    "<a href=\"javascript:alert('xss-24')\">click</a>",
    "<a href=\"JaVaScRiPt:alert('xss-25')\">click</a>",
    "<a href=\"jav&#x09;ascript:alert('xss-26')\">click</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert('xss-27')\">x</a>",
    "<a href=\" javascript:alert('xss-28')\">leading space</a>",
    "javascript:alert('xss-29')",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTMwJyk8L3NjcmlwdD4=">d</a>',
    "<iframe src=\"data:text/html,<script>alert('xss-31')</script>\"></iframe>",
    "<object data=\"javascript:alert('xss-32')\"></object>",
    "<embed src=\"javascript:alert('xss-33')\">",
    "<form action=\"javascript:alert('xss-34')\"><button>go</button></form>",
    "<a href=\"vbscript:msgbox('xss-35')\">vb</a>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'xss-36\')">',
    "<base href=\"javascript:alert('xss-37')//\">",
    "<link rel=stylesheet href=\"javascript:alert('xss-38')\">",
    # SVG and MathML
    "<svg onload=alert('xss-39')>",
    "<svg><script>alert('xss-40')</script></svg>",
    "<svg><a xlink:href=\"javascript:alert('xss-41')\"><text y=20>x</text></a></svg>",
    "<svg><animate onbegin=alert('xss-42') attributeName=x dur=1s>",
    "<svg><foreignObject><img src=x onerror=alert('xss-43')></foreignObject></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-44')>",
    "<math href=\"javascript:alert('xss-45')\">click</math>",
    # Broken and nested tags, parser confusion
    "<<img src=x onerror=alert('xss-46')>",
    '<img src="x" alt=""" onerror=alert(\'xss-47\')>',
    "<div><p><b><i><u><s>deeply <em>nested</em></s></u></i></b></p></div>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss-48')>\">",
    "<style>@import 'javascript:alert(\"xss-49\")';</style>",
    "<p style=\"background:url(javascript:alert('xss-50'))\">styled</p>",
    "<template><img src=x onerror=alert('xss-51')></template>",
    "<textarea><script>alert('xss-52')</script></textarea>",
    # Entities, encodings and template syntax
    "&lt;script&gt;alert('xss-53')&lt;/script&gt;",
    "&#60;script&#62;alert('xss-54')&#60;/script&#62;",
    "%3Cscript%3Ealert('xss-55')%3C/script%3E",
    "\\u003cscript\\u003ealert('xss-56')\\u003c/script\\u003e",
    "{{ 7*7 }} {% csrf_token %} ${alert('xss-57')}",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;('xss-58')>",
    # Long words, right-to-left overrides, odd Unicode
    "A" * 3000,
    "supercalifragilistic" * 80,
    "Reversed: \u202egnp.exe\u202c and isolated \u2067mixed\u2069 text",
    "Zero\u200bwidth\u200cjoiners\u200d and \ufeffBOM",
    "Emoji and scripts: 🧬 عربى 中文 हिन्दी ñandú",
    "Line one\nLine two\r\nLine three\n\n\nFar below",
]


# Text a person can see in each payload as typed, for "stays readable" checks: the payload
# with runs of whitespace folded, as HTML shows it.
def visible(payload):
    return " ".join(payload.split())
