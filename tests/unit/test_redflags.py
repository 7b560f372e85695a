"""Red flags are recognised as clinical concepts in new wordings, English and Spanish, and dismissed
when negated, hypothetical, resolved or idiomatic. Sentences written for this test."""

import pytest

from pipeline.classify.redflags import PROTOCOLS, find_flags


def current(text: str) -> set[str]:
    return {f.protocol for f in find_flags(text) if f.urgency == "emergency"}


@pytest.mark.parametrize(("text", "protocol"), [
    ("It feels like a sack of flour is resting on my chest and my left arm is achy.", "acute_coronary"),
    ("Grandpa's smile is lopsided since lunch and he keeps saying the wrong words.", "stroke_signs"),
    ("She can't seem to raise her right arm at all since she woke up.", "stroke_signs"),
    ("My son is wheezing and the albuterol isn't doing a thing for him.", "asthma_unrelieved"),
    ("After the shrimp his tongue is swelling and his voice sounds muffled.", "anaphylaxis"),
    ("My two year old got into the dishwasher pods and swallowed one.", "child_ingestion"),
    ("Honestly I think my kids would be better off without me.", "suicidal_ideation"),
    ("Lately I just feel like a burden to my whole family.", "suicidal_ideation"),
    ("He had a stroke years ago, and since this morning his face is drooping again.", "stroke_signs"),
    ("I can't handle this anymore and my husband keeps his pistol in the nightstand.", "suicidal_ideation"),
    ("Ya no puedo más, y en la casa está la escopeta de mi hermano.", "suicidal_ideation"),
    ("You can see the skin sinking in under his ribs every time he breathes.", "asthma_unrelieved"),
    ("She slipped on the ice and banged her head, and she takes Xarelto.", "head_injury_anticoagulant"),
    ("The baby is three weeks old and his temperature is a hundred point six.", "infant_fever"),
    ("His meter says thirty eight and he is sweaty and not making sense.", "hypoglycemia"),
    ("Mi esposo tiene una presión muy fuerte en el pecho y está sudando.", "acute_coronary"),
    ("A mi mamá se le torció la boca y no puede mover el brazo.", "stroke_signs"),
    ("Mi hijo se tragó una pila de reloj.", "child_ingestion"),
    ("It came on all at once, the worst headache of my life, like a bat to the skull.", "thunderclap_headache"),
    ("The aide says his pulse ox is reading eighty-six and he looks grey.", "breathing_difficulty"),
    ("Her breathing rate is up in the forties and she's hard to rouse.", "breathing_difficulty"),
    ("Her cheeks are puffing up and her throat is getting tight.", "anaphylaxis"),
    ("My kids would be fine if I wasn't around, and I have the pills right here.", "suicidal_ideation"),
    ("We have his one-month checkup Friday but he's burning up, a hundred and one.", "infant_fever"),
    ("It feels like an elephant is standing on me and I'm sweaty.", "acute_coronary"),
    ("I've been giving away my things, I just want the quiet now.", "suicidal_ideation"),
    ("Her temperature is a hundred and three and she's really weak and pale.", "sepsis_signs"),
    ("He sliced his hand on the glass and it's bled through three paper towels already.", "severe_bleeding"),
    # fourth round: signs told in new ways
    ("Her bowel movements this week have been black and she looks washed out.", "gi_bleeding"),
    ("Dad's pulse on the cuff says thirty-eight and he's woozy.", "arrhythmia_syncope"),
    ("My aunt fell in the kitchen and her hip hurts, she can't bear any weight on it.", "severe_injury"),
    ("After the fall his leg looks shorter than the other one.", "severe_injury"),
    ("She got a cast on Tuesday and now her fingers are cold and white.", "severe_injury"),
    ("Since the disc flared up I've got numbness in my groin and I can't pee.", "cauda_equina"),
    ("Tell the doctor thanks, I won't be a bother to anyone much longer.", "suicidal_ideation"),
    ("Encontré un frasco de pastillas en su cuarto, creo que las ha estado juntando.", "suicidal_ideation"),
    ("He grabbed the axe and says he'll settle it with the neighbor.", "danger_to_others"),
    ("My calf is swollen and sore and I have short breath walking to the car.", "pe_dvt"),
    ("He's been rubbing his chest for an hour and he's sweaty and grey.", "acute_coronary"),
    ("My husband's tongue's getting bigger and bigger since lunch.", "anaphylaxis"),
    ("Her pulse ox, the little finger thing, it's showing eighty-four.", "breathing_difficulty"),
    ("He can't swallow his own spit and he's leaning forward to breathe.", "breathing_difficulty"),
    ("The space heater was on all night and now we all have headaches and feel sick.", "poisoning_exposure"),
    ("Mom has a fever of a hundred and two and doesn't know where she is.", "sepsis_signs"),
    ("I can barely get him to open his eyes this afternoon.", "altered_consciousness"),
    ("My pregnancy test was positive last week and now I have a stabbing pain low on one side.", "pregnancy_emergency"),
    ("He had his thyroid out Monday and now it's hard to swallow.", "post_procedure_bleeding"),
    ("She's been planning to take her grandma's pills, she told her teacher.", "suicidal_ideation"),
    ("He gave me his watch and the deed to the house, and he keeps a shotgun in the closet.", "suicidal_ideation"),
    ("Mi papá tiene un ardor en medio del pecho desde hace una hora y está sudando.", "acute_coronary"),
    ("I came home and found her sleeping pill bottle empty, and she's very groggy.", "adult_overdose"),
    ("Se las tomó todas, las pastillas para los nervios, hace una hora.", "adult_overdose"),
    ("He was shaking all the body on the floor and he bit his tongue.", "seizure"),
    ("Since this morning he's not able to find his words and calls the cat the kettle.", "stroke_signs"),
    ("Mom is talking kind of weird and her tea keeps dribbling out the one side of her mouth.", "stroke_signs"),
    ("A mi abuelo se le enreda la lengua y el brazo no lo puede levantar.", "stroke_signs"),
    ("He walked in with a kitchen knife and said he knows what they're planning.", "danger_to_others"),
    ("My son said everyone would be fine without him and he looked up how many it would take.", "suicidal_ideation"),
    ("She's been posting goodbye messages and gave her things to her little brother.", "suicidal_ideation"),
    ("Please cancel all my appointments, I found a good home for my dog, thank the doctor for everything.",
     "suicidal_ideation"),
    ("This is the reference lab calling a critical sodium on your patient, one eighteen.", "critical_lab_value"),
    ("Le hablamos del laboratorio con un valor crítico de potasio para su paciente.", "critical_lab_value"),
    ("Out of nowhere a ripping pain went through my back between the shoulder blades.", "aortic_dissection"),
    ("Siento un dolor en el pecho como si me estuvieran rasgando.", "aortic_dissection"),
    ("He has sickle cell and the erection just won't go down, it's been four hours.", "testicular_pain"),
    ("Her blood counts were low on Friday and tonight she has a fever of a hundred and one.", "sepsis_signs"),
    ("He's on treatment for lymphoma and he's running a fever.", "sepsis_signs"),
    ("My baby, six weeks, is so hot and sleepy, thermometer says thirty eight point four.", "infant_fever"),
    ("Mi niña de dos meses tiene calentura desde la noche.", "infant_fever"),
    ("There are little purple-red dots on his belly that don't fade when I press the glass, and a fever.",
     "meningitis_signs"),
    ("I'm winded and I can't get through a sentence without stopping.", "breathing_difficulty"),
    ("Ya me puse la bomba, el albuterol, tres veces y no me hace nada.", "asthma_unrelieved"),
    ("Anyway, fix the bill for my son, I'm not planning on being around much longer.", "suicidal_ideation"),
    ("I wanted to thank you for trying with me, doctor. None of this is your fault.", "suicidal_ideation"),
    ("Take me off the list for the follow-up, I won't be around for it. My mind is made up.", "suicidal_ideation"),
    ("A fish hook got my thumb Sunday, now the hand is turning a purplish black color and I have chills and a fever.",
     "sepsis_signs"),
    ("The pain in my calf is so much worse than a scrape should be, and the redness keeps spreading up.",
     "sepsis_signs"),
    ("My son nibbled berries he foraged on the hike and he's had diarrhea and cramps since noon.",
     "poisoning_exposure"),
    ("Sorry my English. My son he have one month, he is very hot, the thermometer say one hundred point four.",
     "infant_fever"),
    # a severe drug reaction: blistering skin, a sore mouth and sore eyes
    ("Since the new seizure pill his skin is peeling on his back, there are sores inside his mouth and his eyes "
     "are red.",
     "anaphylaxis"),
    ("Lately I keep picturing myself jumping off the parking garage downtown, I'm so tired of all of it.",
     "suicidal_ideation"),
    ("Please cancel the physical. I won't be around. Nothing matters anymore.", "suicidal_ideation"),
    ("I have an implanted defibrillator. This afternoon the thing went off, and then it fired again.",
     "arrhythmia_syncope"),
    ("Dad forgot he'd done his Levemir and gave himself another thirty units at supper.", "adult_overdose"),
    ("Al niño le cayó limpiador de horno en los ojos y no los puede abrir.", "severe_injury"),
    ("I haven't been able to pee since breakfast and my bladder feels like it's going to burst.",
     "severe_abdominal_pain"),
    ("I'm thirty weeks and there's bright red blood, more than spotting, on the pad.", "pregnancy_emergency"),
    # a new time frame opens a new clause: the earlier "no" is about something else
    ("Mi abuela no quiere comer, casi no toma agua, y esta mañana no sabe dónde está.", "altered_consciousness"),
    ("He barely drinks anything, he does not want his dinner, and tonight he does not know who I am.",
     "altered_consciousness"),
    ("My husband had back surgery in June; his legs feel heavy and he has not been able to pee since lunch.",
     "cauda_equina"),
    # negative words that deny nothing: it goes on, the sign is itself negative, the caller hedges
    ("A mi papá no le para de sangrar la nariz desde hace una hora y toma warfarina.", "nosebleed_uncontrolled"),
    ("Estoy cansada de todo, no duermo, ya no quiero vivir.", "suicidal_ideation"),
    ("Tiene fiebre desde anoche y casi no abre los ojos.", "sepsis_signs"),
    ("Her mouth looks sort of, I don't know, grayish to me.", "breathing_difficulty"),
    # a clause of its own after "porque", "ahorita", ", que"
    ("No ha dormido nada porque le falta el aire.", "breathing_difficulty"),
    ("No ha comido nada, y ahorita está muy confundido.", "altered_consciousness"),
    ("Mi esposo no come, no habla con nadie, que ya no aguanta y que se quiere matar.", "suicidal_ideation"),
    # "back in" is a place here, not a time long ago
    ("We got her back in bed, and her lips are blue and she's struggling to breathe.", "breathing_difficulty"),
    ("Mi bebé tiene calentura y la piel se le ve manchada y fría.", "sepsis_signs"),
    ("The baby looks kind of gray around the lips.", "breathing_difficulty"),
    # a past time said of another clause; this one is in the present
    ("My son had his chemo infusion last Friday, and he's got a fever of a hundred and two.", "sepsis_signs"),
    # a blood thinner makes bleeding an emergency when it goes on; a high reading when organs suffer
    ("I take Xarelto and my gums have been bleeding for over an hour, it won't quit.", "bleeding_with_shock_signs"),
    ("Me tomé la presión y tengo doscientos diez sobre ciento veinte, y estoy confundida.", "hypertensive_crisis"),
    ("His pressure is one ninety-six over one fourteen and his left arm feels tingly.", "hypertensive_crisis"),
    ("My sugar reads four hundred and thirty and I've been vomiting since lunch.", "hyperglycemia_dka"),
    ("Gave birth eight days ago and the bleeding is heavy, I'm soaking a pad an hour.", "pregnancy_emergency"),
    # a newborn's low temperature counts as a fever does; a fever reading in Celsius
    ("She's twelve days old, feels cool, her temperature under the arm was ninety-five point eight.", "infant_fever"),
    ("Mi niña de un mes tiene la temperatura en treinta y ocho punto cuatro.", "infant_fever"),
    ("Swallowed the whole bottle of her sleeping pills an hour ago, the bottle is empty.", "adult_overdose"),
    ("Mi hijo está teniendo un ataque epiléptico ahorita y no para.", "seizure"),
    # half a face told by what it cannot do; vomiting with no gas passed; numb where one sits and cannot pee
    ("Since breakfast my husband can't shut his right eye and coffee leaks out the corner of his mouth.",
     "stroke_signs"),
    ("Been throwing up since last night and I haven't passed any gas since Sunday, my stomach's huge.",
     "severe_abdominal_pain"),
    ("It's numb between my legs today and I can't pee at all.", "cauda_equina"),
    # a conditional instruction, then what is happening now
    ("They said to call if things changed, and now she can't move her left arm and her face is drooping.",
     "stroke_signs"),
    ("Me dijeron que llamara en caso de que empeorara, y ahora no puede respirar bien.", "breathing_difficulty"),
    ("In case the swelling spread we were to ring you, and this morning his lips and tongue are puffing up.",
     "anaphylaxis"),
    ("We fried up some wild mushrooms my husband found by the creek and now we both have cramps and diarrhea.",
     "poisoning_exposure"),
    ("My daughter's asthma is flaring and she can only say a couple of words at a time.", "breathing_difficulty"),
    ("The pain is low on the right side of my belly, I can't even stand up straight and I have a fever.",
     "severe_abdominal_pain"),
    ("The pharmacy printed daily instead of weekly on my methotrexate and I've been taking it every morning.",
     "adult_overdose"),
    # the senses narrowed below still hold where they are meant
    ("Since lunch his mouth is numb on the left side and he's drooling.", "stroke_signs"),
    ("He told me he might hurt the baby if she doesn't stop crying.", "danger_to_others"),
    ("The meter just says HI and she's vomiting and breathing fast.", "hyperglycemia_dka"),
    ("He was out for about a minute after he hit his head.", "altered_consciousness"),
    ("Se está cortando los brazos otra vez.", "self_harm"),
    ("She's short of breath just sitting on the couch.", "breathing_difficulty"),
    ("Her belly is hard as a rock and she can't stand up straight.", "severe_abdominal_pain"),
    ("My daughter has sickle cell and tonight she's burning up, a hundred and two.", "sepsis_signs"),
    ("My brother hasn't eaten or had a sip of water in three days and just lies in bed staring.",
     "not_eating_drinking"),
    ("Mi papá no ha comido ni ha bebido nada desde el viernes.", "not_eating_drinking"),
    ("Two days after my eye injection the sight in that eye has gone way down and it's red and sore.", "stroke_signs"),
    # the senses narrowed below still hold where they are meant
    ("Her left arm has gone numb and she's slurring, please call my number right away.", "stroke_signs"),
    ("My grandson is nineteen months and he got into my purse and chewed a couple of my pills.", "child_ingestion"),
    ("He's in the garage holding a knife and says he'll cut his brother.", "danger_to_others"),
    ("My son just had a seizure in the bathtub and he's still not answering me.", "seizure"),
    ("Her pressure is two ten over one twenty and her left side is numb.", "hypertensive_crisis"),
    ("I went to the ER last week for chest pain and now it's back, worse, going into my arm.", "acute_coronary"),
    ("Mi bebé tiene dos semanas de nacido y tiene calentura desde anoche.", "infant_fever"),
    # ways of saying it the rules used to miss
    ("My sister says she doesn't want to be alive anymore and she's been giving her things away.", "suicidal_ideation"),
    ("Mi hermano escribió que se va a matar esta noche.", "suicidal_ideation"),
    ("Grandpa is in his recliner and he's not really responding to me, just staring.", "altered_consciousness"),
    ("Since the fall he keeps dozing off, it's hard to keep him awake.", "altered_consciousness"),
    ("He's on Xarelto and he banged the side of his head on the car door.", "head_injury_anticoagulant"),
    ("Somebody hit my dad over the head with a bottle, and he takes Eliquis.", "head_injury_anticoagulant"),
    ("Our daughter took a blow to the head at practice and now she keeps repeating herself, confused.",
     "head_injury_anticoagulant"),
    # chemotherapy named by a drug: a fever after it is a possible neutropenic sepsis
    ("I had my Gemzar and cisplatin infusion eight days ago and now my temperature is 100.9.", "sepsis_signs"),
    ("Dad is running one oh three point two and his pressure is seventy-eight over forty, he's not making sense.",
     "sepsis_signs"),
    ("The neighbour's dog bit him on the calf and it's spurting, we tied a tourniquet on it.", "severe_bleeding"),
    ("He's got a fever and his neck hurts when he tries to look down, he wants the blinds closed.",
     "meningitis_signs"),
    ("She's hardly responsive this afternoon and very dry after two days of vomiting.", "altered_consciousness"),
    ("A mi papá se le torció la cara y las palabras le salen trabadas.", "stroke_signs"),
    ("Mi niña tiene tos de perro y cuando respira se le hunde el pecho.", "asthma_unrelieved"),
    ("Mi bebé de un mes tiene treinta y ocho grados de temperatura.", "infant_fever"),
    ("Mi esposo se tomó todas las pastillas para dormir que le quedaban.", "adult_overdose"),
    ("The nebulizer isn't, it isn't helping at all, and she's wheezing hard.", "asthma_unrelieved"),
    ("I can't even catch my breath walking to the bathroom.", "breathing_difficulty"),
    ("Her lips, I think, look blue to me.", "breathing_difficulty"),
    ("Grandma says she has lived long enough and she's thrown out all her pills.", "suicidal_ideation"),
    ("My baby's last wet diaper was about twelve hours ago and she's so floppy.", "severe_dehydration_child"),
    ("He's been on the new gout pill, now his lips are raw and bleeding, his eyes are red, and his skin is peeling.",
     "anaphylaxis"),
    ("Since this morning the top half of my vision in the right eye is just gone.", "stroke_signs"),
    ("When he breathes, there's this wet, gurgling sound and he can't swallow his water.", "breathing_difficulty"),
    ("He's burning up and he's not making much sense tonight.", "sepsis_signs"),
    ("Mi hijo tiene fiebre y unos puntitos rojos en el pecho que no se quitan cuando los aprieto.", "meningitis_signs"),
    ("My toddler drank some of the torch oil from the patio and keeps coughing.", "child_ingestion"),
    # eleventh round: plain and second-hand wordings
    ("My roommate wants to end it, he said so an hour ago and he has his pills lined up.", "suicidal_ideation"),
    ("Ella dice que hoy va a acabar, that she will finish her life tonight.", "suicidal_ideation"),
    ("We found a letter on his desk that sounded like a goodbye note.", "suicidal_ideation"),
    ("My daughter has been cutting, I saw fresh marks this morning.", "self_harm"),
    ("I used the puffer three times and I can't really talk in whole sentences.", "breathing_difficulty"),
    ("Since lunch I can't get the air in, my chest feels closed.", "breathing_difficulty"),
    ("A mi papá le falta muchísimo el aire desde anoche.", "breathing_difficulty"),
    ("I think my two-year-old has gotten into the vitamins with iron, the bottle was open.", "child_ingestion"),
    ("My wife she fall and she not wake up when I shake her.", "altered_consciousness"),
    ("His pulse is going like a jackhammer and he says he might keel over.", "arrhythmia_syncope"),
    # what excuses a numb arm or a back pain is the block or the urine, not a word near it
    ("He walked around the block and now his right arm won't lift.", "stroke_signs"),
    ("Since an hour ago there's a numbing feeling all down her left side, the arm and the leg.", "stroke_signs"),
    ("I'm on dialysis for my kidneys and my back and left arm ache, and I'm sweating and nauseous.", "acute_coronary"),
    # twelfth round: Whisper's missing apostrophe, fillers, indirect farewells, lay stroke and cast signs
    ("ate a cashew like five minutes ago and my throats swelling shut", "anaphylaxis"),
    ("Some nights I'm thinking about, um, ending it, honestly.", "suicidal_ideation"),
    ("He told his coach that no one would even notice if he was gone.", "suicidal_ideation"),
    ("Her journal says she keeps thinking about how she would do it.", "suicidal_ideation"),
    ("Since breakfast his right hand feels so heavy he can't hold the cup.", "stroke_signs"),
    ("My husband's speech is kind of slow and mushy since about noon.", "stroke_signs"),
    ("The splint went on this morning and now his fingers look bluish and cold.", "severe_injury"),
    ("My back's been out for days and tonight I'm numb around the seat area.", "cauda_equina"),
    ("With this back flare I couldn't tell that I needed to pee, I wet the bed.", "cauda_equina"),
    ("Al niño se le ve hundido el pecho cuando respira.", "asthma_unrelieved"),
    # a device shock with symptoms, or more than one, is still an emergency
    ("My ICD zapped me once, I feel lightheaded.", "arrhythmia_syncope"),
    ("His defibrillator went off twice during dinner.", "arrhythmia_syncope"),
    # a critical lab value given as a number; a swelling tongue told as "puffy"; the cord after the waters
    ("The dialysis unit says his potassium came back at six point eight.", "critical_lab_value"),
    ("Her sodium was 114 on the morning draw, the nursing home says.", "critical_lab_value"),
    ("Since the new pill her tongue feels kind of puffy.", "anaphylaxis"),
    ("I'm thirty-six weeks, my waters just broke and I think I can see the cord.", "pregnancy_emergency"),
    ("My brother texted that he has a plan now, and a date.", "suicidal_ideation"),
    # the exceptions above leave the real signs alone
    ("His left ball is swollen and really hurts since this morning.", "testicular_pain"),
    ("Since lunch her right hand is weak and she can't grip her fork.", "stroke_signs"),
    # fifteenth round's exceptions leave these alone
    ("The baby threw up all day and hasn't peed since breakfast, her diapers are bone dry.",
     "severe_dehydration_child"),
    ("He hasn't peed since last night and his lips are cracked and dry.", "severe_dehydration_child"),
    ("I can't pee since this morning and my lower belly is swollen and hurts.", "severe_abdominal_pain"),
    ("Her belly is hard as a board and she can't stand up straight.", "severe_abdominal_pain"),
    ("My two-year-old, I saw him swallow one of grandpa's blood pressure pills.", "child_ingestion"),
    ("My left arm hurts since this morning and my ankles are swollen, I feel sweaty.", "acute_coronary"),
    ("Since the miscarriage she's bleeding through a pad every hour.", "severe_bleeding"),
    ("His heart's racing and he's lightheaded since dinner.", "arrhythmia_syncope"),
    ("The ICD shocked me once at lunch, and now my heart's pounding.", "arrhythmia_syncope"),
    # sixteenth round's exceptions leave these alone
    ("My son says his groin started hurting all of a sudden an hour ago and he threw up.", "testicular_pain"),
    ("The baby's eyes look sunken and she hasn't had a wet diaper since last night.", "severe_dehydration_child"),
    ("Grandma's jaw aches and she's sweaty and sick to her stomach since this morning.", "acute_coronary"),
    ("His nose has been bleeding for forty minutes now and we can't get it to stop.", "nosebleed_uncontrolled"),
    ("She's eighteen weeks pregnant and bleeding, soaking a pad.", "pregnancy_emergency"),
    ("Since lunch he can't lift his left arm and his face looks droopy.", "stroke_signs"),
    ("My dad just had a seizure in the kitchen, the shaking lasted about two minutes.", "seizure"),
    ("He got an electric shock from a power line at work and his hand is burned.", "arrhythmia_syncope"),
    # eighteenth round: lockjaw after a wound, an adrenal crisis
    ("Caught my shin on some old barbed wire last week, now my jaw's stiff and I can hardly open my mouth.", "tetanus"),
    ("Mi hijo se clavó un clavo oxidado en el pie y ahora casi no puede abrir la boca.", "tetanus"),
    ("Since yesterday her jaw is so tight she can't open it and her back keeps locking up in spasms.", "tetanus"),
    ("She has Addison's disease and has been throwing up all morning, now she's too weak to stand.", "adrenal_crisis"),
    ("He cut down the hedge and sliced his hand, it's a cut down his palm that won't stop pouring.", "severe_bleeding"),
    # as a recognizer may hear a dog bite: only blood spurts
    ("The dog got him on the shin. It's really deep. It's spurting every time his heart beats.", "severe_bleeding"),
])
def test_lay_descriptions_are_recognised(text: str, protocol: str) -> None:
    assert protocol in current(text)


@pytest.mark.parametrize("text", [
    "No chest pain or shortness of breath, I just need my lisinopril refilled.",
    "He denies any trouble breathing and his lips look normal.",
    "What should I do if his sugar drops really low at night?",
    "My father had a stroke in 2015 and is doing well, he needs his follow-up appointment.",
    "The chest pain I had in March turned out to be reflux.",
    "That bill nearly gave me a heart attack.",
    "Sorry to be a burden, could someone call me back about my refill?",
    "My wife had a stroke in the spring of last year and she's home now, she needs her walker order renewed.",
    "Since his heart attack two years ago he's been great, he just needs the cardiology referral renewed.",
    "I still can't see anything on the portal since you switched systems.",
    "My husband went hunting with his rifle, could you renew his lisinopril?",
    "I'm dying to know my cholesterol results.",
    "Can you refill my seizure medication, I have a week left?",
    "Mi mamá no tiene dolor de pecho, solo necesita su receta.",
    # a sign denied by its own predicate, or said to be normal
    "He has a fever of a hundred and one, but his neck is not stiff and he's drinking.",
    "My eyelids are puffy from the new cream, my throat is fine and I'm breathing okay.",
    # body weight, a blood-pressure machine, medicine taken for seizures, weeks after an operation
    "He has lost weight this month and says his heart races when he runs, can the doctor see him?",
    "My pressure on my machine was a bit low this morning and I felt shaky for a moment, it passed.",
    "Mi hijo toma su medicina para las convulsiones y ya casi se le acaba, ¿pueden mandar otra receta?",
    "I'm four weeks out from my hip surgery and the leg is a little swollen by evening.",
    # fourth round: near misses that read like red flags
    "My son's heart feels fast after his new medicine, he's just sitting on the couch watching TV.",
    "We went down to my sister's for the holidays and forgot his inhaler refill.",
    "I see a few new floaters in my left eye but no curtain and my sight is clear.",
    "The kidney stone pain starts in my side and goes down toward my groin.",
    "I twisted my ankle at soccer and can't put weight on it, can I get an x-ray today?",
    "She's diabetic, date of birth two, two, forty, and she's shaky from her new inhaler.",
    "They put me on forty milligrams of prednisone and my sugars are up, I'm a bit shaky.",
    "I'm on chemo and my temperature is ninety-nine point six, the cutoff is a hundred point four.",
    "The nurse told me to call if I got short of breath, and so far I'm breathing fine.",
    "What do I do if his lips turn blue, and should I still give the inhaler?",
    "After my parathyroid surgery I've got tingling around my mouth and in both hands.",
    "I forgot my birth control pill yesterday so this morning I doubled up, is that okay?",
    "My dermatologist says that acne pill could harm a pregnancy, so should I stop it?",
    "I take a weekly vitamin D and again on Monday I forgot it, is that a problem?",
    "hi this is for the nurse my number is eight one six and my daughter has been throwing up since lunch",
    "The heart burn is back even with the antacid, can I get a referral to GI?",
    "Se cortó el dedo con un cuchillo cocinando y ahora está hinchado.",
    "They told us to worry if his toes went blue, and his toes are pink and warm.",
    "The pain starts on my left side, in the back, and comes in waves down to the groin, like my last kidney stone.",
    "I'm short of breath going up the stairs lately but fine at rest.",
    "Since starting the new pill my heart's racing a bit and my jaw's clenched all day.",
    "I need a disability form filled out for a parking permit.",
    "My husband is out for a walk, so please call me back on my cell.",
    "Estoy dándole pecho a mi bebé y tengo un dolor de muela, ¿puedo tomar algo?",
    "I'm thirty weeks and having tightenings where my belly goes hard, but they're irregular.",
    "Since my heart surgery it burns when I pee.",
    "She's barely eating for two days but she's drinking plenty of water.",
    "The price of my eye drops went way down, thank you for the coupon.",
    "My son hasn't eaten or drunk much for two days with this stomach bug.",
    "Estoy embarazada de veinte semanas, me arde al orinar, nada de sangrado.",
    "I asked her whether she'd ever hurt herself and she said absolutely not.",
    "The cast feels a little snug and his fingers are pink and warm, he can wiggle them.",
    "A little bright red blood on the toilet paper when I wipe, I think it's hemorrhoids.",
    "Since starting the iron pills my stools are almost black, otherwise I feel great.",
    "He ate all his lunch and the rash from the antibiotic isn't itchy.",
    "My heart did a flip-floppy thing for a few seconds after coffee.",
    "Her sugar dropped to fifty-five this morning, she had juice and now she's fine.",
    "The cut bled through one bandage, I held pressure and it stopped.",
    "Twenty-eight weeks along and my ankles are swollen after work, no headache.",
    "There's a yellow stuff coming out of it and I had a hundred point two this morning.",
    "Estoy dando pecho a mi bebé y me duele una muela, ¿puedo tomar ibuprofeno?",
    "Tengo el pecho izquierdo rojo y duro desde que nació la bebé, y fiebre.",
    "My insulin pen is nearly empty, I'll get one more dose out of it tonight.",
    "He's got a fever and a bruise, he doesn't know if he bumped it at school.",
    "Tengo ocho semanas de embarazo y empecé a manchar un poquito, sangre café.",
    "His seizure medicine bottle is empty, he took the last pill this morning, can you call in a refill?",
    "I thought, but now the hip is hurting more each day and I need the cane.",
    "I had my baby four weeks ago and now I have a fever and a sore, red breast.",  # the mother's fever
    "I keep tearing up when I talk about my back pain, it's been a rough month.",
    "He pulled something in his leg, un desgarre, and it hurts to walk.",
    "I won't be around next week, can we move my appointment?",
    "I won't be around for it, I'm on a work trip, I've got it all worked out with my boss.",
    "My big toenail turned black after I dropped a weight on it, no fever, it just looks gross.",
    "We went foraging for mushrooms last fall and loved it, I just need my allergy refill.",
    # things and places that share a word with a red flag; a callback number is no sugar reading
    "He fell off his bike and has a bump on his shin the size of a tennis ball that hurts, he's walking fine.",
    "She's closing all the blinds because the afternoon sun hits her screen.",
    "I'm diabetic and a bit shaky today, call me, my number's eight forty-six, two two one, nine nine zero four.",
    "His throat is sore and his glands are swollen, he's eating ice cream fine.",
    "There's an itchy rash across my chest that burns when I shower, from the new detergent I think.",
    "He's two and he took two bites of dinner and went to bed, can I get his vitamins refilled?",
    "Mi papá toma Eliquis para la sangre y se tomó la última pastilla hoy, necesita la receta.",
    "Me duele la cabeza desde ayer. Dolor de pecho no tengo, solo quiero saber si subo la dosis.",
    "The eczema on my legs itches so much I scratched it raw overnight, is there a stronger cream?",
    "Since the shot this morning my neck keeps pulling to one side and my jaw feels tight, like locked.",
    "Mom has no fever and no confusion today, she just needs her refill.",
    "He is not confused, and today he feels fine, he needs his blood pressure pills.",
    "Mi hija tiene cuatro años, vomitó tres veces y casi no ha hecho pipí hoy.",  # urgent: barely, not none
    "He has a rash around the lips from the new toothpaste.",
    "He has a sandpaper rash on his chest and he looks pale around the mouth, can we get him seen today?",
    # a blood thinner and a bleed that stopped; a high reading with a plain headache; high sugar with thirst
    "I'm on Eliquis and my gums bled a little when I flossed last night.",
    "My pressure was one eighty-eight over one twelve at the pharmacy and I have a slight headache.",
    "La glucosa me marca cuatrocientos treinta y tengo mucha sed, pero estoy bien despierta.",
    # a question put to the patient, a plan for one day, a diagnosis already made
    "I asked him point blank if he wanted to end his life and he said no way.",
    "If I ever do get chest pain on this new pill, should I go to the ER or call you?",
    "We went to urgent care Friday for his chest pain and they said it was a pulled muscle, he's fine.",
    # the amount said small; the mother's own fever; a blood test; a medicine for seizures
    "I had the baby three weeks ago and there's still a little pink bleeding, is that normal?",
    "My son is seven weeks old and I've got a fever of a hundred and one from a clogged duct.",
    "Me hicieron un examen de sangre el lunes, ¿ya están los resultados?",
    "Leí en internet que el dolor de pecho puede ser del corazón, ¿me pueden explicar?",
    "He takes levetiracetam for seizures and has one pill left, he needs a refill today.",
    # constipation and colic, not a surgical belly
    "He hasn't had a bowel movement in five days and his belly is a little bloated, he's eating fine.",
    "It's my kidney stone again, the pain comes in waves and I can't sit still, no fever.",
    # a low that was treated and came back up; a fall onto the knees; a back too stiff to stand up straight
    "My sugar dropped to fifty-four before lunch, I got sweaty, had a juice box and it came back up to one ten.",
    "I tripped on the curb and went down on my knees, they're scraped, I'm fine otherwise.",
    "I tweaked my back moving a couch and can't stand up straight, no numbness, peeing fine.",
    # a normal reading, in either scale; a blood draw in Spanish; epilepsy as the condition, not a seizure now
    "My five-week-old is stuffy, I took his temperature in the bottom, ninety-nine point two.",
    "Mi bebé tiene tres semanas, le tomé la temperatura esta mañana y salió en treinta y seis punto nueve.",
    "Hoy me sacaron sangre para el embarazo y quería saber cuándo están los resultados.",
    "Mi esposo tiene epilepsia y hoy necesita que le manden la receta de su medicina.",
    # worn things gone tight, a ring of swelling; an ear one cannot hear out of; a bowel prep; drowned seedlings
    "Since the new pacemaker my left hand is puffy and my ring is tight, I have a question.",
    "My left ear has been blocked since the flight and I can hardly hear out of it today.",
    "For the prep, do I drink the whole bottle of the solution at once or split it?",
    "The seedlings are drowning in this rain, anyway I need my cholesterol pill refilled.",
    # hives after an antibiotic that was for a sore throat, breathing and face fine
    "They gave me penicillin for strep throat and now I have hives on my back, my breathing and lips are fine.",
    # the word "number" is no numbness; a pressure reading with no sign of harm is a same-hour call
    "My pressure was one ninety-eight over one fifteen twice, no headache, no chest pain, my number is below.",
    # "not so heavy" is denied; a duration in months or days is no age
    "I'm eight weeks along with a little spotting and some cramps, not so heavy, can someone call me.",
    "Been taking the losartan about four months and I swallowed today's dose, just a question about timing.",
    "Mi tía tiene cuatro días con fiebre y tos, ya está tomando su medicina.",
    # a kitchen cut; a medicine's purpose; being able to swallow; a "what if" about chest pain
    "I sliced my thumb with a bread knife, it's closed up but probably needs a stitch.",
    "She takes lamotrigine for seizures and I need the refill sent to the new pharmacy.",
    "It hurts on the left side of my throat but I can still swallow my spit, and I'm breathing fine.",
    "If he ever gets chest pain again, how many of the nitro tablets can he take?",
    # an event already seen to at the ER, with nothing said about now
    "I was seen in the emergency room Saturday for chest pain, they ran everything and it was my stomach.",
    "La llevamos a urgencias el domingo porque se desmayó, le hicieron estudios y la mandaron a casa.",
    # a throat infection being treated, then hives with breathing fine
    "Le dieron antibiótico por la garganta y ahora tiene ronchas en la espalda, respira bien.",
    # eleventh round: history, care already given, a condition asked about, and words that only look alarming
    "She overdosed once when she was a teenager, and she wants to ask about starting sertraline.",
    "I had a seizure a long time ago in my twenties, never again, and I need the driving form signed.",
    "My uncle just had a stroke last month, so I want my own cholesterol checked.",
    "Mom is in the ICU, they admitted her Sunday for the heart attack and she's stable, so cancel her visit.",
    "Your patient was seen here last night for chest pain and discharged, records to follow.",
    "If my son falls off his bike and bumps his head on the warfarin, what should we do?",
    "What should the aides do if he has a seizure at the day program?",
    "He's five days out from his knee surgery and his temperature is ninety-nine, is that normal?",
    "The nosebleed lasted twenty minutes but it's stopped now, I'm on Eliquis.",
    "I have a lot of bruises on my shins since starting the aspirin, no bleeding anywhere.",
    "My blood pressure has been stable and I need my amlodipine refilled.",
    "It burns when I pee and my right side hurts near the kidney, I'm a bit queasy.",
    "After the nerve block for my hand surgery my arm is still numb and I can't move my fingers yet.",
    "My dad's memory has slipped over the past year, nothing sudden, can he get a memory test?",
    "Me salieron ronchas con el antibiótico pero la garganta no se me cierra y respiro normal.",
    # twelfth round: words that only looked alarming, and questions about thresholds
    "The scan turned out fine, it was only a cyst, so I'd like the follow-up cancelled.",
    "The puffiness went down by morning and she's breathing fine, we just want the allergist's name.",
    "My aunt has a hard time swallowing her pills, can they come as a liquid? She's my daughter's godmother.",
    "My grandson drank some apple juice and I need his shot records.",
    "She's diabetic and her lower back aches after gardening, can she take ibuprofen?",
    "The pain is down low near my hip since the move, I'm on insulin and a bit shaky from the cold.",
    "If his sugar drops what number is too low, and should we keep glucagon at home?",
    "For a baby this little, what temperature would be too high?",
    "What exactly counts as heavy bleeding after the procedure next week?",
    "Si un día me da dolor de pecho, ¿voy directo a emergencias?",
    "My defibrillator went off one time while I was raking, and I feel fine, the card says to call you.",
    "Since the stitches came out it's bleeding a little through the bandage, not much.",
    "My heart was pounding and I thought I was having a heart attack, but it was the new decongestant.",
    "The lab said my potassium was five point nine, they want it rechecked next week.",
    "His sodium was 131 last month, is the new water pill ok?",
    "The label says each serving has 110 mg of sodium, is that too much for my diet?",
    "The urgent care ruled out a heart attack for the chest pain on Sunday, I'd like a follow-up.",
    "I was nine weeks pregnant and lost it, the bleeding's pretty much stopped now, when should I come in?",
    "She's 24 weeks pregnant and needs the bloodwork order for her glucose test.",
    "My bladder infection is back, burning and going every hour. Can Dr. Lee send nitrofurantoin again?",
    "My glucose monitor screen went black, can you send a new receiver?",
    "I have a plan with Aetna now. Can you give me a date for the physical?",
    "A soccer ball hit her in the face at practice and her cheek is swollen and sore.",
    "What are you supposed to do if someone faints at a concert?",
    "She fell off her bike onto her wrist, it's swollen and she can't grip a pencil.",
    "There's a stripe of little blisters on the left side of my chest and the pain there is awful.",
    "My left eye is red and blurry out of it since yesterday.",
    # fifteenth round: a near-faint, an instruction sheet, a visit already made, a swollen arm, a pad every
    # few hours, no pee alone, a swollen belly alone
    "Since Monday's new water pill I get woozy standing up and nearly went down at the sink, but I didn't faint.",
    "The discharge papers say to call right away if he sees flashes or a curtain, who do we call on a Sunday?",
    "We saw your patient in our ER overnight for a fainting spell; the workup was negative and he went home.",
    "Mi mamá estuvo en el hospital la semana pasada por un dolor de pecho y ya salió, necesita cita de control.",
    "Since the miscarriage the bleeding is heavier, she's going through a pad about every three hours.",
    "Her right arm has been swollen since last night where the PICC is, and it aches.",
    "He's twelve, he's been throwing up since dinner and hasn't peed since this morning.",
    "My dad's belly is swollen and bloated, no bowel movement for four days, he's not throwing up.",
    "My defibrillator went off while I was gardening. Only the one time, and I feel fine otherwise.",
    # sixteenth round: a groin strain, a hip after a fall, a knuckle, a clenched jaw, nerve pains like an electric
    # shock, a back that seized up, a bend out of a stiff knee, a weak arm after a dislocation, a side
    # effect the leaflet says a pill can cause, a nosebleed that has stopped, an EpiPen day before and home since,
    # blood with the stools in pregnancy
    "Felt something pull in my groin lifting a couch and there's a soft bulge there that aches.",
    "My grandmother fell on her backside last night, her hip and groin hurt when she stands.",
    "I jammed my thumb at basketball and the knuckle looks sunken in now.",
    "Since the new antidepressant my jaw keeps clenching at night and I'm sweating a lot.",
    "I get these electric shock pains along my cheek when I chew, it's been a week.",
    "My lower back seized up when I bent over to pick up the laundry basket.",
    "Three days after the knee scope the therapist couldn't get any bend out of it today.",
    "My shoulder popped out at the gym and back in, and now I can't lift my arm very high.",
    "The leaflet says the new pill can cause chest pain, I don't have any, just asking if that's common.",
    "Her nosebleed this afternoon took half an hour to stop. It's stopped now, she's playing.",
    "He reacted to peanuts on Saturday, we gave the EpiPen, the ER sent him home that night. He needs a refill.",
    "I'm sixteen weeks pregnant and my colitis is acting up, there's blood with the stools.",
    "I'll be dropping off the disability forms for my wrist surgery on Friday, my hand is healing well.",
    "The cardiologist doubled her metoprolol last month and since then she's fallen twice and gets lightheaded.",
    "His toes look a bit purple at the tips, he can't really feel his feet anyway from the diabetes.",
    "Three of the kids have diarrhea since lunch, nobody has passed out, they're drinking.",
    "She came home from the hospital with seizure medicine, what we should do if she have seizure at night?",
    "She stopped her Zoloft on Sunday and now she has electric shock things in her head and she's really dizzy.",
    # eighteenth round: aches another site owns, a dose cut down, a trip to the ER as a recognizer spells it,
    # what might start, what to do if another comes, Spanish denials after the sign, confusion about directions
    "Big itchy welts on my back and chest since the flu shot, and my knees ache. No trouble breathing at all.",
    "Woke up with a rash on both arms today, my muscles ache too, no swelling in my lips or my tongue.",
    "I cut down my tramadol too fast and now my hands won't stop shaking and I'm sweating buckets.",
    "went to the e r friday with chest pain they did the heart tests and said it wasn't my heart, feeling good now",
    "The hospice nurse warned he might begin having trouble breathing in the last days; what number do we call then?",
    "Could you tell us, if he does have another seizure at practice, should the coach give him anything?",
    "Me salieron ronchas en los brazos con la penicilina. En la garganta no tengo nada y respiro bien.",
    "La presión me salió alta esta mañana. Dolor de pecho no, mareos tampoco, solo quiero saber si subo la dosis.",
    "Since this morning I'm confused on the directions for the new inhaler, two puffs or one?",
    "Can barely open my mouth since the wisdom tooth came out Tuesday, the jaw muscle keeps spasming.",
])
def test_dismissed_mentions_are_not_emergencies(text: str) -> None:
    assert current(text) == set()


def test_a_low_reading_is_no_hypertensive_crisis() -> None:
    # "eighty-eight over fifty" is 88/50; 180/110 is said "one eighty over one ten"
    assert "hypertensive_crisis" not in current("His pressure was eighty-eight over fifty and he's weak and wobbly.")
    assert "hypertensive_crisis" in current("His pressure was one eighty-eight over one twenty and he's confused.")


def test_an_aunt_is_not_a_mini_stroke() -> None:
    assert not [f for f in find_flags("Llamo por mi tía, tiene una cita el martes y necesita cambiarla.")
                if f.protocol == "stroke_signs"]


def test_evidence_points_at_the_callers_words() -> None:
    text = "Hi. Since this morning my dad's speech is slurred."
    flag = next(f for f in find_flags(text) if f.protocol == "stroke_signs")
    assert text[flag.start:flag.end].lower() == "slurred"


def test_the_written_protocol_list_is_broad() -> None:
    assert len([p for p in PROTOCOLS if p.urgency == "emergency"]) >= 25
    assert len({p.name for p in PROTOCOLS}) == len(PROTOCOLS)


def complaints(text: str) -> set[str]:
    """The current symptoms and urgent signs: what keeps a message from being informational."""
    return {f.protocol for f in find_flags(text) if f.urgency in ("routine", "urgent")}


@pytest.mark.parametrize("text", [
    "Mi contraseña del portal está mal y ya me bloquearon la cuenta.",
    "My daughter starts college in the fall and needs her records sent.",
    "You billed my checkup as a sick visit, can someone fix the code?",
    "Thanks for running the flu shot clinic, it was so quick.",
    "I'm confused about my statement, it shows the same charge twice.",
    "My mother is hopeless with computers, can you reset her portal login?",
    "There's a charge for a depression screening on my bill that should be covered.",
    "The insurance told me to call your billing office about the claim.",
    "We wound up paying the lab bill twice, can someone look at the statement?",
    "The new copay is a bit on the high side, is that right for a follow-up visit?",
    "Se cortó la llamada, les vuelvo a llamar para lo de la cita.",
])
def test_other_senses_of_complaint_words_are_no_complaint(text: str) -> None:
    assert complaints(text) == set()


@pytest.mark.parametrize("text", [
    "Desde ayer me siento mal y no tengo ganas de comer.",
    "Estoy muy mal del estómago desde el sábado.",
    "Mi papá ahora está peor que la semana pasada.",
    "I've had a ringing in my ears for two weeks.",
    "She had a fall in the kitchen yesterday.",
    "He's confused and keeps asking what day it is.",
    "My wrist is all puffed up and purple since I slipped on the ice.",
    "Since this morning I can barely hear from my right ear.",
    "Our seven-week-old has been crying nonstop since dinner.",
    "Me dijeron que si se ponía rojo volviera, y ya está bien rojo y le sale pus.",
    "I'm thirty-five weeks and the contractions are coming every ten minutes.",
    "The skin around my port is red and hot and I've had chills since noon.",
    "The neighbor's cat bit her on the wrist yesterday, can someone call me back.",
    "Me corté el dedo con un cuchillo anoche, ¿me pueden llamar?",
])
def test_complaints_still_set_a_floor(text: str) -> None:
    assert complaints(text)


@pytest.mark.parametrize("text", [
    "The condom slipped off last night, can the doctor call in the morning-after pill today?",
    "Se rompió el condón anoche, ¿me pueden recetar la pastilla del día siguiente?",
])
def test_emergency_contraception_is_a_pregnancy_concern(text: str) -> None:
    # it works only for a few days: a same-day call, the pregnancy sign (LABELS.md: pregnancy concerns are urgent)
    assert "urgent:pregnancy" in {f.protocol for f in find_flags(text)}
