"""The demo's fictional clinic: its team, staff logins, patients and what they texted."""

import datetime as dt
from typing import NamedTuple

from followup.models import Question, Surgery, User

# Printed by seed_demo and run_demo; demo data only, refused in production by DEMO_MODE.
DEMO_PASSWORD = "spine-demo"  # noqa: S105

TEAM = {
    "name": "Lakeside Spine Center",
    "clinic_phone": "+13125550100",
    "time_zone": "America/Chicago",
    "business_days": "12345",
    "business_start": dt.time(8, 0),
    "business_end": dt.time(17, 0),
}

# username, first name, last name, role, phone, is_staff, is_superuser
STAFF = [
    ("nurse", "Dana", "Whitfield", User.Role.NURSE, "+13125550101", True, False),
    ("surgeon", "Rafael", "Ortega", User.Role.SURGEON, "+13125550102", False, False),
    ("admin", "Sam", "Okoro", User.Role.ADMIN, "", True, True),
]
# The nurse may look everything up in the admin and correct patient details, nothing more
# (change_user would let her make herself a superuser).
NURSE_EXTRA_PERMISSIONS = ["change_patient", "change_surgery"]


class DemoPatient(NamedTuple):
    mrn: str
    first_name: str
    last_name: str
    born: str
    language: str
    phone: str
    postop_day: int
    procedure: str
    levels: str


# MRN, first name, last name, born, language, phone, post-op day, procedure, levels
PATIENT_ROWS = [
    ("DEMO0001", "Margaret", "Kowalski", "1957-03-14", "en", "+13125550110", 2, "tlif", "L4-L5"),
    ("DEMO0002", "Luis", "García", "1966-11-02", "es", "+13125550111", 1, "acdf", "C5-C6"),
    ("DEMO0003", "Patricia", "Nguyen", "1971-06-23", "en", "+13125550112", 3, "llif", "L3-L4"),
    ("DEMO0004", "Robert", "Jansen", "1953-01-30", "en", "+13125550113", 4, "tlif", "L4-L5"),
    ("DEMO0005", "María Elena", "Torres", "1964-09-08", "es", "+13125550114", 5, "tlif", "L5-S1"),
    ("DEMO0006", "James", "Whitaker", "1969-04-17", "en", "+13125550115", 6, "acdf", "C6-C7"),
    ("DEMO0007", "Dorothy", "Schmidt", "1948-12-05", "en", "+13125550116", 7, "plf", "L4-S1"),
    ("DEMO0008", "Guadalupe", "Ramírez", "1959-02-11", "es", "+13125550117", 9, "alif", "L5-S1"),
    ("DEMO0009", "Carmen", "Delgado", "1975-07-29", "es", "+13125550118", 10, "tlif", "L5-S1"),
    ("DEMO0010", "Kevin", "O'Brien", "1962-10-14", "en", "+13125550119", 11, "plif", "L4-L5"),
    ("DEMO0011", "William", "Brooks", "1958-05-03", "en", "+13125550120", 14, "alif", "L4-L5"),
    ("DEMO0012", "Sandra", "Okafor", "1967-08-21", "en", "+13125550121", 17, "tlif", "L3-L5"),
    ("DEMO0013", "Francisco", "Morales", "1955-03-09", "es", "+13125550122", 21, "pcf", "C4-C6"),
    ("DEMO0014", "Linda", "Petrov", "1960-01-18", "en", "+13125550123", 25, "plif", "L4-L5"),
    ("DEMO0015", "Ana Lucía", "Castillo", "1973-11-27", "es", "+13125550124", 30, "acdf", "C5-C7"),
    ("DEMO0016", "Michael", "Sullivan", "1965-06-06", "en", "+13125550125", 35, "llif", "L2-L4"),
    ("DEMO0017", "Rosa", "Jiménez", "1952-09-15", "es", "+13125550126", 44, "tlif", "L4-L5"),
    ("DEMO0018", "Thomas", "Lindqvist", "1970-02-02", "en", "+13125550127", 52, "alif", "L5-S1"),
    ("DEMO0019", "Gloria", "Mendoza", "1961-12-12", "es", "+13125550128", 63, "plf", "L3-S1"),
    ("DEMO0020", "Richard", "Feldman", "1950-07-24", "en", "+13125550129", 80, "acdf", "C4-C5"),
]  # fmt: skip
PATIENTS = [DemoPatient(*row) for row in PATIENT_ROWS]
CAREGIVERS = {"DEMO0007": ("Karen Schmidt", "+13125550140")}
APPROACHES = {
    "tlif": Surgery.Approach.POSTERIOR,
    "plif": Surgery.Approach.POSTERIOR,
    "plf": Surgery.Approach.POSTERIOR,
    "pcf": Surgery.Approach.POSTERIOR,
    "alif": Surgery.Approach.ANTERIOR,
    "acdf": Surgery.Approach.ANTERIOR,
    "llif": Surgery.Approach.LATERAL,
}

# Today's check-in answered with red flags, through the real webhook services (MRN -> replies).
# Each scenario patient's post-op day is a protocol day, so there is a check-in to answer.
RED_FLAG_REPLIES = {
    "DEMO0004": [
        "I have numbness in my groin and between my legs since this morning and I wet myself, "
        "I could not stop it",
    ],
    "DEMO0008": [
        "Tengo la pierna izquierda dormida desde anoche y no se me quita",
        "más o menos un 6",
    ],
    "DEMO0010": [
        "Not great. I had a fever of 101.8 last night and the incision is draining a little",
    ],
}
UNKNOWN_SENDER = "+17735550199"
UNKNOWN_SENDER_TEXT = (
    "Hi, this is Tom. My wife had back surgery with Dr Ortega last week and she has a fever "
    "of 101.8 tonight. Who do we call?"
)
# This patient's check-in for today goes out a minute after seeding, for the person watching.
DUE_SOON_MRN = "DEMO0001"
DUE_SOON_DELAY = dt.timedelta(minutes=1)

# What patients answered at past check-ins; {pain} is filled from a slowly falling score.
PAST_REPLIES: dict[str, dict[str, list[str]]] = {
    "en": {
        Question.GENERAL: ["Doing ok today", "Better than yesterday", "Tired but ok",
                           "Pretty good, walked to the mailbox and back"],
        Question.PAIN: ["pain is about a {pain} today", "{pain}", "{pain} out of 10",
                        "maybe a {pain}, better than yesterday"],
        Question.NUMBNESS: ["no", "No", "nope, none"],
        Question.WEAKNESS: ["no", "No, walking with the walker", "legs feel fine"],
        Question.BLADDER_BOWEL: ["no", "No problems", "no, all normal"],
        Question.WOUND_FEVER: ["no", "a little sore at the incision but no redness",
                               "No fever, incision looks good"],
    },
    "es": {
        Question.GENERAL: ["Bien, gracias", "Algo de cansancio pero bien", "Mejor que ayer"],
        Question.PAIN: ["el dolor está en {pain}", "más o menos un {pain}", "{pain} de 10"],
        Question.NUMBNESS: ["no", "No, nada"],
        Question.WEAKNESS: ["no", "No, camino bien con la andadera"],
        Question.BLADDER_BOWEL: ["no", "todo normal"],
        Question.WOUND_FEVER: ["no", "No tengo fiebre, la herida se ve bien",
                               "me duele un poco la herida pero sin enrojecimiento"],
    },
}  # fmt: skip
REPLY_DELAY_MINUTES = [3, 7, 2, 12, 5, 9]


def logins() -> str:
    rows = [f"  {row[0]:<8} / {DEMO_PASSWORD}  ({row[3].label})" for row in STAFF]
    return "\n".join(["Logins (username / password):", *rows])
