//! The ranking record: what ranking and a result need of a document,
//! computed once when the document is indexed (names folded, texts
//! lower-cased and cut into words) instead of for every search. The embedded
//! engine keeps one per document in memory; the other engines' documents
//! are turned into one when they arrive.
use super::{
    document::SearchDocument,
    phrase::{stem_sequence, Sequence},
    query::canon,
    word_index::{field, WordIndex},
};
use crate::catalog::names::fold;

#[derive(Clone, Debug, PartialEq)]
pub struct RankRecord {
    pub id: Box<str>,
    pub name: Box<str>,
    pub ecosystem: Box<str>,
    pub channel: Box<str>,
    pub latest_version: Option<Box<str>>,
    /// As written (results highlight it).
    pub synopsis: Option<Box<str>>,
    pub versions: Box<[Box<str>]>,
    pub variants: Box<[Box<str>]>,
    pub provides: Box<[Box<str>]>,
    pub dependents: i64,
    /// How many ecosystems package its software (at least 1).
    pub ecosystems: u32,
    pub folded_name: Box<str>,
    pub folded_base: Box<str>,
    pub folded_aliases: Box<[Box<str>]>,
    /// Lower-case words of the name and the aliases.
    pub name_words: Box<[Box<str>]>,
    /// Lower-case words, each once, separated by one space: of the name
    /// alone, the synopsis, the description and the variants.
    pub own_name_text: Box<str>,
    pub synopsis_text: Box<str>,
    pub description_text: Box<str>,
    pub variants_text: Box<str>,
    /// English stems (`stem`) of the synopsis' words, and of the
    /// description's and variants' words, each once (space separated), with
    /// the words in order (`phrase::stem_sequence`): where a phrase's words
    /// stand side by side, and the synopsis' head.
    pub synopsis_stems: Sequence,
    pub rest_stems: Sequence,
    /// Every word of the fields above (`field` bits say which), as written
    /// (lower case), and compared singular (`canon`): membership without
    /// scanning the texts.
    pub words: WordIndex,
    pub canon_words: WordIndex,
}

fn boxed(v: &[String]) -> Box<[Box<str>]> {
    v.iter().map(|s| s.as_str().into()).collect()
}

/// The lower-case words of `texts`, each once, joined by spaces.
fn words_text<'a>(texts: impl IntoIterator<Item = &'a str>) -> Box<str> {
    let mut out = String::new();
    let mut seen = std::collections::HashSet::new();
    for text in texts {
        let lower = text.to_lowercase();
        for w in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            if seen.insert(w.to_string()) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(w);
            }
        }
    }
    out.into()
}

impl RankRecord {
    pub fn of(d: &SearchDocument) -> Self {
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
        };
        let mut name_words = words(&d.name);
        for a in &d.aliases {
            name_words.extend(words(a));
        }
        let mut r = Self {
            id: d.id.as_str().into(),
            name: d.name.as_str().into(),
            ecosystem: d.ecosystem.as_str().into(),
            channel: d.channel.as_str().into(),
            latest_version: d.latest_version.as_deref().map(Into::into),
            synopsis: d.synopsis.as_deref().map(Into::into),
            versions: boxed(&d.versions),
            variants: boxed(&d.variants),
            provides: boxed(&d.provides),
            dependents: d.dependents,
            ecosystems: u32::try_from(d.ecosystems.max(1)).unwrap_or(u32::MAX),
            folded_name: d.folded_name.as_str().into(),
            folded_base: d.folded_base.as_str().into(),
            folded_aliases: d.aliases.iter().map(|a| fold(a).into()).collect(),
            name_words: boxed(&name_words),
            own_name_text: words_text([d.name.as_str()]),
            synopsis_text: words_text(d.synopsis.as_deref()),
            description_text: words_text(d.description.as_deref()),
            variants_text: words_text(d.variants.iter().map(String::as_str)),
            synopsis_stems: stem_sequence(d.synopsis.as_deref()),
            rest_stems: stem_sequence(
                d.description.as_deref().into_iter().chain(d.variants.iter().map(String::as_str)),
            ),
            words: WordIndex::default(),
            canon_words: WordIndex::default(),
        };
        r.words = WordIndex::new(r.fielded_words());
        r.canon_words = WordIndex::new(r.fielded_words().map(|(w, f)| (canon(w), f)));
        r
    }

    /// Every word of the record's fields with its field bit.
    fn fielded_words(&self) -> impl Iterator<Item = (&str, u8)> {
        [field::NAME, field::NAME_WORDS, field::PROVIDES, field::SYNOPSIS, field::DESCRIPTION, field::VARIANTS]
            .into_iter()
            .flat_map(move |f| self.words_of(f).map(move |w| (w, f)))
    }

    /// Whether a word is among the words of `fields` (bits of `field`),
    /// looked up by its hash `h` in `index` (`words`; or `canon_words`, `h`
    /// the hash of its `canon`), or, when `prefix`, starts one of them.
    pub fn holds(&self, index: &WordIndex, h: u64, word: &str, fields: u8, prefix: bool) -> bool {
        index.fields(h) & fields != 0
            || (prefix && word.len() >= 2 && self.words_of(fields).any(|t| t.starts_with(word)))
    }

    /// The words of the fields `fields` (bits of `field`), in order, as
    /// written: for prefixes and typos, which no hash tells.
    pub fn words_of(&self, fields: u8) -> impl Iterator<Item = &str> + Clone {
        let on = move |f: u8| fields & f != 0;
        let own = on(field::NAME).then_some(&*self.own_name_text);
        let synopsis = on(field::SYNOPSIS).then_some(&*self.synopsis_text);
        let description = on(field::DESCRIPTION).then_some(&*self.description_text);
        let variants = on(field::VARIANTS).then_some(&*self.variants_text);
        let name_words: &[Box<str>] = if on(field::NAME_WORDS) { &self.name_words } else { &[] };
        let provides: &[Box<str>] = if on(field::PROVIDES) { &self.provides } else { &[] };
        own.into_iter()
            .flat_map(Self::words)
            .chain(name_words.iter().map(|w| &**w))
            .chain(synopsis.into_iter().flat_map(Self::words))
            .chain(description.into_iter().flat_map(Self::words))
            .chain(provides.iter().map(|p| &**p))
            .chain(variants.into_iter().flat_map(Self::words))
    }

    /// The words of one of the `*_text` fields.
    pub fn words(text: &str) -> impl Iterator<Item = &str> + Clone {
        text.split_ascii_whitespace()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::phrase;

    #[test]
    fn texts_are_lower_case_words_each_once() {
        let d = SearchDocument {
            id: "7".into(),
            name: "py-Numpy".into(),
            aliases: vec!["numpy".into(), "NumPy-Core".into()],
            synopsis: Some("Arrays, arrays and ARRAYS: numerical Python".into()),
            variants: vec!["MPI".into(), "blas".into()],
            ..Default::default()
        };
        let r = RankRecord::of(&d);
        assert_eq!(&*r.synopsis_text, "arrays and numerical python");
        assert_eq!(&*r.own_name_text, "py numpy");
        assert_eq!(&*r.variants_text, "mpi blas");
        assert_eq!(&*r.description_text, "");
        assert_eq!(&*r.synopsis_stems.stems, "array and numer python");
        assert_eq!(&*r.rest_stems.stems, "mpi blas");
        let b = phrase::BREAK;
        assert_eq!(&*r.synopsis_stems.seq, [0, b, 0, 1, 0, b, 2, 3], "array, array and array: numer python");
        assert_eq!(&*r.rest_stems.seq, [0, b, 1], "each variant a text of its own");
        let name_words: Vec<&str> = r.name_words.iter().map(|w| &**w).collect();
        assert_eq!(name_words, ["py", "numpy", "numpy", "numpy", "core"]);
        let aliases: Vec<&str> = r.folded_aliases.iter().map(|w| &**w).collect();
        assert_eq!(aliases, ["numpy", "numpycore"]);
        assert_eq!(RankRecord::words("a b").collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(RankRecord::words("").count(), 0);
    }

    #[test]
    fn the_word_index_holds_every_word_with_its_fields_as_written_and_singular() {
        use crate::search::word_index::{field::*, hash};
        let d = SearchDocument {
            id: "8".into(),
            name: "py-Numpy".into(),
            aliases: vec!["NumPy-Core".into()],
            synopsis: Some("Arrays for Python".into()),
            description: Some("Numerical arrays and libraries.".into()),
            provides: vec!["array-api".into()],
            variants: vec!["MPI".into()],
            ..Default::default()
        };
        let r = RankRecord::of(&d);
        for f in [NAME, NAME_WORDS, PROVIDES, SYNOPSIS, DESCRIPTION, VARIANTS] {
            for w in r.words_of(f) {
                assert_ne!(r.words.fields(hash(w)) & f, 0, "{w} in field {f}");
                assert_ne!(r.canon_words.fields(hash(canon(w))) & f, 0, "{w} (singular) in field {f}");
            }
        }
        assert_eq!(r.words.fields(hash("numpy")), NAME | NAME_WORDS);
        assert_eq!(r.words.fields(hash("core")), NAME_WORDS, "an alias' word is no word of the name");
        assert_eq!(r.words.fields(hash("arrays")), SYNOPSIS | DESCRIPTION);
        assert_eq!(r.words.fields(hash("array")), 0, "as written");
        assert_eq!(r.canon_words.fields(hash(canon("array"))), SYNOPSIS | DESCRIPTION, "singular");
        assert_eq!(r.canon_words.fields(hash(canon("library"))), DESCRIPTION);
        assert_eq!(r.words.fields(hash("array-api")), PROVIDES, "a virtual whole");
        assert_eq!(r.words.fields(hash("mpi")), VARIANTS);
        assert_eq!(r.words_of(NAME | VARIANTS).collect::<Vec<_>>(), ["py", "numpy", "mpi"]);
    }
}
