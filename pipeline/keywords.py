"""Keyword stage (YAKE). Owner: keywords work (issue 4, engine switch of issue 6).

Public API used by pipeline.process / pipeline.build:
    KeywordSettings (validated settings)
    article_keywords(article: ArticleText, *, settings: KeywordSettings, entities=None) -> list[KeywordRow]   # article + section level
    fit_keywords_to_names(scored, paragraphs, spans, *, names, persons, max_words)  # no cut names (issue 15)
    corpus_keywords(rows: list[KeywordRow], *, top_n: int) -> list[KeywordRow]
    CorpusKeywords (the same, tallied as the articles arrive: .add(rows), .top(n))
    extract(text_units, *, settings, top_n) -> list[(keyword, score)]   # the one YAKE wrapper

How it works (details in docs/keywords-topics.md):
  1. The article is turned into clean YAKE input: title, standfirst, headings and paragraphs each
     become sentences of their own (a final "." is added when missing, so no candidate runs across
     two lines), curly quotes and apostrophes are normalised, a possessive "'s" ends a phrase, and
     credit lines that slipped through the structure stage are skipped.
  2. The engine (``yake`` = the reference Python package, ``yake-rust`` = the Rust port) scores
     candidates with its own de-duplication switched off and returns a pool of the best ones.
  3. This module de-duplicates the pool itself (same code for both engines) and drops excluded
     phrases (``data/keywords_exclude.txt``). The default method, ``tokens``, merges name variants
     (``Vladimir Putin`` / ``President Vladimir Putin`` / ``Russian President Vladimir``) that
     YAKE's own string-similarity de-duplication keeps apart.
"""
from __future__ import annotations

import difflib
import importlib.util
import heapq
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from pipeline.records import ArticleText, EntityResult, KeywordRow

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

ENGINES = ("yake", "yake-rust")
DEDUP_METHODS = ("tokens", "seqm", "levs", "jaro", "none")
# Stopword lists both engines ship (yake's core/StopwordsList, minus the language-less list).
# yake-rust panics (PanicException) on any other code, so settings reject it first.
LANGUAGES = (
    "ar", "bg", "br", "cz", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "hi", "hr", "hu",
    "hy", "id", "it", "ja", "lt", "lv", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "tr",
    "uk", "zh",
)
MAX_NGRAM_LIMIT = 6
MAX_WINDOW_SIZE = 10
MAX_TOP_N = 1000


def _check_int(name: str, value, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"KeywordSettings.{name} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"KeywordSettings.{name} must be between {low} and {high}, got {value!r}")


@dataclass(frozen=True)
class KeywordSettings:
    """Explicit, validated YAKE settings; the same for both engines.

    language         ISO 639-1 code of a stopword list both engines ship (see LANGUAGES)
    max_ngram        longest keyword, in words (YAKE's ``n`` / yake-rust's ``ngrams``)
    top_n            article-level keywords kept per article
    section_top_n    section-level keywords kept per section
    dedup_threshold  a candidate whose similarity to a better one is >= this is a duplicate, in (0, 1]
    dedup_method     tokens (default: word-set overlap + name containment) | seqm | levs | jaro | none
    window_size      co-occurrence window (YAKE's ``window_size``; 0.7 ignores the old ``windowsSize``)
    engine           yake-rust (default, ~7x faster) | yake (the reference implementation)
    data_dir         folder holding keywords_stopwords_<language>.txt / keywords_exclude.txt
                     ("" = the project's data/)
    """

    language: str = "en"
    max_ngram: int = 3
    top_n: int = 10
    section_top_n: int = 5
    dedup_threshold: float = 0.6
    dedup_method: str = "tokens"
    window_size: int = 1
    engine: str = "yake-rust"
    data_dir: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.language, str) or self.language not in LANGUAGES:
            raise ValueError(
                f"KeywordSettings.language must be one of {', '.join(LANGUAGES)}; got {self.language!r}")
        _check_int("max_ngram", self.max_ngram, 1, MAX_NGRAM_LIMIT)
        _check_int("top_n", self.top_n, 1, MAX_TOP_N)
        _check_int("section_top_n", self.section_top_n, 0, MAX_TOP_N)
        _check_int("window_size", self.window_size, 1, MAX_WINDOW_SIZE)
        t = self.dedup_threshold
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0.0 < float(t) <= 1.0:
            raise ValueError(f"KeywordSettings.dedup_threshold must be a number in (0, 1], got {t!r}")
        if self.dedup_method not in DEDUP_METHODS:
            raise ValueError(
                f"KeywordSettings.dedup_method must be one of {', '.join(DEDUP_METHODS)}; got {self.dedup_method!r}")
        if self.engine not in ENGINES:
            raise ValueError(f"KeywordSettings.engine must be one of {', '.join(ENGINES)}; got {self.engine!r}")
        if not isinstance(self.data_dir, str):
            raise ValueError(f"KeywordSettings.data_dir must be a path string, got {self.data_dir!r}")
        if self.data_dir and not Path(self.data_dir).is_dir():
            raise ValueError(f"KeywordSettings.data_dir is not a directory: {self.data_dir!r}")


# --------------------------------------------------------------------------- reference data

def _read_list(path: Path) -> list[str]:
    """One entry a line; '#' starts a comment; blank lines ignored."""
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def yake_stopwords_path(language: str) -> Path:
    """The stopword list both engines use, as the reference package ships it."""
    # Found without importing the package (an import costs a few hundred milliseconds in every
    # worker process).
    spec = importlib.util.find_spec("yake")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("the `yake` package is not installed; it provides the stopword lists")
    return Path(list(spec.submodule_search_locations)[0]) / "core" / "StopwordsList" / f"stopwords_{language}.txt"


def _yake_stopwords(language: str) -> set[str]:
    path = yake_stopwords_path(language)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = path.read_text(encoding="ISO-8859-1")
    return {w.strip() for w in text.lower().split("\n") if w.strip()}


@dataclass(frozen=True)
class KeywordLexicon:
    """The keyword stage's word lists, loaded once (they travel with the other reference data)."""

    stopwords: frozenset[str]    # YAKE's list + the additions
    breakers: frozenset[str]     # the additions: never inside a keyword either ("Beijing on Thursday")
    exclude: frozenset[str]      # normalised phrases never reported as keywords


def lexicon_file_names(language: str) -> tuple[str, str]:
    """The project's own lists in a keyword data folder: added stopwords, excluded phrases."""
    return f"keywords_stopwords_{language}.txt", "keywords_exclude.txt"


def load_keyword_lexicon(data_dir: Path, language: str) -> KeywordLexicon:
    stopwords_file, exclude_file = lexicon_file_names(language)
    added = {w.lower() for w in _read_list(data_dir / stopwords_file)}
    exclude = {_norm_phrase(p) for p in _read_list(data_dir / exclude_file)}
    return KeywordLexicon(frozenset(_yake_stopwords(language) | added), frozenset(added), frozenset(exclude))


@lru_cache(maxsize=8)
def _lexicon(language: str, data_dir: str) -> KeywordLexicon:
    return load_keyword_lexicon(Path(data_dir) if data_dir else DEFAULT_DATA_DIR, language)


# --------------------------------------------------------------------------- engines

class _Engine:
    """Scores candidates with engine-side de-duplication off; returns (keyword, score) best first."""

    def __init__(self, settings: KeywordSettings, stopwords: frozenset[str]):
        self.name = settings.engine
        if settings.engine == "yake-rust":
            import yake_rust

            self._rust = yake_rust.Yake(
                stopwords=set(stopwords), ngrams=settings.max_ngram, window_size=settings.window_size,
                remove_duplicates=False,
            )
        else:
            import yake

            # dedup_lim >= 1.0 would make yake return lower-cased keywords; just below 1.0 it keeps
            # the surface form and merges only identical strings (we de-duplicate ourselves).
            self._py = yake.KeywordExtractor(
                lan=settings.language, n=settings.max_ngram, dedup_lim=0.999, dedup_func="seqm",
                window_size=settings.window_size, top=20, stopwords=set(stopwords),
            )

    def best(self, text: str, n: int) -> list[tuple[str, float]]:
        if not text.strip() or n <= 0:
            return []
        # yake-rust's last digits vary between calls (see "Engine noise" below): scores are rounded
        # to 10 significant digits and ties broken by keyword. The engine ranks by its raw scores, so
        # it is asked for a few more candidates than needed and the list is cut after that sort:
        # candidates whose raw scores differ only by that noise at the cut no longer decide which of
        # them is returned.
        try:
            raw = self._raw(engine_text(text), n + POOL_MARGIN)
        except _EnginePanic:
            # engine_text's breaks end a sentence for segtok but in odd cases (an unclosed bracket
            # next to a short sentence can join two): cut ten times finer
            try:
                raw = self._raw(engine_text(text, ENGINE_RUN_CHARS // 10), n + POOL_MARGIN)
            except _EnginePanic as exc:
                raise RuntimeError(f"keyword engine {self.name} failed on a text of {len(text)} "
                                   f"characters: {exc}") from None
        scored = [(k, float(f"{float(s):.10g}")) for k, s in raw]
        scored.sort(key=lambda ks: (ks[1], ks[0].casefold(), ks[0]))
        return scored[:n]

    def _raw(self, text: str, n: int) -> list[tuple[str, float]]:
        try:
            if self.name == "yake-rust":
                return self._rust.get_n_best(text, n=n)
            self._py.config["top"] = n
            return self._py.extract_keywords(text)
        except Exception:
            raise
        except BaseException as exc:
            # A Rust panic reaches Python as pyo3's PanicException, a BaseException that an
            # ``except Exception`` (a build's per-article guard) would let through.
            if type(exc).__name__ != "PanicException":
                raise
            raise _EnginePanic(str(exc)[:200]) from None


class _EnginePanic(RuntimeError):
    """The engine panicked (pyo3's PanicException, turned into an ordinary exception)."""


@lru_cache(maxsize=8)
def _engine(settings: KeywordSettings, stopwords: frozenset[str]) -> _Engine:
    return _Engine(settings, stopwords)


# Candidates asked of the engine beyond the pool (see _Engine.best).
POOL_MARGIN = 10

# Engine noise. yake-rust (1.2) computes the mean and standard deviation of the non-stopword term
# frequencies with a running (Welford) algorithm over a hash map whose iteration order is random in
# every call (Rust's hash maps are randomly seeded; PYTHONHASHSEED plays no part). Every term's
# normalised frequency divides by their sum, so all scores of a text move together by a few units in
# the last place from one call to the next. Nothing outside the engine can take that out: a rounded
# value still flips when the exact score lies within that noise of a rounding boundary (about once
# in 10^5-10^6 scores). The `yake` engine computes the same statistics in text order with numpy and
# gives the same bits in every run.

# ---------------------------------------------------------------------------- what the engine reads
#
# Both engines split the text into sentences with segtok and tokenise each sentence with a regex;
# yake-rust's regex engine gives up (and the Rust code panics: "BacktrackLimitExceeded") on a
# sentence of some 130,000-300,000 characters, less for one long token. segtok ends a sentence only
# at a sentence mark glued to a word and followed by space ("word. Next"), and then not always (an
# abbreviation before it, a lower-case word after it); the " ." that clean_units adds to a line, and
# line breaks, end none. So a long stretch without such an ending (a run of words without
# punctuation, thousands of short title-like lines, one long token) is cut for the engine: every
# stretch of more than ENGINE_RUN_CHARS characters between sentence endings is broken at a space at
# least every ENGINE_RUN_CHARS characters by ENGINE_BREAK, a blank line and a lone dash. segtok
# always ends a sentence at a blank line unless the text after it starts with a lower-case word
# (which it then joins to the sentence before), and a dash is no word: a punctuation token, which
# neither engine counts or lets into a keyword. A token longer than ENGINE_TOKEN_CHARS is first cut
# into pieces separated by spaces (no keyword is that long). Ordinary text has a sentence ending
# every few hundred characters and reaches the engine unchanged.
ENGINE_RUN_CHARS = 20_000
ENGINE_TOKEN_CHARS = 5_000
ENGINE_BREAK = "\n\n- "
# "word. Next", "word!\" Next": where segtok ends a sentence (its abbreviation list aside)
_SENTENCE_END = re.compile(r"[^\W\d_]{3}[.!?]+[\"')\]]*\s+[\"'(\[]?[A-Z]")
_LONG_TOKEN = re.compile(r"\S{%d,}" % (ENGINE_TOKEN_CHARS + 1))
_SPACES_AFTER_WORD = re.compile(r"(?<=\w)\s+")
_ANY_SPACES = re.compile(r"\s+")


def engine_text(text: str, run: int = ENGINE_RUN_CHARS) -> str:
    """``text`` as the engine reads it: unchanged unless it has a stretch of more than ``run``
    characters without a sentence ending (see above)."""
    if len(text) <= run:
        return text
    if _LONG_TOKEN.search(text):
        text = _LONG_TOKEN.sub(lambda m: " ".join(m.group()[i:i + ENGINE_TOKEN_CHARS]
                                                  for i in range(0, len(m.group()), ENGINE_TOKEN_CHARS)), text)
    out: list[str] = []
    done = 0                 # text[:done] is in out
    last = 0                 # where the current stretch began
    for end in [*(m.end() - 1 for m in _SENTENCE_END.finditer(text)), len(text)]:
        while end - last > run:
            cut_start, cut_end = _cut_in(text, last + run // 2, last + run)
            out.append(text[done:cut_start])
            out.append(ENGINE_BREAK)
            done = last = cut_end
        last = end
    out.append(text[done:])
    return "".join(out)


def _cut_in(text: str, lo: int, hi: int) -> tuple[int, int]:
    """The spaces to replace by ENGINE_BREAK in text[lo:hi]: the last ones after a letter or digit
    (after a full stop segtok might take the word before for an abbreviation), else the last ones
    (there are some: tokens are shorter than the window)."""
    for pattern in (_SPACES_AFTER_WORD, _ANY_SPACES):
        found = None
        for found in pattern.finditer(text, lo, hi):
            pass
        if found is not None:
            return found.start(), found.end()
    return hi, hi


# --------------------------------------------------------------------------- clean YAKE input

_DQUOTES = re.compile(r"[“”„‟«»″]")
_OPEN_SQUOTE = re.compile(r"[‘‛‚]")
# The next three start with the quote mark and look back after it: the same matches as
# (?<=\w)[’ʼ′`](?=\w), (?<=\w)'s\b|(?<=s)'(?=\s|$) and (?<!\w)'|'(?!\w), but the regex engine then
# jumps from quote mark to quote mark instead of trying a lookbehind at every character (5-40x faster).
_APOS_IN_WORD = re.compile(r"[’ʼ′`](?<=\w.)(?=\w)")
_CLOSE_SQUOTE = re.compile(r"[’ʼ′]")
_POSSESSIVE = re.compile(r"'(?:(?<=\w')s\b|(?<=s')(?=\s|$))", re.I)
_QUOTE_TOKEN = re.compile(r"'(?:(?<!\w.)|(?!\w))")
_DASH = re.compile(r"[ \t]*[—―][ \t]*|[ \t]+[–-][ \t]+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_FINAL = re.compile(r"[.!?…][\"')\]]*$")
_CREDIT = re.compile(
    r"^\(?\s*(photo|photos|image|images|picture|video|graphic|illustration|caption|source|sources|"
    r"excerpts?|credits?|courtesy|file photo|reporting by|editing by|writing by)\s*[:：|]", re.I)
_WORD = re.compile(r"\w[\w'&.-]*\w|\w")


def clean_units(units: Sequence[str]) -> list[str]:
    """Lines (title, headings, paragraphs) as YAKE should read them, each a sentence of its own.

    The substitutions run once over all lines joined, not once per line; a credit line that
    slipped through the structure stage comes back empty.
    """
    lines = [" ".join(u.split()) if u and not _is_credit(u) else "" for u in units]
    text = "\n".join(lines)
    if not text.isascii():
        text = _DQUOTES.sub('"', text)
        text = _OPEN_SQUOTE.sub('"', text)
        text = _APOS_IN_WORD.sub("'", text)
        text = _CLOSE_SQUOTE.sub('"', text)              # a ’ not between letters closes a quote
    if "'" in text:
        text = _POSSESSIVE.sub(" ,", text)               # "Putin's China visit" -> "Putin , China visit"
        text = _QUOTE_TOKEN.sub('"', text)               # stray straight single quotes are quotes
    text = _DASH.sub(" - ", text).replace("–", "-").replace("…", "...")
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if line and not _FINAL.search(line):
            line = line.rstrip(":;,") + " ."
        out.append(line)
    return out


def clean_unit(text: str) -> str:
    """One line as YAKE should read it (see clean_units)."""
    return clean_units([text])[0]


def _is_credit(text: str) -> bool:
    return len(text) < 120 and bool(_CREDIT.match(text.strip()))


def _looks_headline_cased(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 6 and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", text) if len(w) >= 4]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) / len(words) >= 0.8


def _body_spellings(words: set[str], body: str) -> dict[str, str]:
    """lower-case word -> its most frequent mid-sentence spelling in the body (only ``words``)."""
    counts: dict[str, Counter] = {}
    if not words:
        return {}
    for m in _WORD.finditer(body):
        w = m.group()
        low = w.lower()
        if low not in words:
            continue
        before = body[max(0, m.start() - 3):m.start()].rstrip(" \"'“‘(")
        if not before or before[-1] in ".!?…:\n":
            continue  # sentence-initial: its capital says nothing
        counts.setdefault(low, Counter())[w] += 1
    return {k: c.most_common(1)[0][0] for k, c in counts.items()}


def _recase(lines: list[str], body: str) -> list[str]:
    """Title Case / ALL CAPS lines re-cased like the body, so their words do not pose as names.

    A word keeps the spelling the body gives it mid-sentence; a word the body never uses there is
    lower-cased. Lines that are not headline-cased are returned unchanged.
    """
    todo = [i for i, line in enumerate(lines) if line and _looks_headline_cased(line)]
    if not todo:
        return lines
    words = {m.group().lower() for i in todo for m in _WORD.finditer(lines[i])}
    spelling = _body_spellings(words, body)
    out = list(lines)
    for i in todo:
        fixed = _WORD.sub(lambda m: spelling.get(m.group().lower(), m.group().lower()), lines[i])
        out[i] = fixed[:1].upper() + fixed[1:]
    return out


def _units_text(units: Iterable[str]) -> str:
    return "\n".join(u for u in clean_units(list(units)) if u)


# --------------------------------------------------------------------------- de-duplication

_TOKEN_EDGE = "\"'.,;:!?()[]{}"


def _norm_phrase(text: str) -> str:
    return " ".join(text.casefold().split())


def _norm_token(tok: str) -> str:
    t = tok.casefold().strip(_TOKEN_EDGE)
    if len(t) > 3 and t.endswith("s") and not t.endswith("ss"):
        t = t[:-1]
    return t


class _Cand:
    __slots__ = ("kw", "key", "words", "tokens", "is_name")

    def __init__(self, kw: str, stopwords: frozenset[str]):
        self.kw = kw
        self.key = _norm_phrase(kw)
        self.words = [w.casefold().strip(_TOKEN_EDGE) for w in kw.split()]
        content = [w for w, low in zip(kw.split(), self.words) if low and low not in stopwords]
        self.tokens = frozenset(t for t in (_norm_token(w) for w in content) if t)
        self.is_name = bool(content) and all(w[:1].isupper() or w[:1].isdigit() for w in content)


def _sim_tokens(a: _Cand, b: _Cand) -> float:
    """Content-word similarity: overlap coefficient between phrases; a word inside a name is 1."""
    inter = len(a.tokens & b.tokens)
    if not inter:
        return 0.0
    la, lb = len(a.tokens), len(b.tokens)
    if la > 1 and lb > 1:
        return inter / min(la, lb)
    if la == lb == 1:
        return 1.0  # same normalised word (case or plural variant)
    longer = a if la > lb else b
    return 1.0 if longer.is_name else inter / len(a.tokens | b.tokens)


def _sim_string(method: str, a: _Cand, b: _Cand) -> float:
    x, y = a.key, b.key
    if x == y:
        return 1.0
    if method == "seqm":
        return difflib.SequenceMatcher(None, x, y).ratio()
    import jellyfish  # a dependency of yake

    if method == "jaro":
        return jellyfish.jaro_similarity(x, y)
    return 1.0 - jellyfish.levenshtein_distance(x, y) / max(len(x), len(y))  # levs


def deduplicate(scored: Iterable[tuple[str, float]], *, method: str, threshold: float, top_n: int,
                exclude: frozenset[str] = frozenset(), stopwords: frozenset[str] = frozenset(),
                breakers: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
    """Keep the best of each group of near-duplicates, best first, at most ``top_n``.

    A candidate is dropped when its similarity to any earlier candidate that was kept *or merged*
    is >= threshold; merged candidates stay in their group, so ``Russian President Vladimir`` joins
    ``Putin`` through ``President Vladimir Putin``. Case variants are always one keyword.
    Candidates in ``exclude`` or holding a word of ``breakers`` are dropped; ``stopwords`` are
    ignored when comparing (``China and Russia`` is a duplicate of ``China``).
    """
    kept: list[tuple[str, float]] = []
    seen_keys: set[str] = set()
    members: list[_Cand] = []
    for kw, score in scored:
        cand = _Cand(kw, stopwords)
        if (not cand.tokens or cand.key in exclude or cand.key in seen_keys
                or any(w in breakers for w in cand.words)):
            seen_keys.add(cand.key)
            continue
        seen_keys.add(cand.key)
        dup = False
        if method != "none":
            for other in members:
                s = _sim_tokens(cand, other) if method == "tokens" else _sim_string(method, cand, other)
                if s >= threshold:
                    dup = True
                    break
        members.append(cand)
        if not dup:
            kept.append((kw, score))
            if len(kept) >= top_n:
                break
    return kept


# --------------------------------------------------------------------------- names (issue 15, item 6)
#
# YAKE knows no names: its n-grams stop at max_ngram words or a stopword, so a name of four words
# comes out cut ("Prime Minister Lena" for "... Lena Marsh", "Northern Accord" for "Northern Accord
# on Fisheries and Ports", "United" for "United States"). The entity stage's
# mentions say where the names are in each paragraph; fit_keywords_to_names uses them:
#   * every occurrence of a candidate in the paragraphs is classified: it IS a mention (exactly a
#     mention's words -> that entity), it cuts a mention (starts or ends inside one: extended to the
#     whole name), capitalised words just before or in front of a person's name are a title (->
#     the person), or none of these (plain);
#   * the candidate takes the commonest outcome of its occurrences (ties: the earliest): plain ->
#     unchanged, entity -> the entity's canonical name ("U.S." / "US" / "United States" -> one
#     keyword), extended -> the full name (the canonical name when the extension is a mention);
#     a result longer than max_words is dropped (an entity first falls back to its name as
#     written). A candidate found in no paragraph (only in a title) is unchanged.
# Rewritten candidates keep their score and place; de-duplication then drops a later candidate of
# the same text. Words are compared case-folded, split like _NAME_TOKEN (a hyphen, a possessive
# "'s" split words; "U.S." and "U.S" are one word).

# Words a name may have beyond the keyword's max n-gram when a cut keyword is extended to it.
NAME_EXTRA_WORDS = 3
_NAME_TOKEN = re.compile(r"\w+(?:[.&]\w+|['’](?![sS]\b)\w+)*")


@dataclass(frozen=True)
class NameSpan:
    """A name the entity stage found: characters [start, end) of its paragraph, and its entity."""
    start: int
    end: int
    entity_id: str


def _name_tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().casefold().replace("’", "'"), m.start(), m.end()) for m in _NAME_TOKEN.finditer(text)]


def _fold(text: str) -> str:
    return text.casefold().replace("’", "'")


class _NameIndex:
    """One article's paragraphs and the names in them (built once per article).

    Only a candidate with a word inside a name, or whose last word comes just before a name, can
    touch one; the others are left alone without being looked for. Only such words are indexed,
    and a paragraph's word offsets are found only when a candidate occurs in it next to names.
    """

    def __init__(self, paragraphs: Sequence[str], spans: Sequence[Sequence[NameSpan]]):
        self.paragraphs = paragraphs
        self.raw_spans = [list(spans[p]) if p < len(spans) else [] for p in range(len(paragraphs))]
        self.name_words: set[str] = set()     # words inside names
        self.before_words: set[str] = set()   # the word just before a name
        # per paragraph: its name words and the last word before each of its names
        self.near: list[tuple[set[str], set[str]]] = []
        folded = [_fold(text) for text in paragraphs]
        for p, low in enumerate(folded):
            inside: set[str] = set()
            last: set[str] = set()
            for span in self.raw_spans[p]:
                inside.update(_NAME_TOKEN.findall(low, span.start, span.end))
                before = _NAME_TOKEN.findall(low, max(0, span.start - 40), span.start)
                if before:
                    last.add(before[-1])
            self.near.append((inside, last))
            self.name_words |= inside
            self.before_words |= last
        keys = self.name_words | self.before_words
        self.words: list[list[str]] = []
        self.where: dict[str, list[tuple[int, int]]] = {}      # indexed word -> (paragraph, word index)
        for p, (text, low) in enumerate(zip(paragraphs, folded)):
            words = (_NAME_TOKEN.findall(low) if len(low) == len(text)
                     else [w for w, _, _ in _name_tokens(text)])
            self.words.append(words)
            if keys:
                for i, w in enumerate(words):
                    if w in keys:
                        self.where.setdefault(w, []).append((p, i))
        self.folded = folded
        self._layout: dict[int, list[tuple[int, int, str]]] = {}
        self._offsets: dict[int, list[tuple[int, int]]] = {}
        # keyword -> its occurrences with their outcomes (the article and its sections share them)
        self._seen: dict[tuple[str, frozenset[str]], list[tuple[int, tuple[str, str, str]]] | None] = {}

    def layout(self, p: int) -> list[tuple[int, int, str]]:
        """Paragraph p's names as word ranges (first word, end word, entity_id)."""
        got = self._layout.get(p)
        if got is None:
            text, low = self.paragraphs[p], self.folded[p]
            spans = self.raw_spans[p]
            if len(low) != len(text):
                low = text
            # words before each name boundary, counted between boundaries (names start and end at
            # word boundaries)
            upto: dict[int, int] = {}
            n = prev = 0
            for b in sorted({x for span in spans for x in (span.start, span.end)}):
                n += len(_NAME_TOKEN.findall(low, prev, b))
                upto[b] = n
                prev = b
            got = [(upto[span.start], upto[span.end], span.entity_id) for span in spans
                   if upto[span.start] < upto[span.end]]
            self._layout[p] = got
        return got

    def offsets(self, p: int) -> list[tuple[int, int]]:
        """Paragraph p's words as (start, end) characters (only needed when a name is cut)."""
        got = self._offsets.get(p)
        if got is None:
            got = self._offsets[p] = [m.span() for m in _NAME_TOKEN.finditer(self.paragraphs[p])]
        return got

    def occurrences(self, words: list[str], paragraphs: frozenset[int] | None) -> list[tuple[int, int, int]]:
        """(paragraph, first word, end word) of each occurrence of the words."""
        where = self.where
        for k, w in enumerate(words):
            if w in where:
                break
        else:
            return []
        out = []
        n = len(words)
        for p, at in self.where[words[k]]:
            if paragraphs is not None and p not in paragraphs:
                continue
            i = at - k
            if i >= 0 and self.words[p][i:i + n] == words:
                out.append((p, i, i + n))
        return out

    def outcome(self, words: list[str], caps: list[bool], p: int, i: int, j: int,
                persons: frozenset[str]) -> tuple[str, str, tuple[int, int, int] | None]:
        """What words [i, j) of paragraph p are: (kind, value, where) with kind "plain" (no name
        cut), "entity" (value: its id) or "text" (value: the whole name they cut); where =
        (p, first word, end word) of the words extended to whole names. ``caps``: whether each
        of the keyword's words is capitalised."""
        inside, last = self.near[p]
        if not inside.intersection(words) and words[-1] not in last:
            return "plain", "", None                          # no name of this paragraph is near
        ranges = self.layout(p)
        text = self.paragraphs[p]
        for a, b, eid in ranges:
            if a == i and b == j:
                return "entity", eid, None
        lo, hi = i, j
        changed = True
        while changed:                  # mentions may overlap: extend until no mention is cut
            changed = False
            for a, b, _ in ranges:
                if a < hi and b > lo and (a < lo or b > hi):
                    lo, hi, changed = min(lo, a), max(hi, b), True
        where = (p, lo, hi)
        if (lo, hi) != (i, j):
            for a, b, eid in ranges:
                if a == lo and b == hi:
                    return "entity", eid, where
        for a, b, eid in ranges:
            # capitalised words before a person's name ("Prime Minister", "Treasury Secretary"), with
            # the name or cut just before it: a title, which stands for the person
            if (b == hi and lo < a or a == hi) and eid in persons and all(
                    caps[k - i] if i <= k < j else self.capitalised(p, k) for k in range(lo, min(a, hi))):
                return "entity", eid, where
        if (lo, hi) == (i, j):
            return "plain", "", None
        return "text", self.surface(where), where

    def capitalised(self, p: int, k: int) -> bool:
        return self.paragraphs[p][self.offsets(p)[k][0]].isupper()

    def surface(self, where: tuple[int, int, int]) -> str:
        """Words [lo, hi) of paragraph p as written (spaces normalised)."""
        p, lo, hi = where
        toks = self.offsets(p)
        return " ".join(self.paragraphs[p][toks[lo][0]:toks[hi - 1][1]].split())

    def fit(self, scored: Sequence[tuple[str, float]], *, names: dict[str, str], max_words: int,
            persons: frozenset[str] = frozenset(),
            paragraphs: frozenset[int] | None = None) -> list[tuple[str, float]]:
        return list(self.fitted(scored, names=names, max_words=max_words, persons=persons, paragraphs=paragraphs))

    def fitted(self, scored: Iterable[tuple[str, float]], *, names: dict[str, str], max_words: int,
               persons: frozenset[str] = frozenset(),
               paragraphs: frozenset[int] | None = None) -> Iterator[tuple[str, float]]:
        """fit, one candidate at a time (de-duplication stops reading once it has its top N)."""
        seen = self._seen
        for kw, score in scored:
            key = (kw, persons)
            if key in seen:
                found = seen[key]
            else:
                words = _NAME_TOKEN.findall(_fold(kw))
                if words and (words[-1] in self.before_words or self.name_words.intersection(words)):
                    caps = [w[:1].isupper() for w in _NAME_TOKEN.findall(kw)]
                    if len(caps) != len(words):
                        caps = [False] * len(words)
                    found = [(p, self.outcome(words, caps, p, i, j, persons))
                             for p, i, j in self.occurrences(words, None)] or None
                else:
                    found = None                              # touches no name
                seen[key] = found
            if found is not None and paragraphs is not None:
                found = [o for o in found if o[0] in paragraphs] or None
            if found is None or all(o[1][0] == "plain" for o in found):
                yield kw, score
                continue
            votes: Counter = Counter()
            wheres: dict[tuple[str, str], tuple[int, int, int] | None] = {}
            for _, (kind, value, where) in found:
                votes[kind, value] += 1
                wheres.setdefault((kind, value), where)
            (kind, value), _ = votes.most_common(1)[0]      # ties: the earliest occurrence's
            if kind == "plain":
                yield kw, score
                continue
            # the canonical name, else the name as written; dropped when longer than max_words
            for name in (names.get(value, "") if kind == "entity" else "", None):
                if name is None:
                    where = wheres[kind, value]
                    name = self.surface(where) if where is not None else kw
                if name and len(name.split()) <= max_words:
                    yield name, score
                    break


def fit_keywords_to_names(scored: Sequence[tuple[str, float]], paragraphs: Sequence[str],
                          spans: Sequence[Sequence[NameSpan]], *, names: dict[str, str] | None = None,
                          persons: frozenset[str] = frozenset(),
                          max_words: int = 3 + NAME_EXTRA_WORDS) -> list[tuple[str, float]]:
    """Keyword candidates (best first) that neither start nor end inside a name (see above).

    ``spans[p]``: the names in ``paragraphs[p]``; ``names``: entity_id -> canonical name;
    ``persons``: entities a title may precede (``Prime Minister <name>`` -> the person);
    ``max_words``: longest full name a cut keyword is extended to (else it is dropped).
    Pure; the order and scores of the candidates are kept.
    """
    return _NameIndex(paragraphs, spans).fit(scored, names=names or {}, persons=persons, max_words=max_words)


def _name_index(article: ArticleText,
                entities: EntityResult) -> tuple[_NameIndex, dict[str, str], frozenset[str]]:
    spans: list[list[NameSpan]] = [[] for _ in article.paragraphs]
    for m in entities.mentions:
        if 0 <= m.paragraph_id < len(spans):
            spans[m.paragraph_id].append(NameSpan(m.char_start, m.char_end, m.entity_id))
    names = {e.entity_id: e.name for e in entities.entities if e.name}
    persons = frozenset(e.entity_id for e in entities.entities if e.type == "person")
    return _NameIndex(article.paragraphs, spans), names, persons


# --------------------------------------------------------------------------- the wrapper

def _pool_size(top_n: int) -> int:
    return 4 * top_n + 10


def _run(text: str, *, settings: KeywordSettings, top_n: int, outlet: str,
         lex: KeywordLexicon | None = None,
         names: tuple[_NameIndex, dict[str, str], frozenset[str], frozenset[int] | None] | None = None,
         ) -> list[tuple[str, float]]:
    if top_n <= 0 or not text:
        return []
    lex = lex or _lexicon(settings.language, settings.data_dir)
    exclude = lex.exclude | ({_norm_phrase(outlet)} if outlet else frozenset())
    pool = _engine(settings, lex.stopwords).best(text, _pool_size(top_n))
    if names is not None:
        index, canonical, persons, paragraphs = names
        pool = index.fitted(pool, names=canonical, persons=persons,
                            max_words=settings.max_ngram + NAME_EXTRA_WORDS, paragraphs=paragraphs)
    return deduplicate(pool, method=settings.dedup_method, threshold=float(settings.dedup_threshold),
                       top_n=top_n, exclude=exclude, stopwords=lex.stopwords, breakers=lex.breakers)


def extract(units: Sequence[str], *, settings: KeywordSettings, top_n: int | None = None,
            outlet: str = "") -> list[tuple[str, float]]:
    """The keyword wrapper: YAKE on text units (title, headings, paragraphs; each a sentence of its
    own) with ``settings``; de-duplicated (keyword, score), best (lowest score) first."""
    n = settings.top_n if top_n is None else top_n
    return _run(_units_text(units), settings=settings, top_n=n, outlet=outlet)


def _rows(level: str, article_id: str, section_id: str, scored: list[tuple[str, float]]) -> list[KeywordRow]:
    return [KeywordRow(level, article_id, section_id, kw, score, rank)
            for rank, (kw, score) in enumerate(scored, start=1)]


def article_keywords(article: ArticleText, *, settings: KeywordSettings,
                     lexicon: KeywordLexicon | None = None,
                     entities: EntityResult | None = None) -> list[KeywordRow]:
    """Article-level rows (section_id "") then section-level rows, rank 1 = best in each list.

    ``lexicon``: the word lists (pipeline.resources loads them once); default: read from
    ``settings.data_dir`` (or the project's data/) on first use.
    ``entities``: the entity stage's result for this article; when given, keywords are fitted to
    its names (fit_keywords_to_names: no cut names, a mention becomes its entity's canonical name).

    Article level: title, standfirst, then each section's heading and paragraphs. Section level:
    the section's heading and paragraphs. Every line is cleaned once and reused for both.
    """
    n_paras = len(article.paragraphs)
    n_sections = max(len(article.headings), max(article.paragraph_sections, default=-1) + 1)
    headings = list(article.headings) + [""] * (n_sections - len(article.headings))
    display = _recase([article.title, article.standfirst, *headings], "\n".join(article.paragraphs))
    cleaned = clean_units([*display, *article.paragraphs])
    title, standfirst = cleaned[0], cleaned[1]
    heads = cleaned[2:2 + n_sections]
    paras = cleaned[2 + n_sections:]
    by_section: list[list[str]] = [[] for _ in range(n_sections)]
    for i in range(n_paras):
        by_section[article.paragraph_sections[i]].append(paras[i])
    section_texts = ["\n".join(u for u in [heads[s], *by_section[s]] if u) for s in range(n_sections)]
    article_text = "\n".join(u for u in [title, standfirst, *section_texts] if u)

    index = _name_index(article, entities) if entities is not None and entities.mentions else None
    fit = (*index, None) if index else None
    scored = _run(article_text, settings=settings, top_n=settings.top_n, outlet=article.outlet, lex=lexicon,
                  names=fit)
    rows = _rows("article", article.article_id, "", scored)
    if n_sections == 1:
        # One section is the whole body: its keywords are the article's (same text but the title),
        # so YAKE need not read it twice. De-duplication is greedy by score, so the first N of the
        # article's list are exactly what a top-N run would keep.
        return rows + _rows("section", article.article_id, "0", scored[:settings.section_top_n])
    in_section: list[list[int]] = [[] for _ in range(n_sections)]
    for i in range(n_paras):
        in_section[article.paragraph_sections[i]].append(i)
    for s, text in enumerate(section_texts):
        fit = (*index, frozenset(in_section[s])) if index else None
        scored = _run(text, settings=settings, top_n=settings.section_top_n, outlet=article.outlet, lex=lexicon,
                      names=fit)
        rows.extend(_rows("section", article.article_id, str(s), scored))
    return rows


def corpus_keywords(rows: list[KeywordRow], *, top_n: int = 50) -> list[KeywordRow]:
    """Corpus-level keywords from the article-level rows (see CorpusKeywords)."""
    tally = CorpusKeywords()
    tally.add(rows)
    return tally.top(top_n)


class CorpusKeywords:
    """Corpus-level keywords, tallied from the article-level rows as the articles arrive.

    For each keyword (case-folded, so case variants are one keyword):
        weight = sum over the articles that rank it of 1 / rank
        score  = 1 / weight          (lower is better, like YAKE's; 1.0 = one article ranks it 1st)
    Ties go to the keyword more articles rank, then the better (lower) mean YAKE score, then the
    alphabet. The keyword is shown in the spelling most of those articles use (the first seen of
    equally common ones).

    The sums are exact (see _exact) and rounded once: the scores do not depend on the order in which
    the articles arrive, nor on how a float sum of thousands of terms happened to round.
    """

    def __init__(self):
        self.weight: dict[str, int] = {}       # exact sums, scaled by 2**_EXACT_SHIFT
        self.n_articles: dict[str, int] = {}
        self.yake_sum: dict[str, int] = {}     # exact sums, scaled by 2**_EXACT_SHIFT
        self.forms: dict[str, Counter] = {}

    def add(self, rows: list[KeywordRow]) -> None:
        """Rows other than article-level are ignored."""
        weight, n_articles, yake_sum, forms = self.weight, self.n_articles, self.yake_sum, self.forms
        for row in rows:
            if row.level != "article" or row.rank < 1:
                continue
            key = _norm_phrase(row.keyword)
            if not key:
                continue
            weight[key] = weight.get(key, 0) + _exact_inverse(row.rank)
            n_articles[key] = n_articles.get(key, 0) + 1
            yake_sum[key] = yake_sum.get(key, 0) + _exact(float(row.score))
            forms.setdefault(key, Counter())[row.keyword] += 1

    def top(self, top_n: int) -> list[KeywordRow]:
        if top_n <= 0:
            return []
        n_articles = self.n_articles
        weight = {k: _from_exact(v) for k, v in self.weight.items()}
        yake_sum = self.yake_sum
        best = heapq.nsmallest(
            top_n, weight,
            key=lambda k: (1.0 / weight[k], -n_articles[k], _from_exact(yake_sum[k]) / n_articles[k], k))
        return [KeywordRow("corpus", "", "", self.forms[k].most_common(1)[0][0], 1.0 / weight[k], rank)
                for rank, k in enumerate(best, start=1)]


# A float is m * 2**e with integers m, e >= -1074: times 2**1074 it is an integer, and a sum of such
# integers is exact whatever the order of its terms; int / int then rounds correctly, once.
_EXACT_SHIFT = 1074


def _exact(x: float) -> int:
    n, d = x.as_integer_ratio()            # d is a power of two, at most 2**1074
    return n << (_EXACT_SHIFT + 1 - d.bit_length())


def _from_exact(v: int) -> float:
    return v / (1 << _EXACT_SHIFT)


@lru_cache(maxsize=MAX_TOP_N + 1)
def _exact_inverse(rank: int) -> int:
    return _exact(1.0 / rank)


__all__ = [
    "ENGINES", "DEDUP_METHODS", "LANGUAGES", "KeywordSettings", "KeywordLexicon", "load_keyword_lexicon",
    "article_keywords", "corpus_keywords", "CorpusKeywords",
    "extract", "deduplicate", "clean_unit", "NameSpan", "fit_keywords_to_names",
]
