"""Rules found on real published articles (issue 14, eval/real/): one test per rule, on
passages written for these tests in the style of those articles."""

from __future__ import annotations

import pytest

from generator.arabic import Analyzer
from generator.model import Quote


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer([], backend="embedded")


def _spans(analyzer: Analyzer, text: str) -> set[tuple[str, str]]:
    return {(m.text, e.type) for e in analyzer.analyze(text).entities for m in e.mentions}


def _quotes(analyzer: Analyzer, text: str) -> list[Quote]:
    quotes = analyzer.analyze(text).quotes
    for q in quotes:
        assert text[q.start:q.end] == q.text
    return quotes


# --- entities ----------------------------------------------------------------------------------

def test_the_preposition_على_is_never_a_later_mention_of_a_name_ending_in_علي(analyzer):
    text = "وقالت النائبة ليلى أولاد علي إن العريضة مفتوحة. كما شددت على ضرورة الاعتذار."
    assert _spans(analyzer, text) == {("ليلى أولاد علي", "PER")}


def test_kin_with_a_pronoun_ends_a_name(analyzer):
    spans = _spans(analyzer, "وتوفي البريطاني جون كوبر وزوجته، سوزان، في مدينة الغردقة.")
    assert ("جون كوبر", "PER") in spans and not any("وزوجته" in s for s, _t in spans)


def test_kin_or_a_verbal_noun_before_a_first_name_is_no_part_of_it(analyzer):
    spans = _spans(analyzer, "وقضت المحكمة بحبس الناشطة، زوجة محمد لطفي، عامين بعد محاولة لإزاحة حافظ قائد السبسي.")
    assert {("محمد لطفي", "PER"), ("حافظ قائد السبسي", "PER")} <= spans


def test_a_verb_that_opens_the_sentence_is_no_part_of_the_name(analyzer):
    spans = _spans(analyzer, "تحدث رضا بلحاج، الممثل القانوني لحركة نداء تونس، عن كواليس استقالته.")
    assert ("رضا بلحاج", "PER") in spans and ("حركة نداء تونس", "ORG") in spans
    assert not any(t == "LOC" for _s, t in spans)  # كواليس is no ك + a place


def test_a_name_ends_before_a_verb_in_the_future(analyzer):
    spans = _spans(analyzer, "وقال الوزير سامح شكري سيزور الخرطوم الأسبوع المقبل.")
    assert ("سامح شكري", "PER") in spans


def test_a_ministry_named_by_its_portfolio_and_a_nisba(analyzer):
    assert ("الخارجية الفلسطينية", "ORG") in _spans(analyzer, "وقالت الخارجية الفلسطينية في بيان إن الأدلة كافية.")
    assert not any(t == "ORG" for _s, t in _spans(analyzer, "وقال وزير الخارجية الفلسطيني رياض المالكي إن الأدلة كافية."))


@pytest.mark.parametrize("text, name", [
    ("وقالت شبكة CNN إن الوضع خطير.", "CNN"),
    ("وأصدر الأزهر بيانا يدين الهجوم.", "الأزهر"),
    ("وتراجعت البورصة المصرية أمس.", "البورصة المصرية"),
    ("ونقلت صحيفة عكاظ عن مصدر قوله إن القرار نهائي.", "صحيفة عكاظ"),
    ("وفاز حزب التجمع الوطني للأحرار بالمرتبة الأولى.", "حزب التجمع الوطني للأحرار"),
    ("وانسحب حزب إسرائيل بيتنا من الائتلاف.", "حزب إسرائيل بيتنا"),
    ("وأكد فيلق الشام أنه سحب أسلحته.", "فيلق الشام"),
])
def test_parties_outlets_and_institutions_real_news_names_alone(analyzer, text, name):
    assert any(e.name == name and e.type == "ORG" for e in analyzer.analyze(text).entities)


# --- quotation marks as real pages have them ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "وقال الوزير خالد العلي: »لن نقبل بأي تسوية تنتقص من حقوقنا«.",  # reversed
    "وقال الوزير خالد العلي: »لن نقبل بأي تسوية تنتقص من حقوقنا».",  # reversed opener only
    "وقال الوزير خالد العلي: لن نقبل بأي تسوية تنتقص من حقوقنا».",  # the opening mark lost
    "وقال الوزير خالد العلي: «لن نقبل بأي تسوية تنتقص من حقوقنا. وأضاف أن الحوار مستمر.",  # never closed
    "وقال الوزير خالد العلي في كلمته: لن نقبل بأي تسوية تنتقص من حقوقنا.",  # no marks at all
])
def test_direct_quotes_whatever_the_marks(analyzer, text):
    quotes = _quotes(analyzer, text)
    assert (quotes[0].kind, quotes[0].speaker, quotes[0].text) == (
        "direct", "خالد العلي", "لن نقبل بأي تسوية تنتقص من حقوقنا")


def test_marks_inside_a_quote_are_nested_not_its_end(analyzer):
    text = "وقال الوزير خالد العلي: «إن «حزب الله» لن يشارك في الحكومة المقبلة مهما حدث»."
    assert [q.text for q in _quotes(analyzer, text)] == ["إن «حزب الله» لن يشارك في الحكومة المقبلة مهما حدث"]


def test_a_question_put_without_marks_is_no_quote(analyzer):
    text = "وسألته الصحيفة: هل الميزانية كافية لذلك؟ فرد: «الميزانية محدودة، لكن الأولوية واضحة»."
    assert [q.text for q in _quotes(analyzer, text)] == ["الميزانية محدودة، لكن الأولوية واضحة"]


# --- rarer frames ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, speaker, quote", [
    ("وتباهت الوزيرة هند صبري بأن البلاد حققت أعلى نسبة نمو في المنطقة.", "هند صبري",
     "البلاد حققت أعلى نسبة نمو في المنطقة"),
    ("وتوجه الرئيس عبد المجيد تبون إلى الصحفيين بالقول إن الانتخابات ستجري في موعدها.", "عبد المجيد تبون",
     "الانتخابات ستجري في موعدها"),
    ("وجدد الوزير خالد العلي دعمه للحوار، مجددا تأكيده أن الحل سياسي في نهاية المطاف.", "خالد العلي",
     "الحل سياسي في نهاية المطاف"),
    ("وألمحت المتحدثة باسم الحكومة سلمى الزين إلى أن الحكومة قد تستقيل.", "سلمى الزين", "الحكومة قد تستقيل"),
    ("وأشار الوزير خالد العلي أن الموازنة ستقر الشهر المقبل.", "خالد العلي", "الموازنة ستقر الشهر المقبل"),
    ("وفيما أكد الوزير خالد العلي أن الموازنة ستقر الشهر المقبل، رفض النواب ذلك.", "خالد العلي",
     "الموازنة ستقر الشهر المقبل"),
])
def test_rarer_reporting_frames(analyzer, text, speaker, quote):
    assert [(q.speaker, q.text) for q in _quotes(analyzer, text)] == [(speaker, quote)]


@pytest.mark.parametrize("text, speaker", [
    ("وستفتتح المحطة الجديدة في الربيع، كما أعلن وزير النقل محمد الراشد.", "محمد الراشد"),
    ("وسيبدأ العمل بالنظام الجديد مطلع العام، على ما أكدت المنسقة الأممية نجاة رشدي.", "نجاة رشدي"),
])
def test_attribution_after_the_statement(analyzer, text, speaker):
    quotes = _quotes(analyzer, text)
    assert [(q.kind, q.speaker) for q in quotes] == [("indirect", speaker)]
    assert quotes[0].text == text[:text.index("،")]


# --- speakers ------------------------------------------------------------------------------------

def test_a_subjectless_verb_continues_someone_named_since_the_last_quote(analyzer):
    text = ("وأعلنت حركة النهضة في بيان أنها ستقاضي المعنيين بترويج الافتراءات. يذكر أن النائب محمد فريخة "
            "كان نفى ما يروج من أخبار عن شركته. واعتبر أن هذه الاتهامات تدخل ضمن محاولات عرقلة المؤسسة.")
    assert [q.speaker for q in _quotes(analyzer, text)] == ["حزب النهضة", "محمد فريخة"]


def test_a_name_right_after_the_verb_is_its_subject_not_the_name_set_off_after_it(analyzer):
    text = "قالت رشا، شقيقة الناشط والمدون المصري، وائل عباس، إن السلطات المصرية اعتقلت شقيقها فجر الأربعاء."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["رشا"]


def test_a_name_set_off_after_a_role_right_before_what_was_said(analyzer):
    text = "وقال القيادي في حركة النهضة، عماد الحمامي إنه لا يمكن إجبار المقاتلين على البقاء خارج البلاد."
    assert [q.speaker for q in _quotes(analyzer, text)] == ["عماد الحمامي"]


def test_whom_a_person_told_is_no_part_of_the_name(analyzer):
    spans = _spans(analyzer, 'وقالت نويرت للصحافيين "لن أحدد اليوم الذي عرفنا فيه أن هناك دليلا".')
    assert ("نويرت", "PER") in spans


def test_a_portfolio_in_two_parts_stays_in_the_title(analyzer):
    text = "وقالت وزيرة التجارة وتنمية الصادرات التونسية سنية الرياحي إن “الصادرات ارتفعت بنسبة كبيرة هذا العام”."
    assert {e.name for e in analyzer.analyze(text).entities} == {"سنية الرياحي"}
    assert [q.speaker for q in _quotes(analyzer, text)] == ["سنية الرياحي"]


@pytest.mark.parametrize("text", ["وتم الاتفاق عن طريق يوسف الزياني وزير الخارجية البحريني.",
                                  "ووصلت المساعدات من خلال يوسف الزياني إلى المدينة."])
def test_the_noun_of_a_compound_preposition_never_starts_a_name(analyzer, text):
    assert {(e.name, e.type) for e in analyzer.analyze(text).entities} >= {("يوسف الزياني", "PER")}
    assert not any(e.name.startswith(("طريق", "خلال")) for e in analyzer.analyze(text).entities)
