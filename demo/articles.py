"""The demo site's articles, loaded by `manage.py load_demo` (and so `make run`)."""

TOFERSEN_SLUG = "tofersen-sod1-als-regaining-function"
CAREGIVING_SLUG = "caring-for-the-carer-small-things-that-help"

# Each article: slug, title, category slug, author username, days ago it was published
# (negative: scheduled that many days ahead; None: a draft), illustration, tags, summary, body.
ARTICLES = [
    {
        "slug": TOFERSEN_SLUG,
        "title": "Tofersen in everyday care: some people with SOD1-ALS are getting stronger",
        "category": "research",
        "author": "editor",
        "days_ago": 2,
        "motif": "neurons",
        "image_alt": "Glowing points joined by fine lines, like a network of nerve cells",
        "image_caption": "Tofersen lowers the toxic SOD1 protein that damages motor neurons.",
        "tags": ["SOD1", "tofersen", "genetics"],
        "summary": "Doctors in St. Louis followed seven people treated with tofersen (Qalsody) "
        "outside a trial. Their disease slowed sharply, and most of them regained strength.",
        "body": """
<p>For as long as ALS has had treatments, the best anyone has hoped for is to slow it down. Abilities that had already been lost were considered lost for good, and clinic visits were mostly about adapting to decline.</p>
<p>Reports from doctors who treat people with SOD1-ALS are starting to change that picture. Several teams have now seen patients on tofersen, sold as Qalsody, hold steady for long stretches, and some of them measurably improve.</p>
<h2>What tofersen is</h2>
<p>Tofersen is an antisense medicine made for the small group of people whose ALS is caused by a change in the <em>SOD1</em> gene. It is given by lumbar puncture, into the fluid around the spinal cord, and it cuts the amount of harmful SOD1 protein that nerve cells produce. The U.S. Food and Drug Administration approved it for SOD1-ALS in 2023.</p>
<h2>Seven patients, followed closely</h2>
<p>Clinicians at Washington University in St. Louis have published, in the <em>Annals of Clinical and Translational Neurology</em>, what happened to seven people with SOD1-ALS who started tofersen at their centre between November 2021 and February 2024.</p>
<ul>
<li>Neurofilament light (NfL), a protein that leaks into the blood when nerve cells are damaged, dropped steeply in every one of them and stayed low.</li>
<li>The team estimates that the disease advanced about 52% more slowly than it would have been expected to without treatment.</li>
<li>Five of the seven became stronger on muscle testing.</li>
<li>On the functional independence measure, which scores everyday tasks such as dressing, washing and getting around, the group gained a little over five points on average.</li>
</ul>
<p>The authors note that scales like this one come from rehabilitation medicine, where people are expected to recover, and have seldom been used in ALS research. They suggest that future trials should be able to record improvement, not only decline, in case more treatments turn out to give function back.</p>
<h2>Similar reports from Europe</h2>
<p>In Italy, doctors followed 17 people with SOD1-ALS who had been on tofersen for at least four years: nine became much more stable or slightly better, and in four the disease moved so slowly that no change could be measured. In Germany, five people in an early access programme began to stabilise or improve within four to six weeks of starting treatment, and one of them gained nine points on the ALSFRS-R, the rating scale most ALS clinics use.</p>
<h2>What this means, and what it does not</h2>
<p>These are small groups seen in clinics, not a randomised trial, and people respond differently. Tofersen only helps when ALS is linked to <em>SOD1</em>, which is about 2 in every 100 people with the disease. Still, watching function return in some patients changes what researchers and families can reasonably expect from the genetic treatments now being developed for other forms of ALS.</p>
<blockquote><p>If you or a relative live with ALS, or ALS runs in your family, ask your neurologist about genetic testing and whether tofersen could be an option for you.</p></blockquote>
""",
    },
    {
        "slug": "neurofilament-light-blood-test-als-trials",
        "title": "Neurofilament light: the blood test that is changing ALS trials",
        "category": "research",
        "author": "author",
        "days_ago": 9,
        "motif": "chart",
        "image_alt": "A rising line of points on a dark grid, like a chart of test results",
        "image_caption": "Falling NfL levels were the first sign that tofersen was working.",
        "tags": ["biomarkers", "clinical trials"],
        "summary": "A protein released by damaged nerve cells can be measured in a blood sample. "
        "Here is what an NfL result can tell researchers, and what it cannot tell you.",
        "body": """
<p>When a nerve cell is damaged, pieces of its internal scaffolding break off. One of them, neurofilament light chain, or NfL, ends up in the spinal fluid and in the blood, where modern tests can measure even tiny amounts.</p>
<h2>Why researchers care</h2>
<p>In people with ALS, NfL levels are usually higher than in people of the same age without it, and higher levels tend to go with faster progression. That makes NfL useful in two ways: it helps trials group people whose disease is moving at a similar pace, and a drop in NfL after a treatment starts is an early signal that the treatment is protecting nerve cells.</p>
<p>That second use mattered for tofersen: the fall in NfL seen in trial participants was part of the evidence regulators weighed when they approved it.</p>
<h2>What a single result cannot say</h2>
<p>NfL is not specific to ALS. Other conditions that injure nerves, including a recent head injury or stroke, raise it too, and levels drift upward with age. One number on its own does not diagnose anything, and it cannot predict how a particular person's illness will go.</p>
<p>If your care team offers an NfL test, ask them how they will use the result and what would change depending on the answer.</p>
""",
    },
    {
        "slug": "genetic-testing-for-als-questions-to-ask",
        "title": "Genetic testing for ALS: questions to take to your next appointment",
        "category": "treatments",
        "author": "author",
        "days_ago": 400,
        "motif": "helix",
        "image_alt": "A twisting double strand of coloured beads on a teal background",
        "image_caption": "",
        "tags": ["genetics", "SOD1"],
        "summary": "Now that one genetic form of ALS has a targeted treatment, more people are "
        "asking whether they should be tested. These questions can help the conversation.",
        "body": """
<p>Most people with ALS have no relative with the disease, yet a genetic cause turns up in some of them all the same. With a treatment now approved for one genetic form, knowing whether a gene is involved can change the options on the table.</p>
<h2>Before the test</h2>
<ul>
<li>Which genes does the test look at, and how long do results take?</li>
<li>Will a genetic counsellor go through the results with me?</li>
<li>Who pays for the test, and is counselling included?</li>
</ul>
<h2>After the result</h2>
<ul>
<li>If a gene change is found, is there a treatment or a clinical trial for it?</li>
<li>What does the result mean for my children, brothers and sisters?</li>
<li>If nothing is found, does that rule out a genetic cause?</li>
</ul>
<p>A result can bring relief, worry, or both, and it can touch a whole family. Take someone with you to the appointment if you can, and write your questions down before you go.</p>
""",
    },
    {
        "slug": CAREGIVING_SLUG,
        "title": "Caring for the carer: small things that help families living with ALS",
        "category": "community",
        "author": "author",
        "days_ago": 23,
        "motif": "hands",
        "image_alt": "Warm orange rings overlapping around a bright centre",
        "image_caption": "",
        "tags": ["caregiving"],
        "summary": "Partners, parents and children carry much of the daily work of ALS care. "
        "Readers told us what made the load lighter.",
        "body": """
<p>When we asked readers who look after someone with ALS what had helped them most, very few answers were about equipment or money. Most were about time, sleep and not feeling alone.</p>
<h2>What readers told us</h2>
<ul>
<li><strong>Say yes to specific offers.</strong> “Can I help?” is easy to turn down; “I will bring dinner on Thursday” is easy to accept.</li>
<li><strong>Share the calendar.</strong> One family kept a shared online calendar of appointments, so relatives could see where a lift or a visit would help.</li>
<li><strong>Protect one evening a week.</strong> Several carers said a regular break, even a short one, kept them going for months.</li>
<li><strong>Talk to people who understand.</strong> Support groups, in person or online, came up again and again.</li>
</ul>
<blockquote><p>The day I stopped trying to do everything myself was the day things got easier for both of us.</p></blockquote>
<p>Your clinic's social worker or care coordinator can point you to respite care and local support groups. Tell us in the comments what has helped your family.</p>
""",
    },
    {
        "slug": "tell-your-als-story-to-lawmakers",
        "title": "Your story matters: how to talk to lawmakers about ALS",
        "category": "advocacy",
        "author": "editor",
        "days_ago": 30,
        "motif": "capitol",
        "image_alt": "A simple drawing of a domed government building in gold and cream",
        "image_caption": "",
        "tags": ["policy"],
        "summary": "Research funding and access to care are decided by people who may never "
        "have met someone with ALS. A short, personal message can change that.",
        "body": """
<p>Decisions about research budgets, home care and access to new treatments are made by elected officials and their staff. Many of them have never met anyone living with ALS, and they remember a real story far longer than a statistic.</p>
<h2>Keep it short and personal</h2>
<ol>
<li>Say who you are and where you live, so they know you are a constituent.</li>
<li>Tell them in two or three sentences how ALS has touched your life.</li>
<li>Ask for one clear thing, such as support for research funding or faster access to treatments.</li>
<li>Thank them, and ask for a reply.</li>
</ol>
<p>You do not need to be an expert, and you do not need to travel: an email, a phone call or a letter all count. Staff keep track of how many people contact them about an issue.</p>
""",
    },
    {
        "slug": "clinic-visit-checklist",
        "title": "A checklist for your first visit to a multidisciplinary ALS clinic",
        "category": "community",
        "author": "author",
        "days_ago": None,
        "motif": "waves",
        "image_alt": "Soft purple and pink waves across a dark background",
        "image_caption": "",
        "tags": ["caregiving"],
        "summary": "What to bring, who you will meet, and how to make the most of a long day.",
        "body": """
<p>A multidisciplinary clinic brings a neurologist, nurses, therapists, a dietitian and a social worker together, often in a single visit. It can be a long day, and a little preparation goes a long way.</p>
<h2>What to bring</h2>
<ul>
<li>A list of your medicines and supplements.</li>
<li>Your questions, written down, most important first.</li>
<li>Someone to take notes.</li>
</ul>
""",
    },
    {
        "slug": "als-research-to-watch-next-month",
        "title": "Coming up: the ALS research results to watch for next month",
        "category": "research",
        "author": "editor",
        "days_ago": -3,
        "motif": "neurons",
        "image_alt": "A network of glowing nodes on a deep blue background",
        "image_caption": "",
        "tags": ["clinical trials"],
        "summary": "Several studies are due to report. Here is what each one is testing and why "
        "it matters.",
        "body": """
<p>Over the coming weeks several research teams are expected to share results. We will cover each one here as it is published, explaining what was tested, who took part and what it could mean for people living with ALS.</p>
<p>As always, early results from small studies need confirming in larger ones, and we will say so when that is the case.</p>
""",
    },
]
