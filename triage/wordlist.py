"""Real English words one typo away from a symptom word, so spelling correction leaves them be."""

# Derived from SCOWL (american-english, as packaged by Debian's wamerican): the words within
# one edit (two for words of ten letters or more) of a lexicon or cue word sharing its first
# letter, e.g. "grain" (groin), "talking" (walking), "inspection" (infection). Regenerate after
# changing the lexicon (it prints the new module):
# python -c "import triage.wordlist as w; w.main('/usr/share/dict/american-english')"
#
# SCOWL notice: Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify,
# distribute and sell these word lists, the associated scripts, the output created from the
# scripts, and its documentation for any purpose is hereby granted without fee, provided that
# the above copyright notice appears in all copies and that both that copyright notice and this
# permission notice appear in supporting documentation. Kevin Atkinson makes no representations
# about the suitability of this array for any purpose. It is provided "as is" without express
# or implied warranty.

from __future__ import annotations

import sys
import textwrap

_TEXT = """
abdomens abide abort abound absolutest accidental accidentals ached acing acmes acres acting
advise affirmation affirmatively affirmatives afternoons agent agonizingly aground airways alike
aline allays alter amebas amigos amino anaemic anemia angle angles anklet anklets answers anted
antis anvil anythings apter arbor arches arching ardent ardors arena arenas arias armor ashed
ashes ashing asides askew aster attach avoids backer badder bails baked balanced balances balds
bales balked balks ballsy balms bandaged banked bared barked barley barns basely basked
bathrooms batter batters bawls beater bedsides behinds belay belle bells berth beside betides
betted betters bettor bight bills billy bitter blacked bladders blander bleated bleed bleeping
bleeps blending blends blight blond bloods bloom blotted blows boated boded bolls bondage boned
booed booth borer bores bother bottoms bowed bower bowers bowls boxed boyfriends braced braces
bract braise braised braising brake brave bravo bravos brawn breach breaching breadth breathed
breather breathes breathiest breathlessly breaths breathy breeding breeds brief briers broker
brood brothel brothers broths browns brows bruiser bruises bucked bucking buckler bucklers
bugger bulls bully burdens burgs burnt burping burps burring burrs burying butter buttery
buttonhole cabling cache caching cadres cages cakes calking callings calming calms calve calved
calving cambia camera camping camps canes capes capped carbs cards cared caregivers caress caret
carets cargo caries carps carrot carry carts carves cases catchings catchy catting caused causes
caves cello chain chairs champ champing champs chanced chancel chancels chancy chanted chants
chapped charge charged charges charms chars chart chats cheat checker checks cheek cheeked
cheeky cheeps cheers chess chests chick chile chiles chili chilis chill chiller chilli chilly
chock chocked chocking choir choker chokers chore chores chose chowed chowing chuck chucked
cicatrix clamp clamping clamps clanged clapped clarity clash clause cleaned cleans clearer
clears cleat cleaved climber cloche clones cloud clouds coach coarse codas codes coding coffees
coffer coked cokes coking colas collapse collapses comas combing combs comer comers comet comets
comings commons completest conch cones consider considerate considers constipate constipates
constipating constituted constitution contacts contract controller controllers controls cooing
cooked cooking cooping copes copings copping copying cores coring corrects costs cotes couched
couching count county coursed courser courses courts cousins coves cowing coworkers cramming
cramped crams crapping craps crashing crass creeks crest crimp crimping crimps crones cropped
crouch crush crusting crutch cryings culling cunts cures curse curtain cuttings dados damps
daughters dding dearth deaths debit decade deceased decides decodes decrease decreases decrees
defends defied defies defiles definitively degree dehydrate dehydrates demos denier deniers
denims dented depend depresses depressing depressions depressive depth deriving devil diarrhoea
dibble dibbled dibbles dibbling difference differently digressing digression dipper dippers
dipping disappears discharged discharges distance distanced diving doctors dodos doings doling
doming donor doping dosing doting double doubles doublet doubted doubts dozing drabs drainer
drams drawn draws drays dregs dressings dribbler dribblers dries drinkings drinks drippings
drive driveways drivings drone drooping droppings drops drover droves drugging drugs drunk
drying dueled duels dumpy dyeing dyking easing elating electrically electrician electronic
emergence emery endings endued enduing enter entire entrap entry enure equilibrium escape ester
evacuations evens events excepts excerpt excruciatingly expects expert extra extremer extremes
faecal failing fails familial familiar fanny farther fathers fatigues fatter feather feeding
feeds feelings felling fells feral fetal feverishly fewer fiend filling fills filly finder
finders finer fingertip finny firsts fiver fleas flippy flood floors flora floras flour focal
folly foully founds fount fried friends fueling fuels fulling fulls functional funky fusions
gaging galas gaming gangs gargantuan gashing gassing gating gauge gauzy gazing genera generals
genial genie genre gentle gents gibes gibing girlfriends given givens gloom glues gluten gluts
goings goring gotta grades grads grain grains granddaughters grandfathered grandfathers grandmas
grandmothers grandpas grandsons grapes graphs grasping greats greed greens greet grins groan
groans grounds grown guest guests gutting hacker haler haling halving handled handler handles
handy hangs hanks hardily hardy haring harts haste hasty hater hating haunt haven havens hawing
haying hazing heading heady heals heaped heaping heaps hearing hears hearse heart heartaches
heartiness heating heave heaving heeds heeling hellos helms helper helpings helplessly hexes
hinds hiving hoard hoarser hobby homeless honcho hopelessly horde horrendous horribly horsed
horses horsey horsy house hunting hunts hurling hurls hurtling husbands improve improvements
improves improvident improvised improvising inaner incense inching incise incisor inclusions
increase increases increasingly incursions indecision inestimable inevitable infarction
infections infectious infer inferior infested inflame inflames inflated inflected inflection
inflections infliction infraction injected injection injections inoperable insider insides
inspection insupportable intenser inter interiors intestinal intestine intestines intolerably
intolerance issued jambs jellos jells jolly jumper jumpy keels keens killings kilning kinds
kinking kneed kneel kneels knowings labial laborer lacing laded lading laming lanced lander
larded lashing lasing lauded laughs lazing lazying leaded leading leads leafed leafing leafs
leakages leaky leaned leaning leans leaped leaping leaps leased leasing leaved leaving leeks
lightening lighting lightninged lightnings liking liming limpid linger lining listing littler
livings llama llamas llano locked lodger logger loner longed loomed looped loosed loosing looted
loping loser lovely lover loving lowed lowers lowing lusting macho macing major makings manes
mangos manor manors marking masking massed master mating matte matted matters mattes maxing
maybes mediation medicating medicinal meditation meditations memento memos mends menus meshed
messes metrication mighty migraines migrant miking milks misdo miserably missed moaning mocks
moment moments mooning mornings mothers mourning moved movers moves mower mucks mucous muscled
muscles mussed muter mutter nearby neatly needle needled needless negatived negatively negatives
neighbored neighborly neighbors nephews nerved nerves nervy nether newer niche nieces nights
nighty nomad nomads noodle noodled normalcy noshing notching nothings noting novas novice
novices numbers nursed nurses oaten ocher oozed opener openings operate operates operational
operations opine opined opining oppression options others otter overalls overdoes overdone
overdosed overdoses overnights oversight oversights overweight overwhelms pacts padres pager
pailful pails paint paints pairs paler palls pamper panel panes pangs panics pantaloons panty
papal papers papery parade paradox paralyses paralytics paralyze paralyzes pares parks parse
parsed parses parted parties partners party passel passer passes passing paste pasted pastes
pasts patent patents pates patientest pauper paused pavements pawns payer peeking peeling
peeping peering peeving penal pends penes peopled peoples pepped perfects peritoneum person
personae personal persons phoned phones phoney phony pickling pieing piles pintos pints piper
pipped pisses plains plant plants plopped points pointy poker polls poohed poohing pooled
pooling popping ports poser possible powder powers prate prates prefect preps present pressured
pressures pressurize presto prevents preys pricking prickle primal primate primates prime primp
print priors priory privateers privater privatest privatizes probable procedural procedures
promo prone propped provably public puffin puffins puffs pulls punts pupped purposed purposes
queer queerer questioned questioner questions quiet quine quire quits quota quote radiated
radiations ragas raised raises rajas rally rapid rapids rares reader realty reapplying reasons
recital reconvened recoveries recta rectums redden redress refraining regaining regally relaxed
relaxes relied reliefs relies relying remaining render rental repainting repay repaying repent
repented repenting repents replay replaying resale resolve resolver resolves respirator respire
responses responsive restraining retailing rethinking retraining revolved rights rigid rigor
robber robbery roommates rubbed rubbers rubier rudder ruining sabers sabre sacred sadden saddled
saddles sades safer sager sailed sales sallow sally salvo sanding saner sapping sarong saturate
saturates saver scabbing scaled scalloping scare scares scarfed scarred scooting scoots scored
scrips scrotums scuff seams seared seating seats seconds secretion secretions seeding seeds
seeing seeking seeks seeming seers selling sells senior sensational sensations sensed senses
sensor separate separately separates separation separations separatism separatist sepia
serenading serial serve setting sever severed severer severs shack shacks shades shady shake
shaken shaker shakers shaking shale shallow shalt shames shapes shard share shared shares shark
sharps shavers shaves shawl sheers sheet shell shelled shelling shells shies shill shimmering
shims shine shiners shines shiny shipped ships shirt shirts shits shitting shiver shivery shlock
shooing shook shoos shoot shootings shopped shore shores shorn shorting shots shout shouting
shouts shriveling shuck shucks shuns sided sidewalks sidewall sidles sieve sifter sifting sighs
signals significant silting singe singing sings sinks sipped siren sires sises sisters sites
siting sitter sittings sixes sizes skiff skill skins skipped skyrockets slabbing slabs slags
slaked slakes slaking slams slapped slats slays sleeking sleep sleeps sleeting sleets sleety
slides slinging slinks slinky slipper slipping slips slitting slivering slivers sloes slopped
slopping slops small smalls smelled smelling smelt smelts smiled smock smocks snaked snakes
snaking snaky snapping snaps snared sneak sneered sneezes sniff snipped snitch snitches snoots
snort snorts snuck snuff soakings soaped soaping soaps soared soaring soars sober socked socking
socks sodden soled solos solves someones sometime somewhats sopped sores sorts spared spatting
speaks spear speck spell spelled spelling spells spice spiced spied spike spikes spill spilt
spines spinet spins spiny spire spite spited spiting splat splatting spline splint splinting
splits splittings spoiled spool spools sport sports spotting sprain spraining stabbings stable
stables stabling stack staff staid stain staining staked stakes staking stale stales stall
standings stands stank stapled stapler staplers stared steak steaks steeping steeps stems
stepped steps stern stick sticks sticky stiffeners stiffs stile stills stilt stings stingy stink
stinking stinting stints stitched stock stocks stoles stomachs stomped stood stoop stooped
stoops stopper straggle straggling straighten straighter straights strains strait straitening
strand stranding stranger strangle strangling straps streak streaky streaming streams strengthen
strengths string stringing strip stripe stripes stript stropped strops struck struggled
struggles strung stubbing stuffiness stuffs stuffy stumble stumbler stumbles stunk subside
subsides subsidized suicides supine supports suppose supposedly supposes sureness surgically
sutured swabbing swaddle swallows swapping swaps swats swear swearing swears sweaty sweeping
sweeps sweet sweets swell sweller swellings swells swept swill swilled swilling swine swinging
switch switches swivelling swopped tacking taints takings talking talons taming tangle tangled
tangles tangling tango tanking tanks taping tared tares taring taser tasking taunt taxing teals
temperatures tempo tended tenders tenser tenting terribly testicle testing thanking thees theme
thermometers theses thick thine thing thinning thins thirds thongs thorough those threat three
throats throaty thunk thunks tickling tided tights tiled tills timed tinder tinge tinged
tingeing tinges tinging tinglings tings tinkle tinkled tinkles tinkling tipped tipping tires
toady toddy toiled toiler toilets toking tolls toner tongued tongues torch torched torches
torching torque torques touchingly touchings touchy tough tower trades traffics trammeling
transparency transparently trapped trapping travailing travel travelings travelling traversing
tricking tried tripled tripling trite troubled troubles trough truckling tumbler tumbles turbid
twink twinks unbearably unbeatable unbreakable uncles undoes unfortunate unfortunates unreadable
unsteadily unsuitable unties upped uppers uprights uptight urinates vaginae vends verge verse
verve vivid voiced voices voile vulvae vulvas wader wafer wafts wager waggle wagons waist waists
waiter waiting waits wakened wakening waking waling walling wander wandering wands wanes waning
wanking wanks warding warming warnings warping warring warts waster waters watts waver weaken
weaknesses wearer weaver weeding weeing weekending weepings weigh weighs weights weighty weirdo
weirs welting wended whale whams whereat wheres whets whetting whiled whiles whine whist white
whither whiting whits wholes whore whose wiggled wiggler wiggles wiggly wight wiling winced
wined winged wining winked wiring witch witting wobble wonders worded wording words wordy worker
workings world wormed worming worms wormy worrier worries worsen worsts worthiness worthy woulds
wounder wounds wrack wreak wrecks wrest wrests wriest wriggle wright wring writhing writings
writs wrongs wroth wrung yeahs yearn yearns yellows yeses yesterdays zincing zinger zipping
"""
REAL_WORDS: frozenset[str] = frozenset(_TEXT.split())


def collisions(dictionary: list[str], targets: set[str]) -> list[str]:
    """Dictionary words (not targets) one or two edits from a target with the same first letter."""
    from triage.normalize import distance

    by_letter: dict[str, list[str]] = {}
    for t in targets:
        by_letter.setdefault(t[0], []).append(t)
    found = []
    for w in dictionary:
        if w in targets or len(w) < 5 or not (w.isalpha() and w.isascii() and w.islower()):
            continue
        limit = 2 if len(w) >= 10 else 1
        if any(
            abs(len(t) - len(w)) <= limit and distance(w, t, limit) <= limit
            for t in by_letter.get(w[0], ())
        ):
            found.append(w)
    return sorted(set(found))


def main(path: str) -> None:
    """Print this module with its word list recomputed from a dictionary file."""
    from triage.spelling import lexicon_words

    with open(path, encoding="utf-8", errors="ignore") as fh:
        dictionary = [line.strip() for line in fh]
    words = collisions(dictionary, lexicon_words())
    with open(__file__, encoding="utf-8") as fh:
        source = fh.read()
    body = textwrap.fill(" ".join(words), width=96)
    start = source.index('_TEXT = """\n') + 12
    end = source.index('\n"""\nREAL_WORDS')
    sys.stdout.write(source[:start] + body + source[end:])


if __name__ == "__main__":
    main(sys.argv[1])
