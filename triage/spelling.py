"""Spelling data: contractions, text-speak, misspellings and speech-recognition sound-alikes."""

# A curated list, as clinical-triage.md 4.2 advises, plus edit-distance correction limited to
# the lexicon's own words (typos.py), leaving real words alone (wordlist.py).

from triage.cues import CUES
from triage.lexicon import CLASSES
from triage.wordlist import REAL_WORDS

# typed word -> canonical word(s); canonical forms drop apostrophes ("can't" -> "cant").
# fmt: off
CANONICAL: dict[str, str] = {
    "can't": "cant", "cannot": "cant", "couldn't": "cant", "couldnt": "cant", "cnt": "cant",
    "cant't": "cant", "don't": "dont", "dnt": "dont", "doesn't": "doesnt", "didn't": "didnt",
    "haven't": "havent", "hasn't": "hasnt", "hadn't": "hadnt", "isn't": "isnt",
    "aren't": "arent", "wasn't": "wasnt", "weren't": "werent", "won't": "wont",
    "wouldn't": "wouldnt", "shouldn't": "shouldnt", "ain't": "aint", "i'm": "im",
    "i've": "ive", "it's": "its", "i'll": "ill", "i'd": "id", "he's": "hes", "she's": "shes",
    "he'd": "hed", "she'd": "shed",
    "there's": "theres", "that's": "thats", "what's": "whats", "they're": "theyre",
    "you're": "youre", "let's": "lets", "r": "are", "u": "you", "ur": "your", "cuz": "because",
    # Mexican texting: "nel" is no, "kai" is "cai", "bn" is "bien".
    "nel": "nope", "kai": "cai", "bn": "bien", "depre": "deprimido", "erida": "herida",
    # Not a typo for "febrile": the clinical word for no fever.
    "afebrile": "afebrile", "afebril": "afebril",
    "bc": "because", "b/c": "because", "idk": "i dont know", "dunno": "dont know",
    "yday": "yesterday", "yest": "yesterday", "nite": "night", "tonite": "tonight",
    "abt": "about", "dwn": "down", "b4": "before", "w": "with", "wit": "with", "thru": "through",
    "rly": "really", "realy": "really", "tmrw": "tomorrow", "pls": "please", "plz": "please",
    "thx": "thanks", "ty": "thanks", "n": "and", "im'": "im", "ok": "ok", "k": "ok",
    "okey": "okay", "alot": "a lot", "gonna": "going to", "wanna": "want to",
    "kinda": "kinda", "sorta": "sorta", "lil": "little", "litle": "little", "bout": "about",
    "cause": "cause", "coz": "because", "becuz": "because", "wen": "when", "dat": "that",
    "tho": "tho", "yr": "your", "ive'": "ive", "hv": "have", "hav": "have", "havnt": "havent",
    "havnet": "havent", "hant": "havent", "didnt'": "didnt", "doesent": "doesnt",
    "dosent": "doesnt", "dosnt": "doesnt", "wont'": "wont", "cant'": "cant", "im's": "im",
    "yess": "yes", "yesss": "yes", "yeh": "yeah", "yeahh": "yeah", "nop": "nope",
    "noo": "no", "nooo": "no", "nah": "nah", "naw": "nah", "nahh": "nah",
    # English misspellings of symptom words.
    "numbniss": "numbness", "numbnes": "numbness", "numness": "numbness", "numbess": "numbness",
    "numbiness": "numbness", "numbnesss": "numbness", "numm": "numb", "num": "numb",
    "numbb": "numb", "nunb": "numb", "numbe": "numb", "numbish": "numbish",
    "tingeling": "tingling", "tinglin": "tingling", "tinglng": "tingling", "tinglig": "tingling",
    "tingleing": "tingling", "tinglying": "tingling", "tinglie": "tingly", "tingley": "tingly",
    "tinglee": "tingly", "tinkling": "tingling", "tinkly": "tingly", "tinglyness": "tingling",
    "weeknes": "weakness", "weekness": "weakness", "weaknes": "weakness", "weakniss": "weakness",
    "weakend": "weakened", "wek": "weak", "weke": "weak",
    "fevr": "fever", "feaver": "fever", "fevor": "fever", "fiver": "fever", "feverr": "fever",
    "temprature": "temperature", "tempature": "temperature", "temperture": "temperature",
    "incission": "incision", "insision": "incision", "incicion": "incision",
    "inscision": "incision", "incison": "incision", "insicion": "incision",
    "incition": "incision", "insition": "incision", "drainig": "draining", "draning": "draining",
    "puss": "pus", "bleding": "bleeding", "bleedin": "bleeding",
    "constapated": "constipated", "constipted": "constipated", "constepated": "constipated",
    "consipated": "constipated", "constapation": "constipation", "constipaton": "constipation",
    "pooped": "pooped", "pood": "pooped", "poo'd": "pooped", "poo": "poop", "peed": "peed",
    "pee'd": "peed", "peeed": "peed", "wetted": "wet", "incontinant": "incontinent",
    "urinat": "urinate", "bm's": "bms", "swolen": "swollen", "swollon": "swollen",
    "sweling": "swelling", "swellin": "swelling", "brethe": "breathe", "breath'": "breath",
    "breth": "breath", "breate": "breathe", "swolled": "swollen", "chils": "chills",
    "chilles": "chills", "shiverin": "shivering", "suicidle": "suicidal", "sucidal": "suicidal",
    "depresed": "depressed", "deppressed": "depressed", "anxius": "anxious",
    "swallowin": "swallowing", "swalowing": "swallowing", "swolling": "swallowing",
    "chokin": "choking", "chocking": "choking", "sciatic": "sciatica", "siatica": "sciatica",
    "shootin": "shooting",
    "fel": "fell", "draggin": "dragging", "givin": "giving", "buckeling": "buckling",
    "leakin": "leaking", "leeking": "leaking", "leeks": "leaks", "leek": "leak",
    "urin": "urine", "uring": "urine", "bowl": "bowel", "bowls": "bowels", "stoll": "stool",
    "headach": "headache", "hedache": "headache", "headake": "headache",
    "legz": "legs", "leggs": "legs", "feets": "feet", "foots": "feet", "tows": "toes",
    "groine": "groin", "grion": "groin", "inscisions": "incisions", "diarhea": "diarrhea",
    "throat'": "throat", "dizy": "dizzy", "hurtin": "hurting", "achin": "aching",
    "paine": "pain", "pian": "pain", "pains'": "pains", "nothin": "nothing",
    "somethin": "something", "feelin": "feeling", "walkin": "walking", "standin": "standing",
    "itz": "its", "is'nt": "isnt", "tingel": "tingle", "tinggling": "tingling",
    # Spanish spellings without accents or with common slips.
    "ormigueo": "hormigueo", "hormigeo": "hormigueo", "hormiguelo": "hormigueo",
    "adormesido": "adormecido", "adormesida": "adormecida", "adormesidas": "adormecidas",
    "adormesidos": "adormecidos", "entumesido": "entumecido", "entumesida": "entumecida",
    "entumida": "entumida", "dormidas": "dormidas", "debiles": "debiles", "devil": "debil",
    "debl": "debil", "fievre": "fiebre", "fiebr": "fiebre", "calentrura": "calentura",
    "escalofrio": "escalofrio", "escalosfrios": "escalofrios", "hinchada": "hinchada",
    "inchada": "hinchada", "inchado": "hinchado", "inchazon": "hinchazon",
    "inchasón": "hinchazon", "inchason": "hinchazon", "hinchason": "hinchazon",
    "orinar": "orinar", "horinar": "orinar", "orine": "orine", "popo": "popo", "popó": "popo",
    "pipí": "pipi", "cirujia": "cirugia", "sirugia": "cirugia", "cirugía": "cirugia",
    "estreñido": "estrenido", "estreñida": "estrenido", "estreñimiento": "estrenimiento",
    "estrenido": "estrenido", "estrenida": "estrenido", "estrenimiento": "estrenimiento",
    "estrenimiento'": "estrenimiento", "baño": "bano", "años": "anos", "año": "anos",
    "señor": "señor", "nomás": "nomas", "pa": "para", "q": "que", "xq": "porque",
    "pq": "porque", "porq": "porque", "tb": "tambien", "tmb": "tambien", "aki": "aqui",
    "kiero": "quiero", "k'": "que", "ai": "ahi", "ahy": "ahi", "mui": "muy",
    "sangrado": "sangrado", "pecho'": "pecho", "respiar": "respirar", "trajar": "tragar",
    "ubo": "hubo", "pirnas": "piernas", "pienas": "piernas", "pierans": "piernas",
    "caí": "cai", "caída": "caida",
    # Spanish typed as it sounds: a silent h dropped, u for o, s for c, n for m.
    "urinar": "orinar", "urino": "orino", "urinando": "orinando", "urinado": "orinado",
    "ise": "hice", "iso": "hizo", "tanpoco": "tampoco", "aora": "ahora", "oy": "hoy",
    "aveces": "a veces", "asta": "hasta", "operasion": "operacion", "ormigas": "hormigas",
    "ormiga": "hormiga", "echo": "hecho", "abia": "habia",
    # Not a typo for "bolitas" (hard stools): a lump.
    "bolita": "bolita",
    # Jamaican and Trinidadian creole: "mi cyaan feel mi foot dem", "mi nuh pee from yesterday".
    "cyaan": "cant", "cyan": "cant", "kyaan": "cant", "cyaa": "cant", "nuh": "not",
    "neva": "never", "dung": "down", "inna": "in", "wid": "with", "likkle": "little",
    "tek": "take", "siddung": "sit down", "nutten": "nothing", "nuttin": "nothing",
    "nutn": "nothing", "waan": "want", "haffi": "have to", "doh": "dont", "meh": "my",
    "dawta": "daughter", "mawnin": "morning", "tink": "think", "ting": "thing", "dis": "this",
    # Portuguese mixed into Spanish or English ("portunhol"): read with the Spanish words.
    "nao": "no", "não": "no", "sinto": "siento", "consigo": "puedo", "perna": "pierna",
    "pernas": "piernas", "pé": "pie", "pés": "pies", "bunda": "nalgas", "virilha": "ingle",
    "ferida": "herida", "febre": "fiebre", "fraqueza": "debilidad", "xixi": "pipi",
    "cocô": "popo", "formigamento": "hormigueo", "dormência": "adormecimiento",
    "dormencia": "adormecimiento", "dormente": "dormida", "urina": "orina", "bexiga": "vejiga",
    "engolir": "tragar", "dor": "dolor", "cabeça": "cabeza", "cabeca": "cabeza",
    "banheiro": "bano", "fazer": "hacer", "sem": "sin", "consegue": "puede", "força": "fuerza",
    "forca": "fuerza", "fiz": "hice", "calça": "pantalon", "calca": "pantalon",
    # Not a typo for "agujitas" (pins and needles): sore muscles after exercise.
    "agujetas": "agujetas",
}
# fmt: on

# Two typed words that mean one canonical word.
# fmt: off
MERGES: dict[tuple[str, str], str] = {
    ("can", "not"): "cant", ("could", "not"): "cant", ("unable", "to"): "cant",
    ("do", "not"): "dont", ("does", "not"): "doesnt", ("did", "not"): "didnt",
    ("have", "not"): "havent", ("has", "not"): "hasnt", ("is", "not"): "isnt",
    ("are", "not"): "arent", ("was", "not"): "wasnt", ("were", "not"): "werent",
    ("will", "not"): "wont", ("i", "am"): "im", ("i", "m"): "im", ("it", "s"): "its",
    ("i", "ve"): "ive", ("pins", "&"): "pins and",
    # "can't really", "can't quite": the same inability for triage.
    ("cant", "really"): "cant", ("cant", "quite"): "cant",
    # Transcripts split "doesn't" into "doesn t"; the first half may already be corrected.
    ("can", "t"): "cant", ("don", "t"): "dont", ("didn", "t"): "didnt", ("doesn", "t"): "doesnt",
    ("haven", "t"): "havent", ("isn", "t"): "isnt", ("won", "t"): "wont", ("couldn", "t"): "cant",
    ("wasn", "t"): "wasnt", ("aren", "t"): "arent", ("hasn", "t"): "hasnt",
    ("wouldn", "t"): "wouldnt", ("shouldn", "t"): "shouldnt", ("doesnt", "t"): "doesnt",
    ("cant", "t"): "cant", ("wouldnt", "t"): "wouldnt", ("should", "t"): "shouldnt",
    ("couldnt", "t"): "cant",
    # Creole plurals: "mi foot dem", "di pill dem".
    ("foot", "dem"): "feet", ("leg", "dem"): "legs", ("pill", "dem"): "pills",
    ("toe", "dem"): "toes",
}
# fmt: on

# Longer spellings of a lost ability: "can no longer feel", "ya no aguanto" say the patient cannot
# any more, which is present now; left apart, "no longer" and "ya no" read as resolved.
# fmt: off
MERGES_LONG: dict[tuple[str, ...], str] = {
    ("no", "longer", "able", "to"): "cant", ("not", "able", "to"): "cant",
    ("can", "no", "longer"): "cant", ("cant", "no", "longer"): "cant",
    ("im", "no", "longer", "able", "to"): "i cant", ("im", "not", "able", "to"): "i cant",
    ("cant", "seem", "to"): "cant", ("cant", "ever", "seem", "to"): "cant",
    ("ya", "no", "puedo"): "no puedo", ("ya", "no", "aguanto"): "no aguanto",
    ("ya", "no", "controlo"): "no controlo", ("ya", "no", "puede"): "no puede",
    ("ya", "no", "aguanta"): "no aguanta", ("ya", "no", "controla"): "no controla",
    ("ya", "no", "me", "puedo"): "no me puedo", ("ya", "no", "me", "aguanto"): "no me aguanto",
    ("ya", "no", "me", "sostienen"): "no me sostienen",
    ("ya", "no", "me", "sostiene"): "no me sostiene",
    ("ya", "no", "me", "responden"): "no me responden",
    ("ya", "no", "me", "responde"): "no me responde",
}
# fmt: on
MERGE_LONG_FIRST = frozenset(k[0] for k in MERGES_LONG)

# Speech recognition: heard after "my", "the", "left"... ("tingly in my food").
# fmt: off
VOICE_AFTER_POSSESSIVE: dict[str, str] = {
    "food": "foot", "feat": "feet", "fit": "feet", "tow": "toe", "tows": "toes",
    "toad": "toe", "groan": "groin", "grown": "groin", "bowl": "bowel", "bowls": "bowels",
    "cath": "calf", "half": "calf", "leg's": "legs", "lakes": "legs", "legg": "leg",
    "peace": "pee", "pea": "pee", "inscription": "incision", "decision": "incision",
    "precision": "incision", "vision": "incision", "cut's": "cut", "cow": "calf",
    "cuff": "calf", "cough": "calf", "tie": "thigh", "thy": "thigh", "stole": "stool",
    "stools": "stools",
}
# Two words heard for one: "the in addition" is the incision, "bow wells" the bowels.
VOICE_PAIRS_AFTER_POSSESSIVE: dict[tuple[str, str], str] = {
    ("in", "addition"): "incision", ("walk", "her"): "walker", ("walk", "or"): "walker",
}
VOICE_PAIRS: dict[tuple[str, str], str] = {
    ("bow", "wells"): "bowels", ("bow", "well"): "bowel", ("numb", "ness"): "numbness",
    ("in", "continent"): "incontinent", ("new", "mess"): "numbness",
    ("o", "minar"): "orinar", ("o", "minando"): "orinando", ("ex", "cremento"): "excremento",
    ("panto", "rrilla"): "pantorrilla", ("adormeci", "miento"): "adormecimiento",
    ("de", "bilidad"): "debilidad", ("en", "tumida"): "entumida", ("en", "tumido"): "entumido",
    ("en", "tumidos"): "entumidos", ("en", "tumidas"): "entumidas",
}
# fmt: on
# fmt: off
VOICE_SOUNDALIKES: dict[str, str] = {
    "numbs": "numb", "nom": "numb", "tingley": "tingly",
    "weekness": "weakness", "feaver": "fever", "fiber": "fever", "peed'": "peed",
    "pissed": "pissed", "pee'd": "peed", "chills'": "chills", "swallowing'": "swallowing",
    "swallow'": "swallow", "breathe'": "breathe", "tinglin": "tingling",
    # "pea" and "peas" are heard for "pee" far more often than vegetables come up.
    "pea": "pee", "peas": "pees", "fiver": "fever", "chiles": "chills", "breadth": "breath",
    "nam": "numb", "piedra": "pierna", "piedras": "piernas", "liebre": "fiebre",
    "tierna": "pierna", "tiernas": "piernas", "errida": "herida", "acostao": "acostado",
}
# fmt: on


def phrase_words(phrase: str) -> list[str]:
    """The words of a lexicon phrase, without its (a|b) and [optional] marks."""
    for mark in "|()[]":
        phrase = phrase.replace(mark, " ")
    return phrase.split()


def lexicon_words() -> set[str]:
    """Every word of five letters or more in the lexicon and cue phrases: typo targets."""
    return {
        w
        for phrases in (*CLASSES.values(), *CUES.values())
        for phrase in phrases
        for w in phrase_words(phrase)
        if len(w) >= 5 and w.isalpha()
    }


# Typos are corrected to the nearest lexicon word within one edit, two from ten letters on
# (clinical-triage.md 4.2: a curated list, no unbounded edit distance); typos.py does it.
# Five-letter words collide too often ("nueve"/"nueva", "siete"/"siente"): only the curated
# distinctive words below are targets at that length.
_DISTINCTIVE = (
    "numbness tingling tingly weakness incision drainage draining constipated constipation "
    "swallowing swallow breathing breathe shortness fever chills urinate bladder bowels "
    "hormigueo entumido adormecido estrenido escalofrios calentura hinchado hinchada "
    "pantorrilla suicide suicidal depressed infected swollen swelling oozing bleeding "
    "shooting sciatica headache groin incontinence paralyzed numb"
)
# "ñ" is read as "n" before correction ("señora" is found as "senora").
FUZZY_TARGETS: tuple[str, ...] = tuple(
    sorted({w for w in lexicon_words() if len(w) >= 6 and w.isascii()} | set(_DISTINCTIVE.split()))
)

# Real words a typo correction must leave alone, even one letter away from a target.
_COMMON = (
    "single jingle number numbers weekly weekend sweets shouting injected breeding fewer "
    "never chiles chilly chiles smelling spelling selling telling walking talking stalking "
    "feeling fueling dealing healing sealing peeling reeling shooing shoring hooting "
    "breeze bridge bladders blader fevers infect inject swallow swallows shallow shadow "
    "drained raining training brained grains groins brain drains change chance charge "
    "charged changed chilling killing filling billing spilling thrilling "
    "grown groan growing groaning dragon dragons draggy drugging drugged tingles tangle "
    "tangled tangling mingle mingling bowling bowlers towels vowels bowels howls "
    "swelling dwelling welling yelling swilling willing swirling spelling "
    "feverishly breathes breathed breather bleeding bleeder blending blessing "
    "pressing dressing guessing messing depressing depressed impressed "
    "infected infection inflection reflection injection injections "
    "shooting shouting shorting sporting spotting "
    "chills chills' chilli chile chiles pills pill spills spill hills "
    "radiating rotating raiding "
    "oozing dozing cozying boozing "
    "swollen stolen "
    "respire respira respiro orinal orina "
    "pierna piernas "
    "hombro hombros hormiga hormigas "
    "entendido entendida encendido encendida extendido tendido "
    "adormir dormido dormida "
    "calentar caliente calientes "
    "hinchar hincha "
    "fiebres fiestas fieles "
    "debilito debiles "
    "temperatures tempered temperament "
    "hopeful helpless hopeless "
    "anxious anxiously "
    "discharged discharges "
    "choosing chasing choking chocking "
    "collapse collapses collected collect "
    "dripping dropping drooping draping "
    "redness readiness "
    "gentle genital gentles "
    "retained retaining retention attention "
    "tingle tingles "
    "breathing breading "
    "supuesto suponiendo "
    "sangrado sangre "
    "shortness shortest "
    "swelled swells smelled spelled grain grains unreadable inspection inspections selection "
    "detection collection suggestion indigestion congestion ingestion checking chocking "
    "inflated inflamed inflation "
    # Everyday Spanish that sits one letter from a symptom word.
    "empeorado preocupado preocupada limpia limpio sentir senti sentado sentada estaba "
    "estamos estaban tenia tenido tuviste puedes pueden podido quiero quieres quiere "
    "siente sienten sentia caminado camine caminando estado estuve estuvo dormir dormi "
    "pierde pierda piensa pienso duelo dolido doliente orinal orinas caliento calientes "
    "hinchar hinchan sangro sangrar cuestan costado tragado tragos respira respire mejoro "
    "mejorado mejorando mejoria sensacion sensaciones operado operada cirugias heridas "
    "nuevo nueve nueva nuevas siete seis ocho cinco cuatro treinta cuarenta noventa ciento "
    "punto puntos grados"
)
FUZZY_PROTECTED: frozenset[str] = frozenset(
    set(_COMMON.split())
    | REAL_WORDS
    | {
        w
        for phrases in (*CLASSES.values(), *CUES.values())
        for p in phrases
        for w in phrase_words(p)
    }
    | set(CANONICAL)
    | {w for v in CANONICAL.values() for w in v.split()}
)
