"""Context cues in English and Spanish: negation, resolution, history, hypotheticals, who."""

# ConText-style trigger phrases (clinical-triage.md 3.2, 3.6 and 4.2) rewritten for text messages
# and speech transcripts; the same phrase syntax as lexicon.py. How each class acts is in
# context.py.

# fmt: off
CUES: dict[str, tuple[str, ...]] = {
    # Negation cues before the symptom; their scope ends at a clause boundary.
    "NEG_PRE": (
        "no", "not", "never", "dont", "didnt", "doesnt", "havent", "hasnt", "hadnt", "isnt",
        "arent", "wasnt", "werent", "aint", "without", "denies", "deny", "denied", "none", "nor",
        "neither", "nothing", "zero", "free of", "negative for",
        "negative on", "no sign of", "no signs of",
        "almost", "nearly", "nope", "nah", "sin", "ni", "nunca", "nada de", "ningun", "ninguna",
        "niega", "niego", "negó", "nego",
        "ninguno", "tampoco", "jamas", "casi", "not any", "no more of", "never had", "never have",
        "havent had", "havent noticed", "dont have", "dont feel", "dont think", "dont notice",
        "no tengo", "no he tenido", "no siento", "no siento ningun", "no siento ninguna", "no hay",
        "none of", "no noto",
    ),
    # Negation cues after the symptom ("numbness? no", "fever - nope").
    "NEG_POST": (
        "no", "nope", "none", "not really", "not at all", "nada", "negative", "nah", "no way",
        "free", "tampoco", "ninguno", "ninguna", "denied", "no tengo", "no señor", "no ma'am",
        "i dont think so", "dont think so", "no creo", "creo que no", "yeah nah",
    ),
    # Words that look like negation but leave the symptom standing.
    "PSEUDO": (
        "(not|isnt|arent|wasnt|hasnt|havent|never|aint) [completely|fully|all|totally|quite] gone",
        "(hasnt|havent|didnt|wont|doesnt|never|not) [really|fully|completely] (go|gone|went"
        "|going) away",
        "(isnt|arent|not|hasnt|havent|wont|doesnt) [getting|gotten] (better|any better)", "no idea",
        "no better", "not better", "no change", "not changed", "not gone", "not only", "no matter",
        "no doubt", "not improving", "not getting better", "not going away", "no improvement",
        "not just", "not any better", "hasnt gone", "hasnt gone away", "havent gone away",
        "wont go away", "doesnt go away", "didnt go away", "never went away", "not resolved",
        "not completely gone", "not fully gone", "not all gone", "no puedo", "sin mejorar",
        "no mejora", "no ha mejorado", "no se quita", "no se me quita", "no se va", "no se ha ido",
        "no se me ha quitado", "no se me va", "not sure", "no se", "not much better", "no mejor",
        "not sleeping", "not the same", "nothing helps", "nothing works", "no ha cambiado",
        "still not", "not stopped", "hasnt stopped", "havent stopped", "wont stop", "doesnt stop",
        "not normal", "not right", "not able", "no longer able", "none of the meds",
        "nothing i take", "no pain meds",
        "ya (hice|fui|puedo|pude|estoy|esta|tengo|orine|hizo|paso|termine|voy|camino|se|me|le|lo"
        "|la|todo|bien|mejor|comi|tome|vine|llegue)",
    ),
    # Resolution after the symptom ("the tingling went away"); may point back to a pronoun.
    "RESOLVED_POST": (
        "now (they|theyre|they are|its|it is|it) (fine|ok|okay|good|normal|alright)",
        "ya no (lo|la|los|las) tengo", "ya agarre fuerza", "now dry", "now nothing",
        "now no more", "go away after",
        "nothing since then", "nothing since", "none since then", "dry now", "its dry now",
        "(been|fine|solid|good|ok|okay|normal|strong) ever since", "solid as a rock",
        "is finish", "it finish", "finished", "se acabo", "ya se acabo", "gone completely",
        "completely gone", "woke right up", "woke up right away", "came right back",
        "(hasnt|has not|havent|have not) happened (since|again)",
        "fine since",
        "none since", "no more since", "totally fine since", "no trouble at all",
        "no problem at all", "no problems since", "finally quit", "quit yesterday", "ya ni eso",
        "ni eso", "ya no me pasa", "no me ha vuelto a pasar", "no ha vuelto a pasar",
        "gone", "went away", "has gone", "resolved", "stopped", "cleared up", "cleared",
        "disappeared", "all better", "completely better", "totally better", "all good now",
        "fine now", "ok now", "okay now", "normal now", "back to normal", "been normal",
        "normal since", "gone since", "been fine since", "been ok since", "been good since",
        "subsided", "passed", "wore off", "is over", "se fue", "se quito", "se me quito", "se paso",
        "se me paso", "desaparecio", "ya paso", "ya se fue", "ya se quito", "ya se me quito",
        "ya esta bien", "se alivio", "se me fue", "ya se me paso", "already better", "all gone",
        "went back to normal", "feel normal again", "normal again", "stopped now",
        "came back normal", "broke last night", "broke overnight", "broke this morning",
        "finally broke", "has broken", "broke yesterday",
        "(its|it is|theyre|they are|all|it was) (fine|ok|okay|normal) (now|today)",
        "fine today", "ok today", "okay today", "normal today", "normally again",
        "(hoy|ahora|ya) [ya] (amaneci|amanecio|amanecí|me siento|se siente|estoy|esta|ando|anda)"
        " (bien|normal)",
        "(today|now) (its|it is|theyre|they are|im|i am|it feels|feels) (fine|ok|okay|normal|good"
        "|gone)",
    ),
    # Resolution words that only count at the end of a clause ("hoy ya no", "not anymore").
    "RESOLVED_END": (
        "ya no", "hoy ya no", "hoy no", "not anymore", "no more", "anymore", "not today", "not now",
        "none today", "no longer", "not since", "ya no tanto", "ya no tengo",
    ),
    # Resolution before the symptom ("no more numbness", "ya no tengo hormigueo").
    "RESOLVED_PRE": (
        "no more", "no longer", "ya no", "ya no tengo", "ya no siento", "se me quito el",
        "se me quito la", "got rid of", "recovered from",
        "(im|i am|got|getting|finally|all|mostly|pretty much) over the", "done with the",
        "finally stopped", "se fue el", "se fue la", "se me fue el", "se me fue la", "not anymore",
        "dont have anymore", "no tengo ya",
    ),
    # Symptoms that predate the operation (LABELING.md: unchanged or better is not new).
    "PRESURGERY": (
        "antes de la opera", "desde antes de la opera",
        "before operation", "before op", "before (neck|back|spine|spinal) (surgery|operation)",
        "before surgery", "before the surgery", "before my surgery", "before the operation",
        "before my operation", "before the fusion", "before my fusion", "before the op", "pre op",
        "preop", "pre - op", "pre - operative", "preoperative", "prior to surgery",
        "prior to my surgery", "since before", "before the procedure",
        "before my procedure", "antes de la cirugia", "antes de la operacion", "antes de operarme",
        "antes de que me operaran", "desde antes", "de antes", "before i had surgery",
        "before i had the surgery", "pre surgery", "presurgery", "before i was operated",
        "antes de mi cirugia", "antes de mi operacion",
    ),
    # Long-standing, so unchanged unless the reply says worse.
    "CHRONIC": (
        "at baseline", "since admit", "no change in pattern", "per care plan",
        "since (his|her|my) stroke", "no different",
        "same as before", "like before", "igual que antes", "como antes", "same as it was",
        "since my (kid|kids|pregnancy|pregnancies|baby|babies|son|daughter|first|second|2nd|1st"
        "|last|third|3rd)", "since (i had|having) (my|the) (babies|kids|children)",
        "since i had my (kid|kids|baby|son|daughter)", "since [i had] the twins",
        "desde mis partos", "desde el parto",
        "ya lo tenia", "ya lo tenia de antes", "de antes de operarme", "igualito", "for ages",
        "desde hace tiempo",
        "desde que tuve", "always had", "always have", "ive always", "always been", "for years",
        "as usual", "like usual", "like always", "as always", "normal for me", "my normal",
        "for a long time", "years ago", "siempre he tenido", "de siempre", "como siempre",
        "hace anos", "desde hace anos", "igual que siempre", "since i was", "my whole life",
        "for decades", "old problem", "same old", "last year", "a year ago", "el ano pasado",
        "hace un ano",
    ),
    "UNCHANGED": (
        "no ha (empeorado|empeorando)", "no empeora", "no esta peor", "no ha empeorado nada",
        "hasnt gotten [any] worse", "not getting worse", "isnt getting worse",
        "hasnt got [any] worse", "no se ha puesto peor", "same", "unchanged", "no worse",
        "not worse", "no different", "not different", "hasnt changed", "not changed", "no change",
        "better", "improved", "improving", "less", "igual", "lo mismo", "mejor", "menos",
        "no ha cambiado", "sin cambios", "sin cambio", "no peor", "not any worse", "isnt worse",
        "no mas que antes",
        "ni mejor ni peor", "no better no worse", "neither better nor worse",
        "no better or worse", "not better or worse",
        "nothing new", "no new", "not new", "nada nuevo", "nothing different", "la misma",
        "el mismo", "las mismas", "los mismos", "misma", "mismo",
    ),
    "WORSE": (
        "worse", "worsening", "increasing", "spreading", "new", "peor", "empeorando", "empeoro",
        "mas fuerte", "nuevo", "nueva", "getting worse", "more numb", "more often", "more now",
    ),
    # Hypothetical cues that need no other sign.
    "HYPO": (
        "dream", "dreamt", "dreamed", "dreaming", "nightmare", "sone que", "sone", "pesadilla",
        "en un sueno",
        "what if", "in case", "incase", "por si", "en caso", "en caso de", "what happens if",
        "watch for", "watch out for", "look out for", "look for", "signs of", "warning signs",
        "supposed to call", "told to call", "told me to call", "told us to call", "afraid of",
        "afraid to", "afraid i", "afraid ill", "scared of", "scared to", "scared i", "scared ill",
        "fear of", "worried ill", "worried i might", "worried i will", "worried about getting",
        "miedo", "miedo de", "miedo a", "prevent", "avoid", "to prevent", "para evitar",
        "when should i", "how do i know", "how will i know", "cuando debo", "what do i do if",
        "que hago si", "how to tell", "in the event", "could i get", "can i get", "risk of",
        "chance of", "chances of", "what are the signs", "should i expect", "is it common",
        "es comun", "que tal si", "y si", "what counts as", "what is considered",
        "what exactly counts as", "what exactly is",
        "what do you mean by", "que se considera", "que cuenta como",
        "(what|which) (temp|temperature|number|reading) (counts|is considered|means)",
        "counts as a", "cuenta como",
    ),
    # A question that then says the thing happened ("... tingly at night? it happened again").
    "HAPPENED": (
        "it happened", "its happened", "it has happened", "it keeps happening", "keeps happening",
        "happened (twice|again|once|today|yesterday|a few times|last night|this morning)",
        "ya me paso", "me ha pasado", "me paso (hoy|ayer|anoche|dos veces)",
    ),
    # "Is it bad if I can't feel ...": asks about the writer's own state, not a what-if.
    "OWN_STATE_Q": (
        "is it (normal|bad|ok|okay|serious|concerning|a problem|common|dangerous) (if|that|when)",
        "is it (normal|bad|ok|okay|serious|concerning|common|dangerous) (i|im|ive|my|for me to)",
        "es (normal|malo|grave) (que|si|cuando)",
    ),
    # "if"/"si" make a hypothetical only in a question or a request for advice; else habitual.
    "HYPO_IF": (
        "if", "si", "whether",
    ),
    "PSEUDO_IF": (
        "even if", "as if", "like if", "not sure if", "wondering if", "see if", "no se si",
        "como si", "check if", "dont know if", "idk if", "i wonder if", "unsure if",
        "not sure whether", "dont know whether", "asking if", "asked if", "wants to know if",
        "pregunta si", "asking me if", "asks if",
    ),
    "ADVICE": (
        "should", "shud", "call", "calling", "supposed", "worry", "worried", "do i", "what do",
        "happen", "happens", "would", "tell", "let you know", "contact", "go to", "er",
        "emergency room", "ed", "debo", "deberia", "llamo", "llamar", "hago", "pasa", "aviso",
        "avisar", "preocupo", "preocupar", "preocuparme", "normal", "ok", "okay", "expected",
        "need to", "tengo que (llamar|hablar|avisar|ir al hospital|ir a urgencias|ir al doctor"
        "|ir al medico|ir a emergencias|preocuparme|esperar|hacer algo|volver|regresar)",
        "que hago", "what to do", "911", "emergencia", "emergencias",
        "urgencias", "sala de emergencia",
    ),
    "QUESTION_LEAD": (
        "is it normal", "is it ok", "is it okay", "is this normal", "is that normal", "is it bad",
        "should i", "what", "how", "why",
        "when (should|will|can|do|does|is|are|would|could|did|shall)", "can", "could", "do i",
        "does", "will", "is there", "is it", "are", "es normal", "que hago", "que debo", "que pasa",
        "que significa", "que tal si", "cuando", "por que", "debo", "puedo", "tengo que", "hay",
        "any advice", "wondering", "question", "es malo", "esta bien", "is that", "is this",
        "do you", "should", "is",
    ),
    # Marks that the writer describes their own body (for questions and experiencer).
    "FIRST_PERSON": (
        "my", "mine", "im", "i am", "ive", "i have", "i feel", "i get", "i keep", "i got", "having",
        "this", "these", "still", "mi", "mis", "tengo", "siento", "estoy", "me", "ando", "traigo",
        "his", "her", "he has", "she has", "hes", "shes", "for me",
    ),
    # The writer is in the clause: after "my wife says", the symptom is the writer's.
    "SELF": (
        "i", "me", "my", "myself", "im", "ive", "mi", "mis", "yo", "mine", "id",
    ),
    # Someone else is the subject: "my friend said she was ...".
    "THIRD": (
        "he", "she", "his", "her", "him", "they", "el", "ella", "hes", "shes",
    ),
    "OTHER_PERSON": (
        "my (husband|wife|mom|mother|dad|father|son|daughter|brother|sister|friend|neighbor"
        "|neighbour|kid|kids|child|grandma|grandmother|grandpa|grandfather|roommate|partner"
        "|boyfriend|girlfriend|aunt|uncle|cousin|niece|nephew|dog|cat|coworker|boss|baby"
        "|grandson|granddaughter|mum|sis|bro|hubby)",
        "my (sisters|brothers|moms|dads|wifes|husbands|friends|neighbors|neighbours|sons"
        "|daughters|kids|grandsons|granddaughters|grandkids|grandkid|grandchild)", "wife", "wifes",
        "my (little|big|older|younger|baby|kid) (brother|sister|bro|sis)",
        "my (buddy|pal|coworker|boss|foreman)", "coworker", "coworkers",
        "the (lady|man|woman|guy|gentleman|resident|patient) (across|next|down|in bed|in the next"
        "|in room)", "another (resident|patient)",
        "(el|la|mi) (cipote|cipota|patojo|patoja|chamaco|chamaca|nene|nena|bebe|cunado|cunada)",
        "(el|la) (que|q) (tiene|tenia|anda con|esta con)", "(es|era) (el|la) (que|q)",
        "(mi|su) (viejo|vieja|apa|ama|jefa|jefe|ruca)", "(she|he) (the|is the|was the) one with",
        "mi (esposo|esposa|marido|mujer|mama|papa|madre|padre|hijo|hija|hermano|hermana|amigo"
        "|amiga|vecino|vecina|novio|novia|abuela|abuelo|tia|tio|primo|prima|perro|gato|nieto"
        "|nieta|suegra|suegro|companero|companera)", "someone", "somebody", "a friend", "alguien",
        "other patients", "people", "la gente", "otra persona", "my family", "mi familia",
        "everyone", "everybody", "husband", "hubby",
        "(fue|es) mi (marido|esposo|esposa|mujer|hijo|hija|mama|papa|hermano|hermana|nieto|nieta"
        "|vecino|vecina|cipote|cipota|patojo|patoja|chamaco|chamaca|nene|nena|cunado|cunada)",
    ),
    # Another patient compared with the writer ("my brother had the same fusion and ...").
    "OTHER_PATIENT": (
        "(had|has|got|getting|having|did) the same (surgery|operation|fusion|procedure|thing)",
        "same (surgery|operation|fusion) as me", "tuvo la misma (cirugia|operacion)",
        "la misma (cirugia|operacion) que yo", "se opero igual que yo",
        "que (tambien|tmb) (la|lo) operaron",
    ),
    # Close family: on the patient's own follow-up line, most often the patient being written for.
    "FAMILY": (
        "(my|mi) (mom|mother|mum|dad|father|husband|wife|hubby|grandma|grandpa|grandmother"
        "|grandfather|abuela|abuelo|mama|papa|madre|padre|esposo|esposa|marido|suegra|suegro)",
        "my (moms|mothers|dads|fathers|husbands|wifes|grandmas|grandpas)",
    ),
    # Plainly not the patient, even when the caregiver writes: pets and other patients.
    "NOT_PATIENT": (
        "(my|the|our|his|her) (dog|dogs|cat|cats|puppy|kitten|kitty|pup|pet|horse)",
        "(mi|el|la|su|nuestro|nuestra) (perro|perra|perrito|perrita|gato|gata|gatito|gatita"
        "|mascota|caballo)",
    ),
    # Working as it should: "bowels bladder all working like a swiss watch".
    "WORKING_FINE": (
        "(pee|peeing|pooping|poop|bladder|bowels|bms|bm) [is|are] (fine|ok|okay|good|normal)",
        "(everything|all|its|it is|everything is) under control",
        "(sensibilidad|fuerza) conservada", "sin deficit [motor|sensitivo]",
        "all working", "working (fine|well|good|normal|normally|great|ok|okay|like)",
        "(works|work) (fine|normal|normally|ok|okay|great|like)", "funciona bien",
        "funcionan bien", "todo funciona",
        "(make|made) it [to the] [bathroom|toilet|restroom] (every time|always)",
        "behaving [themselves|itself|fine|normally|well]",
        "[all|everything] in (good|working) order",
    ),
    # Strength coming back: "legs are stronger every day" answers the weakness question with no.
    "STRONGER": (
        "(doing|did|walking|walk|walked) [my] laps", "walking (every hour|every day|a lot|more"
        "|further|farther|without (the|my) walker|on my own)",
        "stronger", "getting stronger", "stronger every day", "mas fuerte", "mas fuertes",
        "mas firmes",
    ),
    # "ni con eso": not even with that; the "ni" does not deny what follows.
    "NOT_EVEN": (
        "ni con (eso|esto|la andadera|el baston|ayuda|las pastillas|la medicina)",
        "not even with (that|it|the walker|the cane|help|the pills)",
    ),
    # "no controlo como antes": not like before is a change, not a long-standing state.
    "NOT_LIKE_BEFORE": (
        "no (controlo|controla|puedo|puede|siento|siente|aguanto|aguanta) [bien] (como antes"
        "|como siempre)", "(not|no|isnt|arent|doesnt|dont) [work|working|feel|feeling] like"
        " (before|it used to|they used to|usual)", "not the same as before",
        "no (me|le) (responde|responden|funciona|funcionan|sostiene|sostienen) como antes",
        "(mas|más) (debil|débil|debiles|flojo|floja) que antes",
        "(cant|cannot|can not|no puedo) (hold|control|aguantar|controlar) (it|lo|la) (like|como)"
        " (before|antes)",
    ),
    # "acostada o parada igual": the same in every position is not a positional headache.
    "NOT_POSITIONAL": (
        "(acostada|acostado|sentada|sentado|parada|parado) o (parada|parado|sentada|sentado"
        "|acostada|acostado|de pie) igual", "no matter (if|whether|how) i (sit|stand|lie|lay)",
        "(lying|sitting|standing) or (sitting|standing|lying) (its|it is|the) same",
        "same (lying|sitting|standing) (or|and) (sitting|standing|lying)",
    ),
    # "hasn't happened since I was 5": new now, not over.
    "NEW_SINCE": (
        "(hasnt|has not|havent|have not|never) happened (since|before) (i was|childhood|i was a"
        " kid|i was little|i was small|forever|years|ever)",
        "(havent|have not|hadnt|had not|hasnt|has not|never) (done|had) that since (i was"
        "|childhood|forever|years)",
    ),
    # A joke or a mistake taken back: what came before it is not a finding.
    # Stopping something, not a symptom stopping: "I stopped that before surgery" (a medicine).
    "STOPPED_SOMETHING": (
        "(stopped|quit|stop|stopping) (that|the|taking|my|using|those|these|them|his|her|it"
        " before)",
    ),
    "RETRACTION": (
        "jk", "j k", "jkjk", "just kidding", "jus kidding", "im kidding", "only kidding",
        "kidding", "just joking", "im joking", "es broma", "era broma", "es chiste",
        "era un chiste", "no es cierto", "es mentira", "i meant", "what i meant", "turns out",
        "turned out", "but it was (just|only)", "pero era", "resulta que",
        "resulto que", "(era|eran|fue) porque", "(was|by|a) mistake", "i meant to say",
        "(answer|answered|typed|pressed) by mistake", "real is", "the real one is",
        "fue un error", "me equivoque", "quise decir", "(it|that) (didnt|did not|never) (happen"
        "|happened)", "no paso de verdad", "no fue real", "de la risa", "no actual",
        "(was|were) (just|only) (the|my|a) (sock|popsicle|juice|ketchup|paint|dye|marker|dream)",
    ),
    # Marks the score meant after a joke score: "10/10 would not recommend, actual pain a 3".
    "SCORE_CORRECTION": (
        "actual pain", "actually", "really", "real pain", "pain maybe", "pain is", "for real",
        "en realidad", "de verdad", "la verdad", "honestly", "fr",
    ),
    # After "my husband", these verbs mean he is reporting on the patient.
    "REPORTING": (
        "says", "said", "thinks", "noticed", "notices", "saw", "told", "told me", "tells me",
        "dice", "dijo", "nota", "noto", "vio", "me dice", "me dijo", "asked", "wants me", "checked",
        "looked at", "sees", "heard", "wants to know", "pregunta", "quiere saber", "helped me",
        "had to help", "me ayudo", "found me", "me encontro", "drove me",
    ),
    # A caregiver writes for the patient: "he", "she", "my wife" then mean the patient.
    "CAREGIVER": (
        "(its|it is|this is) (my|his|her) (dad|mom|mum|mother|father|husband|wife|son|daughter"
        "|grandma|grandpa|grandmother|grandfather|hubby|grandson|granddaughter|nephew|niece)",
        "(habla|es|soy) (la|el|su) (hija|hijo|nieta|nieto|esposa|esposo|sobrina|sobrino|nuera"
        "|yerno|mama|papa) (de|del)",
        "(le hablo|hablo|le llamo|llamo|le escribo|escribo|hablando|llamando) (por|de parte de"
        "|para) (mi|su) (mama|papa|madre|padre|esposo|esposa|marido|viejo|vieja|abuela|abuelo"
        "|suegra|suegro|hijo|hija|tia|tio)",
        "(la|el) (operada|operado) es", "(mi|su) (mama|papa|esposo|esposa|madre|padre|abuela"
        "|abuelo) (la|el) (operada|operado)",
        "(habla|le habla|escribe|le escribe|soy) (la|el|su) (hija|hijo|nieta|nieto|esposa|esposo"
        "|sobrina|sobrino|nuera|yerno)",
        "calling for (him|her|my mom|my dad|my husband|my wife)",
        # Relaying what the patient says, or opening a report to the clinician with the patient:
        # "mi mamá dice que ...", "doctor, mi papá no puede ...".
        "(mi|su) (mama|mami|ama|papa|papi|apa|esposo|esposa|marido|abuela|abuelo|abuelita"
        "|abuelito|suegra|suegro|viejita|viejito) dice que", "dice mi (mama|mami|ama|papa|papi"
        "|apa|esposo|esposa|marido|abuela|abuelo|abuelita|abuelito|suegra|suegro) que",
        "(la herida|la cicatriz|la espalda|el cuello|la pierna|las piernas) de (mi|su) (mama|mami"
        "|papa|papi|esposo|esposa|marido|abuela|abuelo|suegra|suegro)",
        "(doctor|doctora|doctorcito|doctorcita|enfermera|enfermero) [buenas tardes|buenas noches"
        "|buenos dias|buen dia|buenas] [aqui] (mi|la de mi|el de mi) (mama|mami|ama|papa|papi"
        "|esposo|esposa|marido|abuela|abuelo|abuelita|abuelito|suegra|suegro)",
        "(changed|change|checked|check|cleaned|clean|looked at) (my|his|her) (mom|moms|mothers|dad"
        "|dads|fathers|husbands|wifes|wife|husband|sons|daughters|grandmas|grandpas) (dressing"
        "|bandage|incision|wound|staples)",
        "le (cambie|cambio|revise|reviso|limpie|limpio|cure|curo) (el parche|la gasa|el vendaje"
        "|la venda|la herida|los puntos|la curacion) a mi (mama|papa|madre|padre|esposo|esposa"
        "|marido|abuela|abuelo|hijo|hija)",
        "this is his", "this is her",
        "this is (the|a) (wife|husband|daughter|son|mom|mother|dad|father|caregiver|nurse|sister"
        "|brother)", "im his", "im her", "i am his", "i am her", "im the caregiver", "caregiver",
        "on behalf of", "texting for", "writing for", "answering for", "replying for", "soy su",
        "le escribo por", "escribo por", "de parte de", "soy la esposa", "soy el esposo",
        "soy la hija", "soy el hijo", "soy la mama", "he had surgery", "she had surgery",
        "(he|she) had [his|her|the|a|back|neck] (surgery|fusion|operation)", "su cirugia",
        "su operacion", "lo operaron", "la operaron", "the patient", "el paciente", "la paciente",
        "patient is", "for my (husband|wife|mom|dad|mother|father|son|daughter)", "his wife",
        "her husband", "his daughter", "her daughter", "his son", "her son", "esta operado",
        "esta operada",
        "(husband|wife|mom|dad|mother|father|son|daughter|mum|hubby) had [his|her|the|back|neck"
        "|a] (surgery|fusion|operation)",
        "(esposo|esposa|mama|papa|hijo|hija|marido) (fue operado|fue operada|tuvo cirugia"
        "|tuvo la cirugia)",
    ),
    # Doubt keeps the symptom but asks a nurse to look (clinical-triage.md 4.3).
    "HEDGE": (
        "maybe", "might", "may be", "possibly", "probably", "i think", "think so", "not sure",
        "unsure", "dont know", "idk", "i guess", "hard to say", "cant tell", "seems", "seems like",
        "tal vez", "quizas", "quiza", "creo", "creo que", "a lo mejor", "no se", "no estoy seguro",
        "no estoy segura", "parece", "not certain", "could be", "puede ser", "i wonder",
        "wondering", "perhaps", "not sure if", "dont know if", "no se si", "wondering if",
        "unsure if", "idk if", "not sure whether",
    ),
    # Scope ends at these words: the clause after them is about something else.
    "TERMINATOR": (
        "but", "pero", "though", "tho", "although", "aunque", "however", "except", "excepto",
        "just", "only", "solo", "nomas", "other than", "besides", "aside from", "apart from",
        "sino", "still", "todavia", "which", "yet", "because", "porque", "cause", "so", "then",
        "luego", "also", "tambien", "plus", "except for", "instead", "now", "ahora",
        "mas que", "pues", "actually", "en cambio", "whereas", "while",
        # Someone's words reported ("not good, he said he wants to ...") or a "no" taken back
        # ("no wait yes my foot is numb").
        "said", "says", "saying", "told", "tells", "wait", "yes", "yeah", "yep", "yea",
    ),
    "LIST_OR": (
        "or", "nor", "ni", "o", "and or", "/",
    ),
    "LIST_AND": (
        "and", "y", "&", "e", "+",
    ),
    "YES": (
        # A check mark is a tick in the box: yes.
        "\u2705", "\u2714", "\u2611",
        "mhm", "mm hmm", "uh-huh", "one", "uno", "yes", "y", "yep", "yeah", "yea", "ya", "yup",
        "yes maam", "sure", "si", "1", "correct", "affirmative", "uh huh", "i do", "i have",
        "a little", "a bit", "little bit", "a little bit", "some", "sometimes", "kinda", "kind of",
        "un poco", "poquito", "un poquito", "algo", "mas o menos", "si tengo", "i think so",
        "think so", "yess", "yesss", "ye", "yah", "yas", "of course", "claro", "aha", "ajá", "aja",
        "si señor", "yes i do", "yes i have", "i am", "im afraid so", "unfortunately", "sadly",
        "press 1", "option 1", "#1", "a lot", "mucho", "bastante", "definitely", "absolutely",
        "sorta", "sort of", "slightly", "somewhat", "here and there", "on and off", "off and on",
        "a little on", "a bit on", "a veces", "aveces", "de vez en cuando", "every now and then",
    ),
    "UNSURE_ANSWER": (
        "not sure", "dont know", "idk", "maybe", "no se", "tal vez", "quizas", "possibly",
        "hard to say", "cant tell", "no estoy seguro", "no estoy segura", "creo que si", "i guess",
        "perhaps", "could be", "puede ser", "not certain", "dunno",
    ),
    # "no numbness in my groin, just my left toe": the symptom denied, then placed elsewhere.
    "EXCEPT": (
        "just", "only", "except", "except for", "apart from", "aside from", "but in",
        "solo", "solamente", "nomas", "nada mas", "excepto", "menos", "pero en", "sino en",
    ),
    # "Same" to a red-flag question: the same as last time, which only the history knows.
    "SAME_ANSWER": (
        "same", "the same", "same as yesterday", "same as before", "same as last time",
        "same as always", "still the same", "igual", "igual que ayer", "lo mismo",
        "sigo igual", "sigue igual", "same thing",
    ),
    "FILLER": (
        "um", "uh", "uhm", "umm", "er", "well", "ok", "okay", "so", "hi", "hello", "hey", "hola",
        "oh", "like", "good morning", "buenos dias", "buenas tardes", "pues", "este", "bueno",
        "thanks", "thank you", "gracias", "mm", "hmm", "ah", "eh", "mmm", "oye", "yo", "nurse",
        "doctor", "doc", "dr", "ma'am", "sir", "its", "it is", "answer", "press", "option", "reply",
        "response", "senora", "señora", "senor", "señor",
    ),
}
# fmt: on

# Whole words that answer a yes/no check-in question by themselves (answers.py); a reply with
# none of them and no finding is asked once more. The YES class above need not be repeated
# here: to a yes/no question, a reply it reads ("sometimes", "a veces") makes a finding.
# Keypad "1" and "2" are yes and no; calm words answer "anything new?" with a no.
# fmt: off
ANSWER_YES = frozenset({"yes", "yeah", "yep", "y", "si", "sí", "1"})
ANSWER_NO = frozenset({
    "no", "nope", "nah", "none", "never", "not", "nothing", "negative", "n", "nada", "ninguno",
    "ninguna", "ningún", "tampoco", "2",
})
ANSWER_CALM = frozenset({"fine", "good", "ok", "okay", "bien"})
# fmt: on
ANSWER_WORDS = ANSWER_YES | ANSWER_NO | ANSWER_CALM

# A caller confirms who they are only with one of these as the whole answer (or keypad 1):
# "yes but my wife is out" or "no" hears no health information.
IDENTITY_YES = frozenset({"yes", "yeah", "yep", "correct", "si", "sí", "claro", "soy yo"})
