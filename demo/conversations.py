"""Demo conversation under the tofersen article, written for the demo (names are invented)."""

# Each comment: key, parent key, name, email, hours after the article was published,
# status ("approved" or "pending"), staff (a staff reply, by the demo moderator), body.
CONVERSATION = [
    (
        "ask",
        None,
        "Marisol Vega",
        "marisol.vega@example.com",
        5,
        "approved",
        False,
        "My dad was diagnosed in the spring and nobody has mentioned genetic testing to us. How would we find out whether this treatment could help him?",
    ),
    (
        "answer",
        "ask",
        None,
        None,
        9,
        "approved",
        True,
        "Thank you for asking, Marisol, and we are sorry about your dad's diagnosis.\n\nTofersen is only for people whose ALS is linked to a change in the SOD1 gene, so the first step is a genetic test. Ask his neurologist or ALS clinic about testing; many clinics can arrange it, along with a genetic counsellor who explains the result. If the test finds an SOD1 change, his care team can talk through whether tofersen is right for him.\n\nOur helpline can also help you find a specialist ALS clinic near you.",
    ),
    (
        "thanks",
        "answer",
        "Marisol Vega",
        "marisol.vega@example.com",
        14,
        "approved",
        False,
        "Thank you. We see his neurologist next week and will ask about the test.",
    ),
    (
        "family",
        None,
        "Tom Becker",
        "tbecker@example.net",
        20,
        "approved",
        False,
        "My mother and my uncle both had ALS, and for years nobody could tell us why. We only learned about the SOD1 change in our family after my uncle died.\n\nReading that some people are getting stronger is hard to take in, in a good way. I hope the next families hear about testing much earlier than we did.",
    ),
    (
        "early",
        "family",
        "Helen Ward",
        "helen.ward@example.org",
        26,
        "approved",
        False,
        "Tom, our story is close to yours. My husband started treatment late because of months of paperwork, and by then the disease had moved on. If I could tell other families one thing, it would be: ask for genetic testing early, and keep asking.",
    ),
    (
        "donor",
        None,
        "Priya Natarajan",
        "priya.n@example.com",
        30,
        "approved",
        False,
        "I have given to ALS research every year since my sister was diagnosed. News like this is why. Thank you for explaining the numbers so clearly.",
    ),
    (
        "links",
        None,
        "Jordan Miles",
        "jmiles.deals@example.biz",
        34,
        "pending",
        False,
        "Great article! Anyone interested should also read http://example.com/natural-als-cure and http://example.net/supplement-offer and www.example.org/order-now for more options.",
    ),
    (
        "sporadic",
        None,
        "Rosa Alvarez",
        "rosa.alvarez@example.com",
        40,
        "pending",
        False,
        "Is anything like this being studied for people whose ALS is not genetic? My brother has the sporadic kind and we would love some hope too.",
    ),
    (
        "phone",
        None,
        "Dana Whitfield",
        "dana.w@example.com",
        44,
        "pending",
        False,
        "My dad took part in one of the early studies and it gave our whole family a lift. Families who want to compare notes can ring me on 617 555 0199, I am Dana Whitfield from Quincy.",
    ),
    (
        "private",
        None,
        "Ellen Price",
        "ellen.price@example.com",
        47,
        "pending",
        False,
        "My husband's neurologist says his genetic test rules him out, but the letter is confusing. Could someone from your team go through it with me? I would rather not put his details here.",
    ),
]

CAREGIVING_CONVERSATION = [
    (
        "calendar",
        None,
        "Ben Okoro",
        "ben.okoro@example.com",
        10,
        "approved",
        False,
        "The shared calendar idea changed everything for us. My brothers live far away, but now they can see when Mum has a clinic day and book a visit to match.",
    ),
    (
        "distress",
        None,
        "Marcus Bell",
        "marcus.bell@example.com",
        20,
        "pending",
        False,
        "I look after my wife every hour of the day and night and I am so tired. Some nights I think everyone would be better off without me.",
    ),
]

# Comments that arrived minutes before the demo was loaded, however old their article: an
# urgent comment is answered the same day, so the demo's has not waited for weeks.
ARRIVED_MINUTES_AGO = {"distress": 25}

SAVED_REPLIES = [
    (
        "How to get a treatment",
        "Thank you for asking. Whether a treatment is right for someone depends on their own situation, so the best first step is to talk it through with their neurologist or ALS clinic. For tofersen, that starts with a genetic test for a change in the SOD1 gene. Our helpline can help you find a specialist clinic near you.",
    ),
    (
        "We cannot give medical advice",
        "Thank you for sharing this with us. We are not able to give medical advice here, but your care team can help with questions about your own treatment. Our helpline can point you to support and services near you.",
    ),
    (
        "Thank you for your story",
        "Thank you for sharing your family's story. It helps other families to know they are not alone.",
    ),
]

BLOCKED_WORDS = ["casino", "miracle cure", "viagra"]
