"""Symptom vocabulary in English and Spanish, as phrase classes a clinician can read."""

from triage.concepts import AMBIGUOUS, CONCEPTS, LANGS

# Each class maps to phrases. In a phrase, (a|b) means either word and [a] an optional word;
# spelling variants, accents and contractions are handled by normalize.py, so "can't", "cant" and
# "cannot" are one word. Sources: LABELING.md (finding codes) and clinical-triage.md 1.1 and 4.2
# (patient-language signs, slang and misspellings).

_LIMB_WORDS = (
    "leg legs foot feet toe toes thigh thighs calf calves knee knees ankle ankles shin shins "
    "heel heels hip hips arm arms hand hands finger fingers fingertips wrist wrists buttock "
    "buttocks butt cheeks glute glutes sole soles pierna piernas pie pies dedo dedos muslo "
    "muslos rodilla rodillas tobillo tobillos talon talones brazo brazos mano manos nalga nalgas "
    "gluteo gluteos pompis cadera pantorrilla pantorrillas"
)

# fmt: off
CLASSES: dict[str, tuple[str, ...]] = {
    # --- sites and qualifiers -------------------------------------------------------------
    "LIMB": (
        *_LIMB_WORDS.split(), "grip", "balls of my feet", "ball of my foot",
        "bottom of my (foot|feet)", "one of my legs", "one of my feet", "planta del pie",
        "lower (leg|legs)", "upper (leg|legs)", "back of my (leg|legs|thigh|thighs)",
        "both (legs|feet|arms|hands|knees|thighs|calves|ankles|toes)",
        "back of my (left|right) (leg|legs|thigh|thighs)",
        "back of (the|his|her|left|right) (leg|legs|thigh|thighs|calf)",
        "(la|el) parte de (atras|adelante|afuera|adentro) de (la|las|el|mi|su) (pierna|piernas"
        "|muslo|pie)",
        "both of my (legs|feet|arms|hands)", "ambas piernas", "ambos pies", "las dos piernas",
        "los dos pies",
        "bum",
    ),
    "BILATERAL": (
        "both", "legs", "feet", "calves", "thighs", "knees", "ankles", "both sides", "ambas",
        "ambos", "las dos", "los dos", "piernas", "pies", "both of them",
        "both (legs|feet|knees|thighs|calves|ankles|toes)", "both of my (legs|feet)",
        "ambas piernas", "ambos pies", "las dos piernas", "los dos pies", "ble", "bilateral",
        "(leg|legs|foot|feet) both", "both leg",
    ),
    "ONE_SIDE": (
        "left", "right", "one", "one side", "one leg", "one foot", "left side", "right side",
        "izquierda", "izquierdo", "derecha", "derecho", "un lado", "una pierna", "one of my legs",
        "one of my feet", "un pie",
    ),
    "SADDLE": (
        "private place", "private places", "partes privadas", "(my|her|his) seat",
        "seat area", "seat of my pants",
        "groin", "groins", "crotch", "genitals", "genital", "genital area", "genitalia",
        "private area", "private areas", "private parts", "privates", "private", "down there",
        "between my legs", "between the legs", "inner thigh", "inner thighs",
        "inside of my (thigh|thighs|legs)", "(thigh|thighs|leg|legs) on the inside",
        "en medio de (las|mis) piernas", "perineum", "perineal", "taint", "anus", "rectum",
        "rectal", "butthole", "butt hole", "around my bottom", "where i sit", "saddle",
        "saddle area", "vagina", "vaginal", "penis", "scrotum", "balls", "testicles", "labia",
        "testiculo",
        "pubic", "pubic area", "toilet seat", "the seat", "when i wipe", "wipe", "wiping",
        "toilet paper", "sit on the toilet", "ingle", "entrepierna", "partes intimas",
        "parte intima", "mis partes", "genitales", "ano", "alrededor del ano", "entre las piernas",
        "ahi abajo", "alla abajo", "aca abajo", "alli abajo", "cuando me limpio", "al limpiarme",
        "limpiarme", "pene", "testiculos", "vulva", "donde me siento", "el trasero",
        "between my (butt cheeks|cheeks|buttocks|butt)", "butt crack", "my crack", "rear end",
        "around my (rear|rear end|butt|bum|backside|anus|bottom|behind)", "bumhole",
        "back passage", "la parte de adentro de los muslos",
        "[la] (parte|cara) interna de los muslos", "sitting on cotton",
        "(sentado|sentada) en algodon",
        "on the toilet", "when im on the toilet", "on the seat",
    ),
    "URINE": (
        "pee", "peeing", "piss", "pissing", "urine", "urinate", "urinating", "urination", "bladder",
        "when i cough", "when i sneeze", "when i laugh", "pad", "pads", "depends", "diaper",
        "diapers", "orina", "orinar", "orino", "pipi", "vejiga", "al toser", "al estornudar",
        "al reir", "panal", "panales", "orinando", "orinandose", "orinandome", "orinarse",
        "#1", "# 1", "number one", "number 1", "go pee", "wee", "tinkle", "stream", "my stream",
        "the stream", "pis", "del uno", "hacer del uno", "chorro", "mear", "peear",
        "catheter", "foley", "sonda",
    ),
    "CLOTHES": (
        "pants", "underwear", "chair", "couch", "undies", "shorts", "pj", "pajamas", "bed",
        "myself", "himself", "herself", "sheets", "diaper", "briefs", "chones", "calzones",
        "calzon", "la cama", "encima", "ropa interior", "pantalon", "trousers", "pantalones",
    ),
    "WOUND_SITE": (
        "incision", "incisions", "wound", "cut", "scar", "staples", "staple", "stitches", "stitch",
        "sutures", "suture", "dressing", "bandage", "bandages", "gauze", "steri strips",
        "surgical site", "surgery site", "incision site", "drain site", "glue", "where they cut",
        "herida", "heridas", "cicatriz", "grapas", "puntos", "vendaje", "venda", "gasa", "la gasa",
        "donde me operaron", "la operacion", "la cirugia", "incison",
        "cortada", "la cortada", "corte", "costura", "las grapas", "sutura", "suturas",
        "tape", "the tape", "wound vac", "prevena",
    ),
    "CLEAR": (
        "clarita", "agua clarita", "agua de la llave", "like tap water", "like tears",
        "clear", "watery", "like water", "water", "clear fluid", "clear liquid", "transparent",
        "transparente", "agua", "aguita", "clarito", "clara", "claro", "como agua",
    ),
    "CHEST": (
        "chest", "pecho",
    ),
    "DRAINAGE": (
        "drainage", "draining", "drains", "discharge", "fluid", "liquid", "stuff", "ooze", "oozing",
        "coming (out of|from)", "comes (out of|from)", "dripping from", "running from",
        "sale (un|una) agua", "suelta agua", "(mojada|mojado) de (un|una) agua",
        "saliendo de", "sale de", "le sale", "me sale",
        "oozes", "weeping", "secrecion", "liquido", "drena", "drenando", "sale liquido",
        "sale agua", "bota", "bota agua", "botando", "esta botando",
        "crud", "goo", "gooey", "slime", "slimy", "junk", "gunk",
    ),
    "AIRWAY_FLUID": (
        "cough", "coughing", "coughed", "phlegm", "mucus", "snot", "nose", "spit", "sputum", "tos",
        "toser", "flema", "flemas", "moco", "mocos", "throat", "garganta",
    ),
    "COLOR": (
        "yellow", "yellowish", "green", "greenish", "cloudy", "milky", "pus", "bloody", "brown",
        "red", "pink", "amarillo", "amarilla", "verde", "verdoso", "turbio", "con sangre",
    ),
    "CHEST_SIGN": (
        "pain", "painful", "hurt", "hurts", "hurting", "ache", "aches", "heavy", "heaviness",
        "pressure", "tight", "tightness", "squeezing", "crushing", "dolor", "duele", "pesado",
        "presion", "opresion", "apretado",
    ),
    "TRUNK": (
        "back", "lower back", "low back", "upper back", "spine", "espalda", "skin", "piel", "face",
        "lips", "cara", "labios", "tongue", "lengua", "belly", "stomach", "abdomen", "neck",
        "cuello",
    ),
    "TIRED": (
        "tired", "exhausted", "fatigue", "fatigued", "sleepy", "worn out", "not eating",
        "from not eating", "hungry", "dehydrated", "anemic", "from the meds", "from the medication",
        "after walking", "after pt", "drained", "cansado", "cansada", "agotado", "agotada",
        "sin energia", "overall", "all over", "in general",
    ),
    "CAR": (
        "car", "driving", "auto", "carro", "coche", "wreck", "crash", "traffic",
    ),
    "DRINK": (
        "drink", "drinking", "drank", "diet", "tomar", "tomando", "beber", "bebiendo", "fluids",
        "liquids", "liquidos", "broth", "caldo",
    ),
    "SWELL": (
        "swollen", "swelling", "swelled", "swelled up", "se me hincho", "se hincho", "hincho",
        "se inflamo", "se me inflamo", "puffy", "blown up", "hinchada", "hinchado", "hinchazon",
        "inflamada", "inflamado", "bigger", "huge",
        "fatter", "thicker", "bigger than the other", "twice the size",
        "mas gorda", "mas gordo", "mas grande", "mas gruesa", "mas grueso",
    ),
    "SCIATICA": (
        "psychiatric a", "psychiatrica", "psy attica", "sigh attica",
        "sciatica", "ciatica", "sciatic pain", "nerve pain down", "dolor ciatico", "nervio ciatico",
    ),
    "TEMP_WORD": (
        "temp", "temperature", "temperatura", "thermometer", "termometro", "degrees", "grados",
        "fever", "fiebre", "calentura", "running", "tengo",
    ),
    "DVT_SIGN": (
        "pain", "painful", "hurt", "hurts", "hurting", "ache", "aches", "aching", "sore", "tender",
        "tight", "cramp", "charley horse", "charlie horse", "cramps", "cramping", "hard", "swollen",
        "swelling", "swelled", "puffy", "red", "redness", "warm", "hot", "dolor", "duele", "duelen",
        "hinchada", "hinchado", "hinchazon", "roja", "rojo", "caliente", "calambre", "calambres",
        "inflamada", "inflamado", "swole", "swelled up", "edema",
    ),
    "CALF": (
        "calf", "calves", "calve", "pantorrilla", "pantorrillas", "chamorro", "chamorros", "gemelo",
        "gemelos",
        "back of my lower leg", "back of my (calf|shin)", "calf muscle", "back of the lower leg",
        "below (the|my) knee", "behind my knee", "back of my leg below the knee",
    ),
    "LEG_ONE": (
        "one of my legs", "one of my feet", "than the other", "than the other one",
        "than the other leg", "one side", "mas que la otra", "leg", "my leg", "one leg", "left leg",
        "right leg", "ankle", "one ankle", "pierna", "una pierna", "tobillo", "foot", "un pie",
        "el pie",
        "que la otra", "than my other", "que la otra pierna", "the other one",
    ),
    "MEDS": (
        "meds", "medicine", "medicines", "medication", "medications", "pills", "pain pills",
        "pain meds", "pain medicine", "pain medication", "oxy", "oxycodone", "percocet",
        "percocets", "norco", "hydrocodone", "tramadol", "tylenol", "ibuprofen", "advil", "motrin",
        "dilaudid", "morphine", "gabapentin", "muscle relaxer", "muscle relaxers", "medicina",
        "medicinas", "medicamento", "medicamentos", "pastilla", "pastillas", "las pastillas",
        "the pills",
    ),
    "PAIN": (
        "pain", "pains", "painful", "hurt", "hurts", "hurting", "ache", "aches", "aching", "dolor",
        "dolores", "duele", "duelen", "doliendo", "adolorido", "adolorida",
    ),
    "SUDDEN": (
        "suddenly", "sudden", "all of a sudden", "out of nowhere", "all at once", "overnight",
        "out of the blue", "de repente", "de pronto", "repentino", "repentina",
        "de un momento a otro", "de la nada",
    ),
    "WORSENING": (
        "getting weaker", "weaker and weaker", "worse and worse", "getting worse", "worse",
        "worsening", "spreading", "fast", "quickly", "rapidly", "by the hour",
        "more and more", "cada vez", "cada vez mas", "peor", "empeorando", "empeora", "rapido",
        "mas y mas", "more more", "every hour", "hour by hour",
    ),
    "WALK_LIMIT": (
        "far", "long", "very far", "much", "for long", "too long", "without", "straight",
        "because of the pain", "from the pain", "pain", "hurts", "mucho", "lejos", "sin",
        "por el dolor", "distances", "fast", "normal", "normally", "yet", "a lot",
    ),
    "DOWN_MOTION": (
        "down my", "down the", "down to", "down into", "down both", "down his", "down her",
        "into my", "goes down", "going down", "runs down", "running down", "travels", "traveling",
        "radiates", "radiating", "shoots down", "shooting down", "down (leg|legs)",
        "all the way down", "baja", "bajando", "hasta", "se corre", "recorre", "me corre",
        "through my",
        "go down the", "go down to", "go down my", "pa abajo", "para abajo", "hacia abajo",
        "por la pierna", "por las piernas", "a la pierna", "al pie",
    ),
    "DIFFICULTY": (
        "trouble", "hard", "difficult", "difficulty", "problem", "problems", "labored", "heavy",
        "struggling", "struggle", "cuesta", "dificultad", "problema", "problemas",
        "tight", "fast", "shallow", "rapid", "short",
    ),
    "BREATH_WORD": (
        "breathe", "breathing", "breath", "respirar", "respiro", "aire", "air", "airway",
    ),
    "PROBLEM": (
        "dont feel right", "doesnt feel right", "not right", "somethings wrong", "problem",
        "problems", "issue", "issues", "trouble", "change", "changes", "weird", "funny",
        "different", "off", "wrong", "strange", "problema", "problemas", "raro", "rara", "cambio",
        "cambios",
        "(isnt|not|doesnt|dont|wont|aint) work [right|properly|well|normally]",
        "(isnt|not|doesnt|dont|wont|aint) working [right|properly|well|normally]",
    ),
    "OTHER_PREDICATE": (
        "sore", "soreness", "stiff", "stiffness", "tired", "achy", "ache", "aches", "pain", "hurt",
        "hurts", "hurting", "fine", "pink", "dry", "clean", "healing", "good", "ok", "okay",
        "great", "better", "normal", "cramp", "cramps", "cramping", "itchy", "itching", "bruised",
        "bruise", "bruising", "swollen", "dolor", "duele", "duelen", "adolorido", "adolorida",
        "bien", "cansado", "cansada", "rigido", "rigida", "comezon", "picazon", "picor",
        "hinchado", "hinchada",
        "mejor", "strong", "fuerte", "perfect",
    ),
    # --- heads: the words that name a symptom ---------------------------------------------
    "NUMB": (
        "novocaine", "novacaine", "anesthetized", "anestesiado", "anestesiada",
        "(like|as if) (touching|feeling) [it] through a glove", "through a glove",
        "(like|as if) (i have|im wearing|wearing) (a glove|gloves) on",
        "numb", "numbness", "numbed", "pins and nails", "needles and pins", "no sensitivity",
        "like (someone|somebody) (elses|else)",
        "like (it|they) (belongs|belong) to (someone|somebody)"
        " else", "numbing", "numbish", "tingling", "tingly", "tingle",
        "tingles", "tingled", "pins and needles", "pins n needles", "no feeling", "lost feeling",
        "lost the feeling", "lost all feeling", "loss of feeling", "lost sensation",
        "loss of sensation", "no sensation", "decreased sensation", "less feeling",
        "less sensation", "dont have feeling", "dont have any feeling", "lack of feeling",
        "entumido", "entumida", "entumidos", "entumidas", "entumecido", "entumecida", "entumecidos",
        "entumecidas", "entumecimiento", "entume", "entumen", "entomecido", "entomecida",
        "entomecidos", "entomecidas", "entomecimiento", "adormecido", "adormecida",
        "adormecidos", "adormecidas", "adormecimiento", "adormece", "adormecen", "hormigueo",
        "hormigueos", "hormigueando", "hormiguitas", "cosquilleo", "perdi la sensibilidad",
        "sin sensibilidad", "no tengo sensibilidad", "falta de sensibilidad", "piquetes",
        "wrapped in cotton", "like cotton", "like cardboard", "like wood", "wooden",
        "like its not mine", "like it isnt mine", "like they arent mine", "like its not my own",
        "acorchado", "acorchada", "acorchados", "acorchadas", "como corcho", "como de corcho",
        "como algodon", "como de algodon", "como si no fuera mio", "como si no fuera mia",
        "sock bunched up", "bunched up sock", "walking on (a sock|socks|cotton|pillows|marbles"
        "|a cushion)",
    ),
    # "Can't feel" names numbness only when a body part follows it directly:
    # "no siento las piernas" is numbness, "no siento hormigueo" denies it.
    "CANT_FEEL": (
        "(not|no) feel (nothing|anything)", "no feel",
        # Heat that burns unnoticed: "couldn't feel the pad burning her seat".
        "(cant|didnt|dont) [even] feel (it|the heat|the water|the pad) (burning|burn|scalding)",
        "(stub|stubbing|stubbed|bang|banged|bump|bumped|hit) my (toe|toes|foot|feet|shin|leg)"
        " [and] (dont|didnt|cant) [even] feel [it]",
        "cant feel", "cant really feel", "barely feel", "hardly feel", "feel nothing",
        "feels nothing", "cant feel anything", "cant feel much", "no siento", "no puedo sentir",
        "no siento nada", "casi no siento", "apenas siento", "sin sentir", "dont feel",
        "no me siento", "cant sense", "no siente", "no puede sentir",
        "no (sentia|sintio|siente nada|sentia nada|sintio nada)",
        "ya no siento", "no longer feel", "(can|could) no longer feel", "ya no puedo sentir",
    ),
    # "Asleep" and tingling words that name numbness only beside a body part: "my foot fell
    # asleep" is numbness, "I fell asleep" and "my phone keeps buzzing" are not.
    "ASLEEP": (
        "(going|goes|keeps going|keep going|went|gone) to sleep", "is sleeping", "are sleeping",
        "(leg|legs|foot|feet|arm|arms|hand|hands|toes) [is|are|keeps|keep] sleeping",
        "asleep", "fell asleep", "fall asleep", "falling asleep", "falls asleep",
        "keeps falling asleep",
        "fallen asleep", "dormido", "dormida", "dormidos", "dormidas", "se me duerme",
        "se me duermen", "se me durmio", "se me durmieron", "se duerme", "se duermen", "needles",
        "buzzing", "prickly", "prickling", "agujas", "agujitas", "alfileres", "hormigas", "buzzes",
        "buzzy", "fizzy", "fizzing", "staticky", "static", "crawling", "ants crawling",
        "zingy", "cosquillas", "hormiguero", "acolchado", "acolchada", "acolchados", "acolchadas",
    ),
    "DEAD": (
        "dead", "muerta", "muertas", "muerto", "muertos",
    ),
    "VAGUE": (
        "weird", "funny", "strange", "odd", "different", "not right", "wrong", "feels wrong",
        "something wrong", "something off", "something is off", "feel off", "feels off",
        "feeling off", "felt off", "is off", "are off", "seems off", "not normal", "raro", "rara",
        "raras", "raros", "extrano", "extrana", "algo raro", "algo mal", "no se siente bien",
        "no se sienten bien", "something weird", "something funny", "somethings wrong",
        "somethings off", "something not right", "dont feel right", "doesnt feel right",
        "not feeling right",
        "cotton", "algodon", "dead patch",
    ),
    "UNSTEADY": (
        "unsteady", "off balance", "losing my balance", "lose my balance", "lost my balance",
        "wobbly on my feet", "unsteady on my feet", "inestable", "pierdo el equilibrio",
        "sin equilibrio", "balance is off", "no balance",
        "stumbling", "stumble", "stumbled",
        "(walking|walk|walk) like (a drunk|im drunk|a drunk person)",
        "(grabbing|holding onto|hanging onto|grab|hold onto) the (walls|wall|furniture)",
        "keep stumbling", "keep tripping", "tripping",
        "me tropiezo", "tropezando", "me voy de lado", "catching my toes", "catching my foot",
        "feel like i (will|would|might|am going to|am gonna|im going to|im gonna) fall",
        "feel like im (going to|gonna|about to) fall", "siento que me voy a caer",
        "siento que me caigo",
    ),
    "WEAK_VAGUE": (
        "sandbags", "like logs", "tree trunks",
        "heavy", "wobbly", "shaky", "unsteady", "wonky", "pesada", "pesadas", "pesado", "pesados",
        "flojas", "flojos",
        "floja", "flojo", "temblorosas", "unstable",
        "drags", "dragging", "drag", "like lead", "made of lead", "like bricks", "like concrete",
        "se me va de lado", "no me responde", "no me responden", "walking funny", "walk funny",
        "camino raro",
        "clumsy", "torpe", "torpes", "arrastro", "lo arrastro", "la arrastro", "se me cae",
    ),
    "WEAK": (
        "(leg|legs|foot|feet|knee|knees) [just|really|still|kinda|keeps|keep] (fold|folds|folded"
        "|going out|goes out|went out|go out|wasnt there|isnt there) [on me|from under me]",
        "(cant|couldnt) get my [left|right] (foot|feet|toe|toes|leg|legs) to (point|go|lift|come"
        "|move|bend)", "(is|are|does|do) not (obey|obeying|listen|listening) [to] me",
        "(doesnt|dont|wont|not) obey [me]", "(slipped|slips|slid|fell|falls) [right] out of my"
        " (hand|hands|grip|fingers)",
        "weak", "weakness", "weaker", "weakened", "floppy",
        "cant pick (it|my foot|my leg|my feet|my legs) up", "cant pick up my (foot|leg)",
        "weakening", "gave out", "gives out", "giving out", "give out", "give way", "gave way",
        "giving way", "gives way", "buckled", "buckles", "buckling", "foot drop", "drop foot",
        "dropfoot", "footdrop", "dragging my (foot|leg)",
        "(foot|leg|feet|legs) (dragging|drags|drag|slapping|slaps)", "drag my (foot|leg)",
        "my (knee|knees|leg|legs) (buckled|buckles|gave out|gives out|gave way)", "foot drags",
        "foot is dragging", "leg is dragging", "toes catch", "tripping over my (toes|foot|feet)",
        "catch my (toe|toes|foot)", "toes (catching|catch|drag)", "catching my toes",
        "trip over my foot", "tripping over my foot", "cant lift my (foot|leg|toes|feet|legs)",
        "cant lift", "cant raise my (foot|leg)", "no strength", "lost strength", "losing strength",
        "no tiene fuerza", "no tiene fuerzas",
        "lost my strength", "no power", "dropping things", "drop things", "keep dropping",
        "cant grip", "cant hold onto", "weak grip", "debil", "debiles", "debilidad", "sin fuerza",
        "no tengo fuerza", "no tengo fuerzas", "me fallan", "se me doblan", "se doblan",
        "se me dobla", "se dobla", "me falla", "arrastro el pie", "arrastrando el pie",
        "arrastro la pierna", "no puedo levantar el pie", "pierdo fuerza", "perdi fuerza",
        "sin fuerzas", "se me caen las cosas", "cant bend my", "cant flex", "cant point my",
        "slapping the floor", "foot slaps", "(foot|leg|legs|feet) (slapping|slaps|slapped)",
        "(leg|legs|foot|feet|knee|knees|arm|arms|hand|hands) [just|really|still|kind of|kinda]"
        " (quit on me|quits on me|quit|quits|stopped working|wont work|wouldnt work|dont work"
        "|doesnt work|wont cooperate|wont listen|doesnt listen|dont listen|wont move|wouldnt move"
        "|flops|flopped|flopping|flaps|flapping|slaps|slapped|gave out|gave way)",
        "(pierna|piernas|pie|pies|rodilla|rodillas) no me (responde|responden|obedece|obedecen)",
        "no me (responde|responden|obedece|obedecen) (la pierna|las piernas|el pie|los pies)",
        "se me (vence|vencen|van|fue|va) (la pierna|las piernas|la rodilla|las rodillas)",
        "se me vencen", "se me vence", "se me cae el pie", "pie caido", "no grip", "lost my grip",
        "grip is (weak|weaker|gone|bad)", "cant push (down|off)", "dropping (things|stuff|my cup"
        "|cups|my phone|my coffee|my fork|everything|the cup|my drink)",
        "cant (walk|stand) on my (heels|toes|tiptoes|tip toes)",
        "no puedo (levantar|subir|mover) (el|la|los|las|mi|mis) (pie|pierna|pies|piernas|punta"
        "|dedos|brazo|brazos|mano|manos)", "no puedo levantar la punta del pie",
        "tripping over my own (foot|feet|toes)", "(cant|no puedo) (agarrar|sostener|hold) [a|my"
        "|the|el|la] (cup|glass|phone|fork|vaso|taza|telefono|tenedor)",
        "jelly", "jello", "like jelly", "rubber", "rubbery", "noodles", "like noodles", "noodle",
        "like a noodle", "(foot|ankle|toes) [just] (hangs|dangles|hangs down|droops|flops down)",
        "droopy (foot|ankle|toes)", "(foot|ankle|toes) [is|are|feels] droopy",
        "(wont|cant|doesnt) bend (up|upward|upwards)", "[el] pie me cuelga", "se me cuelga el pie",
        "pie colgado", "(foot|feet|toe|toes) [keeps|keep] (catching|catches)", "cant button",
        "hard to button", "(cant|hard to) (zip|write|hold a pen|open jars|open a jar)",
        "se me arrastra [el pie|la pierna]", "arrastrando [el pie|la pierna]",
        "no lo puedo (subir|levantar|mover)", "no la puedo (subir|levantar|mover)",
        "(leg|legs|foot|feet|knee|knees|arm|arms) (wont|cant|doesnt|wouldnt|will not) (lift|lift up"
        "|raise|go up|bend|move)", "no puedo pararme de (puntas|puntitas|talones)",
        "(cant|hard to|trouble) (open|twist|unscrew) [a|the|my] (bottle|jar|water bottle|lid"
        "|door|can)",
    ),
    "CANT_STAND": (
        "cant walk", "(cant|cannot|couldnt|unable to) (take|hold|bear) (my|his|her) [own] weight",
        "(legs|leg) (wont|dont|cant|will not|do not) push (me|him|her) up", "unable to stand",
        "(se quiso|quiso|trato de|intento) (parar|levantar|pararse|levantarse) [de la cama|del"
        " sillon|de la silla] y no (pudo|podia)",
        "(cant|can barely|can hardly|barely|hardly) [really|even] (walk|stand|stand up)",
        "cant stand", "cant stand up", "cant get up", "cant bear weight", "cant put weight",
        "cant hold me up", "wont hold me", "wont hold me up", "legs wont hold", "cant support me",
        "wont support me", "collapsed", "collapsing", "cant walk at all", "no puedo caminar",
        "no puedo andar", "no puedo pararme", "no puedo levantarme", "no me puedo parar",
        "no me puedo levantar", "no me sostienen", "no me aguantan", "no me sostiene",
        "cant get out of bed", "cant take a step", "no puede caminar", "no puede pararse",
        "no puede levantarse", "no lo sostienen", "no la sostienen", "no puede andar",
        "casi no me (sostienen|sostiene|aguantan)", "barely hold me up", "can barely hold me",
        "(legs|piernas) (wont|wouldnt|dont|no) (hold|support|sostienen|aguantan) me",
    ),
    # Phrases that look like a symptom but are not; they win over the words inside them.
    "MASK": (
        "fell behind", "fall behind", "falling behind", "fell apart", "falling apart", "fall apart",
        "fell off the wagon", "fell short", "fell in love", "fell through", "anxious to",
        "anxious for", "dying to", "dying of boredom", "killing time", "leaking sweat",
        "sweat leaking", "weak coffee", "weak tea", "weak signal", "dead battery", "phone died",
        "dead tired", "bored to death", "this fall", "last fall", "in the fall", "next fall",
        "caida del (pelo|cabello)", "open to air", "open to the air", "hot shower", "hot showers",
        "hot bath", "hot tub", "hot pack", "hot water", "water retention", "retaining water",
        "retengo liquidos", "bladder control is (fine|good|normal|ok)", "good bladder control",
        "buckle up", "buckled up", "buckled down", "buckled my (seatbelt|seat belt|belt)",
        "(going to|gonna|about to|might|could|would|will) fall [down]", "feel like i (will|would)"
        " fall", "(me voy a|me podria|me puedo) caer",
        "(comes|coming|came) out (fine|ok|okay|normal|good|great|alright|all right)",
        "(scared|afraid|worried|nervous|fear) [that] (id|i would|i might|i could|ill|i will|i may"
        "|of) (fall|falling)",
        # "Down" on its way along the body is a place, not a mood ("feeling down the last few
        # days" is a mood); "down there", "low back" are taken by their sites (rules.YIELDS).
        "(feel|feels|felt|feeling) down (my|his|her|both|into)",
        "(feel|feels|felt|feeling) down to my",
        "(feel|feels|felt|feeling) down the (back|side|front|inside|outside)",
        "(ran|run|runs|running) out of",
        # "Caer en la cuenta" is to realise, even with a pause: "me he caido... en la cuenta".
        "[me|se|nos] [he|ha|hemos] (caido|caida|caer|cai|caigo|cayo|caimos) [.] [.] [.] en la"
        " cuenta", "(drop|dropping|dropped|drops) (by|off|in)",
        "(keep|kept|keeps) dropping (by|off|in)",
        # A joke that names a symptom to deny it: "the only thing numb is my brain".
        "[the] only thing (numb|tingling|tingly|weak|swollen|burning|leaking|dead|asleep)"
        " (is|are|was) my",
        "(old|dried|dry) blood", "sangre seca", "stool softener", "stool softeners",
        # Feeling unwell, in words that name the bowels.
        "(feel|feels|felt|feeling) like (poop|poo|crap|\U0001f4a9|shit|garbage|trash|caca)",
    ),
    "WALK_LIMITED": (
        "cant [really|even] walk (far|long|much|fast|normally|yet|straight|a lot|very far"
        "|too far|for long)", "cant walk without",
        "cant [really|even] walk [well|much|far|right|very well|normally] (because|from|due to"
        "|with|bc|cause) [of] [the|my|all the] (pain|back pain|incision|soreness|stiffness|brace)",
        "no puedo caminar [bien|mucho|lejos] (por|del|de|con) [el|tanto|mucho] dolor",
        "cant walk (because|from|due to|with) [of] [the] pain",
        "cant stand (for long|long|too long|up straight|straight|very long|for very long)",
        "cant stand the pain", "cant walk as far", "cant stand for more than",
        "no puedo caminar mucho", "no puedo caminar lejos", "no puedo caminar sin",
        "cant walk more than", "cant walk the dog", "cant walk very well because",
        "cant get up (without|from the couch by myself)",
    ),
    "CANT_MOVE": (
        "cant move", "no puedo mover", "paralyzed", "paralysed", "paralysis", "paralisis",
        "paralizado", "paralizada", "paralizadas", "cant wiggle",
    ),
    "BLADDER": (
        "cant pee", "cant urinate", "cant go pee", "cant piss", "cant empty my bladder",
        "cant empty", "trouble peeing", "trouble urinating", "hard to pee", "hard to urinate",
        "difficulty peeing", "difficulty urinating", "struggling to pee", "pee wont come",
        "pee wont come out", "nothing comes out", "havent peed", "havent urinated",
        "havent gone pee", "havent been able to pee", "not peeing", "not urinating",
        "barely peeing", "barely pee", "only dribbles", "urinary retention", "retaining urine",
        "peed myself", "peed my pants", "pee my pants", "peed in my pants", "peeing myself",
        "peeing my pants", "pissed myself", "wet myself", "wet my pants", "wetting myself",
        "wetting my pants", "wet the bed", "wetting the bed", "peed the bed", "peeing the bed",
        "leaking urine", "urine leaking", "leaking pee", "pee leaking",
        "cant hold my pee", "cant hold my urine", "cant hold my bladder", "cant hold in my pee",
        "cant control my bladder", "cant control my pee", "cant control my urine",
        "cant control peeing", "no control of my bladder", "no control over my bladder",
        "no bladder control", "lost control of my bladder", "losing control of my bladder",
        "loss of bladder control", "incontinent", "incontinence", "urinary incontinence",
        "incontinencia", "incontinente", "incontinencia urinaria",
        "cant feel when i pee", "cant feel when i need to pee", "cant feel myself pee",
        "cant feel the urge", "dont feel when i pee", "dont feel the urge", "no urge to pee",
        "cant tell when i need to pee", "dont know when i need to pee", "peeing on myself",
        "peed on myself", "(my|his|her) bladder (let go|gave way|gave out)", "me orine",
        "me orino", "me hice pipi", "me hago pipi", "me moje",
        "moje la cama", "mojo la cama", "se me sale la orina", "se me sale el pipi",
        "se me escapa la orina", "se me sale la pipi", "no aguanto la orina",
        "no controlo la orina", "no controlo mi vejiga",
        "(cant|dont|no|lost) control (when|how much|if) i (pee|urinate)",
        "se me (salio|sale|escapo|escapa) [un poco de|algo de|la|el] (pipi|orina)",
        "no controlo la vejiga", "no siento cuando orino", "no siento ganas de orinar",
        "no siento [cuando] [tengo] [las] ganas de (orinar|hacer pipi)",
        "no siento cuando (orino|hago pipi)", "no puedo orinar", "no puedo hacer pipi",
        "no he orinado", "no he hecho pipi", "no me sale la orina", "me cuesta orinar",
        "no sale la orina", "no puedo mear", "no he podido orinar", "cant go number one",
        "no puede orinar", "no puede hacer pipi", "no ha orinado", "se orino", "se hizo pipi",
        "se mojo", "no controla la orina", "no ha podido orinar", "se le sale la orina",
        "cant go #1", "cant feel my bladder", "retencion urinaria", "retencion de orina",
        "(cant|can barely|can hardly|barely|hardly) [really|even|quite|fully|seem to] (pee|urinate"
        "|go pee|piss|go #1|go number one|go number 1|empty my bladder|empty)",
        "(no|tampoco) (puedo|pude|puede|he podido|e podido|ha podido) [ni] (orinar|mear|hacer pipi"
        "|hacer pis|hacer del uno|peear|pee|vaciar la vejiga)",
        "(cant|dont|didnt) [really|even] feel (it|the pee|pee|urine|the urine) (coming out"
        "|come out|go|going)", "(cant|dont|didnt) [really|even] feel (the|my) (stream|flow)",
        "(havent|have not|hasnt) (gone|been|peed) (#1|number one|number 1|pee|to pee)",
        "cant (start|get) [my|the] (stream|flow) [going|started]",
        "(no puedo|no he podido) (empezar|sacar) (la orina|el chorro)",
        "me mojo", "se moja", "me estoy mojando", "me estoy orinando", "mojando la cama",
        "(never|cant|dont|doesnt|not) finish (peeing|urinating|going|my pee)",
        "(never|cant|dont|doesnt|not) (fully empty|empty all the way|empty completely"
        "|completely empty) [my bladder]", "never feel empty",
        "never feels empty", "bladder (doesnt|wont|never) empty", "not emptying",
        "no termino de orinar", "[siento que] no (vacio|se vacia) [toda|la vejiga]",
        "(me|le) queda llena [la vejiga]",
        "llevo [todo el dia|horas|muchas horas|mucho tiempo|desde ayer|desde anoche] sin (orinar"
        "|hacer pipi|hacer pis|mear)", "(horas|todo el dia|desde ayer|desde anoche|desde la manana)"
        " sin (orinar|hacer pipi|hacer pis|mear)", "(hours|all day|since yesterday|since last night"
        "|since this morning) without (peeing|urinating|a pee|going pee)",
        "se me (va|fue|sale|salio) la (orina|pipi|pis)", "cant push [the] (pee|urine) out",
        "(underwear|undies|pants|shorts|briefs) (is|are) [always|kind of|kinda|a bit"
        "|still] (damp|wet|soaked)",
        "(la orina|el pipi|la pipi|el pis) se me (va|fue|sale|salio|escapa|escapo)",
        "im retaining", "i am retaining", "im retaining urine", "retaining again",
        "cant (start|get) a (stream|flow) [going|started]",
    ),
    "LEAK": (
        "leak", "leaking", "leaks", "leaked", "leakage", "coming out", "comes out", "saliendo",
        "dripping", "drip", "drips", "seeping", "seeps", "trickling", "gotea", "chorrea", "goteo",
        "goteando", "escurre", "escurriendo", "se me sale", "se sale", "dribbling",
        "dribble", "dribbles",
    ),
    "HOLD_IT": (
        "cant hold it", "cant hold it in", "cant make it to the bathroom",
        "dont make it to the bathroom", "didnt make it to the bathroom", "no alcanzo a llegar",
        "no llego al bano", "cant make it to the toilet", "ya me gane",
        "no me (da|dio) tiempo (de|a) llegar", "cuando llego ya",
    ),
    "BLADDER_VAGUE": (
        "bladder", "peeing", "urinating", "urine", "vejiga", "orinar", "orina", "pee",
    ),
    "BOWEL": (
        "pooped myself", "pooped my pants", "pooped in my pants", "pooped the bed",
        "pooping myself", "pooping my pants", "crapped myself", "crapped my pants", "shit myself",
        "shit my pants", "shat myself", "soiled myself", "soiled my pants", "messed myself",
        "messed my pants", "bowel accident", "bowel accidents", "cant control my bowels",
        "cant control my bowel", "cant control my poop", "cant control my stool",
        "no control of my bowels", "no control over my bowels", "no bowel control",
        "lost control of my bowels", "losing control of my bowels", "loss of bowel control",
        "cant hold my bowels", "cant hold my poop", "cant hold my stool", "didnt feel it coming",
        "dont feel it coming", "cant feel it coming", "cant feel when i poop",
        "cant feel when i need to poop", "cant feel a bowel movement",
        "cant feel my bowel movements", "cant tell when i need to poop",
        "(cant|dont|didnt) feel when i (need|have|got) to go (#2|# 2|number 2|number two|poop)",
        "(cant|dont|didnt) feel (it|when it) coming", "poop just (comes|came) out", "leaking stool",
        "leaking poop", "stool leaking", "poop leaking", "fecal incontinence", "bowel incontinence",
        "incontinence of stool", "poop came out", "me hice popo", "me hice del bano", "me ensucie",
        "se me salio la popo", "se me sale la popo", "no controlo el intestino",
        "no controlo la popo", "no controlo mis evacuaciones", "no siento cuando voy a hacer popo",
        "no siento cuando hago popo", "me hice en los pantalones", "se hizo popo", "se hizo encima",
        "no controla el intestino",
        "me hice encima", "me cague",
        "(had|did) [a] (bm|bowel movement|poop|number 2|#2) in (bed|my bed|the bed|my pants"
        "|my underwear|my sleep|my diaper)",
        "(butt|bottom|rear|rectum|bowels|bowel|behind) (doesnt|dont|cant|wont|wouldnt|no longer)"
        " hold (it|it in|anything)", "me ensucio", "se ensucia",
    ),
    "POOP": (
        "poop", "pooping", "diarrhea", "stool", "stools", "bm", "bowel", "bowels", "popo", "caca",
        "diarrea", "number 2", "#2", "number two", "the runs",
        "del dos", "hacer del dos", "evacuar", "evacuo", "evacuacion", "excremento", "heces",
        "pupu", "obrar", "bowel movement", "bowel movements", "bms",
    ),
    # Acts that, with clothes or bed nearby, mean an accident: "pooped a little in my underwear".
    "PEE_ACT": (
        "(was|is|it|already|started) (running|trickling|dripping|dribbling) down my (leg|legs)",
        "peed", "pee", "peeing", "pees", "wet", "urinated", "pissed", "piss", "dribbled",
        "leaked urine", "me orine", "me hice pipi", "se orino", "orine",
        "wetting", "wets", "wet it", "soaked it", "me mojo", "me moje", "se mojo", "me hago pipi",
        "me hice pis", "me orino", "se orina", "(se|me) (esta|estoy|anda|ando) orinando",
        "orinandose", "orinandome",
        "damp", "soggy", "mojada", "mojado", "mojadas", "mojados",
    ),
    "POOP_ACT": (
        "brown (stain|stains|spot|spots|mark|marks|streak|streaks)",
        "(had|made|found) a (mess|big mess)",
        "pooped", "pooping", "poop", "crapped", "shit", "soiled", "messed", "popo", "me hice popo",
        "se hizo popo", "leaked stool", "cagado",
        "skid marks", "me ensucie", "se ensucio", "me hice del dos",
        "me ensucio", "se ensucia", "ensuciarme",
        "soiling", "soil", "soils",
    ),
    "LEAK_TRIGGER": (
        "when i cough", "when i sneeze", "when i laugh", "when i coughed", "when i sneezed",
        "a little", "by accident", "without knowing", "without noticing", "sin querer",
        "sin darme cuenta", "al toser", "al estornudar", "al reir",
        "sin avisar", "without warning", "no warning",
    ),
    # Loose words for something escaping ("it just runs out"): they name incontinence only beside
    # a word for urine or stool, so "I ran out of pills" stays calm.
    "ESCAPE": (
        "runs out", "ran out", "run out", "running out", "pours out", "poured out",
        "(slips|slipped|slip|slipping|squirts|squirted) out", "comes out on its own",
        "came out on its own", "just happens", "just happened", "happens on its own",
        "se me (sale|salen|salio|salieron|escapa|escapan|escapo)",
        "(se|me|le) (sale|salen|salio|escapa|escapan|escapo|hace|hacen) (sola|solo|solita|solito"
        "|solitas)",
        "se me hace [pipi|popo|pis] (sola|solo|solita|solito)",
        "se me (va|fue) (sola|solo|solita|solito)",
        "escaping", "escapes", "escaped", "keeps escaping",
        "(runs|ran|run|running|pours|poured) out of me",
    ),
    # Losing the feeling of needing to go, a cauda equina sign (clinical-triage.md 1.1): it names
    # bladder or bowel only with a word for what the patient cannot feel coming.
    "URGE_LOSS": (
        "(cant|dont|didnt|cannot|barely|hardly|never|no longer) [really|even|always|quite|seem to]"
        " (feel|tell|sense) (when|if) [i|im|my|its|it]",
        "(cant|dont|didnt|never|no longer) [really|even|always] (know|notice|realize) when"
        " [i|im|my|its|it]",
        "(no|lost the|lost my|lost all|dont get the|dont have the|dont have any|havent had the"
        "|havent felt the|havent felt any|havent got the|never get the|cant feel the|dont feel the"
        "|dont feel any|didnt feel the|didnt get the|no more) (urge|urges|need|sensation|feeling"
        "|signal) [to go|to pee|to poop|to use the bathroom]",
        "(no|tampoco|ya no) (siento|siente) (cuando|si) [tengo|tiene|me|se|voy|va]",
        "(no|tampoco|ya no) (siento|siente) [las] ganas", "no me dan ganas",
        "no se cuando [tengo que|voy a]",
        "(hasnt|havent|has not|have not) (needed|had the urge|felt the need|felt the urge) to"
        " (pee|go|urinate|wee) all day", "no me doy cuenta cuando",
    ),
    # Finding out afterwards: with a word for urine or stool it is an accident the patient missed.
    "UNAWARE": (
        "(didnt|did not|dont|never) [even|really|ever] (feel|know|notice|realize|realise"
        "|sense) (it|that|anything|a thing|until|till|i did|i had|i was|i went|at all)",
        "had no idea", "no idea until", "without (feeling|knowing|noticing|realizing|realising"
        "|sensing) [it|anything]", "without waking up", "in my sleep", "while i slept",
        "sin darme cuenta", "no me di cuenta", "ni cuenta me di", "sin sentir", "sin sentirlo",
        "sin sentirla", "mientras dormia", "sin darse cuenta", "no se da cuenta",
        "ni se da cuenta", "no se dio cuenta", "ni cuenta se dio",
        "sin que (yo|el|ella) (sienta|sintiera|se de cuenta|me de cuenta)",
        "ni (lo|la) (senti|siento|sintio|siente)", "(y|pero) ni (senti|sintio|sentia)",
    ),
    # Control lost; with a word for urine or stool it is incontinence.
    "CONTROL_LOSS": (
        "cant control", "no control (of|over)", "lost control", "losing control", "loss of control",
        "cant hold", "cant hold it", "cant hold in", "cant keep it in", "cant stop it",
        "no controlo", "no puedo controlar", "no me puedo controlar", "no me controlo",
        "no puedo aguantar", "no aguanto", "no me aguanto", "no retengo", "no puedo retener",
        "no lo controlo", "no la controlo", "no puede controlar", "no controla",
        "(doesnt|dont|wont|cant|no longer) hold (it|it in|anything|anything in)",
    ),
    # Little or nothing comes out: retention when it is about urine.
    "SCANT": (
        "(cant|cannot) get anything [to come] out", "get anything to come out",
        "nothing (would|will|wants to) come", "nada quiere salir",
        "nothing (comes|came|will come|would come|is coming|wants to come) out",
        "nothing (happens|happened|comes|came)", "(only|just) [a] (few drops|couple drops|couple"
        " of drops|drops|trickle|dribble|drip)", "(only|just) [a] little (comes|came) out",
        "a few drops", "few drops",
        "trickles", "trickle", "trickling", "weak stream", "slow stream", "cant (start|get) [my"
        "|the] stream [going|started]", "no sale nada", "no sale", "sale (muy|bien) (poco|poquito)",
        "sale poquito", "sale muy poco", "solo unas gotas", "unas gotitas", "no puedo sacar nada",
        "nada sale", "no me sale nada", "no sale casi nada", "gotas", "gotitas", "drops",
        "(barely|hardly|almost) (anything|nothing|any)", "small amounts", "tiny amounts",
        "no me sale", "casi nada",
        "nothing (is coming|coming|will come)", "ni una gota", "ni gota", "ni gotita",
    ),
    # "I can't go": retention when it is about urine (with stool it is constipation).
    "CANT_GO": (
        "cant [really|even] go", "couldnt go", "havent (gone|been able to go)", "cant get it out",
        "cant get anything out", "cant empty", "no puedo ir", "no he podido ir", "no puedo sacar",
        "no he ido", "wont come out", "wont come", "isnt coming out",
    ),
    "BLADDER_FULL": (
        "bladder (feels|is|feel) [so|really|very|super] full", "full bladder",
        "bladder feels like (its|it is) (gonna|going to|about to) (pop|burst|explode)",
        "(really|so badly|so bad|desperately) (need|have|got) to (go|pee)", "have to pee so bad",
        "vejiga llena", "la vejiga (llena|a reventar|me va a reventar)", "ganas de orinar",
        "ganas de hacer pipi", "feel like i have to pee", "feels like i need to pee",
        "quiero orinar", "want to pee", "i need to pee", "have to pee", "tengo ganas de orinar",
        "ganas de hacer pis",
        "(need|have|got|gotta) to (pee|go|urinate) (so bad|so badly|really bad|badly)",
        "need to pee",
        "tengo ganas", "tengo muchas ganas",
    ),
    # Straining: constipation with stool, retention with urine.
    "STRAIN": (
        "strain", "straining", "have to strain", "push hard", "push really hard", "have to push",
        "pushing", "pujar", "pujar mucho", "tengo que pujar", "pujo",
        "push", "press on my (belly|stomach|bladder|abdomen|lower belly)",
        "push on my (belly|stomach|bladder|abdomen)", "apretar la panza", "apretarme la panza",
    ),
    # "Didn't make it" names an accident only beside a word for urine or stool.
    "HOLD_BARE": (
        "didnt make it", "couldnt make it", "dont make it", "wont make it", "no alcance",
        "no alcanzo", "no llegue a tiempo", "no llego a tiempo", "didnt get there in time",
        "dont get there in time",
    ),
    # Where one goes; with a lost urge and no word for urine or stool, most likely the bladder.
    "TOILET": (
        "loo", "powder room", "washroom", "lavatory", "the john",
        "bathroom", "toilet", "restroom", "potty", "commode", "bano", "inodoro", "have to go",
        "need to go", "gotta go", "got to go", "tried to go", "try to go", "trying to go",
        "ganas de ir", "tengo que ir", "when i go",
    ),
    # "Both" answers "bladder or bowels?" with both.
    "BOTH": (
        "both", "both of them", "both of those", "las dos", "los dos", "ambos", "ambas",
        "las dos cosas", "de las dos", "both things",
    ),
    "ACCIDENT": (
        "(se me|me|se) (hizo|hice|hace|hago) encima",
        "accident", "accidents", "accidente", "accidentes",
        "(going|went|go|gone|pooping|peeing) (in|on) (my|his|her) (pants|underwear|undies|diaper"
        "|shorts|self)",
    ),
    "CONSTIPATION": (
        "wala pa (siyang|akong|syang|kong) (dumi|tae)",
        "(hindi|di) pa (ako|siya|sya) (nadudumi|dumudumi|tumatae|nakakadumi|nakakatae)",
        "(no he podido|no puedo|no he|no e) (evacuar|obrar|hacer del dos)",
        "(not|no) (going|gone|pooping) since (monday|tuesday|wednesday|thursday|friday|saturday"
        "|sunday)",
        "(poo|poop|stool|stools|bm|bms) [is|are|like|as] (hard as rocks|rock hard|like rocks)",
        "waiting (on|for) (the|my|his|her) bowels to (move|open|work)",
        "(havent|hasnt|have not|has not) (gone|been|pooped) since (monday|tuesday|wednesday"
        "|thursday|friday|saturday|sunday|the weekend|last week)",
        "(bowel|bowels) (no|not) (move|moved|moving|open|opened)",
        "(havent|have not|hasnt|has not) (had|been) (my|his|her|the) bowels (open|opened)",
        "bunged up",
        "passing rocks", "like rocks", "(strain|straining) and (strain|straining)",
        "hard (ball|balls|pellets|little balls|lumps)", "rabbit (pellets|poop|droppings|turds)",
        "like (a|the) rabbit", "little (balls|pellets)", "pellets", "bolitas",
        "como de (conejo|chivo|cabra)", "bolitas duras",
        "constipated", "constipation", "havent pooped", "havent had a bm",
        "havent had a bowel movement", "havent had a poop", "no bm", "no bms", "no bowel movement",
        "no bowel movements", "havent gone number 2", "havent gone #2", "havent gone number two",
        "havent been able to go", "cant poop", "cant go poop", "cant go number 2", "cant go #2",
        "hard stool", "hard stools", "hard poop", "strain to poop", "backed up", "blocked up",
        "stopped up", "not pooping", "no poop", "didnt poop",
        "havent gone to the bathroom", "estrenido", "estrenida", "estrenimiento", "constipada",
        "estreñido", "estreñida", "estreñimiento", "sin hacer del cuerpo", "sin obrar",
        "sin hacer caca", "estomago trancado", "pujo y nada", "(popo|caca) (bien|muy) dura",
        "no hago del (2|dos)", "pujar un chorro",
        "constipado", "no obro", "no ha obrado", "bm x0", "no bm since", "plugged up",
        "(aint|havent|hasnt|not) (shit|shat|took a dump|taken a dump|had a dump)",
        "tapado del estomago",
        "tapada del estomago", "(me cuesta|cuesta) [mucho] pujar", "sale (bien|muy) duro",
        "bound up", "(bows|bowels) (aint|havent|hasnt|not) moved", "no \U0001f4a9",
        "(havent|cant|didnt|couldnt) \U0001f4a9",
        "no (he|e) hecho (popo|caca)", "no he podido hacer popo", "no puedo hacer popo",
        "no he ido al bano",
        "no he obrado", "no evacuo", "no he evacuado", "heces duras", "popo dura", "no hago popo",
        "haven't had a movement", "straining (to poop|on the toilet|to go|when i go|to have a bm)",
        "no (he|ha) [podido] (hacer|ido) (popo|del dos|del bano|al bano)",
        "no (he|ha) hecho (popo|del dos|del bano)", "no puedo hacer del dos",
        "(stool|stools|poop|poops|bm|bms|popo) (is|are|was|were|come out|comes out) [really|so|very"
        "|super] (hard|like rocks|like pebbles)", "havent gone (#2|number two|number 2) in",
    ),
    # Words that look like red flags but describe something ordinary after spinal surgery; the
    # symptom words they overlap give way to them (rules.YIELDS).
    "BREATH_DEVICE": (
        "breathing (thingy|thing|machine|device|exerciser|exercises|toy|tool|gadget)",
        "incentive spirometer", "spirometer", "breathing treatments", "aparato de respirar",
        "ejercicios de respiracion",
    ),
    "BRUISE_COLOR": (
        "(purple|blue|black|green|greenish|yellow|yellowish) (and|n|&|/|to|turning) (yellow"
        "|yellowish|green|greenish|purple|blue|black|brown)",
        "(yellow|green|purple|greenish|yellowish) (bruise|bruising|bruises)",
        "(bruise|bruising|bruises) (is|are|turning|looks|look) (yellow|green|purple|greenish"
        "|yellowish)", "moreton (amarillo|verde|morado)", "(amarillo|verde) y morado",
        "morado y (amarillo|verde)",
    ),
    "INCISION_NUMB": (
        "(numb|numbness|tingly|tingling) [right|just|only] (around|near|by|along|at|on|over)"
        " (the|my) (incision|scar|cut|wound|staples|stitches|surgery site)",
        "(incision|scar|cut|wound|skin around the incision) (is|feels|area is|area feels) [a"
        " little|kinda|a bit|still] numb", "skin (around|near|by) (the|my) (incision|scar)"
        " (is|feels) [a little|kinda|a bit] numb",
        "(entumida|dormida|adormecida) (alrededor de|cerca de) la (herida|cicatriz)",
    ),
    "THING_FELL": (
        "(strips|strip|bandage|bandaid|dressing|scab|tape|staple|staples|glue|stitch|stitches|sock"
        "|socks|phone|cup|pillow|blanket|bottle|glasses|lid|pill|pills|brace|gauze|drain) [just]"
        " (fell|falls|fall|fallen|falling) (off|out|down|apart)",
        "(se me|se le|se) (cayo|cayeron|cae|caen) (la venda|el vendaje|la gasa|las grapas"
        "|el parche|la cinta|los puntos|el telefono|la pastilla)",
    ),
    # Faces of distress, typed for a pain score.
    "PAIN_FACE": (
        "\U0001f62b", "\U0001f629", "\U0001f62d", "\U0001f616", "\U0001f623", "\U0001f975",
        "\U0001f92c", "\U0001f635", "\U0001f630", "\U0001f625",
    ),
    "SEVERE": (
        "(me tomo|me tome|tome|tomo|me tomé) las (pastillas|pastiyas|pildoras|medicinas) y nada",
        "(dolor|duele) (bien|muy|super) fuerte como nunca", "como nunca me (habia|había) dolido",
        "(el dolor|dolor) (esta|está) (durisimo|bien duro|insoportable|horrible)",
        "(yorando|llorando) (toda la noche|de dolor|del dolor)",
        "ni con (la|el|las|los) (oxicodona|tramadol|pastilla|pastillas|medicina|medicinas"
        "|morfina|hidrocodona|gabapentina|norco|percocet) se (me|le) (calma|quita|pasa)",
        "ni con (la|el|las|los) (oxicodona|tramadol|pastilla|pastillas|medicina|medicinas"
        "|morfina|hidrocodona|gabapentina|norco|percocet) se (calma|quita|pasa)",
        "(el|la) peor [dolor] desde (la cirugia|la operacion|que me operaron)",
        "(the) worst [pain] since (the surgery|surgery|my surgery|the operation)",
        "cant sit still (from|because of|with|for) [the] pain",
        "(back|leg|legs|hip|neck) is screaming",
        "screaming (in|with|from) pain", "no me puedo estar quieto",
        "worst pain", "worst ever", "worst its been", "worst pain ever",
        "worst (headache|pain|back pain|ache) (ever|of my life|ive ever had|i have ever had)",
        "worst pain of my life", "unbearable", "excruciating", "cant take the pain",
        "cant stand the pain", "cant handle the pain", "crying from the pain", "crying in pain",
        "insoportable", "no aguanto el dolor", "no soporto el dolor", "me estoy muriendo de dolor",
        "agonizing", "agony", "10 out of 10", "unmanageable", "intolerable",
        "peor (que|q) nunca", "(mas|más) fuerte (que|q) nunca",
        "(tomo|tome|me tomo|me tome) (el|la|los|las|mi|mis) (oxycodone|oxicodona|oxy|percocet"
        "|norco|tramadol|pastillas|pastilla|medicina|medicinas|tylenol|hidrocodona) y nada",
    ),
    "PAIN_BAD": (
        "severe", "muchisimo", "really really bad", "horrific", "terrible", "horrible", "awful",
        "intense", "really bad", "so bad", "very bad", "extreme", "muy fuerte", "fuertisimo",
        "demasiado", "horrendo", "too much", "killing me", "is killing me", "screaming",
        "out of control", "through the roof", "off the charts", "cant take it", "cant handle it",
        "no aguanto", "no lo aguanto", "no soporto",
        "brutal", "unreal", "insane", "crazy bad", "relentless", "un chorro", "un chingo",
    ),
    "MEDS_FAIL": (
        "(wear|wears|wearing|wore) off (too|so|way too|real) (fast|quick|quickly|soon)",
        "(isnt|is not|arent|not|wont|doesnt|didnt|aint) (holding|holding him|holding her|holding"
        " me|controlling|covering|cutting through|doing a thing|doing nothing)",

        "(wear|wears|wearing|wore) off (after|in|within) (an|1|one|half an) hour",
        "not helping",
        "(not|arent|isnt|aint|wasnt|werent|dont|doesnt|didnt|wont|never|barely) (help|helping"
        "|helps|helped|work|working|works|worked|touch|touching|touches|touched|do anything"
        "|doing anything|doing much|do much|cut it|cutting it|last|lasting|kick in|kicking in"
        "|take the edge off|making a dent|make a dent)", "not working", "doesnt help", "dont help",
        "dont work", "doesnt work", "isnt helping", "isnt working", "arent helping",
        "arent working", "no help", "barely help", "barely helps", "barely touches", "doesnt touch",
        "(drugs|medicine|meds|pills|tablets) [they gave me] (are|is) not working [at all]",
        "barely dent", "barely dents", "barely make a dent",
        "dont touch", "not touching", "not controlled", "not controlling", "nothing helps",
        "nothing works", "nothing is helping", "no relief", "didnt help", "didnt work", "wont help",
        "no me ayuda", "no me ayudan", "no me hace nada", "no me hacen nada", "no me hace efecto",
        "no me hacen efecto", "no sirve", "no sirven", "no funciona", "no funcionan", "no me calma",
        "no me calman", "no me quita", "no me quitan", "not doing anything", "dont do anything",
        "do nothing", "does nothing",
        "(not|arent|isnt|aint|wasnt|werent|dont|doesnt|didnt|wont|never|barely) (even|really"
        "|seem to|even seem to) (help|helping|helps|helped|work|working|works|worked|touch"
        "|touching|touches|touched|do anything|doing anything|do much|doing much|cut it"
        "|take the edge off|make a dent)", "ni con (las|la|los|el|mis) (pastillas|medicina"
        "|medicinas|medicamento|medicamentos)", "not even with (the|my) (meds|pills|medicine"
        "|medication)",
    ),
    "PAIN_RISE": (
        "jumped", "jumps", "jump", "went up", "goes up", "shot up", "spiked", "climbed",
        "increased", "now", "today", "this morning", "tonight", "subio", "ahora", "hoy",
        "got worse", "worse",
    ),
    "PAIN_JUMP": (
        "much worse", "way worse", "a lot worse", "so much worse", "suddenly worse", "spiked",
        "shot up", "doubled", "mucho peor", "mucho mas fuerte", "skyrocketed",
    ),
    "RADIATE": (
        "(me|le) (corre|baja|recorre) un (ardor|dolor|toque|corriente|calambre) por [toda] (la"
        " pierna|las piernas|el brazo)",
        "(hot|live|electric) wire", "como corriente", "corriente", "corrientes",
        "shooting", "shoots", "radiating", "radiates", "radiate", "sciatica", "electric",
        "electrical", "electricity", "electric shock", "electric shocks", "zaps", "zapping",
        "zinging", "zingers", "lightning", "ciatica", "toques", "toque", "corrientazo",
        "corrientazos", "descargas", "descarga", "calambres electricos", "like a shock", "shocks",
        "(como|tipo) electrico", "dolor electrico",
        "(que|q) (corre|baja|recorre|corren|bajan) por (el|la|las|los) (brazo|brazos|pierna"
        "|piernas)",
        "(me|le) (baja|bajan|corre|corren|recorre|recorren) [calambres|punzadas|toques"
        "|corrientazos|dolores|descargas] (por|x) (la|las|toda la|el) (pierna|piernas|brazo"
        "|nalga)",
    ),
    "RADIATE_WEAK": (
        "sharp", "burning", "burns", "on fire", "stabbing", "ardor", "arde", "quema", "quemazon",
        "punzante",
        "punzadas", "stinging",
        "knife", "knives", "hot knife", "cuchillo", "cuchillada", "cuchilladas", "pinchazo",
        "pinchazos",
    ),
    "FEVER_WORD": (
        "fever", "fevers", "feverish", "febrile", "running a temp", "running a fever", "high temp",
        "high temperature", "fiebre", "calentura", "febril", "temperatura alta", "fiebres",
        "temp is high", "temperature is high",
    ),
    "FEVER_SIGN": (
        "[teeth] (were|are|kept|keep|keeps) chattering", "chattering teeth",
        "teeth chattering", "shivery", "hot and shaky", "shaking and sweating",
        "sweating and shaking", "cold shaking", "shaking cold", "hot in [my] body",
        "shaking under the (covers|blankets)", "drenched by morning",
        "woke up drenched", "(hot|oven|burning up|on fire) then (freezing|cold|shivering)",
        "(freezing|cold|shivering) then (hot|burning up|sweating)",
        "chills", "burning up", "hot and cold", "chilled", "shivering", "shivers", "the shakes",
        "sweats", "night sweats", "sweating at night", "cold sweats", "escalofrios",
        "clammy", "all clammy", "cold and clammy", "hot and clammy",
        "escalofrio", "sudores", "sudando en la noche", "escalo frios", "escalo frio",
        "escalos frios", "sudando frio", "sudor frio", "sudores frios", "temblando de frio",
        "rigors",
        "(soaked|drenched|soaking|drenching) (in|with) sweat", "sweating (buckets|through)",
        "(sweat|sweated) through", "empapado en sudor", "empapada en sudor",
    ),
    "WOUND_SIGN": (
        "red", "redder", "redness", "red streaks", "streaks", "streaking", "inflamed", "infected",
        "infection", "swollen", "swelling", "swelled", "puffy", "hot", "warm", "warm to touch",
        "hot to touch", "hot to the touch", "draining", "drainage", "oozing", "oozes", "ooze",
        "weeping", "discharge", "fluid", "pus", "puss", "yellow stuff", "green stuff", "yellow",
        "green", "cloudy", "opened", "open", "opening", "came apart", "coming apart", "split",
        "splitting", "gaping", "gap", "hole", "came open", "separated", "separating", "popped open",
        "smells", "smell", "smelly", "stinks", "stinky", "odor", "bad smell", "foul", "bleeding",
        "bleeds", "bled", "blood", "bloody", "soaked", "soaking", "rojo", "roja", "rojiza",
        "enrojecida", "enrojecido", "enrojecimiento", "hinchada", "hinchado", "hinchazon",
        "inflamada", "inflamado", "caliente", "supura", "supurando", "sale liquido", "sale agua",
        "le sale", "drena", "drenando", "secrecion", "abierta", "se abrio", "se esta abriendo",
        "huele mal", "mal olor", "apesta", "sangra", "sangrando", "sangre", "infectada",
        "infectado", "infeccion", "liquido",
        "huele feo", "huele raro", "feo olor", "huele a podrido", "gunk", "gross stuff",
        "se me abrio", "se le abrio",
        "pulling apart", "pulled apart", "pulling open", "coming open", "splitting open",
    ),
    "WOUND_STRONG": (
        "dehiscence", "dehisced", "purulent", "purulence", "pus", "puss", "oozing pus", "supura",
        "supurando", "pus coming out",
    ),
    "HEADACHE": (
        "head (is|it is|its) (breaking|bursting|exploding|splitting|pounding|killing me)",
        "(la cabeza|cabeza) me (truena|revienta|parte|estalla) [de dolor]",
        "headache", "headaches", "head hurts", "head aches", "head is killing me", "migraine",
        "head pain", "pain in my head", "pain is [really|mostly|all] in my head",
        "le duele [mucho|bastante|horrible|muchisimo|demasiado] la cabeza",
        "(masakit|ang sakit) [ng|ang] ulo [ko|niya]",
        "(my|the) head (pounds|is pounding|throbs|is throbbing)", "dolor de cabeza",
        "dolor fuerte de cabeza",
        "me duele [mucho|bastante|horrible|burda|harto|muchisimo|demasiado] la cabeza",
        "la cabeza me duele", "jaqueca", "migrana",
        "cabeza me esta matando",
        "head (pounds|throbs|pounding|throbbing|is pounding|is throbbing|is splitting|hurts|aches"
        "|kills)", "pounding headache", "splitting headache", "pounding head",
        "me (retumba|estalla|explota) la cabeza",
        "orthostatic (headache|headaches|ha)", "positional (headache|headaches|ha)", "cefalea",
        "cefalea (ortostatica|postural)",
        "head (be|been|keeps|keep) (pounding|throbbing|hurting|aching|splitting|banging)",
        "head [it] [just] (hurt|hurts|hurting|pounds|pounded|pounding|throbs|throbbing|aches"
        "|aching|kills|killing me|splits|is splitting|bangs|banging)", "headache from hell",
        "cabeza me (duele|late|retumba|estalla|explota)", "dolor de cabeza horrible",
    ),
    "POSITIONAL": (
        "sit up", "sitting up", "sitting", "sit", "stand", "standing", "stand up", "get up",
        "upright", "lie down", "lying down", "laying down", "lay down", "lie flat", "lying flat",
        "laying flat", "flat", "acostado", "acostada", "me acuesto", "acostarme", "sentado",
        "sentada", "me siento", "parado", "parada", "me paro", "de pie", "levanto", "me levanto",
        "se sienta", "se para", "se levanta", "se acuesta", "se echa", "me echo", "nakaupo",
        "nakatayo", "nakahiga",
        "me enderezo", "vertical", "horizontal", "acostadito", "acostadita", "nomas me levanto",
        "get out of bed", "getting out of bed", "out of bed", "sit upright", "orthostatic",
        "positional", "ortostatica", "postural", "decubito",
        "(lay|lie|laying|lying) (flat|down) and (its|it is|it|the headache) (gone|goes away|better"
        "|stops)",
        # Relief lying down is the sign itself: "gone when I lie flat" is not a resolved headache.
        "(gone|goes away|go away|went away|fine|better|disappears|eases|stops|ok|okay) (when|if"
        "|once|as soon as|after) (i|she|he|you) (lie|lay|lies|lays) [back] [down|flat]",
        "(when|if|once|as soon as) i (lie|lay) [back] (down|flat) (it|its|the pain|the headache)"
        " (goes away|go away|is gone|gone|is fine|stops|gets better|eases|is better|is ok|ease"
        "|ease off|eases off|ease right off|eases right off|lets up|let up)",
        "(resolves|resolved|better|gone|improves|eases) (within|in|after) [a few|10|15|20|5]"
        " (min|mins|minutes) (supine|lying down|lying flat|flat)", "supine",
        "(its|it is|the pain is|the headache is) (basically|totally|mostly|almost|pretty much|all)"
        " (gone|fine|better|ok|okay)",
        "(se me quita|se quita|se me pasa|se pasa|desaparece) (cuando|al|si) (me acuesto"
        "|acostarme|me recuesto|recostarme)",
    ),
    "BREATHING": (
        "(me|le) aprieta el pecho", "(siento|tengo) el pecho apretado",
        "short of breath",
        "(cant|hard to|trouble|struggling to|difficult to) (breath|breth|brethe)",
        "shortness of breath", "cant breathe",
        "(hard|difficult|struggling|struggle|cant) to get a [full|deep|proper] breath [in]",
        "(streaks|specks|spots|bits) of blood (in|on) (the|my) (tissue|phlegm|spit|mucus|sputum)",
        "cant catch my breath", "cant get my breath",
        "hard to breathe", "hard breathing", "trouble breathing", "difficulty breathing",
        "struggling to breathe", "out of breath", "winded", "gasping", "breathless", "chest pain",
        "chest pains", "chest hurts", "chest tight", "tight chest", "chest pressure",
        "pressure in my chest", "pain in my chest", "chest is tight", "coughing blood",
        "(coughing|cough|coughed|coughs) [up] [some|a little|a bit of|a lot of|bright red] blood",
        "(hurts|painful|pain|hurt) (to|when i|when i try to) (breathe|take a deep breath"
        "|take a breath|breath in|breathe in)", "duele al respirar", "me duele respirar",
        "dolor al respirar", "coughing up blood", "cough up blood", "coughed up blood",
        "blood when i cough", "spitting blood", "spitting up blood", "falta de aire",
        "(breathing|breathe|breath|breaths|deep breaths) (hurts|hurt|is painful|are painful)",
        "(my chest|chest) (is paining|paining|pains) me",
        "(stab|stabbing|sharp|pain|catch) in [my] [right|left] [side of my] chest when i (take a"
        " deep breath|breathe in|breathe)",
        "(pressing|crushing|squeezing|heavy|tight|tightening) [feeling|pain|sensation|ache]"
        " (in|on|across) [the] [middle of] (my|the|his|her) chest",
        "me falta el aire", "(me|le) (empezo|empieza|comenzo|comienza) a faltar el aire",
        "(me|le) (esta|estaba) faltando el aire", "falta de ar", "sem ar",
        "no puedo respirar", "me cuesta respirar", "dificultad para respirar",
        "me ahogo", "ahogo", "no puede respirar", "le falta el aire", "se ahoga", "dolor de pecho",
        "dolor en el pecho", "me duele el pecho", "pecho apretado", "tos con sangre", "toso sangre",
        "escupo sangre", "cant get air", "cant get enough air", "heavy breathing", "sin aire",
        "no (me|le) entra [bien] el aire", "breathing is hard", "breathing hard",
        "huffing and puffing",
        "(elephant|weight|something heavy|someone|something) [is] (sitting|on) [on] my chest",
        "elephant on my chest", "(tos|toso|tosiendo|tosi|escupo|escupiendo|escupi) [con|un poco"
        " de|algo de] sangre [al toser]", "respiro [muy] agitado", "respiracion agitada",
        "me agito", "me agito mucho", "(me falta|le falta|falta de|me falto|sin) [el|la] (aire"
        "|respiracion)", "throat (is|feels like its|feels like it is|feels) closing",
        "throat closing", "throat closing up", "se me cierra la garganta",
        "cant get a (full|deep|good) breath", "gasping for air", "breathing fast",
        "breathing really fast", "chest (hurts|pain|pains|is tight|feels tight|feels heavy)",
        "(cant|hard to|trouble|struggle to|struggling to|unable to) (get|take|catch|draw) a (full"
        "|deep|good|big|whole) breath",
        "(no puedo|me cuesta) (jalar|agarrar|tomar|meter) [el] aire",
    ),
    "SWALLOW": (
        "trouble swallowing", "hard to swallow", "cant swallow", "difficulty swallowing",
        "problems swallowing", "problem swallowing", "struggling to swallow", "choking", "choke",
        "chokes", "choked", "food gets stuck", "food stuck", "pills get stuck",
        "stuck in my throat", "lump in my throat",
        "(went|goes|going) down the wrong (pipe|way|tube)", "keeps getting stuck",
        "keep getting stuck", "(food|pills|water|it) (keeps getting|gets|got|is getting) stuck",
        "(food|pills|water|it) (keeps|keep|is|are) (sticking|getting stuck) [halfway down]",
        "neck swelling", "neck [is|was|keeps] (swelling|swollen|getting bigger|puffing up|puffy)",
        "swelling (in|on) my neck", "neck is swollen", "swollen neck", "neck swollen",
        "neck is getting bigger", "no puedo tragar",
        "se (le|me) (atoran|atora|atoraron|atoro) (las pastillas|la pastilla|la comida|el agua"
        "|la sopa|los bocados)", "(se atraganta|me atraganto|se atraganto|me atraganta)",
        "me cuesta tragar", "dificultad para tragar",
        "me atraganto", "atragantando", "se me atora", "no puede tragar", "le cuesta tragar",
        "cuello hinchado", "hinchazon en el cuello", "swallowing is hard", "cant get food down",
        "cant get anything down", "goes down the wrong way",
        "cant get (my|the|any) (food|pills|water|meds|medicine) down",
        "(me cuesta|no puedo|trabajo para|dificil) (pasar|tragar) [la|el|las|los] [comida|agua"
        "|pastillas|saliva|bocado]", "no me pasa la comida", "hurts to swallow",
        "wash it down", "(food|pills|it) (goes|go|going) down (slow|slowly|hard)",
        "have to wash (it|my food|the pills|pills|food) down",
        "(me duele|dolor al|duele) [al] tragar",
        "(food|pills|it) (gets|get|got|getting) caught", "caught in my throat",
        "(cough|coughing|choke|choking) (when|every time|whenever|after) i (drink|eat|swallow)",
        "(toso|me ahogo|me atraganto) (cuando|al) (tomo|como|trago|tomar|comer|tragar)",
        "se me (va|fue) (la comida|el agua|la bebida) por [el] otro lado",
        "se me (va|fue) por [el] otro lado",
    ),
    "SWALLOW_WORD": (
        "swallow", "swallowing", "throat", "tragar", "trago", "garganta", "get it down", "food",
        "pills", "comida", "pastillas",
    ),
    "STUCK": (
        "stuck", "atorada", "atorado", "se atora", "se me atora", "wont go down",
    ),
    "VOICE_CHANGE": (
        "hoarse", "voice is weak", "lost my voice", "voice changed", "voice is different",
        "cant talk", "cant speak", "ronco", "ronca", "afonico", "afonica", "sin voz",
        "no puedo hablar",
        "raspy", "voice is raspy", "scratchy voice", "voice is gone",
    ),
    # Coughing words: with blood near, a breathing emergency ("coughed and saw blood").
    "COUGH": (
        "cough", "coughing", "coughed", "coughs", "phlegm", "mucus", "sputum", "spit", "spitting",
        "spat", "tos", "toser", "tosi", "toso", "tosiendo", "flema", "flemas", "escupo", "escupi",
        "escupiendo", "gargajo",
    ),
    "BLOOD": (
        "blood", "bloody", "sangre", "con sangre", "sangrando", "red streaks", "streaks of red",
        "streaked with red", "pink foam", "pink froth", "pink frothy", "espuma rosada",
    ),
    # A bare organ name answers "any change in your bladder or bowels?" ("bowels", "bladder yes").
    "BLADDER_ORGAN": (
        "bladder", "my bladder", "the bladder", "just the bladder", "just my bladder",
        "only the bladder", "vejiga", "la vejiga", "de la vejiga", "urine", "orina", "la orina",
        "de la orina",
    ),
    "BOWEL_ORGAN": (
        "bowels", "bowel", "my bowels", "the bowels", "just the bowels", "just my bowels",
        "only the bowels", "intestino", "el intestino", "los intestinos", "del intestino",
    ),
    # Warmth or redness of one leg, a clot sign even away from the calf (LABELING.md dvt).
    "DVT_WARM": (
        "red", "redness", "warm", "hot", "warm to the touch", "hot to the touch", "roja", "rojo",
        "caliente", "calientita", "calentita",
    ),
    # Sweat soaks clothes too: wet sheets with sweating are not incontinence.
    "SWEAT": (
        "sweat", "sweats", "sweating", "sweaty", "sudor", "sudando", "sudado", "sudada",
    ),
    "FALL": (
        "fell", "fall", "falls", "fallen", "hit the floor", "hit the ground",
        # A person went down, not a swelling or a temperature ("it went down to 99").
        "(i|he|she|we|dad|mom|mum|husband|wife|hubby) [just|then] went down",
        "found on [the] (floor|ground)", "slid down the wall",
        "(slid|slipped|slide|slipping) off (the|my) (commode|chair|bed|toilet|couch|sofa)",
        "(couldnt|could not|cant|cannot) get back up [off the floor|from the floor]",
        "went down (hard|face first|flat|like a|twice|two times|three times|again|once|on (my|his"
        "|her) (back|butt|side|knees|knee|face|bottom|rear|behind|hip)|in the (bathroom|shower"
        "|kitchen|hall|hallway|yard|driveway|garage|tub)|on the (floor|ground|ice|stairs|steps"
        "|tile|rug)|on the (kitchen|bathroom|bedroom|garage|shop|barn|porch) (floor|ground))",
        "knocked me (over|down)", "i (got|was|been) knocked (over|down)",
        "took a tumble", "tumbled",
        "(woke up|woke|came to|found myself) on the [bathroom|kitchen|bedroom] (floor|ground)",
        "me cai", "se cayo", "caida", "cai", "me he caido", "se ha caido",
        "me fui al suelo", "nos caimos", "tripped and fell", "landed on my", "landed on the",
        "hit the deck", "went down hard", "ended up on the (floor|ground)", "me di un sentonazo",
        "me fui de nalgas", "slipped and fell", "me resbale y me cai", "se resbalo y se cayo",
        "cant get up off the (floor|ground)", "had a fall", "took a fall",
        "(cant|cannot|couldnt|could not) get (him|her|me) (up|off the floor|off the ground)",
        "(hes|shes|he is|she is|im|i am) on the (floor|ground) [now|again]",
        "fell down", "fell over", "me caigo", "se cae", "se fue al suelo",
        "(im|i was|ended up|found me|found him|found her|landed|lying|laying|was lying"
        "|stuck) on the (floor|ground|driveway|sidewalk|pavement|rug|carpet|tile|tiles|lawn|grass)",
        "on the (floor|ground) and (cant|couldnt) get up",
        "(slid|slipped|rolled|fell|slide|slides) (off|out of) (the|my) (bed|chair|couch|toilet"
        "|recliner|sofa|wheelchair)", "took a spill", "me fui de boca", "me fui de espaldas",
        "(me|se|nos) fui al (piso|suelo)", "(se|me) fue al piso", "(vio|vi|vieron) caer",
        "me vio caerme",
    ),
    "SLIPPED": (
        "slipped", "slip", "tripped", "trip", "stumbled", "me resbale", "se resbalo", "me tropece",
        "se tropezo",
    ),
    "SOAKED": (
        "soaked", "soaking", "soaked through", "soaks", "saturated", "empapado", "empapada",
        "empapa",
    ),
    "MOOD": (
        "(feeling|feel|felt|been) (a bit|a little|kinda|kind of|pretty|so|really|very) blue",
        "depressed", "depression", "no interest in anything", "withdrawn", "pretty down",
        "(feel|feeling|feels) like (giving|givin) up",
        "(my|his|her) spirit is (down|low)", "nothing is good anymore", "nervous all the time",
        "estoy fatal de animo", "no veo salida", "lost interest in everything",
        "anhedonia", "feeling down", "feel down", "feels down", "so down",
        "really down", "very down", "down in the dumps", "feeling low", "feel low", "hopeless",
        "useless", "a burden", "im a burden", "nobody cares", "no one cares", "lonely", "helpless",
        "worthless", "anxious", "anxiety", "panic attack", "panic attacks", "panicky", "cant cope",
        "not coping", "overwhelmed", "miserable", "crying all the time", "cry all the time",
        "keep crying", "cant stop crying", "crying a lot", "sad", "so sad", "deprimido",
        "deprimida", "depresion", "triste", "tristeza", "ansiedad", "ansioso", "ansiosa",
        "angustia", "angustiado", "angustiada", "desesperado", "desesperada", "sin ganas",
        "nervioso", "nerviosa",
        "no tengo ganas", "lloro mucho", "llorando", "bajoneado", "bajoneada", "aguitado",
        "aguitada", "desanimado", "desanimada", "down and out", "no puedo mas",
        "cant take it anymore", "losing my mind", "dont care about anything",
        "no energy to do anything", "feeling blue", "gloomy", "nervios",
        "(dont|cant) see the point", "no point", "whats the point", "i cry", "crying every",
        "cry every (day|night|afternoon|morning)", "no le veo sentido", "lloro todos los dias",
        "(im|i am|feeling|feel|felt|been) (really|so|very|pretty) down",
        "decaido", "decaida", "decaidos", "decaidas", "bajo de animo", "baja de animo",
        "sin animo", "sin animos", "con el animo por los suelos",
    ),
    "SELF_HARM": (
        "[ya] no (quiere|queria) vivir", "ideacion suicida",
        # Not bare "kms", which is also kilometres ("walked 3 kms").
        "(wanna|want to|wants to|gonna|going to|about to|finna|boutta|lowkey|highkey|literally"
        "|might|could|should|will|i) kms", "kms (fr|rn|lol|tbh|ngl|istg)", "unalive",
        "unalive (myself|himself|herself)",
        "better [if] (i am|im|i was|i were) not (alive|here)",
        "passive si", "active si", "suicidal ideation", "suicidal thoughts", "si with (a|no) plan",
        "kill myself", "killing myself", "suicide", "suicidal", "end my life", "end it all",
        "suicida", "suicidas",
        "want to die", "wanna die", "wish i was dead", "wish i were dead", "better off dead",
        "dont want to live", "dont want to be alive", "dont want to be here anymore",
        "dont want to wake up", "no reason to live", "nothing to live for",
        "hurt myself on purpose", "want to hurt myself", "thinking of hurting myself",
        "thoughts of hurting myself", "thinking about hurting myself", "take all my pills",
        "overdose on purpose", "me quiero morir", "mejor morirme", "seria mejor morir",
        "quisiera morirme", "ganas de morir", "ganas de morirme", "quiero morirme", "quiero morir",
        "quitarme la vida", "matarme", "suicidarme", "suicidio", "no quiero vivir", "mejor muerto",
        "mejor muerta", "ya no quiero vivir", "no quiero despertar", "hacerme dano",
        "not worth living", "life isnt worth living", "life is not worth living",
        "no vale la pena vivir", "better off without me",
        "(ending|end|take|taking|took) my [own] life",
        "dont want to live (like this|anymore|any more)", "dont want to go on",
        "cant go on like this", "no quiero seguir viviendo",
        "better off if i [just] (wasnt|werent|was not|were not|died|was gone|was dead|didnt wake up"
        "|never woke up|wouldnt wake up) [here"
        "|around|alive] [anymore]", "wish i wasnt here",
        "(thinking|thought|thoughts|think) (of|about) ending it [all]", "want to end it [all]",
        "ending it all", "not be here anymore", "wasnt here anymore", "estarian mejor sin mi",
        "ya no estar aqui", "desaparecer para siempre",
        "(take|taking|took|swallow|swallowing|swallowed) all [of] (my|the|these|those|di|mi) [pain]"
        " (pills|meds|medicine|medication|medications|oxy|percocets|percocet|tablets)",
        "all my pills at once", "(tomarme|tomar|tome|tomarme) todas (las|mis) pastillas",
        "(no|dont see a|dont see any|dont have a|dont have any|whats the|what is the) reason to"
        " (keep going|go on|live|be here|keep living|wake up|stay)",
        "(wish|hope|hoping|pray) [that] i [just] (wouldnt|dont|didnt|never|wont|would not)"
        " wake up", "(mejor|prefiero|ojala) no despertar", "no despertar mas",
        "(ending|end|ended) (things|everything)", "(easier|better) [for everyone|for them] if i"
        " (was|were) (dead|gone)", "(easier|better) [for everyone|for them] if i (wasnt|werent)"
        " (here|around|alive)", "(estarian|estaria|estaran) mejor (sin mi|si yo no estuviera"
        "|si no estuviera|si ya no estoy)", "si yo no estuviera", "si ya no estuviera",
        "[ya] no quiero estar aqui", "no quiero (despertar|existir)", "dont want to exist",
        "want to disappear", "wish i could disappear",
        "(thinking|thought|think|thinkin) (of|about) (taking|swallowing|downing) (them|it) all",
        "(should|could|might|gonna|going to) [just] end it [all]",
        "(take|taking|took|swallow|swallowing|swallowed|down|downing|downed) the (whole|entire)"
        " (bottle|lot|pack)",
        "(better off|mejor) (dying|muerto|muerta)", "mejor me muero", "mejor me moria",
        "(seria|estaria) mejor (morirme|muerto|muerta|que me muriera)",
        "(thinking|thought|thoughts|think) (of|about) (just|simply) ending it [all]",
        "(thought|thinking|think|thoughts|urge|urges|want|wanted|wanting|feel like) (about|of|to)"
        " (cutting|cut|hurting|hurt|harming|harm|burning|burn) myself",
        "(point|reason) (of|in|for) (living|going on|being alive|being here)",
        "(quisiera|quiero|prefiero|ojala) no (existir|estar aqui|vivir|despertar)", "no existir",
        "(pensando|pienso|pense) en (hacerme|lastimarme|cortarme|matarme)", "lastimarme",
        "(go to sleep|sleep|fall asleep) and (not|never) wake up",
        "(nobody|no one|noone) would (miss me|care if i)", "if i (was|were) gone",
        "(better|easier) [off] without me [around|here]",
        "(no le encuentro|no tiene|sin|no le veo) sentido (a la vida|vivir|seguir|seguir viviendo)",
        "(la vida|vivir|seguir) [ya] no tiene sentido", "nada tiene sentido ya",
    ),
}
# fmt: on

# --- fail-safe net (rules.NET_RULES) -----------------------------------------------------------
# Everyday words for a body area and for "something changed there". Kept apart from CLASSES so
# they are never typo-correction targets: a word like "different" must not pull a misspelled
# symptom word towards itself.
# fmt: off
NET_CLASSES: dict[str, tuple[str, ...]] = {
    "NET_SADDLE": (),  # concepts.py
    "NET_LEG": (),  # concepts.py
    "NET_URINE": (),  # concepts.py
    "NET_TOILET": (
        "loo", "powder room", "washroom",
        "bathroom", "restroom", "toilet", "commode", "underwear", "undies", "diaper", "diapers",
        "pads", "depends", "bano", "panal", "panales",
        "calzones", "chones", "pantalon", "las ganas", "the urge",
    ),
    "NET_BOWEL": (),  # concepts.py
    "NET_BREATH": (),  # concepts.py
    "NET_WOUND": (),  # concepts.py
    "NET_CALF": (
        "calf", "calves", "pantorrilla", "chamorro", "back of my leg",
    ),
    "NET_THROAT": (),  # concepts.py
    "NET_NECK": (
        "neck", "cuello",
    ),
    "NET_TEMP": (),  # concepts.py
    # Self-harm hints: no change word needed, and no negation or "if" can clear them.
    "NET_SELF": (),  # concepts.py
    # "Something changed": strong cues count anywhere near the body area.
    "NET_CHANGE": (
        "cant", "wont", "wouldnt", "hard to", "harder to", "trouble", "weird", "weirdly",
        "different", "feel off", "feels off", "feeling off", "is off", "are off", "seems off",
        "something off", "not right", "wrong", "strange", "funny", "odd", "heavy", "dead",
        "no feeling", "barely", "hardly", "not a drop", "nothing comes", "nothing came",
        "nothing coming", "didnt make it", "dont make it", "too late", "missing", "leaking",
        "leak", "leaks", "wet", "soaked", "streaks", "foam", "foamy", "racing", "straw",
        "squeaky", "hung up", "hangs up", "stuck",
        "folded", "went out", "wobble", "wobbles", "wobbly", "trusting", "trust", "drunk",
        "jello", "spaghetti", "noodles", "fuzzy", "mittens", "wrapped", "plastic",
        "someone elses", "somebody elses", "not mine", "cardboard", "rubber", "asleep",
        "went to sleep", "angry", "squishy", "gap", "lifting", "crusty", "funky", "smells",
        "tight", "squeezing",
        "wheezy", "problem", "problems", "issue", "issues", "not working", "messed up",
        "acting up", "feels like", "feel like", "didnt know", "didnt even know", "dont know when",
        "no idea when", "cant tell", "hard to tell", "didnt feel", "didnt notice",
        "without knowing", "not good", "not ok", "not okay", "not normal", "not fine",
        "not the same", "raro", "rara", "raros", "raras", "extrano", "extrana", "diferente",
        "no puedo", "no puede", "cuesta", "problema", "problemas", "pesada", "pesadas", "pesado",
        "muerta", "muertas", "dormida", "dormidas", "dormido", "de trapo", "de hule",
        "de algodon", "no es mio", "no es mia", "no son mias", "no responde", "no responden",
        "mal", "no aguanto", "se me sale", "se me salen", "se me escapa", "sin darme cuenta",
        "sin sentir", "sin querer", "no me di cuenta", "mojado", "mojada", "atorada", "atorado",
        "rapido", "agitado",
        "no siento", "no esta bien", "no bien",
    ),
    # Weak cues: "worse" or "new" often describe pain, so a pain word beside them explains them.
    "NET_CHANGE_WEAK": (
        "worse", "new", "increasing", "peor", "nuevo", "nueva", "gorda", "gordo",
    ),
    "NET_MOTOR": (),  # concepts.py
    "NET_SWELL": (
        "puffed", "puffed up", "puffy", "swelled", "swollen", "swelling", "bigger", "lump",
        "hinchado", "hinchada", "inflamado", "inflamada", "hot", "warm", "caliente",
    ),
    "NET_HOT": (
        "hot", "up", "high", "warm", "caliente", "alta",
    ),
    # Drainage colours; pink or red along the staples is ordinary healing.
    "NET_DRAIN_COLOR": (
        "yellow", "yellowish", "green", "greenish", "cloudy", "milky", "brown", "amarillenta",
        "amarillento", "amarilla", "amarillo", "verdosa", "verdoso", "verde", "turbio",
    ),
    # Reaching, bending and getting up are hard after fusion; "can't reach to wipe" or "can't
    # get off the toilet" is about moving, not about the saddle or the bladder.
    "NET_ROM": (
        "reach", "reaching", "bend", "bending", "twist", "twisting", "brace", "tongs", "alcanzar",
        "agacharme", "doblarme", "get off", "get up", "get on", "get to", "getting to",
        "get out", "sit down", "stand up", "levantarme", "pararme", "llegar",
        "shuffle", "shuffling", "hobble", "hobbling", "walk to", "walking to", "slid off",
        "slide off", "fell off", "frame", "walker", "zimmer",
    ),
    # Going somewhere: "can't go to PT" is not about the toilet.
    "GO_PLACE": (
        "to pt", "to therapy", "to physical therapy", "to work", "to church", "to school",
        "to the store", "to the appointment", "to my appointment", "out", "outside", "anywhere",
        "home", "al trabajo", "a la cita", "a terapia", "a la iglesia", "afuera", "a la tienda",
    ),
    "NET_CALM": (
        "fine", "good", "great", "normal", "normally", "better", "ok", "okay", "alright",
        "all right", "healing", "healed", "strong", "stronger", "clean", "dry", "no problems",
        "no problem", "no issues", "nothing wrong", "all good", "like new", "bien", "mejor",
        "fuerte", "fuertes", "sin problemas", "perfect", "perfecto", "improving", "improved",
        "nicely", "sequita", "seca", "limpia", "working", "works", "functioning",
        "regular", "finally", "yay", "(cant|dont|didnt) feel any (burning|pain|stinging)",
        "(didnt|dont|havent|cant|did not) (notice|see|find) any",
        "(make|made) it [to the] [bathroom|toilet|restroom] (every time|always)",
    ),
}
# fmt: on


def _join_concepts() -> None:
    """Add each concept's phrases (concepts.py) to the classes the rules read, once each."""
    tables = (CLASSES, NET_CLASSES)
    for concept in CONCEPTS.values():
        for lang in LANGS:
            targets = [(cls, concept.area.get(lang, ())) for cls in concept.area_classes]
            targets.append((concept.sign_class, concept.signs.get(lang, ())))
            if concept.hint_class:
                targets.append((concept.hint_class, concept.hints.get(lang, ())))
            for cls, phrases in targets:
                table = next(t for t in tables if cls in t)
                have = {" ".join(p.split()) for p in table[cls]}
                new = tuple(p for p in phrases if " ".join(p.split()) not in have)
                table[cls] = (*table[cls], *new)
    CLASSES["AMBIGUOUS_FUNCTION"] = tuple(AMBIGUOUS)


_join_concepts()
