"""One table per way of writing a red flag that unseen replies showed the rules missing.

Phrasings of our own (never a corpus sentence), each class with controls that must stay quiet:
the vocabulary is organised by body function (triage/concepts.py), so each row exercises a
concept rather than a sentence.
"""

import pytest

import triage

# (question, text, channel, expected code, expected tier); lang is read from the words.
CLASSES = {
    "caregiver writing in the third person without announcing it": [
        (
            "general",
            "its my dad, he went down in the garage this afternoon",
            "sms",
            "fall",
            "urgent",
        ),
        (
            "general",
            "es el esposo de la paciente, ella se cayo al salir de la regadera",
            "sms",
            "fall",
            "urgent",
        ),
        (
            "general",
            "he has the shaking chills again tonight and feels hot to the touch",
            "sms",
            "fever",
            "urgent",
        ),
        (
            "general",
            "grandpa soiled himself twice today and didnt notice",
            "sms",
            "bowel",
            "emergency",
        ),
    ],
    "urination in everyday words": [
        (
            "general",
            "havent passed water since breakfast and my belly aches",
            "sms",
            "bladder",
            "emergency",
        ),
        ("general", "he hasnt made water all day", "sms", "bladder", "emergency"),
        (
            "bladder_bowel",
            "i cant pass urine at all since last night",
            "sms",
            "bladder",
            "emergency",
        ),
        ("general", "no he podido hacer chis desde anoche", "sms", "bladder", "emergency"),
        (
            "general",
            "woke up and id wet the sheets, never happened before",
            "sms",
            "bladder",
            "emergency",
        ),
        ("general", "se me hizo pipi encima en la cama", "sms", "bladder", "emergency"),
    ],
    "bowels in everyday words": [
        ("general", "the poo comes out without me knowing it", "sms", "bowel", "emergency"),
        (
            "general",
            "made a mess in my pants twice, didnt feel a thing",
            "sms",
            "bowel",
            "emergency",
        ),
        ("general", "mi papa se ensucio en la cama y ni lo sintio", "sms", "bowel", "emergency"),
    ],
    "numbers written or heard oddly": [
        ("pain", "9\ufe0f\u20e3", "sms", "severe_pain", "urgent"),
        ("pain", "1\ufe0f\u20e30\ufe0f\u20e3 honestly", "sms", "severe_pain", "urgent"),
        ("pain", "1O", "sms", "severe_pain", "urgent"),
        ("pain", "prob a tin today", "sms", "severe_pain", "urgent"),
        (
            "wound_fever",
            "yes the fever was a hundred and too this morning",
            "voice",
            "fever",
            "urgent",
        ),
        ("pain", "it jumped from a 2 to an 8 since lunch??", "sms", "severe_pain", "urgent"),
    ],
    "the saddle area told by sitting or wiping": [
        ("general", "numb right where you sit on a bike", "sms", "saddle_numbness", "emergency"),
        (
            "general",
            "she cant feel the toilet paper when she wipes",
            "sms",
            "saddle_numbness",
            "emergency",
        ),
        ("general", "mis partes las siento como dormidas", "sms", "saddle_numbness", "emergency"),
        (
            "numbness",
            "yes my bottom is numb like after a long ride",
            "sms",
            "saddle_numbness",
            "emergency",
        ),
    ],
    "indirect suicidal talk": [
        (
            "general",
            "i keep thinking about the rifle in the basement",
            "sms",
            "self_harm",
            "emergency",
        ),
        ("general", "she wrote about wanting to die in a note", "sms", "self_harm", "emergency"),
        ("general", "been cutting myself with a blade again", "sms", "self_harm", "emergency"),
        ("general", "la verdad ya ni ganas de vivir tengo", "sms", "self_harm", "emergency"),
        ("general", "pienso en tomarme todas las pastillas", "sms", "self_harm", "emergency"),
    ],
    "medication that stopped working, told with anymore": [
        ("pain", "5, the norco isnt touching it anymore", "sms", "severe_pain", "urgent"),
        (
            "general",
            "the pain pills werent helping anymore last night or today",
            "sms",
            "severe_pain",
            "urgent",
        ),
    ],
    "a symptom denied in one place and placed in another": [
        ("numbness", "none in my privates, only in my right heel", "sms", "numbness", "urgent"),
        ("numbness", "no tingling in the feet, just my fingertips", "sms", "numbness", "urgent"),
        (
            "numbness",
            "no numbness in my legs, only down there by my bottom",
            "sms",
            "saddle_numbness",
            "emergency",
        ),
    ],
    "said plainly by people writing in a second language": [
        (
            "general",
            "my leg from knee to down is sleeping since last night",
            "sms",
            "numbness",
            "urgent",
        ),
        (
            "general",
            "right foot feels like wearing a thick sock, cannot feel the floor good",
            "sms",
            "numbness",
            "urgent",
        ),
        (
            "general",
            "head is breaking when i am vertical, horizontal is better",
            "sms",
            "csf_leak",
            "urgent",
        ),
        ("general", "when i drink i cough and voice is change", "sms", "swallowing", "urgent"),
        ("general", "he say he will jump from the balcony", "sms", "self_harm", "emergency"),
        ("bladder_bowel", "the poop come out without i know it", "sms", "bowel", "emergency"),
        (
            "weakness",
            "cada dia peor, ni con la andadera, las piernas no me sostienen",
            "sms",
            "weakness",
            "emergency",
        ),
    ],
    "a change told as not like before": [
        (
            "bladder_bowel",
            "la verdad no controlo como antes, se me sale",
            "sms",
            "bladder",
            "emergency",
        ),
    ],
    "an answer in faces or ticks": [
        ("pain", "\U0001f629\U0001f629", "sms", "severe_pain", "urgent"),
        ("weakness", "\u2705", "sms", "weakness", "urgent"),
    ],
    "positional headache without the medical words": [
        (
            "general",
            "my head pounds as soon as i get out of bed and its fine once i lie back down",
            "sms",
            "csf_leak",
            "urgent",
        ),
        (
            "general",
            "headache when im upright, goes away when i lay flat",
            "sms",
            "csf_leak",
            "urgent",
        ),
        (
            "general",
            "me duele la cabeza al pararme y se me quita cuando me acuesto",
            "sms",
            "csf_leak",
            "urgent",
        ),
    ],
    "breathing and the calf in other words": [
        (
            "general",
            "winded walking to the mailbox, can barely finish a sentence",
            "sms",
            "breathing",
            "emergency",
        ),
        ("general", "me da fatiga cuando camino a la cocina", "sms", "breathing", "emergency"),
        ("general", "feels like a truck parked on my chest", "sms", "breathing", "emergency"),
        ("general", "the cow on my left leg is hot and swollen", "voice", "dvt", "urgent"),
    ],
    "leg strength told by what happens": [
        ("general", "my foot keeps slapping the floor when i walk", "sms", "weakness", "urgent"),
        ("general", "se me doblo la rodilla bajando la escalera", "sms", "weakness", "urgent"),
        ("general", "my hand just lets go of my cup", "sms", "weakness", "urgent"),
    ],
    # Batch 8 (blind): shorthand, dictation, hedged and regional wording.
    "a denial taken back, or someone's words reported after it": [
        ("numbness", "nope... wait, actually my right heel is numb", "sms", "numbness", "urgent"),
        (
            "general",
            "shes not eating much, she told me she wants to die",
            "sms",
            "self_harm",
            "emergency",
        ),
    ],
    "veiled talk of ending it, and a weapon at hand": [
        (
            "general",
            "honestly id rather be dead than live like this",
            "sms",
            "self_harm",
            "emergency",
        ),
        (
            "general",
            "been taking the shotgun out of the closet at night",
            "sms",
            "self_harm",
            "emergency",
        ),
    ],
    "breathing in the clinic's shorthand": [
        ("general", "getting sob walking to the car", "sms", "breathing", "emergency"),
        ("general", "i cant finish a sentence without gasping", "sms", "breathing", "emergency"),
    ],
    "a question that tells of the writer's own symptom": [
        ("general", "is it normal im leaking pee when i stand up?", "sms", "bladder", "emergency"),
    ],
    "dictation's letter for pee": [
        (
            "bladder_bowel",
            "I couldnt hold my P on the way to the car",
            "sms",
            "bladder",
            "emergency",
        ),
    ],
    "a score now beside an older one, and a score meant": [
        ("pain", "an 8 this morning, last night 5", "sms", "severe_pain", "urgent"),
        ("pain", "es un 10 de verdad, antes era 3", "sms", "severe_pain", "urgent"),
    ],
    "regional Spanish for the body": [
        ("general", "siento dormido el fondillo desde ayer", "sms", "saddle_numbness", "emergency"),
        ("general", "no siento cuando orino, tengo que mirar", "sms", "bladder", "emergency"),
        ("general", "tiene escalo frios desde la tarde", "voice", "fever", "urgent"),
        ("general", "el dolor esta peor que nunca hoy", "sms", "severe_pain", "urgent"),
        ("general", "me corren calambres x la pierna izquierda", "sms", "radiating_pain", "urgent"),
        ("wound_fever", "la herida esta botando un agua clarita", "sms", "csf_leak", "urgent"),
        ("general", "le habla la nieta, mi abuelo tiene escalofrios", "sms", "fever", "urgent"),
    ],
    "a person on the floor": [
        ("general", "shes on the floor in the hall and i cant get her up", "sms", "fall", "urgent"),
    ],
    "emoji for a sign": [
        ("general", "\U0001f912\U0001f912 all night", "sms", "fever", "urgent"),
    ],
    "the calf misspelled": [
        ("general", "my left calve is swollen and warm", "sms", "dvt", "urgent"),
    ],
    # Batch 9 (blind): speech in regional English, clinical shorthand, rural Spanish.
    "a caregiver calling in Spanish": [
        (
            "general",
            "le hablo por mi papa, no le aguantan las piernas desde ayer",
            "voice",
            "weakness",
            "emergency",
        ),
    ],
    "clinical shorthand": [
        (
            "general",
            "c/o saddle anesthesia since last night",
            "sms",
            "saddle_numbness",
            "emergency",
        ),
        ("bladder_bowel", "incontinent of stool twice, didnt feel it", "sms", "bowel", "emergency"),
        ("general", "worsening SOB since this am", "sms", "breathing", "emergency"),
        ("general", "passive SI again tonight", "sms", "self_harm", "emergency"),
        ("wound_fever", "small dehiscence at the bottom of the incision", "sms", "wound", "urgent"),
        ("general", "orthostatic HA since POD 4", "sms", "csf_leak", "urgent"),
    ],
    "passing urine denied with ain't, or water not held": [
        ("general", "i aint peed since last night", "voice", "bladder", "emergency"),
        ("bladder_bowel", "he cant hold his water no more", "voice", "bladder", "emergency"),
    ],
    "wetting and soiling in rural Spanish": [
        ("bladder_bowel", "anoche me gano la orina en la cama", "sms", "bladder", "emergency"),
        ("general", "se hizo del baño en la cama y no se dio cuenta", "sms", "bowel", "emergency"),
    ],
    "short breath and threats of self-harm in Spanish": [
        ("general", "respiro cortito desde la mañana", "voice", "breathing", "emergency"),
        ("general", "dice que se va a matar", "sms", "self_harm", "emergency"),
    ],
    "looking up a dose": [
        (
            "general",
            "i looked up how many percocets would be too many",
            "sms",
            "self_harm",
            "emergency",
        ),
    ],
    "the calf heard as a cough, and a pounding head that lying down eases": [
        ("general", "my left cough is swollen and hot", "voice", "dvt", "urgent"),
        (
            "general",
            "my head be pounding when i stand up and when i lay down it ease off",
            "voice",
            "csf_leak",
            "urgent",
        ),
    ],
    # Batch 10 (blind): teenagers and parents, English as a second language, Spanish from the
    # Southern Cone, Venezuela and Spain.
    "self-harm in teenagers' slang, or found by a parent": [
        ("general", "ngl i wanna kms rn", "sms", "self_harm", "emergency"),
        ("general", "he keeps saying he wants to unalive himself", "sms", "self_harm", "emergency"),
        (
            "general",
            "this is his mom, i saw cuts on his wrists tonight",
            "sms",
            "self_harm",
            "emergency",
        ),
        (
            "general",
            "been counting how many of my pills it would take",
            "sms",
            "self_harm",
            "emergency",
        ),
    ],
    "body idioms translated word for word": [
        ("general", "urine is going out alone when i cough", "sms", "bladder", "emergency"),
        ("general", "my foot is sleeping since two days", "sms", "numbness", "urgent"),
        ("general", "i cannot take enough air since morning", "sms", "breathing", "emergency"),
        (
            "general",
            "i ask god to take me, i am burden to my family",
            "sms",
            "self_harm",
            "emergency",
        ),
        (
            "general",
            "groin area no sensitivity since yesterday",
            "sms",
            "saddle_numbness",
            "emergency",
        ),
    ],
    "Spanish of the Southern Cone, Venezuela and Spain": [
        (
            "general",
            "anoche me hice pichi en la cama sin darme cuenta",
            "sms",
            "bladder",
            "emergency",
        ),
        ("general", "no siento el poto cuando me siento", "sms", "saddle_numbness", "emergency"),
        (
            "general",
            "me duele burda la cabeza cuando me paro, acostado se me quita",
            "sms",
            "csf_leak",
            "urgent",
        ),
        ("bladder_bowel", "me lo he hecho encima sin notarlo", "sms", "bowel", "emergency"),
        ("general", "mi papa el operado se resbalo en la ducha", "sms", "fall", "urgent"),
        ("weakness", "la pierna derecha no me responde como antes", "sms", "weakness", "urgent"),
    ],
    # Batch 11 (blind): long letters, short answers to a call, Mexican texting.
    "talk of ending one's life behind a far denial or an if": [
        (
            "general",
            "i dont sleep much anymore i just lie there thinking about ending my life",
            "voice",
            "self_harm",
            "emergency",
        ),
        (
            "general",
            "they would all be better off if i took the whole bottle",
            "sms",
            "self_harm",
            "emergency",
        ),
        (
            "general",
            "ive been saving up my pills instead of taking them",
            "sms",
            "self_harm",
            "emergency",
        ),
        ("general", "mi hermano dice que mejor se mata", "sms", "self_harm", "emergency"),
    ],
    "swallowing and breathing after a neck fusion, in plain words": [
        (
            "general",
            "meat and bread catch halfway down no matter how much i chew",
            "sms",
            "swallowing",
            "urgent",
        ),
        (
            "general",
            "she chokes on thin liquids since the neck surgery",
            "sms",
            "swallowing",
            "urgent",
        ),
        (
            "general",
            "when i breathe in there is a squeaky noise my wife can hear",
            "sms",
            "breathing",
            "emergency",
        ),
    ],
    "a medicine stopped, not the symptom": [
        (
            "wound_fever",
            "sharp pain in my chest when i breathe in. i stopped that pill last week",
            "sms",
            "breathing",
            "emergency",
        ),
    ],
    "the bladder and bowels told by what happens": [
        (
            "bladder_bowel",
            "hard time getting started and I never feel like Ive finished",
            "sms",
            "bladder",
            "emergency",
        ),
        (
            "bladder_bowel",
            "staining in my underwear and I never noticed it happen",
            "sms",
            "bowel",
            "emergency",
        ),
        ("bladder_bowel", "se me hizo del 2 en la cama", "sms", "bowel", "emergency"),
        ("bladder_bowel", "no puedo hacer pee desde la mañana", "sms", "bladder", "emergency"),
    ],
    # Batch 12 (blind): care-home notes, blunt working people, clinical Spanish.
    "a care home's notes on its resident": [
        (
            "general",
            "resident found on floor next to the recliner at 0200",
            "sms",
            "fall",
            "urgent",
        ),
        (
            "bladder_bowel",
            "bladder scan 650 mL after 8 hrs, no urge",
            "sms",
            "bladder",
            "emergency",
        ),
        ("bladder_bowel", "stool smears in her brief twice, unaware", "sms", "bowel", "emergency"),
        (
            "bladder_bowel",
            "brief was saturated overnight, continent before surgery",
            "sms",
            "bladder",
            "emergency",
        ),
    ],
    "blunt words for the saddle and veiled self-harm": [
        (
            "general",
            "cant feel my pecker since this morning",
            "sms",
            "saddle_numbness",
            "emergency",
        ),
        ("general", "been thinking about eating my shotgun", "sms", "self_harm", "emergency"),
        (
            "general",
            "thought about driving the truck off the bridge",
            "sms",
            "self_harm",
            "emergency",
        ),
    ],
    "clinical Spanish": [
        ("general", "disnea subita desde hace una hora", "sms", "breathing", "emergency"),
        ("general", "disfagia a solidos desde ayer", "sms", "swallowing", "urgent"),
        ("general", "cefalea ortostatica que mejora en decubito", "sms", "csf_leak", "urgent"),
        (
            "bladder_bowel",
            "lleva 9 horas sin orinar y tiene globo vesical",
            "sms",
            "bladder",
            "emergency",
        ),
        ("general", "mi papa ya no quiere vivir, dice", "sms", "self_harm", "emergency"),
    ],
    "Spanish typed as it sounds": [
        (
            "bladder_bowel",
            "mi tia se orina en la silla y no se da cuenta",
            "sms",
            "bladder",
            "emergency",
        ),
        (
            "bladder_bowel",
            "el pipi se me sale solo aora en la noche",
            "sms",
            "bladder",
            "emergency",
        ),
        ("bladder_bowel", "no e podido urinar desde ayer", "sms", "bladder", "emergency"),
        (
            "bladder_bowel",
            "tampoco siento cuando tengo ganas de acer popo",
            "sms",
            "bowel",
            "emergency",
        ),
        ("bladder_bowel", "me ise en la cama y ni lo senti", "sms", "bladder", "emergency"),
        ("numbness", "tengo como agujitas en el pie isquierdo", "sms", "numbness", "urgent"),
        (
            "numbness",
            "se me duerme adentro del muslo y donde uno se limpia",
            "sms",
            "saddle_numbness",
            "emergency",
        ),
        ("weakness", "las piernas ya casi no las puedo mover", "sms", "weakness", "emergency"),
        (
            "wound_fever",
            "en las noches me dan frios y sudo mucho en la noche",
            "sms",
            "fever",
            "urgent",
        ),
        ("general", "ahorita me empezo a faltar el aire", "sms", "breathing", "emergency"),
    ],
    "older writers' euphemisms and relay English": [
        (
            "bladder_bowel",
            "I have not been able to spend a penny since breakfast",
            "sms",
            "bladder",
            "emergency",
        ),
        ("bladder_bowel", "WATER NOT COME OUT SINCE MORNING GA", "sms", "bladder", "emergency"),
        (
            "bladder_bowel",
            "had two accidents with my water and never felt a thing",
            "sms",
            "bladder",
            "emergency",
        ),
        ("weakness", "my legs just won't carry me this morning", "sms", "weakness", "emergency"),
        (
            "general",
            "a crushing feeling across my chest since tea time",
            "sms",
            "breathing",
            "emergency",
        ),
        (
            "general",
            "everyone would be better off if I simply wasn't here, and I've been counting my pills",
            "sms",
            "self_harm",
            "emergency",
        ),
        (
            "general",
            "some nights I think of throwing myself down the stairs",
            "sms",
            "self_harm",
            "emergency",
        ),
        (
            "bladder_bowel",
            "bowels not opened for five days and I'm bunged up",
            "sms",
            "constipation",
            "routine",
        ),
        ("general", "I slid off the commode and couldn't get back up", "sms", "fall", "urgent"),
    ],
    "measurers comparing with their baseline": [
        (
            "bladder_bowel",
            "peed the bed last night, haven't done that since I was a boy",
            "sms",
            "bladder",
            "emergency",
        ),
        (
            "general",
            "sharp catch in my left chest when I breathe in since noon",
            "sms",
            "breathing",
            "emergency",
        ),
        (
            "general",
            "my wife would be better off with the insurance money",
            "sms",
            "self_harm",
            "emergency",
        ),
        ("general", "keep my revolver under my pillow these days", "sms", "self_harm", "emergency"),
        (
            "weakness",
            "can't hold my coffee cup in my left hand anymore",
            "sms",
            "weakness",
            "urgent",
        ),
        (
            "general",
            "pills keep sticking halfway down since yesterday",
            "sms",
            "swallowing",
            "urgent",
        ),
        (
            "bladder_bowel",
            "all of a sudden my bladder let go in the truck",
            "sms",
            "bladder",
            "emergency",
        ),
        ("pain", "I'd put it at 9 right now", "sms", "severe_pain", "urgent"),
        ("pain", "pain? im 8 today", "sms", "severe_pain", "urgent"),
    ],
    "a recogniser's mishearings on a call": [
        (
            "wound_fever",
            "some green stuff oozing out of the in addition since last night",
            "voice",
            "wound",
            "urgent",
        ),
        (
            "bladder_bowel",
            "i cant hold my bow wells anymore it just comes out",
            "voice",
            "bowel",
            "emergency",
        ),
        (
            "weakness",
            "i need the walk her now and my knees keep giving way",
            "voice",
            "weakness",
            "emergency",
        ),
        (
            "numbness",
            "i have new mess in my left foot since this morning",
            "voice",
            "numbness",
            "urgent",
        ),
        (
            "pain",
            "the pain is mostly in my head when i sit up and lying flat it eases",
            "voice",
            "csf_leak",
            "urgent",
        ),
        (
            "bladder_bowel",
            "still waiting on my bowels to move havent gone since saturday",
            "voice",
            "constipation",
            "routine",
        ),
    ],
    "the health-anxious reader's own symptom": [
        (
            "weakness",
            "is it normal that I can't take my own weight since lunch??",
            "sms",
            "weakness",
            "emergency",
        ),
        (
            "general",
            "I wrote a goodbye letter to my kids last night, I didn't do anything",
            "sms",
            "self_harm",
            "emergency",
        ),
        (
            "general",
            "since lunch its hard to get a full breath in when I lie down, is that the swelling??",
            "sms",
            "breathing",
            "emergency",
        ),
        (
            "bladder_bowel",
            "he hasn't felt the need to pee all day, is that the drip?",
            "sms",
            "bladder",
            "emergency",
        ),
        ("pain", "its a 7 and the pills barely make a dent", "sms", "severe_pain", "urgent"),
        (
            "weakness",
            "my grip just isn't there, dropping cups since the neck op",
            "sms",
            "weakness",
            "urgent",
        ),
    ],
    "a family member relaying the patient's words in Spanish": [
        (
            "weakness",
            "doctora buenas tardes mi esposo se quiso parar del sillon y no pudo",
            "sms",
            "weakness",
            "emergency",
        ),
        (
            "numbness",
            "dice mi mama que ya no siente nada cuando se sienta en la taza",
            "sms",
            "saddle_numbness",
            "emergency",
        ),
        (
            "general",
            "mi papa dice que se le atoran las pastillas y no le entra bien el aire",
            "sms",
            "breathing",
            "emergency",
        ),
        (
            "wound_fever",
            "la herida de mi mama esta roja y caliente y le sale pus",
            "sms",
            "wound",
            "urgent",
        ),
        (
            "bladder_bowel",
            "dice mi abuela que le queda llena la vejiga aunque vaya al bano",
            "sms",
            "bladder",
            "emergency",
        ),
        (
            "pain",
            "dice mi suegra que le duele mucho la cabeza cuando se para y acostada se le quita",
            "sms",
            "csf_leak",
            "urgent",
        ),
    ],
    "Taglish and Filipino English": [
        ("numbness", "namamanhid po yung binti ko since kagabi", "sms", "numbness", "urgent"),
        ("bladder_bowel", "ayaw lumabas ng ihi ko po since umaga", "sms", "bladder", "emergency"),
        ("wound_fever", "may nana po sa tahi at mabaho ang sugat", "sms", "wound", "urgent"),
        ("general", "natumba ako sa CR kanina", "sms", "fall", "urgent"),
        ("general", "minsan naiisip ko tapusin ko na lang lahat", "sms", "self_harm", "emergency"),
        ("general", "hindi ako makahinga ng maayos", "sms", "breathing", "emergency"),
        ("wound_fever", "nilalagnat po ako since kahapon", "sms", "fever", "urgent"),
        (
            "general",
            "the medicine they gave me is not working at all, the pain is too much",
            "sms",
            "severe_pain",
            "urgent",
        ),
        ("general", "my chest is paining me since morning", "sms", "breathing", "emergency"),
    ],
    "Spanish calls through a recogniser": [
        ("wound_fever", "tengo liebre desde anoche", "voice", "fever", "urgent"),
        ("bladder_bowel", "no puedo o minar desde la manana", "voice", "bladder", "emergency"),
        (
            "general",
            "la tierna derecha la tengo hinchada de la panto rrilla",
            "voice",
            "dvt",
            "urgent",
        ),
        ("general", "me esta faltando el aire desde hace rato", "voice", "breathing", "emergency"),
        ("wound_fever", "en las noches tiemblo de frio", "voice", "fever", "urgent"),
        ("general", "me fui de poto en el bano", "voice", "fall", "urgent"),
    ],
    "drowsy and deadpan English": [
        (
            "general",
            "started writing goodbye notes to everyone, anyway how are you",
            "sms",
            "self_harm",
            "emergency",
        ),
        (
            "numbness",
            "he says he cant feel anything when he wipes",
            "sms",
            "saddle_numbness",
            "emergency",
        ),
        (
            "wound_fever",
            "oh just waking up in a puddle of sweat every night, very relaxing",
            "sms",
            "fever",
            "urgent",
        ),
        (
            "weakness",
            "tried to stand and my legs just wouldnt work",
            "sms",
            "weakness",
            "emergency",
        ),
    ],
    "Caribbean creole": [
        (
            "bladder_bowel",
            "mi cyaan pee from this morning, nutten nah come",
            "sms",
            "bladder",
            "emergency",
        ),
        ("numbness", "mi cyaan feel mi foot dem from yesterday", "sms", "numbness", "urgent"),
        (
            "general",
            "sometimes ah think everybody would be better off if ah just disappear",
            "sms",
            "self_harm",
            "emergency",
        ),
        ("numbness", "cyaan feel nutten when mi wipe", "sms", "saddle_numbness", "emergency"),
        ("general", "she cant pass her water since lunch", "sms", "bladder", "emergency"),
    ],
    "Portuguese mixed into Spanish or English": [
        (
            "bladder_bowel",
            "minha mae nao consegue fazer xixi desde ontem",
            "sms",
            "bladder",
            "emergency",
        ),
        ("numbness", "tô com a perna dormente desde ontem", "sms", "numbness", "urgent"),
        ("general", "estou com falta de ar desde a noite", "sms", "breathing", "emergency"),
        ("wound_fever", "tenho febre e a ferida tá vermelha", "sms", "fever", "urgent"),
        ("bladder_bowel", "fiz xixi na calça sem sentir", "sms", "bladder", "emergency"),
    ],
}

# Near-misses, jokes, retractions, pets and the past: they must stay calm.
CONTROLS = [
    ("general", "afebril, niega disnea, herida limpia", "sms"),
    ("general", "walked 3 kms today with the walker", "sms"),
    ("numbness", "niego parestesias, sensibilidad conservada", "sms"),
    ("bladder_bowel", "incontinent of urine at baseline, no change in pattern", "sms"),
    ("general", "the lady across the hall has a fever, mom is fine", "sms"),
    ("bladder_bowel", "is this stool softener ok to take with my other pills?", "sms"),
    ("wound_fever", "old dried blood on the gauze, nothing fresh", "sms"),
    ("general", "i have never had thoughts of ending my life", "sms"),
    ("bladder_bowel", "nel", "sms"),
    ("pain", "sunday 9, monday 7, today 3", "sms"),
    ("general", "mi jefa tiene calentura pero yo bn", "sms"),
    ("general", "me he caido en la cuenta de que la cita es el lunes", "sms"),
    ("pain", "before the operation 9, now 2", "sms"),
    ("bladder_bowel", "everything is under control, thank you", "sms"),
    ("general", "my little sister has a fever, not me", "sms"),
    ("wound_fever", "a bit of blood on the gauze two days ago, now dry", "sms"),
    ("general", "mi hermano se opero igual que yo y tuvo infeccion, yo nada", "sms"),
    ("wound_fever", "afebrile, incision clean dry and intact", "sms"),
    ("general", "my cough is a little better today", "voice"),
    ("general", "the only thing swollen is my ego lol", "sms"),
    ("bladder_bowel", "pee fine and bowels fine", "sms"),
    ("numbness", "my toes tingled before surgery, now theyre fine", "sms"),
    ("weakness", "pre-op foot drop, unchanged", "sms"),
    ("weakness", "walking laps every hour like they told me", "voice"),
    ("pain", "7 this morning, yesterday it was 9", "sms"),
    ("general", "mi vieja es la que anda con calentura, yo bien", "sms"),
    ("wound_fever", "my temp was 100.9 and went down to 98.6 after tylenol", "sms"),
    ("general", "the swelling in my feet went down overnight", "sms"),
    ("general", "my grandson has a fever of 102, i feel fine", "sms"),
    ("general", "yo estoy bien, la que tiene calentura es mi nieta", "sms"),
    ("general", "el cipote anda con fiebre, yo no", "sms"),
    ("pain", "this brace is killing me haha, honestly a 4", "sms"),
    ("general", "I feel like \U0001f4a9 today but nothing new", "sms"),
    ("bladder_bowel", "constipado, 4 dias sin obrar", "sms"),
    ("general", "my P.T. said I can skip a day", "sms"),
    ("wound_fever", "un poco de picazon alrededor de la herida", "sms"),
    ("general", "I sob at sad movies, otherwise good", "sms"),
    ("general", "I FELL... asleep during the movie jk", "sms"),
    ("numbness", "MY FEET ARE NUMB lol jk they are totally fine", "sms"),
    ("pain", "a 10 out of 10 for hospital food, the pain is really like a 2", "sms"),
    ("pain", "antes de la operacion vivia en un 9, ahora en un 2", "sms"),
    ("general", "the cat fell off the couch and is limping, i am fine", "sms"),
    ("bladder_bowel", "leaked once on day 2, none since", "sms"),
    ("general", "i cant go to PT tomorrow, no ride", "sms"),
    ("general", "is numbness normal after back surgery?", "sms"),
    ("wound_fever", "what temp counts as a fever, what do i do if i get one", "sms"),
    ("general", "i was winded the first week but now i do the stairs with no trouble at all",
     "sms"),
    ("general", "dreamt i fell off a ladder last night, woke up fine", "sms"),
    ("general", "the bandage fell off when i showered, incision looks dry", "sms"),
    ("wound_fever", "bruise by the incision is green and yellow now, no drainage", "sms"),
    ("numbness", "just numb right around the scar, legs and feet feel normal", "sms"),
    ("general", "doing my breathing exercises with the breathing thingy every hour", "sms"),
    ("wound_fever", "a few chills last night but my temp was 98.9", "sms"),
    ("pain", "on a 0-10 scale i'd say a 4", "sms"),
    ("weakness", "legs are getting stronger every day", "sms"),
    ("bladder_bowel", "little leak when i laugh, had it since my babies, no different", "sms"),
    ("bladder_bowel", "only little hard balls come out, like a rabbit", "sms"),
    ("numbness", "el pie lo tengo dormido igual que antes de operarme, ni mejor ni peor", "sms"),
    ("numbness", "negative on numbness, negative on tingling", "sms"),
    ("bladder_bowel", "waterworks and bowels both behaving, thank you", "sms"),
    ("pain", "around 3. pulse 88 and I'm 91 next week", "sms"),
    ("pain", "hoy un 2, ayer estaba en 8 pero ya bajo", "sms"),
    ("weakness", "ayer la pierna debil pero hoy amaneci bien", "sms"),
    ("weakness", "legs were shaky on Monday but I'm walking normally again now", "sms"),
    ("pain", "3 sets of 12 at PT, pain a 2", "sms"),
    ("wound_fever", "me dolian las piernas con agujetas despues de caminar, sin fiebre", "sms"),
    ("weakness", "I can barely shuffle to the toilet with the frame, legs no different", "sms"),
    ("numbness", "numb no nothing like that", "voice"),
    ("weakness", "yeah nah legs are good mate", "voice"),
    ("numbness", "what exactly counts as saddle numbness? mine feels normal", "sms"),
    ("general", "in addition to my walk i did the stairs today", "voice"),
    ("general", "mi esposo anda con gripa y calentura, yo estoy bien", "sms"),
    ("weakness", "no la puedo cargar nada nada, la bolsa del mandado pesa mucho", "sms"),
    ("general", "fever no um oh but the weather is nice", "voice"),
    ("general", "mi vieja dice que ya no le duele nada", "sms"),
    ("general", "ok naman po ako, walang problema", "sms"),
    ("wound_fever", "walang lagnat po, malinis ang sugat", "sms"),
    ("general", "mi nuh have no fever an di cut dry", "sms"),
    ("general", "nao tenho febre, a ferida tá limpa", "sms"),
    ("numbness", "nah numb again, it gone", "sms"),
]  # fmt: skip

ROWS = [(name, *row) for name, rows in CLASSES.items() for row in rows]


@pytest.mark.parametrize(("name", "question", "text", "channel", "code", "tier"), ROWS)
def test_the_red_flag_is_raised_with_its_words(name, question, text, channel, code, tier):
    a = triage.evaluate(text, question=question, channel=channel)
    assert code in [f.code for f in a.findings], (name, text, a)
    assert a.severity.name.lower() == tier or (a.needs_review and tier != "emergency"), a
    assert a.to_dict()["evidence"][code], text


@pytest.mark.parametrize(("question", "text", "channel"), CONTROLS)
def test_the_controls_stay_calm(question, text, channel):
    a = triage.evaluate(text, question=question, channel=channel)
    assert a.severity < triage.Severity.URGENT and not a.needs_review, (text, a)


# From the registered caregiver's number the webhook says who wrote (sender="caregiver").
SENDER_ROWS = [
    ("mi suegra se cayo al salir de la regadera", "fall"),
    ("my wife she fell on the stairs", "fall"),
    ("mom has had the chills all night", "fever"),
    ("her incision is red and leaking yellow stuff", "wound"),
]


@pytest.mark.parametrize(("text", "code"), SENDER_ROWS)
def test_from_the_caregiver_a_relative_is_the_patient(text, code):
    assert code in [f.code for f in triage.evaluate(text, sender="caregiver").findings]


@pytest.mark.parametrize("text", ["my dog fell off the porch steps", "el perro se cayo de la cama"])
def test_from_the_caregiver_a_pet_is_still_not_the_patient(text):
    assert triage.evaluate(text, sender="caregiver").findings == ()


def test_from_the_patient_a_relatives_fall_is_not_theirs():
    assert triage.evaluate("my wife fell on the stairs", sender="patient").findings == ()


def test_an_unknown_sender_is_refused():
    with pytest.raises(triage.TriageError, match="sender"):
        triage.evaluate("fine", sender="neighbour")


def test_same_is_settled_by_the_last_check_in():
    import datetime as dt

    same = triage.evaluate("same as yesterday", question="numbness")
    assert same.needs_review and same.findings[0].code == "numbness"
    then = dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC)
    had = triage.apply_history(same, [triage.PriorAnswer(("numbness",), None, then)])
    assert [f.code for f in had.findings] == ["numbness"] and had.findings[0].new is False
    clear = triage.apply_history(same, [triage.PriorAnswer((), None, then)])
    assert clear.findings == () and not clear.needs_review


def test_the_triage_replies_contract_takes_an_optional_sender():
    from triage.tools.cli import triage_line

    line = '{"id": "c1", "text": "my mom fell in the yard", "sender": "caregiver"}'
    assert triage_line(line)["findings"] == ["fall"]
    assert triage_line('{"id": "c2", "text": "my mom fell in the yard"}')["findings"] == []
    refused = triage_line('{"id": "c3", "text": "fine", "sender": "dog"}')
    assert refused == {"id": "c3", "error": "unknown sender 'dog'; expected patient or caregiver"}
