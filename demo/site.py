"""The demo charity's details and the sources its articles cite.

The charity, its numbers and its address are made up: 555-01xx numbers are reserved for
fiction, and example.org is reserved for examples. The journal references are real.
"""

from demo.articles import TOFERSEN_SLUG

SITE_DETAILS = {
    "name": "Harbor Light ALS Foundation",
    "registration": "A 501(c)(3) nonprofit, EIN 00-0000000 (demo)",
    "helpline": "+1 617 555 0142",
    "helpline_hours": "Monday to Friday, 9 am to 5 pm Eastern time",
    "email": "help@example.org",
    "donate_url": "https://example.org/donate",
    "address": "Harbor Light ALS Foundation\n200 Wharf Street, Suite 4\nBoston, MA 02110",
}

TOFERSEN_TRIAL = {
    "title": "Trial of Antisense Oligonucleotide Tofersen for SOD1 ALS",
    "publication": "Miller T. M. et al., New England Journal of Medicine, 2022",
    "doi": "10.1056/NEJMoa2204705",
}
FDA_APPROVAL = {
    "title": "FDA approves treatment of amyotrophic lateral sclerosis associated with a "
    "mutation in the SOD1 gene",
    "publication": "U.S. Food and Drug Administration, news release, April 2023",
    "url": "https://www.fda.gov/news-events/press-announcements/"
    "fda-approves-treatment-amyotrophic-lateral-sclerosis-associated-mutation-sod1-gene",
}
NFL_PRESYMPTOMATIC = {
    "title": "Neurofilament light: a candidate biomarker of presymptomatic amyotrophic "
    "lateral sclerosis and phenoconversion",
    "publication": "Benatar M. et al., Annals of Neurology, 2018",
    "doi": "10.1002/ana.25276",
}
ALSFRS_R = {
    "title": "The ALSFRS-R: a revised ALS functional rating scale that incorporates "
    "assessments of respiratory function",
    "publication": "Cedarbaum J. M. et al., Journal of the Neurological Sciences, 1999",
    "doi": "10.1016/S0022-510X(99)00210-5",
}

# Each article's sources, in the order they are listed under it.
SOURCES = {
    TOFERSEN_SLUG: [TOFERSEN_TRIAL, FDA_APPROVAL, ALSFRS_R],
    "neurofilament-light-blood-test-als-trials": [NFL_PRESYMPTOMATIC, TOFERSEN_TRIAL],
    "genetic-testing-for-als-questions-to-ask": [TOFERSEN_TRIAL],
}
