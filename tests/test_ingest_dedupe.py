"""Near-duplicate detection of syndicated wire copies (SimHash and its index)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from generator.ingest.dedupe import (
    NearDuplicateIndex,
    hamming,
    shared_lines,
    simhash,
    words_for_matching,
)
from generator.store import from_sqlite, to_sqlite

REPO = Path(__file__).resolve().parent.parent

# A fictional wire story (236 words), a different article on the same event (same people,
# places and topic), and another outlet's rewrite of the wire story.
WIRE = """القاهرة (رويترز) - قال وزير الري المصري هشام عبد الرحمن يوم الجمعة إن بلاده مستعدة لاستئناف المفاوضات مع السودان وإثيوبيا بشأن تشغيل السد على النيل الأزرق، شريطة أن تفضي المحادثات إلى اتفاق ملزم قانونا خلال فترة زمنية محددة.
وأضاف عبد الرحمن في مؤتمر صحفي عقده في القاهرة مع نظيره السوداني عثمان الطيب أن مصر قدمت خلال الجولات السابقة مقترحات فنية عديدة تراعي مصالح الدول الثلاث، لكنها لم تلق ردا إيجابيا من الجانب الإثيوبي.
وأوضح الوزير أن حصة مصر من مياه النهر تمثل مسألة وجودية لأكثر من مئة مليون مواطن يعتمدون عليها في الشرب والزراعة، وأن أي تصرف أحادي في ملء الخزان خلال سنوات الجفاف سيلحق ضررا بالغا بدولتي المصب.
من جهته، قال الوزير السوداني إن الخرطوم تريد آلية واضحة لتبادل البيانات اليومية عن تشغيل السد حتى تتمكن من إدارة سدودها على النهر بأمان، مشيرا إلى أن الفيضانات التي شهدتها البلاد العام الماضي أظهرت الحاجة الملحة إلى التنسيق.
وكانت الجولة الأخيرة من المحادثات قد انتهت في أديس أبابا الشهر الماضي دون تحقيق تقدم، وتبادلت الأطراف الاتهامات بشأن المسؤولية عن تعثرها. ويقول خبراء إن الخلاف يتركز على قواعد الملء في فترات الجفاف الممتد وعلى آلية فض النزاعات المستقبلية.
ولم يصدر تعليق فوري من وزارة الخارجية الإثيوبية على تصريحات الوزيرين، لكن مسؤولين إثيوبيين أكدوا مرارا أن السد ضروري لتوليد الكهرباء وتنمية البلاد وأنه لن يضر بمصالح دول المصب.
ومن المقرر أن يلتقي وزراء الدول الثلاث في الخرطوم مطلع الشهر المقبل بحضور مراقبين من الاتحاد الأفريقي والولايات المتحدة والاتحاد الأوروبي."""

SAME_TOPIC = """أعلن وزير الري المصري هشام عبد الرحمن، خلال لقائه في القاهرة أمس الجمعة بالوزير السوداني عثمان الطيب، أن مصر لن تقبل بفرض أمر واقع على النيل الأزرق، داعيا إثيوبيا إلى العودة لطاولة التفاوض بروح جديدة.
وبحسب بيان صادر عن الوزارة، استعرض الجانبان نتائج اجتماعات أديس أبابا الأخيرة، واتفقا على تشكيل لجنة فنية مشتركة تتابع منسوب المياه في بحيرة السد وتقدم تقارير أسبوعية إلى حكومتي البلدين.
وقال عبد الرحمن إن القاهرة أبدت مرونة كبيرة طوال عشر سنوات من المفاوضات، وإن الوقت قد حان لاتفاق يحدد قواعد الملء والتشغيل بوضوح ويحمي حقوق الأجيال القادمة في مصر والسودان.
أما الطيب فأكد أن الخرطوم لا تعارض حق إثيوبيا في التنمية، لكنها تطالب بضمانات تحمي سد الروصيرص والقرى الواقعة على ضفاف النهر من أي إطلاق مفاجئ للمياه.
وفي أديس أبابا، قال متحدث باسم الحكومة الإثيوبية إن بلاده ملتزمة بمسار الاتحاد الأفريقي، معتبرا أن المطالب المصرية تستند إلى اتفاقيات تعود إلى الحقبة الاستعمارية ولا تعكس واقع المنطقة اليوم.
ويتوقع مراقبون أن تشهد الأسابيع المقبلة تحركات دبلوماسية مكثفة قبل موسم الأمطار، في ظل تحذيرات من أن استمرار الجمود قد يرفع منسوب التوتر بين الدول الثلاث."""

PARAPHRASE = """أكد هشام عبد الرحمن وزير الري المصري الجمعة استعداد القاهرة للعودة إلى المفاوضات مع السودان وإثيوبيا حول تشغيل السد على النيل الأزرق، بشرط التوصل إلى اتفاق ملزم قانونا في إطار زمني محدد.
وخلال مؤتمر صحفي مشترك مع الوزير السوداني عثمان الطيب في القاهرة، قال عبد الرحمن إن بلاده طرحت في الجولات الماضية مقترحات فنية كثيرة تراعي مصالح الدول الثلاث دون أن تتلقى ردا إيجابيا من أديس أبابا.
وشدد على أن مياه النيل مسألة وجودية لأكثر من مئة مليون مصري، محذرا من أن الملء الأحادي للخزان في سنوات الجفاف سيلحق ضررا بالغا بدولتي المصب.
بدوره، دعا الطيب إلى آلية واضحة لتبادل البيانات اليومية عن تشغيل السد، حتى يتمكن السودان من إدارة سدوده بأمان، مستشهدا بالفيضانات التي ضربت البلاد العام الماضي.
وانتهت الجولة الأخيرة من المحادثات في أديس أبابا الشهر الماضي دون تقدم، فيما يتوقع أن يلتقي وزراء الدول الثلاث في الخرطوم مطلع الشهر المقبل."""


def is_found(original: str, copy: str) -> bool:
    index = NearDuplicateIndex()
    index.add("wire", simhash(original))
    return index.find(simhash(copy)) == "wire"


# --- normalization ---------------------------------------------------------------------------


def test_words_for_matching_unifies_spelling_variants() -> None:
    assert words_for_matching("«أَعلنَ» الوزيـــر، إنّ ١٠٠ مستشفى في آسيا ومدرسة!") == [
        "اعلن", "الوزير", "ان", "100", "مستشفي", "في", "اسيا", "ومدرسه",
    ]


def test_shared_lines_leave_out_dateline_signature_and_read_also() -> None:
    text = ("القاهرة (رويترز) - قال الوزير إن المحادثات ستستأنف.\n"
            "اقرأ أيضاً: الوزير يزور الخرطوم الأسبوع المقبل\n"
            "وأضاف أن الوفد سيضم خبراء في المياه والطاقة.\n"
            "(رويترز)")
    assert shared_lines(text) == ["قال الوزير إن المحادثات ستستأنف.",
                                  "وأضاف أن الوفد سيضم خبراء في المياه والطاقة."]


def test_shared_lines_keep_a_one_line_text_whole() -> None:
    assert shared_lines("انفجار في ميناء بيروت") == ["انفجار في ميناء بيروت"]


# --- signatures ------------------------------------------------------------------------------


def test_simhash_is_a_64_bit_integer() -> None:
    signature = simhash(WIRE)
    assert 0 < signature < 2**64
    assert 20 <= signature.bit_count() <= 44  # about half the bits set, as for any hash


def test_simhash_is_the_same_in_every_process() -> None:
    code = ("import sys; from generator.ingest.dedupe import simhash; "
            "print(simhash(sys.stdin.read()))")
    results = {
        subprocess.run([sys.executable, "-c", code], input=WIRE, capture_output=True, text=True,
                       check=True, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed},
                       ).stdout.strip()
        for seed in ("1", "2", "12345")
    }
    assert results == {str(simhash(WIRE))}


def test_spelling_diacritics_and_digits_do_not_change_the_signature() -> None:
    respelled = (WIRE.replace("إ", "ا").replace("أ", "ا").replace("ة", "ه").replace("ى", "ي")
                 .replace("قال", "قَالَ").replace("الوزير", "الوزيــر").replace("،", " ,"))
    assert simhash(respelled) == simhash(WIRE)


def test_simhash_of_an_empty_text_is_zero() -> None:
    assert simhash("") == 0
    assert simhash(" ،.؟!\n") == 0


def test_hamming_counts_differing_bits() -> None:
    assert hamming(0, 0) == 0
    assert hamming(0b1011, 0b0001) == 2
    assert hamming(0, 2**64 - 1) == 64


# --- wire copies are found -------------------------------------------------------------------


def test_a_copy_with_another_dateline_and_signature_is_a_duplicate() -> None:
    copy = WIRE.replace("القاهرة (رويترز) -", "القاهرة - «الشروق»:") + "\n(المصدر: رويترز)"
    assert hamming(simhash(WIRE), simhash(copy)) == 0
    assert is_found(WIRE, copy)


def test_a_copy_without_the_first_paragraph_is_a_duplicate() -> None:
    assert is_found(WIRE, WIRE.split("\n", 1)[1])


def test_a_copy_with_a_few_words_changed_is_a_duplicate() -> None:
    copy = (WIRE.replace("يوم الجمعة", "اليوم الجمعة").replace("مئة مليون", "100 مليون")
            .replace("ضررا بالغا", "ضررا كبيرا"))
    assert copy != WIRE
    assert is_found(WIRE, copy)


def test_a_copy_with_read_also_links_and_follow_us_appended_is_a_duplicate() -> None:
    copy = (WIRE + "\nاقرأ أيضا: مصر والسودان تبحثان التعاون في مجال الطاقة الكهربائية"
            "\nتابعونا على فيسبوك وتويتر")
    assert hamming(simhash(WIRE), simhash(copy)) == 0


def test_a_copy_with_a_sentence_of_background_appended_is_a_duplicate() -> None:
    copy = WIRE + "\nوكانت مصر والسودان قد وقعتا الشهر الماضي اتفاقية للتعاون في مجال الطاقة."
    assert is_found(WIRE, copy)


# --- different articles are not --------------------------------------------------------------


def test_another_article_on_the_same_event_is_not_a_duplicate() -> None:
    assert hamming(simhash(WIRE), simhash(SAME_TOPIC)) > 12
    assert not is_found(WIRE, SAME_TOPIC)


def test_another_outlets_rewrite_of_the_story_is_not_a_duplicate() -> None:
    assert hamming(simhash(WIRE), simhash(PARAPHRASE)) > 12
    assert not is_found(WIRE, PARAPHRASE)


def test_short_texts_match_only_when_they_are_the_same_words() -> None:
    headline = "وزير الري المصري: مستعدون لاستئناف مفاوضات السد"
    assert is_found(headline, "وزير الري المصري - مستعدون لاستئناف مفاوضات السدّ!")
    assert not is_found(headline, "وزير الري المصري يرفض استئناف مفاوضات السد")
    assert not is_found(headline, "الخرطوم تطالب بآلية لتبادل بيانات السد")
    assert is_found("عاجل", "عاجل!")
    assert not is_found("عاجل", "تحديث")


# --- SQLite storage --------------------------------------------------------------------------


@pytest.mark.parametrize("signature", [0, 1, 2**62, 2**63 - 1, 2**63, 2**64 - 1])
def test_signatures_round_trip_through_sqlite(signature: int) -> None:
    stored = to_sqlite(signature)
    assert -(2**63) <= stored < 2**63
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (signature INTEGER)")
    db.execute("INSERT INTO t VALUES (?)", (stored,))
    (value,) = db.execute("SELECT signature FROM t").fetchone()
    assert from_sqlite(value) == signature


def test_a_real_signature_round_trips_through_sqlite() -> None:
    signature = simhash(WIRE)
    assert from_sqlite(to_sqlite(signature)) == signature


# --- the index -------------------------------------------------------------------------------


def flip(signature: int, bits: list[int]) -> int:
    for bit in bits:
        signature ^= 1 << bit
    return signature


@pytest.mark.parametrize("max_distance", [0, 3, 6])
def test_the_index_finds_every_signature_within_max_distance(max_distance: int) -> None:
    rng = random.Random(max_distance)
    index = NearDuplicateIndex(max_distance)
    original = rng.getrandbits(64)
    index.add("original", original)
    for _ in range(300):
        distance = rng.randint(0, max_distance)
        assert index.find(flip(original, rng.sample(range(64), distance))) == "original"


@pytest.mark.parametrize("max_distance", [0, 3, 6])
def test_the_index_ignores_signatures_beyond_max_distance(max_distance: int) -> None:
    rng = random.Random(100 + max_distance)
    index = NearDuplicateIndex(max_distance)
    original = rng.getrandbits(64)
    index.add("original", original)
    for _ in range(300):
        distance = rng.randint(max_distance + 1, 64)
        assert index.find(flip(original, rng.sample(range(64), distance))) is None


def test_bits_spread_over_the_whole_signature_are_still_found() -> None:
    index = NearDuplicateIndex(max_distance=3)
    index.add("a", 0)
    assert index.find(flip(0, [0, 16, 32])) == "a"
    assert index.find(flip(0, [15, 31, 47])) == "a"
    assert index.find(flip(0, [0, 16, 32, 48])) is None


def test_the_closest_and_then_the_earliest_signature_wins() -> None:
    index = NearDuplicateIndex(max_distance=3)
    index.add("first", flip(0, [1, 2]))
    index.add("second", flip(0, [3, 4]))
    index.add("closest", flip(0, [5]))
    assert index.find(0) == "closest"
    assert index.find(flip(0, [1])) == "first"  # first is 1 bit away, closest 2
    index2 = NearDuplicateIndex(max_distance=3)
    index2.add("first", 0)
    index2.add("again", 0)
    assert index2.find(0) == "first"


def test_the_index_rejects_an_impossible_distance() -> None:
    with pytest.raises(ValueError):
        NearDuplicateIndex(max_distance=64)


def test_the_index_holds_fifty_thousand_signatures() -> None:
    rng = random.Random(50_000)
    index = NearDuplicateIndex()
    signatures = [rng.getrandbits(64) for _ in range(50_000)]
    for number, signature in enumerate(signatures):
        index.add(f"article-{number}", signature)
    assert len(index) == 50_000
    for number in range(0, 50_000, 997):
        near = flip(signatures[number], rng.sample(range(64), index.max_distance))
        assert index.find(near) == f"article-{number}"
    unrelated = [rng.getrandbits(64) for _ in range(200)]
    assert [index.find(signature) for signature in unrelated] == [None] * 200


def test_wire_copies_in_a_stream_of_articles_point_to_the_first_copy() -> None:
    index = NearDuplicateIndex()
    found = {}
    stream = [
        ("wire", WIRE),
        ("same-topic", SAME_TOPIC),
        ("copy-1", WIRE.replace("القاهرة (رويترز) -", "القاهرة - وكالات:")),
        ("rewrite", PARAPHRASE),
        ("copy-2", WIRE + "\nاقرأ أيضا: السودان يستعد لموسم الفيضان"),
    ]
    for key, text in stream:
        signature = simhash(text)
        found[key] = index.find(signature)
        index.add(key, signature)
    assert found == {"wire": None, "same-topic": None, "copy-1": "wire", "rewrite": None,
                     "copy-2": "wire"}
