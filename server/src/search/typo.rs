//! Typo tolerance and prefixes of the embedded engine: Levenshtein automata
//! run over a field's term dictionary, built once per query and word, with
//! the documents they match read once per query and segment.
//!
//! As Meilisearch does, a typo on a word's first letter counts as two: a
//! word allowed one typo keeps its first letter, a word allowed two may
//! change its first letter only when the rest is as typed. Besides matching
//! what people mean (few typos fall on the first letter), it bounds the
//! cost: the automaton walks the term dictionary under one first letter
//! instead of all of it (a two-typo walk over the 159,000-document
//! catalog's descriptions took ~0.45 ms a word).
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use tantivy::{
    index::SegmentId,
    query::{
        AutomatonWeight, BitSetDocSet, ConstScorer, DfaWrapper, EnableScoring, Explanation, FuzzyTermQuery, Query,
        Scorer, Weight,
    },
    schema::{Field, IndexRecordOption},
    BitSet, DocId, Score, SegmentReader,
};
use tantivy_fst::Automaton;

use super::tantivy_doc::term;

/// A fuzzy or prefix match whose automaton is shared: the same word is
/// looked for in several fields, and building a Levenshtein automaton (for
/// two typos especially) costs more than running it. The documents it matches in
/// a segment are read once per query: the clause holding it may be repeated
/// (`all_or_all_but_one`), and reading them is a union of every matching
/// term's postings. Scores as `FuzzyTermQuery` does (a constant, the boost).
#[derive(Clone)]
pub(super) struct SharedAutomaton {
    field: Field,
    automaton: Arc<Spelling>,
    matched: Matched,
    /// What it looks for (for traces).
    word: Arc<str>,
}

/// The documents an automaton matched, per (field, segment).
type Matched = Arc<Mutex<HashMap<(Field, SegmentId), BitSet>>>;

impl std::fmt::Debug for SharedAutomaton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SharedAutomaton({:?})", self.field)
    }
}

impl Query for SharedAutomaton {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl SharedAutomaton {
    fn matched(&self, reader: &SegmentReader) -> tantivy::Result<BitSet> {
        let key = (self.field, reader.segment_id());
        if let Some(docs) = self.matched.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok(docs.clone());
        }
        let started = std::time::Instant::now();
        let weight = AutomatonWeight::<Spelling>::new(self.field, self.automaton.clone());
        let index = reader.inverted_index(self.field)?;
        let mut docs = BitSet::with_max_value(reader.max_doc());
        let infos = weight.get_match_term_infos(reader)?;
        let walked = started.elapsed();
        for info in &infos {
            let mut postings = index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            while !postings.docs().is_empty() {
                for &d in postings.docs() {
                    docs.insert(d);
                }
                postings.advance();
            }
        }
        tracing::trace!(field = ?self.field, word = %self.word, terms = infos.len(), walk_us = walked.as_micros() as u64,
            total_us = started.elapsed().as_micros() as u64, "automaton");
        self.matched.lock().unwrap_or_else(PoisonError::into_inner).insert(key, docs.clone());
        Ok(docs)
    }
}

impl Weight for SharedAutomaton {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(self.matched(reader)?), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.matched(reader)?.contains(doc) {
            Ok(Explanation::new("SharedAutomaton", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} does not match")))
        }
    }
}

/// An automaton, the documents it matched, and what it looks for (traces).
type Built = (Arc<Spelling>, Matched, Arc<str>);

/// The automata of one query, each built once: (word, typos, prefix).
#[derive(Default)]
pub(super) struct Automata(HashMap<(String, u8, bool), Option<Built>>);

impl Automata {
    /// Matches `word` within `typos` edits (as a prefix when `prefix`) in
    /// `field`, a typo on the first letter counting as two.
    pub(super) fn query(&mut self, field: Field, word: &str, typos: u8, prefix: bool) -> Option<SharedAutomaton> {
        let (automaton, matched, word) = self
            .0
            .entry((word.to_string(), typos, prefix))
            .or_insert_with(|| {
                let automaton = Spelling::new(word, typos, prefix)?;
                let label = format!("{word}~{typos}{}", if prefix { "*" } else { "" });
                Some((Arc::new(automaton), Matched::default(), Arc::from(label)))
            })
            .clone()?;
        Some(SharedAutomaton { field, automaton, matched, word })
    }

    /// Terms starting with `text` (no typo), in `field`.
    pub(super) fn starting_with(&mut self, field: Field, text: &str) -> Option<SharedAutomaton> {
        self.query(field, text, 0, true)
    }
}

/// What a term may be to match a word: within so many typos of it, a typo on
/// the first letter counting as two (`FirstExact`), and, allowed two typos,
/// with only its first letter changed (`Ways`); or the word as typed (no
/// typo), whole or as a prefix.
pub(super) struct Spelling {
    levenshtein: Option<FirstExact>,
    ways: Ways,
}

#[derive(Clone)]
pub(super) struct SpellingState(Option<FirstState>, WaysState);

impl Spelling {
    fn new(word: &str, typos: u8, prefix: bool) -> Option<Self> {
        if typos == 0 {
            return Some(Self { levenshtein: None, ways: Ways::new(vec![Way::new(false, word, prefix)]) });
        }
        let levenshtein = Some(FirstExact::new(word, typos, prefix)?);
        let ways = if typos >= 2 { first_letter_changed(word, prefix) } else { Ways::new(Vec::new()) };
        Some(Self { levenshtein, ways })
    }
}

impl Automaton for Spelling {
    type State = SpellingState;

    fn start(&self) -> SpellingState {
        SpellingState(self.levenshtein.as_ref().map(FirstExact::start), self.ways.start())
    }

    fn is_match(&self, s: &SpellingState) -> bool {
        matches!((&self.levenshtein, &s.0), (Some(l), Some(ls)) if l.is_match(ls)) || self.ways.is_match(&s.1)
    }

    fn can_match(&self, s: &SpellingState) -> bool {
        matches!((&self.levenshtein, &s.0), (Some(l), Some(ls)) if l.can_match(ls)) || self.ways.can_match(&s.1)
    }

    fn accept(&self, s: &SpellingState, byte: u8) -> SpellingState {
        let l = match (&self.levenshtein, &s.0) {
            (Some(l), Some(ls)) => Some(l.accept(ls, byte)),
            _ => None,
        };
        SpellingState(l, self.ways.accept(&s.1, byte))
    }
}

/// The words one first-letter typo away from `word` (two typos by
/// Meilisearch's count): its first letter replaced, dropped, or preceded by
/// another, or swapped with the second.
fn first_letter_changed(word: &str, prefix: bool) -> Ways {
    let mut chars = word.chars();
    let (Some(first), Some(second)) = (chars.next(), chars.next()) else {
        return Ways::new(Vec::new());
    };
    let rest = &word[first.len_utf8()..];
    let swapped = format!("{second}{first}{}", chars.as_str());
    Ways::new(vec![
        Way::new(true, rest, prefix),
        Way::new(false, rest, prefix),
        Way::new(true, word, prefix),
        Way::new(false, &swapped, prefix),
    ])
}

/// A Levenshtein automaton (Damerau: a transposition is one edit) over what
/// follows a word's first letter, that letter matched exactly first.
struct FirstExact {
    first: Box<[u8]>,
    rest: DfaWrapper,
}

#[derive(Clone)]
pub(super) enum FirstState {
    /// So many bytes of the first letter matched.
    First(usize),
    Rest(u32),
    Dead,
}

impl FirstExact {
    fn new(word: &str, typos: u8, prefix: bool) -> Option<Self> {
        let (first, rest) = word.split_at(word.chars().next()?.len_utf8());
        // The field does not matter to the automaton (it reads a term's text).
        let t = term(Field::from_field_id(0), rest);
        let q = if prefix { FuzzyTermQuery::new_prefix(t, typos, true) } else { FuzzyTermQuery::new(t, typos, true) };
        Some(Self { first: first.as_bytes().into(), rest: q.automaton().ok()? })
    }
}

impl Automaton for FirstExact {
    type State = FirstState;

    fn start(&self) -> FirstState {
        FirstState::First(0)
    }

    fn is_match(&self, state: &FirstState) -> bool {
        matches!(state, FirstState::Rest(s) if self.rest.is_match(s))
    }

    fn can_match(&self, state: &FirstState) -> bool {
        match state {
            FirstState::First(_) => true,
            FirstState::Rest(s) => self.rest.can_match(s),
            FirstState::Dead => false,
        }
    }

    fn accept(&self, state: &FirstState, byte: u8) -> FirstState {
        match state {
            FirstState::First(i) if self.first[*i] == byte => {
                if i + 1 == self.first.len() {
                    FirstState::Rest(self.rest.start())
                } else {
                    FirstState::First(i + 1)
                }
            }
            FirstState::Rest(s) => FirstState::Rest(self.rest.accept(s, byte)),
            _ => FirstState::Dead,
        }
    }
}

/// A term spelled one of a few exact ways, each maybe behind any one
/// character, whole or as a prefix: walking the dictionary this way reads
/// only the branches spelled so, where a regular expression would first be
/// compiled to a DFA (per query and field).
struct Ways(Vec<Way>);

struct Way {
    after_any_char: bool,
    text: Box<[u8]>,
    prefix: bool,
}

impl Way {
    fn new(after_any_char: bool, text: &str, prefix: bool) -> Self {
        Self { after_any_char, text: text.as_bytes().into(), prefix }
    }
}

const WAITING: u16 = u16::MAX - 1;
const DEAD: u16 = u16::MAX;

/// At most this many ways (`first_letter_changed` makes four): a state is
/// then a small array, copied at each byte of the walk without allocating.
const MAX_WAYS: usize = 4;

/// Bytes left of the character skipped (`None` once it is read), and each
/// way's position (`WAITING` for the skipped character, `DEAD`; the
/// entries past the ways stay `DEAD`).
#[derive(Clone)]
pub(super) struct WaysState(Option<u8>, [u16; MAX_WAYS]);

impl Ways {
    fn new(ways: Vec<Way>) -> Self {
        assert!(ways.len() <= MAX_WAYS, "at most {MAX_WAYS} ways");
        Self(ways.into_iter().filter(|w| w.text.len() < usize::from(WAITING)).collect())
    }

    fn start(&self) -> WaysState {
        let mut at = [DEAD; MAX_WAYS];
        for (p, w) in at.iter_mut().zip(&self.0) {
            *p = if w.after_any_char { WAITING } else { 0 };
        }
        WaysState(Some(0), at)
    }

    fn is_match(&self, s: &WaysState) -> bool {
        self.0.iter().zip(&s.1).any(|(w, &at)| usize::from(at) == w.text.len())
    }

    fn can_match(&self, s: &WaysState) -> bool {
        s.1.iter().any(|&at| at != DEAD)
    }

    fn accept(&self, s: &WaysState, byte: u8) -> WaysState {
        let mut at = [DEAD; MAX_WAYS];
        for ((p, w), &was) in at.iter_mut().zip(&self.0).zip(&s.1) {
            *p = match was {
                WAITING | DEAD => was,
                i if usize::from(i) == w.text.len() && w.prefix => i,
                i if w.text.get(usize::from(i)) == Some(&byte) => i + 1,
                _ => DEAD,
            };
        }
        // The skipped character: its first byte says how many follow.
        let skipping = match s.0 {
            Some(0) if s.1.contains(&WAITING) => Some(match byte {
                0xF0.. => 3,
                0xE0.. => 2,
                0xC0.. => 1,
                _ => 0,
            }),
            Some(0) => None,
            Some(left) => Some(left - 1),
            None => None,
        };
        let skipping = match skipping {
            Some(0) => {
                for p in at.iter_mut().filter(|p| **p == WAITING) {
                    *p = 0;
                }
                None
            }
            other => other,
        };
        WaysState(skipping, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::{edit_distance, within_typos};

    fn matches(a: &Spelling, term: &str) -> bool {
        let mut s = a.start();
        for &b in term.as_bytes() {
            if !a.can_match(&s) {
                return false;
            }
            s = a.accept(&s, b);
        }
        a.is_match(&s)
    }

    const TERMS: [&str; 24] = [
        "petsc",
        "pets",
        "petcs",
        "setcs",
        "slepc",
        "paraview",
        "paarview",
        "oaraview",
        "tensorflow",
        "tensorflwo",
        "densorflwo",
        "ensorflwo",
        "xtensorflwo",
        "etnsorflwo",
        "densorflow",
        "hdf5",
        "hdf",
        "hd",
        "ñandú",
        "nandú",
        "éñandú",
        "andú",
        "kokkos",
        "okkos",
    ];

    #[test]
    fn one_typo_keeps_the_first_letter_as_the_edit_distance_of_the_rest_says() {
        for word in ["petcs", "paarview", "kokos", "ñandú", "slepc"] {
            let a = Spelling::new(word, 1, false).unwrap();
            for term in TERMS {
                let (wf, wr) = word.split_at(word.chars().next().unwrap().len_utf8());
                let expected = term.starts_with(wf) && edit_distance(wr, &term[wf.len()..], 1).is_some();
                assert_eq!(matches(&a, term), expected, "{word} ~1 {term}");
            }
        }
        assert!(matches(&Spelling::new("petcs", 1, false).unwrap(), "petsc"), "a transposition is one typo");
        // What the ranking reads as a typo is what the automata match.
        for word in ["petcs", "paarview", "kokos", "ñandú", "tensorflwo", "ñandúes"] {
            for typos in [1, 2] {
                let a = Spelling::new(word, typos, false).unwrap();
                for term in TERMS {
                    assert_eq!(matches(&a, term), within_typos(word, term, typos), "{word} ~{typos} {term}");
                }
            }
        }
        assert!(!matches(&Spelling::new("setcs", 1, false).unwrap(), "petcs"), "a first letter typo counts two");
    }

    #[test]
    fn two_typos_change_the_first_letter_only_when_the_rest_is_as_typed() {
        let a = Spelling::new("tensorflwo", 2, false).unwrap();
        for (term, expected) in [
            ("tensorflow", true),
            ("tensorflwo", true),
            ("densorflwo", true),
            ("ensorflwo", true),
            ("xtensorflwo", true),
            ("etnsorflwo", true),
            ("densorflow", false),
            ("pets", false),
        ] {
            assert_eq!(matches(&a, term), expected, "tensorflwo ~2 {term}");
        }
        // By characters, not bytes.
        let a = Spelling::new("ñandúes", 2, false).unwrap();
        assert!(matches(&a, "nandúes") && matches(&a, "andúes") && matches(&a, "éñandúes"));
        assert!(!matches(&a, "nandú"), "the rest as typed");
    }

    #[test]
    fn no_typo_is_the_word_whole_or_as_a_prefix() {
        let prefix = Spelling::new("hdf", 0, true).unwrap();
        let whole = Spelling::new("hdf", 0, false).unwrap();
        for (term, as_prefix, as_whole) in [("hdf", true, true), ("hdf5", true, false), ("hd", false, false)] {
            assert_eq!(matches(&prefix, term), as_prefix, "{term}");
            assert_eq!(matches(&whole, term), as_whole, "{term}");
        }
        let a = Spelling::new("paarview", 1, true).unwrap();
        assert!(matches(&a, "paraview") && matches(&a, "paraviewweb"), "a prefix with a typo");
    }
}
