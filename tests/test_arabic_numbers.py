import pytest

from generator.arabic_numbers import NOUNS, count


@pytest.mark.parametrize("number,expected", [
    (0, "لا مواد"), (1, "مادة واحدة"), (2, "مادتان"), (3, "3 مواد"), (8, "8 مواد"), (9, "9 مواد"),
    (10, "10 مواد"), (11, "11 مادة"), (25, "25 مادة"), (99, "99 مادة"), (100, "100 مادة"),
    (101, "101 مادة"), (102, "102 مادة"), (103, "103 مواد"), (111, "111 مادة"), (1000, "1000 مادة"),
])
def test_articles_agree_with_their_number(number, expected):
    assert count(number, "article") == expected


@pytest.mark.parametrize("number,expected", [
    (1, "اقتباس واحد"), (2, "اقتباسان"), (5, "5 اقتباسات"), (12, "12 اقتباسا"), (200, "200 اقتباس"),
])
def test_masculine_nouns_take_the_accusative_after_eleven(number, expected):
    assert count(number, "quote") == expected


def test_every_noun_has_every_form():
    for noun in NOUNS:
        assert len({count(n, noun) for n in (0, 1, 2, 3, 11, 100)}) == 6
