//! English stemming (Snowball, through `rust-stemmers`) of text fields, at
//! index time and at query time, so that word forms meet: "alignment",
//! "aligner" and "aligning" all read `align`, "generation" and "generator"
//! `generat`, "meshing" and "meshes" `mesh`. Names are never stemmed (they
//! are matched as written, folded). Words of three letters or fewer (the
//! field's acronyms: `md`, `ode`, `mpi`) are kept as they are.
use std::{borrow::Cow, collections::HashSet, sync::LazyLock};

use rust_stemmers::{Algorithm, Stemmer};

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// The stem of a lower-case word.
pub fn stem(word: &str) -> Cow<'_, str> {
    if word.chars().count() <= 3 {
        return Cow::Borrowed(word);
    }
    ENGLISH.stem(word)
}

/// The stems of `texts`' words (lower-cased, alphanumeric), each once,
/// joined by single spaces: what the embedded index and the ranking record
/// keep of a text field.
pub fn stems_text<'a>(texts: impl IntoIterator<Item = &'a str>) -> Box<str> {
    let mut out = String::new();
    let mut seen = HashSet::new();
    for text in texts {
        let lower = text.to_lowercase();
        for w in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            let s = stem(w);
            if !seen.contains(&*s) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&s);
                seen.insert(s.into_owned());
            }
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_share_a_stem() {
        assert_eq!(stem("alignment"), stem("aligner"));
        assert_eq!(stem("alignments"), stem("aligning"));
        assert_eq!(stem("generation"), stem("generator"));
        assert_eq!(stem("meshing"), stem("meshes"));
        assert_eq!(stem("meshes"), "mesh");
        assert_eq!(stem("equations"), stem("equation"));
        assert_eq!(stem("libraries"), stem("library"));
        assert_eq!(stem("partitioning"), stem("partitions"));
        assert_ne!(stem("dynamics"), stem("dynamo"));
    }

    #[test]
    fn short_words_and_acronyms_are_kept() {
        assert_eq!(stem("md"), "md");
        assert_eq!(stem("ode"), "ode");
        assert_eq!(stem("mpi"), "mpi");
    }

    #[test]
    fn texts_become_unique_stems() {
        assert_eq!(&*stems_text(["Mesh generators, mesh generation"]), "mesh generat");
        assert_eq!(&*stems_text(["A short-read aligner", "Aligning reads"]), "a short read align");
        assert_eq!(&*stems_text(std::iter::empty()), "");
    }
}
