"""What the demo organisation consists of: sizes, places, teams, the programme catalogue, rooms, the shares of client
needs, and the texts of dossiers and group work (referrals, session logs, hand-off signals, evaluations).

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
    runs: int  # runs starting from ``history_days`` ago up to RUN_AHEAD_DAYS ahead
    history_days: int
    earlier_trajectory_share: float  # of clients with an open trajectory: also an ended one before it
    ended_only_share: float  # of clients without an open trajectory: an ended one
    # Whether clients take part in runs with a trajectory that has since ended: needed for a history of years, in
    # which most participants of the first runs have moved on (and their outflow counts in the financier report).
    ended_in_groups: bool
    snapshot_months: int  # month ends with a principles snapshot, for the audit's trend


# small: about 1,000 clients and 30 staff, group work of the last nine months; large: 40,000 clients and about 390
# staff, with three years of group work and the outflow of those years, so reports over years have data behind them.
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
        history_days=270,
        earlier_trajectory_share=0.15,
        ended_only_share=0.20,
        ended_in_groups=False,
        snapshot_months=6,
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
        runs=2_700,
        history_days=1_095,
        earlier_trajectory_share=0.20,
        ended_only_share=0.40,
        ended_in_groups=True,
        snapshot_months=12,
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
class QuestionnaireSpec:
    title: str
    introduction: str
    questions: tuple[tuple[str, str], ...]  # (text, "scale" or "text")


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
    learning_goals: str
    selection_criteria: str
    contra_indications: tuple[str, ...]
    contra_indication_notes: str
    what_to_bring: str
    evaluation_plan: str
    protocol: tuple[tuple[str, str], ...]  # (title, content) per session
    learning_question: str  # the participant questionnaire's question on what was learnt
    variants: tuple[tuple[str, float], ...]  # (Variant, share of runs)
    waiting_per_run: float  # waiting referrals per run of the programme (a realistic waiting list)
    small_group_max_size: int | None = None
    is_evening: bool = False
    mandatory_reason: str = ""
    deadline_weeks: int | None = None
    requires_need: str | None = None  # a need the target group has (FlagKind)
    # Trainer time model: prep, materials, arrangements, set-up, clearing, report (hours around an 8-hour day).
    time_model: tuple[str, str, str, str, str, str] = ("1.50", "0.50", "0.50", "0.75", "0.25", "0.50")

    @property
    def offers(self) -> frozenset[str]:
        return frozenset(variant for variant, _ in self.variants)


# Formats follow DOMAIN.md §4 and the seeds: the workshop is one session for about fifteen people
# (shared/seeds/000_…; domain-reference.md §5.3), six meetings is common for a training, 8–15 participants for the
# empowerment training. Every catalogue field is filled, as a functional administrator would.
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
        is_continuous=True,
        trainers=(1, 1),
        run_weight=0.34,
        description=(
            "Voorlichting voor iedereen die een bijstandsuitkering heeft aangevraagd: welke rechten en plichten "
            "bij de uitkering horen, wat de gemeente verwacht en wat je zelf van ons mag verwachten. Elke week "
            "een nieuwe workshop; je schuift aan bij de eerstvolgende."
        ),
        target_group="Alle nieuwe aanvragers van een uitkering (Participatiewet), enkele weken na de aanvraag.",
        learning_goals=(
            "Na de workshop weet de deelnemer:\n"
            "- welke plichten bij de bijstandsuitkering horen (inlichtingenplicht, arbeidsverplichtingen, "
            "tegenprestatie) en wat er gebeurt als je ze niet nakomt;\n"
            "- welke rechten je hebt (bijzondere bijstand, toeslagen, kwijtschelding, bezwaar maken);\n"
            "- wat de klantmanager van je verwacht en wat jij van de klantmanager mag verwachten;\n"
            "- waar je terechtkunt met vragen over je uitkering."
        ),
        selection_criteria=(
            "Iedereen met een nieuwe aanvraag voor een bijstandsuitkering, binnen vier weken na de aanvraag. Ook "
            "voor wie opnieuw een uitkering aanvraagt na meer dan een jaar zonder uitkering."
        ),
        contra_indications=(FlagKind.ACUTE_CRISIS,),
        contra_indication_notes=(
            "Bij een acute crisis (dreigende huisuitzetting, beslag op het inkomen) eerst stabiliseren: de "
            "klantmanager legt de regels dan in een persoonlijk gesprek uit en de termijn schuift op. Wie de "
            "workshop in het afgelopen jaar al volgde, hoeft niet opnieuw."
        ),
        what_to_bring=(
            "Je identiteitsbewijs en de uitnodigingsbrief. Heb je vragen over je eigen situatie? Schrijf ze op "
            "en neem ze mee."
        ),
        evaluation_plan=(
            "Direct na de workshop vullen deelnemers een korte vragenlijst in (was het duidelijk, weet je wat je "
            "moet doen). De trainer evalueert elke workshop. De klantmanager geeft na het eerste gesprek aan of de "
            "cliënt de afspraken kent. Het team bespreekt de uitkomsten elk kwartaal."
        ),
        protocol=(
            (
                "Rechten en plichten bij de bijstand",
                "Welkom en kennismaking (15 min). De inlichtingenplicht met voorbeelden uit de praktijk: wat geef je "
                "door en wanneer (30 min). Arbeidsverplichtingen en tegenprestatie (30 min). Pauze. Rechten: "
                "bijzondere bijstand, toeslagen, kwijtschelding, bezwaar en beroep (30 min). Quiz 'Wat zou jij "
                "doen?' in tweetallen (20 min). Vragen en afsluiting; wie een persoonlijke vraag heeft, maakt een "
                "afspraak met de klantmanager (15 min).",
            ),
        ),
        learning_question="Ik weet nu wat ik moet doen om mijn uitkering goed te houden.",
        variants=(("standard", 0.8), ("language_support", 0.2)),
        waiting_per_run=0.5,
        mandatory_reason=(
            "De workshop hoort bij je aanvraag voor een uitkering. Je hoort hier welke regels er gelden en wat je "
            "rechten zijn. Zo voorkom je dat je per ongeluk iets fout doet en geld moet terugbetalen."
        ),
        deadline_weeks=4,
        # Standard content, given every week: less preparation than the seed table's 1.5 hours.
        time_model=("1.00", "0.25", "0.50", "0.75", "0.25", "0.50"),
    ),
    ProgrammeSpec(
        slug="empowermenttraining",
        name="Empowermenttraining",
        goal_type=GoalType.MINDSET,
        session_count=6,
        session_minutes=150,
        min_size=8,
        max_size=15,
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
        learning_goals=(
            "De deelnemer:\n"
            "- kent de eigen sterke kanten en kan ze benoemen;\n"
            "- formuleert een eigen, haalbaar doel en een eerste stap;\n"
            "- ervaart meer vertrouwen in eigen kunnen;\n"
            "- weet hoe hij of zij steun vraagt in het eigen netwerk;\n"
            "- gaat met tegenslag om zonder op te geven."
        ),
        selection_criteria=(
            "Kan een eigen verwachting of doel benoemen, al is het klein. Wil zes bijeenkomsten volgen en thuis "
            "kleine opdrachten doen. Verstaat genoeg Nederlands om mee te doen, of volgt de variant met "
            "taalondersteuning. Wie grote groepen spannend vindt, kan in de kleine groep."
        ),
        contra_indications=(FlagKind.ACUTE_CRISIS, FlagKind.ACTIVE_ADDICTION, FlagKind.NO_GOAL),
        contra_indication_notes=(
            "Niet bij psychische klachten die deelname aan een groep nu onmogelijk maken (eerst overleggen met de "
            "behandelaar). Niet zolang kinderopvang of vervoer niet geregeld is: dat eerst regelen."
        ),
        what_to_bring="Pen en het werkboek dat je bij de eerste bijeenkomst krijgt. Koffie en thee staan klaar.",
        evaluation_plan=(
            "Voor de eerste en na de laatste bijeenkomst vullen deelnemers de korte IGM-vragenlijst in (houding, "
            "vertrouwen in eigen kunnen, intentie). Na de laatste bijeenkomst: evaluatie door deelnemers, trainers "
            "en klantmanagers. Drie maanden later bespreekt de klantmanager de voortgang op het eigen doel."
        ),
        protocol=(
            (
                "Kennismaken en verwachtingen",
                "Kennismaking in tweetallen; verwachtingen ophalen; groepsafspraken maken (vertrouwelijkheid, op "
                "tijd komen, afmelden). Uitleg van de werkwijze en het werkboek.",
            ),
            (
                "Mijn kwaliteiten",
                "Kwaliteitenspel in kleine groepjes; feedback van anderen op je sterke kanten. Thuisopdracht: vraag "
                "twee mensen wat jij goed kunt.",
            ),
            (
                "Wat wil ik?",
                "Toekomstperspectief verkennen met de oefening droom-doel-stap. Een eigen doel formuleren in eigen "
                "woorden en haalbaar maken.",
            ),
            (
                "Vertrouwen in eigen kunnen",
                "Succeservaringen uit het verleden delen; helpende en belemmerende gedachten herkennen. Een kleine "
                "stap voor de komende week kiezen.",
            ),
            (
                "Steun in mijn omgeving",
                "Netwerkkaart maken: wie steunt mij, wie remt mij? Oefenen met hulp vragen in een rollenspel.",
            ),
            (
                "Vooruitkijken en afsluiten",
                "Terugblik op de eigen stappen, actieplan voor de komende drie maanden, certificaat. Evaluatie en "
                "afspraken over de overdracht naar de klantmanager.",
            ),
        ),
        learning_question="Ik heb meer vertrouwen in wat ik zelf kan.",
        variants=(("standard", 0.6), ("small_group", 0.2), ("language_support", 0.2)),
        waiting_per_run=1.2,
        small_group_max_size=8,
    ),
    ProgrammeSpec(
        slug="sollicitatietraining",
        name="Sollicitatietraining",
        goal_type=GoalType.JOB,
        session_count=6,
        session_minutes=180,
        min_size=8,
        max_size=15,
        is_mandatory=False,
        is_continuous=True,
        trainers=(2, 2),
        run_weight=0.22,
        description=(
            "Zes dagdelen: cv en motivatiebrief, vacatures vinden, netwerken, het gesprek oefenen en omgaan met "
            "afwijzing. In de blended variant werk je tussen de bijeenkomsten online aan opdrachten. Doorlopende "
            "instroom: je stroomt in bij elke bijeenkomst."
        ),
        target_group="Cliënten die binnen een half jaar aan het werk kunnen en willen solliciteren.",
        learning_goals=(
            "De deelnemer:\n"
            "- heeft een actueel cv en een motivatiebrief die bij een echte vacature past;\n"
            "- vindt vacatures, ook buiten de eigen droombaan, en gebruikt het eigen netwerk;\n"
            "- vertelt in een gesprek in twee minuten wie hij of zij is en wat hij of zij kan;\n"
            "- weet hoe je na een afwijzing verdergaat."
        ),
        selection_criteria=(
            "Kan en wil binnen zes maanden aan het werk, ook parttime. Heeft een beeld van het soort werk. Kan met "
            "een computer of smartphone omgaan, of krijgt hulp bij de online opdrachten."
        ),
        contra_indications=(FlagKind.ACUTE_CRISIS, FlagKind.ACTIVE_ADDICTION, FlagKind.NO_GOAL),
        contra_indication_notes=(
            "Niet voor wie (nog) niet kan werken door gezondheid of zorgtaken: dan eerst een ander instrument, "
            "zoals vrijwilligerswerk of individuele coaching."
        ),
        what_to_bring=(
            "Je cv als je dat hebt, je telefoon en een vacature die je interessant vindt. Voor de blended variant: "
            "een laptop of tablet thuis, of je gebruikt de computers op het Werkplein."
        ),
        evaluation_plan=(
            "Na de laatste bijeenkomst: evaluatie door deelnemers, trainers en klantmanagers. De klantmanager houdt "
            "zes maanden bij wie een baan vindt (uitstroom naar werk) en bespreekt dat twee keer per jaar met de "
            "trainers."
        ),
        protocol=(
            (
                "Wie ben ik en wat kan ik?",
                "Kennismaking, groepsafspraken, eigen kwaliteiten en werkervaring in kaart. Start van het cv.",
            ),
            (
                "Cv en motivatiebrief",
                "Cv afmaken en op elkaars cv feedback geven. Motivatiebrief schrijven bij een echte vacature.",
            ),
            (
                "Vacatures vinden en netwerken",
                "Vacaturesites, uitzendbureaus en het verborgen aanbod. Netwerkkaart maken; oefenen met een "
                "belletje naar een bekende.",
            ),
            (
                "Het sollicitatiegesprek",
                "Veelgestelde vragen voorbereiden; gesprek oefenen in drietallen met een observator.",
            ),
            (
                "Oefenen met een werkgever",
                "Een werkgever uit de regio voert oefengesprekken; feedback direct na het gesprek.",
            ),
            (
                "Omgaan met afwijzing en verder",
                "Ervaringen delen; wat leer je van een afwijzing? Eigen actieplan en afspraken met de klantmanager.",
            ),
        ),
        learning_question="Ik weet nu beter hoe ik moet solliciteren.",
        variants=(("standard", 0.6), ("blended", 0.4)),
        waiting_per_run=0.6,
        time_model=("1.50", "0.75", "0.50", "0.75", "0.25", "0.50"),
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
        run_weight=0.12,
        description=(
            "Sociale vaardigheden voor werk: contact maken, grenzen aangeven, feedback geven en ontvangen, "
            "samenwerken. Oefenen in kleine groep met rollenspel."
        ),
        target_group="Cliënten bij wie sociale vaardigheden de stap naar werk of participatie in de weg staan.",
        learning_goals=(
            "De deelnemer:\n"
            "- maakt contact met een onbekende (collega, werkgever) en houdt een kort gesprek gaande;\n"
            "- geeft op een rustige manier een grens aan;\n"
            "- geeft en ontvangt feedback zonder boos of stil te worden;\n"
            "- werkt samen aan een opdracht en maakt afspraken over wie wat doet."
        ),
        selection_criteria=(
            "Wil zelf werken aan de omgang met anderen en kan benoemen in welke situaties het lastig is. Wil oefenen "
            "met rollenspel. Wie veel spanning ervaart in een groep, kan in de kleine groep."
        ),
        contra_indications=(FlagKind.ACUTE_CRISIS, FlagKind.ACTIVE_ADDICTION),
        contra_indication_notes=(
            "Niet bij agressieproblematiek die de veiligheid van de groep in gevaar brengt; dan eerst individuele "
            "begeleiding."
        ),
        what_to_bring="Niets bijzonders: makkelijke kleding voor de oefeningen. Koffie en thee staan klaar.",
        evaluation_plan=(
            "Bij de start en na de laatste bijeenkomst schat de deelnemer de eigen vaardigheden in op vijf "
            "situaties. Na afloop evalueren deelnemers, trainers en klantmanagers."
        ),
        protocol=(
            ("Kennismaken en veiligheid", "Kennismaking, groepsafspraken en uitleg over rollenspel als werkvorm."),
            ("Contact maken", "Een gesprek beginnen en gaande houden; oefenen in tweetallen."),
            ("Luisteren en doorvragen", "Actief luisteren; samenvatten; oefenen met doorvragen."),
            ("Grenzen aangeven", "Nee zeggen zonder ruzie; rollenspel met situaties van de deelnemers."),
            ("Feedback geven", "Feedback geven volgens de ik-boodschap; oefenen in drietallen."),
            ("Feedback ontvangen", "Kritiek aanhoren zonder boos of stil te worden; oefenen met de trainer."),
            ("Samenwerken", "Groepsopdracht met rolverdeling; nabespreken wat goed ging."),
            (
                "Toepassen en afsluiten",
                "Eigen oefensituatie voor de komende weken; terugblik, evaluatie en overdracht.",
            ),
        ),
        learning_question="Ik kan beter met anderen omgaan, bijvoorbeeld op het werk.",
        variants=(("standard", 0.5), ("small_group", 0.5)),
        waiting_per_run=1.0,
        small_group_max_size=6,
        time_model=("1.50", "0.75", "0.50", "0.75", "0.25", "0.50"),
    ),
    ProgrammeSpec(
        slug="werkfit-taal",
        name="Werkfit met taalondersteuning",
        goal_type=GoalType.SKILLS,
        session_count=8,
        session_minutes=150,
        min_size=6,
        max_size=12,
        is_mandatory=False,
        is_continuous=False,
        trainers=(1, 2),
        run_weight=0.12,
        description=(
            "Acht bijeenkomsten over werken in Nederland: werknemersvaardigheden en de taal die je op het werk "
            "nodig hebt. Met extra taalondersteuning: korte zinnen, beelden en veel oefenen."
        ),
        target_group="Cliënten die Nederlands op een niveau onder B1 spreken en willen werken.",
        learning_goals=(
            "De deelnemer:\n"
            "- kent de regels en gewoonten op een Nederlandse werkvloer (op tijd komen, ziek melden, overleg);\n"
            "- begrijpt een werkinstructie en vraagt om uitleg als iets niet duidelijk is;\n"
            "- stelt zich in het Nederlands voor aan een werkgever;\n"
            "- kent de eigen wensen voor werk en de volgende stap."
        ),
        selection_criteria=(
            "Taalniveau Nederlands onder B1 (volgens de klantmanager of de taalschool). Wil werken of een "
            "werkervaringsplaats. Kan acht keer een ochtend of middag komen."
        ),
        contra_indications=(FlagKind.ACUTE_CRISIS, FlagKind.ACTIVE_ADDICTION),
        contra_indication_notes="Niet als de cliënt op dezelfde dagdelen al een inburgeringscursus volgt.",
        what_to_bring="Pen, een schrift en je telefoon. Je krijgt een woordenlijst bij de eerste bijeenkomst.",
        evaluation_plan=(
            "Na afloop evaluatie door deelnemers (vragenlijst met pictogrammen, voorgelezen als dat nodig is), "
            "trainers en klantmanagers. De klantmanager kijkt na drie maanden of de cliënt een werkervaringsplaats "
            "of baan heeft."
        ),
        protocol=(
            ("Kennismaken", "Voorstellen in het Nederlands; groepsafspraken met pictogrammen; woordenlijst."),
            ("Werken in Nederland", "Regels en gewoonten op het werk; op tijd komen, afspraken nakomen."),
            ("Ziek melden en verlof", "Oefenen met een telefoongesprek: ziek melden en vrij vragen."),
            ("Een werkinstructie", "Een instructie begrijpen en om uitleg vragen; oefenen in tweetallen."),
            ("Samenwerken en overleg", "Overleg met collega's en een leidinggevende; rollenspel."),
            ("Veiligheid op het werk", "Veiligheidsborden, beschermingsmiddelen, wat doe je bij een ongeluk."),
            ("Mijzelf presenteren", "Kort vertellen wie je bent en wat je kunt; oefenen met een werkgever."),
            ("Mijn volgende stap", "Eigen plan voor werk of werkervaringsplaats; evaluatie en overdracht."),
        ),
        learning_question="Ik weet nu beter hoe het werk in Nederland gaat.",
        variants=(("language_support", 1.0),),
        waiting_per_run=1.0,
        requires_need=FlagKind.LOW_LANGUAGE,
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
    has_ventilation: bool = True
    door_can_stay_open: bool = False


# Five rooms per location; the small size uses the first three. Some lack daylight, some need an escort.
ROOMS_PER_LOCATION: tuple[tuple[RoomSpec, ...], ...] = (
    (
        RoomSpec("Trainingsruimte 1", 16, True, True, True, door_can_stay_open=True),
        RoomSpec("Trainingsruimte 2", 12, True, True, False),
        RoomSpec("Kelderzaal", 20, False, True, True, has_ventilation=False),
        RoomSpec("Spreekkamer Groot", 8, True, True, False),
        RoomSpec("Vergaderzaal 3e etage", 14, True, False, True),
    ),
    (
        RoomSpec("Zaal De Haven", 15, True, True, True, door_can_stay_open=True),
        RoomSpec("Cursusruimte", 10, False, True, False),
        RoomSpec("Zaal Rietkraag", 18, True, False, True),
        RoomSpec("Kleine zaal", 8, True, True, False),
        RoomSpec("Leslokaal 2", 12, True, True, True),
    ),
    (
        RoomSpec("Raadzaal", 20, True, False, True),
        RoomSpec("Commissiekamer", 12, True, True, True),
        RoomSpec("Ontmoetingsruimte", 10, True, True, False, door_can_stay_open=True),
        RoomSpec("Souterrain", 14, False, True, False, has_ventilation=False),
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

RUN_AHEAD_DAYS = 90  # the last runs start up to three months ahead
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
    "sollicitatietraining": 8,
    "sova-training": 10,
    "werkfit-taal": 10,
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


# --- Group work: referral, screening, waiting list, sessions, hand-off and evaluation ---------------------------

VARIANT_LABELS = {
    "standard": "standaard",
    "small_group": "kleine groep",
    "language_support": "extra taalondersteuning",
    "blended": "blended (deels thuis)",
}
# Per need (FlagKind), the variants that meet it, best first; a need no offered variant meets gets a support note.
NEED_VARIANTS: dict[str, tuple[str, ...]] = {
    FlagKind.LOW_LANGUAGE: ("language_support",),
    FlagKind.COGNITIVE_LIMITATION: ("small_group", "language_support"),
    FlagKind.PSYCHOLOGICAL_CONDITION: ("small_group", "blended"),
}
# What the group and trainer need to know, without the diagnosis behind it (the trainer never sees the flag).
SUPPORT_NOTES: dict[str, tuple[str, ...]] = {
    FlagKind.LOW_LANGUAGE: (
        "Spreekt nog weinig Nederlands: korte zinnen, voorbeelden en pictogrammen helpen. Een tolk via de "
        "telefoon mag.",
        "Lezen en schrijven gaan moeizaam; de klantmanager neemt de werkbladen vooraf met de cliënt door.",
    ),
    FlagKind.COGNITIVE_LIMITATION: (
        "Heeft baat bij korte, concrete instructies en herhaling; de klantmanager belt na elke bijeenkomst even na.",
        "Meer tijd geven voor opdrachten en een korte schriftelijke samenvatting meegeven.",
    ),
    FlagKind.PSYCHOLOGICAL_CONDITION: (
        "Vindt grote groepen spannend: een vaste plek bij de deur en even naar buiten kunnen helpt.",
        "Wisselende energie; bij een afmelding neemt de klantmanager contact op. Een eigen begeleider is op de "
        "hoogte en denkt mee.",
    ),
}

# Availability of clients (day parts, as Client.availability codes), with shares; empty means not recorded.
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri")
AVAILABILITY_PATTERNS: tuple[tuple[str, float], ...] = (
    ("weekdays", 0.45),  # every weekday morning and afternoon
    ("mornings", 0.18),  # school hours: mornings only
    ("not_wednesday", 0.10),
    ("not_friday", 0.05),
    ("afternoons", 0.05),  # a small job or care in the mornings
    ("unknown", 0.17),
)
LANGUAGE_LEVELS_LOW: tuple[tuple[str, float], ...] = (("below_a1", 0.15), ("A1", 0.40), ("A2", 0.45))
LANGUAGE_LEVELS_OTHER: tuple[tuple[str, float], ...] = (("B1", 0.15), ("B2", 0.25), ("native", 0.45), ("", 0.15))

# Why this group, for this client, now: a reason per programme, a sentence on the weakest IGM factor, and the goal.
ADDED_VALUE_REASONS: dict[str, tuple[str, ...]] = {
    "rechten-en-plichten": (
        "Cliënt heeft net een uitkering aangevraagd en kent de regels nog niet; in de workshop hoort cliënt samen met "
        "andere nieuwe aanvragers welke plichten gelden, zodat een terugvordering wordt voorkomen.",
        "Cliënt had eerder een uitkering in een andere gemeente en is onzeker over wat hier anders is. Samen met "
        "anderen vragen stellen werkt beter dan een folder.",
        "Cliënt vertelde bij de intake dat brieven van de gemeente stress geven. In de workshop worden de regels "
        "concreet met voorbeelden uitgelegd en kan cliënt horen dat anderen dezelfde vragen hebben.",
        "Cliënt weet niet welke rechten er zijn (bijzondere bijstand, kwijtschelding). De workshop geeft overzicht, "
        "zodat cliënt zelf weet waar hulp te vragen.",
    ),
    "empowermenttraining": (
        "Cliënt is al lang thuis en ziet weinig mensen. In de groep ervaart cliënt dat anderen in dezelfde situatie "
        "stappen zetten, en dat motiveert meer dan onze gesprekken.",
        "Cliënt benoemt vooral wat niet lukt. De oefeningen met kwaliteiten en feedback van groepsgenoten laten "
        "zien wat wel lukt; dat kan individueel minder goed.",
        "Cliënt wil wel, maar weet niet waar te beginnen. De training helpt een eigen doel en een eerste kleine "
        "stap te kiezen, met steun van de groep om die stap ook te zetten.",
        "Cliënt wacht vaak af tot anderen beslissen. In de groep oefent cliënt met eigen regie nemen in een "
        "veilige omgeving.",
        "Cliënt heeft na een moeilijke periode weer zin om iets op te pakken. De groep geeft ritme (een vaste "
        "ochtend per week) en contact met anderen.",
    ),
    "sollicitatietraining": (
        "Cliënt solliciteert wel, maar krijgt geen uitnodigingen. In de training worden cv en brief samen met "
        "anderen kritisch bekeken en verbeterd.",
        "Cliënt is zenuwachtig voor gesprekken. Oefenen met groepsgenoten en een echte werkgever geeft meer "
        "ervaring dan oefenen met de klantmanager alleen.",
        "Cliënt zoekt alleen naar de droombaan. In de groep ontdekt cliënt via de ervaringen van anderen welk "
        "werk ook past.",
        "Cliënt heeft lang niet gesolliciteerd en weet niet hoe het nu gaat (online, via netwerk). De training "
        "geeft de actuele aanpak en een netwerk van mensen die ook zoeken.",
        "Cliënt reageert sterk op afwijzingen en stopt dan. Ervaringen delen in de groep helpt om door te zetten.",
    ),
    "sova-training": (
        "Cliënt loopt op werkplekken vast in het contact met collega's. In rollenspel kan cliënt veilig oefenen "
        "met situaties die eerder misgingen.",
        "Cliënt vindt het moeilijk om nee te zeggen en neemt te veel op zich. De groep geeft directe feedback op "
        "hoe dat overkomt.",
        "Cliënt reageert fel op kritiek. In een kleine groep oefent cliënt met feedback ontvangen, met begeleiding "
        "van de trainer.",
        "Cliënt is stil en maakt moeilijk contact. Oefenen met lotgenoten in een kleine groep is een haalbare "
        "eerste stap richting werk.",
    ),
    "werkfit-taal": (
        "Cliënt wil graag werken maar kent de gewoonten op een Nederlandse werkvloer nog niet. In de groep leert "
        "cliënt die met werktaal die direct geoefend wordt.",
        "Cliënt spreekt thuis geen Nederlands. De groep is een plek om de taal in werksituaties te oefenen, met "
        "anderen die ook aan het leren zijn.",
        "Cliënt heeft werkervaring uit het land van herkomst, maar weet niet hoe dat hier te vertellen. In de "
        "training oefent cliënt zich voor te stellen aan een werkgever.",
        "Cliënt durft de telefoon niet op te nemen in het Nederlands. In de groep wordt in kleine stappen "
        "geoefend met ziek melden en afspraken maken.",
    ),
}
ADDED_VALUE_BY_FACTOR: dict[str, str] = {
    "attitude": "Cliënt ziet nog weinig nut in de stap (houding); van groepsgenoten hoort cliënt wat het hen oplevert.",
    "perceived_norm": (
        "De omgeving moedigt de stap nauwelijks aan (sociale norm); de groep geeft contact met mensen die wel "
        "stappen zetten."
    ),
    "self_efficacy": (
        "Het vertrouwen in eigen kunnen is laag (eigen effectiviteit); oefenen in een veilige groep geeft kleine "
        "succeservaringen."
    ),
    "intention": (
        "Cliënt twijfelt nog of het de moeite waard is (intentie); samen met anderen wordt de eerste stap concreter."
    ),
    "skills": ("Vooral kennis en vaardigheden ontbreken; in de groep wordt geoefend en krijgt cliënt direct feedback."),
    "barriers": (
        "Praktische drempels spelen mee (omgevingsfactoren); de groep is dichtbij, op een vaste dag, en "
        "de klantmanager regelt de reiskosten."
    ),
}

# Why a referral ended without the programme; the contra-indication reason never names the flag.
CONTRA_INDICATION_DECLINE = (
    "Contra-indicatie bij de screening: deelname aan de groep is nu niet verantwoord. Eerst stabiliseren; over drie "
    "maanden opnieuw bekijken."
)
DECLINE_REASONS = (
    "Geen passende groep op de dagen dat de cliënt kan; individuele begeleiding ingezet.",
    "Doel sluit niet aan bij deze training; besproken met de klantmanager, andere training gekozen.",
    "De training is vorig jaar al gevolgd; herhaling voegt nu niets toe.",
)
WITHDRAW_REASONS = (
    "Cliënt heeft werk gevonden; de training is niet meer nodig.",
    "Cliënt verhuist naar een andere gemeente.",
    "Cliënt ziet er toch van af; eerst individuele coaching.",
    "Zorgtaken thuis maken deelname nu onmogelijk.",
)
DROP_OUT_NO_SHOW = "Twee keer zonder bericht afwezig en daarna niet meer gekomen; klantmanager neemt contact op."
DROP_OUT_REASONS = (
    "Gestopt wegens gezondheidsklachten.",
    "Werk gevonden tijdens de training.",
    "Gestopt: de groep paste niet, liever individuele begeleiding.",
    "Gestopt door problemen met kinderopvang.",
)
COMPLETED_NOTE = "Training afgerond."
CANCELLED_RUN_NOTE = "De groep gaat niet door: te weinig aanmeldingen. Terug op de wachtlijst."
SCREENED_NOTE = "Screening akkoord."
SCREENED_VARIANT_NOTE = "Screening akkoord; heeft de variant '{variant}' nodig."
SCREENED_SUPPORT_NOTE = "Screening akkoord; extra ondersteuning naast de groep afgesproken."
PLACED_NOTE = "Geplaatst in de groep van {start}."
STARTED_NOTE = "Eerste bijeenkomst bijgewoond."

# Outcome of the instrument in the plan after the programme, and why it stopped early.
GROUP_OUTCOMES = (
    "Training afgerond; de cliënt heeft een eigen vervolgstap gekozen.",
    "Alle bijeenkomsten bijgewoond; het overdrachtssignaal van de trainer is besproken.",
    "Afgerond; het geleerde wordt in de individuele begeleiding verder geoefend.",
)
GROUP_STOP_REASONS = {
    "dropped_out": "Uitgevallen uit de groep.",
    "withdrawn": "Aanmelding ingetrokken voor de start.",
    "declined": "Niet toegelaten tot de groep na de screening.",
}

# Session log: what was done beside the protocol, norms and roles per group phase, argued deviations.
LOG_EXTRAS = (
    "Iedereen deed actief mee.",
    "Twee deelnemers hadden de thuisopdracht niet gedaan; kort samen ingehaald.",
    "Veel herkenning bij elkaar; de groep gaf elkaar tips.",
    "De terugblik op de vorige bijeenkomst duurde langer dan gepland.",
    "Goede sfeer; de pauze werd gebruikt om door te praten.",
    "Eén deelnemer kwam later binnen; na de pauze liep het programma weer volgens plan.",
)
GROUP_PHASES = ("forming", "storming", "norming", "performing", "adjourning")
NORMS_AND_ROLES: dict[str, tuple[str, ...]] = {
    "forming": (
        "Deelnemers voorzichtig en afwachtend; veel vragen aan de trainer. Afspraken gemaakt over op tijd komen en "
        "afmelden.",
        "Twee deelnemers nemen het voortouw in gesprekken; anderen luisteren vooral.",
        "Beleefd en wat afstandelijk; deelnemers zoeken naar wat ze gemeen hebben.",
    ),
    "storming": (
        "Discussie over telefoongebruik tijdens de bijeenkomst; de afspraak is aangescherpt.",
        "Eén deelnemer trekt veel aandacht; anderen reageren geïrriteerd. Besproken in de groep.",
        "Kritiek op de opdrachten ('wat heb ik hieraan?'); ruimte gegeven en het doel opnieuw uitgelegd.",
    ),
    "norming": (
        "De groep spreekt elkaar zelf aan op de afspraken.",
        "Deelnemers geven elkaar eerlijke en respectvolle feedback.",
        "Vaste rollen zichtbaar: een verbinder die stillere deelnemers betrekt en een grappenmaker die de spanning "
        "breekt.",
    ),
    "performing": (
        "De groep werkt zelfstandig in subgroepjes; de trainer begeleidt vooral.",
        "Deelnemers delen open successen en tegenslagen en helpen elkaar met tips.",
        "Stillere deelnemers nemen nu ook het woord.",
    ),
    "adjourning": (
        "Afscheid met gemengde gevoelens; een paar deelnemers wisselen telefoonnummers uit om contact te houden.",
        "Terugblik: deelnemers benoemen wat ze van elkaar geleerd hebben.",
    ),
}
PROTOCOL_DEVIATIONS = (
    "Rollenspel vervangen door een groepsgesprek: twee deelnemers waren gespannen na een moeilijke week en de groep "
    "had eerst ruimte nodig om dat te bespreken.",
    "Onderdeel verschoven naar de volgende bijeenkomst: de terugblik op de thuisopdracht leverde zoveel op dat ik "
    "daar bewust meer tijd aan heb gegeven.",
    "Extra pauze ingelast en de theorie korter gehouden: de groep had na drie kwartier moeite met concentratie; "
    "liever minder stof die wel goed begrepen wordt.",
    "Opdrachten met pictogrammen en voorbeelden uitgelegd in plaats van met het werkblad: voor een deel van de groep "
    "was de tekst te moeilijk.",
    "Een oud-deelnemer als ervaringsdeskundige uitgenodigd in plaats van de video: een echt verhaal sluit beter aan "
    "en verlaagt de drempel.",
    "In tweetallen gewerkt in plaats van met de hele groep: bij het onderwerp geldzorgen was de groep terughoudend "
    "om dit met iedereen te delen.",
    "Bijeenkomst een kwartier eerder afgesloten: de ruimte was koud door een storing in de verwarming; de laatste "
    "oefening gaat mee als thuisopdracht.",
)
PROTOCOL_DEVIATION_SHARE = 0.15
SESSION_LOG_SHARE = 0.9  # held sessions with a session log
CANCELLED_SESSION_SHARE = 0.02  # held sessions cancelled (trainer ill, room out of use)

# Attendance of a participant at a held session; drop-outs follow their own pattern.
ATTENDANCE_SHARES: tuple[tuple[str, float], ...] = (
    ("present", 0.86),
    ("late", 0.05),
    ("excused", 0.06),
    ("unexcused", 0.03),
)
DROP_OUT_SHARE = 0.10  # of participants who started
NO_SHOW_DROP_OUT_SHARE = 0.6  # of drop-outs: stop coming without notice

# Hand-off signal: per IGM factor an observation that goes well, is mixed, or is a concern.
HAND_OFF_OBSERVATIONS: dict[str, tuple[str, str, str]] = {
    "attitude": (
        "Ziet nu duidelijk wat werk oplevert en praat er positief over.",
        "Ziet de voordelen van werk, maar noemt ook nog veel bezwaren.",
        "Blijft vooral de nadelen noemen: 'het levert toch niets op'.",
    ),
    "perceived_norm": (
        "Vertelde dat de familie trots is op de stappen; voelt steun.",
        "De omgeving is verdeeld; de partner twijfelt over werk naast de zorg voor de kinderen.",
        "Weinig steun thuis; vrienden zijn zelf ook niet aan het werk.",
    ),
    "self_efficacy": (
        "Durft meer: nam in de laatste bijeenkomsten zelf het woord en deed een oefenpresentatie.",
        "Groeit, maar twijfelt nog in nieuwe situaties.",
        "Onderschat zichzelf sterk; had veel aanmoediging nodig.",
    ),
    "intention": (
        "Heeft een concreet plan: wil binnen twee maanden op drie vacatures reageren.",
        "Wil wel, maar heeft nog geen concrete eerste stap benoemd.",
        "Is er nog niet aan toe; noemt geen eigen doel.",
    ),
    "skills": (
        "Kan het eigen verhaal kort en helder vertellen; de oefenopdrachten gingen goed.",
        "De basis is er; digitaal werken en solliciteren gaan nog moeizaam.",
        "Taal en digitale vaardigheden zijn een drempel; extra oefening nodig.",
    ),
    "barriers": (
        "Geen praktische belemmeringen genoemd; vervoer en opvang zijn geregeld.",
        "Kinderopvang op woensdag is nog niet rond.",
        "Zorgen over geld leiden af; kwam twee keer te laat door problemen met vervoer.",
    ),
}
HAND_OFF_ADVICE = (
    "Doorgaan met sollicitatiebegeleiding: de cliënt is klaar voor gesprekken met werkgevers.",
    "Een werkervaringsplaats in de zorg verkennen; de cliënt bloeide op bij de praktijkopdrachten.",
    "Eerst de kinderopvang regelen; daarna een vervolgtraject starten.",
    "Individuele coaching inzetten op vertrouwen in eigen kunnen: de groep was een goede start, maar de volgende "
    "stap is nog groot.",
    "Verwijzen naar de schuldhulpverlening: geldzorgen staan de motivatie in de weg.",
    "Een taalcursus NT2 op niveau A2 aanbevolen; in de groep bleek taal de grootste drempel.",
    "Vrijwilligerswerk als tussenstap; het dagritme is nog wisselend.",
    "De cliënt vragen als ambassadeur bij de volgende voorlichtingsbijeenkomst.",
    "Het doel dat de cliënt in de laatste bijeenkomst zelf formuleerde, opnemen in het plan van aanpak.",
)
HAND_OFF_DROP_OUT_ADVICE = (
    "Gestopt na bijeenkomst {session}. Bespreek met de cliënt wat de reden was en of een kleinere groep beter past.",
    "Gestopt na bijeenkomst {session}. De cliënt leek overvraagd; eerst individuele begeleiding, later opnieuw "
    "bekijken.",
)
HAND_OFF_DROP_OUT_SHARE = 0.5  # of drop-outs in completed runs: the trainer writes a signal too

# Evaluation questionnaires: the participant's (B1, client-facing), the trainer's and the consultant's.
PARTICIPANT_INTRODUCTION = (
    "Wat vond je van de training? Je antwoorden helpen ons de training beter te maken. We zetten je naam niet bij "
    "je antwoorden. Het invullen duurt ongeveer 5 minuten."
)
PARTICIPANT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("Ik vond de training nuttig.", "scale"),
    ("De trainer legde alles duidelijk uit.", "scale"),
    ("Ik voelde me welkom in de groep.", "scale"),
    ("", "scale"),  # the programme's learning question
    ("Wat vond je goed? Wat kan beter?", "text"),
)
TRAINER_QUESTIONNAIRE = QuestionnaireSpec(
    "Evaluatie door de trainer",
    "Vul deze vragenlijst in na de laatste bijeenkomst van de groep, per groep één keer.",
    (
        ("De groep werkte goed samen.", "scale"),
        ("Het protocol paste bij deze groep.", "scale"),
        ("De ruimte en de materialen waren in orde.", "scale"),
        ("De leerdoelen zijn bereikt.", "scale"),
        ("Wat zou je de volgende keer anders doen?", "text"),
    ),
)
CONSULTANT_QUESTIONNAIRE = QuestionnaireSpec(
    "Evaluatie door de klantmanager",
    "Vul deze vragenlijst in als je het overdrachtssignaal van de trainer hebt besproken met je cliënt(en).",
    (
        ("De training sloot aan bij het plan van aanpak van mijn cliënt(en).", "scale"),
        ("Ik zie verandering bij mijn cliënt(en) na de training.", "scale"),
        ("Het overdrachtssignaal van de trainer was bruikbaar.", "scale"),
        ("De wachttijd tot de start was aanvaardbaar.", "scale"),
        ("Wat moet er anders aan deze training?", "text"),
    ),
)
OPEN_ANSWERS: dict[str, tuple[str, ...]] = {
    "participant": (
        "Fijn om andere mensen te ontmoeten die hetzelfde meemaken.",
        "De trainers waren vriendelijk en legden alles rustig uit.",
        "Soms ging het te snel voor mij.",
        "Meer oefenen en minder praten.",
        "Ik had graag een bijeenkomst meer gehad.",
        "De ruimte was te warm.",
        "Ik weet nu beter wat ik wil.",
        "Goed dat er koffie was en dat we pauze hadden.",
    ),
    "trainer": (
        "Meer tijd nemen voor de kennismaking; de groep was erg verschillend.",
        "Het rollenspel eerder in de reeks doen.",
        "Werkbladen in eenvoudiger taal maken.",
        "Een oud-deelnemer uitnodigen, dat werkte goed.",
        "Grotere ruimte nodig voor het werken in subgroepjes.",
    ),
    "consultant": (
        "Het signaal van de trainer was concreet; ik kon er meteen mee verder.",
        "De wachttijd was te lang voor mijn cliënt.",
        "Graag eerder horen als een cliënt afwezig is.",
        "Goede training; mijn cliënt kwam gemotiveerd terug.",
    ),
}
PARTICIPANT_RESPONSE_SHARE = 0.65
TRAINER_RESPONSE_SHARE = 0.9
CONSULTANT_RESPONSE_SHARE = 0.5
EVALUATION_DAYS = 21  # how long an evaluation link stays valid
