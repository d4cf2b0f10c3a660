"""Start-up work that replaced slower equivalents must give the same answers:
the automaton gazetteers against spaCy's PhraseMatcher, and the pickled
reference against a fresh load."""
from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import spacy
from spacy.matcher import PhraseMatcher
from spacy.util import filter_spans

from extractor import cache as cache_mod
from extractor import reference as reference_mod
from extractor.nlp import Gazetteers
from extractor.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]

PHRASES = [
    ("Kyle Busch", "Kyle Busch"),
    ("Busch", "Kurt Busch"),
    ("Ricky Stenhouse Jr.", "Ricky Stenhouse Jr."),
    ("A.J. Allmendinger", "A.J. Allmendinger"),
    ("Earnhardt-Ganassi", "Chip Ganassi Racing"),
    ("Ford", "Ford"),
]
LOWER = [("cup series", "cup"), ("truck series", "truck"), ("xfinity", "xfinity")]

SENTENCES = [
    "Kyle Busch won; Busch's brother was third.",
    "Kyle Buschman is nobody we know, nor is Buschwhacker.",
    "Ricky Stenhouse Jr. led A.J. Allmendinger home.",
    "An Earnhardt-Ganassi car and a Ford-powered one.",
    "The Cup Series and the TRUCK SERIES raced; Xfinity did not.",
    "Kyle\nBusch split by a line break does not count.",
    "Kyle  Busch with two spaces does not count either.",
    "Fordham is a university; FORD in capitals is not the make.",
    "",
]


def _phrase_matcher(nlp, items, attr):
    m = PhraseMatcher(nlp.vocab, attr=attr)
    for phrase, value in items:
        m.add(value, [nlp.make_doc(phrase)])
    return m


@pytest.mark.parametrize("sentence", SENTENCES)
def test_automaton_matches_what_a_phrase_matcher_matches(sentence):
    nlp = spacy.blank("en")
    gaz = Gazetteers({"names": (False, PHRASES), "series": (True, LOWER)})
    doc = nlp(sentence)
    got = gaz.matches(doc, sentence)
    for key, items, attr in (("names", PHRASES, "ORTH"), ("series", LOWER, "LOWER")):
        m = _phrase_matcher(nlp, items, attr)
        want = sorted((a, b, nlp.vocab.strings[i]) for i, a, b in m(doc))
        assert sorted(got[key]) == want, key


def test_annotator_spans_on_the_seeds_equal_phrase_matcher_spans():
    """The real gazetteers over the seed articles: the same spans, labels and
    overlap resolution a PhraseMatcher of the same phrases would give."""
    from extractor.pipeline import Extractor

    ex = Extractor()
    ann = ex.annotator
    ref = ex.ref
    nlp = ann.nlp
    specs = {
        "drivers": ("ORTH", list(ref.roster.alias_items())),
        "tracks": ("ORTH", [(a, c) for a, c, _s in ref.tracks.alias_items()]),
    }
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = ann(text)
        for key, (attr, items) in specs.items():
            m = PhraseMatcher(nlp.vocab, attr=attr)
            by_value: dict[str, list[str]] = {}
            for phrase, value in items:
                by_value.setdefault(value, []).append(phrase)
            for value, phrases in by_value.items():
                m.add(value, [nlp.make_doc(p) for p in sorted(set(phrases))])
            want = filter_spans([spacy.tokens.Span(doc, a, b, label=i) for i, a, b in m(doc)])
            assert [(s.start, s.end, s.label_) for s in doc.spans[key]] == \
                   [(s.start, s.end, s.label_) for s in want], (path.name, key)
            assert doc.spans[key], (path.name, key)  # every seed names drivers and a track


# ------------------------------------------------------------------ reference cache
@pytest.fixture
def patterns_copy(tmp_path, monkeypatch):
    src = ROOT / "patterns"
    dst = tmp_path / "patterns"
    shutil.copytree(src, dst)
    monkeypatch.setenv("EXTRACTOR_CACHE", str(tmp_path / "cache"))
    reference_mod._load_reference.cache_clear()
    yield dst
    reference_mod._load_reference.cache_clear()


def _summary(ref):
    return (len(ref.roster.drivers), [d.name for d in ref.roster.drivers[:50]],
            sorted(ref.roster.alias_items())[:200], [t.id for t in ref.tracks.tracks],
            ref.lexicon.make_of("Chevy"), ref.roster.by_name("Kyle Busch").name)


def test_cached_reference_equals_a_fresh_load(patterns_copy, tmp_path):
    fresh = load_reference(patterns_copy)
    files = list((tmp_path / "cache").glob("reference-*.pickle"))
    assert len(files) == 1
    reference_mod._load_reference.cache_clear()
    cached = load_reference(patterns_copy)
    assert cached is not fresh
    assert _summary(cached) == _summary(fresh)


def test_a_data_edit_makes_a_new_cache_file(patterns_copy, tmp_path):
    load_reference(patterns_copy)
    with (patterns_copy / "driver_aliases.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"name": "Kyle Busch", "nicknames": ["Rowdy Test"]}\n')
    reference_mod._load_reference.cache_clear()
    ref = load_reference(patterns_copy)
    assert len(list((tmp_path / "cache").glob("reference-*.pickle"))) == 2
    assert "Rowdy Test" in ref.roster.by_name("Kyle Busch").nicknames


def test_a_torn_cache_file_is_rebuilt(patterns_copy, tmp_path):
    load_reference(patterns_copy)
    (cache,) = (tmp_path / "cache").glob("reference-*.pickle")
    cache.write_bytes(b"\x80\x05not a pickle")
    reference_mod._load_reference.cache_clear()
    ref = load_reference(patterns_copy)
    assert ref.roster.by_name("Kyle Busch") is not None
    assert isinstance(pickle.loads(cache.read_bytes()), reference_mod.Reference)  # rewritten whole


def test_cache_off_writes_nothing(patterns_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_CACHE", "off")
    load_reference(patterns_copy)
    assert not (tmp_path / "cache").exists()


def test_an_unwritable_cache_folder_is_ignored(patterns_copy, tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("EXTRACTOR_CACHE", str(blocker / "cache"))
    assert load_reference(patterns_copy).roster.by_name("Kyle Busch") is not None
    assert os.path.isfile(blocker)


def test_only_the_newest_cache_files_are_kept(patterns_copy, tmp_path):
    for n in range(cache_mod.KEEP + 2):
        with (patterns_copy / "driver_aliases.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(f'{{"name": "Kyle Busch", "nicknames": ["Nick {n}"]}}\n')
        reference_mod._load_reference.cache_clear()
        load_reference(patterns_copy)
    assert len(list((tmp_path / "cache").glob("reference-*.pickle"))) == cache_mod.KEEP


def test_cue_spans_on_the_seeds_equal_a_span_rulers():
    """The cue phrases through the automaton: the same spans, labels, pattern
    ids and order as spaCy's SpanRuler over the same patterns."""
    from extractor.pipeline import Extractor
    from extractor.resources import read_jsonl

    ann = Extractor().annotator
    nlp = spacy.blank("en")
    nlp.tokenizer = ann.nlp.tokenizer
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "cues", "phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": r["label"], "pattern": r["pattern"], "id": r["id"]}
                        for r in read_jsonl("cues.jsonl")])
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        ours, theirs = ann(text), nlp(text)
        got = [(s.start, s.end, s.label_, s.id_) for s in ours.spans["cues"]]
        want = [(s.start, s.end, s.label_, s.id_) for s in theirs.spans["cues"]]
        assert got == want and got, path.name


def test_a_token_pattern_cue_still_works(tmp_path, monkeypatch):
    """cues.jsonl takes SpanRuler token patterns too (a list of token dicts)."""
    import json

    from extractor.nlp import build_annotator

    pats = tmp_path / "patterns"
    shutil.copytree(ROOT / "patterns", pats)
    with (pats / "cues.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "test:laps-down", "label": "LAPS_DOWN_TEST",
                             "pattern": [{"LIKE_NUM": True}, {"LOWER": "laps"}, {"LOWER": "down"}]}) + "\n")
    ann = build_annotator(load_reference(pats), pats)
    doc = ann("He finished 3 laps down after a pit-road penalty.")
    hits = [(s.text, s.label_, s.id_) for s in doc.spans["cues"] if s.label_ == "LAPS_DOWN_TEST"]
    assert hits == [("3 laps down", "LAPS_DOWN_TEST", "test:laps-down")]


def test_a_bad_token_pattern_names_its_id(tmp_path):
    import json

    from extractor.nlp import build_annotator

    pats = tmp_path / "patterns"
    shutil.copytree(ROOT / "patterns", pats)
    with (pats / "cues.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "test:broken", "label": "X", "pattern": [{"NOT_AN_ATTR": "x"}]}) + "\n")
    with pytest.raises(ValueError, match="test:broken"):
        build_annotator(load_reference(pats), pats)


_HYPHEN_TEXT = st.text(alphabet="ab9-–. '/x1Z", max_size=24)
_TOKENIZERS: dict[str, object] = {}


def _tokenizers():
    """(ours, joined), built once: a blank pipeline takes a tenth of a second."""
    if not _TOKENIZERS:
        from extractor.nlp import _with_letter_digit_hyphens
        ours = spacy.blank("en")
        ours.tokenizer.infix_finditer = _with_letter_digit_hyphens(ours.tokenizer.infix_finditer)
        joined = spacy.blank("en")
        infixes = list(joined.Defaults.infixes) + [r"(?<=[A-Za-z])-(?=[0-9])", r"(?<=[0-9])-(?=[A-Za-z])"]
        joined.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
        _TOKENIZERS.update(ours=ours.tokenizer, joined=joined.tokenizer)
    return _TOKENIZERS["ours"], _TOKENIZERS["joined"]


@settings(max_examples=400, deadline=None)
@given(words=st.lists(_HYPHEN_TEXT, min_size=1, max_size=6))
def test_infix_wrapper_tokenizes_as_the_joined_regex(words):
    """The letter-digit hyphen infix added around the compiled default splits
    every text as one compiled regex of both would."""
    ours, joined = _tokenizers()
    text = " ".join(words)
    assert [t.text for t in ours(text)] == [t.text for t in joined(text)]


@pytest.mark.parametrize("text, tokens", [
    ("a top-10 run", ["a", "top", "-", "10", "run"]),
    ("the 10-car field", ["the", "10", "-", "car", "field"]),
    ("a well-known driver", ["a", "well", "-", "known", "driver"]),
    ("3-2 overtime", ["3", "-", "2", "overtime"]),
])
def test_hyphen_splits(text, tokens):
    ours, _joined = _tokenizers()
    assert [t.text for t in ours(text)] == tokens
