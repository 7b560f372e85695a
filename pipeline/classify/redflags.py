"""Red flags as clinical concepts: the safety floor of triage, in English and Spanish.

A protocol (chest pain, stroke signs, a child who swallowed something, ...) is recognised from how lay
people describe it, not from fixed phrases: each rule names concepts (a body site, a sensation, an
acuity marker, who it is about) that must occur together in one sentence, or in the whole message
for context concepts such as "is pregnant" or "takes a blood thinner". A hit is dropped when the
sentence negates it ("no chest pain"), asks a hypothetical ("what if his sugar drops"), or tells
a resolved past event ("the chest pain in March turned out to be reflux"); diagnosis words that
people mostly use about the past ("stroke", "heart attack") count only when said about now.

`PROTOCOLS` is the written protocol list; the README's table is printed from it
(`python -m pipeline protocols`). Matching works on a lower-cased, accent-folded copy of the text
with the same character offsets, so evidence points at the caller's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.classify.spoken import phone_numbers
from pipeline.classify.text import fold

# --- concepts: what people say, English and Spanish (accent-folded) --------------------------------
_LOW_WORDS = (r"(?<!down )low\w*(?! (?:back|belly|abdomen|stomach|tummy|part|left|right|legs?|lip|body|side|spine|pelvis)\b)|l ?o|"
              r"dropp\w*|crash\w*|bottom\w* out|baj\w*")
# Confused, not puzzled: "confused about my statement" is a question about a bill.
_CONFUSED = r"confus\w*(?! (?:about|on|by) (?:my|the|this|your|our|a|an|how|why|which|whether|if)\b)"
# No gas passed, a blocked bowel's sign: said of a belly (`severe`) or beside vomiting (`no_gas`).
_NO_GAS = (r"(?:no|zero|not (?:passing|passed|even)|can'?t pass|(?:haven'?t|hasn'?t|have not|has not) (?:passed|had)) (?:any )?"
           r"(?:gas|farts?|wind)\b(?! (?:bill|station|stove|leak|tank|prices?|company))|sin (?:echar )?gases|no (?:he|ha) (?:echado|sacado) (?:gases|aire)")
# Numbness, not the start of "number" (a callback number is no symptom).
_NUMB = r"numb(?!er)\w*"
# An ache with another site for its subject is that site's ("rash on my arms and chest, my joints ache").
_OWNED = "".join(f"(?<!{site}{verb} )" for site in ("joints", "joint", "knees", "knee", "hips", "ankles", "wrists",
                                                     "elbows", "muscles", "bones", "legs", "feet", "toes", "fingers")
                 for verb in ("", " are", " is", " were", " all", " keep", " still"))
# Swallowing, not being able to swallow ("I can still swallow my spit"): no ingestion, no airway sign.
_SWALLOW = (r"(?<!can )(?<!can still )(?<!could )(?<!able to )(?<!hurts to )(?<!hard to )(?<!hard time )(?<!trouble )"
            r"(?<!difficulty )(?<!problems )swallow\w*")
# Bitten, not "a bit on the high side": the wound concept and the complaint floor both read it.
_BITTEN = r"bitten|(?<!a )(?<!little )bit(?: (?:him|her|me|them|us|(?:my|his|her|our|their) \w+))? (?:on|in|by)"


def _named_chemotherapy() -> str:
    """Cytotoxic chemotherapy and the white-cell boosters given with it, named as callers name them (brand or
    generic, "a week after my Adriamycin"): every name in the drug lexicon whose generic carries a cytotoxic
    INN stem (-platin, -taxel, -rubicin, ...) or is one of the older cytotoxics without one. Stems shared
    with other classes (-citabine also names HIV drugs, -uracil a thyroid drug) are spelt out instead."""
    from drug_named_entity_recognition.drugs_finder import drug_variant_to_canonical

    cytotoxic = re.compile(
        r"(?:platin|taxel|rubicin|fosfamide|phosphamide|poside|tecan|trexed|mustine|grastim)$"
        r"|^(?:vincristine|vinblastine|vinorelbine|fluorouracil|capecitabine|gemcitabine|decitabine|azacitidine"
        r"|cytarabine|fludarabine|cladribine|temozolomide|dacarbazine|bleomycin|mitomycin|busulfan|melphalan"
        r"|chlorambucil|hydroxyurea|eribulin|ixabepilone|trabectedin|lurbinectedin)$")
    names = {fold(name) for name, generics in drug_variant_to_canonical.items()
             if any(cytotoxic.search(g) for g in generics) and re.fullmatch(r"[a-z][a-z -]{4,}", fold(name))}
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_CHEMOTHERAPY = _named_chemotherapy()


C: dict[str, str] = {
    # sites
    "chest": r"chest|breastbone|sternum|pecho",
    "sat_on": (r"like (?:someone|somebody|something|an? elephant|a truck|an? (?:ton|load) of bricks)(?:'s| is| was)?"
               r" (?:sitting|standing|pressing|parked|stepping|kneeling) on (?:me|him|her)\b"),
    "heart": r"heart(?! ?burn)|corazon",
    "radiating": (r"(?:left |right )?(?:arm|jaw|shoulder|shoulder blade|neck)s?|brazo|mandibula|hombro|espalda"
                  r"|(?:my|his|her|the|your)(?: (?:low|lower|upper|mid|middle|left|right))? back"
                  r"|(?:into|to|in|through) (?:my|his|her|the) (?:\w+ )?back|(?:lower|upper|mid) back"),
    "face": r"face|facial|mouth|smile|lip|cheek|cara|boca|sonrisa",
    "jaw_arm": r"jaw|(?:left|right) arm|both arms|arms|mandibula|brazo izquierdo|brazos",
    # an arm that aches where it is swollen has a cause in the arm (a clot by a line, an injury, an infection)
    "arm_swollen": (r"(?:arms?|hand|wrist|elbow|brazos?|mano)(?:'s| is| has| are)?(?: \w+){0,3} (?:swollen|swelling|swelled|puffy|hinchad\w*)"
                    r"|(?:swollen|swelling|puffy|hinchazon)(?: \w+){0,2} (?:arms?|hand|brazos?|mano)"),
    # "cut down my oxycodone" is a smaller dose; "a cut down his arm" is still a wound
    "wound": (r"(?!cut(?:ting)? (?:down|back)\b(?! (?:his|her|my|the|their|your) (?:arm|leg|hand|finger|face|back|chest|side|shin|thigh|neck|foot|head)\b))cut\w*|gash\w*|lacerat\w*|wound|sliced|stab(?!l|ili)\w*|cortad\w*|corte|herida"
              r"|" + _BITTEN + r"|(?:dog|cat|animal|human|horse) bites?|bite (?:wound|mark)s?|mordid\w*|mordio"),
    # spurting needs no word for blood: only blood spurts, and a recognizer may lose the wound ("got bit" -> "got bed")
    "spurting": r"spurt\w*|gushing|gushes|gushed",
    "blood_flow": r"soak\w*|spurt\w*|gush\w*|pour\w*|pulses|pulsing|burst\w*|squirt\w*|running down|dripping|won'?t stop|chorre\w*|empap\w*",
    "heartburn": r"heart ?burn|indigestion|acid|acidez|agruras",
    "allergy": r"allerg\w*|alergi\w*|sting|stung|peanuts?|sesame|shellfish|bee|wasp|picadura|pico",
    "allergy_resp": (r"wheez\w*|(?<!sore )(?<!strep )(?<!for my )(?<!for the )(?<!for his )(?<!for her )throat(?! infection)"
                     r"|swallow\w*|short of breath|voice|tongue|(?<!para la )(?<!para mi )(?<!por la )(?<!dolor de )(?<!infeccion de )garganta|silb\w*"),
    "hernia_stuck": r"hernia(?: \w+){0,10} (?:won'?t go back|stuck|purple|hard)",
    "inr_high": r"inr(?: \w+){0,4} (?:[5-9]|1\d|five|six|seven|eight|nine|ten|over|greater|really high|very high)",
    "limb": r"arms?|hands?|legs?|foot|feet|grip|fingers|brazo|mano|pierna|pie|lado",
    "throat": r"throat|throats(?= (?:is |are )?(?:clos|swell|tight))|tongue|airway|windpipe|garganta|lengua",
    "nose": r"nose|nosebleed|nariz",
    # adrenal insufficiency: the person, not the name ("my daughter Addison")
    "adrenal": (r"addison'?s disease|(?:has|have|had|with|got|of) addison'?s|adrenal (?:insufficiency|crisis|failure)|congenital adrenal"
                r"|hypopituitar\w*|(?:insuficiencia|crisis) suprarrenal|enfermedad de addison"),
    # trismus, tetanus's first sign: a jaw that will not open ("lockjaw" itself is masked as dystonia's word)
    "mouth_shut": (r"(?:can'?t|cannot|couldn'?t|can barely|can hardly|barely|hardly|unable to|trouble|hard to) (?:even |really )?"
                   r"open(?:ing)? (?:(?:my|his|her|their|the) )?(?:mouth|jaw)|jaw(?:'s| is| keeps| has been)? "
                   r"(?:getting |gone |going |real |really |so )?(?:tight|stiff)\w*|(?:no|casi no|apenas) (?:puedo|puede|podia|podemos) "
                   r"abrir (?:bien )?la boca|(?:mandibula|quijada) (?:tiesa|dura|apretada)"),
    "tetanus_risk": r"tetan\w*|rust\w*|oxidad\w*|nail|clavo|puncture\w*|stepped on|pitchfork|barbed wire|alambre",
    "spasms": r"spasm\w*|(?:cramp\w*|lock\w*|seiz\w*|tighten\w*) up|arch\w* (?:his|her|my|the) back|rigid\w*|espasmo\w*|calambre\w*|tiesos?",
    "dental": r"wisdom|tooth|teeth|dental|dentist|molar|extraction|root canal|tmj|muelas?|dientes?|dentista",
    "head": r"head|cabeza",
    "belly": (r"belly|stomach|abdomen|abdominal|tummy|gut|panza|estomago|barriga|vientre|ombligo|(?:lower |upper )?(?:right|left) side"
              r"|lado (?:derecho|izquierdo)"),
    "worst_pain": r"worst pain|pain (?:is )?(?:unbearable|excruciating)|(?:el )?peor dolor|dolor (?:insoportable|mas fuerte de (?:mi|su) vida)",
    "testicle": r"testic\w*|scrotum|(?<!cotton )balls\b|(?:left|right|one|my|his|your) ball\b|nuts|privates|testiculo\w*",
    "groin": r"groin",
    # groin pain beside the hip, a bulge or a strain is the hip's or a hernia's, not a testicle's
    "groin_other": r"hips?|bulg\w*|hernia\w*|pulled|strain\w*|pop(?:ped)?|lump|cadera",
    "calf": r"calf|calves|leg|pantorrilla|pierna",
    # sensations and signs
    "chest_feel": (_OWNED + r"(?:pain\w*|hurt\w*|ach\w*)|pressure|tight\w*|heav\w*|weigh\w*|squeez\w*|crush\w*|brick|elephant"
                   r"|(?:sitting|sits) on (?:it|me|him|her|top of|(?:my|his|her|the) (?:chest|heart))|band|vise|vice|catch\w*|stab(?!l|ili)\w*|sharp|burn\w*(?!(?: (?:a bit|a little|really bad|so bad|bad))? (?:when|while|as|after) (?:i|he|she|you|they) (?:pee|urinat))|discomfort|clench\w*|strange|funny|rubb\w*|clutch\w*|grabb\w*|dolor|dolores? (?:de|en)|duele\w*"
                   # burning on passing urine is a bladder's, not a chest's or a testicle's
                   r"|presion|apret\w*|pesad\w*|opresion|un peso|aplast\w*|(?:ardor|arde)(?! al orinar)"),
    "droop": (r"droop\w*|crooked|lopsided|sag\w*|uneven|hanging|pulled (?:down|over|to one side)|slack|" + _NUMB
              + r"|dribbl\w*(?: \w+){0,4} (?:one|the one) side|(?:going|gone|went|goes) (?:\w+ ){0,2}(?:to |on )?one side"
              r"|(?:isn'?t|is not|not|won'?t|doesn'?t) (?:moving|move)|only half|half (?:his|her|my) (?:face|smile|mouth)"
              r"|torci\w*|caid\w*|chuec\w*|colgad\w*"),
    "speech_bad": (r"slur\w*|(?:talking|speech|speaking|words|voice)(?:[\s,]+\w+){0,6}[\s,]+mushy|jumbl\w*|garbl\w*|gibberish|nonsense|not making (?:any )?sense|wrong words?"
                   r"|words? (?:are |were |come |came |coming )?(?:out )?(?:all )?(?:wrong|mixed|funny|weird|jumbled)"
                   r"|full of marbles|marbles|(?:stopped|not) understanding|(?:answers|words)(?: \w+){0,3} (?:don'?t|didn'?t) (?:match|make (?:any )?sense)"
                   r"|(?:find|finding) (?:her|his|my|the) words|get (?:the )?words out|wrong names?|(?:can'?t|couldn'?t|cannot) (?:get|find) (?:the|his|her|my) words|(?:can'?t|couldn'?t|cannot) talk right|talking funny|talks funny"
                   r"|speech is (?:off|weird|funny|thick|strange)|arrastra\w* (?:las )?palabras|no se le entiende"
                   r"|no tiene sentido|habla (?:raro|chistoso|enredado)|palabras (?:raras|enredadas|revueltas)|palabras(?: \w+){1,3} (?:enredad\w*|revuelt\w*|trabad\w*)"
                   r"|lengua trabada|trab\w* (?:al hablar|la lengua)|(?:not (?:being )?able to|unable to|struggling to) (?:find|get out|say) (?:her|his|my|the) words"
                   r"|talk\w* (?:kind of |kinda |sort of |a (?:little|bit) )?(?:funny|weird|strange|off)|se le (?:enreda|traba|trab\w*) (?:la lengua|las palabras)"
                   r"|no (?:me |le )?habla bien"),
    "numb": r"numb|numbness|numbed|numbing(?! (?:shot|medicine|injection|cream|spray|gel))|tingl\w*|entumid\w*|dormid\w*|durmi\w*|hormigue\w*",
    # Numbness or weakness that a nerve block explains is expected after a procedure, not a stroke (only the
    # block itself: "numbing" is also how a stroke's numbness is told, and a block can be around the corner).
    "nerve_block": (r"nerve block|regional block|epidural|spinal (?:block|anesthe\w*)|bloqueo(?: nervioso)?"
                    r"|(?:block|anesthe\w*|anaesthe\w*|anestesia)(?: \w+){0,2} (?:wear\w* off|hasn'?t worn off|still)"
                    r"|numbing (?:shot|medicine|injection)"),
    # Back pain said with burning urine is a kidney infection's, not the heart's (the urinary sign, not a
    # kidney named: a dialysis patient's arm pain with sweating is still the heart).
    "kidney_area": (r"u ?t ?i|urinary tract|bladder infection|(?:burn\w*|hurt\w*|sting\w*) when (?:i|he|she|you) (?:pee|urinate)"
                    r"|infeccion (?:de|en) (?:la )?orina|(?:arde|duele) (?:al|cuando) orin\w*"),
    # tingling all round the mouth is the whole face's (low calcium, breathing fast), not one side's
    "perioral": (r"(?:tingl\w*|pins and needles|hormigue\w*)(?: [\w,']+){0,3}? (?:around|round|alrededor de) (?:my|his|her|the|la|su|mi) (?:mouth|lips|boca|labios)"
                 r"|(?:around|round|alrededor de) (?:my|his|her|the|la|su|mi) (?:mouth|lips|boca|labios)(?: [\w,']+){0,3}? (?:tingl\w*|pins and needles|hormigue\w*)"),
    "limb_weak": (r"limp|(?:(?<=arm )|(?<=hand ))(?:feels?|feeling|is|went|gone|got) (?:so |really |kind of |all |real )?heavy|dead weight|dragg\w*|drift\w*|(?:isn'?t|not) moving|won'?t (?:lift|move|work|hold|grip|raise)|(?:can'?t|couldn'?t|cannot) (?:seem to |really )?(?:lift|move|raise|hold"
                  r"|grip|feel|squeeze)|(?:keeps )?dropp\w*|slid\w* (?:right )?out|fell out of (?:his|her|my) hand"
                  r"|no (?:puede|podia) (?:mover|levantar|agarrar|sostener|sentir)|no le responde"
                  r"|se le cae|won'?t (?:listen|cooperate|obey)|(?:not|unable) (?:being )?able to (?:lift|move|raise|grip|hold)"
                  r"|no (?:lo|la|le) (?:puede|podia) (?:mover|levantar|agarrar|sostener)"),
    "one_side": (r"one side|left side|right side|on the (?:left|right)|half (?:my|his|her|the) (?:face|body)|un lado"
                 r"|lado (?:izquierdo|derecho)|sudden\w*|de repente|de golpe|de un momento a otro"),
    "weak": r"weak\w*|debil\w*",
    "vision_loss": (r"(?:part|half|bottom|top|side|corner) of (?:my|his|her|the) (?:vision|sight)(?: \w+){0,7} (?:gone|missing|black|dark|blank)|shadow(?: \w+){0,8} (?:creep\w*|spread\w*|coming)"
                    r"|going dark|dim and washed out|viendo doble|ve dos de todo|"
                    r"(?:can'?t|couldn'?t|cannot) see (?:out of|anything|a thing|well|straight|clearly)|(?:suddenly|all of a sudden) (?:can'?t|couldn'?t|cannot) see|lost (?:the )?(?:vision|sight)|(?<!screen )(?<!display )(?<!monitor )went (?:all )?(?:dark|black|blind)|curtain|double vision"
                    r"|seeing double|(?:two|dos) of everything|blind(?!s\b)\w*|shadow (?:over|across|coming)|no (?:puede|podia) ver|perdi\w* la vista|dej[eo] de ver|cortina|no (?:veo|ve) (?:casi )?nada"
                    r"|vista (?:doble|negra)|ciego"
                    r"|(?:vision|sight)(?: in (?:that|my|his|her|the|one) eye)? (?:has |had )?(?:gone|went|dropped) (?:way |really |all the way )?down"
                    r"|(?:can|could) only (?:make out|see) (?:hand|hands|shapes|shadows|light|fingers|movement)"),
    "breath_bad": (r"breath\w*(?:[\s,]+[\w']+){0,5}[\s,]+gurgl\w*|(?:can'?t|couldn'?t|cannot) (?:really |even |quite )?(?:catch|get|take) (?:my|his|her|a|their|your)? ?(?:full |deep )?breath|(?:can'?t|couldn'?t|cannot) breathe?"
                   r"|(?:struggl\w*|fight\w*|hard|trouble|work\w*|stop\w*|gasp\w*) (?:\w+ )?(?:to get|for|getting|to catch) (?:enough )?(?:air|breath)"
                   r"|grunt\w*|belly (?:is )?(?:pumping|going in and out)|respira con la (?:panza|barriga)|nostrils? flar\w*"
                   r"|breath\w* (?:super |really |very |so )?(?:fast|shallow|quick|noisy)|squeak\w*|stridor|barely moving (?:any )?air"
                   r"|drown\w*|suffocat\w*|smother\w*|(?:can'?t|couldn'?t|cannot) lie (?:down|flat|back)|breathless\w*"
                   r"|winded (?:just )?(?:sitting|at rest|talking|on the phone|in bed)|(?:talking|sitting)(?: \w+){0,4} winded"
                   r"|(?:each|every) breath(?: \w+){0,4} (?:effort|struggle|work|fight)"
                   r"|(?:oxygen|o2|sats?|satting|saturation|pulse ox\w*)(?:[\s,]+[\w']+){0,6}[\s,]+(?:8\d|7\d|6\d|eighty|seventy|sixty)"
                   r"|(?:respiratory|breathing) rate(?: \w+){0,4} (?:[4-6]\d|forty|fifty|sixty|forties|fifties)"
                   r"|cannot breathe|hard(?:ly)? (?:to )?breath\w*|trouble breath\w*|difficult\w* breath\w*"
                   r"|struggl\w* (?:to breathe|for (?:air|breath)|breathing)|gasp\w*|short(?:ness)? (?:of )?breath"
                   r"|out of breath|breath\w* (?:really |very |so )?(?:fast|hard|heavy|funny|weird)|fighting for air"
                   r"|not getting (?:enough )?air|air hungry|(?:can'?t|couldn'?t|cannot) get (?:enough |the )?air|winded (?:just )?(?:sitting|at rest|talking)"
                   r"|no (?:puede|podia|puedo) respirar|(?:le|me) falta (?:mucho |muchisimo |bastante )?(?:el )?aire|falta de aire|ahog\w*"
                   r"|respira (?:muy )?(?:rapido|fuerte|raro)|sin aire|no (?:le|me) entra (?:el )?aire"),
    "winded": r"winded|out of breath|short(?:ness)? of breath|breathless\w*|sin aliento|(?:me|le) falta (?:el )?aire",
    "blue": (r"(?:blue|bluish|grey|gray|purple|dusky|pale blue)(?:ish)? (?:lips|fingers|fingernails|nails|face|skin)"
             r"|(?:lips|fingers|fingernails|nails|face|mouth)\w*(?:[\s,]+\w+){0,5} (?:bluish|blue|grey|gray|purple|dusky)"
             r"|gr[ae]yish(?: colou?r)?|gone (?:a )?gr[ae]y|(?:turned|turning|went) (?:blue|gr[ae]y|purple)"
             r"|(?:lips|fingers|fingernails|nails|face|mouth)\w* (?:are |is |look\w* |turn\w* |went |gone |got )+(?:a (?:little|bit) )?"
             r"(?:blue|bluish|grey|gray|purple|dusky)|(?:blue|bluish|gr[ae]y\w*|purple\w*|dusky)(?: \w+){0,3} around (?:his|her|the|my) (?:mouth|lips)"
             r"|labios (?:morados|azules)"),
    "cant_talk": (r"(?:can'?t|couldn'?t)\W+talk|(?:can'?t|couldn'?t|cannot) (?:really |even |hardly |barely )?(?:talk|speak|finish|get (?:a|the) (?:word|sentence)) ?(?:in )?"
                  r"(?:a |full )?(?:sentence|words?)?|(?:can'?t|couldn'?t|cannot) (?:hardly |barely )?get through a sentence"
                  r"|(?:can|could) only (?:say|get out|speak) (?:a (?:few|couple)|one|two|three|one or two|two or three)(?: \w+)? words"
                  r"|no (?:puede|podia) (?:ni )?(?:hablar|terminar)"),
    "rescue_fail": (r"(?:inhaler|albuterol|nebuli[sz]er|neb|puffer|rescue|pump|breathing treatment|inhalador|bomba)\w*"
                    r"(?: \w+){0,6} (?:isn'?t|is not|not|doesn'?t|didn'?t|did not|does not|hasn'?t|no|nothing|barely)"
                    r" (?:help\w*|work\w*|touch\w*|doing|making|opening|open\w* up|le ayuda|ayuda|sirve|hace nada)"
                    r"|(?:inhaler|albuterol|nebuli[sz]er|puffs?|inhalador|bomba)(?:[\s,]+[\w']+){0,12}[\s,]+(?:not|isn'?t) (?:opening|helping|working)"
                    r"|(?:bomba|inhalador|albuterol)(?:[\s,]+\w+){0,10}[\s,]+no (?:le |me |te |nos )?(?:esta )?(?:haciendo|hace) nada"
                    r"|(?:nebulizador|albuterol|bomba|inhalador|tratamientos?)(?:[\s,]+[\w']+){0,12} no (?:mejora|sirve|ayuda|funciona)"
                    r"|(?:inhaler|albuterol|puffs?)(?:[\s,]+[\w']+){0,10} (?:it'?s )?not working"),
    "retractions": (r"sucking in|ribs? (?:are )?(?:showing|pulling|sucking)|retraction|(?:se le (?:ven|marcan|hunden)|hundiendo) (?:las )?costillas"
                    r"|(?:skin|piel)(?: \w+){0,3} (?:between|under|entre|debajo de) (?:the |his |her |my |las |sus )?(?:ribs|costillas)"
                    r"|(?:hunde|hunden|hundid[oa]s?|jala|jalan|chupa|pulls?|sinks?)(?: \w+){0,4} (?:ribs|costillas|pecho)"),
    "swell_close": (r"clos\w*|swell\w*|swollen|puffy|puff\w* up|tight\w*|thick\w*|hinch\w*|cerr\w*|too big|bigger|huge"),
    "spit": r"(?:" + _SWALLOW + r"|tragar)(?: \w+){0,3} (?:own )?(?:spit|saliva)|(?:spit|saliva)(?: \w+){0,3} (?:won'?t go down|can'?t swallow)|drool\w* (?:into|all over|everywhere)|babe(?:a|ando)",
    "face_swell": (r"(?:lips?|face|eyelids?|eyes|tongue|cara|labios?|ojos|parpados)(?: \w+){0,3} (?:swell\w*|swollen|puff\w*|huge|too big|bigger|fat|hinch\w*)"
                   r"|(?:swell\w*|swollen|puff\w*|hinch\w*)(?: up)?(?: \w+){0,2} (?:lips?|face|eyelids?|eyes|tongue|cara|labios?|ojos)"),
    "swallow_bad": r"hard(?:er)? to swallow|(?:can'?t|couldn'?t|cannot) swallow|trouble swallowing|(?:me|le) cuesta tragar|no (?:puedo|puede) tragar|dificultad para tragar",
    "airway_sign": (r"hard(?:er)? to swallow|(?:can'?t|couldn'?t|cannot) swallow|trouble swallowing|drool\w*|voice(?: \w+){0,3} (?:funny|raspy|hoarse|muffled|different)"
                    r"|raspy|hoarse|wheez\w*|silb\w*|short of breath|breath\w*|dizz\w*|woozy|faint\w*|hives|ronchas|throat"),
    "epi": (r"(?:used|gave|give|giving|jabbed|injected|stabbed|did|use|using) (?:\w+ ){0,3}(?:epi ?pens?|epinephrine|auvi\w*)"
            r"|epi ?pen (?:in|into)|(?:puse|use|le puse|le pusimos) (?:la |el )?(?:epi ?pen|epinefrina)"),
    "hives": r"hives|welts|blotch\w*|ronchas|urticaria",
    # a severe drug reaction (Stevens-Johnson): skin blistering or peeling, with sores in the mouth and sore eyes
    "skin_blister": r"blister\w*|peel\w*|(?:skin|piel)(?: \w+){0,3} (?:coming|sloughing|falling) off|ampoll\w*|se (?:me |le )?(?:pela|despelleja)\w*",
    "mouth_sores": (r"(?:sores|blisters|ulcers|llagas|ampollas|aftas)(?: \w+){0,3} (?:in|inside|on|en) (?:my |his |her |the |la |su |los |sus )?(?:mouth|lips|boca|labios)"
                    r"|(?:mouth|boca)(?: \w+){0,3} (?:full of|covered in|llena de) (?:sores|blisters|ulcers|llagas|ampollas)"
                    r"|(?:lips|labios)(?: \w+){0,2} (?:raw|crusted|crusty|bleeding|peeling)"),
    "eye_burn": r"(?:eyes?|ojos?)(?: \w+){0,3} (?:red|burning|crusty|crusted|sore|rojos?|arden|ardor)",
    "bleed": (r"bleed\w*|bled|blood(?!work|tests?\b)\w*(?! thinn| pressure| sugar| work| tests?| draw| count| clot| type| panel)|nosebleeds?|hemorrhag\w*|hematuria|sangr\w*"
              r"|(?:pee|urine)(?: \w+){0,3} (?:red|pink|bloody)"),
    "heavy_bleed": (r"won'?t stop|will not stop|doesn'?t stop|does not stop|not stopping|isn'?t stopping|(?:can'?t|couldn'?t|cannot) (?:get it to )?stop"
                    r"|keeps? (?:bleeding|coming|going|pouring|dripping)|soak\w*|tourniquet\w*|torniquete"
                    # "a little through the bandage", "through the bandage a bit": a minimized ooze
                    r"|(?<!a little )(?<!a bit )(?<!slightly )through (?:a|the|two|three|four|several|my|his|her|all)"
                    r" (?:\w+ )?(?:(?:whole |entire )?(?:pack|box|roll|stack) of )?(?:towel|pad|bandage|gauze|dressing|shirt|napkin)s?(?! a (?:little|bit))(?!(?: \w+)? every (?:two|three|four|few|couple|2|3|4)\b)|fill\w* (?:up )?with blood|gush\w*|spurt\w*|pour\w*|(?:a lot|lots) of(?! bruis| moretones)"
                    r"|so much|tons of|heavy|heavily|(?:passing|big|large|huge|golf ball|lots of) clots?|clots (?:the size|as big)|puddle|swallow\w* blood|mouthful|full of|cupful|no (?:se )?(?:para|detiene|quita)"
                    r"|mucha sangre|much\w* sangr\w*|empap\w*|chorro|coagulos"),
    "gi_blood": (r"(?:vomit\w*|throw\w* up|threw up|spit\w* up|cough\w* up|puk\w*)(?:[\s,]+[\w']+){0,10}[\s,]+(?:blood|coffee grounds?|red|pink)(?! pee| urine)"
                 r"|(?:del bano|popo|heces|caca)(?: \w+){0,3} negr\w*|chapopote|como (?:brea|alquitran)|rectal bleeding"
                 r"|(?:stool|poop|bowel movements?|bms?)(?:'s)?(?: \w+){0,4} (?:black|tarry|maroon)"
                 r"|coffee grounds?|(?:black|tarry|tar|maroon)(?:[\s,-]+\w+){0,3}[\s,-]+(?:stool|poop|bowel|diarrhea|bm)s?"
                 r"|blood (?:in|on) (?:the|his|her|my)? ?(?:toilet(?! paper)|stool|poop|bowl)|(?:vomit\w*|devolvi\w*) sangre"
                 r"|(?:heces|popo|excremento) negr\w*|sangre en (?:el|la) (?:popo|excremento|heces)"),
    "long_time": (r"half (?:an )?hour|(?:twenty|thirty|forty|fifty)(?:[- ]\w+)? minutes|\d\d minutes|an hour|hours"
                  r"|over an hour|media hora|una hora|horas|(?:treinta|cuarenta) minutos"),
    # a long nosebleed that has stopped ("took thirty minutes to stop", "it's stopped now") is the office's today
    "bleed_stopped": r"took (?:\w+ ){1,4}to stop|(?:it'?s|it has|it finally|finally) stopped|stopped (?:now|on its own|by itself)|ya (?:se )?(?:le |me )?paro",
    "acs_assoc": r"sweat\w*|clammy|queasy|threw up|throwing up|vomit\w*|nause\w*|to get air|(?:catch|get) (?:my |his |her )?breath|sick to (?:my|his|her) stomach|short of breath|light ?-?headed|sudor\w*|nausea",
    "shock_sign": (r"light ?-?headed\w*|faint\w*|pass\w* out|black\w* out|(?:nearly|almost) (?:went down|fell over|collapsed)"
                   r"|white as a (?:sheet|ghost)|clammy|desmay\w*|mare\w*|dizz\w*|woozy"),
    "dizzy": (r"light ?-?headed\w*|dizz\w*|keel\w* over|faint\w*|woozy|pass\w* out|black\w* out|pale|clammy|weak\w*|mare\w*|desmay\w*"
              r"|white as a (?:sheet|ghost)|(?:nearly|almost) (?:went down|fell over|collapsed)|wobbly"
              r"|palid\w*"),
    "unresponsive": (r"unresponsive|(?:hardly|barely) (?:responsive|responding)|(?:difficult|hard) to (?:rouse|arouse|wake)|barely opens|(?:couldn'?t|can'?t) get (?:him|her) up|(?:can|could) (?:barely|hardly|not) get (?:him|her) to (?:open|wake|respond|answer)"
                     r"|lost (?:a chunk of )?time|don'?t remember (?:driving|how|what happened)|won'?t (?:wake|respond|answer me)|(?:can'?t|couldn'?t|cannot) (?:wake|rouse|get (?:him|her) (?:up|to wake))"
                     r"|hard (?:to|for me to) (?:wake|rouse|get up)|not (?:really |even )?(?:waking|responding|answering|reacting)|(?:he|she) (?:not|no) wake\w*(?: up)?|(?:hard|impossible) to keep (?:him|her|them) awake|(?:can'?t|couldn'?t|cannot) keep (?:him|her|them) awake|no (?:lo|la) (?:puedo|podemos|pude) despertar"
                     r"|barely (?:awake|wak\w*|respond\w*|conscious)|unconscious|passed out|pass(?:es|ing)? out|fainted"
                     r"|faint\w*|collaps\w*|black\w* out|out cold|keeled over|didn'?t (?:respond|wake)|wasn'?t (?:responding|breathing)"
                     r"|dropped (?:to the (?:floor|ground)|like|down|in the middle)|(?<!nearly )(?<!almost )(?<!swelling )(?<!fever )(?<!it )(?<!sugar )(?<!pressure )(?<!number )(?<!temperature )(?<!temp )(?<!swelling has )(?<!puffiness )(?<!redness )(?<!bump )(?<!lump )(?<!level )(?<!levels )(?<!count )(?<!reading )(?<!weight )went down(?! to\b| there\b| the\b| on (?:my|his|her|their) (?:knees|hands|bottom|butt|side))|no (?:me |le )?contesta(?! (?:numeros|llamadas|el telefono|el celular|mensajes))|next thing (?:i|he|she) knew|(?:was|were|been|is|he'?s|she'?s|i'?m|knocked) out for (?:a|about|like)(?! (?:walk|run|jog|ride|drive|swim|smoke|dinner|lunch|breakfast|coffee|drink|errands?)\b)"
                     r"|found (?:him|her|them) (?:on|lying on) the (?:floor|ground)|(?:was|were|woke up) on the (?:floor|ground) with"
                     r"|doesn'?t (?:answer|respond)|drift\w* off|head (?:just )?flops|won'?t (?:really |even |fully )(?:wake|respond)|(?<!-)floppy|(?:went|is|was|gone) limp|nodding off|(?:can'?t|couldn'?t|cannot) stay awake"
                     r"|no (?:despierta|responde|reacciona)|no se despierta|inconscien\w*|perdi\w* el (?:conocimiento|sentido)|desmay\w*"
                     r"|se (?:cayo|desplomo) (?:al suelo|redond\w*)"),
    "confused": (_CONFUSED + r"|disorient\w*|(?:doesn'?t|does not|didn'?t|did not) recogni[sz]e"
                 r"|(?:doesn'?t|does not|didn'?t|did not) know (?:where|who|what (?:day|year|month|time)|me|us|(?:his|her) (?:own )?(?:name|wife|husband|kids|family|daughter|son))"
                 r"|(?<!ing )(?<!hear )(?<!see )(?<!blurry )(?<!blurred )(?<!fuzzy )(?<!cloudy )out of it"
                 r"|acting (?:drunk|strange|weird|odd|funny|crazy|bizarre)|not (?:him|her)self|not making (?:any |much )?sense"
                 r"|talking nonsense|seeing things|seeing (?:people|bugs|kids|animals|men)|talking to (?:stuff|people|things) that|hallucinat\w*|delirious|loopy|agitated|confundid\w*|desorientad\w*"
                 r"|acting like (?:he|she)(?:'s| has| is)? (?:had too much|drunk)|sin sentido|repeating (?:him|her|my)self"
                 r"|(?:can'?t|couldn'?t|cannot) (?:tell|say|remember) (?:me )?(?:what|where|who) (?:day|month|year|she|he|i)|wobbly"
                 r"|no (?:me )?reconoce|no sabe donde|incoherent\w*"),
    "acute": (r"(?<!nothing )(?<!not )sudden\w*|all of a sudden|out of nowhere|since yesterday|desde ayer|this (?:morning|afternoon|evening)|today|tonight|last night"
              r"|an hour|minutes|just now|right now|since (?:lunch|breakfast|dinner|this|noon|he woke|she woke)"
              r"|de repente|de golpe|hoy|esta (?:manana|tarde|noche)|hace (?:una hora|rato|unos minutos)|ahorita"),
    "sugar": r"sugar|glucose|glucometer|meter|reading|sugars|numbers?|machine|glucosa|azucar|nivel|aparato",
    # a number counts as a low reading only beside a sugar word, and not as a dose or an age ("forty milligrams")
    "low": (_LOW_WORDS + r"|(?:[1-5]\d|(?:twenty|thirty|forty|fifty)(?:[- ](?:one|two|three|four"
            r"|five|six|seven|eight|nine))?|(?:veinte|treinta|cuarenta|cincuenta)(?: y \w+)?)"
            r"(?! ?(?:milligrams?|mg|mcg|units?|unidades|pounds?|years?|anos|minutes?|hours?|days?|weeks?|months?|percent|dollars?))"),
    "low_word": _LOW_WORDS,
    # a meter's "HI", not a transcript's greeting ("hi its for doctor nguyen")
    "sugar_very_high": (r"(?<!^)(?<![.!?] )h ?i(?! (?:it'?s|this|there|um|uh|yes|yeah|good|my|i'?m|doctor|dr|nurse|again|everyone|so|hello|hola)\b)|(?:really |very |super )?high|over (?:4|5|6)00|[4-6]\d\d|(?:four|five|six) hundred|alt[oa]|quinientos"
                        r"|cuatrocientos|seiscientos|(?:four|five|six)(?: hundred)?(?: and)? (?:ten|twenty|thirty|forty|fifty|sixty|seventy"
                        r"|eighty|ninety)[- ]?\w*|over (?:four|five|six) hundred"),
    "diabetes": (r"diabet\w*|type (?:one|1|two|2)|insulin\w*|humalog|novolog|lantus|levemir|tresiba|ozempic|glipizide|glyburide"
                 r"|glimepiride|pump|cgm|dexcom|libre|glucagon|baqsimi|sugar|glucose|meter|azucar|glucosa|insulina"),
    "hypo_treatment": (r"glucagon|baqsimi|gvoke|(?:honey|icing|frosting|sugar|gel|syrup|miel|azucar)(?: \w+){0,4} (?:gums?|cheeks?|mouth|boca|encias)"),
    "hypo_signs": (r"shak\w*|sweat\w*|tembl\w*|sudad\w*|sudand\w*|sin sentido|no (?:me )?contesta|clammy|thrash\w*|drenched"
                   r"|combative|foggy|swimmy|not thinking (?:too |very )?straight|trouble (?:reading|thinking|talking)|moan\w*"
                   r"|acting (?:so |really )?(?:weird|strange|mean|funny)|pale|tingl\w*|confus\w*|drunk|out of it|won'?t wake|hard to wake|not making sense"
                   r"|sleepy|drowsy|pass\w* out|temblor\w*|sudor\w*|confundid\w*|no despierta"),
    # signs of ketoacidosis; thirst and peeing a lot are high sugar itself, a same-hour call
    "sugar_high_sign": (r"ketone\w*(?: \w+){0,3} (?:large|high|big|dark)|panting|deep (?:sighs|breaths)|lethargic|sick|vomit\w*|throw\w* up"
                        r"|threw up|breath\w* (?:fast|deep|hard|heavy)|fruity|nail polish|drowsy|sleepy|confus\w*|aliento|respira (?:rapido|profundo)"
                        r"|(?:belly|stomach|tummy) (?:pain|hurts|ache)|stomach ?ache|dolor de (?:estomago|panza|barriga)"),
    "ingest_strong": (_SWALLOW + r"|got into|gotten into|se (?:tomo|trago|comio)(?! (?:la|su|sus|las) ultim)|trag\w*|ingiri\w*|bit into|suck\w* on|chew(?!able)\w*|licked"
                      r"|took (?:one|two|some|a few|a couple|a bunch|a handful)(?! (?:of )?(?:bites?|sips?|steps?|puffs?|breaths?|hours?|days?|weeks?))|got the (?:cap|lid) off|drank(?! (?:some |a |the |lots of |a lot of |plenty of |more |(?:a |some )?(?:glass|cup|bottle)s? of )?(?:water|juice|milk|tea|coffee|soda|pedialyte|gatorade|fluids|broth|cranberry|orange|apple|formula|smoothie|shake|ensure)\b)|in (?:his|her) mouth"),
    "ingest": (_SWALLOW + r"|ate|eaten|got into|gotten into|drank|drunk|chew\w*|put (?:it |them |one |some )?in (?:his|her) mouth"
               r"|in (?:his|her) mouth|licked|sucked on|se (?:tomo|trago|comio)|trag\w*|ingiri\w*|comio"
               r"|mordi\w* (?:una?|el|la|los|las|unas?|unos) (?:pila\w*|iman\w*|pastilla\w*|capsula\w*|bateria\w*)"),
    "toxic": (r"pills?|tablets?|capsules?|medicine|medication|meds|bottle|button batter\w*|batter\w*|magnets?"
              r"|bleach|detergent|pods?|cleaner|chemicals?|poison\w*|antifreeze|lamp oil|lighter fluid|torch (?:fuel|oil)|tiki|kerosene|gasoline|vitamins"
              r"|iron|gumm\w*|edible|vape|nicotine|bait|rat poison|mouse poison|imanes|iman|clonidine|benadryl|amitriptyline"
              r"|nortriptyline|diphenhydramine|methadone|suboxone|buprenorphine|e-?cig\w*|pastillas?|medicina\w*|pila\w*|cloro|veneno|quimico\w*|jabon"),
    "caustic": (r"bleach|clorox|drain cleaner|drano|lye|antifreeze|kerosene|gasoline|lamp oil|lighter fluid|torch fuel|paint thinner"
                r"|cloro|lejia|gasolina|queroseno|anticongelante"),
    "child": (r"little (?:sister|brother|one|guy|girl|boy)|(?:(?:he'?s|she'?s|is|my|our|only|just|an?) )(?:\d+|one|two|three|four|five"
              r"|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
              r"|twenty[- ](?:one|two|three|four)) months|grandbaby|(?:he'?s|she'?s) (?:only )?(?:one|two|three|four|five)\b"
              r"|(?:tiene|de) (?:uno|dos|tres|cuatro|cinco) anos|toddler|baby|babies|infant|son|daughter|kid|kids|child|grandson|granddaughter|boy|girl|year[- ]old"
              r"|months?[- ]old|two-year|nino|nina|bebe|hij[oa]|niet[oa]|chiquit\w*|anos"),
    "too_many": (r"(?:took|taken|taking|swallowed|had|gave (?:him|her|me))(?: \w+){0,3} (?:too many|too much|the whole|a whole|a handful"
                 r"|a bunch|all of|all (?:his|her|my|the)|extra|double|two doses|twice|more than)|too many (?:pills|tablets|of (?:his|her|my))"
                 r"|gave (?:himself|herself|myself) another|(?:a second|another|an extra) (?:dose|shot|injection) (?:by mistake|by accident)"
                 r"|(?:took|swallowed|taken)(?: like| about| maybe| around| almost)? (?:\d\d|ten|eleven|twelve|fifteen|twenty|thirty|forty"
                 r"|fifty|sixty|a dozen|dozens)\b|tom[eo] (?:\w+ ){0,3}dos veces|tom[eo] (?:un monton|un punado|todas|muchas) (?:de )?(?:las |sus |mis )?(?:pastillas|pildoras|tabletas)|(?:the |a )?whole bottle(?: \w+){0,3} (?:is |was )?(?:gone|empty|missing)|(?:got into|drank|ate|downed|emptied|finished)(?: \w+){0,3} (?:the |a )?whole bottle|overdos\w*|on purpose|doubled (?:up|his|her|my)|double (?:dose|dosed|up)"
                 r"|mixed(?: \w+){0,3} with (?:alcohol|vodka|wine|beer|whiskey|liquor|drinks?)|with (?:a lot of|lots of) (?:alcohol|wine|beer|vodka)"
                 r"|way too many|(?:tomando|tomado|tomo|toma)(?: \w+){0,4} muchisim\w*|(?:\d+|diez|quince|veinte|treinta) pastillas al dia"
                 r"|sobredosis|demasiad\w* pastillas|todas? (?:las|sus|mis) pastillas|doble dosis|se tomo (?:todo|toda|todas)"
                 r"|(?:took|taken|swallowed)(?: \w+){0,4} (?:all of (?:them|it)|them all|the whole (?:week|month|bottle|pack\w*|box))"
                 r"|(?:found|find|encontr\w*) (?:\w+ ){0,5}(?:bottles?|frascos?)(?: \w+){0,6} (?:empty|vacios?)|(?:found|find) an? empty (?:\w+ ){0,2}bottle"
                 r"|se (?:las|los) tom\w* tod[oa]s|un monton de pastillas"
                 # a once-a-week medicine (methotrexate) taken daily or on days running
                 r"|(?:daily|every day|each day|todos los dias|diario) instead of (?:weekly|once a week|each week)"
                 r"|(?:weekly|once a week)(?: [\w',]+){0,8}? (?:and )?(?:then )?again (?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the next day|the day after)"),
    "danger_med": (r"warfarin|coumadin|jantoven|eliquis|apixaban|xarelto|rivaroxaban|pradaxa|plavix|clopidogrel"
                   r"|blood thinner\w*|insulin|lantus|humalog|novolog|levemir|tresiba|basaglar|toujeo|oxy\w*|hydrocodone|percocet|vicodin|morphine|fentanyl|methadone|opioid\w*"
                   r"|tramadol|xanax|ativan|klonopin|valium|sleeping pills?|ambien|digoxin|lithium|tylenol|acetaminophen"
                   r"|metoprolol|propranolol|diltiazem|methotrexate|seizure med\w*|heart med\w*|anticoagulante|insulina"),
    "exposure": (r"antifreeze|furnace|space heater|generator|boiler|calentador|scorpion|oleander|foxglove|poisonous|alacran|venenos\w*|carbon monoxide|co detector|monoxide|fumes|gas leak|smell\w* (?:of )?gas|mixed (?:bleach|cleaners|chemicals)"
                 r"|bleach and ammonia|pesticide|insecticide|weed killer|mushrooms?|forag\w*|wild (?:berries|plants?|greens)|snake ?bit\w*|bitten by a snake"
                 r"|spider bit\w*|black widow|brown recluse|rattlesnake\w*|rattlers?|copperhead|cottonmouth|viper|snake|monoxido|vapores|hongos|mordi\w* (?:por )?(?:una )?(?:serpiente|vibora|arana)"),
    "exposure_sign": r"headache|dizz\w*|nause\w*|vomit\w*|throw\w* up|threw up|diarrh\w*|diarrea|confus\w*|sleepy|drows\w*|pass\w* out|sick|short of breath|cough\w*|burn\w*|swell\w*|cramp\w*|dolor|mare\w*",
    "suicidal": (r"(?:put|putting|got|getting|have put|'ve put) (?:my|his|her) affairs in order"
                 r"|(?:not planning on being|won'?t be|will not be|not going to be) (?:here|around) (?:a lot |much |very |that )?longer\b"
                 r"|(?:fine|happier|easier|okay|better off)(?: \w+){0,2} without (?:me|him|her)|if (?:i|he|she) just (?:wasn'?t|weren'?t) (?:around|here)"
                 r"|how many(?: \w+){0,5} (?:it would take|would (?:it )?take|would kill|to (?:die|kill))|(?:pills|meds)(?: \w+){0,3} counted out"
                 r"|counted out (?:all )?(?:my|his|her) (?:pills|meds)|(?:putting|put|set\w*) aside (?:my|his|her|all (?:my|his|her)) (?:\w+ )?(?:pills|meds)"
                 r"|tak\w* them all at once|goodbye (?:stuff|posts?|messages?|texts?|videos?)|posting goodbye|mensajes? de despedida"
                 r"|quitar(?:me|se)? de en medio|(?:mas facil|easier|better) (?:no despertar\w*|not (?:to )?wake up)|won'?t matter (?:after|anymore|much longer)"
                 r"|(?:won'?t|will not) be (?:a (?:problem|bother|burden)|bothering (?:you|anyone|anybody)|in (?:anyone'?s|your|the) way)"
                 r"(?: (?:for|to) (?:anybody|anyone|you|everyone|you all|nobody))? (?:much |any )?(?:longer|more|anymore)"
                 r"|(?:won'?t|will not|wouldn'?t) be (?:needing|around)(?: (?:them|it|this|much|for))* (?:much )?longer"
                 r"|giv\w* away (?:my|his|her|all (?:my|his|her)) (?:things|stuff|belongings|possessions)"
                 r"|tired of (?:being here|living|being alive|it all)|(?:hope|hoping|wish\w*|pray\w*) (?:that )?(?:i|he|she) (?:just )?"
                 r"(?:don'?t|doesn'?t|won'?t|wouldn'?t|never) wake up|(?:only|easy|real) (?:real )?way out"
                 r"|(?:think\w*|thought|figur\w*|found|plann\w*|consider\w*)(?:[\s,]+[\w']+){0,5}?[\s,]+ways? out\b(?! of| to| the| through| here| there)|(?:can'?t|couldn'?t|cannot) do (?:it|this) (?:much |any )?longer"
                 r"|se quiere morir|quiero morir\w*|ya no aguanta\w*|(?:thinking|thought) (?:about|of)(?:,? (?:like|um|uh|maybe|just|kind of),?)* ending (?:it|things|everything|my life)|(?:nobody|no one|no-one)(?: \w+){0,2} (?:would|will|'d|is going to|gonna) (?:even )?(?:miss|notice|care)|(?:think\w*|thought) about how (?:i|he|she)(?:'d| would| could| might| should)? do it|(?:wants?|wanted|going|gonna|plans?|planning) to end it"
                 r"|finish (?:my|his|her) (?:own )?life|finish it (?:tonight|today|all|now)|note(?: [\w']+){0,10} (?:goodbye|farewell)|goodbye note|suicide note"
                 r"|saving (?:up )?(?:my|his|her) (?:pills|meds)|stockpil\w*|hoard\w* (?:pills|meds)|easier (?:on|for) (?:everybody|everyone|you all|the family|us) if"
                 r"|if (?:i|he|she) (?:wasn'?t|weren'?t) (?:around|here)|sorry for everything|(?:pills|meds) hidden"
                 r"|kill\w* (?:my|him|her|them)sel(?:f|ves)|end\w* (?:it all|my life|his life|her life|things|everything)|suicid\w*"
                 r"|better off (?:without|dead)|don'?t (?:want|wanna) to (?:live|be here|be alive|wake up|go on|exist)"
                 r"|doesn'?t want to (?:live|be here|be alive|wake up|go on)|no reason to (?:live|go on)|want(?:s|ed)? to die"
                 r"|wish(?:es)? (?:i|he|she) (?:was|were) dead|wish(?:es)? (?:i|he|she) (?:wouldn'?t|didn'?t) wake up"
                 r"|take (?:my|his|her) (?:own )?life|(?:not be|wasn'?t|weren'?t|wouldn'?t be) (?:here|around|alive) (?:anymore|any more)|(?:can'?t|couldn'?t|cannot) go on"
                 r"|dark place|how many (?:would be|is|are) too many|(?:lethal|deadly) dose|what amount would(?: \w+){0,2} (?:dangerous|kill|lethal)"
                 r"|ya tengo un plan|(?:have|got|made) a plan (?:to|for how)|goodbye (?:note|letter)s?"
                 # methods: jumping, car exhaust; sleep and not wake; wanting it all over
                 r"|jump\w* (?:off|from) (?:a|the|that) (?:\w+ )?(?:bridge|building|roof|overpass|cliff)|(?:tirar|aventar|lanzar)(?:me|se) (?:del|de un|de una|desde el) (?:\w+ )?(?:puente|edificio|techo)"
                 r"|(?:car|engine|truck) running (?:in|inside) the (?:garage|closed)|garage with the (?:car|engine|truck) running|(?:carro|motor) (?:prendido|encendido) en (?:el )?garaje"
                 r"|(?:sleep|go to sleep|fall asleep) and (?:just )?(?:not|never) wake(?: back)? up|(?:so|want\w*|wish\w*) (?:it|this|everything) (?:could |would |to )?all (?:to )?(?:be over|stop|end)\b"
                 r"|better off with (?:the|my|his|her) (?:life )?insurance|(?:seria|estaria) mejor no (?:estar|existir|vivir|despertar)|estar\w* mejor sin (?:mi|el|ella)"
                 r"|giv\w* (?:away )?(?:all )?(?:my|his|her) (?:things|stuff|belongings)|say\w* goodbye to everyone"
                 r"|plan to (?:end|hurt)|quitar(?:me|se) la vida|matar(?:me|se)|(?:me|se) (?:quiere|quiero|queria|va a|voy a|iba a) matar|(?:quiere|quiero|queria) morir(?:me|se)?|lived long enough|(?:i'?d|i would) rather (?:just )?go (?:quietly|peacefully)|(?:don'?t|do not|doesn'?t|does not) (?:really )?(?:wanna|want to) (?:be (?:here|alive|around) (?:anymore|any more)|live (?:anymore|any more))|no (?:quiero|quiere) (?:vivir|seguir|despertar)"
                 r"|mejor sin mi|estarian mejor|acabar con todo|ya no (?:quiero|quiere|aguanto) (?:mas|vivir|seguir)"
                 # perceived burdensomeness, a recognised suicide risk marker
                 r"|(?:a|an|such a|una|un) (?:\w+ )?(?:burden|carga|estorbo) (?:to|on|for|para) (?:\w+ ){0,2}(?:everyone|everybody|them|family|kids|children|todos|mundo|familia|hijos)\b"),
    # pills saved up: "found a bottle full of pills, I think she's been saving them"
    "hoarding": (r"(?:ha|has|han|he|habia) estado (?:guardando|juntando|escondiendo|acumulando)|been (?:saving|hiding|collecting|stashing) (?:them|it)"
                 r"|(?:guardando|juntando|escondiendo|acumulando|saving|hiding|collecting|stashing) (?:up )?(?:\w+ ){0,2}(?:pills|pastillas|meds|medicinas|pildoras)"
                 r"|(?:pills|pastillas|meds)(?:[\s,]+[\w']+){0,4}[\s,]+(?:saving|saved|stash\w*|hoard\w*|counting|guardando|juntando)"
                 r"|plann\w* (?:to|on) (?:take|taking|swallow\w*)(?: \w+'?s?){0,3} (?:pills|meds|pastillas)"
                 r"|(?:got|have|'ve got) enough (?:\w+ )?(?:saved|stored|put away|stashed)(?: up)?"
                 r"|(?:driv\w*|drove|jump\w*) off (?:a|the) (?:\w+ ){0,2}(?:bridge|cliff|roof|overpass|parking garage)"
                 r"|(?:tirarme|tirarse|aventarme|aventarse) (?:de|del) (?:un|una|el|la) (?:\w+ )?(?:puente|edificio|techo)"),
    "affairs": (r"(?:got|getting|has|have|'s|'ve) (?:everything|it all|things|all (?:his|her|my) (?:stuff|things)) (?:squared away|in order|settled|taken care of)"
                r"|gave (?:me|us|her|him|away) (?:his|her|my) (?:watch|ring|deed|will|savings|dog|cat|guitar)|deed to|dej[eo] todo arreglado|ya arregl[eo] todo"
                r"|none of (?:this|it) is (?:your|anyone'?s|anybody'?s) fault|no es culpa de (?:usted|nadie)"
                r"|found a (?:good |new )?home for (?:my|his|her) (?:dog|cat|pets?)|(?:getting|got|putting|put) (?:things|everything) in order"
                r"|giv\w* (?:away )?(?:his|her|my) (?:\w+ )?(?:stuff|things) to"),
    # a farewell: the context that makes affairs put in order a warning sign
    "farewell": (r"thank\w*(?: \w+){0,3} for everything|(?:wanted|want) to (?:say )?(?:thank|goodbye)|goodbye|won'?t be needing"
                 r"|cancel\w* (?:all|every)\w*|(?:you )?(?:don'?t|no) need to call (?:me )?back|gracias por todo|despid\w*"
                 r"|tell (?:the kids|my kids|everyone|them|mom|my mom|her|him) (?:that )?i love (?:them|her|him|you)|(?:i'?m )?sorry for everything"),
    "not_around": (r"(?:don'?t|do not) (?:think|expect) (?:i'?ll|i will|i'?m going to|i'?m gonna) (?:still )?be (?:here|around)"
                   r"|(?:won'?t|will not) (?:still )?be (?:here|around) (?:for|by|to see) (?:it|that|then|the|my|next)"
                   r"|(?:won'?t|will not) be (?:here|around)(?=\s*(?:[.!;]|$))"
                   r"|no (?:creo que )?(?:voy a |vaya a )?(?:estar|seguir) (?:aqui |vivo |viva )?para (?:entonces|la cita|eso)"),
    # the limb's own injury in the sentence: swelling, a sprain or a break, not a stroke's weakness
    "limb_injured": r"swollen|swelling|sprain\w*|fractur\w*|broken|dislocat\w*|popped (?:out|back in)|out of (?:the |its )?socket|landed on (?:his|her|my|the) (?:hand|wrist|arm|shoulder)|hinchad\w*|fractura\w*",
    # blisters or a rash along the chest: shingles, not a heart
    "skin_lesion": r"blister\w*|ampoll\w*|rash\w*|sarpullido|culebrilla|shingles|zoster",
    "away_reason": (r"(?:work|business|family) trip|trip|travel\w*|vacation|out of town|moving (?:to|away|out)|conference|deploy\w*"
                    r"|viaje|vacaciones|fuera de la ciudad|me mudo"),
    # "I have a plan now. And a date.": a suicide plan told without naming it, a plan and a date of nothing
    "plan_of_nothing": r"(?:have|has|'ve got|got|made|tengo|tiene) (?:a|un) plan(?: now| ya| ahora)?(?!\w| (?:for|to|with|on|at|in|b|d|de|para|con|que)\b)",
    "date_of_nothing": r"(?:a|the|una) (?:date|fecha)(?!\w| (?:for|to|with|at|in|on|para|de|that|when|and time|y hora)\b)",
    "plan": (r"(?:got|have|'ve got|i'?ve) (?:it|everything|it all) (?:all )?(?:figured|worked|planned|thought) out"
             r"|(?:made up my mind|my mind is made up)|ya (?:lo )?(?:decidi|tengo (?:pensado|decidido))"),
    "pills": r"pills?|pastillas?|pildoras?|meds|medications?|medicines?|medicinas?|tablets?|frasco|bottles?",
    # lethal means in reach: a risk only beside despair (below)
    "means": r"\b(?:gun|guns|firearm|pistol|revolver|rifle|shotgun|arma|armas|pistola|escopeta|rifle)\b",
    "despair": (r"hopeless|(?:can'?t|cannot) (?:take|handle|stand|do) (?:it|this|this anymore|it anymore)(?: any ?more)?|no point (?:anymore|in anything)"
                r"|(?:a|una) (?:\w+ )?(?:burden|carga|estorbo)|ya no (?:aguanto|puedo)|no (?:aguanto|puedo) mas|sin esperanza|no vale la pena"
                r"|(?:doesn'?t|does not|don'?t|nothing) matters? any ?more|nothing matters|ya nada importa|ya no importa"
                r"|(?:don'?t|do not) (?:really )?see the point (?:of|in) (?:any of it|anything|living|going on|life|it all)"),
    "self_harm": (r"(?:hurt|harm|cut|cutting|burn|burning|burned)\w* (?:my|him|her|them)sel(?:f|ves)|self[- ]harm\w*"
                  r"|carv\w* (?:into|on) (?:my|his|her)|scratch\w* (?:\w+ )?raw|cigarette burns|(?:burn|cut)\w* (?:my|his|her)(?: \w+){0,5} on purpose"
                  r"|on purpose(?: \w+){0,3} (?:burn|cut)\w*|se (?:estaba |esta )?cort\w*(?! (?:el|la|un|una) (?:mano|dedo|pie|pierna|brazo|cabeza|frente|labio)(?: \w+){0,3} (?:con|en|trabajando|cocinando|pelando))|cortandose|deserves? to (?:hurt|suffer)"
                  r"|(?:cuts|cutting|scratches|burns|lines)(?: \w+){0,5} (?:thighs?|arms?|wrists?|legs?|skin|stomach)"
                  r"|press\w* it (?:on|into) (?:her|his|my) (?:wrist|arm|skin|leg)"
                  r"|\w+(?:'s|'ve| has| have) been cutting(?=\s*[,.;!?]| again| on)|cuts on (?:his|her|my) (?:arms|wrists|legs)|hacer(?:me|se) dano|cortar(?:me|se)|se corta|se esta cortando"),
    # A finger or hand cut on a knife in the kitchen or on a tool: an injury, no threat to anyone
    "cut_on": (r"(?:cut|slic\w*|nick\w*|gash\w*) (?:my|his|her|their)(?: \w+)? (?:finger|thumb|hand|palm|foot|toe|shin|knee)s?\b"
               r"|(?:me|se|le) (?:corte|corto)(?: \w+){0,2} (?:el|la|un|una) (?:dedo|mano|pie|rodilla)"),
    "harm_others": (r"(?:holding|grabbed|waving) (?:the |his |her )(?:knife|gun|shotgun|rifle|weapon|machete|hatchet|axe|cuchillo|pistola|hacha)|(?:with|holding|grabbed|has|had|took|taking|carrying) (?:a |the )?(?:big |sharp )?(?:kitchen |big |steak |hunting |butcher )(?:knife|knives)|(?:with|holding|grabbed|has|had) (?:a )?(?:knife|gun|shotgun|rifle|weapon|machete|hatchet|axe|cuchillo|pistola|hacha)"
                    r"|(?:got|took|brought|pulled|grabbed) (?:out )?(?:the|a|his|her|my) (?:\w+ )?(?:knife|gun|hatchet|axe|machete|pistol|rifle|shotgun)(?: \w+)? out"
                    r"|bought a (?:gun|shotgun|rifle)|(?:iba|va) a matar|matarl[oa]s?|once and for all|don'?t trust (?:my|him|her)self"
                    r"|(?:thoughts|a thought|pictures|images|urges?)(?:[\s,]+[\w']+){0,8}[\s,]+(?:hurting|dropping|drowning|smother\w*|holding a pillow)"
                    r"|threw a (?:chair|table)|(?:scared|afraid) (?:of|for) (?:my|our) (?:safety|lives)|castigar\w*"
                    r"|hurt (?:the baby|someone|somebody|others|people|the kids)|threaten\w* to (?:hurt|kill|harm)|voices (?:telling|tell)"
                    r"|kill (?:someone|somebody|us|the baby|the kids)|put (?:him|her|them) in the ground|(?:gonna|going to) (?:shoot|stab|strangle) (?:him|her|them|someone|somebody)|lastimar (?:al bebe|a alguien)|voces (?:le|me) dicen"),
    "voices": (r"hear\w* voices|(?:the )?voices (?:are|were|'re|have been|came|come|keep|kept|started|got)\b|(?:oye|oigo|escuch\w*) (?:las )?voces"
               r"|las voces (?:volvieron|estan|regresaron)"),
    "threat": (r"deal with (?:him|her|them)|get (?:him|her|them) before|hurt (?:him|her|them|someone|somebody)|kill\w* (?:him|her|them|someone|somebody)"
               r"|\b(?:bat|knife|gun|machete|hammer|axe|cuchillo|pistola|machete|bate)\b(?: \w+){0,3} (?:by|next to|under|in|at|junto a|debajo de) (?:the|my|his|her|la|el|mi) "
               r"|(?:lastimar|matar|hacerle dano) (?:a|al) (?:vecino|alguien|el|ella)"),
    "infant": (r"born (?:\w+ ){0,2}(?:days?|weeks?) ago|born (?:on )?(?:the )?\w+ of (?:last|this) month|(?:he'?s|she'?s|baby is|is)(?:,? (?:uh|um|like|what|only|just|about|maybe))*,? (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven)(?:,| or| to) (?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) weeks\b|tiene (?:un|dos) mes(?:es)?|(?:un|dos) mes(?:es)? (?:de nacid\w*|nada mas)"
               r"|(?:he'?s|she'?s|baby is|is)(?:,? (?:uh|um|like|only|just))*,? (?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten"
               r"|eleven|twelve) (?:days?|weeks?)\b(?! (?:out|post|after|since|from|into)\b)|(?:he'?s|she'?s|is)(?:,? (?:uh|um|like|only|just))*,? (?:one|two|a|1|2)(?: and a half)? months?|"r"(?:he'?s|she'?s|he is|she is|baby is|only|just) (?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
               r" (?:days?|weeks?)\b(?! (?:out|post|after|since|from|into)\b)|"r"\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty)"
               r"[ -](?:day|days|week|weeks)[ -]old|\b(?:one|two|three|1|2|3|a)[ -]months?[ -]old|newborn|new baby|just born"
               r"|\b(?:one|two|three|four|five|six|seven|eight|[1-8])[ -]weeks?(?:[ -]old)? (?:shots?|vaccines?|vaccinations?|check\w*|visit)"
               r"|\b(?:one|two|1|2)[ -]months? (?:shots?|vaccines?|vaccinations?|check\w*|visit)"
               r"|(?:\d{1,2}|una|dos|tres|cuatro|cinco|seis|siete|ocho|diez|doce) (?:dias|semanas) de (?:nacid\w*|edad)"
               r"|tiene (?:\d{1,2}|una|dos|tres|cuatro|cinco|seis|siete|ocho|diez|doce) (?:dias|semanas|diitas|semanitas)(?! (?:con|que|sin|asi)\b)|(?:un|dos) mesecitos?"
               r"|(?:un|dos) mes(?:es)?(?: de (?:nacid\w*|edad))|recien nacid\w*"
               r"|(?:he|she|baby|it) (?:has|have|got) (?:only |just )?(?:one|two|a|1|2)(?: and a half)? months?\b"
               r"|(?:baby|bebe),?(?: (?:is|of|de))? (?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
               r" (?:days?|weeks?|dias|semanas)\b(?! ago)|(?:bebe|nina|nino|hija|hijo) de (?:un|dos|1|2) mes(?:es)?"),
    # the caller's own fever (a nursing mother beside her baby's age)
    "own_fever": (r"(?:i'?ve got|i have|i had|i'?ve had|i'?m running|i got|i'?m having)(?: a| some| \w+){0,3} (?:fever|temp\w*)"
                  r"|tengo(?: \w+){0,2} (?:fiebre|calentura|temperatura)"),
    # a temperature word said with a normal reading is no fever ("temperature is ninety-nine point eight", "his
    # temperature rectally, ninety-nine point one", "la temperatura y tiene treinta y siete punto dos"); a low one
    # (a newborn's ninety-six) still counts, since in a baby it is a sign of infection as a fever is
    "fever": (r"fever\w*|(?:temps?|temperature\w*|temperatura)(?!(?:'s)?(?:[\s,]+(?!high|hot|up|went|rose|alta|subio|fiebre|hundred)[\w']+){0,5}?[\s,]+(?:ninety[- ]?(?:seven|eight|nine)|9[7-9]\b|normal"
              r"|thirty[- ]?(?:six|seven)|treinta y (?:seis|siete)|3[67]\b))|burning up|hot to the touch|feels (?:really |so |very )?hot|10[0-5][.,]\d"
              r"|hundred (?:and )?(?:point|one|two|three|four|five)|thirty[- ]?(?:eight|nine) (?:degrees|point)|treinta y (?:ocho|nueve) (?:grados|punto)|fiebre|calentura"
              r"|3[89][.,]\d|(?:running|temp\w*|temperature|fever)(?:'s| is| was| of| at| a)?(?: \w+){0,2} one (?:oh|o) (?:one|two|three|four|five)\b"),
    "skin_dying": (r"(?:skin|leg|arm|foot|hand|wound|cut|incision|area|toes?|fingers?|it)(?:'s)?(?: \w+){0,4} (?:going|turning|turned|gone|getting|looks?|is) "
                   r"(?:\w+ ){0,2}(?:dusky|purple|purplish|black|blackish|grey|gray)\b|(?:dusky|purplish|blackened) (?:skin|patch\w*|area)"
                   r"|(?:piel|herida|pierna|pie) (?:\w+ ){0,3}(?:morada|negra|negruzca)|se (?:esta )?poniendo (?:morad\w*|negr\w*)"),
    "pain_disproportion": (r"(?:pain|hurts?|dolor)(?: \w+){0,4} (?:way |much |so much |a lot )?(?:worse|more) than (?:it |a \w+ |an? \w+ \w+ |what )?"
                           r"(?:should|it should|looks|it looks)|(?:mucho )?peor de lo que (?:deberia|parece)"),
    "spreading": r"(?:red\w*|rash|swelling|streak\w*|it)(?:'s)?(?: \w+){0,3} (?:is |keeps |kept )?spread\w*|spreading|past (?:the|my) (?:line|mark|pen)|se (?:esta )?extendi\w*",
    "stiff_neck": (r"(?:manchas|manchitas|puntitos|ronchas)(?: \w+){0,6} no se (?:quitan|borran|desaparecen|van)|no puede (?:bajar|doblar|mover) (?:la barbilla|el cuello|la cabeza)|(?:duele|dolor)(?: \w+){0,5} cuello|la luz le molesta"
                   r"|stiff (?:neck|necked)|neck(?:'s)?(?: \w+){0,3} (?:stiff|rigid)|(?:can'?t|couldn'?t|cannot) (?:bend|touch|put|move|tuck) (?:his|her|my)"
                   r" (?:chin|head|neck)|light (?:hurts|bothers)|lights? (?:hurt|bother)s? (?:him|her|me)|wants? (?:all )?the (?:blinds|curtains|lights) (?:closed|shut|off|down)"
                   r"|neck (?:hurts|pain\w*)(?: \w+){0,3} (?:when|if) (?:she|he|i|they) (?:\w+ ){0,2}(?:bends?|looks? down|moves?|turns?)|hurts? (?:his|her|my) eyes|(?:rash|spots)(?: \w+){0,4} (?:doesn'?t|don'?t|won'?t|didn'?t) fade"
                   r"|purple(?:-red|-ish)? (?:spots|rash|dots|blotches)|(?:spots|dots|rash)(?: \w+){0,6} (?:don'?t|doesn'?t|won'?t|didn'?t) "
                   r"(?:go away|fade|disappear|blanch) when (?:you |i |we )?(?:press|push)|cuello (?:rigido|tieso|duro)|manchas moradas"),
    "headache": r"headache\w*|head (?:hurts|pain)|pain in (?:my|his|her) head|(?:my|his|her) head|dolor de cabeza|cabeza",
    "sudden_onset": (r"sudden\w*|out of nowhere|all at once|in (?:a|like a|one) (?:split )?second|instant\w*|bam|explo\w*|burst|pop(?:ped)?"
                     r"|like (?:a|an|being hit with a|somebody swung a|someone hit me with a) (?:hammer|bat|bomb|gunshot|thunderclap|lightning|brick)"
                     r"|flipped a switch|zero to (?:a hundred|ten)|ten out of ten|most (?:intense|painful|insane|severe)|never (?:had|felt)"
                     r"|de (?:repente|golpe)|trancazo|martillazo|nunca en mi vida"),
    "worst_headache": (r"(?:worst|worse) (?:headache|head pain|pain in (?:my|his|her) head)(?: \w+){0,3} (?:ever|life|of (?:my|his|her) life)"
                       r"|worst (?:headache|head pain) (?:i'?ve|he'?s|she'?s|i have|he has|she has) ever"
                       r"|(?:headache|head pain|pain in (?:my|his|her) head)(?: \w+){0,5} (?:came on|hit|started|exploded)(?: \w+){0,2} (?:sudden\w*|all at once|out of nowhere|like)"
                       r"|like (?:being|getting|i got|i was|he was|she was) (?:hit|struck|kicked|smacked) (?:in|on|with)"
                       r"|thunderclap|head (?:exploded|exploding|is exploding)|el peor dolor de cabeza"
                       r"|dolor de cabeza (?:mas fuerte|peor) de (?:mi|su) vida"
                       r"|(?:head|skull)(?: \w+){0,6} (?:all at once|out of nowhere|explod\w*|went off)"
                       r"|(?:all at once|out of nowhere|went off)(?: \w+){0,8} (?:head|skull)"
                       r"|dolor de cabeza (?:horrible|terrible|insoportable|de repente|de golpe)"),
    "head_injury": (r"(?:hit|bumped|banged|struck|smacked|knocked|cracked|whacked|caught) (?:his|her|my|their|the|its)? ?(?:own )?(?:head|forehead|skull)"
                    r"|(?:hit|bumped|banged|struck|smacked|knocked|cracked|whacked) the (?:back|side|front|top) of (?:his|her|my|their) head"
                    r"|(?:head|forehead)(?: \w+){0,2} (?:hit|struck|bumped|smacked|slammed)|unwitnessed fall"
                    r"|head (?:injury|trauma|wound|bump)|concuss\w*|fell (?:and|down|over|off|out)(?: \w+){0,6} (?:head|forehead)"
                    # struck by someone or something: "hit him over the head", "took a blow to the head"
                    r"|(?:hit|struck|smacked|whacked|clocked|bonked|kicked|knocked) (?:him|her|me|them|us|(?:my|his|her|our|their) \w+)(?: \w+){0,3} (?:on|in|over) the head"
                    r"|(?:got|was|been|get|gets) (?:hit|struck|smacked|whacked|clocked|bonked|kicked)(?: \w+){0,4} (?:on|in|over) the head"
                    r"|(?:blow|knock|hit|whack|kick) (?:to|on) the head"
                    r"|(?:golpe\w*|peg\w*) (?:en )?la cabeza|se (?:pego|golpeo) (?:en )?la cabeza|(?:cayo|caida)(?: \w+){0,6} cabeza"),
    "anticoag": (r"warfarin|coumadin|jantoven|eliquis|apixaban|xarelto|rivaroxaban|pradaxa|dabigatran|savaysa|plavix"
                 r"|clopidogrel|brilinta|lovenox|heparin|blood thinner\w*|anticoagula\w*|para adelgazar la sangre|inr"),
    "head_injury_sign": r"vomit\w*|throw\w* up|threw up|pass\w* out|confus\w*|drows\w*|sleepy|headache|seiz\w*|pupil\w*|blood|vomit\w*|dolor de cabeza",
    "seizure": (r"(?<!for )(?<!for my )(?<!for his )(?<!for her )seiz(?:ure|ing|ed)(?!s? (?:med\w*|pills?|drugs?|prescriptions?|precautions|(?:action )?plan|doctor|neurologist|clinic|specialist|disorder))|convuls\w*|twitch\w*(?: \w+){0,6} (?:face|arm|hand|leg)|se le (?:voltearon|fueron) los (?:ojos|ojitos)"
                r"|empez\w* a temblar|stares? off|staring spells?|(?:mouth|face|arm|hand)(?: \w+){0,2} twitch\w*|(?:having|had) (?:a|another) fit|shak\w* all over|whole body (?:was )?shak\w*"
                r"|jerk\w*|eyes (?:rolled|rolling) back|stiff(?:ened)? and (?:shak\w*|jerk\w*)|foam\w* at the mouth|convulsion\w*"
                r"|ataque epileptico|tembl\w* tod[oa]|le dio un ataque(?! de (?:asma|panico|ansiedad|tos|nervios|risa|alergia))|espuma (?:de|por) la boca|se puso (?:tieso|tiesa|rigid[oa])"
                r"|(?:ojos|ojitos) (?:para|hacia) arriba|convulsion\w*|shak\w* (?:all )?(?:the|his|her) (?:whole )?body"
                r"|b(?:i|ite|it|itten) (?:the|his|her|my) tongue|(?:two|three|four|several|multiple) seizures (?:in a row|within|back to back)"),
    "sepsis_sign": (r"confus\w*|mottled|(?:pressure|bp)(?:'s| is| was)?(?: (?!one\b|a\b|hundred\b)\w+){0,2} (?:(?:sixty|seventy|eighty)[- ]?\w* over|[5-8]\d ?(?:over|/) ?\d)|blotchy|breath\w* (?:fast|hard|quick)|heart (?:is )?(?:racing|pounding)|very weak|so weak"
                    r"|(?:real|really|super|extremely|terribly|awfully) weak|heart'?s? (?:is |been )?(?:going|beating|running|pounding)"
                    r" (?:\w+ )?(?:fast|quick|hard)"
                    r"|(?:can'?t|couldn'?t|cannot) (?:stand|get up|keep (?:his|her|my) eyes open)|ice cold|cold and clammy"
                    r"|manchas|confundid\w*|piel(?: \w+){0,3} (?:manchad\w*|moteada|marmorea|morad\w*)|(?:casi )?no (?:abre|puede abrir) los ojos"),
    # a laboratory calling a critical value about a patient
    "critical_lab": (r"critical (?:value|result|lab|level|call|potassium|sodium|hemoglobin|hgb|inr|glucose|calcium|troponin|platelet)\w*"
                     r"|(?:valor|resultado)(?:es)? critico\w*"
                     r"|(?:potassium|potasio)(?: \w+){0,4}?[:,]? (?:6\.[5-9]|[7-9]\.\d|six point (?:five|six|seven|eight|nine)|(?:seven|eight|nine) point|seis punto (?:cinco|seis|siete|ocho|nueve)|(?:siete|ocho|nueve) punto)\b"
                     r"|(?:sodium|sodio)(?: \w+){0,4}?[:,]? (?:1[01]\d|1[6-9]\d|one (?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|sixty|seventy)(?:[- ]\w+)?)\b(?! ?(?:mg|milligrams?))"),
    "priapism": r"priapism|erection(?: \w+){0,3} (?:won'?t|will not|doesn'?t|does not|hasn'?t) go(?:ne)? (?:down|away)|ereccion(?: \w+){0,3} no se (?:baja|quita)",
    # a tearing or ripping pain in the chest or back (an aortic dissection)
    "tearing": (r"(?:tearing|ripping)(?! up)(?: \w+){0,6} (?:chest|back|shoulder blades)|(?:chest|back)(?: \w+){0,6} (?:tearing|ripping)(?! up)"
                r"|como si me (?:estuvieran )?(?:desgarr|rasg|romp)\w*|desgarr\w*(?: \w+){0,3} (?:por dentro|el pecho|la espalda)"),
    # a fever here may be an overwhelming infection: chemotherapy, a transplant, sickle cell (no working spleen)
    "chemo": (r"chemo\w*|quimio\w*|radiation|cancer treatment|transplant|neutropeni\w*|immunocompromis\w*|leuk\w*mia|leucemia"
              r"|sickle\w*|drepanocit\w*|falciform\w*|asplen\w*|(?:no|without a|removed (?:his|her|my)) spleen"
              r"|lymphoma|linfoma|(?:blood )?counts? (?:were |are |was |is |have been )?(?:\w+ )?(?:low|down)|low (?:blood )?counts?"
              # regimens and brands the drug lexicon lacks
              r"|folfox|folfiri\w*|r-?chop|taxol|abraxane|neulasta|onpro"
              r"|" + _CHEMOTHERAPY),
    "pregnant": (r"pregnan\w*|weeks along|expecting|due date|trimester|embaraz\w*|semanas de embarazo|esperando (?:un|una) beb"
                 r"|(?:i'?m|she'?s|she is|i am|at) (?:\w+[- ])?\w+ weeks\b(?! old| ago| out| post| after| since| from)"
                 r"|\d\d weeks\b(?! old| ago| out| post| after| since| from)"),
    "postpartum": (r"had (?:the|my|a|our) baby|gave birth|delivered|delivery|c-?section|postpartum|dio a luz|di a luz|parto|cesarea"),
    "pregnancy_bad": (r"baby (?:isn'?t|is not|hasn'?t|has not|not|stopped|hasn'?t been)(?: \w+){0,2} mov\w*|no (?:kicks?|movement)"
                      r"|(?:haven'?t|hasn'?t|not|didn'?t) felt (?:the |her |him )?(?:baby )?(?:move|kick)\w*|gush\w*|leaking|rock hard|sparkl\w*|flashing|(?:face|hands?|eyes|fingers)(?: \w+){0,3} (?:puffy|swollen)|(?:puffy|swollen) (?:face|hands|eyes|fingers)|rings? (?:won'?t|don'?t)"
                      r"|waters? (?:just |has |have |had )?(?:broke|broken|is leaking)|(?:hanging|coming|sticking) (?:down|out)\W+(?:\w+\W+){0,5}(?:the )?cord\b|(?:feel|see|saw)(?: \w+){0,3} (?:the )?cord\b|(?<!spinal )cord(?: \w+){0,2} (?:hanging|coming out|sticking out)|(?:severe|bad|terrible|sharp|stabbing) (?:pain|cramp\w*)|spots? in (?:my|her) (?:eyes|vision)"
                      r"|seeing spots|vision (?:is )?(?:blurry|spots)|fuente|no se mueve|no (?:lo|la) siento mover|dolor fuerte"),
    # blood with the stools in pregnancy is a bowel's (colitis, hemorrhoids), not the pregnancy's bleeding
    "bowel": r"stools?|poop\w*|bowels?|bowel movements?|diarrh\w*|hemorrhoid\w*|colitis|crohn'?s|heces|popo|diarrea|almorranas|hemorroides",
    "spotting": (r"(?<!more than )(?<!not just )(?<!heavier than )(?<!worse than )(?:spotting|spot\w*)|(?:a little|a tiny|a little bit of|a tiny bit of|some light|light|slight)(?: \w+)? (?:blood|bleeding)|pink\w*|brown\w*"
                 r"|manch\w*|rosad\w*|(?:poquit\w*|un poco) de (?:sangre|sangrado)|(?:sangre|sangrado)(?: \w+){0,2} poquit\w*|sangre (?:cafe|cafecita|oscura)|como cafe\w*"),
    "procedure": (r"tonsils? out|taken out|had (?:my|his|her|the) \w+ (?:out|removed)|removed|colonoscop\w*|polyp\w*|tonsil\w*|biops\w*|surgery|surgical|operation|incision|procedure|extraction"
                  r"|tooth (?:pulled|out)|circumcision|c-?section|cirugia|operacion|operaron|procedimiento"),
    # signs of a surgical belly; no stool for days is constipation, and colic that will not let one sit still
    # is a stone's (peritonitis makes one lie still)
    # a belly only swollen or bloated (constipation, a blocked catheter) is urgent; hard, rigid or drum-tight is not
    "severe": (r"(?:belly|stomach|panza|abdomen|tummy)(?:'s| is)?(?: \w+){0,4} (?:hard|rigid|dura|like a drum)"
               r"|tight like a drum|" + _NO_GAS + r"|(?:vomit\w*|threw up|last one was) green"
               r"|green (?:vomit|bile)|pulls? (?:his|her) knees up|eyes look yellow|yellow (?:eyes|skin)|no se puede enderezar|doblad[oa]|worst|unbearable|excruciating|doubled over|hunched over|curled up|like a knife|rigid|hard as a (?:rock|board)"
               r"|(?:can'?t|couldn'?t|cannot) (?:even )?(?:stand up|straighten|move|walk)|screaming|writhing|severe|insoportable|fuertisim\w*"
               r"|no (?:aguanta|aguanto)|no (?:puedo|puede) (?:caminar|moverme|moverse)"),
    "heart_rate": (r"(?:heart|pulse|ticker|chest)(?:'s)?(?:[\s,]+[\w']+){0,4}[\s,]+(?:racing|pounding|skipping|irregular|fluttering|flip\w*|flop\w*|jumping|galloping"
                   r"|going crazy|going like (?:a |the )?(?:freight train|train|drum|hammer|jackhammer|machine gun|race ?horse|crazy|mad)"
                   r"|beating (?:out of|so fast|really fast|like crazy|wildly)|(?:really |super |so )?fast|all over the place)"
                   r"|(?:heart ?rate|pulse)(?:[\s,]+[\w']+){0,4}[\s,]+(?:[23]\d|thirty|twenty|forty)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?(?![\w-])"
                   r"|palpitation\w*|corazon(?: \w+){0,2} (?:acelerado|rapido|late fuerte|brinca)|palpitaciones"),
    "shock": (r"zapp\w*|(?:defib\w*|icd)(?:,? \w+){0,4} (?:shock\w*|zap\w*|fired|went off)|defib\w*(?: just)? (?:went off|fired|shocked)|(?:icd|device|pacemaker)(?: just)? (?:went off|fired|shocked)|got shocked"
              r"|electrocut\w*|electric(?:al)? shock"),
    "device_fired": r"(?:it|thing|device|box|unit)(?: just)? (?:went off|fired|shocked (?:me|him|her))",
    # a single shock, said in the same breath or the next: a call to the office when nothing else is wrong
    "shock_once": r"(?:just |only )?(?:the )?once|(?:just |only )?(?:the )?one time|a single (?:shock|time|zap)|one shock|una (?:sola )?vez",
    "defib": r"defib\w*|icd|implanted (?:defibrillator|device)|desfibrilador",
    "repeated": r"twice|again|(?:two|three|four|five|several|multiple|many) (?:times|shocks)|more than once|back to back|dos veces|otra vez|varias veces",
    "nitro": r"nitro(?!furantoin|gen|us\b)\w*",
    "retention": (r"(?:can'?t|cannot|(?:haven'?t|hasn'?t|have not|has not) been able to|unable to|not able to|couldn'?t) (?:pee|urinate|void)(?: \w+){0,3} (?:since|for|all)\b"
                  r"|(?:no (?:puedo|puede|he podido|ha podido) orinar)"),
    "bladder_full": (r"bladder(?: [\w']+){0,5} (?:full|bust|burst|explode|hard|swollen|distended)|vejiga (?:\w+ )?(?:llena|hinchada|dura)"
                     r"|(?:lower (?:belly|stomach|abdomen|tummy)|(?:belly|stomach) down low)(?:'s| is)?(?: \w+){0,3} (?:full|hard|swollen|distended|bloated)"
                     r"|(?:prostate|prostata|flomax|tamsulosin)"),
    "bp_crisis": (r"(?:1\d\d|one \w+(?:[- ]\w+)?) over (?:1[1-9]\d|one (?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
                  r"|eighteen|nineteen|twenty|thirty|forty))|sobre ciento|"
                    r"(?:1[89]\d|2\d\d)\s*(?:over|/|sobre)\s*\d{2,3}|(?:one |(?:a |one )?hundred (?:and )?)(?:eighty|ninety)[- ]?\w* over"
                  r"|two (?:hundred )?(?:and )?(?:\w+[- ])?\w+ over|doscientos(?: \w+){0,2} sobre"),
    # signs of organ damage (a hypertensive emergency); a high reading with a plain headache is a same-hour call
    "crisis_sign": (r"borros\w*|lucecitas|sparkl\w*|spots|puntitos|brillant\w*|chest|confus\w*|confund\w*|no sabe (?:donde|quien)|vision"
                    r"|blurr\w*|smear\w*|(?:can'?t|cannot) see|no (?:ve|veo) bien|short of breath|" + _NUMB + r"|tingl\w*|hormigue\w*|adormec\w*"
                    r"|nose ?bleed|pecho|vomit\w*|throw\w* up|threw up|weak\w*|slurr\w*"
                    r"|(?:worst|severe|excruciating|horrible|terrible|awful)(?: \w+)? headache|(?:el )?peor dolor de cabeza"
                    r"|dolor de cabeza (?:muy fuerte|que no se (?:me |le )?quita)"),
    "dry_child": (r"(?<!casi )(?<!almost )(?:no wet diapers?|last (?:wet )?diaper(?: was| he had| she had)?(?: about| like| maybe| around| over)? (?:eight|nine|ten|eleven|twelve|fourteen|fifteen|sixteen|eighteen|twenty|\d\d) hours|hasn'?t (?:wet|had a wet)|no tears"
                  r"|sunken(?: \w+){0,2} (?:eyes?|soft spot|fontanel\w*|cheeks?)|(?:eyes?|soft spot|fontanel\w*|cheeks?)(?:'s| is| are| look| looks| seem| seems)?(?: \w+){0,2} sunken"
                  r"|soft spot|no ha mojado|panal seco|sin lagrimas|mollera hundida)"),
    # Not peeing since morning beside vomiting is a dehydration to see today; it is severe with a dried-out
    # mouth, no tears, or in a baby's diapers.
    "no_pee": r"(?<!casi )(?<!almost )(?:hasn'?t (?:peed|urinated)|no (?:pee|urine)|no ha (?:orinado|hecho pipi))",
    "dry_sign": (r"(?:mouth|lips|tongue|boca|labios|lengua)(?:'s| is| are| feels?| looks?| esta| estan)?(?: \w+){0,3} (?:dry|cracked|sticky|parched|sec[oa]s?|partid[oa]s)"
                 r"|dry (?:mouth|lips)|diapers?|panal\w*"),
    "burn": r"burn\w*|scald\w*|grease|boiling|(?:from|off|with|of) (?:the |a )?kettle|kettle (?:spilled|tipped|fell|water)|quemad\w*|quem\w*",
    "burn_bad": (r"face|hands?|blister\w* (?:all over|everywhere|up)|big blisters|whole (?:arm|leg|back|chest)|chemical|charred|white|leathery"
                 r"|skin (?:is )?(?:peeling|coming off)|chest and (?:both )?arms|cara|manos|ampollas"),
    "eye_chem": (r"(?:bleach|cleaner|chemical\w*|drain|oven|lye|acid|ammonia|cloro|quimico\w*|destapa\w*|limpiador\w*|acido|lejia|amoniaco)(?: \w+){0,8} (?:eyes?|ojos?)"
                 r"|(?:eyes?|ojos?)(?: \w+){0,8} (?:bleach|cleaner|chemical\w*|lye|acid|cloro|quimico\w*|destapa\w*|limpiador\w*|acido|lejia|amoniaco)"),
    "fracture_bad": (r"shaped like an? \w|bent in the middle|(?:rolled|turned|turning|rolling|pointing) out(?:ward|wards)?(?! (?:to|that|it|he|she|they|i|we|fine|ok|okay|well|good|great|alright|all right|normal|negative|nothing|just)\b)|shorten\w*|shorter than the other|no (?:se )?puede (?:parar|levantar)"
                     r"|(?:dog|perro)(?: \w+){0,4} (?:bit|bite|mordi\w*)(?: \w+){0,6} (?:face|cara)|mordi\w*(?: \w+){0,6} cara|"
                    r"bone (?:is )?(?:sticking|poking|pushing)|(?:bent|pointing|facing|turned)(?:[\s,]+\w+){0,3} (?:the )?wrong way"
                     r"|wrong way|deform\w*|at a weird angle|(?:can'?t|couldn'?t|cannot) (?:get up|stand up(?! straight))|hip(?: \w+){0,5} (?:(?:can'?t|couldn'?t|cannot)|won'?t)|hueso (?:salido|de fuera)|no se puede levantar"),
    "no_weight": r"(?:can'?t|couldn'?t|cannot|won'?t|unable to) (?:bear|put|take) (?:any )?weight|no (?:se )?puede apoyar",
    "hip": r"hips?|cadera",
    # a cast or splint too tight: the circulation below it
    "cast": r"cast|splint|yeso|ferula",
    "circulation_bad": (r"(?:fingers?|toes?|dedos?)(?: \w+){0,4} (?:blue\w*|bluish|purple|white|pale|cold|" + _NUMB + r"|morad\w*|fri[oa]s?)"
                        r"|(?:can'?t|couldn'?t|cannot|barely) (?:move|wiggle|feel) (?:his|her|my|the) (?:fingers|toes)|no (?:puede|siente) (?:mover )?los dedos"
                        r"|(?:hurts?|pain)(?: \w+){0,3} (?:way |much |a lot )?worse than when"),
    # cauda equina: numbness where one sits, bladder or bowel control lost, with a back problem
    "saddle_numb": (r"saddle|(?:" + _NUMB + r"|tingl\w*|no feeling|can'?t feel)(?:[\s,]+\w+){0,5}[\s,]+(?:groin|butt\w*|bottom|private\w*|inner thighs?|between (?:my|his|her) legs|seat area|where (?:i|you|he|she) sits?|entrepierna|nalgas)"
                    r"|(?:groin|buttocks?|bottom|private parts)(?: \w+){0,4} (?:" + _NUMB + r"|tingl\w*|dormid\w*)"),
    "sphincter": (r"(?:couldn'?t|can'?t|didn'?t|did not|could not) (?:even )?(?:tell|feel|know) (?:that )?(?:i|he|she) (?:had|needed|has|needs) to (?:pee|go|urinate)|(?:lost|losing|no) control (?:of|over) (?:my |his |her |the )?(?:bowels?|bladder|pee)|(?:can'?t|couldn'?t|cannot|unable to|(?:haven'?t|hasn'?t|have not|has not) been able to) (?:pee|urinate)"
                  r"|wet (?:my|him|her)self|no (?:puede|puedo) orinar"),
    "spine": r"back|spine|spinal|disc|disk|sciatica|fusion|espalda|columna",
    # a face half paralysed, told by what it cannot do (Bell's palsy or a stroke: no one tells them apart by phone)
    "facial_palsy": (r"(?:can'?t|cannot|couldn'?t|won'?t) (?:fully )?(?:close|shut) (?:my|his|her|the) (?:left |right )?eye(?:lid)?"
                     r"|(?:forehead|eyebrow)(?:'s)? (?:won'?t|doesn'?t|can'?t|will not|does not) (?:wrinkle|move|lift|raise|go up)"
                     r"|(?:water|drinks?|liquid|coffee|food|drool|saliva) (?:\w+ ){0,2}(?:dribbl|leak|spill)\w* out(?: of)? "
                     r"(?:(?:the|one|my|his|her)(?: \w+)? (?:side|corner)|when (?:i|he|she) (?:drinks?|eats?))"
                     r"|(?:one|left|right|that) side of (?:my|his|her|the) face(?: \w+){0,2} (?:is |feels |felt |went |has gone |gone )?"
                     r"(?:heavy|weak|dead|frozen|paralyz\w*|limp|not moving)|no (?:puede|puedo) cerrar (?:el|mi|su) ojo"),
    "no_gas": _NO_GAS,
    # neither food nor drink for days: a withdrawn, catatonic or failing adult drying out
    "no_intake": (r"(?:hasn'?t|has not|haven'?t|have not|won'?t|will not|not|no|stopped|barely|hardly|no (?:ha|he|han|quiere)|ni)(?: [\w']+){0,3}? (?:eat\w*|ate|food|comido|comer|comida)"
                  r"(?:[ ,.]+[\w']+){0,12}?[ ,.]+(?:(?:or|nor|ni)(?: [\w']+){0,4}? (?:drink\w*|drank|drunk|fluids|water|agua|bebido|tomado nada)"
                  r"|(?:hardly|barely|not|no|nothing to|won'?t|hasn'?t|haven'?t|isn'?t)(?: [\w']+){0,3}? (?:drink\w*|drank|drunk|fluids|water|agua|bebido|liquidos))"),
    # a span of days, the duration `no_intake` needs
    "for_days": (r"(?:two|three|four|five|six|several|a few|a couple of|\d+|dos|tres|cuatro|cinco|varios) (?:whole )?(?:days|dias)"
                  r"|since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend|last week)"
                  r"|desde el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)"),
    # a pregnant belly going hard is a contraction (the pregnancy rules judge it), not a surgical belly
    "contraction": r"contraction\w*|tighten\w*|braxton|contraccion\w*|se me pone dur[ao]",
    "emesis": r"vomit\w*|throw\w* up|threw up|puk\w*|devolv\w*",
    "blackening_med": r"iron|ferrous|pepto\w*|bismuth|hierro",
    "fell": r"fell|fall|fallen|tripped|slipped|tumble|se cayo|caida|resbalo",
}
# Diagnosis words people use mostly about the past ("after his stroke"): current only with a marker of now.
DIAGNOSES = {
    "acute_coronary": r"heart attack|cardiac arrest|infarto|ataque al corazon",
    "stroke_signs": r"stroke|mini[- ]stroke|(?<!mi )(?<!su )(?<!tu )(?<!la )tia|derrame|embolia",
    "anaphylaxis": r"anaphyla\w*|anafila\w*",
    "adult_overdose": r"overdos\w*|sobredosis",
    "seizure": r"seizures|epileptic (?:fit|attack|seizure|episode)s?|(?:ataque|crisis|convulsion\w*) epilep\w*",
}
_NOW = re.compile(r"\b(?:having|is having|think (?:i'?m|he'?s|she'?s|it'?s|this is|i am|he is|she is)|might be|could be|"
                  r"(?:is|was) (?:this|it) a|right now|now|today|tonight|this (?:morning|afternoon|evening)|"
                  r"minutes ago|an hour ago|just (?:had|now)|teniendo|esta teniendo|ahora|hoy|creo que (?:es|esta|le)|ahorita)\b")

_NEGATION = re.compile(
    r"\b(?:no|not|never|denies|denied|deny|without|free of|negative for|nor|none|neither|isn'?t|wasn'?t|doesn'?t|"
    r"don'?t|didn'?t|hasn'?t|haven'?t|hadn'?t|aren'?t|ain'?t|nothing like|zero|nobody(?:'s)?|no[- ]one(?:'s)?|sin|nunca|tampoco|ni"
    r"|ningun\w*|nada de)\b")
_NEW_CLAUSE = re.compile(
    # "or" before "my ..." goes on a list ("no swelling in my face or my throat"), it opens no clause
    r"(?:[,:]|\b(?:and|or|y|o)\b)\s+(?=(?:and |y |que )?(?:he|she|i|it|they|we|(?<!\bor )(?:his|her|my|their|the)|now|then|is|has|was|keeps|started"
    r"|el|ella|su|mi|ahora|esta|tiene|le|se|me|tengo|estoy|yo|soy|siento|creo|pienso|hay"
    # a new time frame opens a new statement: "casi no orina, y hoy no me reconoce"
    r"|today|tonight|yesterday|last night|this (?:morning|afternoon|evening)|hoy|anoche|ayer|ahorita)\b)"
    r"|(?<!not )(?<!n't )\b(?:so|then|entonces|because|porque)\b"
    r"|(?<=\w) (?=(?:i'?ve|i'?ll|they'?ve|we'?ve) )")  # "if this doesn't work I've figured ...": a new subject
_CONTRAST = re.compile(r"\b(?:but|except|though|although|however|yet|still|now|pero|sino|aunque|ahora)\b")
# A question about a threshold: "what number is too low", "what temperature would be too high for a baby"
_THRESHOLD = r"(?:what|which|how) (?:\w+ ){0,2}(?:is|would be|counts as|should be) too (?:low|high|much)"
_THRESHOLD_Q = re.compile(rf"\b{_THRESHOLD}\b")
_HYPOTHETICAL = re.compile(
    r"\b(?:read (?:online|on the internet|somewhere|(?:[\w']+ ){0,6}?that)|(?:can|could|may|might) (?:also |sometimes )?cause|supposed to do if|lei (?:en internet|en linea|que)|what (?:should|do|would|can|does) (?:i|we|you|they|he|she|(?:the |our |my |his |her )?\w+) do if|what (?:i|we|they) (?:should|must|can|need to|have to) do if|what if|in case|" + _THRESHOLD + r"|what (?:exactly )?counts as|if (?:one day|someday|some day)|should (?:i|we) (?:worry|be worried|call) if|(?:only )?(?:to )?worry if|can (?:i|he|she) (?:take|drink|have|use)|"
    r"is it (?:ok|okay|safe|alright|normal)|when (?:should|do|would) (?:i|we)|"
    r"watch (?:out )?for|signs? of|warning signs|symptoms? of|what to do if|how (?:do|would) (?:i|we) know|"
    r"worried (?:about|that) (?:he|she|i) (?:might|could|will)|whether|asked (?:me|him|her|them)(?: \w+){0,2} (?:if|whether)|(?:le|les|me) pregunt\w*(?: \w+){0,2} si|si (?:algun dia|un dia|alguna vez)|call (?:you |us |back |the office |right away |immediately |straight away )?if|cut-?off|threshold|might (?:happen|get)|(?:may|might|could) (?:start|begin)|en caso de|si (?:le|me|se) (?:da|pasa|baja|sube)|que hago si|if (?:i|he|she|we|they|you|it) (?:(?:do |does )?ever|(?:does |do |should )?(?:gets?|starts?|develops?|happens?)|(?:does |do )?ha(?:ve|s) (?:another|a second)))\b")
# A later clause that says what is happening now ends the hypothetical: "he said to call if anything changed,
# and since last night my legs are numb"; "me dijo que llamara si empeoraba, y ahora no puede hablar".
_NOW_AFTER = re.compile(
    r"(?:[,;]|\b(?:and|but|pero|y)\b)\s+(?:(?:and|but|pero|y|well|um|uh)\s+)?(?:(?:so|then|entonces)\s+)?"
    r"(?:now|right now|today|tonight|this (?:morning|afternoon|evening)|last night|since (?:last|this|yesterday|about|around)"
    r"|it (?:has|did)\b(?! not)|(?:he|she|it|i) (?:just )?(?:has|did)(?=[ ,.])|ahora|ahorita|hoy|anoche|desde (?:ayer|anoche|esta|hoy))\b")
_PAST_TIME = (  # a time long enough ago that an event placed there is history
    r"last (?:year|month|week|spring|summer|fall|autumn|winter|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|time)|"
    r"(?:\w+ )?(?:years?|months?|weeks?) ago|back in (?:the day|high school|college|the (?:spring|summer|fall|winter|\w+ties|\d+s))|in (?:19|20)\d\d|in (?:january|february|march|april|june|july|august|"
    r"september|october|november|december)|when (?:i|he|she) was (?:young|little|a (?:kid|child|teen\w*|baby)|in (?:high school|college|school)"
    r"|\w+teen|\d{1,2})|(?:a )?long (?:time )?ago|years back|a while back|"
    r"(?:the|el) (?:ano|mes|lunes|martes|miercoles|jueves|viernes|sabado|domingo) pasado|la semana pasada|hace (?:un|una|dos|tres|cuatro|cinco|varios|muchos|\d+) (?:anos?|meses|semanas)|"
    r"(?:after|since|from) (?:my|his|her|the) (?:stroke|heart attack|surgery|bypass|stent|seizure|overdose)")
_PAST_AT = re.compile(rf"\b(?:{_PAST_TIME})\b")
_PAST = re.compile(rf"\b(?:{_PAST_TIME}|history of|recovered|doing (?:really |very |so )?(?:great|fine|well|good)|"
                   r"had (?:a|an|his|her|my) (?:\w+ )?(?:stroke|heart attack|seizure|overdose)|"
                   # a visit to the ER already made for it: the event was seen to, unless the sentence says now
                   r"(?:went|been|was|were) (?:seen )?(?:in|to|at) the (?:er|e r|emergency room|emergency department|hospital|urgent care)|"
                   r"(?:was|were|been|got) (?:seen|evaluated|treated|worked up) (?:here|there|in|at|by)|"
                   r"took (?:him|her|me|them) to the (?:er|e r|emergency room|hospital|urgent care)|"
                   r"we (?:saw|evaluated|treated) (?:your |the |our )?(?:patient|him|her|them)(?: [\w,]+){0,5}? for|"
                   r"(?:fui|fue|fuimos|estuvo|estuve|lo llevamos|la llevamos|lo lleve|la lleve) (?:a|en) (?:la |el )?(?:sala de )?"
                   r"(?:emergencias?|urgencias|hospital))\b")
_WELL = r"(?:fine|ok|okay|better|normal)"  # how a caller says an episode is over
_RESOLVED = re.compile(
    r"\b(?:fine now|better now|good now|all better|okay now|ok now|resolved|sent (?:him|her|me|us) home|went away|gone now|turned out to be|checked out fine|ruled (?:it |that |them )?out|came (?:right )?back (?:up|fine|to normal)|(?:they|doctor|doctors|er|hospital) (?:said|told (?:me|him|her|us)) it was(?:n'?t| not)?|"
    r"cleared (?:him|her|me)|(?:was|got|been|(?:he|she)'?s been) admitted|admitted (?:him|her|me)|(?:he'?s|she'?s|he is|she is|i'?m|i am) (?:now )?stable|ya (?:esta|estoy) bien(?! (?!y\b|gracias\b|ya\b|pero\b|ahora\b|de\b|del\b|con\b)\w)|se (?:me|le) quito|now (?:i'?m|he'?s|she'?s|it'?s|i am|he is|she is) " + _WELL +
    r"|(?<!get )(?<!got )(?<!make )(?:it|the bleeding|bleeding)(?:'s| has| had)? (?:pretty much |mostly |basically |almost )?stopped(?! \w+ing))\b")
_BACK = re.compile(r"\b(?:(?<!never )again|still|(?:it'?s|is|came|coming|they'?re) back(?! up| fine| to normal)|worse|but now"
                   r"|now (?:he|she|i|it|they)(?!(?:'?s|'?m| is| am) " + _WELL + r")|otra vez|de nuevo|regreso|volvio)\b")
_RECURRED = re.compile(r"\b(?:(?:it'?s|it is|it has|they'?re|they are) (?:come )?back|(?:it|they|the pain) came back|coming back"
                       r"|happened again|(?:started|starting) again|otra vez|de nuevo|volvio|regreso)\b")
_NOW_WORDS = (r"now|right now|today|tonight|this (?:morning|afternoon|evening|week)|since(?! then)|for the (?:last|past)|"
              r"(?<!never )again|still|currently|just now|minutes ago|an hour ago|hours ago|keeps|started|getting worse|worse|"
              r"ahora|hoy|todavia|otra vez|de nuevo|desde (?:ayer|anoche|esta)")
_CURRENT = re.compile(rf"\b(?:{_NOW_WORDS}|just had)\b")
_CURRENT_AT = re.compile(rf"\b(?:{_NOW_WORDS})\b")  # beside a past time, "just had" is recent history
_PRESENT = re.compile(r"\b(?:(?:i|we|they|you)'?ve got|(?:he|she|it)'?s got|(?:have|has) got|(?:i'?m|he'?s|she'?s|is|am|are) having"
                      r"|tengo|tiene|tienen|esta teniendo)\b")
_IDIOMS = re.compile(
    r"\b(?:(?:i|we|he|she) thought (?:i|he|she|it) (?:was|were) (?:having|about to have) (?:a )?(?:stroke|heart attack)|"
    r"(?:gave|give|giving|gives|nearly|almost|about to|going to|gonna|like to) (?:me |him |her |you )?(?:have |had )?"
    r"(?:a |an )?(?:heart attack|stroke|aneurysm|coronary)|dying to|to die for|scared (?:me )?to death|killing me|kill me|"
    r"bored to death|sick (?:and tired )?of|(?:about|nearly|almost) (?:passed|pass|fainted|had a heart attack)(?: out)? when|"
    r"(?:for (?:the|a|my|his|her)|had (?:a|the)|history of|sister had a|brother had a) blood clots?|"
    r"blood clots? in (?:my|his|her|the) (?:legs?|lungs?|calf)|drowning in (?:paperwork|bills|work|debt|forms)|"
    r"(?:message|voicemail|line|recording|call|connection) (?:was |is )?(?:kind of |a little |all )?(?:garbled|cutting out)|"
    r"(?:golf|tennis|ping[- ]?pong|base|foot|soft|basket|bowling|cotton|gum|meat|snow|rubber|bouncy|beach|eye)[- ]?balls?|"
    r"blind as a bat|(?:window )?blinds|"
    # swollen lymph glands are not a swelling throat
    r"(?:swollen|swelled|enlarged|hinchad\w*|inflamad\w*) (?:lymph )?(?:glands|nodes|ganglios|bolitas)|"
    r"(?:glands|lymph nodes|ganglios|bolitas)(?: \w+){0,3} (?:are |is |estan )?(?:all |bien |muy |really )?(?:swollen|swelled|up|enlarged|hinchad\w*|inflamad\w*)|"
    # a pill for the blood is a blood thinner, not bleeding; itching scratched raw is not self-harm; a locked jaw is dystonia
    r"(?:para|pa) (?:la )?sangre|(?:prueba|pruebas|examen|examenes|analisis|estudios?)(?: de \w+)? de (?:la )?sangre|(?:adelgazar|aguadar|diluir) la sangre|"
    r"(?:sacaron|sacar|sacan|sacaran|tomaron|tomar) (?:(?:la|una|unas) )?(?:muestras? de )?sangre|(?:la|el) de sangre|"
    # a watch, ring or shoe gone tight is swelling, not a tight chest; drowned tomatoes are no breathing trouble;
    # the buzz of a dialysis fistula is not a feeling in the arm
    r"(?:watch|watchband|ring|rings|shoes?|boots?|cast|bandage|brace|splint|pants|jeans|waistband|socks?|sleeves?|bracelet|stockings?)"
    r"(?:'s| is| are| feels?| got| getting| gotten| has gotten| have gotten)?(?: \w+){0,2} tight\w*|"
    r"(?:plants?|garden|tomato\w*|flowers?|lawn|yard|basement|crops?|seedlings?|roses?)(?: \w+){0,2} drown\w*|"
    r"(?:can'?t|cannot|couldn'?t|don'?t|do not) feel (?:the |a |any |my |its )?(?:buzz\w*|thrill|vibration|purr\w*)|"
    r"(?:itch\w*|pica\w*)(?: [\w']+){0,6} scratch\w*(?: \w+)? raw|"
    r"(?:jaw|mandibula)(?:'s)?(?: [\w,]+){0,3} (?:locked|lock|stuck|clench\w*|trabad\w*)|lockjaw|clench\w* (?:my|his|her|the) (?:jaw|teeth)|"
    # nerve pain "like an electric shock" is no device shock; a back that seized up is a muscle, not a seizure
    r"electric(?:al)?[- ]shock(?:[- ]like)? (?:pains?|sensations?|feelings?|jolts?)|(?:pains?|jolts?|zings?|sensations?) like (?:an? )?electric(?:al)? shocks?|"
    # shocks "in the head" after stopping an antidepressant are brain zaps
    r"electric(?:al)?[- ]shocks?(?: \w+){0,2} in (?:my|his|her|their|the) (?:head|brain)|brain zaps?|"
    r"(?:back|neck|muscles?|legs?|calf|calves|shoulders?|hamstrings?|knees?|hips?|joints?)(?:'s)?(?: \w+){0,2} seiz(?:ed|ing|es) up|"
    # "get any bend out of it" is not "out of it"
    r"get(?:ting)? (?:any|much|more|a|the|some|enough) \w+ out of it|"
    # papers dropped off are not a hand that drops things; a dose the doctor doubled is no double dose; feet that
    # neuropathy numbed long ago are not a stroke's
    r"(?:dropp(?:ing|ed)|drops?) off (?:\w+ ){0,3}?(?:paperwork|papers?|forms?|records?|samples?|specimens?|prescriptions?"
    r"|letters?|notes?|checks?|payments?|cards?|kits?)|(?:dropp(?:ing|ed)|drops?) (?:it|them|these|those|this|that) off|"
    r"(?:doctor|dr|cardiologist|psychiatrist|provider|prescriber|they|you) (?:\w+ )?doubled (?:his|her|my|the|their)|"
    r"(?:can'?t|cannot) (?:really )?feel (?:my|his|her|their) (?:feet|toes)(?= anyway| anymore| because of| on account"
    r"| from (?:the |his |her |my )?(?:neuropathy|diabetes|sugar))|"
    # a burn "the size of my hand" is its size, not its site; breathless only on the stairs is not breathless now
    r"(?:the )?size of (?:a |my |his |her |your )?(?:hand|palm)|"
    r"(?:short of breath|winded|out of breath)(?: \w+){0,2} (?:going up|climbing|walking up|on|with|after) (?:the |a |two |some )?(?:flights? of )?(?:stairs|steps|hills?|exercise|exercising|running|jogging)(?=.{0,40}\b(?:but|fine|okay|ok) (?:at rest|sitting|resting|when (?:i|he|she) (?:sit|rest))\b)|"
    r"(?:side|flank|costado)(?:[ ,]+[\w']+){0,5}[ ,]+(?:back|espalda)(?=.*\b(?:in waves|kidney stones?|piedras? en el rinon|calculos?)\b)|"
    r"personal injury|(?:dar|doy|dando|darle|dandole|le doy|le estoy dando) (?:el )?pecho|amamant\w*|pecho (?:izquierdo|derecho)(?: \w+){0,2} (?:roj\w*|hinchad\w*|dur\w*|calient\w*)|"
    r"(?:dose|doses|pills?|medicine|juice|stuff|pen|bottle|vial) out of it|(?:goes|going|comes|coming|radiat\w*|spread\w*|shoot\w*|mov\w*|travel\w*|wrap\w*)(?: \w+){0,3} (?:to|toward|towards|into|down to) (?:my |his |the |la |el )?(?:groin|ingle)(?:,? (?:the|my|his) groin)?|(?:chest|breathing|lung|heart|sleep|stress) (?:x-?rays?|tests?|study|studies|scans?|monitor)|me (?:va|iba) a dar (?:un|algo)|me muero por|over my dead body|"
    r"heart (?:failure|rate|valve|monitor)|(?:heart|stroke|cardiology|cardiologist|seizure|epilepsy|asthma|bleeding|suicide|overdose) (?:doctor|clinic|"
    r"specialist|medication|medicine|meds|pills|prevention|hotline|follow[- ]?up|appointment|referral|action plan|center)|"
    r"seizure (?:disorder|precautions)|seizure[- ]free|blood (?:work|test|tests|draw|pressure|count|results?|panel|type)|"
    r"(?:sugar|glucose|blood pressure|bp) (?:log|logs|readings have been (?:good|fine|normal))|pressure (?:cuff|medicine|pills)|"
    # body weight is not a weight on the chest; a blood-pressure machine is not a sugar meter
    r"(?:lost|lose|loses|losing|gained|gain|gains|gaining|put on|dropped) (?:\w+ ){0,2}weight|weight (?:loss|gain|watchers|check)|"
    r"weigh(?:s|ed)? (?:about |around |maybe |like |only )?\w+ (?:pounds|lbs|kilos)|"
    r"(?:blood )?pressure (?:on|with|from) (?:my|the|his|her) (?:machine|cuff|monitor)|(?:pressure|bp) (?:machine|monitor)|"
    # the medicine a patient takes for seizures names the condition, not a seizure now
    r"(?:for|para|pa'?) (?:(?:his|her|my|their|the|las|sus|mis|la) )?(?:seizures|convulsiones)|"
    # a pill doubled after a missed one is the contraceptive's usual advice; a medicine that "can hurt the
    # baby" is no threat to anyone
    r"(?:birth control|contracepti\w*|anticonceptiv\w*)(?: [\w,']+){0,12}? (?:doubled up|double(?:d)? (?:up|the dose|dose)|took two|tome dos)|"
    r"(?<!\bi )(?<!\bhe )(?<!\bshe )(?<!\bthey )(?<!\bwe )(?<!\byou )(?:can|could|might|may|will) (?:hurt|harm|damage)(?= (?:the|a|my|her) (?:baby|fetus|pregnancy))|"
    # "can't see anything on the portal" is about a screen, not eyesight
    r"(?:can'?t|cannot|couldn'?t|unable to|no (?:puedo|puede)) (?:see|view|ver)(?: \w+){0,4} (?:on|in|en) (?:the |my |his |her |el |mi |su )?"
    r"(?:portal|app|website|site|chart|account|screen|statement|bill|mychart|pagina|cuenta|aplicacion))\b")


@dataclass(frozen=True)
class Rule:
    """Concepts that must all occur in one sentence (`here`), with `context` anywhere in the message."""

    here: tuple[str, ...]
    context: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()  # concepts that, in the same sentence, make it something milder
    unless_after: int = 0  # how many following sentences an `unless` concept also counts in


@dataclass(frozen=True)
class Protocol:
    """One clinical situation from the written protocol list, and the rules that recognise it."""
    name: str
    urgency: str  # the level a current, unnegated hit sets at least
    about: str  # one line for the written list
    rules: tuple[Rule, ...]


def _r(*here: str, ctx: tuple[str, ...] = ()) -> Rule:
    return Rule(tuple(here), ctx)


PROTOCOLS: tuple[Protocol, ...] = (
    Protocol("acute_coronary", "emergency", "chest pain, pressure or heaviness; arm, jaw or back pain with sweating",
             (Rule(("chest", "chest_feel"), unless=("skin_lesion",)), _r("heart", "chest_feel"), Rule(("radiating", "chest_feel"), ("acs_assoc",), ("kidney_area", "fever")),
              Rule(("jaw_arm", "chest_feel"), ("acute",), ("arm_swollen",)), _r("nitro", ctx=("chest_feel",)),
              _r("heartburn", ctx=("jaw_arm", "acs_assoc")), _r("sat_on"))),
    Protocol("stroke_signs", "emergency", "face droop, slurred or jumbled speech, one-sided weakness, sudden vision loss",
             (_r("face", "droop"), _r("facial_palsy"), _r("speech_bad"), Rule(("limb", "limb_weak"), unless=("nerve_block", "limb_injured")), _r("limb", "weak", "one_side"),
              Rule(("limb", "numb", "one_side"), unless=("nerve_block",)), Rule(("face", "numb"), unless=("perioral",)),
              _r("vision_loss"))),
    Protocol("breathing_difficulty", "emergency", "cannot catch breath, gasping, blue lips, cannot finish a sentence",
             (_r("breath_bad"), _r("blue"), _r("cant_talk"), _r("spit"))),
    Protocol("asthma_unrelieved", "emergency", "asthma attack not relieved by the inhaler; ribs sucking in",
             (_r("rescue_fail"), _r("retractions"))),
    Protocol("anaphylaxis", "emergency", "throat or tongue swelling or closing; epinephrine used; hives with breathing trouble; "
             "blistering or peeling skin with mouth sores and sore eyes (a severe drug reaction)",
             (_r("throat", "swell_close"), _r("epi"), _r("face_swell", ctx=("airway_sign",)), _r("swallow_bad", ctx=("hives",)),
              _r("swallow_bad", ctx=("allergy",)), _r("hives", ctx=("allergy_resp",)), _r("hives", "breath_bad"), _r("hives", "dizzy"),
              _r("skin_blister", ctx=("mouth_sores", "eye_burn")))),
    Protocol("severe_bleeding", "emergency", "bleeding that will not stop, soaking through, spurting",
             (_r("bleed", "heavy_bleed"), _r("blood_flow", ctx=("wound",)), _r("spurting"))),
    Protocol("nosebleed_uncontrolled", "emergency", "nosebleed over half an hour or with light-headedness",
             (Rule(("nose", "bleed", "long_time"), unless=("bleed_stopped",), unless_after=1),
              Rule(("nose", "bleed"), ("long_time",), ("bleed_stopped",), unless_after=1), _r("nose", "bleed", ctx=("heavy_bleed",)), _r("nose", "bleed", ctx=("dizzy",)), _r("nose", "bleed", ctx=("anticoag",)))),
    Protocol("gi_bleeding", "emergency", "vomiting blood or coffee grounds, black tarry stools",
             (Rule(("gi_blood",), unless=("blackening_med",)),)),
    Protocol("bleeding_with_shock_signs", "emergency", "any bleeding with light-headedness or fainting; on a blood thinner, "
             "bleeding that goes on or is heavy",
             (_r("bleed", ctx=("shock_sign",)), _r("bleed", "long_time", ctx=("anticoag",)), _r("bleed", ctx=("anticoag", "heavy_bleed")), _r("inr_high", ctx=("bleed",)),
              _r("inr_high", ctx=("shock_sign",)))),
    Protocol("post_procedure_bleeding", "emergency", "bleeding after a colonoscopy, tonsillectomy, biopsy or surgery",
             (_r("bleed", "heavy_bleed", ctx=("procedure",)), _r("bleed", ctx=("procedure", "dizzy")),
              _r("bleed", ctx=("procedure", "heavy_bleed")), _r("swallow_bad", ctx=("procedure",)))),
    Protocol("pregnancy_emergency", "emergency", "pregnant with bleeding, severe pain, no fetal movement, waters broken, "
             "headache with vision spots; heavy bleeding after delivery",
             (_r("pregnancy_bad", ctx=("pregnant",)), Rule(("bleed",), ("pregnant",), ("spotting", "bowel")), Rule(("bleed",), ("postpartum",), ("spotting",)),
              _r("worst_headache", ctx=("pregnant",)))),
    Protocol("altered_consciousness", "emergency", "fainted, unresponsive, hard to wake, suddenly confused",
             (_r("unresponsive"), _r("confused", "acute"))),
    Protocol("not_eating_drinking", "emergency", "an adult who has neither eaten nor drunk for days",
             (Rule(("no_intake", "for_days"), unless=("child",)),)),
    Protocol("hypoglycemia", "emergency", "low blood sugar with shaking, sweating, confusion or drowsiness",
             (_r("sugar", "low", ctx=("hypo_signs",)), _r("low_word", ctx=("diabetes", "hypo_signs")), _r("hypo_treatment"))),
    Protocol("hyperglycemia_dka", "emergency", "very high blood sugar with vomiting, fast breathing, fruity breath",
             (_r("sugar", "sugar_very_high", ctx=("sugar_high_sign",)),)),
    Protocol("adrenal_crisis", "emergency", "adrenal insufficiency with vomiting and weakness, dizziness or fainting",
             (_r("adrenal", ctx=("emesis", "dizzy")),)),
    Protocol("child_ingestion", "emergency", "a child swallowed pills, a battery, a magnet or a chemical",
             (_r("ingest", "toxic", "child"), _r("ingest", "toxic", ctx=("infant",)), _r("ingest", "danger_med", ctx=("child",)),
              _r("ingest_strong", "toxic", ctx=("child",)),
              _r("ingest_strong", ctx=("toxic", "child")))),
    Protocol("adult_overdose", "emergency", "too many pills, a double dose of a dangerous drug, a weekly drug taken daily, pills with alcohol; "
             "a caustic or fuel swallowed",
             (_r("too_many", "toxic"), _r("too_many", "danger_med"), _r("too_many", ctx=("dizzy",)), _r("ingest_strong", "caustic"))),
    Protocol("poisoning_exposure", "emergency", "carbon monoxide, chemical fumes, poisonous mushroom, snake or spider bite",
             (_r("exposure", ctx=("exposure_sign",)), _r("exposure", "exposure_sign"))),
    Protocol("suicidal_ideation", "emergency", "wants to die, better off without them, a plan or the means at home",
             (_r("suicidal"), _r("means", ctx=("despair",)), _r("means", ctx=("affairs",)), _r("means", ctx=("farewell",)),
              _r("hoarding", "pills"), _r("hoarding"),  # the first only widens the evidence to the pills said
              _r("affairs", ctx=("farewell",)), _r("plan_of_nothing", ctx=("date_of_nothing",)),
              # not being around for what is planned, beside a plan, despair or a farewell (not beside a trip)
              *(Rule(("not_around",), (c,), unless=("away_reason",)) for c in ("plan", "despair", "farewell")))),
    Protocol("self_harm", "emergency", "cutting, burning or other self-injury", (_r("self_harm"),)),
    Protocol("danger_to_others", "emergency", "threats to harm others, commanding voices", (Rule(("harm_others",), unless=("cut_on",)), _r("voices", ctx=("threat",)))),
    Protocol("seizure", "emergency", "a seizure, convulsion or fit, first or prolonged", (_r("seizure"),)),
    Protocol("infant_fever", "emergency", "fever, or a low temperature, in a baby under three months", (Rule(("fever",), ("infant",), ("own_fever",)),)),
    Protocol("meningitis_signs", "emergency", "fever with stiff neck, light sensitivity or a rash that does not fade",
             (_r("stiff_neck", ctx=("fever",)), _r("stiff_neck", ctx=("worst_headache",)))),
    Protocol("tetanus", "emergency", "a jaw that will not open after a wound, or with muscle spasms",
             (_r("mouth_shut", ctx=("tetanus_risk",)), Rule(("mouth_shut",), ("spasms",), ("dental",)))),
    Protocol("thunderclap_headache", "emergency", "sudden worst headache of one's life",
             (_r("worst_headache"), _r("headache", "sudden_onset"))),
    Protocol("head_injury_anticoagulant", "emergency", "a head injury on a blood thinner, or with vomiting, fainting or confusion",
             (_r("head_injury", ctx=("anticoag",)), _r("head_injury", ctx=("head_injury_sign",)))),
    Protocol("sepsis_signs", "emergency", "fever or chills with confusion, mottled skin, fast breathing; any fever on chemotherapy or with sickle cell; "
             "a wound or limb whose skin turns dusky, purple or black, or hurts far worse than it looks, with spreading "
             "redness or fever (a flesh-eating infection)",
             (_r("fever", ctx=("sepsis_sign",)), _r("fever", ctx=("chemo",)), _r("fever", "confused"),
              _r("skin_dying", ctx=("fever",)), _r("skin_dying", ctx=("spreading",)), _r("pain_disproportion", ctx=("spreading",)),
              _r("pain_disproportion", ctx=("fever",)))),
    Protocol("pe_dvt", "emergency", "a swollen painful calf with breathlessness or chest pain", (_r("calf", "swell_close", ctx=("breath_bad",)), _r("calf", "swell_close", ctx=("winded",)))),
    Protocol("testicular_pain", "emergency", "sudden testicular pain or swelling; an erection that will not go down",
             (_r("testicle", "chest_feel"), _r("testicle", "swell_close"), Rule(("groin", "chest_feel"), unless=("groin_other",)),
              Rule(("groin", "swell_close"), unless=("groin_other",)), _r("priapism"))),
    Protocol("severe_abdominal_pain", "emergency", "severe belly pain: rigid belly, doubled over, cannot stand; "
             "cannot pass urine with a full, hard bladder or a prostate problem; vomiting with no gas passed",
             (Rule(("belly", "severe"), unless=("contraction",)), Rule(("severe",), ("belly",), ("contraction",)), _r("worst_pain"), _r("hernia_stuck"),
              _r("retention", ctx=("bladder_full",)), _r("no_gas", ctx=("emesis",)))),
    Protocol("arrhythmia_syncope", "emergency", "racing, irregular or very slow heartbeat with fainting, dizziness or chest pain; a device shock",
             (_r("heart_rate", ctx=("dizzy",)), Rule(("shock",), unless=("shock_once",), unless_after=1), _r("shock", ctx=("dizzy",)), _r("shock", ctx=("heart_rate",)),
              # one shock and feeling fine is a call to the office; more than one, or with symptoms, is not
              _r("device_fired", "repeated", ctx=("defib",)), _r("device_fired", ctx=("defib", "dizzy")))),
    Protocol("hypertensive_crisis", "emergency", "blood pressure 180/110 or more with a severe headache, chest pain, confusion, vision change, "
             "numbness or vomiting",
             (_r("bp_crisis", ctx=("crisis_sign",)),)),
    Protocol("severe_dehydration_child", "emergency", "a baby or child with no wet diapers, no tears, sunken soft spot",
             (_r("dry_child"), _r("no_pee", ctx=("dry_sign",)))),
    Protocol("severe_burn", "emergency", "a burn to the face or hands, large, blistered or chemical", (_r("burn", "burn_bad"),)),
    Protocol("severe_injury", "emergency", "a deformed limb, a fall and cannot get up, a hip that bears no weight, a chemical in the eye; "
             "numb, blue or cold fingers or toes below a cast",
             (_r("fracture_bad"), _r("eye_chem"), _r("no_weight", ctx=("hip",)), _r("circulation_bad", ctx=("cast",)))),
    Protocol("aortic_dissection", "emergency", "a sudden tearing or ripping pain in the chest or back", (_r("tearing"),)),
    Protocol("critical_lab_value", "emergency", "a laboratory calling a critical value about a patient", (_r("critical_lab"),)),
    Protocol("cauda_equina", "emergency", "numbness where one sits, or lost bladder or bowel control, with a back problem or "
             "with each other",
             (_r("saddle_numb", ctx=("spine",)), _r("sphincter", ctx=("spine",)), _r("saddle_numb", ctx=("sphincter",)))),
)
PROTOCOL_NAMES = tuple(p.name for p in PROTOCOLS)

# Medicines a patient must not miss a day of (LABELS.md: insulin, seizure medicines, blood thinners; also
# transplant drugs, steroids and rescue medicines), by class and by common generic and brand names.
_CRITICAL_MEDS = (r"insulin\w*|lantus|humalog|novolog|basaglar|tresiba|levemir|toujeo|admelog|semglee|insulina"
                  r"|seizure|keppra|levetiracetam|lamotrigine|lamictal|dilantin|phenytoin|depakote|valpro\w*|carbamazepine"
                  r"|tegretol|oxcarbazepine|trileptal|lacosamide|vimpat|anticonvulsiv\w*"
                  r"|blood thinner\w*|warfarin|coumadin|jantoven|eliquis|apixaban|xarelto|rivaroxaban|pradaxa|dabigatran"
                  r"|lovenox|enoxaparin|plavix|clopidogrel|brilinta|ticagrelor"
                  r"|transplant|tacrolimus|prograf|cyclosporine|prednisone|inhaler|epi ?pen|oxygen|oxigeno")
_EMERGENCY_CONTRACEPTION = (r"morning[- ]after pill|plan b\b|emergency contraception|condom (?:broke|came off|slipped off)"
                            r"|pastilla del dia siguiente|se (?:rompio|salio) el condon")
# Urgent signs: a same-hour call (LABELS.md). Same matching, no protocol table of their own.
URGENT_SIGNS: dict[str, str] = {
    # A reading only counts beside a temperature word: transcripts are full of other numbers (DOBs, doses).
    "high_fever": (r"(?:fever|temp\w*|temperature|thermometer|fiebre|calentura)(?:[\s,]+[\w'.]+){0,8}[\s,]+(?:10[3-6](?:[.,]\d)?"
                   r"|(?:a )?hundred (?:and )?(?:three|four|five)|(?:39|40)(?:[.,]\d)?|thirty[- ]nine|forty|ciento (?:tres|cuatro))\b"
                   r"|10[3-6][.,]\d|(?:39|40)[.,]\d (?:degrees|grados)|fiebre (?:muy )?alta"),
    "post_procedure": (r"(?:surgery|operation|incision|stitches|staples|wound|procedure|cirugia|operacion|herida)(?: \w+){0,8} "
                       r"(?:red\w*|pus|drain\w*|ooz\w*|open\w*|hot|warm|swell\w*|swollen|fever|infect\w*|leak\w*|bleed\w*|smell\w*|roj\w*|hinch\w*)"),
    "reaction": (r"(?:rash|hives|itch\w*|swell\w*|swollen|sarpullido|ronchas|hinch\w*)(?: \w+){0,8} (?:since|after|from|started|new|"
                 r"medicine|medication|pill|antibiotic|desde|medicina)|(?:reaction|allergic|side effect|reaccion|alergi\w*)"),
    "dehydration": r"can'?t keep (?:anything|food|water|fluids|it) down|vomit\w* (?:all|since|every)|dehydrat\w*|no retiene|deshidrat\w*",
    "pregnancy": r"pregnan\w*|embaraz\w*|" + _EMERGENCY_CONTRACEPTION,
    "critical_med_out": (r"(?:out of(?! breath)|ran out|run out|running out|no more|last (?:dose|pen|vial)|se (?:me|le) acab\w*|sin)"
                         r"(?: \w+){0,5} (?:" + _CRITICAL_MEDS + r")"),
    "abnormal_result": (r"(?:told|asked) (?:me|us|him|her) to call(?! (?:your |the )?(?:billing|insurance|front desk|records))|call (?:you |us )?back (?:today|about (?:my|the|his|her) (?:results?|labs?))"
                        r"|abnormal|(?:inr|potassium|sodium|hemoglobin|levels?) (?:was |is |were )?(?:too |very |really )?(?:high|low)"),
    "infection": r"red streak|spreading|pus|abscess|infect\w*|cellulitis|infeccion",
    "urinary": r"burn\w* (?:when|while) (?:i |he |she )?pee|(?:pee|urine)(?: \w+){0,4} blood|flank|kidney (?:pain|infection|stone)",
    "pain_new": r"(?:really |very |so )?(?:bad|sharp|severe|intense|awful) (?:pain|ache|headache|earache|cramp\w*)|can'?t (?:walk|sleep) (?:from|because)|mucho dolor|dolor fuerte",
    "injury": r"sprain\w*|twist\w*|(?<!water )(?<!waters )(?<!water just )broke|(?<!water )(?<!waters )broken|fractur\w*|can'?t put (?:any )?weight|cut (?:that )?(?:might|may) need|stitches",
    "mental": r"panic|anxiety attack|can'?t (?:stop crying|cope|sleep)|hopeless(?! (?:with|at)\b)|depress\w*(?! screen)|ansiedad|panico|deprimid\w*",
    "bp_high": (r"\b1[6-9]\d\s*(?:over|/)\s*\d{2,3}|blood pressure (?:is |was )?(?:really |very |so )?high|presion (?:muy )?alta"
                r"|(?:(?:a |one )?hundred (?:and )?|one )(?:sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
                r"(?: over|/| sobre)|ciento (?:sesenta|setenta|ochenta|noventa)(?: y \w+)? sobre"),
    "sugar_high": (r"(?:sugar|glucose|reading|meter|numbers?|cgm|azucar)\w*(?: \w+){0,5} (?:2[5-9]\d|3\d\d|three hundred)"
                   r"|sugar\w* (?:is |are |has been |have been )?(?:really |very |so )?high"),
    "vomiting": r"vomit\w*|throw\w* up|threw up|diarrhea|vomit\w*|diarrea",
    "breathing_mild": r"wheez\w*|short of breath|tight chest|chest (?:is )?tight|cough\w* (?:up|blood)|silbido",
    "calf": r"(?:calf|leg)(?: \w+){0,4} (?:swollen|swelling|red|hot|hurts)",
    "eye": r"eye(?: \w+){0,4} (?:pain|hurts|red|swollen|vision)|vision (?:is )?(?:blurry|changed)|floaters|flash\w* of light",
    "confused": _CONFUSED + r"|forgetful (?:all of a sudden|suddenly)|confundid\w*",
}
# Urgent signs that set a floor of urgent by themselves (LABELS.md); the others inform the model.
HARD_URGENT = frozenset({"urgent:critical_med_out", "urgent:high_fever"})
# Signs that set the floor only in some of their forms. A systolic reading of 180 or more (every such reading
# in the training data is labelled urgent or emergency); emergency contraception, which works only for a few
# days (every such call in train/dev is urgent).
_FLOOR_FORMS = {
    "urgent:bp_high": re.compile(r"\b(?:1[89]\d|2\d\d)\s*(?:over|/)|(?:(?:a |one )?hundred (?:and )?|one )(?:eighty|ninety)"
                                 r"|ciento (?:ochenta|noventa)"),
    "urgent:pregnancy": re.compile(_EMERGENCY_CONTRACEPTION),
}


def sets_urgent_floor(protocol: str, said: str) -> bool:
    """Whether an urgent sign, said as `said` (its flag's text), is a same-hour call by itself."""
    form = _FLOOR_FORMS.get(protocol)
    return protocol in HARD_URGENT or (form is not None and form.search(fold(said)) is not None)


# Any current health complaint: never informational (LABELS.md: informational has no clinical content).
SYMPTOM = re.compile(
    r"\b(?:pain\w*|hurt\w*|ach(?:e|es|ing|y)|sick(?! (?:visit|note|leave|day|days|pay))|fever\w*|chills|shiver\w*|escalofr\w*|red and (?:hot|warm|swollen)|cough\w*|cold"
    r"|flu(?! (?:shot|shots|vaccine|clinic))|rash\w*|dizz\w*|nause\w*|vomit\w*|"
    r"throw\w* up|swell\w*|swollen|puff\w*|bleed\w*|sore|itch\w*|infect\w*|tired|exhausted|headache\w*|migraine\w*|breath\w*|"
    r"wheez\w*|anxi\w*|depress\w*(?! screen)|insomnia|can'?t sleep|stomach|diarrhea|constipat\w*|bump|lump|bruis\w*|burn\w*|"
    r"injur\w*|" + _BITTEN + r"|(?:dog|cat|animal|human|horse|spider|snake|tick) bites?|gash\w*|lacerat\w*|wound(?! up)\w*|"
    r"cut (?:myself|himself|herself|(?:my|his|her|their) (?:\w+ )?(?:finger|hand|arm|leg|foot|head|face|thumb|knee|lip|wrist)s?)|"
    r"mordi\w*|(?:me|se|le) cort[eo](?: \w+){0,2} (?:el|la|un|una) (?:dedo|mano|brazo|pierna|pie|cara|cabeza|rodilla|labio)|herida\w*|fell|(?<!the )(?<!this )(?<!next )(?<!last )fall|sprain\w*|cramp\w*|numb|numbness|tingl\w*|weak\w*|congest\w*|sinus|ear ?ache|sneez\w*|allerg\w*|"
    r"symptom\w*|ring\w* in (?:my|his|her|the) ears?|tinnitus|(?:can'?t|cannot|couldn'?t|can barely|could barely) hear(?! (?:you|me|the|what|anything on))|"
    r"hearing loss|inconsolabl\w*|crying (?:nonstop|non-stop|for hours|all night)|won'?t stop crying|no para de llorar|not feeling (?:well|good|right)|feel\w* (?:awful|terrible|bad|sick|off|funny|worse)|worse|worried about (?:my|his|her)|"
    r"dolor|dolores (?:de|en)|duele\w*|fiebre|tos|mare\w*|nause\w*|vomit\w*|hinch\w*|sangr\w*|enferm[oa]|enfermedad|cansad\w*|gripe|gripa|resfri\w*|"
    r"contraction\w*|tightenings?|contraccion\w*|"
    r"diarrea|picaz\w*|sarpullido|ronchas|ansiedad|deprimid\w*|malestar"
    # "mal" of a body ("me siento mal", "anda mal del estomago"), not of a password or a code ("esta mal")
    r"|(?:siento|siente|sentir|sentimos|sienten|sentia|ando|anda|andaba|amaneci\w*|sigo|sigue|estoy|estaba|estar|estuve)"
    r"(?: muy| bien| un poco| medio)? mal|peor"
    r"|mal del? (?:estomago|la panza|la garganta|cabeza)|(?:me|le) (?:cayo|hizo) mal)\b")


DISMISSED = "dismissed"  # a red flag said about no one now: negated, hypothetical, past or a mere mention


@dataclass(frozen=True)
class Flag:
    """One red flag, sign or symptom found in a transcript, where it was said, and what it sets."""
    protocol: str  # protocol name, or "urgent:<sign>", or "symptom"
    urgency: str  # the level it sets, or DISMISSED
    start: int
    end: int


def _compile(pattern: str) -> re.Pattern[str]:
    # A concept word may carry "'s" ("the tongue's swelling"), not be part of a longer word.
    return re.compile(r"(?<![\w'])(?:" + pattern + r")(?!\w|'(?!s\b))")


# The same sign told the other way round: the last dose in a sentence of its own ("I took my last one this
# morning", "he has one dose left, tonight's"), with a critical medicine named anywhere in the message.
_LAST_DOSE = _compile(r"(?:took|take|taking) (?:my|his|her|the) last(?: one| dose| pill)?|last (?:one|dose|pill|tablet|shot) (?:is|was) "
                      r"(?:today|tonight|this morning)|one (?:dose|pill|tablet|shot) left|last (?:portable )?(?:tank|cylinder)|no (?:more )?(?:doses?|pills?|tablets?|shots?|pens?|vials?) left|none left|(?:is|are|am|i'?m|he'?s|she'?s) (?:completely |totally |all |just )?out as of"
                      r"|se (?:me|le) (?:acab\w*|termin\w*) (?:hoy|manana|esta noche)|gave (?:him|her|them) (?:his|her|their|the) last(?: one| dose| pill)?"
                      r"|(?:le di|me tome|se tomo|tome|tomo) (?:la|su|mi) ultima (?:pastilla|dosis|pildora|tableta|inyeccion)")
_CRITICAL_MED = _compile(_CRITICAL_MEDS)
_CONCEPT = {name: _compile(p) for name, p in C.items()}
_DIAGNOSIS = {name: _compile(p) for name, p in DIAGNOSES.items()}
_URGENT = {name: _compile(p) for name, p in URGENT_SIGNS.items()}
_SENT = re.compile(r"(?:[^.!?;\n]|(?<=\d)\.(?=\d))+(?:[.!?;\n]+|$)")  # "100.5" is not two sentences


# A sign denied by its own predicate: "her neck is not stiff" (but "he is not breathing" and "if I wasn't
# here" are signs), and one said to be normal right after it: "my throat's fine", "breathing okay", "la
# garganta esta bien" (Spanish needs the verb: "no quiere despertar bien" is a sign).
_DENIED_IN = re.compile(r"\b(?:is|are|was|were)(?: not|n'?t) (?!\w+ing\b)")
_IF = re.compile(r"\b(?:if|si)\b")
# A condition the caller then asks about: "if she fall down and hit her head, what we should do?" (not "I don't
# know if...", "if this is a stroke...", "if he's having...": those describe now).
_IF_COND = re.compile(r"\b(?<!know )(?<!sure )(?<!see )(?<!wonder )(?<!wondering )(?<!ask )(?<!asking )(?<!check )(?:if|si)\b"
                      r"(?! (?:this|it|that)(?:'s| is| was| es)\b)(?! (?:he|she|i)(?:'s| is|'m| am) having)")
_ASK_AFTER = re.compile(r"\bwhat (?:should |do |can |must |would )?(?:i|we|they|you|he|she|staff|the \w+)"
                        r"(?: should| can| must| need to| have to| would)? do\b|\bque (?:debo|debemos|hago|hacemos|hacer)\b")
# Negative words that deny nothing: it goes on ("won't stop", "no me deja de sangrar") or the caller hedges.
_NOT_DENIAL = re.compile(r"\b(?:(?:won'?t|doesn'?t|does not|can'?t|cannot|hasn'?t|has not|haven'?t|will not|wouldn'?t|isn'?t|not) "
                         r"(?:stop\w*|quit\w*)|no (?:me |le |se |te |les |nos )?(?:deja|dejaba|para|paraba|ha parado|ha dejado|dejan|paran) de"
                         r"|(?:i|we) (?:don'?t|do not) know)\b")
_NORMAL_AFTER = re.compile(r"(?:'s|'re| is| are| was| feels?| seems?| looks?| sounds?)?(?: \w+ly)? (?:fine|ok|okay|normal|alright|all right)\b"
                           r"| (?:esta|estan|se ve|se siente|se oye) bien\b"
                           # Spanish denies after the sign too: "dolor de pecho no tengo", "en la garganta no tengo
                           # nada", "dolor de pecho no, ...", "fiebre tampoco"
                           r"|(?: de| del)?\s+(?:(?:no (?:tengo|tiene|tenemos|siento|siente|hay)|tampoco|no)(?=\s*(?:[,.;!?]|$))"
                           r"|no (?:tengo|tiene|tenemos|siento|siente|hay) nada\b)"
                           r"| no se (?:me|le|te) (?:cierra|hincha|inflama|tapa)\b")


_OPENING_QUOTE = re.compile(r"(?<!\w)'(?=\w)")  # "texted me 'tell the kids...'": a quote, not a contraction


# A rash on the chest or back is no chest pain: the site is blanked, the rash stays.
_RASH_SITE = re.compile(r"\b(?:rash\w*|blotch\w*|blist\w*|hives|welts|spots|bumps|ronchas|ampollas|sarpullido|manchas?)"
                        r"(?:(?! and | but | y | pero )[^.!?;]){0,70}? (?:on|over|across|around|toward|towards|en|por) "
                        r"(?:my|his|her|the|el|la|su|mi)(?: \w+)? (chest|back|pecho|espalda)\b")


def _opaque(words: str) -> str:
    # One opaque word per masked word, so "how many of my blood pressure pills" still counts its words.
    return re.sub(r"\S", "_", words)


def _blank(m: re.Match[str], group: int = 0) -> str:
    s, e = m.span(group)
    return m.group(0)[:s - m.start()] + _opaque(m.group(group)) + m.group(0)[e - m.start():]


def _mask_idioms(low: str) -> str:
    """Blank idioms and compounds ("nearly gave me a heart attack", "seizure meds") so no concept sees them."""
    return _RASH_SITE.sub(lambda m: _blank(m, 1), _IDIOMS.sub(_blank, low))


def _sentences(low: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENT.finditer(low)]


def _not_current(low: str, sent: tuple[int, int], hit: re.Match[str], history: bool = True,
                 said: str | None = None) -> bool:
    """Negated, hypothetical or (with `history`) a resolved past event, judged from the sentence around the hit,
    the hit itself and what follows it ("her neck is not stiff", "throat's fine"). `said` is the text before
    other concepts were blanked out of `low`: where its clauses begin."""
    s, e = sent
    start, end = hit.span()
    if ((_DENIED_IN.search(low, start, end) and not _IF.search(low, max(s, start - 12), end))
            or _NORMAL_AFTER.match(low, end)):
        return True
    before = low[s:start]
    # A negation reaches across a list ("denies chest pain and trouble breathing") but not into a new
    # clause with its own subject or time ("no fever, and his lips are blue"; "casi no orina, y hoy no me
    # reconoce", where "hoy" is also the rule's other concept and blanked in `low`).
    cut = max((m.end() for m in _NEW_CLAUSE.finditer(said or low, s, e) if m.end() <= start), default=s)
    clause = low[cut:start]
    contrast = list(_CONTRAST.finditer(clause))
    if contrast:
        clause = clause[contrast[-1].end():]
    # A sign said in the negative ("no me reconoce", "llora sin lagrimas", "can't breathe") is not denied by a
    # "no" before it: a double negative is not how callers talk.
    if not _NEGATION.search(low, start, end) and _NEGATION.search(" ".join(_NOT_DENIAL.sub(" ", clause).split()[-8:])):
        return True
    if low.find(" too ", s, e) != -1 and any(q.start() <= start and end <= q.end()
                                             for q in _THRESHOLD_Q.finditer(low, s, e)):
        return True  # the sign is what the question is about
    hypotheticals = list(_HYPOTHETICAL.finditer(before))
    if hypotheticals and not _NOW_AFTER.search(before, hypotheticals[-1].end()):
        return True
    if _ASK_AFTER.search(low, end, e):  # rare: look for the condition only then (this runs for every hit)
        conditions = list(_IF_COND.finditer(before))
        if conditions and not _NOW_AFTER.search(before, conditions[-1].end()):
            return True
    if not history:
        return False
    sentence = low[s:e]
    if _RESOLVED.search(sentence) and not _BACK.search(sentence):
        return True
    if not _PAST.search(sentence):
        return False
    # A time in the past said of the event itself holds unless its own clause brings it to now: "had a
    # stroke last week and she is home now" is history; "has had chest pain since last week" is not.
    clause = _clause_at(sentence, start - s)
    if _PAST_AT.search(clause):
        # ... or the sentence says it has come back ("chest pain last week, and now it's back")
        return not (_CURRENT_AT.search(clause) or _RECURRED.search(sentence))
    # The past time belongs to another clause: this one holds if the sentence says now, or it is in the
    # present itself ("had my infusion last Thursday, and I've got a fever").
    return not (_CURRENT.search(sentence) or _PRESENT.search(clause))


def _clause_at(sentence: str, offset: int) -> str:
    """The clause of `sentence` that holds the character at `offset`."""
    begin = 0
    for cut in _NEW_CLAUSE.finditer(sentence):
        if cut.start() > offset:
            return sentence[begin:cut.start()]
        begin = cut.end()
    return sentence[begin:]


def _first_current(low: str, sent: tuple[int, int], matches: list[re.Match[str]],
                   others: list[re.Match[str]]) -> re.Match[str] | None:
    """The first match said about now, judged with the rule's other concepts blanked, so the "no" of
    "no puede mover el brazo" belongs to the weakness, not to the arm."""
    said = low
    for m in others:
        low = low[:m.start()] + " " * (m.end() - m.start()) + low[m.end():]
    return next((m for m in matches if not _not_current(low, sent, m, said=said)), None)


def _hits(pattern: re.Pattern[str], low: str, sent: tuple[int, int]) -> list[re.Match[str]]:
    return list(pattern.finditer(low, sent[0], sent[1]))


class _SentenceHits(dict[str, list[re.Match[str]]]):
    """Each concept's matches in one sentence, searched on first use: most rules fail on their first
    concept, so most of the 130-odd concepts are never searched (the bulk of the classifier's time). The
    rules and the message-wide context check share them, so no concept is searched twice in a sentence.
    `in_message` is shared by a message's sentences: a concept absent from the whole message (most are)
    is searched once there, not once per sentence."""

    def __init__(self, low: str, sent: tuple[int, int], in_message: dict[str, bool]) -> None:
        super().__init__()
        self.low, self.sent, self.in_message = low, sent, in_message

    def __missing__(self, concept: str) -> list[re.Match[str]]:
        found = self[concept] = _hits(_CONCEPT[concept], self.low, self.sent) if _said(concept, self.low, self.in_message) else []
        return found


def _said(concept: str, low: str, in_message: dict[str, bool]) -> bool:
    """Whether the concept is said anywhere in the message; remembered in `in_message`."""
    said = in_message.get(concept)
    if said is None:
        said = in_message[concept] = _CONCEPT[concept].search(low) is not None
    return said


def find_flags(text: str) -> list[Flag]:
    """Every protocol hit (current, or DISMISSED), urgent sign and symptom in the text, with character offsets."""
    low = _OPENING_QUOTE.sub(" ", _mask_idioms(fold(text)))
    # A callback number is no reading: "my number's eight forty-seven, ..." is not a sugar of 47.
    for _, start, end in phone_numbers(text):
        low = low[:start] + _opaque(low[start:end]) + low[end:]
    sents = _sentences(low)
    in_message: dict[str, bool] = {}
    caches = [_SentenceHits(low, sent, in_message) for sent in sents]
    # Context concepts: present (and current) anywhere in the message.
    present: dict[str, bool] = {}

    def anywhere(concept: str) -> bool:
        if concept not in present:
            # A context ("is pregnant", "takes Eliquis", "is diabetic") still holds when told in the past tense.
            present[concept] = any(not _not_current(low, s, m, history=False)
                                   for s, hits in zip(sents, caches, strict=True) for m in hits[concept])
        return present[concept]

    # A rule with a concept absent from the whole message cannot fire in any sentence: drop it once here.
    possible = [(proto, rules) for proto in PROTOCOLS
                if (rules := [rule for rule in proto.rules if all(_said(c, low, in_message) for c in rule.here)])]
    critical_med = _CRITICAL_MED.search(low) is not None
    flags: list[Flag] = []
    for i, (sent, cache) in enumerate(zip(sents, caches, strict=True)):
        for proto, rules in possible:
            for rule in rules:
                if (not all(cache[c] for c in rule.here)
                        or any(hits[c] for hits in caches[i:i + 1 + rule.unless_after] for c in rule.unless)
                        or not all(anywhere(c) for c in rule.context)):
                    continue
                # Each concept must be said about now somewhere in the sentence ("my heart was fine, I
                # don't have chest pain" has a current "heart" but a negated "pain").
                live = [_first_current(low, sent, cache[c], [m for o in rule.here if o != c for m in cache[o]])
                        for c in rule.here]
                dismissed = any(m is None for m in live)
                hits = [cache[c][0] for c in rule.here] if dismissed else [m for m in live if m is not None]
                start, end = min(m.start() for m in hits), max(m.end() for m in hits)
                flags.append(Flag(proto.name, DISMISSED if dismissed else proto.urgency, start, end))
                if not dismissed:
                    break
        for proto_name, pat in _DIAGNOSIS.items():
            for m in _hits(pat, low, sent):
                current = _NOW.search(low, sent[0], sent[1]) and not _not_current(low, sent, m)
                flags.append(Flag(proto_name, "emergency" if current else DISMISSED, m.start(), m.end()))
        for name, pat in _URGENT.items():
            form = _FLOOR_FORMS.get("urgent:" + name)
            chosen = None
            for m in _hits(pat, low, sent):
                if not _not_current(low, sent, m):
                    chosen = chosen or m
                    # a sign with floor forms points at the form that sets the floor, where one is said:
                    # "I might be pregnant, the condom broke" floors on the condom, not on "pregnant"
                    if form is None or form.search(m.group()):
                        chosen = m
                        break
            if chosen is not None:
                flags.append(Flag("urgent:" + name, "urgent", chosen.start(), chosen.end()))
        if critical_med and not any(f.protocol == "urgent:critical_med_out" for f in flags):
            last = next((m for m in _hits(_LAST_DOSE, low, sent) if not _not_current(low, sent, m)), None)
            if last is not None:
                flags.append(Flag("urgent:critical_med_out", "urgent", last.start(), last.end()))
        for m in SYMPTOM.finditer(low, sent[0], sent[1]):
            if not _not_current(low, sent, m):
                flags.append(Flag("symptom", "routine", m.start(), m.end()))
                break
    return flags
