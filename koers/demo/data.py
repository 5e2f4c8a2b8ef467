"""What the demo organisation consists of: sizes, places, teams, programmes, rooms and the shares of client needs.

All names are invented. Kept apart from ``services`` so the generation logic reads without the scenery.
"""

from dataclasses import dataclass

from koers.accounts.roles import Role
from koers.clients.models import FlagKind
from koers.groupwork.models import GoalType

DEMO_ORGANISATION_NAME = "Werkbedrijf Drieweide"
STAFF_EMAIL_DOMAIN = "werkbedrijf-drieweide.example"


@dataclass(frozen=True)
class SizeSpec:
    clients: int
    average_caseload: int
    teams_per_municipality: tuple[int, int, int]
    dedicated_trainers: int
    consultant_trainers: int
    planners: int
    policy_staff: int
    administrators: int
    privacy_officers: int
    rooms_per_location: int
    runs: int


# small: about 1,000 clients and 30 staff; large: 40,000 clients and about 390 staff.
SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(
        clients=1_000,
        average_caseload=90,
        teams_per_municipality=(2, 2, 2),
        dedicated_trainers=4,
        consultant_trainers=2,
        planners=2,
        policy_staff=2,
        administrators=1,
        privacy_officers=1,
        rooms_per_location=3,
        runs=30,
    ),
    "large": SizeSpec(
        clients=40_000,
        average_caseload=120,
        teams_per_municipality=(4, 3, 3),
        dedicated_trainers=24,
        consultant_trainers=12,
        planners=8,
        policy_staff=6,
        administrators=3,
        privacy_officers=1,
        rooms_per_location=5,
        runs=600,
    ),
}

CASELOAD_MIN, CASELOAD_MAX = 60, 150
DEMO_CONSULTANT_CASELOAD = 80


@dataclass(frozen=True)
class MunicipalitySpec:
    name: str
    cbs_code: str
    share: float
    places: tuple[tuple[str, float], ...]
    postcode_range: tuple[int, int]
    location: str


# Invented municipalities. Real CBS municipality codes stay below GM2000, so GM99xx cannot clash.
MUNICIPALITIES: tuple[MunicipalitySpec, ...] = (
    MunicipalitySpec(
        "Lekkerwaard",
        "GM9901",
        0.45,
        (("Lekkerwaard", 0.6), ("Oudewaard", 0.25), ("Lekdijk", 0.15)),
        (4231, 4239),
        "Werkplein Lekkerwaard, Stationsplein 4",
    ),
    MunicipalitySpec(
        "Zuidmeren",
        "GM9902",
        0.33,
        (("Zuidmeren", 0.55), ("Rietmeer", 0.25), ("Kleimeer", 0.2)),
        (2971, 2977),
        "Servicepunt Zuidmeren, Havenkade 17",
    ),
    MunicipalitySpec(
        "Hoogveld",
        "GM9903",
        0.22,
        (("Hoogveld", 0.6), ("Heiderveld", 0.25), ("Ooster-Hoogveld", 0.15)),
        (7731, 7736),
        "Gemeentehuis Hoogveld, Raadhuisplein 1",
    ),
)

CONSULTANT_TEAM_KINDS = ("Instroom", "Re-integratie", "Activering", "Jongeren")
TRAINER_POOL_TEAM = "Trainerspool"
BACKOFFICE_TEAM = "Planning & backoffice"
STAFF_TEAM = "Staf, beleid & kwaliteit"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str


# One login per role; fixed names so the demo script can refer to them whatever the seed.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("demo-consulent", "Sanne", "de Wit", Role.CONSULTANT),
    DemoAccount("demo-trainer", "Jeroen", "Bakker", Role.TRAINER),
    DemoAccount("demo-planner", "Fatima", "El Amrani", Role.PLANNER),
    DemoAccount("demo-teammanager", "Marieke", "Jansen", Role.TEAM_MANAGER),
    DemoAccount("demo-beleid", "Ruben", "Visser", Role.POLICY),
    DemoAccount("demo-beheer", "Priya", "Ramdin", Role.ADMINISTRATOR),
    DemoAccount("demo-privacy", "Thomas", "van Leeuwen", Role.PRIVACY_OFFICER),
)
DEMO_BY_ROLE = {account.role: account for account in DEMO_ACCOUNTS}

# Shares of needs and contra-indications among the clients. shared/research/domain-reference.md gives no
# prevalence figures (its §6 lists open questions; §5.3 has only group sizes), and the seed text
# (shared/seeds/000_…, "Impact") names the three need groups without numbers. These are the working
# figures for a Participatiewet caseload, plausible but unverified; each client draws each flag independently.
FLAG_SHARES: dict[str, float] = {
    FlagKind.LOW_LANGUAGE: 0.27,
    FlagKind.COGNITIVE_LIMITATION: 0.10,
    FlagKind.PSYCHOLOGICAL_CONDITION: 0.20,
    FlagKind.ACUTE_CRISIS: 0.03,
    FlagKind.ACTIVE_ADDICTION: 0.05,
    FlagKind.NO_GOAL: 0.05,
}

FLAG_NOTES: dict[str, tuple[str, ...]] = {
    FlagKind.LOW_LANGUAGE: (
        "Taalniveau Nederlands onder A2.",
        "Spreekt redelijk Nederlands, lezen en schrijven gaan moeizaam.",
        "Volgt een taaltraject; tolk gewenst bij de intake.",
        "",
    ),
    FlagKind.COGNITIVE_LIMITATION: (
        "Heeft meer tijd nodig om informatie te verwerken.",
        "Korte instructies en herhaling werken goed.",
        "",
    ),
    FlagKind.PSYCHOLOGICAL_CONDITION: (
        "In behandeling bij de GGZ; afstemmen met de behandelaar.",
        "Spanning in grote groepen; liefst een kleine groep.",
        "Wisselende energie; rekening houden met afzeggingen.",
        "",
    ),
    FlagKind.ACUTE_CRISIS: (
        "Dreigende huisuitzetting; eerst stabiliseren.",
        "Acute schuldenproblematiek, beslag op inkomen.",
        "Crisissituatie thuis; groepsaanbod nu niet passend.",
    ),
    FlagKind.ACTIVE_ADDICTION: (
        "Actief middelengebruik; in contact met verslavingszorg.",
        "Gebruik staat deelname aan een groep nu in de weg.",
    ),
    FlagKind.NO_GOAL: (
        "Kan nog geen eigen doel of verwachting benoemen.",
        "Reflectie op het eigen aandeel lukt nu nog niet.",
    ),
}


@dataclass(frozen=True)
class ProgrammeSpec:
    slug: str
    name: str
    goal_type: str
    session_count: int
    session_minutes: int
    min_size: int
    max_size: int
    is_mandatory: bool
    is_continuous: bool
    trainers: tuple[int, int]
    run_weight: float
    description: str
    target_group: str


# Formats follow DOMAIN.md §4 and the seeds: the workshop is one session for about fifteen people
# (shared/seeds/000_…; domain-reference.md §5.3), six meetings is common for a training, a job-search group
# of five half-days with two trainers follows JOBS (domain-reference.md §5.3).
PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec(
        slug="rechten-en-plichten",
        name="Workshop Rechten & plichten",
        goal_type=GoalType.KNOWLEDGE,
        session_count=1,
        session_minutes=150,
        min_size=5,
        max_size=15,
        is_mandatory=True,
        is_continuous=False,
        trainers=(1, 1),
        run_weight=0.40,
        description=(
            "Voorlichting voor iedereen die een bijstandsuitkering heeft aangevraagd: welke rechten en plichten "
            "bij de uitkering horen, wat de gemeente verwacht en wat je zelf van ons mag verwachten."
        ),
        target_group="Alle nieuwe aanvragers van een uitkering (Participatiewet), enkele weken na de aanvraag.",
    ),
    ProgrammeSpec(
        slug="empowermenttraining",
        name="Empowermenttraining",
        goal_type=GoalType.MINDSET,
        session_count=6,
        session_minutes=180,
        min_size=8,
        max_size=12,
        is_mandatory=False,
        is_continuous=False,
        trainers=(2, 2),
        run_weight=0.20,
        description=(
            "Zes bijeenkomsten waarin deelnemers werken aan vertrouwen in eigen kunnen, eigen regie en "
            "zelfredzaamheid, en van en met elkaar leren."
        ),
        target_group=(
            "Cliënten met een grote afstand tot de arbeidsmarkt die een eigen doel kunnen benoemen. "
            "Niet bij een acute crisis of actieve verslaving."
        ),
    ),
    ProgrammeSpec(
        slug="sollicitatietraining",
        name="Sollicitatietraining",
        goal_type=GoalType.JOB,
        session_count=5,
        session_minutes=180,
        min_size=8,
        max_size=15,
        is_mandatory=False,
        is_continuous=True,
        trainers=(2, 2),
        run_weight=0.25,
        description=(
            "Vijf dagdelen: cv en motivatiebrief, vacatures vinden, netwerken, het gesprek oefenen en omgaan "
            "met afwijzing. Doorlopende instroom: deelnemers stromen in bij elke bijeenkomst."
        ),
        target_group="Cliënten die binnen een half jaar aan het werk kunnen en willen solliciteren.",
    ),
    ProgrammeSpec(
        slug="sova-training",
        name="SOVA-training",
        goal_type=GoalType.SKILLS,
        session_count=8,
        session_minutes=120,
        min_size=6,
        max_size=10,
        is_mandatory=False,
        is_continuous=False,
        trainers=(1, 2),
        run_weight=0.15,
        description=(
            "Sociale vaardigheden voor werk: contact maken, grenzen aangeven, feedback geven en ontvangen, "
            "samenwerken. Oefenen in kleine groep met rollenspel."
        ),
        target_group="Cliënten bij wie sociale vaardigheden de stap naar werk of participatie in de weg staan.",
    ),
)
DEMO_TRAINER_PROGRAMMES = ("rechten-en-plichten", "empowermenttraining", "sollicitatietraining")


@dataclass(frozen=True)
class RoomSpec:
    name: str
    capacity: int
    has_daylight: bool
    accessible_without_escort: bool
    has_av: bool


# Five rooms per location; the small size uses the first three. Some lack daylight, some need an escort.
ROOMS_PER_LOCATION: tuple[tuple[RoomSpec, ...], ...] = (
    (
        RoomSpec("Trainingsruimte 1", 16, True, True, True),
        RoomSpec("Trainingsruimte 2", 12, True, True, False),
        RoomSpec("Kelderzaal", 20, False, True, True),
        RoomSpec("Spreekkamer Groot", 8, True, True, False),
        RoomSpec("Vergaderzaal 3e etage", 14, True, False, True),
    ),
    (
        RoomSpec("Zaal De Haven", 15, True, True, True),
        RoomSpec("Cursusruimte", 10, False, True, False),
        RoomSpec("Zaal Rietkraag", 18, True, False, True),
        RoomSpec("Kleine zaal", 8, True, True, False),
        RoomSpec("Leslokaal 2", 12, True, True, True),
    ),
    (
        RoomSpec("Raadzaal", 20, True, False, True),
        RoomSpec("Commissiekamer", 12, True, True, True),
        RoomSpec("Ontmoetingsruimte", 10, True, True, False),
        RoomSpec("Souterrain", 14, False, True, False),
        RoomSpec("Studio", 8, False, True, True),
    ),
)

STREETS = (
    "Dorpsstraat", "Kerkstraat", "Molenweg", "Schoolstraat", "Julianastraat", "Beatrixlaan",
    "Wilhelminastraat", "Emmastraat", "Prins Bernhardlaan", "Oranjestraat", "Nieuwstraat", "Marktstraat",
    "Havenkade", "Dijkweg", "Lindelaan", "Eikenlaan", "Beukenlaan", "Populierenstraat", "Merelstraat",
    "Lijsterweg", "Zwanenhof", "Meeuwenlaan", "Tulpstraat", "Rozenstraat", "Narcissenlaan", "Vondellaan",
    "Rembrandtstraat", "Van Goghstraat", "Mozartlaan", "Schubertstraat", "Sportlaan", "Parkweg",
    "Stationsweg", "Burgemeester Kooistraat", "Koningin Julianaplein", "Polderweg", "Waardsedijk",
    "Meerzicht", "Veldweg", "Heidelaan", "Kastanjehof", "Wilgenstraat", "Spoorstraat", "Kanaalweg",
)  # fmt: skip

# Curated name lists where Faker has no Latin-script locale (or, for tr_TR, mostly rare names).
# fmt: off
NAME_LISTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "turkish": (
        ("Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "Murat", "Emre", "Yusuf", "Kemal",
         "Burak"),
        ("Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Özlem", "Yasemin", "Sevgi", "Derya", "Büşra",
         "Merve"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir",
         "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Özkan"),
    ),
    "maghreb": (
        ("Mohamed", "Youssef", "Said", "Karim", "Mustafa", "Hamza", "Bilal", "Anouar", "Rachid", "Ilias"),
        ("Fatima", "Khadija", "Samira", "Naima", "Hanan", "Souad", "Latifa", "Imane", "Malika", "Siham"),
        ("El Idrissi", "Bouzid", "Amrani", "El Khatib", "Benali", "Ouali", "Azzouzi", "El Hamdaoui", "Boukhari",
         "Haddou", "Tahiri", "Chaibi", "Mansouri", "Ait Taleb", "Lamrini"),
    ),
    "levant_horn": (
        ("Ahmad", "Omar", "Khaled", "Tesfay", "Yonas", "Mehari", "Samir", "Rami", "Bereket", "Dawit"),
        ("Rania", "Lina", "Huda", "Senait", "Helen", "Selam", "Nour", "Rahel", "Aster", "Dima"),
        ("Al-Hassan", "Haddad", "Kassem", "Tesfamariam", "Gebremedhin", "Abraha", "Mahmoud", "Haile", "Hamdan",
         "Berhane", "Al-Ali", "Yohannes"),
    ),
    "caribbean": (
        ("Ravi", "Sunil", "Dinesh", "Rajesh", "Kenneth", "Errol", "Glenn", "Romano", "Anand", "Clyde"),
        ("Shanti", "Priya", "Sharmila", "Natasha", "Jennifer", "Germaine", "Kavita", "Sandra", "Reshma", "Gerda"),
        ("Ramdin", "Sewdien", "Jagroep", "Kalloe", "Soekhai", "Pinas", "Wijngaarde", "Doelwijt", "Brunings",
         "Martina", "Rosalia", "Bhagwandin", "Mahabier", "Ramsaran"),
    ),
}
# fmt: on

# Name backgrounds of clients; flags are drawn independently of them.
BACKGROUNDS: tuple[tuple[str, float], ...] = (
    ("nl_NL", 0.62),
    ("maghreb", 0.10),
    ("turkish", 0.08),
    ("levant_horn", 0.08),
    ("caribbean", 0.07),
    ("pl_PL", 0.05),
)
FAKER_LOCALES = ("nl_NL", "pl_PL")

# Age bands of clients (18 up to state-pension age), weighted toward the older bands of a bijstand caseload.
AGE_BANDS: tuple[tuple[int, int, float], ...] = ((18, 26, 0.10), (27, 44, 0.38), (45, 54, 0.24), (55, 66, 0.28))

# BSNs: "999" followed by five digits whose first is not 9, plus the elfproef check digit. The 99999xxxx block
# is where RvIG's public BRP test persons live (e.g. 999993653), so these numbers look like test data, stay clear
# of those published persons, and are not known to be issued to residents. About 81,800 numbers pass the
# elfproef in this block, enough for the large size.
BSN_PREFIX = "999"
BSN_BLOCK = (0, 90_000)  # the five digits after the prefix, 00000-89999

# Runs start between nine months ago and three months ahead.
RUN_WINDOW_DAYS = (-270, 90)
CANCELLED_SHARE = 0.05
DAYPARTS = ("morning", "afternoon")


# --- Trajectories (Gewogen Maatwerk dossiers) ---------------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentTypeSpec:
    name: str
    kind: str
    default_weeks: int | None
    purposes: tuple[str, ...]
    results: tuple[str, ...]


# The catalogue; the group programmes follow PROGRAMMES (by slug), with a duration that covers the sessions.
GROUP_PROGRAMME_WEEKS = {
    "rechten-en-plichten": 2,
    "empowermenttraining": 8,
    "sollicitatietraining": 6,
    "sova-training": 10,
}
INSTRUMENT_TYPES: tuple[InstrumentTypeSpec, ...] = (
    InstrumentTypeSpec(
        "Individuele coaching",
        "coaching",
        12,
        ("Werken aan vertrouwen in eigen kunnen", "Samen een haalbare volgende stap kiezen", "Structuur in de week"),
        ("Maakt zelf een weekplanning", "Benoemt zelf drie sterke punten", "Komt afspraken zelfstandig na"),
    ),
    InstrumentTypeSpec(
        "Taalcursus NT2",
        "schooling",
        20,
        ("Nederlands verbeteren voor werk", "Brieven en formulieren leren lezen"),
        ("Niveau A2 gehaald", "Kan zich redden in een werkgesprek"),
    ),
    InstrumentTypeSpec(
        "Werkervaringsplaats",
        "work_experience",
        26,
        ("Werkritme opdoen in een echte werkomgeving", "Ervaring opdoen in de gekozen sector"),
        ("Werkt drie dagen per week zelfstandig", "Referentie van de werkgever"),
    ),
    InstrumentTypeSpec(
        "Sollicitatiebegeleiding",
        "job_hunting",
        8,
        ("Gericht solliciteren", "Cv en motivatiebrief op orde"),
        ("Drie sollicitaties per maand", "Uitnodiging voor een gesprek"),
    ),
    InstrumentTypeSpec(
        "Schuldhulpverlening (verwijzing)",
        "debt_help",
        None,
        ("Rust in de financiën", "Overzicht van schulden en vaste lasten"),
        ("Aanmelding bij de schuldhulpverlening rond", "Budgetplan loopt"),
    ),
    InstrumentTypeSpec(
        "Vrijwilligerswerk",
        "other",
        None,
        ("Dagritme en sociale contacten", "Ontdekken wat bij past"),
        ("Werkt twee dagdelen per week als vrijwilliger", "Weet welk werk energie geeft"),
    ),
)
GROUP_PROGRAMME_PURPOSES = ("Leren van en met anderen in een groep", "Oefenen in een veilige groep")
GROUP_PROGRAMME_RESULTS = ("Alle bijeenkomsten bijgewoond", "Past het geleerde toe in de eigen situatie")
UNSPECIFIED_WEEKS = 16  # planned duration of an instrument whose catalogue entry has no usual duration

TRAJECTORY_SHARE = 0.70  # clients of other consultants with an open trajectory
EARLIER_TRAJECTORY_SHARE = 0.15  # of clients with an open trajectory: also an ended one before it
ENDED_ONLY_SHARE = 0.20  # of clients without an open trajectory: an ended one
OUTFLOW_SHARES = (
    ("work_part_time", 0.22),
    ("work_full_time", 0.13),
    ("education", 0.10),
    ("other_participation", 0.20),
    ("moved", 0.10),
    ("other", 0.25),
)
# Per open trajectory the chance of each caseload signal (selectors in koers.caseload).
REVIEW_OVERDUE_SHARE = 0.15
OVER_DURATION_SHARE = 0.10
URGENT_BARRIER_SHARE = 0.08  # a 1 for housing or finances in the latest assessment
URGENT_WITHOUT_ACTION_SHARE = 0.5  # of those: no planned or active instrument
REPORT_OVERDUE_SHARE = 0.25

PERSPECTIVES = (
    "Ik wil weer in de zorg werken.",
    "Ik wil een vaste baan, het liefst in de buurt.",
    "Ik wil mijn eigen geld verdienen.",
    "Ik wil iets met mijn handen doen, in de bouw of de techniek.",
    "Ik wil over een jaar een opleiding volgen.",
    "Ik wil in de logistiek werken, bijvoorbeeld in een magazijn.",
    "Ik wil weer tussen de mensen zijn.",
    "Ik wil een voorbeeld zijn voor mijn kinderen.",
    "Ik wil in een winkel werken.",
    "Ik wil koken in een restaurant.",
    "Ik wil eerst mijn schulden oplossen en dan werken.",
    "Ik wil goed Nederlands leren en dan werk zoeken.",
    "Ik wil parttime werken naast de zorg voor mijn moeder.",
    "Ik wil weer structuur in mijn dagen.",
)
STRENGTHS = (
    "Ik ben goed met mijn handen.",
    "Ik ben altijd op tijd.",
    "Ik kan goed met kinderen omgaan.",
    "Ik ben zorgzaam.",
    "Ik werk hard als ik ergens voor ga.",
    "Ik kan goed luisteren.",
    "Ik spreek drie talen.",
    "Ik heb een rijbewijs.",
    "Ik ben creatief.",
    "Ik kan goed plannen.",
    "Ik heb ervaring in de schoonmaak.",
    "Ik leer snel.",
    "Mijn familie steunt mij.",
    "Ik ben eerlijk en betrouwbaar.",
)
PLAN_AGREEMENTS = (
    "Ik ben het eens met dit plan.",
    "Dit plan past bij wat ik wil.",
    "Ik ga ervoor, ook al vind ik het spannend.",
    "Akkoord, we kijken over een paar maanden of het werkt.",
    "Ik vind het een goed plan.",
)
GOALS = (
    "Ik wil een werkervaringsplaats vinden.",
    "Ik wil mijn cv afmaken.",
    "Ik wil elke week drie keer solliciteren.",
    "Ik wil mijn rijbewijs halen.",
    "Ik wil beter Nederlands spreken.",
    "Ik wil vrijwilligerswerk doen.",
    "Ik wil rust in mijn geldzaken.",
    "Ik wil een vast dagritme.",
    "Ik wil een opleiding in de zorg starten.",
    "Ik wil meer vertrouwen in mezelf.",
    "Ik wil een baan van twintig uur per week.",
    "Ik wil een eigen woning.",
)
INTERMEDIATE_GOALS = (
    "Ik wil eerst een gesprek met een werkgever oefenen.",
    "Ik wil eerst uitzoeken welke opleidingen er zijn.",
    "Ik wil eerst mijn post elke week openmaken.",
    "Ik wil eerst twee dagen per week op tijd opstaan.",
    "Ik wil eerst mijn schulden op een rij zetten.",
)
TARGET_BEHAVIOURS = (
    "Solliciteren op banen buiten de detailhandel",
    "Zelfstandig afspraken nakomen",
    "Elke week de post openen en ordenen",
    "Hulp vragen als het niet lukt",
    "Drie dagdelen per week vrijwilligerswerk doen",
    "Nederlands spreken buiten de les",
    "Contact opnemen met werkgevers",
)
# Per IGM factor: a description for a low (1-2), middling (3) and high (4-5) score.
IGM_DESCRIPTIONS: dict[str, tuple[str, str, str]] = {
    "attitude": (
        "Ziet er vooral nadelen van.",
        "Ziet voor- en nadelen.",
        "Is er positief over.",
    ),
    "perceived_norm": (
        "Omgeving moedigt het niet aan.",
        "Omgeving is verdeeld.",
        "Familie en vrienden steunen het.",
    ),
    "self_efficacy": (
        "Denkt dat het niet gaat lukken.",
        "Twijfelt of het lukt.",
        "Heeft vertrouwen dat het lukt.",
    ),
    "intention": (
        "Is het nog niet van plan.",
        "Denkt erover na.",
        "Is vastbesloten om het te doen.",
    ),
    "skills": (
        "Mist nog kennis en vaardigheden.",
        "Heeft de basis, oefening nodig.",
        "Heeft de nodige vaardigheden.",
    ),
    "barriers": (
        "Zorgtaken en vervoer staan in de weg.",
        "Enkele praktische drempels.",
        "Weinig praktische belemmeringen.",
    ),
}
REPORT_CHANGED = (
    "Meer zelfvertrouwen dan vorige periode.",
    "Komt afspraken beter na.",
    "Heeft de eerste stap gezet.",
    "Weinig veranderd; er speelde veel thuis.",
    "Praat er nu open over.",
    "Heeft zelf contact gezocht.",
    "Oefent wekelijks.",
    "Nog geen verandering zichtbaar.",
)
REPORT_NEXT = (
    "Volgende stap samen plannen.",
    "Blijven oefenen met ondersteuning.",
    "Over vier weken evalueren.",
    "Netwerk erbij betrekken.",
    "Doorgaan op de ingeslagen weg.",
    "Drempel bespreken in het volgende gesprek.",
)
REPORT_SUMMARIES = (
    "Goede voortgang; de cliënt werkt gemotiveerd aan de doelen.",
    "Wisselende periode, maar de cliënt blijft betrokken.",
    "Stap voor stap vooruit; het dagritme is beter.",
    "Weinig voortgang door privéomstandigheden; plan blijft staan.",
    "Duidelijke groei in zelfvertrouwen.",
)
OUTCOMES = (
    "Afgerond volgens plan.",
    "Doel bereikt; de cliënt gaat zelfstandig verder.",
    "Afgerond; deels bereikt, vervolg in nieuw instrument.",
)
STOP_REASONS = (
    "Gestopt wegens gezondheidsklachten.",
    "Paste niet bij de cliënt; ander instrument gekozen.",
    "Cliënt heeft werk gevonden.",
    "Gestopt op verzoek van de cliënt.",
)
