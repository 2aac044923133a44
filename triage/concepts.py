"""Red-flag vocabulary by body function and sign, in English, Spanish and Tagalog.

Each concept names one body function or sign the way patients and caregivers do: lay words,
regional words, misspellings and speech-recognition mishearings. Its phrases join the lexicon
classes the rules read (lexicon.py merges them), so one word added here reaches the specific
rules and the fail-safe net at once:

- area: words that name the function or the place ("water" as in "pass water", "where you
  sit"). They join the classes in `area_classes`: the specific rules pair them with a change
  ("can't", "leaking") and the net sends an unexplained change in the area to a nurse.
- signs: phrases that report the red flag by themselves ("wet myself", "se me dobla la
  rodilla"). They join `sign_class`.
- hints: phrases that suggest the red flag but cannot prove it. They join `hint_class`, whose
  net rule sends the reply to a nurse with `code`, the finding they most likely mean.

Phrase syntax is the lexicon's: (a|b) either word, [a] an optional word; normalize.py folds
accents, case and contractions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    """One body function or sign: its finding code and its vocabulary by language."""

    code: str
    area_classes: tuple[str, ...]
    sign_class: str
    hint_class: str
    area: dict[str, tuple[str, ...]]
    signs: dict[str, tuple[str, ...]]
    hints: dict[str, tuple[str, ...]]

    def phrases(self, lang: str) -> tuple[str, ...]:
        """Every phrase of the concept in one language."""
        return (*self.area.get(lang, ()), *self.signs.get(lang, ()), *self.hints.get(lang, ()))


# The languages of the vocabulary: English, Spanish and the Tagalog that Filipino patients mix
# into English ("manhid", "ayaw lumabas ng ihi"); every reply is read against all of them.
LANGS = ("en", "es", "tl")

# Verbs for passing urine, to build "haven't passed water" and "no he orinado" from.
_VOID_EN = (
    "peed", "pee", "urinated", "urinate", "passed [the|her|his|my] water",
    "pass [the|her|his|my] water", "made water",
    "make water", "passed urine", "pass urine", "voided", "void", "gone pee", "went pee",
    "go pee", "tinkled", "weed", "gone number one", "spend a penny", "spent a penny",
)  # fmt: skip
_VOID_ES = (
    "orinado", "orinar", "hecho pipi", "hacer pipi", "hacer pee", "hecho pee", "hecho pis",
    "hacer pis", "hecho chis",
    "hacer chis", "meado", "mear", "miado", "miar", "ido a orinar", "hecho del uno",
    "hacer del uno",
)  # fmt: skip
_NOT_EN = (
    "(havent|hasnt|have not|has not|didnt|did not|couldnt|could not|cant|cannot|unable to|aint)"
)
# "no e orinado": "he" typed as it sounds ("e" alone stays "and", as in "muslo e ingle").
_NOT_ES = (
    "(no he|no e|tampoco he|tampoco e|no ha|no hemos|no puedo|no puede|no pude|no pudo|no logro"
    "|no logra)"
)

# fmt: off
CONCEPTS: dict[str, Concept] = {
    "urination": Concept(
        "bladder", ("URINE", "NET_URINE"), "BLADDER", "NET_URINE",
        area={
            "en": ("pee", "peeing", "peed", "urine", "urinate", "urinating", "bladder", "stream",
                   "wee",
                   "pass water", "passed water", "passing water", "make water", "made water",
                   "making water", "waterworks", "wee wee", "weewee",
                   "tinkle", "piddle", "number 1", "peepee", "pee pee"),
            "es": ("orina", "orinar", "vejiga",
                   "chis", "hacer chis", "aguas menores", "pichi", "pichí", "miar", "miado",
                   "meado", "meando",
                   "orines", "la orina", "pipi", "el pipi", "la pipi", "orinando"),
            "tl": ("ihi", "umihi", "maihi", "pag-ihi", "iihi", "umiihi"),
        },
        signs={
            "en": ("(still|after i still|i still) (feel|feels) full",
                   "nothing (come|comes|came) out",
                   "(pee|urine|wee|water) (not|no|nah|wont|doesnt|didnt|cant|cannot) come [out]",
                   "nothing [nah|not|wont|doesnt] (come|comes|came) [out]",
                   "(not|nah) (pee|peed|pass water) (from|since) (yesterday|last night"
                   "|this morning)",
                   "(toilet|pee|peeing|wee) (cant|cannot|not|never) finish",
                   "(accident|accidents) with (my|his|her|the) (water|waterworks|bladder)",
                   "(drop drop|drip drip|drop by drop)",
                   "(try|tried|trying) to pee (many times|again and again|all (day|morning"
                   "|night)|over and over) [and] nothing",
                   *(f"{_NOT_EN} [been able to] {v}" for v in _VOID_EN),
                   "no (pee|urine|water) (since|all day|all night|for hours|today|yet)",
                   "(peed|wet|pissed|tinkled|weed) (the bed|myself|himself|herself|my pants"
                   "|his pants|her pants|the sheets|through)",
                   "(stood|sat) (at|on) the (toilet|potty) [for] [ages|forever|an hour]"
                   " and nothing", "only a (trickle|dribble|few drops) (comes|came) out",
                   "(bladder|belly|tummy) (is|feels) (full|hard|tight) and (nothing|cant|cannot)",
                   "(cant|cannot|couldnt|can not|could not) hold (my|his|her|the) water",
                   "(urine|pee|wee) [is|was] (going|coming|come|comes|came|goes|go) out (alone"
                   "|by itself|on its own)",
                   "(urine|pee|wee) [is|was] (coming|come|comes|came) before i (reach|get|make it)",
                   "(the urine|urine|pee|the pee) (came|comes|come) [out] in my (trousers|pants"
                   "|clothes|underwear)",
                   "(trouble|hard time|difficulty|struggling|struggle) (starting|getting started)"
                   " [to pee|the stream|my stream|peeing]",
                   "(a|little|small|bit of a) leak when i (stood|stand|stood up|stand up|cough"
                   "|coughed|sneeze|sneezed|laugh|laughed)",
                   "bladder scan", "post void residual", "straight cath", "straight cathed",
                   "no (void|voids|voiding) since", "(brief|briefs) (was|were|is) (saturated|soaked"
                   "|wet through)", "saturated (brief|briefs)", "voiding small (amts|amounts)",
                   "(never|dont|doesnt|cant) feel (like) [ive|i have|im|i am] (finished|emptied"
                   "|empty|done)",
                   "(not|never|arent|isnt) [fully|completely|really] emptying",
                   "(not sure|unsure if|dont know if|dont think|dont feel like) (im|i am|hes|he is"
                   "|shes|she is|i) [fully|completely|really] (emptying|empty)",
                   "(cant|cannot|dont|doesnt) (empty|feel empty) [my|his|her] [bladder]"
                   " [all the way|completely|fully]", "incomplete emptying", "urinary retention",
                   "(urinary|urine|bladder) incontinence", "incontinent of urine"),
            "es": ("no (e|he|a|ha) podido (orinar|hacer pipi|mear|miar)",
                   "no (siento|siente) bien cuando (tengo|tiene|me dan|le dan) ganas de (orinar"
                   "|hacer pipi)",
                   "(ni|no) me doy cuenta (cuando|que) (orino|me orino|se me sale)",
                   "(nomas|solo|nada mas) (salen|sale) (gotitas|gotas|unas gotas)",
                   *(f"{_NOT_ES} [podido] [ni] {v}" for v in _VOID_ES),
                   "me (he|ha) (meado|orinado|hecho pipi|hecho pis) encima",
                   "(se|me) (meo|meó|orino|mojo) encima",
                   "(me|se) (hice|hizo) (pichi|pichí) [en la cama|encima|en la ropa]",
                   "(me|le) cuesta (sacarla|hacer pee|orinar|hacer pipi)",
                   "globo vesical", "retencion urinaria", "retención urinaria",
                   "incontinencia (urinaria|de orina)", "sin (poder orinar|orinar)",
                   "(perdi el|sin) control de (esfinteres|esfínteres)",
                   "perdida del control de esfinteres",
                   "(me|se) (hice|hizo) (pipi|pis|chis)"
                   " (encima|en la cama|en la ropa|en el pantalon)",
                   "no (sale|salio) (nada de orina|la orina|el pipi|nada de pipi)",
                   "(me|le|se) (gano|gane|ganaba) (la orina|el orin|el orine|de orinar|el pipi"
                   "|la pipi|la meada)", "(me|le) (gano|gane) (de|el) (orinar|pipi)",
                   "(no|ni) (puede|puedo|pudo|pude) o ni ar",
                   "(nomas|solo|nada mas) (le|me) (salen|sale) (gotitas|gotas|unas gotas)",
                   "no (siento|siente|sentia|senti|sintio) [bien] cuando (orino|orina|orinaba"
                   "|hago pipi|voy a orinar|va a orinar|sale la orina|me sale la orina"
                   "|sale el orine)",
                   "(cuando|al) (voy a orinar|orino|orinar|va a orinar|orina) no (siento"
                   "|siente) (cuando|que|si) (sale|salia|salio|termino|termina)"),
            "tl": ("(hindi|di) (ako|siya|sya) (makaihi|maka-ihi)",
                   "ayaw (lumabas|lumalabas) [ng|yung|ang] ihi",
                   "[yung|ang] ihi [ko|niya] [lang] [po] parang ayaw lumabas",
                   "(naihi|na-ihi) (ako|siya|sya)",
                   "(hindi|di) ko (ramdam|maramdaman|nararamdaman) [pag|kapag|kung]"
                   " (umiihi|naiihi)"),
        },
        hints={"en": (), "es": ()},
    ),
    "bowels": Concept(
        "bowel", ("POOP", "NET_BOWEL"), "BOWEL", "NET_BOWEL",
        area={
            "en": ("poop", "pooping", "pooped", "stools", "bowel", "bowels",
                   "number 2", "number two", "#2", "bm", "bms", "stool", "poo",
                   "poopoo", "poo poo", "doodoo", "doo doo", "back door", "my bowels", "the runs",
                   "movement", "bowel movement", "deuce", "dookie"),
            "es": ("del dos", "hacer del dos", "del 2", "hacer del 2", "hacer de vientre",
                   "hacer del cuerpo", "popo",
                   "caca", "heces", "evacuar", "obrar",
                   "el estomago", "pupu", "mis necesidades", "el vientre", "la panza"),
            "tl": ("dumi", "tae", "dumumi", "tumae"),
        },
        signs={
            "en": ("(poop|poo|stool|bm|it|number two|big toilet) [just] (comes|come|came|coming)"
            " [out] (no warning|without warning|without (me|i|him|her) (knowing|know|knew"
            "|feeling|feel))",
                   "(found|find|finding|there was|there is) (stool|poop|poo) in (my|his|her|the)"
                   " (underwear|pants|bed|diaper|briefs|sheets)",
                   "(cant|cannot|can not) hold it like before",
                   "never knew it was there",
                   "(poop|poo|stool|bm|it) (came|comes|come|coming) (out) without (me|i|him|her)"
                   " (knowing|noticing|feeling)",
                   "(poop|poo|stool|bm|it) (came|comes|come) without (i|me|him|her) (know|knowing"
                   "|feel|feeling)",
                   "(make|made|makes|had|have) a mess (in|on) (my|his|her|the) (pants|bed"
                   "|underwear|sheets|diaper)",
                   "back door (is not|isnt|not|wont|doesnt|does not) (closing|close|shut|holding"
                   "|working)",
                   "(soiled|messed|dirtied|pooped|pooed) (himself|herself|the bed|his pants"
                   "|her pants)",
                   "(incontinent|incontinence) of (stool|stools|bowel|feces)",
                   "incontinent (episode|episodes) of (stool|bowel)", "stool smears",
                   "(smears|smearing) in (the|his|her) (brief|briefs|underwear)",
                   "(bm|stool) in (the|his|her) (brief|briefs) [and] (didnt|did not) know",
                   "(staining|stains|streaks|skid marks|soiling) (in|on) (my|his|her) (underwear"
                   "|pants|briefs|undies|boxers)",
                   "(fecal|faecal|stool|bowel) incontinence", "sharted", "shart",
                   "(sharted|shat|pooped) [and] (didnt|did not|never) (know|notice|feel|realize)"),
            "es": ("(me|se) (hice|hizo|hago|hace) (del dos|popo|caca|pupu) (en la ropa|encima"
                   "|en la cama|en el pantalon|en los calzones)",
                   "(me|se) (ensucie|ensucio|ensucia|ensucio) (encima|en la cama|dos veces"
                   "|otra vez|[y] (no|ni) (lo|la) (senti|sintio|note|noto))",
                   "(no|ni) (senti|sintio|siento|siente) (cuando|que) (salia|sale|salio)",
                   "no controlo (el|mi) (estomago|vientre|intestino)",
                   "se me (escapa|escapo|salio|sale) (la caca|el popo|algo mas)",
                   "(se me|se le) (escapan|escapa|salen|sale|salieron) los gases",
                   "no (controlo|controla) (los gases|como antes|el intestino)",
                   "(me|se) lo (he|ha) hecho encima",
                   "se (me|le) (hizo|salio) del (2|dos)", "incontinencia fecal",
                   "(urinaria|orina) y fecal",
                   "no (puedo|puede) aguantar (el|la|lo) (del 2|del dos|caca|popo)",
                   "(me|se) (hice|hizo) del (bano|baño) (en el pantalon|en la ropa|encima"
                   "|en la cama|en los calzones)",
                   "(me|le) (gano|gane) (del bano|del baño|del dos|la caca|el popo)"),
            "tl": ("(natae|nadumi) (ako|siya|sya)",
                   "[yung|ang] dumi [ko|niya] (lumalabas|lumabas) [na lang] [po] [ng] kusa",
                   "(di|hindi) ko [na] [po] mapigilan [ang|yung] (dumi|tae)",
                   "lumabas [ang|yung] (dumi|tae) [nang|ng] (hindi|di) ko (alam|namalayan)"),
        },
        hints={"en": (), "es": ()},
    ),
    "saddle sensation": Concept(
        "saddle_numbness", ("SADDLE", "NET_SADDLE"), "NUMB", "NET_SADDLE",
        area={
            "en": ("groin", "crotch", "genitals", "genital", "private area", "private parts",
                   "privates", "down there", "down below", "below the belt", "seat area",
                   "between my legs", "inner thigh", "inner thighs",
                   "inside of my (thigh|thighs|legs)", "thigh on the inside", "inside of my legs",
                   "perineum", "taint", "anus", "rectum", "butthole", "vagina", "penis", "scrotum",
                   "testicles", "labia", "where i sit", "toilet seat", "saddle", "wiping",
                   "when (i|he|she|me|mi) (wipe|wipes|wiped)",
                   "where (you|u|ya|one|we|she|he) (sit|sits)", "where (i|you|u|she|he) sit on"
                   " the (toilet|chair|seat|pot|potty|commode|john|loo)",
                   "(bike|bicycle|horse|saddle) seat",
                   "sitting on a (bike|bicycle|horse|saddle)", "(my|her|his) bottom",
                   "(my|her|his) backside", "(my|her|his) behind", "(my|her|his) nether"
                   " regions", "(my|her|his) privates", "the paper when (i|she|he|you) (wipe"
                   "|wipes)", "feel the (paper|toilet paper|tissue)", "bum area", "seat of (my"
                   "|her|his) (pants|trousers)", "the area you sit on", "undercarriage",
                   "nether regions", "lady parts", "man parts", "my junk", "perianal",
                   "(my|his) (pecker|dick|wiener|balls|nuts)", "(my|his|her) bits",
                   "insides of (my|his|her) legs", "family jewels", "region perineal",
                   "zona genital",
                   "perineal", "(my|her|his) whole (bottom|behind|backside|bum|rear)"),
            "es": ("entrepierna", "ingle", "ingles", "las ingles", "la vagina", "el pene",
                   "partes intimas", "genitales", "ahi abajo",
                   "alla abajo", "aca abajo", "entre las piernas", "en medio de las piernas",
                   "cuando me limpio", "al limpiarme", "donde me siento", "cuando se limpia",
                   "cuando (se|me) limpiaba", "(se|me) (sienta|siento) en (el inodoro|la taza)",
                   "el agua en (sus|mis) partes", "[la] parte de dentro da coxa",
                   "al limpiarse", "ahi atras", "donde (uno|me|se) (limpia|limpio)",
                   "[la parte de] (adentro|dentro) del muslo", "parte interna del muslo",
                   "donde (uno|me|se) (sienta|siento)", "la parte de abajo", "parte de abajo",
                   "mis partes", "sus partes", "las partes", "(la|mi|su) cola", "las sentaderas",
                   "(el|mi|su|del) (fundillo|fondillo)",
                   "donde uno se sienta", "(las|mis|sus) posaderas", "el papel (cuando|al)"
                   " (me limpio|limpiarme|se limpia)", "(la|mi|su) colita", "el bizcocho",
                   "(mi|su) trasero", "entrepiernas", "(el|mi|su) poto", "la zona de abajo",
                   "zona intima"),
            "tl": ("singit", "pwet", "puwit", "puwitan", "pwetan", "pag nagpupunas", "sa inidoro"),
        },
        signs={
            "en": ("(cant|cannot|couldnt|dont|doesnt|can not) feel the (paper|toilet paper"
                   "|tissue)", "numb (right|just|exactly) where (you|u|i|one) (sit|sits)",
                   "saddle (anesthesia|anaesthesia|numbness|paresthesia|hypoesthesia)",
                   "(decreased|reduced|diminished|less|no|lost) (perianal|perineal|saddle)"
                   " (sensation|feeling)"),
            "es": ("no (siento|siente|sentia|sentí) el papel",),
            "tl": ("(hindi|di) ko ma-feel [yung|ang] tissue",),
        },
        hints={"en": (), "es": ()},
    ),
    "leg strength": Concept(
        "weakness", ("NET_MOTOR",), "WEAK", "NET_MOTOR",
        area={
            "en": ("walk", "walking", "step", "steps", "stairs", "stand", "standing", "hold",
                   "holding", "lift", "trust", "trusting", "gave", "give", "folded", "went out",
                   "jello", "spaghetti", "noodles", "wobble", "wobbles", "wobbly", "heavy",
                   "drunk", "grabbing",
                   "flopping", "flops", "floppy foot", "slapping", "slaps the floor", "lets go",
                   "let go", "grip", "hold me up", "hold me", "hold him", "hold her"),
            "es": ("caminar", "camino", "pararme", "sostener", "trapo", "pesada", "pesadas",
                   "dobla", "doblo", "dobló", "se dobla", "responden", "responde", "sostienen",
                   "aguantan", "plaf"),
            "tl": ("maigalaw", "maangat", "makatayo", "makalakad"),
        },
        signs={
            "en": ("(foot|feet|toes) (keeps|kept|is|are|has been|have been|been)"
                   " [kind of|kinda|sort of] (flopping|flapping|slapping|dropping)",
                   "(hand|hands|fingers|grip) [just] (lets go|let go|gives out|gave out|wont"
                   " hold|cant hold)", "grip is (gone|trash|weak|nothing|useless|shot)",
                   "(legs|leg|knees|knee) (would not|wouldnt|wont|will not|couldnt|could not"
                   "|cant|cannot) (hold|support|carry) (me|him|her|my weight|his weight"
                   "|her weight)", "lift (my|his|her) knee (higher|up high) to",
                   "(legs|leg) [just] (wont|would not|wouldnt|will not) (take|carry) (me|him|her)",
                   "(legs|leg|knees|knee) (keep|keeps|kept) (going|giving way|giving out|buckling"
                   "|folding)", "without (someone|somebody|my wife|my husband|my son|my daughter"
                   "|help|him|her) (holding|lifting|helping) (me|him|her) [up]",
                   "(grip|my grip) [just] (isnt|is not|wasnt) there",
                   "(legs|leg) [they] (are not|arent|is not|isnt|not) holding (me|him|her) [up]",
                   "(legs|leg) [just] (wouldnt|wont|would not|didnt|dont) work",
                   "(cant|cannot|couldnt|can no longer) hold (a|my|the) [coffee] (cup|mug|glass"
                   "|fork|spoon|pen|phone)"),
            "es": ("se me (dobla|doblo|doblan|doblaron) (la rodilla|las rodillas|la pierna"
                   "|las piernas)", "se le (dobla|doblo|doblan|doblaron) (la rodilla"
                   "|las rodillas|la pierna|las piernas)",
                   "(las piernas|la pierna|los pies|el pie) no (le|me) (responden|responde"
                   "|sostienen|sostiene|aguantan|aguanta)",
                   "se (le|me) cae el pie", "(arrastra|arrastro) (el pie|la pierna|los pies)",
                   "(ni|no) (muevo|mueve|puedo mover|puede mover) (las piernas|la pierna|los pies"
                   "|el pie)",
                   "(la pierna|el pie|las piernas|los pies) (izquierda|derecha|izquierdo|derecho)"
                   " no (me|le) (responde|responden|sostiene|sostienen|aguanta|aguantan)",
                   "no (me|le) (aguantan|aguanta|sostienen|sostiene|responden|responde) (las"
                   " piernas|la pierna|los pies|el pie|las rodillas|la rodilla)",
                   "no (se|me) (puede|puedo) parar",
                   "(la rodilla|las rodillas|la pierna|las piernas|las dos piernas|los pies)"
                   " se (me|le) (dobla|doblo|doblan|doblaron)",

                   "[casi] no (las|los|la|lo) (puedo|puede|podia) mover"),
            "tl": ("(hindi|di) ko (maigalaw|maangat) [ang|yung] (paa|binti|legs|tuhod)",
                   "nanghihina [ang|yung] (paa|binti|legs|tuhod)",
                   "(hindi|di) (ako|siya|sya) (makatayo|makalakad)"),
        },
        hints={"en": (), "es": ()},
    ),
    "leg sensation": Concept(
        "numbness", ("LIMB", "NET_LEG"), "NUMB", "NET_LEG",
        area={
            "en": ("leg", "legs", "foot", "feet", "toe", "toes", "thigh", "thighs", "knee",
                   "knees", "ankle", "ankles", "heel", "heels", "shin", "shins", "arm", "arms",
                   "hand", "hands", "finger", "butt cheeks", "bum cheeks", "buttocks", "rear end",
                   "calve", "feets", "legz", "ankel", "fingers", "ring finger", "pinky",
                   "pinkie"),
            "es": ("pierna", "piernas", "pie", "pies", "dedos", "muslo", "muslos", "rodilla",
                   "rodillas", "tobillo", "brazo", "brazos", "mano", "manos", "nalga", "nalgas",
                   "gemelo", "gemelos", "canilla", "canillas", "chamorro", "patas", "pata",
                   "deditos", "muslo por fuera"),
            "tl": ("paa", "binti", "hita", "tuhod", "daliri"),
        },
        signs={
            "en": ("(going|goes|go|went|gone|keep going|keeps going) to sleep [on me]",
                   "(like|as if) (wearing|i wear|i am wearing|im wearing|with|in) [a] [thick]"
                   " (sock|socks|glove|gloves|stocking|stockings)",
                   "(cant|cannot|can not) feel the (floor|ground) [good|well]",
                   "(like|as if) (through|under) (a|the) (blanket|towel|cloth)",
                   "tinkle tinkle", "tinkly", "pins and needle", "pens and needles",
                   "pins an needles", "like (they|it) (dont|doesnt|do not|does not) belong to"
                   " (me|him|her)", "(dont|doesnt) feel like (mine|my own|his|hers)",
                   "numm", "num"),
            "es": ("como si (trajera|tuviera|llevara|trajiera) [puesto|puestos] (calcetin"
            "|calcetines|guante|guantes|media|medias)",
                   "como sin sentir",
                   "sin sentir",
                   "no (los|las|lo|la) siento bien",
                   "(como|cual) (de) (carton|madera|corcho|hule|trapo)",
                   "no (me|se) (siento|siente) (bien) la piel", "dormía", "dormia",
                   "como dormido", "como dormida", "hormiguita", "ormiguitas", "cosquillitas",
                   "se (me|le) (enchina|enchinan) (la|el|los|las) (pierna|piernas|pie|pies|nalga"
                   "|nalgas|mano|manos)"),
            "tl": ("manhid", "namamanhid", "pamamanhid", "parang may kuryente", "tusok tusok"),
        },
        hints={"en": (), "es": ()},
    ),
    "temperature": Concept(
        "fever", ("NET_TEMP",), "FEVER_SIGN", "NET_TEMP",
        area={
            "en": ("temp", "temperature", "chills", "shivering", "shivers", "sweats", "sweaty",
                   "clammy", "feverish", "hot and cold", "burning up",
                   "fiver", "fevah", "fevers",
                   "chiles", "chilly", "hot to the touch"),
            "es": ("escalofrios", "calentura", "temperatura", "sudando", "destemplado",
                   "destemplada",
                   "fiebre", "fiebrita", "calenturita", "temperatura alta", "destemplanza",
                   "escalofrio", "escalofrío"),
            "tl": ("lagnat", "sinisinat", "giniginaw", "nanginginig sa ginaw"),
        },
        signs={
            "en": ("shaking chiles", "the chiles", "(puddle|pool) of sweat",
                   "(shaking|shivering) (and|n) (sweating"
                   "|sweaty|hot)", "(hot|burning) to the touch and (shaking|shivering)",
                   "(fiver|fevah|feaver|fevere|fever) (of|is|was) [a] (hundred|one hundred)"),
            "es": ("calofrios", "calosfrios", "temblando y sudando", "sudando y temblando",
                   "con fiebrita", "ardiendo en fiebre", "volando en fiebre",
                   "(tiemblo|temblaba|tiembla|temblando) de frio",
                   "(me|le) (dan|daban|da|dieron) [como] (frios|frio|escalofrios)",
                   "sudo [mucho] (en la noche|en las noches|por las noches|de noche)",
                   "(me|se) (senti|siento|sentia|siente|sintio) [muy] (caliente|calenturiento"
                   "|calenturienta)"),
            "tl": ("mataas ang lagnat", "may lagnat (ako|siya|sya)", "nilalagnat"),
        },
        hints={"en": (), "es": ()},
    ),
    "breathing": Concept(
        "breathing", ("NET_BREATH",), "BREATHING", "NET_BREATH",
        area={
            "en": ("breath", "breathe", "breathing", "lungs", "lung", "lungful", "chest", "air",
                   "breadth", "breth", "brethe", "breathin", "wind", "winded", "puffed",
                   "breaths", "whistle", "whistling"),
            "es": ("respirar", "respiro", "respiracion", "aire", "pecho", "pulmones",
                   "aliento", "resuello", "fatiga", "el aire", "coger aire", "agarrar aire",
                   "tomar aire", "mi pecho", "el pecho"),
            "tl": ("hinga", "huminga", "makahinga", "dibdib"),
        },
        signs={
            "en": ("(cannot|cant|can not) breath (good|well|right)",
                   "(stabbing|sharp|knife|stab|stabs) [pain] (in|on) (my|the|his|her) chest",
                   "(when|if) i (breathe|breath) in (deep|deeply|hard)",
                   "wheezy", "wheeze", "wheezes", "wheezing", "short of (breadth|breth|breathe)",
                   "(cant|cannot|can not) (say|finish|get"
                   " out) [a|the] [whole|full|complete] (sentence|sentences)",
                   "(elephant|someone|somebody|a truck|a weight|a brick) (sitting|standing"
                   "|on|parked) (on|in) (my|his|her) chest",
                   "(wheezing|gasping|struggling|fighting) (to|for) (breathe|breath|air)",
                   "chest (thats|that is|is) (bothering|killing|crushing) me like (an|a) (elephant"
                   "|truck|ton of bricks|weight|anvil)",
                   "breathing (is|sounds) (like) [a] (whistle|whistling|wheeze)",
                   "cant catch (my|his|her) (breath|breadth)",
                   "(winded|out of breath|short of breath) (from|after|going|walking)",
                   # SOB, the clinic's shorthand for short of breath (not a sob: "i sob a lot").
                   "sob (rn|now|right now|today|tonight|all day|when|walking|after|again|bad"
                   "|w|with)", "(new|worsening|worse|some|and|+|w|with|increasing) (sob|doe)",
                   "(swallow|swallowing) and [to] (breathe|breath|breathing)",
                   "(whistly|whistling|high|squeaky|wheezy) (noise|sound) when (i|she|he)"
                   " (breathe|breath|breathes)",
                   "when (i|she|he) (breathe|breathes|breath) in (theres|there is|i hear|it makes)"
                   " a [high|loud|little] (whistly|whistling|squeaky|wheezy|high pitched) (noise"
                   "|sound)",
                   "(hard|hard time|trouble) [to] (catch|catching) (my|his|her) breath",
                   "chest (hurts|pain|pains) when (i|she|he) (breathe|breath|breathes)",
                   "(cant|cannot|can not|not able to|unable to) (take|get|catch) [enough|good]"
                   " (air|breath)", "breath (making|makes|is making) noise",
                   "(im|i am|hes|shes|getting|feeling|been|very|more|really|super|kinda|so"
                   "|little|bit) sob"),
            "es": ("(me da|le da|me dio|le dio|tengo|tiene) fatiga (cuando|al) (camino|caminar"
                   "|camina|subo|sube|hablo|habla)",
                   "(tengo|tiene) que (sentarme|sentarse|parar|pararme) a (coger|agarrar|tomar)"
                   " aire", "no (puedo|puede) (coger|agarrar|tomar|jalar) aire",
                   "no puedo catch my breath", "me falta el resuello",
                   "(me|le) silba el pecho", "(me|le) pesa el pecho",
                   "(respiro|respira|respirando) (cortito|cortita|con ruido|rapidito|con trabajo)",
                   "(punzada|punzadas|presion|opresion|dolor|apreton) en el pecho",
                   "disnea", "estridor", "dolor toracico", "no me llega el aire",
                   "(me duele|duele|dolor) al (respirar|inspirar)"),
            "tl": ("(hindi|di) (ako|siya|sya) makahinga",
                   "hirap (huminga|akong huminga|siyang huminga)",
                   "(masakit|sumasakit) [ang|yung] dibdib [ko]"),
        },
        hints={"en": (), "es": ()},
    ),
    "swallowing": Concept(
        "swallowing", ("NET_THROAT",), "SWALLOW", "NET_THROAT",
        area={
            "en": ("throat", "swallow", "swallowing", "food down", "pills down", "spit", "voice",
                   "swollow", "swalow", "swallowed", "my spit", "saliva", "gulp", "food pipe"),
            "es": ("garganta", "trago", "voz",
                   "tragar", "pasar la comida", "la sopa", "la saliva", "el gaznate",
                   "el buche"),
            "tl": ("lunok", "lumunok", "makalunok"),
        },
        signs={
            "en": ("(cough|choke|coughing|choking) when (i|she|he) (drink|eat|swallow)",
                   "voice (is|has) (change|changed|different|gone|whisper|only whisper)",
                   "voice (very|so) (small|weak|quiet)",
                   "(cant|cannot|can not|couldnt|hard to) (swallow|swollow|get down) (my|his"
                   "|her) (spit|saliva)", "(food|pills|water|soup) (wont|doesnt|will not) go"
                   " down", "(voice|voices) (gone|is gone|went) (all) (croaky|hoarse|raspy)",
                   "(neck|neck is) (more|getting) (swollen|puffy|fat|big)",
                   "(food|pills|pill|meat|bread|rice|it|everything) [feels like it|seems to]"
                   " (sticks|stick|catches|catch|gets stuck|get stuck|is stuck)",
                   "(harder|hard|difficult|trouble|difficulty|hard time) (to swallow|swallowing"
                   "|getting (food|meat|it|pills|solids) down)",
                   "(cant|can) hardly (swallow|get (food|it|anything) down)",
                   "(cough|coughing|choke|choking) (every time|whenever|each time) (i|he|she)"
                   " (drink|drinks|eat|eats|swallow|swallows)",
                   "(choke|choking|cough|coughing) on (thin liquids|liquids|water|drinks|my food"
                   "|food|coffee)", "(go|goes|went|going) down the wrong (way|pipe)"),
            "es": ("disfagia", "disfonia", "disfonía",
                   "(no me pasa|no le pasa|no me baja|no le baja) lo solido",
                   "lo solido no (me|le) (pasa|baja)",
                   "(nomas|solo|nada mas) (puedo|puede) comer [cosas] (aguaditas|blanditas"
                   "|liquidas|papillas|caldos)",
                   "no (me|le) (pasa|pasan|baja|bajan) (ni) (la sopa|la comida|el agua|las"
                   " pastillas|la saliva|nada)", "(bulto|bola|nudo) en la garganta",
                   "me (ahogo|atraganto) (al|cuando) (tragar|como|trago)"),
            "tl": ("(hindi|di) (ako|siya|sya) makalunok", "hirap (lumunok|akong lumunok)"),
        },
        hints={"en": (), "es": ()},
    ),
    "wound": Concept(
        "wound", ("WOUND_SITE", "NET_WOUND"), "WOUND_SIGN", "NET_WOUND",
        area={
            "en": ("incision", "wound", "scar", "staples", "stitches", "sutures", "dressing",
                   "bandage", "glue", "steri strips", "cut",
                   "in season", "the stitches", "my stitches",
                   "the dressing", "bandaid", "band aid", "the cut", "staple line",
                   "steri strip", "suture line", "where they opened me"),
            "es": ("herida", "cicatriz", "grapas", "puntos", "gasa", "vendaje",
                   "el parche", "la cortada", "la herida", "los puntos", "la costura",
                   "la operacion", "la cicatriz", "las grapas", "la incision", "donde me cortaron"),
            "tl": ("sugat", "tahi"),
        },
        signs={
            "en": ("(pimple|zit|bump|blister|boil|whitehead) (on|in|along|by) (the|my|his|her)"
                   " (stitches|incision|scar|cut|wound|staples)",
                   "(white|yellow|green|creamy) (stuff|gunk|goo|fluid) (inside|coming out"
                   "|in it)"),
            "es": ("se abrio (un poquito|un poco|tantito)",
                   "suelta agua con sangre",
                   "lo rojo se (esta|va) (regando|extendiendo|corriendo)", "se me abrio",
                   "se le abrio", "sale como agua con sangre", "(calientita|calientito)"),
            "tl": ("nana", "parang nana", "namumula [po] [yung|ang] (tahi|sugat)",
                   "mabaho [ang|yung] (sugat|tahi)", "ang baho [po] ng (sugat|tahi)"),
        },
        hints={"en": (), "es": ()},
    ),
    "mood and self-harm": Concept(
        "self_harm", ("MOOD",), "SELF_HARM", "NET_SELF",
        area={
            "en": ("not handling this", "not coping", "cant cope", "feeling low", "so low",
                   "pretty low", "really low", "cry all day", "crying all day", "cry a lot",
                   "crying a lot", "keep crying", "whats the use", "what is the use",
                   "worried sick", "in a panic", "panic attacks", "cant stop crying",
                   "dont want to see anybody", "dont want to see anyone"),
            "es": ("triste", "tristeza", "deprimido", "deprimida", "bajoneado", "bajoneada",
                   "lloro todo el dia", "no tengo animo", "sin animo", "desanimado",
                   "desanimada", "angustiado", "angustiada", "ansioso", "ansiosa"),
            "tl": ("malungkot", "umiiyak", "pagod na pagod"),
        },
        signs={
            "en": ("(jump|jumping) (from|off) [the|a|my|his|her] (balcony|bridge|roof|building"
                   "|window|overpass)",
                   "(finish|end|finished|ending) with everything",
                   "(pills|pill) (collected|saved|saved up|stockpiled|hidden|put aside)",
                   "(better|easier) [if] i (dont|didnt|not|never) wake up",
                   "(hang|hanging|shoot|shooting) (myself|himself|herself)",
                   "(want|wants|wanted|wanting|wanna|wish|wishes|wished|wishing) to (die"
                   "|be dead|end it|end it all|end (my|his|her) life|not be here|disappear"
                   " forever|not wake up)",
                   "(thinking|thought|thinks|think|talking|talks|talked|writing|wrote|pages)"
                   " (about|of) (dying|wanting to die|killing (myself|himself|herself)|ending"
                   " it|suicide|not being here|not waking up|taking all (of) (them|my pills"
                   "|his pills|her pills|the pills))",
                   "(easier|better) if i [just] (didnt|did not|never|wouldnt) wake up",
                   "(thinking|thought|think) about (the|my|his|her) (gun|pistol|rifle|razor"
                   "|rope|pills|pill bottle|bottle of (pills|oxy|oxys|percocet|norco))",
                   "(staring|looking) at (the|my) (bottle|pills|gun|razor|rope)",
                   "taking all (of) (them|my pills|the pills|my oxy|the oxy)",
                   "(pill bottles|pills) lined up",
                   "(wrote|writing|written|write|left) [a] (goodbye|suicide) (note|notes|letter"
                   "|letters)", "(it is|its|maybe) better [if] i die",
                   "(everyone|everybody|they|the family|my family|the kids|my kids|my children"
                   "|my wife|my husband) (would|will|d) be better off if (i|ah|mi|me)",
                   "(not|dont) (want|waan) [to|fi] live (so|like this|anymore|no more)",
                   "(family|wife|husband|kids|children|they) (would|will|d) be better off with"
                   " (the|my) (life insurance|insurance money|insurance)",
                   "(went|go|going|gone) to sleep and [just] (didnt|did not|not|never|wouldnt)"
                   " wake up",
                   "(going|go|went|throw|throwing|fling|flinging) (myself|head first|headfirst)"
                   " (down|off) the (stairs|balcony|bridge|cliff)",
                   "(cutting|cut|burning|burned) (myself|himself|herself|my arm|my arms"
                   "|my wrist|my wrists|my thighs|my legs|his arm|his wrists|her arm|her wrists"
                   "|her thighs) (with|w) (a razor|a blade|razors|blades|a knife|a lighter)",
                   "(cutting|cut) (myself|himself|herself) again"),
            "es": ("(pense|pienso|penso|piensa|pensando|pensado) en (colgarme|colgarse|ahorcarme"
            "|ahorcarse|tirarme|tirarse|aventarme|aventarse|matarme|matarse|quitarme la vida"
            "|quitarse la vida)",
                   "(voy a|va a|quiero|quiere) (colgarme|ahorcarme|tirarme|aventarme|matarme"
                   "|hacerme dano)",
                   "(tengo|tiene) (las pastillas|pastillas) (juntadas|guardadas|ahorradas"
                   "|escondidas)",
                   "(ni|no tengo|no tiene|sin) ganas de vivir", "(quiero|quiere|quisiera"
                   "|quisiero) (morir|morirme|morirse|matarme|matarse|desaparecer)",
                   "(pienso|piensa|pensando) en (matarme|matarse|morirme|morirse|quitarme la"
                   " vida|quitarse la vida|la pistola|las pastillas)", "(me|se) (corto|corta"
                   "|cortaba) (los brazos|las munecas|el brazo)", "acabar con todo",
                   "(seria|es) mejor (no despertar|morirme|estar muerto|estar muerta)",
                   "tomarme todas las pastillas",
                   "(me|se|le) (corto|corte|cortare|va a cortar|voy a cortar|quiero cortar"
                   "|quiere cortar) las venas", "cortarme las venas", "cortarse las venas",
                   "mejor (me|se) (mato|mata|muero|muere)",
                   "(se va a|me voy a|se quiere|me quiero|va a|voy a) (matar|colgar|ahorcar"
                   "|quitar la vida|aventar|tirar de)"),
            "tl": ("tapusin ko na lang", "magpakamatay", "mamatay na lang",
                   "sana (hindi|di) na lang ako nagising", "ayoko na mabuhay",
                   "ayaw ko na mabuhay"),
        },
        hints={
            "en": ("(gonna|going to|will|want to|wanna|might) (hurt|kill|harm) (myself|himself"
                   "|herself)",
                   "(didnt|dont|never|not|wouldnt) wake up (tomorrow|again|anymore|ever)",
                   "if i [just] (didnt|dont|never|wouldnt) wake up",
                   "(saving|saved|stockpiling|stockpiled|hoarding|hoarded|keeping) [up] [some of]"
                   " (my|the|his|her) (oxy|oxys|pills|meds|tablets|percocet|percocets|norco"
                   "|sleeping pills)",
                   "(fine|better|happier|easier) without me", "(be|being) around anymore",
                   "(counting|counted|eyeing|eyed|looking at|staring at) (my|the|his|her) [whole]"
                   " [bottle of] [sleeping|pain] (pills|tablets|meds|tablet bottle|pill bottle)",
                   "(eyeing|eyed|looking at|staring at) the (whole|entire) bottle",
                   "(be|being|having|have) done with it [all]", "done with it all",
                   "(be|being) here anymore", "give up on everything", "done with life",
                   "[a] burden (on|to) (everyone|everybody|my family|them|you all)",
                   "(dont|doesnt) want to be a burden", "whats the point (anymore|of anything)",
                   "(think|thinking|thought) (bout|about|of) (jump|jumping)",
                   "(give|gave|giving) away (my|his|her) (things|stuff)",
                   "(pistol|gun|rifle|revolver|shotgun) (in|by|under|next to) (the|my|his|her)"
                   " (nightstand|bedside|bed|pillow|drawer)",
                   "(said|saying|says) goodbye", "no way out", "cant take (it|this) anymore",
                   "if i (had|have|got|still had) (a|my) (gun|pistol|rifle|shotgun|revolver)",
                   "(eat|ate|eating) (my|a|the) (gun|shotgun|twelve gauge|12 gauge|pistol|rifle"
                   "|bullet)",
                   "(drive|driving|drove) (the|my) (car|truck|rig) (off|into) (the|a) (bridge"
                   "|overpass|cliff|tree|wall|river)",
                   "(id|i would|would|hed|he would|shed|she would) (rather|sooner) [just] (end"
                   " it|end it all|die|be dead|not be here|not be alive|not wake up|not exist)",
                   "(cleaning|cleaned|loading|loaded|holding|held|got out|took out|taking out"
                   "|oiling) (the|my|his|her|a) (gun|guns|rifle|rifles|pistol|shotgun|revolver)",
                   "(taking|took|take|got|get|getting) (the|my|his|her|a) (gun|guns|rifle"
                   "|rifles|pistol|shotgun|revolver) out",
                   "(found|find|saw|see|noticed) (cuts|cut marks|scratches|burns) on (his|her|my)"
                   " [upper|lower] (arm|arms|wrist|wrists|thigh|thighs|legs|leg|stomach)",
                   "(ask|asking|asked|pray|praying|prayed|beg|begging) (allah|god|jesus|the lord"
                   "|dios) to take me",
                   "(googling|googled|looking up|looked up|searching|searched|reading about|read"
                   " about|asking|counting|counted|figuring out|working out) how (many|much) [of]"
                   " [my|the|his|her] (pills|oxy|oxys|oxycodone"
                   "|percocet|percocets|norco|tylenol|meds|tablets|sleeping pills)"),
            "es": ("no despertar", "(mejor|bien|felices|tranquilos) sin mi",
                   "no quiero seguir (asi|viviendo)", "no estar aqui",
                   "ser una carga", "soy una carga", "es una carga", "ya no aguanto mas",
                   "ya no puedo mas", "para que seguir"),
        },
    ),
    "falls": Concept(
        "fall", ("SLIPPED",), "FALL", "",
        area={
            "en": ("tumble", "tumbled", "spill", "stumble", "lost my footing", "lost my balance",
                   "lost his balance", "lost her balance"),
            "es": ("tropezon", "resbalon", "traspie", "perdi el equilibrio",
                   "perdio el equilibrio"),
            "tl": ("nadulas", "natumba", "nahulog", "bumagsak"),
        },
        signs={
            "en": ("(went|go|goes|gone) down on the (floor|ground)", "(slid|slipped) (down"
                   " the side of|off|down) (the|my|his|her) (recliner|chair|bed|couch|sofa)"
                   " (onto|to) the (floor|ground)", "(she|he|i|mom|dad) (went|hit) down hard",
                   "ended up (on|down on) (the|my) (floor|ground|butt|bum|backside)",
                   "call (the fire dept|the fire department|911|the paramedics) to (get|pick)"
                   " (me|him|her) up"),
            "es": ("(me di|se dio|me dio|se dio) un (senton|sentón|costalazo|ranazo)",
                   "(me|se|le) [he|ha] (pegue|pego|pegado|dio|di|dado) (un|una)"
                   " (tortazo|trancazo|madrazo|costalazo|sentonazo|guamazo|porrazo|caida"
                   "|chingadazo)",
                                      "se (callo|cayó)",
                   "me (callí|calli)", "fue a dar al (piso|suelo)",
                   "(me|se) (fui|fue) de (poto|nalgas|senton|sentón|espaldas|boca)"),
            "tl": ("napaupo (ako|siya|sya) sa (sahig|floor)", "(nadulas|natumba) (ako|siya|sya)"),
        },
        hints={"en": (), "es": ()},
    ),
}

# A phrase that names two functions at once: the reply goes to a nurse with both in mind.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "cant go": ("bladder", "bowel"),
    "cant hold it": ("bladder", "bowel"),
    "had an accident": ("bladder", "bowel"),
    "no puedo ir": ("bladder", "bowel"),
    "tuve un accidente": ("bladder", "bowel"),
    "no aguanto": ("bladder", "bowel"),
}
# fmt: on
