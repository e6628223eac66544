"""A corpus of releases written for measuring story grouping (invented facts, own sentences).

`corpus(seed)` builds at least 40 stories and 120 releases, each release knowing its story:

- originals of many kinds (monthly trade statistics, commodity exports, quarterly results,
  rail routes, agreements, investments, tourism, loans, gas deliveries);
- syndicated copies by another wire: another dateline and lead, another headline, the last
  paragraph dropped, the other wire's boilerplate;
- lead-only copies (a headline and the first paragraph, as aggregators carry them);
- corrections by the same wire a few hours later: one number changed, a correction note;
- hard negatives: releases of one wire built on one template about different periods or
  goods (trade in March, in April, …; wheat, barley and flour exports on the same day;
  one company's quarters), which are separate stories however alike they read.

Deterministic for a seed, so scores are reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

WIRES = ("Astana Wire", "Silk Road Newswire", "PR Central", "Steppe News", "Caspian Daily", "Daily Brief")
BOILERPLATE = {
    "Astana Wire": "About Astana Wire: Astana Wire distributes news from Kazakhstan's ministries and companies "
                   "to media in forty countries.",
    "Silk Road Newswire": "Forward-looking statements: this release may contain statements about future "
                          "events that involve risks. Media contact: press desk, Silk Road Newswire.",
    "PR Central": "SOURCE PR Central. For more information contact the newsroom. Photos are available on request.",
    "Steppe News": "Steppe News is an independent agency covering Central Asia since 1998.",
    "Caspian Daily": "Subscribe to Caspian Daily for the region's business news every morning.",
    "Daily Brief": "",
}
DATELINE = {"Astana Wire": "ASTANA, {d} -- ", "Silk Road Newswire": "BEIJING, {d} /Silk Road Newswire/ -- ",
            "PR Central": "ALMATY, {d} /PR Central/ -- ", "Steppe News": "ASTANA (Steppe News) -- ",
            "Caspian Daily": "", "Daily Brief": ""}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
GOODS = ("wheat", "barley", "flour", "copper", "zinc", "ferroalloys", "uranium", "sunflower oil", "wool", "lamb")
CITIES = ("Khorgos", "Almaty", "Aktau", "Shymkent", "Karaganda", "Pavlodar", "Aktobe", "Taraz", "Atyrau",
          "Kostanay", "Semey", "Turkistan")
CN_CITIES = ("Xi'an", "Chongqing", "Chengdu", "Lianyungang", "Urumqi", "Yiwu", "Zhengzhou", "Lanzhou")
COMPANIES = ("Orda Metals", "Steppe Grain", "Tengri Logistics", "Kazbek Power", "Altyn Solar", "Baikonur Cables",
             "Jetisu Foods", "Nomad Rail")
PEOPLE = ("Aigerim Sadykova", "Li Wen", "Nurlan Abenov", "Zhang Hui", "Dana Omarova", "Wang Jie", "Erlan Kassym",
          "Chen Lu")


@dataclass(frozen=True)
class Release:
    story: str
    kind: str  # original, syndicated, lead-only, correction
    feed: str
    title: str
    text: str
    published: datetime


@dataclass
class _Draft:
    """An original before it is written out: headline, lead, body paragraphs, alternatives."""

    story: str
    feed: str
    when: datetime
    title: str
    alt_title: str
    lead: str
    alt_lead: str
    body: list[str]
    corrections: list[tuple[str, str]]  # (old, new) substrings a correction may change


def _day(dt: datetime) -> str:
    return f"{MONTHS[dt.month - 1][:3]}. {dt.day}, {dt.year}"


def _money(rng: random.Random, lo: float, hi: float) -> str:
    return f"{rng.uniform(lo, hi):.1f}"


def _trade_month(rng: random.Random, year: int, month: int, when: datetime) -> _Draft:
    m = MONTHS[month - 1]
    total, exp, imp = _money(rng, 1.5, 4.5), _money(rng, 0.6, 1.9), _money(rng, 0.8, 2.4)
    growth = rng.randint(3, 29)
    share = rng.randint(12, 31)
    return _Draft(
        f"trade-{year}-{month:02d}", "Astana Wire", when,
        f"Kazakhstan-China trade reaches ${total} billion in {m} {year}",
        f"Trade with China at ${total} bn in {m}",
        f"Trade between Kazakhstan and China reached ${total} billion in {m} {year}, up {growth} percent "
        f"year on year, the Bureau of National Statistics said.",
        f"Kazakhstan's trade with China rose {growth} percent to ${total} billion in {m} {year}, "
        f"official figures showed.",
        [f"Kazakh exports to China were ${exp} billion and imports from China ${imp} billion in {m}.",
         f"China accounted for {share} percent of Kazakhstan's foreign trade in the month.",
         "The bureau publishes monthly trade figures by partner country on its website."],
        [(f"${exp} billion", f"${float(exp) + 0.2:.1f} billion"), (f"{share} percent", f"{share + 2} percent")])


def _exports(rng: random.Random, good: str, year: int, month: int, when: datetime) -> _Draft:
    m = MONTHS[month - 1]
    tonnes = rng.randint(40, 900) * 1000
    value = rng.randint(20, 400)
    rise = rng.randint(2, 60)
    return _Draft(
        f"exports-{good}-{year}-{month:02d}", "Astana Wire", when,
        f"Kazakhstan exported {tonnes:,} tonnes of {good} to China in {m}",
        f"{good.capitalize()} shipments to China: {tonnes:,} tonnes",
        f"Kazakhstan exported {tonnes:,} tonnes of {good} to China in {m} {year}, worth ${value} million, "
        f"the Ministry of Trade said.",
        f"Shipments of Kazakh {good} to China reached {tonnes:,} tonnes in {m} {year} (${value} million), "
        f"ministry data show.",
        [f"The volume was {rise} percent higher than a year earlier.",
         f"Most of the {good} crossed the border at Khorgos and Dostyk by rail.",
         "The ministry publishes export figures by product every month."],
        [(f"{rise} percent", f"{rise + 3} percent")])


def _earnings(rng: random.Random, company: str, year: int, quarter: int, when: datetime) -> _Draft:
    revenue, profit = rng.randint(80, 900), rng.randint(5, 90)
    shipped = rng.randint(10, 300) * 100
    china = rng.randint(20, 70)
    return _Draft(
        f"earnings-{company}-{year}-q{quarter}", "PR Central", when,
        f"{company} reports Q{quarter} {year} revenue of ${revenue} million",
        f"{company}: Q{quarter} revenue ${revenue} mln, profit ${profit} mln",
        f"{company} today reported revenue of ${revenue} million for the quarter ended "
        f"{('March 31', 'June 30', 'September 30', 'December 31')[quarter - 1]}, {year}, and net profit of "
        f"${profit} million.",
        f"{company} said quarterly revenue was ${revenue} million in Q{quarter} {year}; net profit reached "
        f"${profit} million.",
        [f"The company shipped {shipped:,} tonnes in the quarter, {china} percent of it to customers in China.",
         f"\"Demand from our Chinese partners stayed strong,\" chief executive {rng.choice(PEOPLE)} said.",
         f"{company} will hold a conference call for investors next week."],
        [(f"{shipped:,} tonnes", f"{shipped + 500:,} tonnes")])


def _rail(rng: random.Random, n: int, when: datetime) -> _Draft:
    a, b = rng.choice(CN_CITIES), rng.choice(CITIES)
    boxes, days, weekly = rng.randint(40, 110), rng.randint(5, 16), rng.randint(2, 9)
    company = rng.choice(COMPANIES)
    return _Draft(
        f"rail-{n}", rng.choice(("Silk Road Newswire", "Astana Wire")), when,
        f"New container train links {a} and {b} in {days} days",
        f"{a}-{b} rail service launched",
        f"A container train carrying {boxes} boxes left {a} for {b} on {_day(when)}, opening a route "
        f"operated by {company} that takes {days} days.",
        f"{company} launched a {a}-{b} container service; the first train, with {boxes} boxes, "
        f"set off on {_day(when)}.",
        [f"The operator plans {weekly} trains a week on the route by the end of the year.",
         f"Cargo includes electronics, auto parts and household goods bound for {b}.",
         f"\"The route cuts delivery times by half,\" said {rng.choice(PEOPLE)} of {company}."],
        [(f"{weekly} trains a week", f"{weekly + 1} trains a week")])


def _agreement(rng: random.Random, n: int, when: datetime) -> _Draft:
    count, value, by = rng.randint(6, 40), rng.randint(2, 25), when.year + rng.randint(2, 6)
    city = rng.choice(("Astana", "Beijing", "Almaty", "Xi'an", "Urumqi"))
    field = rng.choice(("agriculture", "energy", "transport", "digital trade", "water management", "education"))
    return _Draft(
        f"agreement-{n}", rng.choice(("Astana Wire", "Silk Road Newswire")), when,
        f"Kazakhstan and China sign {count} {field} agreements in {city}",
        f"{count} deals worth ${value} bn signed in {city}",
        f"Kazakhstan and China signed {count} agreements on {field} worth ${value} billion in {city} on "
        f"{_day(when)}, officials said.",
        f"Officials from the two countries put their names to {count} {field} deals valued at ${value} billion "
        f"during talks in {city}.",
        [f"The documents cover {field} projects to be carried out by {by}.",
         f"Deputy minister {rng.choice(PEOPLE)} called the {field} package a milestone.",
         "The next round of talks is scheduled for the autumn."],
        [(f"by {by}", f"by {by + 1}")])


def _investment(rng: random.Random, n: int, when: datetime) -> _Draft:
    company, city = rng.choice(COMPANIES), rng.choice(CITIES)
    amount, jobs, opens = rng.randint(50, 900), rng.randint(100, 2500), when.year + rng.randint(1, 4)
    what = rng.choice(("a cement plant", "a solar farm", "a logistics hub", "a copper smelter", "a flour mill",
                       "a glass factory"))
    return _Draft(
        f"investment-{n}", rng.choice(("PR Central", "Astana Wire")), when,
        f"{company} to build {what} in {city} with Chinese partners",
        f"${amount} mln {what} planned for {city}",
        f"{company} and a Chinese partner will invest ${amount} million in {what} in {city}, creating "
        f"{jobs:,} jobs, the company said on {_day(when)}.",
        f"A ${amount} million project for {what} in {city} will employ {jobs:,} people, {company} announced.",
        [f"Construction starts this year and the site is due to open in {opens}.",
         f"The regional governor {rng.choice(PEOPLE)} welcomed the project.",
         f"{company} already runs two facilities in the region."],
        [(f"{jobs:,} jobs", f"{jobs + 150:,} jobs")])


def _tourism(rng: random.Random, year: int, when: datetime) -> _Draft:
    tourists, growth, flights = rng.randint(300, 900) * 1000, rng.randint(5, 60), rng.randint(20, 90)
    return _Draft(
        f"tourism-{year}", "Steppe News", when,
        f"Chinese tourist arrivals in Kazakhstan hit {tourists:,} in {year}",
        f"{tourists:,} Chinese visitors in {year}",
        f"Kazakhstan welcomed {tourists:,} tourists from China in {year}, {growth} percent more than a year "
        f"before, the tourism committee said.",
        f"The number of Chinese visitors to Kazakhstan rose {growth} percent to {tourists:,} in {year}.",
        [f"Airlines now operate {flights} flights a week between the two countries.",
         "A visa-free regime for short stays took effect in November 2023.",
         "Almaty and the Charyn canyon were the most visited places."],
        [(f"{flights} flights", f"{flights + 4} flights")])


def _loan(rng: random.Random, n: int, when: datetime) -> _Draft:
    bank = rng.choice(("the Export-Import Bank of China", "the Development Bank of Kazakhstan",
                       "the Asian Infrastructure Investment Bank"))
    amount, years = rng.randint(100, 1500), rng.randint(7, 20)
    project = rng.choice(("a ring road around Almaty", "a railway bypass at Dostyk", "a water pipeline to Aktau",
                          "a power line to Shymkent", "a grain terminal at Khorgos"))
    return _Draft(
        f"loan-{n}", "Caspian Daily", when,
        f"${amount} million loan agreed for {project}",
        f"Loan of ${amount} mln for {project}",
        f"Kazakhstan agreed a ${amount} million loan with {bank} for {project}, repayable over {years} years.",
        f"{bank[0].upper() + bank[1:]} will lend ${amount} million over {years} years to finance {project}.",
        [f"Work on {project} is expected to take three years.",
         f"Finance minister {rng.choice(PEOPLE)} said the terms were favourable.",
         "The government will guarantee the loan."],
        [(f"{years} years", f"{years + 2} years")])


def _originals(rng: random.Random) -> list[_Draft]:
    start = datetime(2024, 1, 10, 9, tzinfo=timezone.utc)
    out: list[_Draft] = []
    for i, month in enumerate(range(1, 9)):  # one wire's monthly trade template: 8 hard negatives
        out.append(_trade_month(rng, 2024, month, start + timedelta(days=31 * i)))
    for month in (3, 4):  # same day, one wire, one template, different goods: hard negatives
        day = start + timedelta(days=70 + 30 * (month - 3), hours=2)
        for k, good in enumerate(GOODS[:4]):
            out.append(_exports(rng, good, 2024, month, day + timedelta(minutes=10 * k)))
    for q in (1, 2, 3, 4):  # one company's quarters
        out.append(_earnings(rng, "Orda Metals", 2024, q, start + timedelta(days=100 + 91 * (q - 1))))
    for q in (1, 2):  # another company, the same template, the same days
        out.append(_earnings(rng, "Altyn Solar", 2024, q, start + timedelta(days=100 + 91 * (q - 1), hours=1)))
    for n in range(6):
        out.append(_rail(rng, n, start + timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 8))))
    for n in range(6):
        out.append(_agreement(rng, n, start + timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 8))))
    for n in range(5):
        out.append(_investment(rng, n, start + timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 8))))
    for year in (2022, 2023, 2024):
        out.append(_tourism(rng, year, datetime(year + 1, 1, 20, 8, tzinfo=timezone.utc)))
    for n in range(4):
        out.append(_loan(rng, n, start + timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 8))))
    return out


def _write(d: _Draft, feed: str, title: str, lead: str, body: list[str], when: datetime) -> Release:
    dateline = DATELINE[feed].format(d=_day(when))
    parts = [dateline + lead, *body]
    if BOILERPLATE[feed]:
        parts.append(BOILERPLATE[feed])
    return Release(d.story, "", feed, title, "\n\n".join(parts), when)


def corpus(seed: int = 1) -> list[Release]:
    rng = random.Random(seed)
    out: list[Release] = []
    for d in _originals(rng):
        out.append(replace(_write(d, d.feed, d.title, d.lead, d.body, d.when), kind="original"))
        others = [w for w in WIRES if w != d.feed]
        copies = rng.sample(("syndicated", "syndicated", "lead-only", "correction", "rewrite"), rng.randint(1, 3))
        for kind in copies:
            later = d.when + timedelta(minutes=rng.randint(20, 30 * 60))
            if kind == "syndicated":  # another wire: its dateline, lead, headline, boilerplate; trimmed
                out.append(replace(_write(d, rng.choice(others), d.alt_title, d.alt_lead, d.body[:-1], later),
                                   kind=kind))
            elif kind == "lead-only":
                out.append(Release(d.story, kind, rng.choice(("Daily Brief", "Caspian Daily")),
                                   rng.choice((d.title, d.alt_title)), d.lead, later))
            elif kind == "rewrite":  # an agency's own wording of the lead, the body reordered
                body = d.body[:]
                rng.shuffle(body)
                out.append(replace(_write(d, "Steppe News", d.alt_title + " - agency", d.alt_lead, body, later),
                                   kind=kind))
            else:  # the wire corrects itself: one number changed, a note, the same boilerplate
                old, new = rng.choice(d.corrections)
                body = [p.replace(old, new) for p in d.body]
                note = f"(Corrects {old} to {new} in the second paragraph.)"
                out.append(replace(_write(d, d.feed, "CORRECTED: " + d.title, d.lead, [*body, note], later),
                                   kind=kind))
    return out
