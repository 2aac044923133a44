"""Real words within a typo of a symptom word, so spelling correction leaves them be."""

# Derived from SCOWL (american-english, as packaged by Debian's wamerican) and the Spanish word
# list of Debian's wspanish: the words within one edit (two for words of ten letters or more) of
# a typo target, whatever the letter the edit hit, e.g. "grain" (groin), "talking" (walking),
# "inspection" (infection), "dumbness" (numbness), "pierde" (pierna). Regenerate after changing
# the lexicon (it prints the new module):
# python -m triage.tools.build_wordlist /usr/share/dict/american-english /usr/share/dict/spanish
#
# The Spanish word list is in the public domain.
#
# SCOWL notice: Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify,
# distribute and sell these word lists, the associated scripts, the output created from the
# scripts, and its documentation for any purpose is hereby granted without fee, provided that
# the above copyright notice appears in all copies and that both that copyright notice and this
# permission notice appear in supporting documentation. Kevin Atkinson makes no representations
# about the suitability of this array for any purpose. It is provided "as is" without express
# or implied warranty.

_TEXT = """
abarrar abastante abdication abdications abdomens abetter abierto abnormally abocado aborrecida
aborrecido aborrecimiento abound absolutest accedente accidental accidentals accidentar aciar
acing acotada acting acuchillada acuchillado addle addressing adolorada adolorado adonico
adormecedor adormecer adormimiento adraganto advise afecto affirmation affirmatively
affirmatives afirmativa afirmativo afonia aforada aforado afretado afretar afternoons afusion
agitador agonica agonico agonizingly agostada agostado agotador aground aguaitador aguaitar
aguante aguela aguelo aguija aguijada aguila aguisada aguisado aguista aguja agujal agujar
ahorro ahotada ahotado airways ajaqueca alamar alambre alegar alevantar alguanto alight alisar
allays allegar allen almodon amarguillo amarillear amarilleja amarillejo amarilleo amarillor
amarillura amarrar amartillar amino amonica amonico amortecimiento amount anaemic anaesthetize
anaesthetized anaesthetizes anana anemia anemica anemico anestesiar anestesica anestesico
anestesista anesthetize anesthetizes angles angra angustiador angustiadora angustiar angustiosa
angustioso anicos animo animosa animoso animus anisar ankle anklet anklets anormal answers anted
anterior anythings aparrar apena apenar aperada aperado apestar aping aplaciente aporretado
aposta aprendedor apresar aprestar apretada apretadero apretadizo apretador apretadora apriesa
aprieto apuesta apuesto aquela aquelo aquesto arada arado arching arenas aresta arido arieta
aright arming arrastrada arrastrado arrastrante arrastrar arrastre arriendo arrostrado asado
aseguir asentada asentado asentir ashing asiento aspiracion astilla asuelo atender atenedor
atonica atonico atordecimiento atormecimiento atragantar attach atumecimiento aturada aught
augita avaluacion avesta aviar avilar avispar avistar avivar awaking ayuda ayudar ayunque azoche
azotada azotado azuela backer backsides backslide backslider backslides badder bagged bajonado
baked baking balanced balanceo balances balante balked balking balling banana bandaged banded
banging bangles banked banned barged barked barley basely basked basking bastamente bastantear
bastanteo bastantero bastilla basting batches batching bather bathrooms bating batter batters
battle baying beaked beaker bearing beater beating bebda bebeda beberia bebido bebienda bedder
bedrooms bedsides beeping befre behinds belida belief bellow benched bender bending beside
bethinking betides betted betters betting bettor bight billing billows binged binging bitching
bitter blacked bladders blander blankest blanket blasting bleed bleeping bleeps blending blends
blight blistering blood bloods bobillo bocada bocazo bochado bocudo boiled boiling bolado
bondage bonged boodle boodles booked boozing bopped bother bottled bottles bottoms boughs
bounding bounds bowel bowers bowls boyfriends bragging brained braining brains braise braised
braising brasero bravos brawling brazo breach breaching breadth breathed breather breathes
breathiest breathlessly breaths breathy breeding breeds breezing brete brick brief briers
brightness brinks brisks brocado broke broker brothel brothers bruiser bruises brumal brunched
brushing bruta bruzos bucked bucket bucking buckler bucklers bucle buena bueno buffing bugger
bulled bulling bumble bumbled bummed bumper bunches bunged burdel burdens burped burping burring
burying bushing butron butter buttery butting buttonhole buttons buzzed buzzer buzzers caballo
cabaza cabera cabezal cabezo cabillo cabio cabling cacera caches cachillada caching cadena cader
cadira cagada caiman cajera caking calabre calabres calado calces caldera calentito calenturon
calenturosa calera cales caleza calking callings callon calma calmar calming calon calve calved
calvez calving calzo calzoneras camarilla cambado cambia cambiada cambiadizo cambiador
cambiadora cambiazo cambil cambin cambizo cambo camello camera camiar camibar camilo camini
camio camion campanero camping camps canada canado canana candado candle canera cangre canino
cannon canonizing cantada canted canting capped capping carada carado cared caregivers carera
caret careza cargado carinar carino carme carminar carpe carped carpel carpeta carpets carts
carves casada casado casera casino castilla casting catcher catchers catchings cateter catheters
catino catting cavado caves caving cayado cazon ceatica cecina celambre cello cenido cenital
cerdoso cerra cesta chamarro chamorra champing champs chanca chanced chancel chancels chanco
chancy changa changing changle chanted chants chapped charge charged charges charming charms
charro chars chart chartering chastening chats checker checks cheek cheeked cheeky cheeps cheers
chiles chilis chill chilla chiller chilli chillo chilly chinking chinks chocked chocking chocks
choke choker chokers chores chorlo choro chorra chorrear chorrel chorreo chorrera chorron chowed
chowing chucked churro cianica cianico cicatrix cicatrizal cicatrizar ciente ciento cierna
cierre cierro cierta ciertisimo cierva cinchazo cincho cister cistico clamar clamping clamps
clanged clapped clapping clarity clattering clavito cleaned clearer cleaved cliente climber
clipped clipping clocked clones cloning clopped clopping cloud clouds clovers cloves cloying
cluttering coarcho coarse coarsening coartada cobrado cochillo cocho cocida codera coding
coffees coffer cogida coiled coiling coked cokes coking colado colambre colchada colchado
colgada colgador colgajo coligado collado collapse collapses colmado comando combing comedon
comento comers comica comido comings comino comiza commodes commons comoda companeria companiera
companiero companuela completest compon compradera compradero compresion concealing conceiving
concertina concerting concertino concho concreta concreted concretely concretes concreting
concreto concurring condemning cones confeccion confection conferring conserving consider
considerada considerado considerar considerate considers constipacion constipate constipates
constipating constipativa constipativo constituted constitution contacto contacts contada
continence continencia continente contract contralar contrallar controller controllers controls
converging conversing converting cooing cooked cooking cooped cooperacion cooperante cooperated
cooperates cooperation cooperative cooping copelacion copin copina copings copino copped copping
copying coquito corada corcha corche coring corked corking cornada corning correa correcta
correcto corrects corregente corro corroyente corse cortado corton corvada cosida cosquillar
cosquillear cosquillejas cosquillosa cosquilloso costado costera costly coston costra
costrenimiento coton cottons couched couches couching cough count county coupe coupled couples
couplet coursed courser courses courts cousins covens cover coverall covert coverts coves covets
coveys cowers cowing coworkers crabbing cradling cramming cramp cramped crams crapping craps
crashing creaming creeks cremometro cresta cricks crimping crimps crinado crinar crones cropped
cropping crouch cruenta cruise cruised cruising crusting crutch cryings cuado cuanta cuanto
cuchilla cuchilleja cuchillejo cuchillero cuchillon cuclillo cueita cuelmo cuenca cuenda cuento
cuesa cueslo cuestas cuestion cuesto cuffing cuitado culled culling cunado cuneta cunning cunts
curse curtain cushions cuttings dadera dallen dandle dandles dangerously dangle dangled darning
dating daughters dealing dearly debida decada decade deceased decides decodes decrease decreases
decreasing decrees decremento dedicacion dedication dedications defecto defends defied defies
defiles definitively degree dehydrate dehydrates demasiada denier deniers denims dentada dentado
dented dentro depend depresses depressing depressions depressive deriving desacertar desahumada
desahumado desalinada desalinado desamigada desamigado desaparear desaparejar desaparicion
desapestar desapretar desatinada desatinado desavisada desavisado descargada descargadas
descargar desecho desertar desesperanza desesperar desopresion desparecer despelotar despepitar
desperacion desperar desperecer despernar despertador despondent destemperada destemperado
detaining detencion detener detention detentions diaprea diarrhoea diarria dibble dibbled
dibbles dibbling diente difference differently dificultador dificultar digger dignificar
digressing digression dinging dipper dippers dipping disappears discharged discharges dispertar
disproving dissed dissing distance distanced distending ditching diving dobla doblar doblon
docto doctora doctors dolled dolorida dolorido domida doming dongles doodle doodles doping doria
dormidor dormir dosing dotor double doubles doublet doubted douched douches douching dowels
dozing dragar drain drainer drawling drenches dressings dribbler dribblers drinkings dripped
drippings driveways drivings drools droop drooped drooping dropper droppings drops drugging
drunks drying duckling ductor dueled dulled dulling dumber dumbness dumped dunning dwelled
dwelling early earning easing eatery ecepto editar educations efeto efusion eight either elating
electo electrica electrically electrician electricista electrico electriz electrizar electronic
elephants elides emaciacion emergence emergencia empajada empanada empanado empapar empapelada
empapelado empara empedrado empedrador empegar empelar empenar empeorar empero empetro empopada
empozar enable encase encia encimar encina enciva encontinente encontrado encontron encornudar
endereza enderezado endina endings endino enduing endurecimiento energica enfurecimiento
enmohecimiento enmudecimiento enrarecimiento ensuciar ensure entado entontecimiento
entormecimiento entorpecimiento entrana entrano entrepernar entrepiernas entrepuerta entrometida
entrometido entrometimiento entropiezo envejecida envejecido envejecimiento enzima eolito
equilibrado equilibrar equilibrismo equilibrium eradicates eradicating erecha erecto ermine
escajo escala escalla escalo escalofriado escama escampo escana escano escapar escape escapee
escapees escara escaro escarpa escasa escaso escaza escopo escorchado escosa escriba escrino
escrito escudo escupir escuro escurra escuso espada espaldar esperacion espertar espesa espeso
espiracion espirar espora esporo esposar esposas espumar espumea estadia estala estallar estallo
estarna estrange estregamiento estrenuidad estria estribo estropiezo etching evacuation
evacuations evaluacion evaluar evaluation excepta excepts excerpt excrement excremental
excrementar excrementosa excrementoso excruciatingly execramento expects expert expiracion
exploded explodes explore explotar expounding expression extranar extrema extremer extremes
extremo eyaculacion fablar fabril faciente factually failing fairway faking falla fallar falter
familial familiar familio farming farther faster fasting fathers fatigues fating fatten fattier
fearing feather feder feeding feelings felling fellow fender fending ferida fetter feverishly
fewer fiend fierra filling finchada finchado finchazon finder finders finer fingertip fingir
finis fision fitter fitting fiver fizzling flapped flatter flattering flaying fleas flema
flipped flipping flippy flocked floja flojo floras fluid fluida fluido flutes foiled foiling
folder folding folgado fomento fonder fonica fonico forded forked forking formal formally
fortunately fosada foundering founding founds founts freeing fried friends fright frigida
frigido frizzing froth froths frutal frying fueling fuente fuera fueras fulled fulling fumble
fumbled funcion funcional funcionar functional fusions futura future futures fuzzes fuzzing
gabbing gaging gainful galling gaming ganged ganging gansada garbles gargajeo gargantada
gargantear gargantera garganteza gargantona gargantuan gargaro garrar gashing gassed gassing
gather gating gazing gearing geeing gender genera generala generals generar genial genies
germana germano gesticulosa gesticuloso gibing giggle ginger girlfriends gismos gladder glande
glides glisten glistening globes gloom glove gloved glues glutea gluten gluts gotica gotta
gozquillas gracia grade grades grado gradosa gradoso grads graduating grain grains grance grand
granda granddaughters grandee grander grandez grandfathered grandfathers grandisona grandisono
grandmas grandmothers grandparent grandpas grands grandsons grange grapa grapes graphs grasero
grasping graveling gravelling gravels gribble gribbles griefs grins gripped gripping groan
groans grounds groves grown grubbing gruera gruero grues guando guello guita gulled gulling
gunning gurapas gurbio gushing gutting habar habla haciente hacked hakes halar haling hallar
hallow halves halving hamming handbags handed handing handled handler handles hanged hangings
hanks happenings hardily hardy haring harking harping harts hasting hatches hatching hating
hatter haven havens hawing haying hazing heading heaped heaping hearing hearkening hearse
heartaches heartiness heating heaving heeling height helper helpings helplessly hender heria
herido hermanal hermanar hermania heroida hervida hiebre hierra highs hills hincha hinco hinging
hings hissed hissing hitching hitting hiving hoarser hocks hoeing holdings holgado holing
homebody homeless homing honcho hones honing hooding hooked hooped hooping hooting hoots
hopelessly hopped hopping hording hormiguear hormiguela hormiguera hormiguesco hormiguita
hornaguero horrenda horrendous horribly horrifica horrifico horro horse hosing hounding hounds
hovers huelga huello huerta huerto hulled hulling humble humbled humped hunched hunting hurling
hurtling husbands hushing hyping idealizing iliquido impaciente impio imply impossibly
impounding impression improbably improperly improve improvements improves improvident improvised
improvising inafectada inafectado inane incense inching incise inciso incisor inclusions
incompletely incomportable inconfidencia inconfidente incontinenti increase increases
increasingly incremento incursions indecision indefinitely indeseable indication indications
indifferent inestimable inevitable infarction infeccionar infecciosa infeccioso infections
infectious inferior inferna infested infima infinitely inflamador inflamadora inflame inflames
inflated inflected inflection inflections infliction informally infraccion infraction ingle
ingles ingustable injected injection injections inmision inodora inoperable inpatients insana
insaner insano insensibilidad insider insides insobornable inspeccion inspection inspiracion
instable insupportable insure intemperatura intensa intenser intenso intentions interina
interiors intern internal internar interne interno interns intestina intestinal intestine
intestines intimar intimo intolerably intolerance intolerante inyeccion inyectable irradiates
irradiating issue issued izquierdear jacked jangles japing jaquesa jaqueta jetting jigger jiggle
jingle jingled jingles jingling jiving jolito jumble jumbled jumper juntas jutting keeling
keeping killings kilning kingly kinking kissed kissing kitchens knaves knifes knowings labio
laboreo laborer laces lacing lacked ladder laded ladera lading laminar laming lamparilla lanced
lande lander lapped lapping larded lashing lasing latches latching lather latter lauded laughter
lazing lazying leaded leading leafed leafing leakages leaned leaning leaped leaping leased
leasing leaved leaving legalizing legar legua lender lending lenguaz lenguda letter letting
levantador levante lever levers licking liebre liento lightening lighting lightly lightness
lightninged lightnings liking liming limpia limpid limpido limpion limply linger lingers lining
linterna lipreading liquida listed listel listens listin listing liston littler livings llagar
llama llamas llamear llanta llapar llega llenar llevar locked lodger logger lolled loner longar
longed longor loomed looped looping loosed loosing looted loping lopped lopping losada losina
losino lovely lovers loves loving lowing lowly lubber ludada luello lulled lulling lumber lumped
lunched lusting luteo lutes lying macana macing madera magana maido majada majado makings manada
manageable manaza mangana manged mangles manido manna manzana mapping marana marble marbled
marinating marino marking marrido martes masking massage massed master matches matching mating
matte matted matters mattes maxing mayido mazana mediation medicacion medicamentosa
medicamentoso medicating medicinal medicinar medidamente meditacion meditation meditations mejor
mejoria mellow memento memorar mender mendicacion mending mengua menorar mentada mentado mentido
mentir merdoso mesada meshed messes metrication miasmas miente mientra mierra mightiness
migraines migrant miking milgrana milling minded mingle mingled mingles mingling mingrana
miserably misma mismo missed missing mister moaning mochas moderacion moderation modicamente
mohada moistening moistly mojador mojama molada molded molding moment moments monada monger
mooning moping mopped morada morado mornings mothers motin motril motriz mottle mounding mounds
mounts mourning movers mucha mudada muera muerdo muergo muermo muerte muffing mujada mulled
mulling mumble mumbled munched murido murta muscled muscles mushing muslo mussed mutter mutton
naciente nalga nalgar napping naught nearby nearing neatly needle needled needless negativa
negatived negatively negatives negativo neighbored neighborly neighbors nengun nenguna nenguno
nepente nephews nerveo nervino nervosa nervoso nether netter netting never nicking nigger niggle
noche nolito noodled norial norma normalcy nortada noshing nosing notching nothings noting
novice novices nuerza numbers numbs nutting obedecer obrada obrador occidente oiled oiling
omento ominar oodles oolito opcion opener openings operador operate operates operational
operations opinar opined opining oporto oppression options opuesto ordinar ordination orina
orinal ornar osada ostion other outsider outsides outsize overalls overdoes overdone overdosed
overdoses overnights overs oversight oversights overweight overwhelms pablar pacada pacado paces
packed paddle padeciente pagina pailful pajada pajado palaces palada palado palled palling
panada panado panalon pantalan pantalonera pantalonero pantaloons panted panting pantorrillera
pantorrilluda papada papado paraba paraca parade parador paradox paralasis paralizador
paralizadora paralyses paralytics paralyze paralyzes paramo parao parata parce parda pardo
pareada pareado parecer pareciente pares parida pariente parpado parque parrada parrado parsed
parses parson parte parted parties partners parts parvada pasada pasador pasmado passages passe
passel passer passes passing pasted pastes pasting pasudo patada patches patching patent patents
pates patientest patilla patter pausado paused pavada pavements paving payada paying peaces
peaked peaking pealing pearly pebble pebbled pecado pecina pedido peeking peeling peeping
peering peeving pegado pegunta pelada pelado penada penado penalizing pender pending penora
pensada pensado peopled peoples pepped perada perdon perfecta perfecto perfects perinear
peritoneal peritoneum permana perna perque perrona personae personal persons pertain pertaining
pesador pescada pescado petting petty phones picking pickling pieing pieria pierio piked pilled
pilling pillow pimply pincho pinging pintos piping pipped piquete pisada pisses pitching pitting
place placed placel placer placers placiente plana planes planeta planga plant plantar plante
plantia planto plants plasta plata plates playing plegar plopped plopping pluteo poder podia
podio podrida podrir polder polido polled polling ponder pondering ponds ponque ponto poodle
poodles poohed poohing pooled pooling popping poquita pored portada posada posado posing
possible postilla postura potion pouched pouches pouching pouncing pound pouted powders powdery
power prado prates predicamento predication prefect preguntar preguntona prension presada
presado present pressing pressured pressures pressurize presto presunta pretension prevencion
prevention prevents pricking prickle prickles pricks prieta primate primates prision priste
privada privateers privater privatest privatizes probable procedural procedures prono pronta
property propped propping prosada proto provably provena prying puerta puerto puesta puffin
puffins puller pulles pullet pulley pulped pulping pulsed pulsing pumped punched punning punta
puntal puntar punto puntosa puntoso punts punzada pupped purled purling purposed purposes
putting queer queerer questioned questioner questions quiebro quier quiet quieta quiete quiets
quijero quinado quinto quire quistion quisto quita quitador quitar quito quiton quiza rabido
racked radiante radiata radiated radiations ragging raido rained raining rains raking rally
ramps ranged ranging rankles ranted ranting rapid rapida rapids raping rapped rapping rarely
rasero rasping rather rating raveling ravels raving rayido reader realism realist realized
realizes realty reaparecer reapplying rearing reasons reaventar recaida recentar recial recital
reclinar recline reclined recliners reclines reconsidered reconvened recorrer recorte recoveries
recreacion recremento recta rectar rectums redden redencion redress redressing reeling
reencuentro refraining regaining regally regentar regente regression relamer relaxed relaxes
relengo relente relentlessly relied reliefs relies relying remaining rendaje render rending
renido rentada rentado rental repainting reparacion repaying repent repented repenting
repentista repentizar repents repinte replaying repregunta reprension represion repressed
repression repressions repunte requemazon resada resale resbalon rescuentro resides resinacion
resolutely resolve resolver resolves respigar respigo respirador respiration respirator respire
respond responded respondent respondents responder responding respondon respondona responds
responsear responseo responses responsive responso restraining restrinimiento restrooms
retailing retal retejer retenir retentar rethinking retiracion retouching retraining retumbar
retumbo revacunacion revenar reventa reventador rever revere revolved reyente ricking ricks
riente right rightness rigid rigor ringer ringers ringing ringle ripped ripping risada riste
robada robber robbery rocada rodada rodillo rogada roiled roiling rojizo roller rooked roommates
ropilla roping roques rosado roscada rosilla rosquillero rotten roughed roughing roughs round
rounding rounds rovers rowels rubbed rubbers rubier rudder ruello ruffing rugida rugido
ruination ruining rumble rumbled ruminating rumination rushing rutting saciar sacked sacred
sadden saddled saddles sailed sailing saleron salia salica salida saliente salina salival
salivar sallow salmeron salseron salva salves salvia samarilla sandbag sandbars sanded sanding
sangrar sangria sapido sapped sapping sarong sassed sating sativa saturate saturates saving
saying scabbing scaled scaling scalloping scalping scare scares scarfed scarred scattering
scolding scooting scoots scoping scored scrapped scratch scratching scrawling scream scribbling
scrips scrotums sealing seared searing season seated seating seats secon seconds secretion
secretions secura seeding seeing seeking seeming segur segurar seguron selling sells senada
senado senara sencido sender sending senera seniora senor senoria sensacion sensational
sensations sensibilizar sentar sentencion sentida sentidor seora separate separately separates
separation separations separatism separatist separativa separativo serenading serous serpentina
serpentino servio sesada setter setting sever severa severed severer severo severs sexting
shacks shades shading shake shaken shaker shakers shallot shallows shames shaming shanks shapes
shaping shared shares sharing sharking sharpening shattering shavers shaves shaving sheers sheet
shelled shelling shells shilled shills shimmering shiners shipped shipping shirts shitting
shiver shock shooing shoos shoot shootings shopped shores short shorting shots shouting shouts
showed showery showier shriveling shucks shuttering sicking sides sidewalks sidewall sierra
sifter sifting signals signar significada significado significant significar silente silting
simple singer singers singing single singled singles singling singly sinks sipped sipping siren
sisters siting sitter sittings skipped skipping skyrockets slabbing slaked slakes slaking
slaying sleeking sleep sleeps sleeting sleets sleety slices slide slider sliders slightness
slinging slinks slinky slipper slitting slivering slivers slopped slopping sloppy slower smalls
smarted smattering smell smelled smelling smelts smiled smiling smocks smother snaked snakes
snaking snapped snapping snared sneered sneezes snipped snipping snitch snitches snoots snorts
snowing snubbed snubbing soakings soaped soaping soared soaring sobrado socked socking socks
sodden sofito softener soled soleta solevantar solida solido soling solio solista solivo
someones sometime somewhats sonora soportable soporte sopped sorts sostenedor soughed soughing
soughs sounding sounds soured sower sowers spared spattering spatting spelled spelling spells
spiced spied spike spikes spited spiting splatting splinting splittings spoiled spoiling spools
sports spotting sprain spraining sprinkling squinted squints squired squires squirmed squirms
squirt stabbed stabbings stable stables stabling stain staining stairs staked stakes staking
stale stales standings stapled stapler staplers stared starred starter startled starved stated
steak steaks steam steeping steins stepped sticks sticky stiffeners stings stingy stink stinking
stinting stints stitched stocks stomachs stomped stool stooped stoops stopper straggle
straggling straighten straighter straights strains strait straitening stranding stranger
strangle strangling straps streaky streamed streaming streams strengthen strengths string
stringing strip stripe stripes stripped stripping stript stropped strops struggled struggles
strung stubble stuffiness stumbler stumbles subbed subbing subside subsides subsidized suckle
suckled suckles suckling suelo suero suerte suicidarse suicides sumando sunning superacion
supports suppose supposedly supposes supra supurar sureness surgically sutured swabbing swaddle
swains swallows swapped swapping swats swattering swearing swears sweat sweater sweeping sweets
sweller swellings swells swilled swilling swinging swiping switch switches swivelling swopped
tabbing tablar tables tablet tableta tacked tacking takings talking talons tamarilla tambarilla
tambarillo taming tanedor tangle tangled tangles tangling tanido tanking tanks tapido taping
tapping tarde tares taring tasking tasting tatter taught taxing tearing teeing tejedor tejido
telefonico temblorosa tembloroso temedor temperatures tempo tended tendedor tendel tendera
tendero tenders tendido tending tener tengue tenida tenser tensing tentada tentado tenting
terbio termico terming termini termite termometria termometrico terriblez terribleza terribly
terrino testicle testicular testing thank thanking there thermometers thicken thicket thigh
thing think thinker thinning thins thongs thorough threat throats throaty throb throes throws
thunks ticker ticking tickle tickles tickling tiento tierna tierra tightening tilling tinder
tinge tinged tingeing tinges tinging tinglings tings tinkled tinkles tinkling tipped tipping
tiptoe tiptoed tiptops tissues tiste tittle tocado toffee toiled toiler toilets toiling toking
toleracion toleration tolled tolones tomado tomento tomillo tongued tongues tonillo tools topped
toque torada torched torches torching torcho tores torillo tornes torpe torque torques tortada
tortes touche touchingly touchings tough toughs toured towels toying trabado trabar tracias
trades traffics tragaz trago traido train trained training trains tramador tramar trammeling
tramping tramps transparency transparently trapajo trapero trapped trapping trasera trasgo
trasparente traspiracion traste trastero tratar travailing travel travelings travelling
traversing traves trawling trazar treason trebentina trellising trementina trenched trenching
tricking trickled tricks trigo trinado trinar tripled tripling trips trite trolled troops
tropero tropes tropezador tropezon troubled troubles trough truckle truckles truckling trucks
truing trunk tuerta tuerto tumbler tumbles tumbling turbia turbid turbido turbino turbion turbit
turning turnio twinkle twinks tying umber umped unbearably unbeatable unbreakable unbuckling
unconsidered uncontrolled undoes undressing unexpected unfortunate unfortunates unible
unraveling unread unreadable unresolved unsaturated unscrews unseal unsteadily unsuitable
unswerving unthinking unties uprights upstanding uptight urinario urinates usable vacar vacilar
vacunacion vacuo vadera vaginae vaina valance valiente valves vaping varada varado variar
vecinal venaje vencer vender vending venina venino venora ventada ventaje verboso verdosa
verdoyo vetting viatico viciar viento viron visar vitar vivienda vouched vouches vouching vowels
waddle wading wafted wafting waggle waging waists waited waiting wakened wakening waling walling
wallow wallowed wallowing wander wandering waned wangles waning wanked wanking warbles warding
warming warnings warping warring washrooms wasted wasting watches watching water waters waving
waxing weaken weaknesses weaning wearer wearying weaver weaving wedder weeding weeing weekending
weepings weigh weighs weights weighty welled welling welting wended wending wetter wheelchairs
whelped whelping whereat wheres wherever whetting whither whiting wiggled wiggler wiggles wiggly
wight wiling willing willows winced wined winged winger wingers winging wining winked wiring
witching witting wobble wonders wonted wooded woodmen woolen worded wording worker workings
wormed worming worrier worries worthiness wounder wounding wounds wrapper wreath wreathe
wreathing wrenched wrenching wrests wriggle wright wrist writhing writings writs yaciente yacked
yapping yearly yellows yelped yelping yessed yesterdays yonder yunque yusion zamarrilla zincing
zinger zipping
"""
REAL_WORDS: frozenset[str] = frozenset(_TEXT.split())
