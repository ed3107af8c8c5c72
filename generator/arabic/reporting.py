"""Word lists of reported speech: verbs, continuations, source nouns and what stops a quote.

Read from data/words/ (one file per concept; each file's header says what it is for), like
the entity recognizer's lists in lexicon.py; the verbs are one list for both. Normalized
forms, module constants, no state.
"""

from __future__ import annotations

from .lexicon import CONTINUATION_VERBS, FUNCTION_WORDS, REPORTING_VERBS, TIME_WORDS
from .wordlists import inverse_mapping, mapping, words

__all__ = ["CONTINUATION_VERBS", "REPORTING_VERBS"]  # one list each, shared with recognition

CLOSING_VERBS = words("closing-verbs")  # وختم الوزير حديثه بالقول: the speaker of the moment
SUBJECTLESS_FOLLOWERS = words("subjectless-followers")  # وأضاف: «…» with no subject
COMPLEMENTIZERS = words("complementizers")  # إن، أن، بأنه: an indirect report begins
BRIDGE_WORDS = words("bridge-words")  # أشار "إلى" أن
NECESSITY_NOUNS = words("necessity-nouns")  # على ضرورة أن …: a call
NOT_REPORT_GOVERNORS = words("not-report-governors") | NECESSITY_NOUNS  # "بعد" أن: no report
IMPERSONAL_VERBS = words("impersonal-verbs")  # يذكر أن: no speaker
WARNING_VERBS = words("warning-verbs")  # حذر من أن
SPEECH_NOUNS = words("speech-nouns")  # نقلت الوكالة عن X "قوله"
SPEECH_EVENT_NOUNS = words("speech-event-nouns") | TIME_WORDS  # end a role phrase
SOURCE_NOUNS = words("source-nouns")  # مصدر، مسؤول: heads of an unnamed source
SOURCE_COMPLEMENTS = mapping("source-complements")  # مقرب -> من
REPRESENTATIVE_HEADS = words("representative-heads")  # النائب عن دائرة …
DOCUMENT_NOUNS = words("document-nouns")  # أشار تقرير للبنك الدولي إلى أن
HONORIFIC_PRONOUNS = inverse_mapping("honorifics")  # سموه -> سمو
AUDIENCE_WORDS = words("audience-words")  # قال X "لوكالة" رويترز
ACCORDING_TO = words("according-to")  # وبحسب X، فإن …
THEN_THAT = words("then-that")
AFTER_QUOTE_LEADS = words("after-quote-leads")  # «…»، بحسب ما قاله X
TITLE_NOUNS = words("title-nouns")  # رواية «…»: marks that hold a title, not speech
TITLE_FOLLOWERS = words("title-followers")
NAMING_VERBS = words("naming-verbs")
CLAUSE_TAIL_WORDS = words("clause-tail-words")  # a reported clause ends before "، فيما"
VERBAL_NOUN_NEGATORS = words("verbal-noun-negators")  # عدم ذكر اسمه
IDENTITY_NOUNS = words("identity-nouns")  # اسمه، هويتها: never speakers
ROLE_STOP_WORDS = FUNCTION_WORDS | TIME_WORDS | SPEECH_NOUNS | words("role-stop-words")
BROKEN_PLURALS = mapping("broken-plurals")  # المصادر refers back to مصدر
CALL_VERBS = words("call-verbs")  # داعيا إلى «…»: what is called for, not said
