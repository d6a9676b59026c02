"""Several questions in one message, and a question understood with the one before it."""

import pytest

from bot.followup import understand
from bot.question import split_questions


@pytest.mark.parametrize(("message", "questions"), [
    ("mau tanya 2 hal kak: 1) magang im japan umur maksimal brp? 2) ujian skill kaigo bisa di indonesia ga?",
     ["mau tanya 2 hal kak: magang im japan umur maksimal brp?",
      "mau tanya 2 hal kak: ujian skill kaigo bisa di indonesia ga?"]),
    ("1) what is kaigo 2) do I need nursing diploma 3) what test do I need",
     ["what is kaigo", "do I need nursing diploma", "what test do I need"]),
    ("syarat magang apa? biayanya brp? berangkatnya kapan?", ["syarat magang apa?", "biayanya brp?", "berangkatnya kapan?"]),
    ("syarat ssw apa aja terus biayanya brp?", ["syarat ssw apa aja", "biayanya brp?"]),
    ("How much does the JFT-Basic test cost in Indonesia and how often can I take it?",
     ["How much does the JFT-Basic test cost in Indonesia", "how often can I take it?"]),
    # one question, however it is dressed
    ("bedanya ssw sama magang apa", ["bedanya ssw sama magang apa"]),
    ("sama aja gk jft sama jlpt?", ["sama aja gk jft sama jlpt?"]),
    ("apa itu ssw? aku lulusan sma", ["apa itu ssw? aku lulusan sma"]),  # the story stays with its question
    ("kak saya lulusan smk otomotif, umur 24. bisa ikut ssw ga?", ["kak saya lulusan smk otomotif, umur 24. bisa ikut ssw ga?"]),
    ("kalo di jepang gaji ga dibayar trus dipukul atasan lapor kemana?",
     ["kalo di jepang gaji ga dibayar trus dipukul atasan lapor kemana?"]),
    ("syarat: 1. umur 18 2. sehat", ["syarat: 1. umur 18 2. sehat"]),  # a list of facts, not of questions
])
def test_a_message_is_split_into_the_questions_it_asks(message, questions):
    assert split_questions(message) == questions


@pytest.mark.parametrize(("previous", "question", "carried"), [
    ("syarat ssw apa aja kak?", "kalau kaigo?", ("ssw", "syarat")),  # the field is its own; programme and topic not
    ("syarat ssw apa aja?", "terus biayanya brp?", ("ssw",)),  # its own topic ("biaya-nya") wins
    ("syarat ssw kaigo", "yg magang gmn?", ("kaigo", "syarat")),  # its own programme wins
    ("how much is the JFT-Basic fee", "and how often can I take it?", ("jft-basic",)),  # asks its own thing
    ("lpk di surabaya yg resmi dmn", "itu resmi gak sih? cara ngeceknya gmn", ("lpk",)),
    ("what is kaigo", "do I need nursing diploma", ("kaigo",)),
    ("Is there an SSW level 2 for hotel work?", "and cleaning?", ("ssw",)),  # a field by its short name
    ("What Japanese level do I need for SSW in food service?", "and for drivers?", ("ssw",)),  # a plural name
    # questions that stand alone carry nothing
    ("gaji kaigo ssw brp kak?", "kalo SSW restoran syarat tesnya apa aja?", ()),
    ("magang im japan umur maksimal brp?", "ujian skill kaigo bisa di indonesia ga?", ()),
    (None, "kalau kaigo?", ()),
])
def test_a_follow_up_inherits_only_what_it_lacks(previous, question, carried):
    understood = understand(question, previous)
    assert understood.carried == carried
    assert understood.text.startswith(question) and all(concept in understood.text for concept in carried)


def test_a_programme_named_in_several_words_is_replaced_whole():
    """"technical intern" is one name of magang: replaced by SSW, it leaves no "technical" behind."""
    understood = understand("what about SSW workers?",
                            "Can a technical intern change companies if the boss is abusive?")
    assert "technical" not in understood.text and "change companies" in understood.text


def test_an_intern_named_as_a_person_is_the_internship_programme():
    """Workers call interns "pemagang": it names magang, so a follow-up about SSW replaces it."""
    understood = understand("kalo ssw gmn, bisa pindah kerja?", "pemagang boleh pindah perusahaan gk?")
    assert "pemagang" not in understood.text and "perusahaan" in understood.text


def test_which_one_points_at_the_things_named_before_even_with_a_subject_of_its_own():
    understood = understand("which one applies to me as an SSW at a factory?",
                            "What is the difference between kokumin kenko hoken and shakai hoken?")
    assert understood.leans_back and "shakai hoken" in understood.text
    naming_them = understand("which one is cheaper, SSW or magang?", "Can I bring rendang to Japan?")
    assert not naming_them.leans_back and naming_them.text == "which one is cheaper, SSW or magang?"
    indonesian = understand("aku yg SSW masuk yg mana?", "apa beda kokumin kenko hoken sama shakai hoken?")
    assert indonesian.leans_back and "shakai hoken" in indonesian.text  # "yg mana": which one, as typed


def test_english_words_keep_their_endings_when_carried():
    """"-nya" ends Indonesian possessives ("biayanya"), not "company"."""
    understood = understand("Will that be different under Ikusei Shuro?", "Can a technical intern change company?")
    assert understood.text.endswith("change company?")


def test_a_follow_up_is_searched_with_the_question_before_it_minus_what_it_replaces():
    """The words of the question before find its passages ("di Tokyo", "per bulan"), except the ones the
    follow-up replaces: its own field replaces the earlier field."""
    understood = understand("kalau kaigo?", "berapa gaji SSW perhotelan per bulan di Tokyo?")
    assert understood.leans_back
    assert "tokyo" in understood.text and "bulan" in understood.text and "ssw" in understood.text
    assert "perhotelan" not in understood.text
    stands_alone = understand("gaji kaigo ssw brp kak?", "berapa gaji SSW perhotelan per bulan di Tokyo?")
    assert stands_alone.text == "gaji kaigo ssw brp kak?" and not stands_alone.leans_back


def test_a_follow_up_naming_a_route_or_body_replaces_the_one_before_and_a_field_keeps_it():
    """ "kalo di lpk swasta?" after a BPVP question is about LPK alone; "kalau kaigo?" stays with SSW."""
    bpvp_to_lpk = understand("kalo di lpk swasta?", "pelatihan bahasa jepang di bpvp gratis kah? brp bulan")
    assert "bpvp" not in bpvp_to_lpk.text and "bpvp" not in bpvp_to_lpk.carried
    assert "pelatihan" in bpvp_to_lpk.carried and "bulan" in bpvp_to_lpk.text
    kaigo = understand("kalau kaigo?", "syarat ssw perhotelan apa aja?")
    assert "ssw" in kaigo.carried and "perhotelan" not in kaigo.text


def test_a_follow_up_pointing_back_replaces_the_subject_it_now_asks_about():
    """ "is it the same for SSW?" asks the question before about SSW; "instead of the JLPT" names no new subject."""
    same_for = understand("is it same for SSW?", "for TITP intern, who pay the flight ticket to Japan?")
    assert same_for.leans_back and "magang" not in same_for.carried and "titp" not in same_for.text.lower()
    assert "ticket" in same_for.text
    under = understand("Will that be different under Ikusei Shuro?", "can a technical intern change company?")
    assert "intern" not in under.text.split("?", 1)[1]
    instead = understand("is that accepted instead of the JLPT?", "a test called JFT-Basic, what is it?")
    assert "jft-basic" in instead.carried


def test_a_follow_up_carries_the_question_before_not_the_story_told_with_it():
    """The worker's story ("aku lulusan smk kesehatan") belonged to the first question; its subjects stay."""
    restaurant = understand("kalo restoran gmn kak",
                            "kak syarat tokutei ginou kaigo apa aja? aku lulusan smk kesehatan blm punya sertifikat")
    assert "syarat" in restaurant.text and "kesehatan" not in restaurant.text and "kaigo" not in restaurant.text
    named_in_the_story = understand("is that accepted instead of the JLPT?",
                                    "I heard there's a Japanese language test called JFT-Basic, what is it?")
    assert "jft-basic" in named_in_the_story.text  # "what is it?" points at the story: it is carried whole
    told_in_passing = understand("itu resmi gak sih?", "lowongan ke jepang lewat PT di bekasi, minta dp dulu sebelum "
                                 "tes. aman gk ya?")
    assert "tes" not in told_in_passing.text.split()  # a topic told in passing is not what was asked
    only_a_story = understand("itu resmi gak?", "aku ditawari kerja di pabrik jepang sama agen di bekasi")
    assert "bekasi" in only_a_story.text  # with no question before, all of it is the context


def test_tadi_points_back_as_the_one_before_not_as_earlier_today():
    """ "yang tadi" is the thing before; "tadi temenku bilang ..." only tells when a friend said something."""
    new_question = understand("kak tadi temenku bilang ada potongan kanri hi dr gaji magang, apa itu?",
                              "boleh ga magang jadi kasir minimarket?")
    assert not new_question.leans_back and "minimarket" not in new_question.text
    assert understand("yg tadi itu aman gk sih?", "lpk di bekasi minta 30jt").leans_back
    assert understand("kalo yang tadi?", "syarat ssw apa aja?").leans_back


def test_a_story_the_question_before_pointed_at_is_carried_in_a_chat():
    """"..., apa itu?" asks about the story itself: the next turn needs it, not only the programme it names."""
    kanri_hi = "kak tadi temenku bilang ada potongan 'kanri hi' tiap bulan dr gaji magang, apa itu?"
    assert "kanri hi" in understand("itu boleh ga sebenernya?", kanri_hi).text
    fired = understand("do they have to pay me something?", "my company fired me suddenly, is that legal in japan?")
    assert "fired" in fired.text
    # within one message, the part that told the story was searched with it already
    assert "kanri hi" not in understand("itu boleh ga sebenernya?", kanri_hi, new_turn=False).text
    # a question that does not point at the story leaves it aside, as before
    assert "father" not in understand("it is paid or not?", "My father passed away. can I get leave to go home?").text


@pytest.mark.parametrize("question", ["what about the nursing care one?", "klo bidang kaigo?", "what about SSW workers?"])
def test_words_that_only_qualify_a_subject_ask_nothing_of_their_own(question):
    """ "the nursing care one" still asks the age limit asked before."""
    understood = understand(question, "Is there an age limit for SSW farming jobs?" if question.startswith("what")
                            else "umur maksimal ssw pertanian brp?")
    assert "umur" in understood.carried


@pytest.mark.parametrize(("question", "before", "topic"), [
    ("and in Japan?", "How long does IM Japan training in Indonesia take before departure?", "pelatihan"),
    ("same for EPA nurses?", "Do SSW workers get their pension contributions back when they go home?", "pensiun"),
    ("kalau peserta IM Japan?", "berapa lama pelatihan magang di indonesia sebelum berangkat?", "pelatihan"),
])
def test_places_and_kinds_of_people_only_qualify_the_subject(question, before, topic):
    """ "in Japan", "nurses", "peserta" say where or for whom, not what: the topic asked before is kept."""
    assert topic in understand(question, before).carried


@pytest.mark.parametrize(("question", "tentative"), [
    ("resep nasi goreng", True),  # names no subject and does not point back: perhaps a new question
    ("berapa lama prosesnya?", False),  # "-nya": the process of that
    ("terus resep nasi goreng?", False),  # "terus": points back
    ("what about night shifts?", False),
    ("does the company pay?", True),  # "-ny" ends "company", but no English word is a possessive
    ("the 5 year one?", False),  # "one" stands for a thing named before
    ("a small one on the arm?", False),
    ("I want a one year contract", True),  # "one" as a number
])
def test_a_follow_up_that_only_names_no_subject_is_tentative(question, tentative):
    understood = understand(question, "SSW boleh bawa keluarga?")
    assert understood.leans_back and understood.tentative == tentative


@pytest.mark.parametrize(("question", "leans_back"), [
    ("Do Japanese employers have to pay for my flight to Japan?", False),  # says enough of its own
    ("btw cara bikin paspor buat kerja di luar negri gmn?", False),
    ("in Tokyo?", True),  # a few words of its own: it means the question before
    ("what's the interest rate?", True),
])
def test_a_new_turn_that_names_no_subject_but_says_enough_stands_alone(question, leans_back):
    assert understand(question, "Is the SSW restaurant skills test hard?").leans_back == leans_back


def test_within_one_message_a_part_leans_on_the_part_before_however_long():
    """"siskop2mi itu apa? wajib daftar gk sblm brgkt kerja ke luar negri?": the second part asks about the first."""
    part = "wajib daftar gk sblm brgkt kerja ke luar negri?"
    assert understand(part, "siskop2mi itu apa?", new_turn=False).leans_back
    assert not understand(part, "siskop2mi itu apa?").leans_back


@pytest.mark.parametrize(("question", "leans_back"), [
    ("btw kak, BPVP itu apa sih?", False),  # "itu" after its own subject marks the topic
    ("oh iya, BP2MI sama KP2MI itu beda apa?", False),
    ("itu LPK resmi gk?", True),  # "itu" first: that one, the one before
    ("is that accepted instead of the JLPT?", True),
    ("so is the agent who told him that a scammer?", True),  # English "that" after a subject still points
    ("where is indonesian embassy in tokyo? i need to renew my passport, it expire next year", False),  # "it"
    # refers to the passport it names
    ("I passed JFT-Basic last month, is it enough?", False),
    ("my boss decides when i take my paid leave, is it legal?", False),  # anything the glossary knows, not only
    # a programme or a topic
    ("is it same for magang?", True),  # "it" before anything of its own: the one before
    ("how much is it?", True),
])
def test_itu_after_a_subject_of_its_own_marks_the_topic_and_does_not_point_back(question, leans_back):
    assert understand(question, "syarat SSW pertanian apa aja?").leans_back == leans_back


def test_a_follow_up_pointing_back_keeps_the_topic_it_points_at():
    """"is it legal?" asks about the passport kept: its own word "legal" asks something of the same thing."""
    meant = understand("is it legal?", "my company keeps my passport")
    assert "passport" in meant.text and "paspor" in meant.carried
    assert "paspor" not in understand("and the cost?", "my company keeps my passport").carried  # a new topic
    # whatever it asks of it: the refund is still what "it" is
    meant = understand("how long does it take?", "How do I apply for the nenkin refund after I go home?")
    assert "nenkin" in meant.text and "pensiun" in meant.carried


@pytest.mark.parametrize(("previous", "question", "firmly"), [
    ("Can I bring my wife to Japan on SSW type 2?", "kids too?", True),
    ("my friend in ssw can bring wife, is it true?", "for technical intern also can?", True),  # names its own
    ("syarat ssw kaigo apa aja?", "magang jg?", True),
    # "juga" that adds a question of its own is no sign: only the message's own words may show it leans back
    ("syarat ssw kaigo apa aja?", "btw aku juga mau tanya cara bikin paspor buat kerja gmn", False),
])
def test_a_short_message_asking_the_same_again_leans_on_the_question_before(previous, question, firmly):
    """"kids too?" means the wife question again, whatever its own words alone look like to the scope model."""
    meant = understand(question, previous)
    assert (meant.leans_back and not meant.tentative) == firmly


@pytest.mark.parametrize(("question", "leans_back"), [
    ("min satu lagi, kalau paspor ditahan sama perusahaan itu boleh ga sih?", False),  # "itu" marks its own topic
    ("oh iya, kalau gaji dipotong asrama itu boleh ga?", False),
    ("btw itu wajib ga?", True),  # too little of its own to be a new question
])
def test_a_message_that_says_a_new_question_begins_stands_alone(question, leans_back):
    assert understand(question, "ikusei shuro nanti biayanya ditanggung perusahaan ya?").leans_back is leans_back
