"""Closed word lists the entity recognizers rely on, read from data/words/ (one file per concept;
each file's header says what the list is for). Normalized forms, module constants, no state.
"""

from __future__ import annotations

from .wordlists import words

FUNCTION_WORDS = words("function-words")
TIME_WORDS = words("time-words")
NOT_NAME_WORDS = words("not-name-words")  # words after a title that are no names
TITLE_HEADS = words("title-heads")  # the word that announces a person: الرئيس، وزير …
AMBIGUOUS_TITLE_HEADS = words("ambiguous-title-heads")  # الفريق: a team, or a rank before a name
TITLE_COMPLEMENTS = words("title-complements")  # وزير "الخارجية"، الأمين "العام"
TITLE_ADJECTIVES = words("title-adjectives")  # المتحدث "الرسمي"
HONORIFICS = words("honorifics")  # سمو، معالي، السيد: before a name, and no role
RULING_FAMILIES = words("ruling-families")
NAME_BINDERS = words("name-binders")  # عبد، أبو، بن، آل: bind to the next word
REPORTING_VERBS = words("reporting-verbs")  # قال، أكد …
CONTINUATION_VERBS = words("continuation-verbs")  # مضيفا، مشيرا: the speaker is the last one
COMMON_WORDS = words("common-words")  # collide with place names of the automatic sources
FIRST_NAMES = words("first-names")
# Kept out of FIRST_NAMES so that the CRF features stay as trained: many are also adjectives.
ARTICLE_FIRST_NAMES = words("article-first-names")
# A first name that starts with و is never و + a word (وليد، وسيم), whichever list has it.
WAW_NAMES = words("waw-names") | frozenset(w for w in FIRST_NAMES if w.startswith("و"))
COMMON_VERBS = words("common-verbs")  # a name stops before them: الرئيس X التقى …
ORG_HEADS = words("org-heads")  # وزارة، حزب، قوات: a name after one extends back to it
ORG_ADJECTIVES = words("org-adjectives")  # المجلس "الرئاسي"
