"""Tests of generator.arabic on passages written for these tests (news style)."""

from __future__ import annotations


import pytest

from generator.arabic import Analyzer
from generator.arabic.normalize import fast_normalize, normalize, tokenize
from generator.arabic.sentences import split_sentences
from generator.model import Analysis, WatchEntity, Watchlist

E2E = ("وقال الأمين العام لجامعة الدول العربية أحمد أبو الغيط في مؤتمر صحفي بالقاهرة: "
       "«لا بديل عن الحل السياسي الشامل في ليبيا». وأضاف أن الجامعة ستواصل دعم الحوار.")

BRIEFING = (
    "أعلنت وزارة الخارجية المصرية أن الوزير سامح شكري سيزور بيروت الأسبوع المقبل.\n\n"
    "وقال وزير الخارجية المصري سامح شكري خلال لقائه نظيره اللبناني في القاهرة إن "
    "بلاده تدعم استقرار لبنان، مضيفا أن التنسيق مع السعودية والإمارات مستمر.\n"
    "وأكد شكري: «لن نسمح بانهيار مؤسسات الدولة اللبنانية مهما كانت الظروف».\n"
    "ومن جانبه، قال مصدر دبلوماسي إن الزيارة تأتي في توقيت حساس.\n"
    "«نحن أمام مرحلة دقيقة تتطلب الحكمة والصبر»، قالت المتحدثة باسم الوزارة.\n"
    "وتابع: “سنواصل العمل مع شركائنا في الاتحاد الأوروبي والأمم المتحدة”.\n"
    "وانتقد مسؤولون ما وصفوه بعملية “الفجر الجديد” في الجنوب، كما تحدثت تقارير عن دور “حفتر”.\n"
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    watch = Watchlist("leaders", entities=(
        WatchEntity("محمد بن سلمان", "PER", ("ولي العهد السعودي", "بن سلمان")),
    ))
    return Analyzer([watch])


def _entity(analysis: Analysis, name: str):
    found = [e for e in analysis.entities if e.name == name]
    assert found, f"{name} not in {[e.name for e in analysis.entities]}"
    return found[0]


def _check_offsets(text: str, analysis: Analysis) -> None:
    for entity in analysis.entities:
        for m in entity.mentions:
            assert text[m.start:m.end] == m.text
    for q in analysis.quotes:
        assert text[q.start:q.end] == q.text


# --- the end-to-end case ---------------------------------------------------------------------


def test_end_to_end_case_without_watchlist() -> None:
    analysis = Analyzer([]).analyze(E2E)
    direct = [q for q in analysis.quotes if q.kind == "direct"]
    indirect = [q for q in analysis.quotes if q.kind == "indirect"]
    assert [(q.text, q.speaker) for q in direct] == [
        ("لا بديل عن الحل السياسي الشامل في ليبيا", "أحمد أبو الغيط")]
    assert [(q.text, q.speaker) for q in indirect] == [("الجامعة ستواصل دعم الحوار", "أحمد أبو الغيط")]
    types = {(e.name, e.type) for e in analysis.entities}
    assert {("أحمد أبو الغيط", "PER"), ("جامعة الدول العربية", "ORG"), ("القاهرة", "LOC"),
            ("ليبيا", "LOC")} <= types
    assert len(analysis.sentences) == 2
    _check_offsets(E2E, analysis)
    assert Analysis.from_dict(analysis.to_dict()) == analysis


def test_output_is_deterministic(analyzer: Analyzer) -> None:
    assert analyzer.analyze(BRIEFING).to_dict() == analyzer.analyze(BRIEFING).to_dict()


# --- normalization and sentences -------------------------------------------------------------


def test_fast_normalize_agrees_with_camel_tools() -> None:
    for word in ["أَحْمَد", "إسرائيل", "مصطفى", "القاهرة", "آسيا", "ٱلله", "جـــامعة", "مُؤتَمَر"]:
        assert fast_normalize(word) == normalize(word)


def test_tokens_keep_original_spans() -> None:
    text = "وَالسّعوديةُ، بالقاهرة"
    for tok in tokenize(text):
        assert text[tok.start:tok.end] == tok.text
    assert (2, "السعوديه") in tokenize(text)[0].stems


def test_sentences_keep_quote_with_reporting_verb() -> None:
    text = ('وقال الوزير: «الوضع صعب. لكننا سننجح! هل نستسلم؟ لا». ثم غادر القاعة. '
            'وبلغ النمو 3.5 في المئة. والتقى جيمس ف. كارتر بالوفد… وانتهى الاجتماع')
    sentences = [text[s.start:s.end] for s in split_sentences(text)]
    assert sentences == [
        "وقال الوزير: «الوضع صعب. لكننا سننجح! هل نستسلم؟ لا».",
        "ثم غادر القاعة.",
        "وبلغ النمو 3.5 في المئة.",
        "والتقى جيمس ف. كارتر بالوفد…",
        "وانتهى الاجتماع",
    ]


def test_sentences_split_on_paragraphs_and_drop_site_fragments() -> None:
    text = "السطر الأول بلا نقطة\n\nالسطر الثاني.\nمقالات ذات صلة"
    assert [text[s.start:s.end] for s in split_sentences(text)] == [
        "السطر الأول بلا نقطة", "السطر الثاني."]


# --- entities ---------------------------------------------------------------------------------


def test_proclitics_are_tolerated_and_left_out_of_the_span(analyzer: Analyzer) -> None:
    text = "وصل الوفد إلى بيروت قادما من القاهرة، وتحدث عن ولبنان وبالقاهرة والسعودية."
    analysis = analyzer.analyze(text)
    assert [m.text for m in _entity(analysis, "لبنان").mentions] == ["لبنان"]
    assert [m.text for m in _entity(analysis, "القاهرة").mentions] == ["القاهرة", "القاهرة"]
    assert [m.text for m in _entity(analysis, "السعودية").mentions] == ["السعودية"]
    assert _entity(analysis, "السعودية").type == "LOC"
    _check_offsets(text, analysis)


def test_watchlist_alias_resolves_to_canonical_name(analyzer: Analyzer) -> None:
    text = "استقبل ولي العهد السعودي وفدا أمريكيا، وبحث بن سلمان مع الوفد ملف الطاقة."
    entity = _entity(analyzer.analyze(text), "محمد بن سلمان")
    assert entity.type == "PER"
    assert [m.text for m in entity.mentions] == ["ولي العهد السعودي", "بن سلمان"]


def test_title_triggered_persons_and_surname_linking(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(BRIEFING)
    shoukry = _entity(analysis, "سامح شكري")
    assert shoukry.type == "PER"
    assert [m.text for m in shoukry.mentions] == ["سامح شكري", "سامح شكري", "شكري"]
    _check_offsets(BRIEFING, analysis)


def test_title_with_org_complement() -> None:
    text = "وصرح المتحدث باسم الأمم المتحدة ستيفان دوجاريك بأن المساعدات وصلت إلى غزة."
    analysis = Analyzer([]).analyze(text)
    assert _entity(analysis, "ستيفان دوجاريك").type == "PER"
    assert _entity(analysis, "الأمم المتحدة").type == "ORG"
    assert analysis.quotes[0].speaker == "ستيفان دوجاريك"
    assert analysis.quotes[0].text == "المساعدات وصلت إلى غزة"


def test_nisba_is_not_a_mention_of_the_country(analyzer: Analyzer) -> None:
    text = "قال الرئيس الليبي إن الجيش الليبي والحكومة المصرية والقوات الأمريكية اتفقت."
    names = [e.name for e in analyzer.analyze(text).entities]
    assert "ليبيا" not in names and "مصر" not in names and "الولايات المتحدة" not in names


def test_compound_names_stay_whole(analyzer: Analyzer) -> None:
    text = ("واستقبل الرئيس عبد الفتاح السيسي اليوم السفير خالد أبو بكر في القاهرة. "
            "وأشاد أبو بكر بالعلاقات.")
    analysis = analyzer.analyze(text)
    assert [m.text for m in _entity(analysis, "عبد الفتاح السيسي").mentions] == ["عبد الفتاح السيسي"]
    assert [m.text for m in _entity(analysis, "خالد أبو بكر").mentions] == ["خالد أبو بكر", "أبو بكر"]


def test_entities_ordered_by_first_mention(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(BRIEFING)
    firsts = [e.mentions[0].start for e in analysis.entities]
    assert firsts == sorted(firsts)


# --- quotes -----------------------------------------------------------------------------------


def test_quotes_before_after_and_continuations(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(BRIEFING)
    got = [(q.kind, q.speaker, q.verb, q.text) for q in analysis.quotes]
    # the ministry is named as the recognizer names it (with or without المصرية)
    [ministry] = [e.name for e in analysis.entities if e.type == "ORG" and e.name.startswith("وزارة الخارجية")]
    assert got == [
        ("indirect", ministry, "أعلنت", "الوزير سامح شكري سيزور بيروت الأسبوع المقبل"),
        ("indirect", "سامح شكري", "وقال", "بلاده تدعم استقرار لبنان"),
        ("indirect", "سامح شكري", "مضيفا", "التنسيق مع السعودية والإمارات مستمر"),
        ("direct", "سامح شكري", "وأكد", "لن نسمح بانهيار مؤسسات الدولة اللبنانية مهما كانت الظروف"),
        ("indirect", "مصدر دبلوماسي", "قال", "الزيارة تأتي في توقيت حساس"),
        ("direct", "المتحدثة باسم الوزارة", "قالت", "نحن أمام مرحلة دقيقة تتطلب الحكمة والصبر"),
        ("direct", "المتحدثة باسم الوزارة", "وتابع", "سنواصل العمل مع شركائنا في الاتحاد الأوروبي والأمم المتحدة"),
    ]
    _check_offsets(BRIEFING, analysis)


def test_scare_quotes_are_not_quotes(analyzer: Analyzer) -> None:
    text = "وتحدث التقرير عن “حفتر” وعن عملية «عاصفة الحزم» وعن شركة \"أرامكو\" في الخليج."
    assert analyzer.analyze(text).quotes == []


def test_quote_with_إن_before_marks_is_direct(analyzer: Analyzer) -> None:
    text = "وقال رئيس الوزراء العراقي محمد شياع السوداني إن “الحكومة ماضية في مكافحة الفساد دون تردد”."
    quotes = analyzer.analyze(text).quotes
    assert [(q.kind, q.speaker) for q in quotes] == [("direct", "محمد شياع السوداني")]
    assert quotes[0].text == "الحكومة ماضية في مكافحة الفساد دون تردد"


def test_multi_sentence_quote_stays_with_its_speaker(analyzer: Analyzer) -> None:
    text = ("وقال المدرب مارسيل كولر: «الفريق قدم مباراة كبيرة. اللاعبون التزموا بالخطة. "
            "نحن جاهزون للنهائي». وسيلتقي الأهلي مع الوداد يوم السبت.")
    analysis = analyzer.analyze(text)
    assert analysis.sentences[0].endswith("جاهزون للنهائي».")
    assert analysis.quotes[0].speaker == "مارسيل كولر"
    assert {"الأهلي", "الوداد"} <= {e.name for e in analysis.entities if e.type == "ORG"}


# --- summary and speed ------------------------------------------------------------------------


def test_summary_takes_lead_sentences(analyzer: Analyzer) -> None:
    text = "القاهرة - وكالات\n" + BRIEFING
    summary = analyzer.analyze(text).summary
    assert len(summary) == 2
    assert summary[0].startswith("أعلنت وزارة الخارجية")
    assert sum(len(s) for s in summary) <= 400


def test_title_with_genitive_complement_and_straight_quotes(analyzer: Analyzer) -> None:
    text = ('وقالت المديرة العامة للصندوق كريستالينا جورجيفا إن "الاقتصاد العالمي يواجه مرحلة '
            'صعبة جدا هذا العام". «سنراجع توقعاتنا في أبريل المقبل»، قالت جورجيفا.')
    analysis = analyzer.analyze(text)
    assert [(q.kind, q.speaker) for q in analysis.quotes] == [
        ("direct", "كريستالينا جورجيفا"), ("direct", "كريستالينا جورجيفا")]
    assert [m.text for m in _entity(analysis, "كريستالينا جورجيفا").mentions] == [
        "كريستالينا جورجيفا", "جورجيفا"]
    _check_offsets(text, analysis)


def test_watchlist_organization_alias() -> None:
    watch = Watchlist("orgs", entities=(WatchEntity("منظمة الصحة العالمية", "ORG", ("الصحة العالمية",)),))
    analysis = Analyzer([watch]).analyze("وحذرت الصحة العالمية من موجة جديدة.")
    assert [(e.name, e.type, e.mentions[0].text) for e in analysis.entities] == [
        ("منظمة الصحة العالمية", "ORG", "الصحة العالمية")]
