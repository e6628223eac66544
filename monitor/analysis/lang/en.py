"""English: the words prwatch's text layer and extractor read press prose with.

Pure data (tuples, sets and dicts of strings), grouped by what reads them. Patterns are
built from these tables by the engines; nothing here is compiled or imported eagerly.
"""

from __future__ import annotations

# ---------------------------------------------------------------- calendar

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                       "sept": 9, "oct": 10, "nov": 11, "dec": 12}
MONTHS: dict[str, int] = {**{m.lower(): i for i, m in enumerate(MONTH_NAMES, 1)}, **MONTH_ABBREVIATIONS}
# Month names and capitalised abbreviations, longest first: the alternation every date pattern uses.
MONTH_WORDS = tuple(sorted([*MONTH_NAMES, *(a.capitalize() for a in MONTH_ABBREVIATIONS)], key=len, reverse=True))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Nouns of a part of a year: "in the fourth quarter of 2025" says when, never where or into what.
TIME_OF_YEAR_NOUNS = frozenset("quarter half year month week beginning start end middle spring summer autumn fall "
                               "winter season".split())

# ---------------------------------------------------------------- sentences

# Words after which a full stop does not end a sentence (lower case, without the stop).
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no nos vs etc inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec "
    "u.s u.k e.g i.e approx est gov gen sen rep jr sr mt ft p.m a.m dept univ assn bros fig al".split())

# ---------------------------------------------------------------- datelines

# Dashes that close a dateline ("ASTANA –", "BEIJING, July 4, 2024 /PRNewswire/ --").
DATELINE_DASHES = ("--", "\u2013", "\u2014", "-", ":")

# ---------------------------------------------------------------- boilerplate

# Headings that open the closing boilerplate of a release, each a regular-expression
# fragment matched at the start of a line.
BOILERPLATE_HEADINGS = (
    r"About (?:the )?[A-Z][^\n]{0,70}$",
    r"About [A-Z][\w&.,'\u2019 -]{0,60}:",
    r"(?:Cautionary (?:Note|Statement)[^\n]*|Forward[- ]Looking Statements?[^\n]{0,40})$",
    r"Safe Harbou?r[^\n]{0,40}$",
    r"(?:Media|Press|Investor) (?:Contacts?|Inquiries|Relations)[^\n]{0,40}$",
    r"Contacts?:?$",
    r"SOURCE [^\n]{2,80}$",
    r"Notes? to [Ee]ditors:?$",
)

# ---------------------------------------------------------------- word classes
# The subject reader tags each word of a sentence with one of these classes; a word in no
# list is a content word (a noun, an adjective or a name).

DETERMINERS = frozenset(
    "the a an this that these those its their his her our your my such another each every all both some any "
    "no".split())
PREPOSITIONS = frozenset(
    "of in on at for from to by with between among amongst via through during over under into across against compared "
    "per within without including since until till after before toward towards along around about than as "
    "like amid despite onto upon beyond versus vs throughout inside outside near alongside worth".split())
CONJUNCTIONS = frozenset("and or but nor while whereas whilst although though because yet so".split())
AUXILIARIES = frozenset(
    "is are was were be been being am has have had having will would shall should can could may might must do "
    "does did 's".split())
ADVERBS = frozenset(
    "also already currently now still only just nearly almost approximately roughly some more less further up "
    "respectively jointly annually eventually significantly sharply slightly steadily "
    "rapidly mainly mostly primarily overall even again not never always generally usually reportedly "
    "expectedly reportedly once twice thus therefore however meanwhile moreover furthermore additionally "
    "similarly likewise then there here well very much far substantially considerably notably particularly "
    "especially alone together since year-on-year y-o-y yoy month-on-month quarter-on-quarter year-over-year "
    "quarter-over-quarter month-over-month "
    "annually".split())
PRONOUNS = frozenset("it they this these that those we he she which who whom whose what there".split())
RELATIVES = frozenset("which that who whom whose where when".split())
# Words that refer back to a figure stated before ("This figure increased by 14%").
ANAPHORS = frozenset("it this that figure indicator number volume amount total sum".split())

# Approximators written before a number; they never belong to a subject.
APPROXIMATORS = frozenset(
    ["more than", "over", "above", "in excess of", "upwards of", "nearly", "almost", "about", "around",
     "approximately", "approx.", "roughly", "some", "up to", "at least", "at most", "less than", "under",
     "below", "close to", "an estimated", "estimated", "just over", "just under", "well over",
     "as many as", "as much as", "no more than", "no less than"])

# ---------------------------------------------------------------- verbs
# Lemmas by what they say about a number; inflected forms are made by rule, irregular ones
# are listed. "level": the number is the value of the subject ("trade reached $41 billion").
# "change": the number is how much the subject changed ("trade rose 32%"; "rose to $41
# billion" states the level). "share": the subject is a part of what follows "of".
# "flow": the number is an amount the subject moved ("China imported 8.7 million tons of
# crude"); "say": reporting verbs, whose subject is never what a number measures.

LEVEL_VERBS = ("reach amount total stand exceed top surpass hit equal constitute come make be remain stay "
               "near approach register record estimate value peg put place set cost").split()
CHANGE_VERBS = ("rise grow increase decrease decline fall drop jump surge soar climb expand double triple "
                "quadruple gain add boost raise lift shrink contract slow slump plunge dip cut reduce lower "
                "rebound recover accelerate multiply halve slide edge improve widen narrow").split()
SHARE_VERBS = "account represent comprise form occupy take hold".split()
FLOW_VERBS = ("export import ship send deliver supply transport carry handle transit receive attract invest "
              "lend loan provide allocate spend sell buy purchase produce generate extract mine harvest "
              "process sign ink conclude seal welcome host serve employ create implement launch operate run "
              "build construct install connect cross pass travel visit study attend bring gather draw pump "
              "register issue grant award pour inject channel commit pledge earmark disburse perform").split()
# Verbs with no number sense of their own that still take a subject and an object
# ("the regime allows stays of up to 30 days").
OTHER_VERBS = "allow permit enable include cover contain offer require need feature keep meet".split()
SAY_VERBS = ("say tell note state report announce add stress emphasize emphasise underline inform mention "
             "recall explain indicate show reveal confirm estimate expect believe highlight point predict "
             "forecast project anticipate claim argue assure declare specify clarify quote write").split()
PLAN_VERBS = "plan aim intend expect target seek hope propose want envisage schedule project forecast".split()
# Verbs that make a dated event ("opened in 2007", "signed on 17 May 2023").
EVENT_VERBS = ("open found start begin hold complete inaugurate commission propose adopt ratify join create unveil "
               "introduce agree conclude approve become upgrade elevate rename resume suspend restore relaunch reopen "
               "celebrate mark enter establish mark award elect appoint debut depart leave arrive declare recognize "
               "recognise initiate set break").split()

IRREGULAR_VERBS: dict[str, tuple[str, ...]] = {
    "be": ("is", "are", "was", "were", "been", "being", "am"),
    "break": ("broke", "broken", "breaking", "breaks"),  # "broke ground on a smelter"
    "rise": ("rose", "risen", "rising", "rises"), "grow": ("grew", "grown", "growing", "grows"),
    "fall": ("fell", "fallen", "falling", "falls"), "stand": ("stood", "standing", "stands"),
    "hit": ("hit", "hitting", "hits"), "put": ("put", "putting", "puts"), "set": ("set", "setting", "sets"),
    "cost": ("cost", "costing", "costs"), "make": ("made", "making", "makes"),
    "come": ("came", "coming", "comes"), "take": ("took", "taken", "taking", "takes"),
    "hold": ("held", "holding", "holds"), "bring": ("brought", "bringing", "brings"),
    "sell": ("sold", "selling", "sells"), "buy": ("bought", "buying", "buys"),
    "send": ("sent", "sending", "sends"), "build": ("built", "building", "builds"),
    "run": ("ran", "running", "runs"), "lend": ("lent", "lending", "lends"),
    "spend": ("spent", "spending", "spends"), "become": ("became", "becoming", "becomes"),
    "say": ("said", "saying", "says"), "tell": ("told", "telling", "tells"),
    "show": ("showed", "shown", "showing", "shows"), "draw": ("drew", "drawn", "drawing", "draws"),
    "cut": ("cut", "cutting", "cuts"), "leave": ("left", "leaving", "leaves"),
    "shrink": ("shrank", "shrunk", "shrinking", "shrinks"),
    "forecast": ("forecast", "forecasted", "forecasting", "forecasts"),
    "slide": ("slid", "sliding", "slides"), "seek": ("sought", "seeking", "seeks"),
    "write": ("wrote", "written", "writing", "writes"), "mine": ("mined", "mining", "mines"),
    "ship": ("shipped", "shipping", "ships"), "dip": ("dipped", "dipping", "dips"),
    "drop": ("dropped", "dropping", "drops"), "slump": ("slumped", "slumping", "slumps"),
    "top": ("topped", "topping", "tops"), "plan": ("planned", "planning", "plans"),
    "commit": ("committed", "committing", "commits"), "channel": ("channelled", "channeled", "channelling",
                                                                    "channeling", "channels"),
    "total": ("totaled", "totalled", "totaling", "totalling", "totals"),
    "travel": ("travelled", "traveled", "travelling", "traveling", "travels"),
    "register": ("registered", "registering", "registers"), "halve": ("halved", "halving", "halves"),
    "begin": ("began", "begun", "beginning", "begins"), "win": ("won", "winning", "wins"),
    "meet": ("met", "meeting", "meets"), "lead": ("led", "leading", "leads"), "open": ("opened", "opening", "opens"),
}

# Verbs that name the measure when their object is the number: "invested $2 billion in X" is
# "investment in X"; "exported 1.1 million tons of wheat" is "wheat exports".
VERB_NOUNS: dict[str, str] = {
    "export": "exports", "import": "imports", "ship": "shipments", "supply": "supplies",
    "deliver": "deliveries", "invest": "investment", "lend": "loans", "loan": "loans", "sell": "sales",
    "buy": "purchases", "purchase": "purchases", "produce": "production", "generate": "generation",
    "transport": "transportation", "transit": "transit", "spend": "spending", "allocate": "allocation",
    "pour": "investment", "inject": "investment", "put": "investment", "channel": "investment",
    "extract": "extraction", "mine": "output", "harvest": "harvest", "attract": "investment attracted",
    "provide": "financing", "disburse": "disbursements", "pledge": "pledges", "commit": "commitments",
}

# Counted nouns that are plural without an -s ("2,000 people", "300 staff").
PLURALS_WITHOUT_S = frozenset("people children men women staff personnel cattle livestock sheep aircraft "
                              "police crew".split())
# Plural heads of a clause's subject without an -s ("the data put trade at $4 billion").
PLURAL_SUBJECTS_WITHOUT_S = PLURALS_WITHOUT_S | frozenset(("data", "media"))
# Who a power, heat or water asset serves: "meet the demand of 1 million households", "enough
# to power 200,000 homes" count the households supplied, and what precedes the count says so.
SUPPLIED_NOUNS = frozenset("households homes families consumers residences dwellings apartments".split())
SUPPLY_CUES = ("demand of", "needs of", "consumption of", "power", "supply", "supplying", "serve", "serving",
               "electrify", "heat", "provide electricity to", "provide power to", "electricity to", "power to")

# Future and plan markers: a number under one of these is a target, not an actual.
FUTURE_MARKERS = frozenset(
    ["will", "shall", "would", "plans to", "plan to", "planned", "planning to", "aims to", "aim to", "aiming to",
     "intends to", "intend to", "intending to", "expects to", "expect to", "expected to", "is expected", "are expected",
     "is to", "are to", "set to", "going to", "seeks to", "seek to", "hopes to", "hope to", "targets",
     "target of", "goal of", "goal is", "target is", "aim is", "projected to", "forecast to", "is projected",
     "are projected", "scheduled to", "due to reach", "envisages", "envisaged", "would like to",
     "agreed to", "decided to", "pledged to", "promised to", "ready to", "proposed to", "proposes to",
     "next year", "in the coming years", "in the future"])
# Words that make a number a goal whatever the tense ("a target of $50 billion").
GOAL_NOUNS = frozenset("target targets goal goals aim plan plans forecast forecasts projection projections "
                       "objective ambition outlook".split())

# ---------------------------------------------------------------- measures

# The forms of "be": before a participle, a passive ("are registered", "was signed").
BE_FORMS = frozenset(("be", *IRREGULAR_VERBS["be"]))
# What a multiplier before "the" multiplies: "nearly triple the amount a year earlier".
BASE_NOUNS = frozenset("amount level volume number figure total value size quantity".split())
# Participles that make things counted a plan: "52 trains planned in 2026".
PLANNED_PARTICIPLES = frozenset("planned scheduled expected envisaged projected foreseen".split())
# Words around a subject that do not change which measure it is ("the total volume of trade").
MEASURE_FILLER = frozenset(
    "total overall volume value amount level number figure sum combined annual record cumulative indicators "
    "indicator size scale whole entire aggregate current new equivalent".split())
# A figure's unit says what it measures when the text names only the thing: "a 100-megawatt
# plant" is the plant's capacity, "the 66-kilometer road" its length.
UNIT_DIMENSIONS: dict[str, str] = {
    "kW": "capacity", "MW": "capacity", "GW": "capacity", "km": "length", "miles": "length", "m": "length",
    "km2": "area", "m2": "area", "hectares": "area", "kWh": "output", "MWh": "output", "GWh": "output",
    "TWh": "output", "days": "duration", "hours": "duration", "minutes": "duration", "weeks": "duration",
    "months": "duration", "years": "duration", "km/h": "speed", "TEU": "capacity", "tons": "capacity",
    "m3": "capacity",
}
# Measures that describe an asset (design parameters): stated without a time word, they
# have no period, and they never take one from a neighbouring statistic.
# Things built, bought or signed, whose "estimated at $N" is a price ("Trade was estimated at"
# is a level): a plant, a line, a contract.
# What an asset's design measures in physical terms: "a capacity of N", "a length of N" have no period.
PHYSICAL_DESIGN_WORDS = ("capacity", "capacities", "length", "area", "depth", "height", "width", "diameter", "speed")
# A company's own results, which mean nothing without the company ("revenue" of whom?).
COMPANY_METRICS = frozenset(("revenue", "revenues", "net income", "net profit", "profit", "net loss", "earnings",
                             "ebitda", "adjusted ebitda", "operating income", "operating profit", "gross profit",
                             "net sales", "gross margin", "operating margin", "free cash flow"))
COMPANY_SUFFIXES = frozenset("holdings group corp corp. corporation inc inc. ltd ltd. plc jsc llp llc company co. "
                             "s.a. ag nv".split())
ASSET_NOUNS = frozenset("plant line pipeline road railway terminal smelter refinery bridge port hub park factory "
                        "mine station contract agreement deal project projects facility airport center "
                        "centre complex farm corridor tunnel highway plants".split())
DESIGN_WORDS = frozenset("capacity capacities length area cost costs price worth speed depth height width "
                         "diameter duration output power reserves stages lines size".split())
# Words that mark a bilateral measure without naming its parties.
BILATERAL_WORDS = ("bilateral", "two-way", "mutual", "two countries", "both countries", "two sides", "both sides",
                   "between countries", "two nations", "our countries", "two states", "by sides", "parties")
# A percentage change is "growth of X"; these nouns introduce X after a figure
# ("an 18% increase in X").
CHANGE_NOUNS = frozenset("increase increases growth rise rises gain jump surge decline decrease drop fall "
                         "reduction expansion".split())
SHARE_NOUNS = frozenset("share shares proportion portion part percentage stake".split())
# Comparisons after a figure that give its basis, not its period ("than a year earlier").
BASIS_PHRASES = ("year-on-year", "year on year", "year-over-year", "y-o-y", "yoy", "month-on-month",
                 "quarter-on-quarter",
                 "compared to", "compared with", "in comparison with", "against", "from a year earlier",
                 "than a year earlier", "a year earlier", "a year ago", "than in", "than last year",
                 "over the previous year", "over the same period", "from the same period",
                 "the same period of", "the same period last year", "the previous year", "last year's level",
                 "versus", "up from", "down from")
# Relationship words: "30 years of diplomatic relations", "the 30th anniversary of ties".
RELATION_WORDS = frozenset("relations relationship ties cooperation partnership friendship independence "
                           "alliance diplomatic anniversary".split())
# Rates: "three times a week" is a weekly count.
RATE_WORDS = {"week": "weekly", "day": "daily", "month": "monthly", "year": "annual"}

# ---------------------------------------------------------------- flows
# How a flow word orients the parties named around it. After an "outward" word the party
# named as its modifier is where the flow starts ("Kazakh exports", "Chinese investment",
# "Chinese tourists"); after an "inward" word it is where the flow ends ("China's imports",
# "Kazakh purchases"). "to", "into", "in", "visiting", "visited" name the end; "from" the start.
FLOW_OUT_WORDS = frozenset(
    "exports export exported exporting supplies supply supplied shipments shipment shipped deliveries delivery "
    "delivered sales sold sent transported transportation transit investment investments invested investors "
    "loans loan lending lent credit credits financing tourists tourist visitors travellers travelers students "
    "outflow outflows".split())
FLOW_IN_WORDS = frozenset("imports import imported importing purchases purchased bought received receipts arrivals "
                          "inflow inflows buying".split())
# Participles whose agent ("by X") is where a flow ends: "Chinese tourists welcomed by Kazakhstan".
RECEIVING_PARTICIPLES = frozenset("welcomed received hosted attracted accepted admitted".split())
FLOW_END_PREPOSITIONS = frozenset("to into in visiting visited at".split())
# Nouns that say which way goods go: with two parties and no preposition ("Kazakhstan-China
# exports") the direction is unknown.
FLOW_NOUNS = frozenset("exports export imports import supplies shipments deliveries sales purchases".split())
FLOW_START_PREPOSITIONS = frozenset("from".split())
# How goods travel: a flow "by pipeline" or "by rail" is its own measure.
TRANSPORT_MODES = frozenset("rail railway railways road roads pipeline pipelines sea air truck trucks train trains "
                            "ship ships ferry".split())

# ---------------------------------------------------------------- events
# A milestone's event is said in the present tense ("Kazakhstan and China sign ..."): past
# forms become lemmas by rule, with these lemmas that end in -e, and the irregular verbs above.
E_LEMMAS = frozenset(
    "propose complete upgrade create operate celebrate introduce approve inaugurate dedicate merge issue "
    "conclude decide declare locate relocate announce produce continue hope receive achieve serve require "
    "reduce increase decrease release launche close resume finalize finalise organize organise recognize "
    "recognise elevate initiate relaunche raise replace rename combine determine define agree sue stage cease "
    "cite unite invite provide pledge state rate commence liberalize move improve expire arrive retire "
    "schedule pave examine engage advance emerge finance purchase lease license licence debate".split())
IRREGULAR_PAST = {
    "held": "hold", "began": "begin", "begun": "begin", "became": "become", "built": "build", "came": "come",
    "won": "win", "met": "meet", "made": "make", "took": "take", "taken": "take", "set": "set", "put": "put",
    "went": "go", "gone": "go", "saw": "see", "seen": "see", "led": "lead", "paid": "pay", "laid": "lay",
    "sent": "send", "spent": "spend", "sold": "sell", "bought": "buy", "brought": "bring", "signed": "sign",
    "struck": "strike", "broke": "break", "broken": "break", "rose": "rise", "risen": "rise", "grew": "grow",
    "grown": "grow", "fell": "fall", "fallen": "fall", "ran": "run", "was": "be", "were": "be", "founded": "found",
    "inked": "ink", "opened": "open", "joined": "join", "visited": "visit", "entered": "enter",
    "started": "start", "launched": "launch", "established": "establish", "elected": "elect",
}
# Events named by a noun ("since the establishment of diplomatic relations"): the verb they name.
NOMINAL_EVENTS = {
    "establishment": "establish", "signing": "sign", "launch": "launch", "opening": "open",
    "completion": "complete", "construction": "build", "creation": "create", "adoption": "adopt",
    "ratification": "ratify", "commissioning": "commission", "inauguration": "inaugurate",
    "introduction": "introduce", "foundation": "found", "start": "start", "beginning": "begin",
}
# Nouns that are events themselves when a date stands with them ("the 2017 Year of Tourism",
# "the 30th anniversary").
EVENT_NOUNS = frozenset("anniversary summit forum visit meeting talks expo exhibition conference festival year "
                        "games session congress ceremony".split())

# Words that make a dated event of a sentence, as pattern fragments (their inflections
# written in): "signed in 2023", "the 30th anniversary", "the 2025 Business Forum".
MILESTONE_EVENTS = (
    r"sign(?:ed|ing|s)?", r"inked", r"open(?:ed|ing|s)?", r"launch(?:ed|es|ing)?", r"establish(?:ed|ment|ing)?",
    r"found(?:ed|ing)", r"start(?:ed|s|ing)?", r"began", r"begin(?:s|ning)?", r"commenc\w*", r"held",
    r"hold(?:s|ing)?", r"host(?:ed|s|ing)?", r"visit(?:ed|s|ing)?", r"complet(?:ed|ion|e|es)", r"inaugurat\w*",
    r"commission(?:ed|ing)", r"put into (?:operation|service)", r"(?:came|come|comes|entered|enter|enters) into force",
    r"took effect", r"take effect", r"took place", r"take place", r"takes place", r"proposed", r"adopted",
    r"ratified", r"joined", r"created", r"built", r"construct(?:ed|ion)", r"anniversary", r"summit", r"forum",
    r"scheduled", r"kick(?:ed)? off", r"unveil\w*", r"introduc(?:ed|tion)", r"acquired", r"merged", r"listed",
    r"awarded", r"elected", r"appointed", r"agreed", r"concluded", r"approved", r"announce[ds]? (?:the|a|its|plans)",
    r"became", r"become", r"was born", r"died", r"broke ground", r"ground-?breaking", r"debut(?:ed)?", r"arrived",
    r"went into", r"go into", r"operat(?:ing|ional|ion)", r"delivered", r"departed", r"recogni[sz](?:ed|e|ing)",
    r"put forward", r"initiated", r"celebrat(?:ed|es|e|ing)", r"declared", r"released", r"won", r"took office",
    r"set up", r"signing", r"meeting", r"talks", r"met", r"unveiled", r"handed over", r"upgraded", r"elevated",
    r"renamed", r"resumed", r"suspended", r"restored", r"relaunched", r"reopened",
    r"left(?= (?:the )?[A-Z])", r"set off", r"set out", r"sailed",  # "The first train left Xi'an for Almaty"
    r"Year of [A-Z]\w+", r"(?<=[a-z] )[A-Z]\w+ Year", r"Forum", r"Summit", r"Expo", r"Games", r"Festival",
    r"Congress", r"Conference",
)
# What makes a milestone announced rather than happened ("will open in 2026").
MILESTONE_FUTURE = (
    r"will", r"shall", r"plans?\s+to", r"planned", r"planning", r"scheduled", r"to be held",
    r"to be (?:built|completed|finished|opened|launched|commissioned|constructed|put)", r"is to", r"are to",
    r"set to", r"expected", r"expects", r"intends?", r"aims?\s+to", r"upcoming", r"due to", r"would",
    r"is going to", r"are going to", r"next", r"(?:agreed|decided|pledged|promised|ready|going) to",
    # "signed an agreement (on Tuesday) to build": what the paper is for is still to come
    r"(?:agreement|memorandum|deal|contract|roadmap|accord)(?:\s+(?:on|in)\s+\w+(?:\s+\d{1,2})?)?\s+to(?=\s+[a-z]+\b)",
)
