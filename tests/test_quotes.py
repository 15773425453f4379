"""Quote extraction: tables of text -> expected quotes (kind, speaker, cue, channel, text)."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from pipeline.quotes import extract_quotes, load_lexicon
from pipeline.records import ArticleText, EntityResult, EntityRow, MentionRow
from quote_checks import spans_text

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def lex():
    return load_lexicon(DATA)


def article(*paragraphs: str, article_id: str = "a1") -> ArticleText:
    return ArticleText(article_id, "Title", "", tuple(paragraphs), tuple(0 for _ in paragraphs), ("",))


def run(lex, *paragraphs, entities: EntityResult | None = None):
    return extract_quotes(article(*paragraphs), entities=entities or EntityResult(), lexicon=lex)


def direct(rows):
    return [r for r in rows if r.kind == "direct"]


def indirect(rows):
    return [r for r in rows if r.kind == "indirect"]


# --------------------------------------------------------------------------- direct quotes

DIRECT_CASES = [
    # (paragraphs, [(speaker, cue, channel, text)])
    (["“We will win,” Anna Petrova said."], [("Anna Petrova", "said", "", "We will win,")]),
    (['"We will win," said Anna Petrova, a professor at Moscow University.'],
     [("Anna Petrova", "said", "", "We will win,")]),
    (["''We will win,'' Mr. Tanaka told reporters."], [("Tanaka", "told", "", "We will win,")]),
    (["«We will win», said Pierre Martin."], [("Pierre Martin", "said", "", "We will win")]),
    (["Hans Weber said, “The talks were useful and frank.”"],
     [("Hans Weber", "said", "", "The talks were useful and frank.")]),
    (["Hans Weber told the Berlin Daily on Monday, “The talks were useful.”"],
     [("Hans Weber", "told", "Berlin Daily", "The talks were useful.")]),
    # colon and dash introductions
    (["The minister, Ivan Sidorov, said: “We have no choice.”"],
     [("Ivan Sidorov", "said", "", "We have no choice.")]),
    (["Ivan Sidorov — “We have no choice but to talk.”"],
     [("Ivan Sidorov", "—", "", "We have no choice but to talk.")]),
    # titles stripped from names
    (["“Trade will grow,” said Foreign Minister Sergei Ivanov."], [("Sergei Ivanov", "said", "", "Trade will grow,")]),
    (["“Trade will grow,” Chinese President Wang Lei said."], [("Wang Lei", "said", "", "Trade will grow,")]),
]


@pytest.mark.parametrize("paragraphs,expected", DIRECT_CASES)
def test_direct_quotes(lex, paragraphs, expected):
    rows = direct(run(lex, *paragraphs))
    got = [(r.speaker, r.cue, r.channel, r.text) for r in rows]
    if expected and expected[0][1] == "—":
        assert [(g[0], g[3]) for g in got] == [(e[0], e[3]) for e in expected]
    else:
        assert got == expected


def test_offsets_index_the_paragraph(lex):
    pars = ["Intro line with no quote.", "“We will win,” Anna Petrova said. “And soon.”",
            "Li Wei told the Global Times that ties are strong."]
    rows = run(lex, *pars)
    assert rows
    for r in rows:
        assert spans_text(pars[r.paragraph_id], r)
        assert r.quote_id.startswith("a1:q")


def test_a_quote_split_by_its_attribution_holds_only_the_quoted_words(lex):
    par = "“We will win,” Anna Petrova said on Monday. “And soon.”"
    (r,) = direct(run(lex, par))
    assert r.text == "We will win, … And soon."
    assert (r.char_start, r.char_end) == (1, len(par) - 1)


def test_split_quote_is_one_quote(lex):
    rows = direct(run(lex, "“The talks went well,” he said. “We agreed on many points.”",))
    assert len({r.quote_id for r in rows}) == 1
    assert "The talks went well" in rows[0].text and "We agreed on many points." in rows[-1].text


def test_split_quote_with_comma(lex):
    rows = direct(run(lex, "Anna Petrova spoke. “The talks went well,” she said, “and we agreed on many points.”"))
    assert len({r.quote_id for r in rows}) == 1
    assert rows[0].speaker == "Anna Petrova"


def test_multi_paragraph_quote_one_id_several_rows(lex):
    pars = ["Olga Smirnova, an analyst at the Baltic Institute, said: “The first point is energy.",
            "“The second point is trade, which has doubled.",
            "“The third point is security.”",
            "Nothing more was said."]
    rows = direct(run(lex, *pars))
    assert [r.paragraph_id for r in rows] == [0, 1, 2]
    assert len({r.quote_id for r in rows}) == 1
    assert {r.speaker for r in rows} == {"Olga Smirnova"}
    assert rows[1].text == "The second point is trade, which has doubled."


def test_quote_only_paragraph_continues_previous_speaker(lex):
    pars = ["“We are ready,” said Omar Haddad, the trade minister.", "“The door is open for more talks.”"]
    rows = direct(run(lex, *pars))
    assert {r.speaker for r in rows} == {"Omar Haddad"}


def test_pronoun_resolves_to_recent_speaker(lex):
    pars = ["Rafael Duarte, director of the Institute of Andean Studies, told the Lima Courier that growth "
            "will continue.",
            "“Peru invested in a lot of new rail lines,” he said."]
    rows = run(lex, *pars)
    d = direct(rows)
    assert [(r.speaker, r.cue) for r in d] == [("Rafael Duarte", "said")]
    i = indirect(rows)
    assert i and i[0].speaker == "Rafael Duarte" and i[0].channel == "Lima Courier"


def test_surname_refers_back_to_full_name(lex):
    pars = ["Rafael Duarte is a director at the institute.", "Duarte said, “We need more engineers.”"]
    assert direct(run(lex, *pars))[0].speaker == "Rafael Duarte"


def test_role_phrase_resolved_from_article(lex):
    pars = ["Kenyan President Daniel Mwangi met the visitors on Monday.",
            "The Kenyan president said that both governments would widen their rail links."]
    rows = indirect(run(lex, *pars))
    assert rows and rows[0].speaker == "Daniel Mwangi"


def test_role_phrase_kept_when_unresolved(lex):
    rows = direct(run(lex, "“This is strictly a business decision,” a company executive told employees."))
    assert rows[0].speaker == "a company executive"


def test_bare_pronoun_or_title_never_a_speaker(lex):
    rows = run(lex, "“We will see what happens next week,” he said.", "“Nothing is decided yet today,” President said.")
    assert rows
    assert all(r.speaker.lower() not in {"he", "she", "president"} for r in rows)


@pytest.mark.parametrize("sentence, speaker", [
    # a definite title no one in the article holds stays the text's own description of the speaker
    ("“Nothing is decided yet today,” the President said.", "the President"),
    ("“The port will reopen,” the Liberal senator said.", "the Liberal senator"),
    # after an honorific, a title word is a surname
    ("“The port will reopen,” Mr. King said.", "King"),
    ("“The port will reopen,” said Ms. Prince.", "Prince"),
])
def test_title_words_as_speakers(lex, sentence, speaker):
    assert direct(run(lex, sentence))[0].speaker == speaker


def test_according_to_outlet_is_channel(lex):
    pars = ["According to Kyodo News, Kenji Morita said at the meeting that “ties are not a bargain struck for "
            "one season.”"]
    rows = direct(run(lex, *pars))
    assert [(r.speaker, r.channel, r.kind) for r in rows] == [("Kenji Morita", "Kyodo News", "direct")]


def test_entity_mentions_give_speaker_entity(lex):
    par = "“We are ready,” said Vladimir Putin."
    start = par.index("Vladimir")
    ents = EntityResult(
        entities=[EntityRow("person:vladimir-putin", "Vladimir Putin", "person", "RUS", role="President")],
        mentions=[MentionRow("a1", 0, "person:vladimir-putin", "Vladimir Putin", start, start + 14)],
    )
    rows = direct(run(lex, par, entities=ents))
    assert (rows[0].speaker, rows[0].speaker_entity_id) == ("Vladimir Putin", "person:vladimir-putin")


def test_alias_resolves_role_phrase(lex):
    ents = EntityResult(entities=[EntityRow("person:xi-jinping", "Xi Jinping", "person", "CHN")],
                        aliases={"the Chinese leader": "person:xi-jinping"})
    rows = indirect(run(lex, "The Chinese leader said that the relationship is at its best in history.",
                        entities=ents))
    assert (rows[0].speaker, rows[0].speaker_entity_id) == ("Xi Jinping", "person:xi-jinping")


def test_demonym_alias_is_not_a_speaker(lex):
    ents = EntityResult(entities=[EntityRow("CUB", "Cuba", "country", "CUB")], aliases={"Cuban": "CUB"})
    rows = direct(run(lex, "Lena Cuban owns a bakery.", "“It's too early to tell,” Cuban said.", entities=ents))
    assert rows[0].speaker == "Lena Cuban"


# --------------------------------------------------------------------------- indirect speech

INDIRECT_CASES = [
    ("Aiko Tanaka, a professor at the Institute of Pacific Affairs, told the Osaka Herald on Monday that "
     "India and Japan support each other.",
     ("Aiko Tanaka", "told", "Osaka Herald", "India and Japan support each other.")),
    ("Anna Petrova said that the deal would be signed soon.",
     ("Anna Petrova", "said", "", "the deal would be signed soon.")),
    ("Anna Petrova said the deal would be signed soon.",
     ("Anna Petrova", "said", "", "the deal would be signed soon.")),
    ("Anna Petrova pointed out that the deal would be signed soon.",
     ("Anna Petrova", "pointed out", "", "the deal would be signed soon.")),
    ("The deal would be signed soon and trade would double, Anna Petrova said.",
     ("Anna Petrova", "said", "", "The deal would be signed soon and trade would double")),
    ("Coffee exports will rise after the summit, said businesspeople from both ports.",
     ("businesspeople from both ports", "said", "", "Coffee exports will rise after the summit")),
    ("According to Anna Petrova, the deal would be signed soon.",
     ("Anna Petrova", "according to", "", "the deal would be signed soon.")),
]


@pytest.mark.parametrize("paragraph,expected", INDIRECT_CASES)
def test_indirect(lex, paragraph, expected):
    rows = indirect(run(lex, paragraph))
    assert [(r.speaker, r.cue, r.channel, r.text) for r in rows] == [expected]


def test_unquoted_paragraph_ending_with_attribution(lex):
    pars = ["“The market is our biggest,” Daniel Mwangi told the Nairobi Ledger.",
            "The fair will bring new buyers to the region. Sales will be stronger, he said."]
    rows = run(lex, *pars)
    assert len(direct(rows)) == 1
    ind = [r for r in indirect(rows) if r.paragraph_id == 1]
    # the attribution reports its own sentence: the sentence before it may be the writer's
    assert [(r.speaker, r.text) for r in ind] == [("Daniel Mwangi", "Sales will be stronger")]


# --------------------------------------------------------------------------- robustness

ODD = [
    "She grew up in her parents’ kitchen, where the 1990s’ recipes were kept.",
    "“This quote never closes and the paragraph just ends",
    "This one closes” without ever opening, he said.",
    "He said '' and then nothing.",
    "\"\"\"",
    "“”",
    "",
    "«",
    "Mixed “marks\" and 'apostrophes' everywhere” and ‘more’.",
]


@pytest.mark.parametrize("par", ODD)
def test_never_crashes_and_keeps_rest(lex, par):
    rows = run(lex, par, "“We will win the vote next week,” Anna Petrova said.")
    assert any(r.paragraph_id == 1 and r.speaker == "Anna Petrova" for r in rows)
    for r in rows:
        p = [par, "“We will win the vote next week,” Anna Petrova said."][r.paragraph_id]
        assert spans_text(p, r)


def test_stray_apostrophes_make_no_quotes(lex):
    assert run(lex, "She grew up in her parents’ kitchen in the 1990s’ boom years.") == []


def test_scare_quotes_are_not_direct_quotes(lex):
    rows = run(lex, "Kenya and Ethiopia have charted a “green corridor” for their farmers.")
    assert direct(rows) == []


def test_titles_in_quotes_are_not_direct_quotes(lex):
    rows = direct(run(lex, "“We will win,” he said on KVX's “Morning Ledger.”"))
    assert [r.text for r in rows] == ["We will win,"]


def test_long_unattributed_quote_kept_without_speaker(lex):
    rows = direct(run(lex, "A banner read across the square all day. “Peace is the only road for our two nations.”"))
    assert len(rows) == 1 and rows[0].speaker == ""


def test_lexicon_pickles(lex):
    lex.verb_re  # compiled once
    again = pickle.loads(pickle.dumps(lex))
    assert again.verb_re.search("he said so")


# --------------------------------------------------------------------------- classes fixed in round 2

def test_pieces_of_one_sentence_are_one_quote(lex):
    par = ('Tomas Varga pledged "support" for common aims, a "warm and lasting" bond and a '
           '"frank and steady partnership" between the two river towns.')
    rows = direct(run(lex, par))
    assert len({r.quote_id for r in rows}) == 1
    assert all(r.speaker == "Tomas Varga" for r in rows)
    for r in rows:
        assert spans_text(par, r)


def test_second_verb_makes_its_own_quote(lex):
    rows = direct(run(lex, "Anna Petrova said she found him “very charming” and called his rise “unheard of.”"))
    assert len({r.quote_id for r in rows}) == 2
    assert {r.speaker for r in rows} == {"Anna Petrova"}


def test_words_quoted_as_words_are_no_quotes(lex):
    rows = direct(run(lex, "“We will not pay for it,” Anna Petrova said — a play on the phrase “pay for it.”"))
    assert [r.text for r in rows] == ["We will not pay for it,"]


def test_show_names_in_a_list_are_titles(lex):
    rows = direct(run(lex, "Petrova, who starred in “Harbor Lights” and “Keepers of the Lantern,” posted "
                           "the clip on Thursday."))
    assert rows == []


def test_verb_introducing_next_quote_is_not_trailing_attribution(lex):
    par = ('The guest praised "joint patrols along our shared river." He pledged "support" '
           'for common projects.')
    rows = direct(run(lex, par))
    first = [r for r in rows if r.text.startswith("joint")]
    assert first and first[0].cue != "pledged"


def test_typo_closing_mark(lex):
    rows = direct(run(lex, "Two engineers said the new bridge is “the finest in the province“ and the old one is "
                           "“the weakest on the coast.”"))
    assert not any(r.text.startswith("and the old one") for r in rows)


def test_inverted_speaker_ends_at_relative_clause(lex):
    par = ('"We have noticed a steady rise in ferry complaints," said a harbour official who was not authorized '
           'to brief reporters about the audit.')
    rows = direct(run(lex, par))
    assert rows and rows[0].speaker == "a harbour official"


def test_object_relative_clause_speaker(lex):
    rows = direct(run(lex, "The trade pact, which Anna Petrova had called a “disaster” last year, was renewed."))
    assert rows and rows[0].speaker == "Anna Petrova"


def test_pronoun_right_before_verb(lex):
    rows = run(lex, "Tomas Varga spoke in Lisbon.",
               "The talk echoed a March letter in which he stated that the scheme was “still unfamiliar” to him.")
    d = [r for r in direct(rows) if r.paragraph_id == 1]
    assert d and d[0].speaker == "Tomas Varga"


def test_quote_after_reported_speech_takes_its_speaker(lex):
    rows = direct(run(lex, "Nadia Dorrance, 41, moved here in 2009. Dorrance recalled how the winters were cold and "
                           "quiet. “And I thought, surely the lights will come back on.”"))
    assert rows and rows[0].speaker == "Nadia Dorrance"


def test_dateline_is_no_speaker(lex):
    rows = direct(run(lex, "WASHINGTON (AFP) – Democrat Anna Petrova has taken aim at her rival, saying that "
                           "“loud promises” rarely fix a budget."))
    assert rows and rows[0].speaker == "Anna Petrova"


def test_names_never_cross_a_sentence_end(lex):
    rows = run(lex, "Most voters moved to the Latinos. Thirty percent said the economy is the main reason.")
    assert all(". " not in r.speaker for r in rows)


def test_markup_attributes_are_no_quotes_or_verbs(lex):
    par = ('<tweet author="@someone" datetime="2016-09-01">Juno is now wearing a hat that says "KEEP THE TRAMS '
           'RUNNING LATE" for real — Some One (@someone) September 1, 2016</tweet>')
    rows = run(lex, par)
    assert not any(r.text in ("@someone", "2016-09-01") for r in rows)
    assert all(r.speaker != "2016" and r.cue != "tweet" for r in rows)


def test_verb_forms_used_as_nouns(lex):
    rows = run(lex, "Experts have discounted Pyongyang's claims about a “greater explosive yield” this year.")
    assert all(r.speaker != "Pyongyang" for r in rows)


def test_mis_decoded_names_stay_whole(lex):
    rows = direct(run(lex, "“Choose the road of cooperation,” urged Lena Ordu\u00c3\u00b1a Varga."))
    assert rows and rows[0].speaker == "Lena Ordu\u00c3\u00b1a Varga"


@pytest.mark.parametrize("space", [" ", "\u00a0"])
def test_channel_stops_at_the_outlet_name_whatever_the_space(lex, space):
    rows = run(lex, f"Anna Petrova told the Daily Courier{space}in an exclusive interview that exports will grow.")
    assert [(r.speaker, r.channel, r.kind) for r in rows] == [("Anna Petrova", "Daily Courier", "indirect")]


@pytest.mark.parametrize("paragraph, text", [
    ('“=HYPERLINK("http://x.example","click") is how we will pay,” Anna Petrova said.',
     '=HYPERLINK("http://x.example","click") is how we will pay,'),
    ('“We call it the "reform", and it works,” Anna Petrova said.', 'We call it the "reform", and it works,'),
    ('« The so-called “green corridor” is ours », Anna Petrova said.', 'The so-called “green corridor” is ours'),
    # straight marks in straight marks: glued after "(", "=", "," they open an inner quote
    ('"=HYPERLINK("http://x.example","click") is how we will pay," Anna Petrova said.',
     '=HYPERLINK("http://x.example","click") is how we will pay,'),
    ('"We said ("yes") and then we left," Anna Petrova said.', 'We said ("yes") and then we left,'),
])
def test_quote_inside_a_quote_stays_inside(lex, paragraph, text):
    rows = run(lex, paragraph)
    assert [(r.speaker, r.kind, r.text) for r in rows] == [("Anna Petrova", "direct", text)]


def test_straight_marks_glued_to_punctuation_still_close():
    from pipeline.quotes.marks import find_spans

    par = 'She called it "fake", then "no deal". "We want peace," she said, "and a deal."'
    assert [par[s.start:s.end] for s in find_spans(par)] == ["fake", "no deal", "We want peace,", "and a deal."]


def test_straight_mark_closes_a_curly_quote_when_no_curly_close_follows(lex):
    rows = run(lex, '“We will win the vote" Anna Petrova said on Monday.')
    assert [(r.speaker, r.text) for r in direct(rows)] == [("Anna Petrova", "We will win the vote")]


# --------------------------------------------------------------------------- long paragraphs (issue 13, item 15)

def test_a_report_ends_where_the_next_report_in_its_sentence_begins(lex):
    rows = run(lex, "Anna Petrova said that the harbour would reopen in May, Ivan Sidorov said that the grain "
                    "trade would wait for the autumn.")
    assert [(r.speaker, r.text) for r in indirect(rows)] == [
        ("Anna Petrova", "the harbour would reopen in May"),
        ("Ivan Sidorov", "the grain trade would wait for the autumn.")]


def test_reports_in_one_endless_sentence_do_not_nest(lex):
    """n reports in one clause gave n nested rows (n² characters, gigabytes for a long paragraph)."""
    par = "he said that the talks went well, she said that they did not, " * 200
    rows = indirect(run(lex, par))
    assert len(rows) == 400
    assert sum(len(r.text) for r in rows) < len(par)
    assert {r.text for r in rows} == {"the talks went well", "they did not"}


class _CountingPattern:
    """A compiled regex that adds the length of text its scans read (up to a search's match) to a box."""

    def __init__(self, pattern, box):
        self._p, self._box = pattern, box

    def __getattr__(self, name):
        return getattr(self._p, name)

    def search(self, string, pos=0, endpos=None):
        endpos = len(string) if endpos is None else min(endpos, len(string))
        m = self._p.search(string, pos, endpos)
        self._box[0] += (m.end() if m else endpos) - pos
        return m

    def finditer(self, string, pos=0, endpos=None):
        # read up to each match handed out, and to the end once the scan is exhausted
        endpos = len(string) if endpos is None else min(endpos, len(string))
        done = pos
        for m in self._p.finditer(string, pos, endpos):
            self._box[0] += m.end() - done
            done = m.end()
            yield m
        self._box[0] += endpos - done

    def findall(self, string, pos=0, endpos=None):
        endpos = len(string) if endpos is None else min(endpos, len(string))
        self._box[0] += endpos - pos
        return self._p.findall(string, pos, endpos)

    def sub(self, repl, string, count=0):
        self._box[0] += len(string)
        return self._p.sub(repl, string, count)

    def match(self, *args):
        return self._p.match(*args)

    def fullmatch(self, *args):
        return self._p.fullmatch(*args)


def _quote_stage_work(lex, text: str) -> int:
    """Operations of the quote stage on one paragraph: Python and C function calls, plus characters
    read by the stage's regex scans. No clock involved."""
    import re
    import sys

    from pipeline.quotes import document, extract as ex, marks, names, phrases, reported, speakers, stretches

    box = [0]
    saved = []
    for mod in (ex, marks, names, document, phrases, reported, speakers, stretches):
        for key, value in list(vars(mod).items()):
            if isinstance(value, re.Pattern):
                saved.append((mod, key, value))
                setattr(mod, key, _CountingPattern(value, box))

    def profile(frame, event, arg):
        if event in ("call", "c_call"):
            box[0] += 1

    sys.setprofile(profile)
    try:
        extract_quotes(article(text), entities=EntityResult(), lexicon=lex)
    finally:
        sys.setprofile(None)
        for mod, key, value in saved:
            setattr(mod, key, value)
    return box[0]


@pytest.mark.parametrize("unit", [
    '"Short words here," she said. ',                       # the paragraph of 6,000 quotes
    "“Talks will go on,” Anna Petrova said. ",
    "words run on,” she said, ",                             # no sentence break at all
    '"Open words and more, she said ',                       # unbalanced marks
    "he said that the talks went well, she said that they did not, ",
    "and the minister, who said the talks went on, told the council that ",
    "a \"b\" c “d” e «f» g ''h'' i ‘j’ k ",
])
def test_quote_stage_work_grows_linearly_with_paragraph_length(lex, unit):
    """Four times the paragraph, about four times the work (it was 8-16 times: quadratic)."""
    small, large = _quote_stage_work(lex, unit * 100), _quote_stage_work(lex, unit * 400)
    assert large / small < 5, (small, large)


@pytest.mark.parametrize("sentence, speaker, content", [
    # a short clause after the verb is the reported speech, not an inverted speaker
    ("Jane Roe, a banker, said the firm would grow.", "Jane Roe", "the firm would grow"),
    ("Ivan Petrov, head of Lumen, a software company, said prices were rising.", "Ivan Petrov", "prices were rising"),
    # ... while a relative clause on an inverted speaker keeps the inversion
    ("Freight rates will rise, said the harbour board, which was founded in 1900.", "the harbour board",
     "Freight rates will rise"),
    ("The director of the port board, Ina Kirsch, said the group hired the lobbyists on its own.", "Ina Kirsch",
     "the group hired the lobbyists on its own"),
    # a subject after a subordinator
    ("Roe had a strong hour, denouncing the board after Ivan Petrov said he is open to a deal with the union.",
     "Ivan Petrov", "he is open to a deal with the union"),
])
def test_indirect_subject_or_inversion(lex, sentence, speaker, content):
    rows = [r for r in run(lex, sentence) if r.kind == "indirect"]
    assert len(rows) == 1
    assert rows[0].speaker == speaker
    assert rows[0].text.rstrip(".") == content
