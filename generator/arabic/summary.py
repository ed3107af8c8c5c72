"""Lead summary: the first real sentences of the article (news puts the essentials first)."""

from __future__ import annotations

from typing import Sequence

MIN_WORDS = 6  # shorter lines are datelines, bylines or captions
MAX_SENTENCES = 2
MAX_CHARS = 400


def summarize(sentences: Sequence[str]) -> list[str]:
    """Up to two lead sentences, skipping very short ones, within about 400 characters."""
    picked: list[str] = []
    total = 0
    for sentence in sentences:
        if not is_summary_sentence(sentence):
            continue
        if picked and total + len(sentence) > MAX_CHARS:
            break
        sentence = " ".join(sentence.split())
        picked.append(_clip(sentence) if not picked else sentence)
        total += len(picked[-1])
        if len(picked) == MAX_SENTENCES:
            break
    return picked


def is_summary_sentence(sentence: str) -> bool:
    """Long enough, and ending like a sentence: a summary may quote it."""
    return len(sentence.split()) >= MIN_WORDS and _looks_like_sentence(sentence)


def _looks_like_sentence(sentence: str) -> bool:
    """Headlines and site fragments rarely end with a full stop; sentences do."""
    end = sentence.rstrip()
    return end[-1:] in ".!?؟…»”\")" and not end.endswith("..")


def _clip(sentence: str) -> str:
    """Cut an over-long first sentence at a word boundary."""
    if len(sentence) <= MAX_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, MAX_CHARS)
    return sentence[: cut if cut > 0 else MAX_CHARS].rstrip("،, ") + "…"
