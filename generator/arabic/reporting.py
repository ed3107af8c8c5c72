"""Word lists of reported speech: verbs, continuations, source nouns and what stops a quote.

Kept apart from lexicon.py (the entity recognizer's lists) so quote finding can grow its
vocabulary without touching recognition. Every list is normalized once at import into a
frozenset (immutable module constants, no state).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from .lexicon import CONTINUATION_VERBS as _ENTITY_CONTINUATIONS
from .lexicon import FUNCTION_WORDS, REPORTING_VERBS as _ENTITY_REPORTING, TIME_WORDS
from .normalize import normalize


def _words(text: str) -> frozenset[str]:
    """Normalized single words of a whitespace-separated list."""
    return frozenset(normalize(w) for w in text.split())


def _with_she_forms(verbs: frozenset[str]) -> frozenset[str]:
    """Every present he-form (يقول) with its she-form (تقول), so no conjugation is missed."""
    return verbs | frozenset("ت" + v[1:] for v in verbs if v.startswith("ي"))


# Verbs that introduce speech, in the forms news uses (past, present, dual, plural).
REPORTING_VERBS = _with_she_forms(_ENTITY_REPORTING | _words("""
    يضيفون أردف يردف تردف استدرك استدركت قالتا أكدتا لفتوا أشاروا أوضحوا شددوا اعتبروا نفوا
    زعموا ادعوا ذكروا أفادوا صرحوا رأوا يرون ترى يعتقد تعتقد اعتقد اعتقدت يعتبرون أعلنتا
    ختم ختمت اختتم اختتمت يختتم أعرب أعربت نوه نوهت ينوه بينت شدد أكدوا ذكرتا
    يوضحون يشيرون يؤكدون يلفت تلفت صرحتا حذروا أقروا كشفوا نبه نبهت ينبه تساءل تساءلت
    لخص لخصت يلخص يتساءل ورد سأل سألت يسأل تسأل يختم تختم استهل استهلت يستهل روت يروي رووا اكتفى اكتفت يكتفي
    ليؤكد ليقول ليضيف ليشير ليوضح ليعلن ليكشف لتؤكد لتقول لتضيف لتشير لتوضح لتعلن لتكشف
    رجح رجحت رجحوا ترجح أظهر أظهرت يظهر تظهر أوصى أوصت يوصي توصي ليرد لترد اتهم اتهمت يتهم تتهم
    يستدرك سأله سألها سألته سألتها سألهم افتتح افتتحت يفتتح ليسأل لتسأل ليجيب لتجيب
"""))


# Participles and verbs with no subject of their own: the speaker is the last one.
CONTINUATION_VERBS = _ENTITY_CONTINUATIONS | _words("""
    مضيفين متابعين موضحين لافتين مشيرين مؤكدين مشددين معتبرين قائلين مستطردة مردفة مستدركة
    منوهين محذرين مختتمة مبرزا مبرزة مستنكرا مستنكرة متسائلا متسائلة مطالبا مطالبة مطالبين
    مرجحا مرجحة مرجحين متوقعا متوقعة متوقعين متهما متهمة متهمين مذكرا مذكرة مذكرين متعهدا متعهدة
    متوعدا متوعدة معلنا معلنة نافيا نافية
""")

# Verbs that close what someone said (وختم الوزير حديثه بالقول): like a continuation, they
# belong to the speaker of the moment.
CLOSING_VERBS = _words("ختم ختمت اختتم اختتمت يختم تختم استهل استهلت يستهل افتتح افتتحت يفتتح")

# Verbs that open a continuation when they have no subject (وأضاف: «…»، وتابع أن …).
SUBJECTLESS_FOLLOWERS = _words("""
    أضاف أضافت تابع تابعت أردف أردفت استطرد استطردت يضيف تضيف يتابع تتابع يردف تردف يستطرد تستطرد
""")

# Words after which an indirect report begins, bare or carrying a pronoun (أنه، بأنها).
COMPLEMENTIZERS = _words("""
    إن أن بأن وإن وأن إنه إنها إنهم إننا إني أنه أنها أنهم أننا أني بأنه بأنها بأنهم بأننا
    وأنه وأنها وأنهم
""")

# Prepositions that may sit between the verb and أن (أشار إلى أن، شدد على أن) or the subject.
BRIDGE_WORDS = _words("إلى الى على أيضا أيضاً كذلك بدوره بدورها بدورهم")

# Words right before أن that make it a subordinate clause, not a report (بعد أن، يجب أن).
NOT_REPORT_GOVERNORS = _words("""
    بعد قبل منذ دون بدون من يجب ينبغي يمكن يمكنه يمكنها بد لابد حتى رغم برغم عقب إثر
    بمجرد بعدما ريثما يريد تريد يريدون أراد أرادت يحاول تحاول يستطيع تستطيع يحق يتعين
""")

# Verbs that, right before أن, are impersonal (يذكر أن = it is worth noting that): no speaker.
# Also the passive readings (يُتوقع أن، يُعتقد أن، يُرجح أن) when أن follows the verb at once.
IMPERSONAL_VERBS = _words("يذكر ويذكر تذكر تبين يتبين يتضح اتضح يبدو يتوقع يعتقد يرجح يفترض يقال يعتبر")

# Verbs that report with من أن (حذر من أن …).
WARNING_VERBS = _words("حذر حذرت حذروا يحذر تحذر محذرا محذره محذرين نبه نبهت ينبه منبها")

# Nouns of speech that follow a source: نقلت الوكالة عن X قوله …، بالقول.
SPEECH_NOUNS = _words("""
    قوله قولها قولهم قولهما القول بالقول قولا كلمته كلمتها كلمتهم تصريحه تصريحها تصريحاته
    تصريحاتها حديثه حديثها بيانه بيانها
""")

# Event nouns that end a role phrase: مصدر في المنظمة, but not الرئاسة في بيان.
SPEECH_EVENT_NOUNS = _words("""
    بيان بيانها بيانه تصريح تصريحات تصريحه تصريحها حديث حديثه حديثها مؤتمر كلمه كلمته كلمتها
    خطاب خطابه مقابله مقابلته لقاء رساله تغريده منشور تدوينه اتصال مداخله ندوه جلسه اجتماع
    حوار نشره نشرته نشرتها ختام مستهل هامش افتتاح
""") | TIME_WORDS

# Heads of an unnamed source; a name inside their phrase is not the speaker
# (مصدر مقرب من الرئيس X قال …).
SOURCE_NOUNS = _words("""
    مصدر مصادر المصدر المصادر مسؤول مسؤولون مسؤولين المسؤول مسؤوله شهود شاهد سكان مراقبون
    مراقبين محللون محللين خبراء خبير مقربون مقربين دبلوماسي دبلوماسيون دبلوماسيين موظف
    موظفون عضو أعضاء ناشطون ناشطين متحدث ناطق متعامل متعاملون متعاملين تاجر تجار مندوب مندوبون
    مندوبين مساعدون مساعدين قيادي قياديون قياديين القيادي مسؤولا مصدرا مفاوض مفاوضا مفاوضون
    جمعيات منظمات أحزاب نقابات هيئات
""")

# Adjectives of a source that take a complement: مصدر مقرب من …، دبلوماسي مطلع على ….
SOURCE_COMPLEMENTS: Mapping[str, str] = MappingProxyType({
    **{w: "من" for w in _words("مقرب مقربه مقربون مقربين المقرب المقربه قريب قريبه القريب القريبه")},
    **{w: "علي" for w in _words("مطلع مطلعه مطلعون مطلعين المطلع المطلعه")},
})

# Heads that a role phrase continues after with عن: النائب عن دائرة الزرقاء.
REPRESENTATIVE_HEADS = _words("النائب نائب النائبة نائبة عضو العضو ممثل الممثل المرشح مرشح")

# Documents whose author speaks through them (أشار تقرير للبنك الدولي إلى أن …).
DOCUMENT_NOUNS = _words("""
    تقرير التقرير بيان البيان دراسه الدراسه وثيقه الوثيقه رساله الرساله مذكره بلاغ البلاغ
    أرقام الأرقام بيانات البيانات إحصاءات الإحصاءات إحصائيات الإحصائيات معطيات المعطيات
    منطوق حيثيات نص
""")

# Honorifics with a pronoun, which name the person addressed by that honorific before
# (سمو الشيخ X … وقال سموه): to the honorific as it stands before a name.
HONORIFIC_PRONOUNS: Mapping[str, str] = MappingProxyType({
    normalize(held): normalize(honorific)
    for honorific, forms in (("سمو", "سموه سموها"), ("معالي", "معاليه معاليها"), ("فخامة", "فخامته"),
                             ("سعادة", "سعادته سعادتها"), ("دولة", "دولته"), ("جلالة", "جلالته"),
                             ("سماحة", "سماحته"), ("نيافة", "نيافته"), ("غبطة", "غبطته"))
    for held in forms.split()
})

# Words after `ل` that name an audience or an outlet: قال X لوكالة رويترز / للصحفيين.
AUDIENCE_WORDS = _words("""
    وكاله الوكاله صحيفه الصحيفه جريده الجريده مجله المجله قناه القناه تلفزيون التلفزيون
    اذاعه الاذاعه موقع الموقع الصحفيين الصحافيين الصحافه الاعلام وسائل مراسل مراسلي مراسلنا
    برنامج شبكه الشبكه
""")

# "According to" before a source, whose report then opens with فإن: وبحسب X، فإن …
ACCORDING_TO = _words("بحسب وبحسب فبحسب حسب وحسب وفقا ووفقا فوفقا وفق ووفق طبقا وطبقا نقلا ونقلا")
THEN_THAT = _words("فإن فإنه فإنها فإنهم")

# Words that may lead a reporting verb placed after the quote: «…»، بحسب ما قاله X.
AFTER_QUOTE_LEADS = _words("بحسب حسب حسبما وفق وفقا كما ما لما هكذا بهذه بهذا الكلمات الكلمه العبارات العباره")

# Nouns (with what may follow them) before marks that hold a name or a title, not speech.
TITLE_NOUNS = _words("""
    روايه كتاب كتابه كتابها فيلم مسلسل برنامج اغنيه قصيده ديوان مسرحيه عنوان بعنوان شعار
    عمليه حمله مبادره مؤتمر منتدى ندوه معرض مهرجان صحيفه جريده مجله قناه موقع وسم هاشتاغ
    قانون مشروع خطه اتفاق اتفاقيه حزب حركه جماعه تنظيم تحالف كتيبه لواء شركه مؤسسه جمعيه
    مسابقه جائزه ملف قضيه صفقه عمليات
""")
TITLE_FOLLOWERS = _words("""
    الجديد الجديده الاخير الاخيره الشهير الشهيره المعروف المعروفه الاول الاولى الثاني
    المسمى المسماه الذي التي
""")
NAMING_VERBS = _words("""
    وصف وصفه وصفها وصفته وصفوه وصفوها سماه سمته سموه اسماه اسمته اطلق عليه عليها
    يسمى تسمى المعروف المعروفه باسم ب
""")

# A reported clause ends before ", + one of these" (…، مضيفا أن …; …، بحسب ما نقلت …).
CLAUSE_TAIL_WORDS = _words("""
    فيما بينما حين حسب بحسب حسبما وفق وفقا نقلا وذلك طبقا لكن ولكن لكنه لكنها لكنهم ولكنه ولكنها
    دون بدون إذ محملا محملة
""")

# Words before a reporting verb's form that make it a verbal noun: عدم ذكر اسمه، دون ذكر.
VERBAL_NOUN_NEGATORS = _words("عدم بعدم لعدم دون بدون")

# Nouns of identity that, with a possessive pronoun, are never speakers: اسمه، هويتها، صفته.
IDENTITY_NOUNS = frozenset(normalize(w) for w in ("اسم", "هويت", "صفت", "منصب"))

# Stop words of a role phrase (مصدر دبلوماسي "في" …) beyond function and time words.
ROLE_STOP_WORDS = FUNCTION_WORDS | TIME_WORDS | SPEECH_NOUNS | _words("نفسه نفسها نفسهم ذاته ذاتها")

# Broken plurals of source heads, to their singular: a later المصادر refers back to مصدر/مصادر.
BROKEN_PLURALS: Mapping[str, str] = MappingProxyType({
    normalize(p): normalize(s) for p, s in (("مصادر", "مصدر"), ("خبراء", "خبير"), ("شهود", "شاهد"))
})

# Verbs of a call or appeal (دعا إلى، طالب بـ): the marked words they govern name what is
# called for, not what was said (داعيا المانحين إلى «التحرك قبل فوات الأوان»).
CALL_VERBS = _words("""
    دعا دعت دعوا يدعو تدعو داعيا داعية داعين طالب طالبت طالبوا يطالب تطالب مطالبا مطالبة مطالبين
    حث حثت يحث تحث حاثا ناشد ناشدت يناشد مناشدا مناشدة
""")
