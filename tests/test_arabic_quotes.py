"""Quote extraction, one test (or one parametrized family) per attribution pattern.

Passages are written for these tests in news style; speakers named in full are expected by
their canonical name, speakers named by role by the phrase itself (flagged `unnamed`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.arabic import Analyzer
from generator.arabic import linking
from generator.arabic.quote_context import entity_id
from generator.model import Analysis, Entity, Quote

EVAL = Path(__file__).resolve().parent.parent / "eval" / "quotes"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer([])


def _quotes(analyzer: Analyzer, text: str) -> list[Quote]:
    quotes = analyzer.analyze(text).quotes
    for q in quotes:
        assert text[q.start:q.end] == q.text
        assert 0.0 < q.confidence <= 1.0
    return quotes


def _got(quotes: list[Quote]) -> list[tuple[str, str, str]]:
    return [(q.kind, q.speaker, q.text) for q in quotes]


# --- direct quotes: marks and where the reporting clause stands ------------------------------


def test_reporting_clause_before_with_colon(analyzer: Analyzer) -> None:
    text = ("وقال وزير المالية الأردني محمد العسعس في مؤتمر صحفي: "
            "«الموازنة الجديدة لا تتضمن أي ضرائب إضافية».")
    [q] = _quotes(analyzer, text)
    assert (q.kind, q.speaker, q.verb) == ("direct", "محمد العسعس", "وقال")
    assert q.text == "الموازنة الجديدة لا تتضمن أي ضرائب إضافية"
    assert q.speaker_id and not q.unnamed and q.sentence == 0


def test_reporting_clause_after_the_quote(analyzer: Analyzer) -> None:
    text = "“لن نقبل بأي تسوية تنتقص من حقوق شعبنا”، قال رئيس الوزراء الفلسطيني محمد مصطفى في رام الله."
    assert _got(_quotes(analyzer, text)) == [
        ("direct", "محمد مصطفى", "لن نقبل بأي تسوية تنتقص من حقوق شعبنا")]


def test_reporting_clause_around_the_quote_with_the_same_mark_both_ends(analyzer: Analyzer) -> None:
    text = "وقال المبعوث الأممي إلى اليمن هانس غروندبرغ إن ”الطريق إلى السلام لا يزال طويلا لكنه ممكن”."
    assert _got(_quotes(analyzer, text)) == [
        ("direct", "هانس غروندبرغ", "الطريق إلى السلام لا يزال طويلا لكنه ممكن")]


def test_straight_quotes_and_present_tense_after(analyzer: Analyzer) -> None:
    text = ('"لم نتلق أي مساعدات منذ ثلاثة أسابيع"، تقول أم خالد، وهي نازحة في خان يونس. '
            "وتضيف أن المياه النظيفة باتت شبه معدومة.")
    quotes = _quotes(analyzer, text)
    assert _got(quotes) == [
        ("direct", "أم خالد", "لم نتلق أي مساعدات منذ ثلاثة أسابيع"),
        ("indirect", "أم خالد", "المياه النظيفة باتت شبه معدومة"),
    ]
    assert [q.sentence for q in quotes] == [0, 1]


def test_quote_running_across_sentences(analyzer: Analyzer) -> None:
    text = ("وقال مدرب الهلال خورخي جيسوس: «لعبنا جيدا في الشوط الأول. ارتكبنا أخطاء بعد الاستراحة. "
            "علينا أن نتعلم بسرعة». وغادر الملعب دون تعليق.")
    [q] = _quotes(analyzer, text)
    assert q.speaker == "خورخي جيسوس"
    assert q.text == "لعبنا جيدا في الشوط الأول. ارتكبنا أخطاء بعد الاستراحة. علينا أن نتعلم بسرعة"


def test_quote_split_around_its_reporting_clause(analyzer: Analyzer) -> None:
    text = ("«نحن لا نبحث عن الحرب»، قال الرئيس الإيراني مسعود بزشكيان أمام البرلمان، "
            "«لكننا سنرد بحزم على أي اعتداء».")
    assert _got(_quotes(analyzer, text)) == [
        ("direct", "مسعود بزشكيان", "نحن لا نبحث عن الحرب"),
        ("direct", "مسعود بزشكيان", "لكننا سنرد بحزم على أي اعتداء"),
    ]


def test_according_to_after_the_quote(analyzer: Analyzer) -> None:
    text = "«الاحتياطيات تكفي لتغطية الواردات ستة أشهر»، بحسب ما قاله محافظ البنك المركزي حسن عبد الله."
    assert _got(_quotes(analyzer, text)) == [
        ("direct", "حسن عبد الله", "الاحتياطيات تكفي لتغطية الواردات ستة أشهر")]


def test_name_in_marks_inside_a_long_title_is_skipped(analyzer: Analyzer) -> None:
    text = ("وقال نائب مساعد وزير الخارجية “بلينكن” لشؤون الخليج دانيال بنعيم خلال الإحاطة: "
            "“لا نرى حلا عسكريا لهذا الصراع”.")
    assert _got(_quotes(analyzer, text)) == [("direct", "دانيال بنعيم", "لا نرى حلا عسكريا لهذا الصراع")]


# --- indirect speech --------------------------------------------------------------------------


@pytest.mark.parametrize("opening", [
    "وقال", "وأكد", "وأوضح", "وأشار", "وصرح", "وشدد", "ولفت", "وزعم", "وادعى", "واعتبر", "ونفى",
    "وحذر",
])
def test_reporting_verbs_of_indirect_speech(analyzer: Analyzer, opening: str) -> None:
    link = {"وقال": "إن", "وأشار": "إلى أن", "وصرح": "بأن", "وشدد": "على أن", "ولفت": "إلى أن",
            "وحذر": "من أن"}.get(opening, "أن")
    text = f"{opening} وزير الخارجية المصري سامح شكري {link} الحكومة ستواصل دعم الحوار الوطني."
    [q] = _quotes(analyzer, text)
    assert (q.kind, q.speaker, q.verb) == ("indirect", "سامح شكري", opening)
    assert q.text == "الحكومة ستواصل دعم الحوار الوطني"


def test_indirect_clause_ends_where_the_report_ends(analyzer: Analyzer) -> None:
    text = ("وأكدت قطر أن وساطتها مستمرة رغم الصعوبات، فيما أعلنت مصر أنها ستستضيف جولة جديدة، "
            "بحسب ما نقلت وكالة الأنباء.")
    assert [(q.speaker, q.text) for q in _quotes(analyzer, text)] == [
        ("قطر", "وساطتها مستمرة رغم الصعوبات"), ("مصر", "ستستضيف جولة جديدة")]


def test_scare_quoted_word_stays_inside_indirect_speech(analyzer: Analyzer) -> None:
    [q] = _quotes(analyzer, "وقال الوزير إن ما جرى “مؤامرة” تستهدف استقرار البلاد.")
    assert (q.kind, q.speaker, q.unnamed) == ("indirect", "الوزير", True)
    assert q.text == "ما جرى “مؤامرة” تستهدف استقرار البلاد"


def test_according_to_a_source_then_فإن(analyzer: Analyzer) -> None:
    text = "وبحسب المتحدث باسم الدفاع المدني محمود بصل، فإن فرق الإنقاذ انتشلت 12 جثة من تحت الأنقاض."
    [q] = _quotes(analyzer, text)
    assert (q.kind, q.speaker, q.verb) == ("indirect", "محمود بصل", "وبحسب")
    assert q.text == "فرق الإنقاذ انتشلت 12 جثة من تحت الأنقاض"


def test_subordinate_أن_is_not_reported_speech(analyzer: Analyzer) -> None:
    assert _quotes(analyzer, "وأعلن الجيش سيطرته على المدينة بعد أن انسحب المسلحون منها.") == []


# --- continuations: the most recent speaker ---------------------------------------------------


@pytest.mark.parametrize("verb", ["وأضاف", "وتابع", "وأردف"])
def test_subjectless_verb_continues_the_last_speaker(analyzer: Analyzer, verb: str) -> None:
    text = ("وقال جوزيب بوريل، الممثل الأعلى للسياسة الخارجية في الاتحاد الأوروبي: «الوضع في غزة كارثي ولا يمكن قبوله». "
            f"{verb}: «على جميع الأطراف احترام القانون الدولي».")
    quotes = _quotes(analyzer, text)
    assert [(q.speaker, q.verb) for q in quotes] == [("جوزيب بوريل", "وقال"), ("جوزيب بوريل", verb)]
    assert quotes[1].confidence < quotes[0].confidence


@pytest.mark.parametrize("participle", ["مضيفا", "متابعا", "موضحا", "لافتا إلى", "مشيرا إلى"])
def test_participle_continues_the_speaker(analyzer: Analyzer, participle: str) -> None:
    text = (f"وقال الخبير الاقتصادي محمد فؤاد إن قرار خفض الفائدة جاء متأخرا، {participle} أن "
            "الأسواق تنتظر إشارات أوضح.")
    assert _got(_quotes(analyzer, text)) == [
        ("indirect", "محمد فؤاد", "قرار خفض الفائدة جاء متأخرا"),
        ("indirect", "محمد فؤاد", "الأسواق تنتظر إشارات أوضح"),
    ]


def test_pronoun_only_clause_continues_the_speaker(analyzer: Analyzer) -> None:
    text = ("وأعلن رئيس الحكومة اللبنانية نجيب ميقاتي أن المجلس سيعقد جلسة استثنائية. "
            "وأكد أنه لن يقبل بتعطيل عمل المؤسسات.")
    assert _got(_quotes(analyzer, text)) == [
        ("indirect", "نجيب ميقاتي", "المجلس سيعقد جلسة استثنائية"),
        ("indirect", "نجيب ميقاتي", "لن يقبل بتعطيل عمل المؤسسات"),
    ]


def test_participle_takes_the_subject_of_its_own_sentence(analyzer: Analyzer) -> None:
    text = "وعلّق رئيس الاتحاد التونسي لكرة القدم على الخسارة قائلا: \"النتيجة مؤلمة لكننا سنعود أقوى\"."
    [q] = _quotes(analyzer, text)
    assert (q.speaker, q.unnamed) == ("رئيس الاتحاد التونسي لكرة القدم", True)


def test_subject_before_the_verb(analyzer: Analyzer) -> None:
    text = ("التقى الرئيس الأمريكي جو بايدن وفدا من الكونغرس. "
            "الرئيس الأمريكي جو بايدن قال إن بلاده لن تتخلى عن حلفائها في المنطقة.")
    assert [(q.speaker, q.text) for q in _quotes(analyzer, text)] == [
        ("جو بايدن", "بلاده لن تتخلى عن حلفائها في المنطقة")]


def test_reply_with_its_own_subject_changes_the_speaker(analyzer: Analyzer) -> None:
    text = ("وقال النائب المعارض ياسر البدري إن الحكومة فشلت في إدارة الأزمة. "
            "ورد وزير الاقتصاد كمال الشريف قائلا: «الأرقام تقول عكس ذلك تماما».")
    assert [(q.kind, q.speaker) for q in _quotes(analyzer, text)] == [
        ("indirect", "ياسر البدري"), ("direct", "كمال الشريف")]


def test_participle_after_an_embedded_verb_keeps_the_main_speaker(analyzer: Analyzer) -> None:
    text = ("وقالت المتحدثة باسم الخارجية الروسية ماريا زاخاروفا إن بلادها أبلغت الأطراف بموقفها، "
            "لافتة إلى أن الاتصالات مستمرة.")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["ماريا زاخاروفا"] * 2


# --- speakers ---------------------------------------------------------------------------------


def test_surname_only_speaker_gets_the_canonical_name(analyzer: Analyzer) -> None:
    text = ("وقال نائب مساعد وزير الخارجية لشؤون الشرق الأدنى هنري ووستر إن واشنطن لا تدعم الهجوم. "
            "وادعى ووستر أن الحل يمر عبر المفاوضات.")
    quotes = _quotes(analyzer, text)
    assert [q.speaker for q in quotes] == ["هنري ووستر", "هنري ووستر"]
    assert quotes[0].speaker_id == quotes[1].speaker_id != ""


@pytest.mark.parametrize("role", ["مدرب النصر", "مصدر في المنظمة", "مصادر دبلوماسية",
                                  "المتحدث باسم الوزارة", "مسؤول كبير في الإدارة الأمريكية"])
def test_speaker_named_by_role_only(analyzer: Analyzer, role: str) -> None:
    [q] = _quotes(analyzer, f"وقال {role} إن الاجتماع المقبل سيناقش تمديد ولاية البعثة.")
    assert (q.speaker, q.unnamed, q.speaker_id) == (role, True, "")


def test_organization_or_country_as_subject(analyzer: Analyzer) -> None:
    text = "أعلنت وزارة الخارجية أن الوزير سيزور بيروت. وأكدت قطر أن وساطتها مستمرة."
    analysis = analyzer.analyze(text)
    orgs = {e.name: entity_id(e) for e in analysis.entities if e.type in ("ORG", "LOC")}
    first, second = analysis.quotes
    assert first.speaker.startswith("وزارة الخارجية") and first.speaker in orgs
    assert (second.speaker, second.speaker_id) == ("قطر", orgs["قطر"])
    assert not first.unnamed and not second.unnamed


def test_media_quoting_a_source_gives_the_source(analyzer: Analyzer) -> None:
    text = ("ونقلت وكالة أنباء الشرق الأوسط عن مصدر طبي قوله إن حالة ثلاثة من المصابين حرجة. "
            "وأفادت صحيفة الشرق الأوسط نقلا عن مصادر مطلعة بأن المفاوضات وصلت إلى مراحلها الأخيرة. "
            "ونقلت وكالة الأنباء الألمانية عن المتحدث باسم الحكومة الألمانية شتيفن هيبشترايت قوله: "
            "«برلين ستواصل دعم أوكرانيا ما دام ذلك ضروريا».")
    assert [q.speaker for q in _quotes(analyzer, text)] == [
        "مصدر طبي", "مصادر مطلعة", "شتيفن هيبشترايت"]


def test_speaker_talking_to_an_outlet_is_the_speaker(analyzer: Analyzer) -> None:
    text = "وقال مسؤول أمريكي لوكالة رويترز إن واشنطن تدرس فرض عقوبات جديدة."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["مسؤول أمريكي"]


# --- what is not a quote ----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "شنت القوات هجوما ضمن عملية “درع الصحراء” وتحدثت تقارير عن دور “حفتر” وشركة \"أرامكو\".",
    "يعرض المسرح القومي معالجة لرواية «موسم الهجرة إلى الشمال» ضمن برنامج «ليالي الأدب العربي في المسرح».",
    "وأطلقت الجمعية حملة تحت شعار «معا من أجل مدارس آمنة للجميع» بمشاركة مئات المتطوعين.",
    "ووصف الوزير الاتفاق بأنه “تاريخي”، فيما انتقدت المعارضة ما سمته “صفقة الغاز الكبرى مع الجيران”.",
    "\"لا عودة إلى الوراء\": الحكومة تمضي في إصلاح نظام الدعم\nوبدأ تطبيق النظام الجديد في يوليو.",
    "التقى الرئيس التونسي قيس سعيد وزير الخارجية الإيطالي، وأكد سعيد دعم بلاده للتعاون الإقليمي.",
])
def test_no_false_quotes(analyzer: Analyzer, text: str) -> None:
    assert _quotes(analyzer, text) == []


def test_impersonal_verbs_report_nobody(analyzer: Analyzer) -> None:
    text = "وقال الوزير إن الاتفاق سيوقع قريبا. يذكر أن المفاوضات بدأت قبل عامين. وتبين أن الوثائق مزورة."
    assert _got(_quotes(analyzer, text)) == [("indirect", "الوزير", "الاتفاق سيوقع قريبا")]


# --- the data --------------------------------------------------------------------------------


def test_quote_fields_survive_json_and_old_records_still_load(analyzer: Analyzer) -> None:
    text = "وقالت مصادر عسكرية إن القوات تقدمت نحو مركز المدينة، مضيفة أن المعارك مستمرة."
    analysis = analyzer.analyze(text)
    assert Analysis.from_dict(json.loads(json.dumps(analysis.to_dict()))) == analysis
    keys = set(analysis.to_dict()["quotes"][0])
    assert {"speaker", "text", "kind", "start", "end", "verb", "speaker_id", "unnamed", "sentence",
            "confidence"} <= keys
    old = {"speaker": "س", "text": "ن", "kind": "direct", "start": 0, "end": 1, "verb": "قال"}
    assert Quote(**old).speaker_id == "" and Quote(**old).confidence == 1.0


@dataclass
class _EntityWithId(Entity):
    """The shape entities take once the recognizer gives stable ids."""

    id: str = ""


def test_speaker_id_uses_the_entity_id_when_there_is_one() -> None:
    assert entity_id(_EntityWithId("سامح شكري", "PER", [], "Q123")) == "Q123"
    # one id scheme for entities and named speakers: the same as the recognizer's
    assert entity_id(Entity("سامح شكري", "PER", [])) == linking.entity_id("PER", "سامح شكري")
    assert entity_id(Entity("وزارة الخارجية", "ORG", [])) == linking.entity_id("ORG", "وزارة الخارجية")


def test_eval_sets_are_annotated_consistently() -> None:
    splits = {name: [json.loads(line) for line in (EVAL / f"{name}.jsonl").read_text("utf-8").splitlines()]
              for name in ("dev", "test")}
    assert len(splits["dev"]) + len(splits["test"]) >= 30
    assert len(splits["test"]) * 3 >= len(splits["dev"]) + len(splits["test"]) - 2
    ids = [p["id"] for ps in splits.values() for p in ps]
    assert len(ids) == len(set(ids))
    for split in splits.values():
        assert any(not p["quotes"] for p in split)  # passages with no reported speech
        assert {g["kind"] for p in split for g in p["quotes"]} == {"direct", "indirect"}
    for passage in (p for ps in splits.values() for p in ps):
        for gold in passage["quotes"]:
            assert gold["text"] in passage["text"] and gold["kind"] in ("direct", "indirect")
            assert gold["speaker"]


# --- speakers: namesakes, anaphora, titles before names ----------------------------------------


def test_a_surname_links_to_the_full_name_in_the_text_not_a_famous_namesake(analyzer: Analyzer) -> None:
    text = ("قال رئيس النادي نايف الجبير إن الإدارة ستعلن اسم المدرب الجديد قريبا. "
            "وأضاف الجبير: «لن نتعاقد مع أي لاعب قبل نهاية الموسم الحالي».")
    assert {q.speaker for q in _quotes(analyzer, text)} == {"نايف الجبير"}


def test_a_famous_person_met_by_surname_alone_keeps_the_gazetteer_name(analyzer: Analyzer) -> None:
    text = "وقال الجبير إن المملكة تدعم كل جهود التهدئة في المنطقة."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["عادل الجبير"]


@pytest.mark.parametrize("text, speaker, unnamed", [
    ("قال مصدر في وزارة الكهرباء إن الشبكة تعمل بكامل طاقتها منذ أمس. "
     "وأوضح المصدر أن أعمال الصيانة ستنتهي خلال أسبوع.", "مصدر في وزارة الكهرباء", True),
    ("أكدت مصادر أمنية في البصرة أن الطريق أعيد فتحه صباح اليوم. "
     "وقالت المصادر إن قوات إضافية انتشرت على طول الطريق.", "مصادر أمنية في البصرة", True),
    ("أعلنت منظمة العفو الدولية أن فرقها وصلت إلى المخيم. "
     "وأشارت المنظمة إلى أن المخيم يفتقر إلى المياه النظيفة.", "منظمة العفو الدولية", False),
])
def test_a_bare_definite_source_refers_back_to_the_earlier_one(
        analyzer: Analyzer, text: str, speaker: str, unnamed: bool) -> None:
    quotes = _quotes(analyzer, text)
    assert len(quotes) == 2
    assert quotes[1].speaker == quotes[0].speaker
    assert (quotes[1].speaker, quotes[1].unnamed) == (speaker, unnamed)


def test_a_bare_definite_source_with_nothing_before_it_stays_as_written(analyzer: Analyzer) -> None:
    quotes = _quotes(analyzer, "وقالت المصادر إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة.")
    assert [(q.speaker, q.unnamed) for q in quotes] == [("المصادر", True)]


@pytest.mark.parametrize("text, speaker", [
    ("«المدينة تتغير أسرع مما نكتب عنها»، تقول الكاتبة المصرية نادية الشريف في حوار مع المجلة.",
     "نادية الشريف"),
    ("وقال الشاعر العراقي حسين الموسوي إن القصيدة ما زالت قادرة على جمع الناس.", "حسين الموسوي"),
    ("وترى الباحثة التونسية ليلى بن عمر أن الإصلاح يحتاج إلى سنوات طويلة.", "ليلى بن عمر"),
])
def test_a_profession_and_nisba_before_a_name_give_the_name(analyzer: Analyzer, text: str, speaker: str) -> None:
    assert [q.speaker for q in _quotes(analyzer, text)] == [speaker]


def test_a_three_part_name_after_a_title_is_kept_whole(analyzer: Analyzer) -> None:
    text = "قال وزير المالية القطري ناصر سعد الكواري إن الموازنة الجديدة ستركز على التعليم."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["ناصر سعد الكواري"]


def test_a_member_of_a_committee_speaks_by_name_not_by_role(analyzer: Analyzer) -> None:
    text = "وأكد عضو لجنة الطاقة البرلمانية سامي الحسناوي أن المصافي الجديدة ستعمل العام المقبل."
    quotes = _quotes(analyzer, text)
    assert [(q.speaker, q.unnamed) for q in quotes] == [("سامي الحسناوي", False)]


def test_a_source_close_to_a_named_person_is_not_that_person(analyzer: Analyzer) -> None:
    text = "وقال مصدر مقرب من رئيس البرلمان هادي العامري إن الجلسة ستعقد غدا."
    quotes = _quotes(analyzer, text)
    assert [q.unnamed for q in quotes] == [True]


# --- fresh2 development rules (own sentences) ---------------------------------------------------

def test_a_recognized_name_cut_short_after_a_title_is_completed() -> None:
    from generator.arabic.normalize import tokenize
    from generator.arabic.quotes import find_quotes
    from generator.arabic.sentences import quote_pairs, split_sentences
    from generator.model import Mention

    text = ("وقال وزير النقل الأردني خالد سيف الحمود في تصريح صحفي: «سنفتح الطريق الصحراوي أمام "
            "الشاحنات الأسبوع المقبل».")
    start = text.index("خالد")
    cut = Entity("خالد سيف", "PER", [Mention("خالد سيف", start, start + len("خالد سيف"))])
    pairs = quote_pairs(text)
    quotes = find_quotes(text, tokenize(text), split_sentences(text, pairs), pairs, [cut])
    assert [q.speaker for q in quotes] == ["خالد سيف الحمود"]


def test_a_short_quote_opening_a_split_quote_is_a_quote(analyzer: Analyzer) -> None:
    text = ("«الاتفاق لم ينهر»، قال وزير الخارجية العماني بدر البوسعيدي، «لكن التنفيذ يحتاج "
            "إلى وقت أطول».")
    quotes = _quotes(analyzer, text)
    assert [(q.kind, q.text) for q in quotes] == [
        ("direct", "الاتفاق لم ينهر"), ("direct", "لكن التنفيذ يحتاج إلى وقت أطول")]
    assert {q.speaker for q in quotes} == {"بدر البوسعيدي"}


def test_a_verbal_noun_after_adam_is_no_reporting_verb(analyzer: Analyzer) -> None:
    text = ("قال مسؤول أمني رفيع إن الحدود ستغلق ليلا. وأضاف المسؤول، الذي فضل عدم ذكر هويته، أن "
            "«الدوريات ستتضاعف على طول الشريط الحدودي».")
    quotes = _quotes(analyzer, text)
    assert [q.speaker for q in quotes] == ["مسؤول أمني رفيع", "مسؤول أمني رفيع"]


def test_an_identity_noun_with_a_pronoun_is_never_a_speaker_but_kin_are(analyzer: Analyzer) -> None:
    text = ("وقال مصدر أمني إن النيران امتدت إلى المخازن. وأضاف المصدر، دون أن يذكر اسمه، أن "
            "«الإطفاء وصل متأخرا ساعتين كاملتين».")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["مصدر أمني", "مصدر أمني"]
    text = "وقالت زوجته إن الأطباء منعوا الزيارات عنه منذ يومين."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["زوجته"]


def test_a_bare_definite_outlet_refers_to_the_named_outlet_before(analyzer: Analyzer) -> None:
    text = ("ونقلت صحيفة فايننشال تايمز عن دبلوماسيين غربيين قولهم إن المحادثات ستستأنف قريبا. "
            "وبحسب الصحيفة، فإن الجولة المقبلة ستعقد في جنيف.")
    quotes = _quotes(analyzer, text)
    assert quotes[-1].speaker == "صحيفة فايننشال تايمز"


def test_a_subjectless_joined_verb_takes_the_subject_opening_the_sentence(analyzer: Analyzer) -> None:
    text = ("استنكرت دولة الكويت التفجير الذي وقع في العاصمة الصومالية، وأكدت في بيان أن العنف لن "
            "يحقق أي هدف سياسي.")
    quotes = _quotes(analyzer, text)
    assert len(quotes) == 1 and quotes[0].speaker in ("الكويت", "دولة الكويت")


def test_told_to_an_outlet_is_not_part_of_the_speaker(analyzer: Analyzer) -> None:
    text = "وقال أحد المزارعين لرويترز إن «المحصول هذا العام هو الأسوأ منذ عقد»."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["أحد المزارعين"]


def test_an_indirect_clause_ends_before_but(analyzer: Analyzer) -> None:
    text = "وأعلن متحدث باسم الشرطة أن الأمن أعيد إلى الحي، لكن المتحدث لم يكشف عدد المعتقلين."
    assert [q.text for q in _quotes(analyzer, text)] == ["الأمن أعيد إلى الحي"]


def test_a_definite_title_with_a_nisba_refers_to_the_person_introduced_by_that_title(analyzer: Analyzer) -> None:
    text = ("أعلن وزير خارجية البرازيل ماورو فييرا أن بلاده ستستضيف جولة جديدة من المحادثات. "
            "وقال الوزير البرازيلي خلال المؤتمر: «لن نقبل بأي شروط مسبقة من أي طرف كان».")
    quotes = _quotes(analyzer, text)
    assert [q.speaker for q in quotes] == ["ماورو فييرا", "ماورو فييرا"]
    assert not quotes[-1].unnamed


def test_a_circumstance_after_a_title_is_not_part_of_the_speaker(analyzer: Analyzer) -> None:
    text = "وقال المتحدث باسم الجيش في المؤتمر الصحفي: «القوات استعادت السيطرة على الطريق الساحلي»."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["المتحدث باسم الجيش"]


def test_an_audience_after_a_role_ends_the_speaker(analyzer: Analyzer) -> None:
    text = "وقال مسؤول في الهيئة للصحافة: «الإمدادات ستصل إلى المخيمات خلال الأسبوع المقبل»."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["مسؤول في الهيئة"]
    text = ("أعلنت منظمة العفو الدولية أن التقرير سيصدر غدا. وقالت متحدثة باسم المنظمة للصحفيين: "
            '"المعتقلون يحرمون من الزيارات منذ أشهر طويلة".')
    assert _quotes(analyzer, text)[-1].speaker == "متحدثة باسم المنظمة"


@pytest.mark.parametrize("text", [
    "وقال الكاتب الجزائري واسيني الأعرج إن الترجمة جسر بين الثقافات.",
    "وأكد وسيم يوسف أن الحفل سيقام في موعده رغم الظروف الصعبة.",
    "وأكد وديع الصافي أن الحفل سيقام في موعده رغم الظروف الصعبة.",
])
def test_a_first_name_starting_with_waw_keeps_its_first_letter(analyzer: Analyzer, text: str) -> None:
    name = next(n for n in ("واسيني الأعرج", "وسيم يوسف", "وديع الصافي") if n in text)
    assert [q.speaker for q in _quotes(analyzer, text)] == [name]


def test_an_impersonal_passive_verb_before_an_is_no_report(analyzer: Analyzer) -> None:
    text = "وافتتحت الشركة مصنعا جديدا في المدينة، إذ يتوقع أن يوفر المصنع ألفي وظيفة خلال عامين."
    assert _quotes(analyzer, text) == []


@pytest.mark.parametrize("outlet", ["صحيفة لا ريبوبليكا", "صحيفة لا ناسيون", "صحيفة لو فيغارو"])
def test_a_foreign_outlet_name_with_its_article_speaks(analyzer: Analyzer, outlet: str) -> None:
    text = f"وذكرت {outlet} أن الحكومة تدرس خطة لخفض الإنفاق العام في العام المقبل."
    assert [q.speaker for q in _quotes(analyzer, text)] == [outlet]


@pytest.mark.parametrize("marks", [("”", "“"), ("“", "“")])
def test_curly_marks_turned_by_typesetting_still_pair(analyzer: Analyzer, marks: tuple[str, str]) -> None:
    text = f"وقال وزير المالية خالد العلي: {marks[0]}العجز سيتراجع إلى النصف خلال عامين{marks[1]}."
    assert _got(_quotes(analyzer, text)) == [("direct", "خالد العلي", "العجز سيتراجع إلى النصف خلال عامين")]


def test_whom_a_named_speaker_told_is_not_part_of_the_name(analyzer: Analyzer) -> None:
    text = "قال المتحدث باسم الوزارة هاري بوتر للصحفيين إن الوفد سيصل إلى القاهرة يوم الأحد."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["هاري بوتر"]


def test_a_subject_between_kana_and_qad_speaks(analyzer: Analyzer) -> None:
    text = ("قالت وزيرة الصحة الأردنية ريم الخطيب إن المستشفيات جاهزة. من جانبه، أكد النائب سامر حداد "
            "أن اللجنة ستزور المستشفيات. وكانت الوزيرة قد صرحت الأسبوع الماضي: «لن نغلق أي مركز صحي».")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["ريم الخطيب", "سامر حداد", "ريم الخطيب"]


def test_a_bare_definite_organization_refers_to_the_one_named_with_its_acronym(analyzer: Analyzer) -> None:
    text = ("حذرت منظمة الأمم المتحدة للطفولة (يونيسف) من أن آلاف المدارس مغلقة في المنطقة. "
            "وقالت المنظمة في بيان إن المعلمين لم يتقاضوا رواتبهم منذ أشهر.")
    speakers = {q.speaker for q in _quotes(analyzer, text)}
    assert len(speakers) == 1 and speakers != {"المنظمة"}


def test_a_family_name_that_is_also_a_title_closes_the_name(analyzer: Analyzer) -> None:
    text = ("«الوضع في المخيم يزداد سوءا كل يوم»، قالت الناشطة سلمى يوسف الأمين، منسقة إحدى المبادرات "
            "الأهلية. وحذرت الأمين من أن المياه ستنفد خلال أيام.")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["سلمى يوسف الأمين"] * 2


def test_an_honorific_with_a_pronoun_names_the_person_it_introduced(analyzer: Analyzer) -> None:
    text = ("افتتح سمو الشيخ حمدان بن راشد المعلا المعرض بحضور معالي سعيد بن خلفان الكعبي. "
            "وقال سموه: «المعرض نافذة على تراثنا الغني». وأضاف معاليه أن الوزارة ستدعم الحرفيين.")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["حمدان بن راشد المعلا", "سعيد بن خلفان الكعبي"]


def test_a_statement_referred_to_as_the_statement_speaks_for_its_issuer(analyzer: Analyzer) -> None:
    text = ("وقالت وزارة الصحة العراقية في بيان إن حملة التلقيح بدأت في بغداد. "
            "وأضاف البيان أن الفرق الطبية ستصل إلى المحافظات الجنوبية الأسبوع المقبل.")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["وزارة الصحة العراقية"] * 2


def test_a_ministry_keeps_its_country_in_its_name(analyzer: Analyzer) -> None:
    text = ("وقالت وزارة الخارجية المصرية إن الاتصالات مستمرة. "
            "وأعلنت وزارة الخارجية الأمريكية أن الوفد سيصل غدا.")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["وزارة الخارجية المصرية", "وزارة الخارجية الأمريكية"]


@pytest.mark.parametrize("text, speaker", [
    ("ودعا الوزير المواطنين إلى ترشيد الاستهلاك، مشيرا إلى أن المخزون يكفي لأشهر قليلة فقط.", "الوزير"),
    ("قال المدرب البرتغالي جواو فيليبي سيلفا إن الفريق جاهز. وأضاف المدرب البرتغالي أن الإصابات تراجعت كثيرا.",
     "جواو فيليبي سيلفا"),
])
def test_a_definite_title_takes_no_object_and_refers_back_by_its_nisba(
        analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_a_title_set_off_by_commas_before_the_name_gives_the_name(analyzer: Analyzer) -> None:
    text = ("في المقابل، اتهم المستشار القانوني للحركة، نور الدين سالم عيسى، الحكومة بالمماطلة، "
            "وقال: «الحكومة لا تريد اتفاقا حقيقيا». وأكد المستشار أن الحركة ستواصل التفاوض.")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["نور الدين سالم عيسى"] * 2


def test_a_continuation_with_a_bare_title_continues_the_last_speaker(analyzer: Analyzer) -> None:
    text = ("من جهته، قال قائد الفريق ماهر حسين الزعبي إن اللاعبين عازمون على الفوز. "
            "وأضاف اللاعب: «الجماهير تستحق الأفضل من هذا الفريق»، مشيرا إلى أن الصدارة ما زالت في متناوله.")
    assert {q.speaker for q in _quotes(analyzer, text)} == {"ماهر حسين الزعبي"}


def test_amma_names_the_subject_of_the_verb_after_fa(analyzer: Analyzer) -> None:
    text = ("أما المجلس الأعلى للدولة، فقد ادعى في بيان أن البرلمان عدل القوانين بشكل أحادي. "
            "أما الزعبي، قائد الفريق، فقد كتب على حسابه: «شكرا لكل من ساندنا طوال الموسم».")
    quotes = _quotes(analyzer, "قال قائد الفريق ماهر حسين الزعبي إن الموسم كان صعبا جدا. " + text)
    assert [q.speaker for q in quotes] == ["ماهر حسين الزعبي", "المجلس الأعلى للدولة", "ماهر حسين الزعبي"]


def test_a_source_before_its_verb_speaks_and_is_referred_back_to(analyzer: Analyzer) -> None:
    text = ("غير أن مصادر حكومية مطلعة أفادت لـ\"القبس\" بأن المسودة باتت جاهزة للإحالة. "
            "وأضافت المصادر أن الحكومة تدرس أيضا فرض رسوم جديدة.")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["مصادر حكومية مطلعة"] * 2


def test_an_outlet_named_in_marks_speaks_by_that_name(analyzer: Analyzer) -> None:
    text = 'وذكر موقع "صوت العاصمة" المعارض أن سعر البنزين تجاوز عشرين ألف ليرة في دمشق.'
    assert [q.speaker for q in _quotes(analyzer, text)] == ["صوت العاصمة"]


@pytest.mark.parametrize("lead, kind, quoted", [
    ("وبحسب ما نقلته الصحيفة عن المصدر، فإن", "direct", "الحكومة ستعلن خطة جديدة لمعالجة الأزمة"),
    ("وقال المصدر إن", "direct", "الحكومة ستعلن خطة جديدة لمعالجة الأزمة"),
    ("وقال المصدر إن الحكومة", "indirect", "الحكومة «ستعلن خطة جديدة لمعالجة الأزمة»"),
])
def test_marks_holding_a_whole_report_are_direct_and_marks_inside_one_indirect(
        analyzer: Analyzer, lead: str, kind: str, quoted: str) -> None:
    marked = "«ستعلن خطة جديدة لمعالجة الأزمة»" if "الحكومة" in lead else "«الحكومة ستعلن خطة جديدة لمعالجة الأزمة»"
    text = f"نقلت صحيفة الوطن عن مصدر في الوزارة قوله إن الشحنة وصلت. {lead} {marked}."
    last = _quotes(analyzer, text)[-1]
    assert (last.kind, last.text) == (kind, quoted)
    assert [q.kind for q in _quotes(analyzer, text)].count("direct") == (kind == "direct")


def test_a_relative_clause_between_a_name_and_its_verb(analyzer: Analyzer) -> None:
    text = ("يجلس المحامي نبيل عبد الكريم الصايغ في مكتبه. الصايغ، الذي ولد في عكار، يقول إن الملف لم يغلق يوما. "
            "وتتابع زوجته سعاد حداد بصوت خافت: «تعلمت الصبر من الأمهات». "
            "أما الصايغ فيختم حديثه بالتأكيد أن القانون بقي بلا تمويل.")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["نبيل عبد الكريم الصايغ", "سعاد حداد",
                                                            "نبيل عبد الكريم الصايغ"]


def test_bayyana_spelled_like_between_reports_when_it_opens_a_clause(analyzer: Analyzer) -> None:
    text = ("من جهته، بين مدير الهيئة المهندس كمال فايز الخطيب أن السدود تخزن ربع سعتها. "
            "وتقع البلدة بين النهر والجبل، ويقول السكان إن الطريق مغلق منذ أيام.")
    assert [(q.speaker, q.text) for q in _quotes(analyzer, text)] == [
        ("كمال فايز الخطيب", "السدود تخزن ربع سعتها"), ("السكان", "الطريق مغلق منذ أيام")]


def test_the_noun_after_bism_ends_a_spokesman_role(analyzer: Analyzer) -> None:
    text = "ونفى المتحدث باسم الحكومة وجود أي خلافات، مؤكدا أن «الحكومة متماسكة وتعمل بروح الفريق»."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["المتحدث باسم الحكومة"]


def test_a_quote_split_by_an_attribution_after_it_resumes_with_the_same_speaker(analyzer: Analyzer) -> None:
    text = ("«الوضع في المخيمات يقترب من الانهيار»، قالت المتحدثة باسم المفوضية إيلينا مارتيني خلال إفادة "
            "صحفية في جنيف، «فالمياه لا تكفي إلا لثلث السكان».")
    assert [(q.kind, q.speaker) for q in _quotes(analyzer, text)] == [("direct", "إيلينا مارتيني")] * 2


def test_the_person_asked_answers(analyzer: Analyzer) -> None:
    text = ("تحدث وزير الطاقة السابق نبيل حداد عن أزمة الكهرباء. وسُئل حداد عن موعد تشغيل المعامل، "
            "فأجاب: «لا أستطيع أن أعد اللبنانيين بموعد محدد».")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["نبيل حداد"]


def test_a_sentence_opened_by_a_titled_subject_gives_its_joined_verb_a_speaker(analyzer: Analyzer) -> None:
    text = ("أكد الوزير عماد الخصاونة أن الامتحان سيعقد في موعده. غير أن النائبة رولا العبادي انتقدت القرار، "
            "وقالت: «الطلبة عرفوا بالتغيير من وسائل التواصل»." )
    assert [q.speaker for q in _quotes(analyzer, text)] == ["عماد الخصاونة", "رولا العبادي"]


@pytest.mark.parametrize("text, speaker", [
    ("وحسب بيان صادر عن شركة المراعي، فإن الأرباح ارتفعت بنسبة كبيرة هذا العام.", "شركة المراعي"),
    ("وأفاد شهود عيان لوكالة الأنباء بأن القصف استمر حتى الصباح. وروت مصادر محلية أن عشرات العائلات نزحت.", "مصادر محلية"),
    ("وعاد الوزير خالد النمر ليؤكد في تصريح متلفز أن الحكومة لن تتراجع عن قرارها.", "خالد النمر"),
])
def test_issuers_narrators_and_a_returning_speaker(analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_a_short_marked_term_opening_a_report_keeps_it_indirect(analyzer: Analyzer) -> None:
    text = 'وأقر الوزير السابق نبيل حداد بأن الدولة أخطأت، معتبرا أن "الحل المؤقت" تحول إلى واقع دائم.'
    assert [(q.kind, q.text) for q in _quotes(analyzer, text)][-1] == (
        "indirect", 'الحل المؤقت" تحول إلى واقع دائم')
    text = "ووصفت الصحيفة الحكومية الاتفاق بأنه «صفحة جديدة» في العلاقات بين البلدين."
    assert _quotes(analyzer, text) == []


def test_a_long_attribution_leads_into_a_quote_that_ends_the_sentence(analyzer: Analyzer) -> None:
    text = ('وقال العميد خالد الصديق المتحدث باسم الجيش السوداني لرويترز في اتصال هاتفي '
            '"قواتنا تتقدم على المحور الشرقي، ولن نسمح بتحويل المدينة إلى رهينة".')
    assert [(q.kind, q.speaker) for q in _quotes(analyzer, text)] == [("direct", "خالد الصديق")]


def test_a_short_quote_that_is_the_whole_report_after_an(analyzer: Analyzer) -> None:
    text = 'وحين سئل المهندس طارق الزهراني عن طرح الأسهم، اكتفى بالقول إن "كل الخيارات مطروحة".'
    assert [(q.kind, q.text) for q in _quotes(analyzer, text)] == [("direct", "كل الخيارات مطروحة")]


@pytest.mark.parametrize("text, speaker", [
    ("وعقب المباراة، أبدى مدرب الوصل الإسباني خوان مانويل أرتيغا رضاه عن لاعبيه، وقال: "
     "\"لم نبدأ جيدا، لكن الفريق أظهر شخصية البطل\".", "خوان مانويل أرتيغا"),
    ("دشن صاحب السمو الأمير بندر بن مشعل بن سعود مشروع المحطة. وأكد سموه أن المشروع سيغطي احتياجات المدينة.",
     "بندر بن مشعل بن سعود"),
    ("وأوضح بيان صادر عن وزارة الموارد المائية والري أن المفاوضات انتهت. وجاء في البيان: «مصر لن تقبل بفرض الأمر الواقع».",
     "وزارة الموارد المائية والري"),
    ("ووفقا لمصادر في المجلس الرئاسي، فإن الميزانية ستحال إلى الحكومة خلال أيام.", "مصادر في المجلس الرئاسي"),
    ("وتحدثت النائبة منى السباعي، التي قالت إن الحكومة تطارد الظاهرة ولا تعالج أسبابها.", "منى السباعي"),
])
def test_openings_honorifics_documents_and_relatives(analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_what_a_closing_verb_closes_is_not_its_speaker(analyzer: Analyzer) -> None:
    text = ("وقال مقدم البرنامج الإعلامي حسام عبد الوهاب إن الحلقة مخصصة للتعليم. "
            "وتدخل عبد الوهاب متسائلا: \"أين ولي الأمر من كل هذا؟\"، قبل أن يختم الحلقة بالتأكيد على أن "
            "البرنامج سيستضيف الوزير.")
    assert {q.speaker for q in _quotes(analyzer, text)} == {"حسام عبد الوهاب"}


@pytest.mark.parametrize("text, speaker", [
    ("وفي الرياض، رحبت وزارة الخارجية السعودية في بيان بالإعلان، مشيرة إلى أن المملكة تدعم كل جهد للتهدئة.",
     "وزارة الخارجية السعودية"),
    ("غير أن الدكتور مارتن هيوز، أستاذ الصحة البيئية، والذي لم يشارك في الدراسة، حذر من تعميم النتائج، "
     "معتبرا أن حجم العينة لا يزال محدودا.", "مارتن هيوز"),
    ("وكان سمو الشيخ راشد بن حمدان آل نهيان، رئيس المجلس التعليمي، قد وجه بتسريع المبادرة، "
     "مؤكدا أن «الاستثمار في العقول هو الاستثمار الأبقى».", "راشد بن حمدان آل نهيان"),
    ("وكان الوزير الفرنسي، إتيان مورو، قد صرح لإذاعة محلية بأن أوروبا مستعدة لتحمل مسؤولياتها.", "إتيان مورو"),
    ("وزيرة التجارة الأمريكية ريبيكا هول أبلغت أعضاء لجنة في مجلس الشيوخ أن الإدارة تدرس قيودا إضافية.",
     "ريبيكا هول"),
    ("أما عضو مجلس النواب عن بنغازي نجلاء الفيتوري فقالت إن البرلمان سيصوت لصالح القوانين.", "نجلاء الفيتوري"),
    ("وحسب أرقام وزارة الداخلية الفرنسية، شارك في الاحتجاجات نحو 18 ألف شخص.", "وزارة الداخلية الفرنسية"),
    ("وعلق رئيس الجمعية الوطنية لحماية المال العام، عبد الرحيم الطاهري، على الحكم قائلا: "
     "\"إنه رسالة واضحة لكنها تبقى ناقصة\".", "عبد الرحيم الطاهري"),
])
def test_participles_openings_and_subjects_before_their_verbs(analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_a_report_ends_before_without_and_but_with_a_pronoun(analyzer: Analyzer) -> None:
    text = ("وكشف المطيري أن قيمة الصفقة تجاوزت 40 مليون يورو، من دون أن يفصح عن راتب اللاعب. "
            "وأقرت الوزيرة بأن غضب المزارعين مشروع، لكنها دعت إلى عدم تعطيل الإمدادات.")
    assert [q.text for q in _quotes(analyzer, text)] == ["قيمة الصفقة تجاوزت 40 مليون يورو", "غضب المزارعين مشروع"]


@pytest.mark.parametrize("text, speaker", [
    ("ترأس رئيس الجمهورية، السيد عبد الحميد بن صالح قاسمي، اجتماعا للحكومة. "
     "وشدد رئيس الجمهورية على أن القدرة الشرائية للمواطن تبقى أولوية.", "عبد الحميد بن صالح قاسمي"),
    ("«النتائج تعكس متانة نموذج أعمالنا»، قال سعيد راشد الكتبي، الرئيس التنفيذي للمجموعة، في بيان. "
     "وتوقع الرئيس التنفيذي أن تواصل المجموعة نموها.", "سعيد راشد الكتبي"),
    ("أعلنت مجموعة \"الريادة القابضة\" أرباحا قياسية. وأشارت المجموعة إلى أن الإيرادات ارتفعت.",
     "مجموعة الريادة القابضة"),
    ("انتقد حزب التقدم والاشتراكية تدبير الحكومة، معتبرا في بلاغ أن الأسعار مرتفعة جدا.", "حزب التقدم والاشتراكية"),
    ("وبحسب ما أوردته هيئة شؤون الأسرى والمحررين، فإن عدد المعتقلين تجاوز تسعين معتقلا.",
     "هيئة شؤون الأسرى والمحررين"),
    ("وأكد وزير الخارجية الكويتي، الشيخ فهد ناصر المبارك الصباح، أن الكويت ستواصل دعمها.",
     "فهد ناصر المبارك الصباح"),
    ("رأى النائب جورج إلياس حداد أن «الحكومة تتعامل مع ملف الكهرباء بمنطق الترقيع».", "جورج إلياس حداد"),
])
def test_title_phrases_appositions_parties_and_long_names(analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_marked_words_closing_a_report_are_a_direct_quote_of_the_same_speaker(analyzer: Analyzer) -> None:
    text = ("وقال المتحدث باسم الوزارة ماجد عبدالله الشهري إن الإصابات ارتفعت مقارنة بالعام الماضي، "
            "\"لكن الوضع لا يزال ضمن المعدلات المتوقعة\".")
    assert [(q.kind, q.speaker, q.text) for q in _quotes(analyzer, text)] == [
        ("indirect", "ماجد عبدالله الشهري", "الإصابات ارتفعت مقارنة بالعام الماضي"),
        ("direct", "ماجد عبدالله الشهري", "لكن الوضع لا يزال ضمن المعدلات المتوقعة")]
    text = "وبين أن الجهد الاستخباري \"هو الركيزة الأساسية في العمليات\"، لافتا إلى أن التنسيق جيد."
    assert [q.kind for q in _quotes(analyzer, text)] == ["indirect", "indirect"]


@pytest.mark.parametrize("text, speaker", [
    ("لكن المفوضية الأوروبية ردت في بيان بأن آلية التضامن الجديدة تعمل كما هو مخطط لها.", "المفوضية الأوروبية"),
    ("غير أن محللين في \"بنك الإمارات للاستثمار\" رجحوا أن تتباطأ وتيرة النمو في الربع الأخير.",
     "محللين في بنك الإمارات للاستثمار"),
    ("وأفاد ثلاثة مندوبين في التحالف بأن السعودية وروسيا دفعتا باتجاه التمديد.", "ثلاثة مندوبين في التحالف"),
    ("وأظهرت دراسة أعدها مرصد \"العراق الأخضر\" أن نحو سبعة آلاف عائلة نزحت بسبب الجفاف.", "مرصد العراق الأخضر"),
    ("وفي بنغازي، نفى مسؤول في جهاز مكافحة الهجرة غير الشرعية، تحدث لوكالة فرانس برس، أن تكون القوارب "
     "قد انطلقت من موانئ الجهاز.", "مسؤول في جهاز مكافحة الهجرة غير الشرعية"),
    ("أما المتحدث باسم مجلس النواب، فتحي سالم العبيدي، فقد نفى أن يكون اتفاق نهائي قد أبرم.", "فتحي سالم العبيدي"),
    ("غير أن النائبة عن كتلة \"الوفاق\" نسرين جبار الموسوي اعتبرت أن ما جرى لا يمثل الأغلبية.",
     "نسرين جبار الموسوي"),
    ("لكن نقابة المعلمين الأردنيين قالت في بيان إنها لم تستشر بشكل جدي في النظام الجديد.", "نقابة المعلمين الأردنيين"),
])
def test_subjects_before_verbs_role_extents_and_authors(analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


@pytest.mark.parametrize("text, speaker", [
    ("استقبل صاحب السمو الشيخ حمدان بن راشد آل مزروعي الضيف. ورحب سموه بالضيف، مؤكدا أن الإمارات حريصة "
     "على تعزيز العلاقات.", "حمدان بن راشد آل مزروعي"),
    ("دافع وزير المالية الأسبق، الدكتور شريف ماهر الدمرداش، عن قرار تحرير الصرف، معتبرا أنه كان ضروريا. "
     "وكشف الوزير الأسبق أنه تلقى عرضا للعودة إلى الحكومة.", "شريف ماهر الدمرداش"),
    ("ورفض المندوب الإسرائيلي الاتهامات، قائلا إن بلاده تسهل دخول مئات الشاحنات يوميا.", "المندوب الإسرائيلي"),
    ("أصدرت محكمة القطب الجزائي الاقتصادي حكما بالسجن. وجاء في منطوق الحكم أن المتهم استغل نفوذه للحصول على قروض.",
     "محكمة القطب الجزائي الاقتصادي"),
])
def test_openings_without_a_reporting_verb_and_verdicts(analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_marks_after_le_name_whom_it_was_told_and_initials_do_not_end_a_clause(analyzer: Analyzer) -> None:
    text = "وأفاد محافظ البنك كمال الدريدي لـ\"وكالة تونس أفريقيا للأنباء\" بأن احتياطي العملة يغطي 112 يوما."
    assert [(q.kind, q.text) for q in _quotes(analyzer, text)] == [("indirect", "احتياطي العملة يغطي 112 يوما")]
    text = ("وقال المتحدث باسم الوزارة، دانيال ج. ويتمور، إن واشنطن \"منفتحة على الدبلوماسية، لكنها لن تسمح "
            "بامتلاك سلاح نووي\".")
    assert [(q.kind, q.speaker) for q in _quotes(analyzer, text)] == [("indirect", "دانيال ج. ويتمور")]
    text = ("وأوضحت الوكيلة منى خالد العنزي أن الفئات الأكثر عرضة، كالمسنين والحوامل، \"يجب أن تحصل على اللقاح "
            "قبل نهاية الشهر\".")
    assert [q.kind for q in _quotes(analyzer, text)] == ["indirect"]


@pytest.mark.parametrize("text, speaker", [
    ("القاهرة (رويترز) - أبقى البنك المركزي المصري أسعار الفائدة دون تغيير، مشيرا إلى أن الضغوط التضخمية قائمة.",
     "البنك المركزي المصري"),
    ("ووفقا لبيان صادر عن الهيئة العليا المستقلة للانتخابات، فإن باب الترشحات سيفتح في أكتوبر.",
     "الهيئة العليا المستقلة للانتخابات"),
    ("من جانبه، قال مندوب ليبيا لدى الأمم المتحدة، عصام الفيتوري، إن بلاده ترفض أي حلول تفرض من الخارج.",
     "عصام الفيتوري"),
    ("\"القرار كان متوقعا على نطاق واسع\"، قالت محللة الاقتصاد الكلي في بنك الاستثمار، رانيا الشاذلي، لرويترز.",
     "رانيا الشاذلي"),
    ("وأفاد قيادي في الجبهة، طلب عدم الكشف عن اسمه، بأن الهيئة السياسية حسمت أمرها تقريبا.", "قيادي في الجبهة"),
    ("واتهم النائب رائد الشوبكي الحكومة بأنها \"تستسهل جيب المواطن بدلا من ملاحقة المتهربين\".", "رائد الشوبكي"),
    ("أكد وزير التربية معالي الدكتور فهد الرشيدي أن العام الدراسي المقبل سيشهد تطبيق المناهج.", "فهد الرشيدي"),
])
def test_datelines_documents_appositions_and_honorifics_inside_titles(
        analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


@pytest.mark.parametrize("text, speaker", [
    ("لكن مسؤولا في المؤسسة، طلب عدم نشر اسمه، قال إن المخزون الحالي لا يكفي لأكثر من عشرة أيام.",
     "مسؤولا في المؤسسة"),
    ("وقال الشيخ عمران بوزيد إن الأجهزة تأخرت. ورد الوزير فرج الشلماني بأن وزارته تحركت. "
     "وعاد الشيخ ليؤكد أن لجنة تقصي الحقائق ستعلن نتائجها قريبا.", "عمران بوزيد"),
    ("ونقلا عن مسؤول في برنامج الأغذية العالمي، أفادت قناة \"الشرق الإخبارية\" بأن مخزون الطحين يكفي لعشرة أيام.",
     "مسؤول في برنامج الأغذية العالمي"),
    ("وقال رئيس المجلس في ختام الجلسة إن التصويت سيجري الأسبوع المقبل.", "رئيس المجلس"),
])
def test_sources_before_their_verb_relayed_sources_and_closing_circumstances(
        analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_a_reply_an_initial_and_a_clause_ending_before_qabla_an(analyzer: Analyzer) -> None:
    text = ("فرد عليه وزير العدل القاضي وليد حسن بركات بأن الصيغة حظيت بموافقة المجلس، وأن أي تعديل سيعيدها "
            "إلى نقطة الصفر.")
    assert [(q.speaker, q.text) for q in _quotes(analyzer, text)] == [
        ("وليد حسن بركات", "الصيغة حظيت بموافقة المجلس، وأن أي تعديل سيعيدها إلى نقطة الصفر")]
    text = "من جهتها، قالت ممثلة المنظمة، د. كارين موللر، إن المنظمة \"على تواصل يومي مع السلطات\"."
    assert [(q.kind, q.speaker) for q in _quotes(analyzer, text)] == [("indirect", "كارين موللر")]
    text = "وأكد الوزير أن الحكومة لن تسحب المشروع مهما كانت الضغوط، قبل أن يرفع رئيس المجلس الجلسة."
    assert [q.text for q in _quotes(analyzer, text)] == ["الحكومة لن تسحب المشروع مهما كانت الضغوط"]


@pytest.mark.parametrize("text, speaker", [
    ("وقال وزير الخارجية الأردني في مؤتمر صحفي بعمّان: “القرار خطوة مهمة، لكن العبرة في التنفيذ”.",
     "وزير الخارجية الأردني"),
    ("في المقابل، قال مندوب إسرائيل لدى الأمم المتحدة إن القرار \"منحاز ولا يخدم السلام\".",
     "مندوب إسرائيل لدى الأمم المتحدة"),
    ("ونقلت صحيفة \"صدى الشمال\" عن معلمة في مخيم أطمة قولها: \"ندرّس خمسين طفلا في خيمة واحدة\".",
     "معلمة في مخيم أطمة"),
    ("وقال الأمين العام للحزب المنجي الطرابلسي في ندوة صحفية إن الحزب لن يدخل في أي تحالف.",
     "المنجي الطرابلسي"),
])
def test_circumstances_end_a_title_and_roles_go_on_through_lada_and_fi(
        analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


@pytest.mark.parametrize("text, speaker", [
    ("غير أن القيادية في الحزب نادية بن عمر أبدت تحفظها على القرار، وقالت: «كان الأجدر أن نفتح حوارا».",
     "نادية بن عمر"),
    ("لم تسجل أضرار وفقا لهيئة عمليات التجارة البحرية البريطانية (UKMTO)، التي أوضحت أن \"مقذوفا سقط في المياه\".",
     "هيئة عمليات التجارة البحرية البريطانية"),
    ("وقال المدير الفني لنادي السد، الإسباني ماركوس فيدال: «نحترم الهلال». وعن غياب المهاجم، قال المدرب: "
     "«لدينا بدائل».", "ماركوس فيدال"),
    ("أظهر تقرير حديث صادر عن المندوبية السامية للتخطيط أن البطالة ارتفعت. ووفقا للتقرير، فإن القطاع "
     "الفلاحي فقد وظائف كثيرة.", "المندوبية السامية للتخطيط"),
    ("وجاء في بيان صادر عن المتحدث الرسمي باسم القوات المسلحة: ”قواتنا كبدت الميليشيا خسائر فادحة”.",
     "المتحدث الرسمي باسم القوات المسلحة"),
])
def test_a_subject_joined_a_relative_antecedent_a_bare_title_and_issuers(
        analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


@pytest.mark.parametrize("text, speaker", [
    ("وأعلنت الهيئة العليا المستقلة للانتخابات أن نسبة المشاركة بلغت 18.4 في المئة.",
     "الهيئة العليا المستقلة للانتخابات"),
    ("ذكرت وزارة الفلاحة والصيد البحري في بلاغ أن حقينة السدود لا تتجاوز 27 بالمئة.", "وزارة الفلاحة والصيد البحري"),
    ("وقالت وزارة الخارجية والمغتربين إن ذلك جزء من سياسة العقاب الجماعي.", "وزارة الخارجية والمغتربين"),
    ("وأكدت الأمانة العامة لمجلس التعاون لدول الخليج العربية أن الدول الأعضاء ستعمل معا.",
     "الأمانة العامة لمجلس التعاون لدول الخليج العربية"),
])
def test_organizations_named_with_adjectives_two_portfolios_or_a_genitive(
        analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_an_interviewer_asks_and_the_one_asked_replies(analyzer: Analyzer) -> None:
    text = ("وقال الوزير شريف ماهر الدمرداش إن القرار كان ضروريا. وسألته مقدمة البرنامج، لبنى حسين الشاذلي: "
            "«هل تتحمل الحكومة وحدها مسؤولية موجة التضخم؟»، فرد: «لا، السياسات النقدية شريك أساسي في ما حدث». "
            "وسئل: هل تتوقعون تحسنا قريبا؟ فرد: «إذا توفرت الإرادة السياسية فالأمر ممكن خلال أشهر». "
            "وقال الوزير: «لم نكن في أفضل حالاتنا»، قبل أن يستدرك: «لكن الإصلاحات صنعت الفارق».")
    assert [(q.speaker, q.text[:12]) for q in _quotes(analyzer, text)] == [
        ("شريف ماهر الدمرداش", "القرار كان ض"),
        ("لبنى حسين الشاذلي", "هل تتحمل الح"),
        ("شريف ماهر الدمرداش", "لا، السياسات"),
        ("شريف ماهر الدمرداش", "إذا توفرت ال"),
        ("شريف ماهر الدمرداش", "لم نكن في أف"),
        ("شريف ماهر الدمرداش", "لكن الإصلاحا")]


def test_interview_answers_after_a_label_or_a_question(analyzer: Analyzer) -> None:
    text = ("وفي حوار مع المجلة، تحدثت مؤسسة الشركة ورئيستها التنفيذية نورة خليفة المهيري عن المنتج.\n"
            "س: ما الذي يميز نموذجكم؟\nج: \"بنيناه على بيانات عربية جمعناها بأنفسنا\".\n"
            "وتحدث المدرب البرتغالي جواو ميراندا للصحفيين. سؤال: هل تخشى تكرار السيناريو؟ "
            "ميراندا: \"لا، ما حدث درس تعلمنا منه كثيرا\".\n"
            "* هل تعتبرين نفسك كاتبة منفية؟ - «المنفى ليس مكانا فقط».\n"
            "- \"حفتر\" في الصحف.")
    assert [(q.speaker, q.text[:10]) for q in _quotes(analyzer, text)] == [
        ("نورة خليفة المهيري", "بنيناه على"), ("جواو ميراندا", "لا، ما حدث"), ("جواو ميراندا", "المنفى ليس")]


def test_a_quote_attributed_after_it_by_according_to(analyzer: Analyzer) -> None:
    text = "و\"المشكلة ليست في عدد المدارس فقط، بل في توزيعها الجغرافي\"، وفقا للخبير التربوي عماد السرحان."
    assert [(q.kind, q.speaker) for q in _quotes(analyzer, text)] == [("direct", "عماد السرحان")]


def test_a_quoted_sentence_after_a_quote_goes_on_and_iftatah_opens_one(analyzer: Analyzer) -> None:
    text = ("«لم يبق لنا شيء هنا. الإيجارات تضاعفت»، قال اللاجئ السوري خالد العمر. «لكن بيتي في حلب مدمر، "
            "ولا أعرف أين سننام». \"لن نسمح بأن تتحول عائدات النفط إلى ورقة للمساومة\"، بهذه العبارة افتتح "
            "رئيس المؤسسة الوطنية للنفط عماد الدين الفيتوري المؤتمر.")
    assert [(q.speaker, q.text[:8]) for q in _quotes(analyzer, text)] == [
        ("خالد العمر", "لم يبق ل"), ("خالد العمر", "لكن بيتي"), ("عماد الدين الفيتوري", "لن نسمح ")]


@pytest.mark.parametrize("text, speaker", [
    ("وقالت المنظمة الدولية للهجرة إن \"الاحتجاز التعسفي للمهاجرين العائدين لا يزال مصدر قلق بالغ\".",
     "المنظمة الدولية للهجرة"),
    ("وأكد مسؤول في وزارة الكهرباء، فضّل عدم نشر اسمه، صحة الوثيقة، وقال إن الوزارة \"تعمل بالإمكانات المتاحة\".",
     "مسؤول في وزارة الكهرباء"),
    ("ونقلا عن مصدر في المؤسسة العامة لتوليد الكهرباء، فإن ثلاث مجموعات توليد خرجت عن الخدمة.",
     "مصدر في المؤسسة العامة لتوليد الكهرباء"),
    ("وأكد الأمين العام لجامعة الدول العربية، في اتصال هاتفي، أن الجامعة ستواصل حشد الدعم.",
     "الأمين العام لجامعة الدول العربية"),
    ("وفي المقابل، أكد نواب في كتلة \"التوافق\" أنهم لن يمنحوا الثقة للحكومة.", "نواب في كتلة \"التوافق\""),
])
def test_role_phrases_through_an_tagged_ends_al_am_and_a_marked_bloc(
        analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_a_name_after_a_long_role_and_an_organization_of_an_organization(analyzer: Analyzer) -> None:
    text = ("ورأت محللة الأسهم في بنك استثمار محلي منى الشاذلي أن النتائج \"جاءت أفضل من التوقعات\". "
            "وذكرت الأمانة العامة لمجلس التعاون لدول الخليج العربية أن الدول الأعضاء \"ستعمل عبر القنوات "
            "الدبلوماسية لحماية مصالحها التجارية\".")
    analysis = analyzer.analyze(text)
    assert [q.speaker for q in analysis.quotes] == [
        "منى الشاذلي", "الأمانة العامة لمجلس التعاون لدول الخليج العربية"]
    assert all(e.type != "PER" or e.name == "منى الشاذلي" for e in analysis.entities)


def test_a_role_set_off_by_a_name_and_a_title_rephrased_later(analyzer: Analyzer) -> None:
    text = ("\"ما يجري في مخيمات الشمال هو عقاب جماعي\"، قال محافظ طولكرم، عبد الله محمود كمال، "
            "\"والاحتلال يسعى إلى تفريغها من سكانها\". واستقبل الوزير أمس معالي كارلوس ميندوزا فيرا، وزير "
            "الخارجية في جمهورية الإكوادور. من جانبه، أعرب معالي وزير خارجية الإكوادور عن شكره، مشيرا إلى أن "
            "بلاده تتطلع إلى افتتاح خط جوي مباشر.")
    assert [q.speaker for q in _quotes(analyzer, text)] == [
        "عبد الله محمود كمال", "عبد الله محمود كمال", "كارلوس ميندوزا فيرا"]


@pytest.mark.parametrize("text, speaker", [
    ("وقضت المحكمة بسجن رجل الأعمال سامح الدميري. وأكد دفاع الدميري، المحامي طارق نصار، أنه سيطعن على الحكم.",
     "طارق نصار"),
    ("الجزائر - رئيس حزب جبهة البناء الديمقراطي، عبد الحميد بوشارب، أكد السبت أن حزبه سيشارك في الانتخابات.",
     "عبد الحميد بوشارب"),
    ("وبحسب ما نقلته وكالة \"وفا\" عن مدير مستشفى شهداء الأقصى، الدكتور سامر أبو حطب، فإن المستشفى يعمل "
     "\"بأقل من نصف طاقته\".", "سامر أبو حطب"),
])
def test_a_name_set_off_by_commas_speaks_for_its_phrase(analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


@pytest.mark.parametrize("text, speaker", [
    ("أعلن وزير النفط العراقي باسم محمد خضير السعدي، الثلاثاء، أن الصادرات ستستأنف «خلال أيام».",
     "باسم محمد خضير السعدي"),
    ("وقال المتحدث الرسمي باسم الوزارة رامي الخصاونة إن الوضع تحت السيطرة.", "رامي الخصاونة"),
    ("نفى المتحدث الرسمي باسم المؤسسة عبدالله مشاري العجمي أن تكون المؤسسة قد قررت التأجيل، وقال لوكالة الأنباء "
     "الكويتية (كونا): «كل المشاريع الاستراتيجية تسير وفق الجداول الزمنية».", "عبدالله مشاري العجمي"),
    ("وذكر تجار في سوق الشيخ عثمان أن الأسعار ارتفعت بنسبة الثلث.", "تجار في سوق الشيخ عثمان"),
    ("من جهتها، نقلت صحيفة \"الهداف\" عن مصدر من الاتحادية الجزائرية لكرة القدم أن المنتخب سيتنقل يوم الاثنين.",
     "مصدر من الاتحادية الجزائرية لكرة القدم"),
    ("\"لم نكن في يومنا\"، قال مدرب الترجي الرياضي التونسي، البرتغالي جواو ألكسندر فيريرا، عقب الهزيمة.",
     "جواو ألكسندر فيريرا"),
    ("ورد وزير المالية، العيد بلقاسمي، بأن الميزانية ”اجتماعية بامتياز”.", "العيد بلقاسمي"),
])
def test_bassem_al_eid_audiences_sources_through_min_and_nationalities(
        analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


@pytest.mark.parametrize("text, quotes", [
    ("أعلنت وزارة المالية أن الموازنة تتضمن إيرادات متوقعة بقيمة 11 مليارا، وأن العجز لن يتجاوز 620 مليون ريال.",
     [("وزارة المالية", "الموازنة تتضمن إيرادات متوقعة بقيمة 11 مليارا، وأن العجز لن يتجاوز 620 مليون ريال")]),
    ("زعمت المشتكية، وهي موظفة سابقة بالجريدة، أن الصحافي هددها عبر رسائل هاتفية، وهو ما نفاه المتهم جملة وتفصيلا.",
     [("المشتكية", "الصحافي هددها عبر رسائل هاتفية")]),
    ("ودانت المفوضة الأوروبية للشؤون الداخلية، إنغريد هولمبرغ، المأساة، وكتبت على منصة \"إكس\": «كل حياة تضيع "
     "في المتوسط هي فشل جماعي لنا جميعا».", [("إنغريد هولمبرغ", "كل حياة تضيع في المتوسط هي فشل جماعي لنا جميعا")]),
    ("لكن مصادر عسكرية في بنغازي شككت في جدوى الاجتماع، ونقلت عنها قناة \"ليبيا الأحرار\" قولها إن \"الشروط التي "
     "وضعت مسبقا تجعل أي تقدم مستحيلا\".", [("مصادر عسكرية في بنغازي", "الشروط التي وضعت مسبقا تجعل أي تقدم مستحيلا")]),
    ("غير أن جمعيات حقوقية، من بينها “الجمعية المغربية لحقوق الإنسان”، نددت بالمقاربة الأمنية، محذرة من أن آلاف "
     "المهاجرين يعيشون في ظروف صعبة.", [("جمعيات حقوقية", "آلاف المهاجرين يعيشون في ظروف صعبة")]),
])
def test_a_verb_inside_a_report_an_aside_a_platform_and_an_opening_source(
        analyzer: Analyzer, text: str, quotes: list[tuple[str, str]]) -> None:
    assert [(q.speaker, q.text) for q in _quotes(analyzer, text)] == quotes


@pytest.mark.parametrize("text, speaker", [
    ("وقالت كبيرة محللي السلع لدى بنك \"نورث بريدج\" الاستثماري، أماندا كولينز، في مذكرة للعملاء إن السوق "
     "\"تسعّر بالفعل قدرا كبيرا من الانضباط\".", "أماندا كولينز"),
    ("بدوره، أوضح مدير وحدة \"سيور\" بوهران، عبد القادر مسعودي، أن الانقطاعات سببها أشغال. وأضاف المسؤول: "
     "\"نعتذر للمواطنين عن الإزعاج\".", "عبد القادر مسعودي"),
])
def test_a_senior_role_set_off_by_a_name_and_a_source_noun_going_on(
        analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_an_interview_with_a_named_reply_an_anchor_asking_again_and_a_book_title(analyzer: Analyzer) -> None:
    text = ("قال والي ولاية البحر الأحمر، محمد الأمين حسن الطاهر، إن الولاية استقبلت مئتي ألف نازح. وسأله مقدم "
            "البرنامج، الإعلامي عمر عثمان الجزولي: «أين تذهب المساعدات الدولية؟». فرد الطاهر: «كل شحنة تدخل "
            "الميناء مسجلة، ونحن مستعدون لأي تدقيق». وتوقع الكاتبة الفرنسية ماري-كلود دوبوا لروايتها \"ظلال "
            "على نهر بردى\". وقالت دوبوا: «جئت إلى دمشق لأول مرة عام 1998».")
    assert [q.speaker for q in _quotes(analyzer, text)] == [
        "محمد الأمين حسن الطاهر", "عمر عثمان الجزولي", "محمد الأمين حسن الطاهر", "ماري-كلود دوبوا"]


def test_a_rephrased_title_keeps_its_nationality(analyzer: Analyzer) -> None:
    text = ("اختتم وزير الخارجية الصيني، تشاو لي هوا، جولة أفريقية. من جانبه، قال وزير الخارجية الأنغولي إن "
            "بلاده تتطلع إلى إعادة جدولة ديونها.")
    assert _quotes(analyzer, text)[-1].speaker == "وزير الخارجية الأنغولي"


@pytest.mark.parametrize("text", [
    "وأطلقت المنظمة نداء عاجلا لجمع 50 مليون دولار، داعية المانحين إلى «التحرك قبل فوات الأوان».",
    "ورفع المحتجون لافتات كتب عليها «لا ضرائب بلا عدالة» و«ارفعوا أيديكم عن رغيفنا».",
])
def test_a_call_for_marked_words_and_a_banner_are_no_quotes(analyzer: Analyzer, text: str) -> None:
    assert _quotes(analyzer, text) == []


@pytest.mark.parametrize("text, quotes", [
    ("ورأت المحللة المالية في بنك \"أفق كابيتال\"، سارة الجمال، أن أداء السهم \"سيظل مدعوما\"، غير أنها حذرت من "
     "أن تقلبات سعر الصرف قد تضغط على هوامش الربح.",
     [("سارة الجمال", "أداء السهم \"سيظل مدعوما\""), ("سارة الجمال", "تقلبات سعر الصرف قد تضغط على هوامش الربح")]),
    ("\"أطلقوا النار على كل من حاول الهرب\"، قالت امرأة في الأربعين من عمرها وصلت مع أطفالها سيرا على الأقدام.",
     [("امرأة في الأربعين من عمرها", "أطلقوا النار على كل من حاول الهرب")]),
    ("وأفادت المديرة القطرية للبرنامج في اليمن، بيترا شولتس-هوفمان، بأن نقص التمويل أجبر الوكالة على خفض الحصص.",
     [("بيترا شولتس-هوفمان", "نقص التمويل أجبر الوكالة على خفض الحصص")]),
    ("وقال الناطق باسم وزارة الصحة في غزة إن عدد المرضى تضاعف.", [("الناطق باسم وزارة الصحة في غزة", "عدد المرضى تضاعف")]),
])
def test_reports_end_at_ghayr_anna_roles_end_at_a_verb_and_names_set_off_by_commas(
        analyzer: Analyzer, text: str, quotes: list[tuple[str, str]]) -> None:
    assert [(q.speaker, q.text) for q in _quotes(analyzer, text)] == quotes


@pytest.mark.parametrize("text, quotes", [
    ("وشهد اليوم الأول توقيع الروائية الكويتية هيفاء سعود المطيري لروايتها الجديدة \"بيت على حافة الملح\"، وقالت "
     "لـ\"عكاظ\" إن الرواية «تحكي سيرة ثلاثة أجيال من نساء الخليج».",
     [("هيفاء سعود المطيري", "الرواية «تحكي سيرة ثلاثة أجيال من نساء الخليج»")]),
    ("أما المستثمرة العقارية نورة خليفة البنعلي فتقول: \"كنا نأمل في خفض الفائدة\".",
     [("نورة خليفة البنعلي", "كنا نأمل في خفض الفائدة")]),
    ("أعلنت شركة النيل للاتصالات المدرجة في البورصة المصرية أن صافي أرباحها ارتفع.",
     [("شركة النيل للاتصالات", "صافي أرباحها ارتفع")]),
    ("وقال الوزير في مؤتمر مشترك مع نظيره الإيطالي ماركو فيراري إن العلاقات ممتازة. من جهته، صرح فيراري بأن روما "
     "تعتبر الجزائر \"شريكا لا غنى عنه\" في ملف أمن الطاقة.",
     [("الوزير", "العلاقات ممتازة"), ("ماركو فيراري", "روما تعتبر الجزائر \"شريكا لا غنى عنه\" في ملف أمن الطاقة")]),
])
def test_a_joined_verb_after_a_named_person_a_described_person_and_a_report_inside_a_report(
        analyzer: Analyzer, text: str, quotes: list[tuple[str, str]]) -> None:
    assert [(q.speaker, q.text) for q in _quotes(analyzer, text)] == quotes


@pytest.mark.parametrize("text, speaker", [
    ("«لم أقصد الاحتيال على أحد»، قال المتهم جيمس أوكونور. لكن ممثل النيابة العامة رد بأن المتهم \"استخدم وثائق "
     "مزورة\".", "ممثل النيابة العامة"),
    ("أما جارته أم خالد فتقول إن العائلة باتت تغسل الملابس مرة واحدة في الأسبوع.", "أم خالد"),
    ("وقالت أستاذة الرياضيات في إحدى ثانويات تيزي وزو فاطمة الزهراء آيت علي: «النتيجة ثمرة عمل سنة كاملة».",
     "فاطمة الزهراء آيت علي"),
    ("وقال عامل إقليم شفشاون، الحسن بوكوتة، إن السلطات أجلت سكان أربعة دواوير احترازيا.", "الحسن بوكوتة"),
])
def test_titles_before_their_verb_kunyas_and_names_set_off_after_a_place(
        analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_a_report_ends_at_illa_anna_and_a_denial_goes_on(analyzer: Analyzer) -> None:
    text = ("وقال أحد الموقوفين إن إطلاق النار كان \"دفاعا عن النفس\"، إلا أن شهود عيان قالوا إن المهاجمين حضروا "
            "وهم يحملون أسلحة. وأكد رئيس البلدية أن الحديقة «ستظل مفتوحة للجميع»، نافيا أن يكون المشروع مقدمة "
            "لتحويلها إلى منشأة استثمارية.")
    assert [(q.speaker, q.text) for q in _quotes(analyzer, text)] == [
        ("أحد الموقوفين", "إطلاق النار كان \"دفاعا عن النفس\""),
        ("شهود عيان", "المهاجمين حضروا وهم يحملون أسلحة"),
        ("رئيس البلدية", "الحديقة «ستظل مفتوحة للجميع»"),
        ("رئيس البلدية", "يكون المشروع مقدمة لتحويلها إلى منشأة استثمارية")]


@pytest.mark.parametrize("text, speaker", [
    ("أعلنت وزارة الصحة العراقية أن 37 إصابة جديدة سجلت. وجاء في بيان للوزارة أن «الوضع تحت السيطرة».",
     "وزارة الصحة العراقية"),
    ("بدورها، رحبت حكومة الوحدة الوطنية في طرابلس بالإحاطة، وجاء في بيان لها أن «الحكومة منفتحة على كل المبادرات».",
     "حكومة الوحدة الوطنية"),
])
def test_whose_statement_a_li_names(analyzer: Analyzer, text: str, speaker: str) -> None:
    assert _quotes(analyzer, text)[-1].speaker == speaker


def test_someone_described_by_age_is_the_person_just_named(analyzer: Analyzer) -> None:
    text = ("ويقول أبو خالد، صاحب محل لإصلاح الأحذية، إن الزبائن قليلون. \"إذا أغلقنا نحن فمن سيبقى؟\"، يتساءل "
            "الرجل الستيني.")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["أبو خالد", "أبو خالد"]


def test_an_aside_on_what_another_rejected_ends_a_report(analyzer: Analyzer) -> None:
    text = "وقال نائب من المعارضة إن الحكومة «تحمي لوبي المحروقات»، وهو ما رفضته الوزيرة بشدة."
    assert [q.text for q in _quotes(analyzer, text)] == ["الحكومة «تحمي لوبي المحروقات»"]
