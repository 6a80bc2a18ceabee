//! Word order in texts, for phrases: a text's English stems each once (as
//! `stem::stems_text` writes them) and its words in order as indexes into
//! them, computed once when a document is indexed (the ranking record keeps
//! both). A phrase "occurs" in a text when its words stand in its order,
//! each at most one word after the one before ("density-functional theory",
//! "differential/algebraic equation" for "differential equation"), within
//! one clause: punctuation that ends one (`.`, `,`, `;`, `(`…) breaks a
//! phrase, a hyphen or a slash does not. Words scattered over a text
//! ("probability theory … density estimation … functional data") are not
//! the phrase.
use std::collections::HashMap;

use super::{stem::stem, word_index::hash};

/// Where a phrase cannot continue: a clause or a text ends.
pub const BREAK: u16 = u16::MAX;
/// At most this many words of a text are kept in order (the index is
/// bounded; texts are cut at 1,000 characters before they get here).
const MAX_WORDS: usize = 2048;
/// How many other words may stand between two words of a phrase.
pub const GAP: usize = 1;

/// Characters that end a clause: a phrase does not run across them.
fn ends_clause(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | '"' | '|')
}

/// Words that end the head of a synopsis: what comes after them says what
/// the package is for, made of or about, not what it is ("library *for*
/// linear algebra", "a tool for generating pseudopotentials *within* a
/// density-functional theory framework").
const HEAD_ENDS: &[&str] = &[
    "for", "of", "to", "with", "within", "in", "into", "on", "from", "by", "using", "via", "based", "that", "which",
    "whose", "where", "when", "through", "like", "at", "as", "over",
];

/// A text's words in order (`stem_sequence`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sequence {
    /// The stems, each once, joined by single spaces (as `stems_text`).
    pub stems: Box<str>,
    /// The words in order as indexes into `stems`, `BREAK` between clauses
    /// and between texts.
    pub seq: Box<[u16]>,
    /// How many entries of `seq` come before the first text's first word of
    /// `HEAD_ENDS`: its head, what names the thing ("an optimized BLAS
    /// library", "a density-functional theory code", "C++ template library").
    pub head: u16,
    /// Each stem's hash (`word_index::hash`) and index among `stems`,
    /// sorted by hash: finding a stem is a binary search, not a scan.
    by_hash: Box<[(u64, u16)]>,
}

/// The stems of `texts`' words, each once, joined by single spaces (the
/// same string as `stems_text`), and the words in order as indexes into
/// them, `BREAK` between clauses and between texts; the first text's head.
pub fn stem_sequence<'a>(texts: impl IntoIterator<Item = &'a str>) -> Sequence {
    let mut head: Option<usize> = None;
    let mut unique = String::new();
    let mut ids: HashMap<String, u16> = HashMap::new();
    let mut seq: Vec<u16> = Vec::new();
    let push_break = |seq: &mut Vec<u16>| {
        if seq.last().is_some_and(|l| *l != BREAK) {
            seq.push(BREAK);
        }
    };
    for text in texts {
        let lower = text.to_lowercase();
        let mut word_start: Option<usize> = None;
        let mut broken = false;
        // One pass over the characters and a sentinel ending the last word.
        for (i, c) in lower.char_indices().chain(std::iter::once((lower.len(), ' '))) {
            if c.is_alphanumeric() && i < lower.len() {
                if word_start.is_none() {
                    if broken {
                        push_break(&mut seq);
                        broken = false;
                    }
                    word_start = Some(i);
                }
                continue;
            }
            if let Some(start) = word_start.take() {
                let word = &lower[start..i];
                if head.is_none() && HEAD_ENDS.contains(&word) {
                    head = Some(seq.len());
                }
                let s = stem(word);
                let id = match ids.get(&*s) {
                    Some(id) => *id,
                    None => {
                        // Past 65,535 distinct words, the others are kept
                        // (as words) but not in order.
                        let id = u16::try_from(ids.len()).unwrap_or(BREAK);
                        if !unique.is_empty() {
                            unique.push(' ');
                        }
                        unique.push_str(&s);
                        ids.insert(s.into_owned(), id);
                        id
                    }
                };
                if seq.len() < MAX_WORDS {
                    seq.push(id);
                }
            }
            broken |= ends_clause(c);
        }
        // The head is the first text's.
        head.get_or_insert(seq.len());
        push_break(&mut seq);
    }
    if seq.last() == Some(&BREAK) {
        seq.pop();
    }
    let head = head.unwrap_or(0).min(seq.len());
    let mut by_hash: Vec<(u64, u16)> = ids.iter().map(|(s, id)| (hash(s), *id)).collect();
    by_hash.sort_unstable();
    Sequence {
        stems: unique.into(),
        seq: seq.into(),
        head: u16::try_from(head).unwrap_or(u16::MAX),
        by_hash: by_hash.into(),
    }
}

impl Sequence {
    /// The index among `stems` of the stem hashed `h` (`word_index::hash`);
    /// `BREAK` for one past the 65,535th.
    fn id(&self, h: u64) -> Option<u16> {
        self.by_hash.binary_search_by_key(&h, |(h, _)| *h).ok().map(|i| self.by_hash[i].1)
    }

    /// Whether `phrase` (its stems' hashes, in order) occurs in the text:
    /// each word at most `GAP` words after the one before, no clause break
    /// between.
    pub fn has(&self, phrase: &[u64]) -> bool {
        match phrase {
            [] => true,
            [one] => self.id(*one).is_some(),
            _ => self.within(phrase, self.seq.len()),
        }
    }

    /// Whether `phrase` occurs in the text's head (`head`).
    pub fn in_head(&self, phrase: &[u64]) -> bool {
        self.within(phrase, usize::from(self.head))
    }

    /// Whether `phrase` occurs among the first `end` entries of `seq`.
    fn within(&self, phrase: &[u64], end: usize) -> bool {
        let seq = &self.seq[..end.min(self.seq.len())];
        // The phrase's words as indexes (a phrase of the table has a few
        // words: no allocation for up to eight); none missing or out of order.
        let mut few = [0u16; 8];
        let mut many = Vec::new();
        let ids: &mut [u16] = if phrase.len() <= few.len() {
            &mut few[..phrase.len()]
        } else {
            many.resize(phrase.len(), 0);
            &mut many
        };
        for (slot, h) in ids.iter_mut().zip(phrase) {
            match self.id(*h) {
                Some(id) if id != BREAK => *slot = id,
                _ => return false,
            }
        }
        !ids.is_empty() && (0..seq.len()).any(|p| seq[p] == ids[0] && follows(seq, p, &ids[1..]))
    }
}

/// Whether `rest` follows the word at `p`, each within `GAP` words.
fn follows(seq: &[u16], p: usize, rest: &[u16]) -> bool {
    let Some((next, more)) = rest.split_first() else {
        return true;
    };
    for q in p + 1..=(p + 1 + GAP).min(seq.len().saturating_sub(1)) {
        if seq[q] == BREAK {
            return false;
        }
        if seq[q] == *next && follows(seq, q, more) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(phrase: &str) -> Vec<u64> {
        phrase.split(' ').map(|w| hash(&stem(w))).collect()
    }

    fn hashes(words: &[&str]) -> Vec<u64> {
        words.iter().map(|w| hash(w)).collect()
    }

    fn has(text: &str, phrase: &str) -> bool {
        let words = stems(phrase);
        stem_sequence([text]).has(&words)
    }

    fn in_head(text: &str, phrase: &str) -> bool {
        let words = stems(phrase);
        stem_sequence([text]).in_head(&words)
    }

    #[test]
    fn the_unique_stems_are_those_of_stems_text() {
        for texts in [
            vec!["Mesh generators, mesh generation"],
            vec!["A short-read aligner", "Aligning reads"],
            vec!["Density-functional theory (DFT). Plane waves; pseudopotentials!"],
            vec![],
        ] {
            let s = stem_sequence(texts.iter().copied());
            assert_eq!(s.stems, super::super::stem::stems_text(texts.iter().copied()), "{texts:?}");
        }
    }

    #[test]
    fn words_keep_their_order_and_clauses_break() {
        let s = stem_sequence(["Mesh generation, and meshes.", "Grid"]);
        assert_eq!(&*s.stems, "mesh generat and grid");
        assert_eq!(&*s.seq, [0, 1, BREAK, 2, 0, BREAK, 3]);
        assert_eq!(s.head, 5, "the first text has no word ending its head");
        assert!(stem_sequence(std::iter::empty()).seq.is_empty());
        assert!(stem_sequence(["..., ;"]).seq.is_empty());
    }

    #[test]
    fn a_phrase_occurs_with_its_words_side_by_side() {
        assert!(has("It is based on density-functional theory, plane waves", "density functional theory"));
        assert!(has("Density Functional Theory (DFT)", "density functional theories"));
        assert!(has("Suite of nonlinear and differential/algebraic equation solvers", "differential equation"));
        assert!(has("NETGEN is an automatic 3d tetrahedral mesh generator", "mesh generation"));
        assert!(has("An optimized BLAS library", "blas library"));
    }

    #[test]
    fn scattered_words_reversed_words_and_words_across_clauses_are_not_the_phrase() {
        let e1071 = "Misc Functions of the Department of Statistics, Probability Theory Group. \
                     Functions for latent class analysis, density estimation and functional data";
        assert!(!has(e1071, "density functional theory"));
        assert!(!has(e1071, "density functional"));
        assert!(!has("a theory of functional density", "density functional theory"));
        assert!(!has("mesh. Generation", "mesh generation"));
        assert!(!has("mesh of many generations", "mesh generation"), "two words between");
        assert!(!has("C++ template library for linear algebra", "blas library"));
        assert!(!has("", "mesh"));
        assert!(has("mesh", "mesh"));
    }

    #[test]
    fn the_head_says_what_a_package_is() {
        assert!(in_head("OpenBLAS: An optimized BLAS library", "blas library"));
        assert!(in_head(
            "A real-space finite-difference (time-dependent) density-functional theory code",
            "density functional theory"
        ));
        assert!(in_head("NETGEN is an automatic 3d tetrahedral mesh generator", "mesh generation"));
        assert!(in_head("C++ template library for linear algebra", "library"));
        assert!(!in_head("C++ template library for linear algebra", "linear algebra"));
        assert!(!in_head(
            "A tool for generating pseudopotentials within a Density-Functional Theory framework",
            "density functional theory"
        ));
        assert!(!in_head(
            "Libxc is a library of exchange-correlation functionals for density-functional theory",
            "density functional"
        ));
        assert!(!in_head("", "mesh"));
        assert!(!in_head("mesh generation", ""));
    }

    #[test]
    fn long_texts_are_bounded() {
        let long = "word ".repeat(10 * MAX_WORDS);
        let s = stem_sequence([long.as_str()]);
        assert_eq!(&*s.stems, "word");
        assert_eq!(s.seq.len(), MAX_WORDS);
        assert!(s.has(&hashes(&["word", "word"])));
        let many: String = (0..70_000).map(|i| format!("w{i} ")).collect();
        let s = stem_sequence([many.as_str()]);
        assert!(s.seq.len() <= MAX_WORDS);
        assert!(s.has(&hashes(&["w69999"])), "every word is kept as a word");
        assert!(!s.has(&hashes(&["w69999", "w69999"])), "but not in order");
    }
}
