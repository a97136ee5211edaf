"""Plausible partners, courses and topics the demo stream draws its events from."""

from typing import NamedTuple


class Country(NamedTuple):
    code: str
    utc_offset_h: float
    agencies: tuple[str, ...]


REGIONS: dict[str, tuple[Country, ...]] = {
    "APAC": (
        Country("TW", 8, ("Criminal Investigation Bureau", "Investigation Bureau")),
        Country("JP", 9, ("National Police Agency", "Tokyo Metropolitan Police")),
        Country(
            "KR", 9, ("Korean National Police Agency", "Supreme Prosecutors' Office")
        ),
        Country("SG", 8, ("Singapore Police Force", "Commercial Affairs Department")),
        Country("AU", 10, ("Australian Federal Police", "AUSTRAC")),
        Country(
            "IN", 5.5, ("Central Bureau of Investigation", "Enforcement Directorate")
        ),
        Country(
            "PH", 8, ("National Bureau of Investigation", "PNP Anti-Cybercrime Group")
        ),
    ),
    "EMEA": (
        Country("GB", 0, ("National Crime Agency", "Serious Fraud Office")),
        Country("DE", 1, ("Bundeskriminalamt", "Zollkriminalamt")),
        Country(
            "FR", 1, ("Office anti-cybercriminalité", "Parquet national financier")
        ),
        Country("NL", 1, ("Politie Team High Tech Crime", "FIOD")),
        Country("ES", 1, ("Guardia Civil", "Policía Nacional")),
        Country("AE", 4, ("Dubai Police", "Abu Dhabi Police")),
        Country("NG", 1, ("Economic and Financial Crimes Commission",)),
        Country("KE", 3, ("Directorate of Criminal Investigations",)),
    ),
    "AMER": (
        Country("US", -5, ("Federal Bureau of Investigation", "U.S. Secret Service")),
        Country("US", -8, ("Homeland Security Investigations", "IRS-CI")),
        Country(
            "CA", -5, ("Royal Canadian Mounted Police", "Ontario Provincial Police")
        ),
    ),
    "LATAM": (
        Country("BR", -3, ("Polícia Federal", "Ministério Público Federal")),
        Country("MX", -6, ("Fiscalía General de la República", "Guardia Nacional")),
        Country("CO", -5, ("Policía Nacional de Colombia", "Fiscalía General")),
        Country("CL", -4, ("Policía de Investigaciones de Chile",)),
    ),
}
REGION_WEIGHTS = {"APAC": 35, "EMEA": 30, "AMER": 25, "LATAM": 10}

COURSES = (
    "Open-source intelligence for investigators",
    "Cryptocurrency tracing",
    "Child safety investigations",
    "Digital evidence handling",
    "Scam centre and fraud network disruption",
    "Emergency disclosure requests",
    "Account takeover investigations",
    "Legal process for online service providers",
)
MEETING_TOPICS = (
    "scam centres",
    "child safety",
    "emergency request process",
    "data preservation",
    "cryptocurrency fraud",
    "ransomware",
    "sextortion",
    "terrorist content",
    "legal process guidelines",
    "training roadmap",
)
SOURCES = {
    "meeting_held": ("exec-crm",),
    "training_delivered": ("training-portal", "exec-crm"),
    "request_fulfilled": ("lers-ops",),
}
EVENT_TYPE_WEIGHTS = {
    "request_fulfilled": 40,
    "meeting_held": 35,
    "training_delivered": 25,
}
DELIVERY_WEIGHTS = {"in_person": 50, "virtual": 35, "hybrid": 15}
TRAINING_HOURS = (2, 3, 4, 6, 8, 12, 16, 24, 32, 40)
# request type: (weight, fastest and slowest turnaround in hours)
REQUEST_TYPES = {
    "disclosure": (55, 2.0, 240.0),
    "freeze": (15, 1.0, 72.0),
    "seizure": (10, 24.0, 480.0),
    "other": (12, 4.0, 336.0),
    "emergency": (8, 0.1, 4.0),
}
