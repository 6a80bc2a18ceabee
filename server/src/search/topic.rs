//! Ranking a topic query (`Understood::topic`): how a package covers the
//! topic's concepts, and how its software (the packages of one folded base
//! name across ecosystems) is scored by coverage and by how much it is
//! relied upon.
use std::sync::Arc;

use foldhash::HashMap;

use super::{phrase::Sequence, query::Understood, rank::Tier, record::RankRecord, word_index::field};

/// For a topic query, each candidate's group score: its software's (the
/// packages of one folded base name across ecosystems), its coverage, over
/// the ecosystems packaging it among the candidates read as text, the sum
/// of the best coverage of the topic by one of its packages there (a
/// package saying only part of it counts for that part), weighed by how
/// much the software is relied upon: × (1 + log2(1 + dependents) / 4),
/// dependents counted across channels (the most of its packages). Software
/// several ecosystems describe by the topic, and that others build on,
/// ranks before a package that mentions it once. A language's extension (an
/// R or Python package…: its name is its base name behind a language
/// prefix) serves that language's users: software all of whose packages
/// among the candidates are extensions weighs `EXTENSION` of software of
/// its own saying the same (Spack's `py-tensorflow` and Guix's `tensorflow`
/// are one software, weighed whole). An application (software nothing
/// builds on, so without dependents to tell its weight; not a language's
/// extension) weighs by how many ecosystems package it instead: it covers
/// the topic in each of them at its best level among the candidates (its
/// packages there are the same code whatever their texts say: Quantum
/// ESPRESSO's Guix and Nix synopses do not say DFT), and its weight is ×
/// the number of those ecosystems (being packaged again by another
/// distribution is a judgement of worth that does not depend on the text).
/// Not for extensions (importers package them in bulk from CRAN or PyPI),
/// nor for software with dependents (they tell its weight).
pub(super) fn topic_groups(ranked: &[(Tier, u32, Arc<RankRecord>)]) -> Vec<u32> {
    let mut best: HashMap<(&str, &str), u32> = HashMap::default();
    let mut relied: HashMap<&str, i64> = HashMap::default();
    let mut extension: HashMap<&str, bool> = HashMap::default();
    let mut breadth: HashMap<&str, u32> = HashMap::default();
    for (t, level, r) in ranked {
        if matches!(t, Tier::Text | Tier::Partial) {
            let e = best.entry((&*r.folded_base, &*r.ecosystem)).or_default();
            *e = (*e).max(*level);
            let d = relied.entry(&*r.folded_base).or_default();
            *d = (*d).max(r.dependents);
            let b = breadth.entry(&*r.folded_base).or_default();
            *b = (*b).max(r.ecosystems);
            let x = extension.entry(&*r.folded_base).or_insert(true);
            *x &= r.folded_name != r.folded_base;
        }
    }
    let mut coverage: HashMap<&str, u32> = HashMap::default();
    let mut top: HashMap<&str, (u32, u32)> = HashMap::default();
    for ((base, _), level) in best {
        *coverage.entry(base).or_default() += level;
        let t = top.entry(base).or_default();
        *t = (t.0.max(level), t.1 + 1);
    }
    let scores: HashMap<&str, u32> = coverage
        .into_iter()
        .map(|(base, mut c)| {
            let dependents = relied.get(base).copied().unwrap_or(0).max(0);
            let mut weight = 1.0 + (1.0 + dependents as f64).log2() / PRIOR_SCALE;
            if extension.get(base).copied().unwrap_or(false) {
                weight *= EXTENSION;
            } else if dependents == 0 {
                // An application: every ecosystem packaging it.
                let ecosystems = breadth.get(base).copied().unwrap_or(1).max(1);
                let (level, seen) = top.get(base).copied().unwrap_or_default();
                c += level * ecosystems.saturating_sub(seen);
                weight *= f64::from(ecosystems);
            }
            // In hundredths, so that groups compare as integers.
            (base, (f64::from(c) * weight * 100.0).round() as u32)
        })
        .collect();
    ranked.iter().map(|(_, _, r)| scores.get(&*r.folded_base).copied().unwrap_or(0)).collect()
}

/// How a language's extension weighs in a topic's group score, against
/// software of its own.
const EXTENSION: f64 = 0.5;

/// How strongly dependents weigh in a topic's group score: a software with
/// 2^PRIOR_SCALE - 1 dependents weighs twice one with none.
const PRIOR_SCALE: f64 = 4.0;

/// Whether `word` (`singular`: the hash of its `canon`) is among the words
/// of the record's `fields`, compared singular; as the start of one when
/// `prefix`.
fn has_word(r: &RankRecord, fields: u8, singular: u64, word: &str, prefix: bool) -> bool {
    r.holds(&r.canon_words, singular, word, fields, prefix)
}

/// The fields of a record a topic reads, by weight: the name (and the
/// virtuals provided), the synopsis, the rest.
const NAME: u8 = field::NAME_WORDS | field::PROVIDES;
const REST: u8 = field::DESCRIPTION | field::VARIANTS;

/// How a record covers a topic query's concepts: how many are found, and
/// the sum of their levels, as `field_score` weighs words (doubled): a
/// word in the name or the virtuals provided 6, in the synopsis 4, in the
/// description or variants 2; the table's acronym or phrase in the
/// synopsis' head (the words before the first "for", "of", "with"…: what
/// the package is) 5, an acronym alone in a text one level less. Text words also match by English stem ("aligner" for
/// "alignment"), names only as written. A phrase of the table counts as
/// `phrase_level` says: its words side by side, not scattered.
pub(super) fn topic_cover(q: &Understood, r: &RankRecord) -> (usize, u32) {
    let n = q.concepts.len();
    let mut found = 0;
    let mut total = 0;
    for (i, c) in q.concepts.iter().enumerate() {
        let prefix = !c.known && i + 1 == n && q.last_word_is_prefix;
        // An acronym with another meaning in the field does not count in a
        // text that spells that other meaning (FFTW's "discrete Fourier
        // transform (DFT)" is no density functional theory).
        let other_meaning =
            c.unless_hash.is_some_and(|u| r.canon_words.fields(u) & (NAME | field::SYNOPSIS | REST) != 0);
        let longest = c.forms.iter().map(Vec::len).max().unwrap_or(0);
        let forms = c.forms.iter().zip(&c.canon_hashes).zip(&c.stem_hashes);
        let levels =
            forms.filter(|((form, _), _)| !(other_meaning && form.len() == 1)).map(|((form, singular), stems)| {
                if form.len() != 1 {
                    return (true, phrase_level(r, singular, stems, form.len() == longest));
                }
                let (w, h, s) = (&form[0], singular[0], stems[0]);
                let level: u32 = if has_word(r, NAME, h, w, prefix) {
                    6
                } else if c.known && r.synopsis_stems.in_head(&[s]) {
                    5
                } else if has_word(r, field::SYNOPSIS, h, w, prefix) || r.synopsis_stems.has(&[s]) {
                    4
                } else if has_word(r, REST, h, w, prefix) || r.rest_stems.has(&[s]) {
                    2
                } else {
                    0
                };
                // An acronym alone in a text may stand for something else
                // in another field: one level less than its phrase.
                let acronym = c.known && level < 6;
                (false, level.saturating_sub(u32::from(acronym && level > 0)))
            });
        let (mut phrase, mut alone) = (0, 0);
        for (is_phrase, level) in levels {
            if is_phrase {
                phrase = phrase.max(level);
            } else {
                alone = alone.max(level);
            }
        }
        // An acronym with another meaning in the field (`unless`), alone in
        // a text spelling neither meaning, may mean either: the least
        // evidence (Sleef's "vectorized libm and DFT" is a Fourier
        // transform). In a name it counts in full.
        if c.unless.is_some() && phrase == 0 && alone < 6 {
            alone = alone.min(1);
        }
        let level = phrase.max(alone);
        if level > 0 {
            found += 1;
            total += level;
        }
    }
    (found, total)
}

/// How a record holds a phrase of the table (its words' hashes: `singular`,
/// compared singular, and `stems`): all its words in the name 6; the phrase in the synopsis' head
/// 5 (what the package is: "a density-functional theory code"), elsewhere
/// in the synopsis 4, in the description or variants 2 (its words in
/// order, side by side but for one word between: `Sequence::has`). The
/// line's full phrase (`may_miss`), of three words or more, missing one of
/// its words one level less (SUNDIALS says "differential/algebraic equation
/// solvers", not "ordinary"); the shorter forms are the shortenings the
/// field uses and may not (linear algebra is more than BLAS, "basic linear
/// algebra"). Its words scattered over a text are not the phrase
/// ("probability theory", "density estimation" and "functional data" are
/// no density functional theory): 0.
fn phrase_level(r: &RankRecord, singular: &[u64], stems: &[u64], may_miss: bool) -> u32 {
    if singular.is_empty() {
        return 0;
    }
    if singular.iter().all(|h| r.canon_words.fields(*h) & NAME != 0) {
        return 6;
    }
    if r.synopsis_stems.in_head(stems) {
        return 5;
    }
    let texts: [(&Sequence, u32); 2] = [(&r.synopsis_stems, 4), (&r.rest_stems, 2)];
    if let Some((_, level)) = texts.iter().find(|(s, _)| s.has(stems)) {
        return *level;
    }
    if may_miss && stems.len() >= 3 {
        let mut rest = Vec::with_capacity(stems.len());
        for (s, level) in texts {
            let missing_one = (0..stems.len()).any(|j| {
                rest.clear();
                rest.extend(stems.iter().enumerate().filter(|(i, _)| *i != j).map(|(_, h)| *h));
                s.has(&rest)
            });
            if missing_one {
                return level - 1;
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::topic_cover;
    use crate::search::{
        query::understand,
        rank::{rank, tier, Tier},
        record::RankRecord,
        SearchDocument, Understood,
    };

    fn records(docs: Vec<SearchDocument>) -> Vec<Arc<RankRecord>> {
        docs.iter().map(|d| Arc::new(RankRecord::of(d))).collect()
    }

    fn tier_of(q: &Understood, d: &SearchDocument) -> Tier {
        tier(q, &RankRecord::of(d))
    }

    fn described(
        eco: &str,
        name: &str,
        base: &str,
        synopsis: &str,
        description: &str,
        dependents: i64,
    ) -> SearchDocument {
        let mut d = SearchDocument {
            id: format!("{eco}/{name}"),
            name: name.into(),
            base_name: base.into(),
            folded_name: crate::catalog::names::fold(name),
            folded_base: crate::catalog::names::fold(base),
            ecosystem: eco.into(),
            channel: eco.into(),
            dependents,
            ..Default::default()
        };
        d.synopsis = Some(synopsis.into());
        d.description = Some(description.into());
        d.versions = vec!["1.0".into()];
        d
    }

    #[test]
    fn a_phrase_of_the_table_is_its_words_side_by_side_not_scattered() {
        let qe = described(
            "spack",
            "quantum-espresso",
            "quantum-espresso",
            "Quantum ESPRESSO is a suite of codes for electronic-structure calculations.",
            "It is based on density-functional theory, plane waves, and pseudopotentials.",
            0,
        );
        let stats = |eco: &str| {
            described(
                eco,
                "r-e1071",
                "e1071",
                "Miscellaneous functions for probability theory",
                "Functions for density estimation and functional data.",
                20,
            )
        };
        for q in ["density functional theory", "dft"] {
            let q = understand(q).unwrap();
            assert_eq!(tier_of(&q, &qe), Tier::Text);
            assert_eq!(tier_of(&q, &stats("spack")), Tier::Partial, "scattered words are not the phrase");
            let ranked = rank(&q, records(vec![stats("spack"), stats("guix"), qe.clone()]));
            assert_eq!(&*ranked[0].1.name, "quantum-espresso");
        }
    }

    #[test]
    fn only_the_full_phrase_may_miss_a_word() {
        let eigen = described("spack", "eigen", "eigen", "C++ template library for linear algebra.", "", 100);
        let mut openblas = described("spack", "openblas", "openblas", "OpenBLAS: An optimized BLAS library", "", 3);
        openblas.provides = vec!["blas".into()];
        let q = understand("blas library").unwrap();
        assert_eq!(tier_of(&q, &eigen), Tier::Partial, "linear algebra is more than basic linear algebra");
        assert_eq!(tier_of(&q, &openblas), Tier::Text);
        let ranked = rank(&q, records(vec![eigen.clone(), openblas]));
        assert_eq!(&*ranked[0].1.name, "openblas");
        // The full phrase, "basic linear algebra subprograms", may miss one word.
        let blas = described("spack", "blas-kit", "blas-kit", "Basic linear algebra routines", "", 0);
        assert_eq!(tier_of(&understand("blas").unwrap(), &blas), Tier::Text);
    }

    #[test]
    fn the_synopsis_head_says_what_a_package_is() {
        let code = described("spack", "octopus", "octopus", "A real-space density-functional theory code.", "", 0);
        let tool = described(
            "spack",
            "ape",
            "ape",
            "A tool for generating pseudopotentials within a density-functional theory framework.",
            "",
            0,
        );
        let ranked = rank(&understand("density functional theory").unwrap(), records(vec![tool, code]));
        assert_eq!(&*ranked[0].1.name, "octopus");
    }

    #[test]
    fn an_ambiguous_acronym_alone_is_the_least_evidence() {
        // Sleef's DFT is the discrete Fourier transform, unspelled; it is
        // packaged twice and relied upon, the DFT code is neither.
        let sleef = |eco: &str| {
            described(
                eco,
                "sleef",
                "sleef",
                "SIMD Library for Evaluating Elementary Functions, vectorized libm and DFT.",
                "",
                3,
            )
        };
        let code = described(
            "spack",
            "octopus",
            "octopus",
            "A real-space finite-difference (time-dependent) density-functional theory code.",
            "",
            0,
        );
        let named =
            described("spack", "atom-dft", "atom-dft", "ATOM is a program for DFT calculations in atoms.", "", 0);
        for q in ["dft", "density functional theory"] {
            let q = understand(q).unwrap();
            assert_eq!(tier_of(&q, &sleef("spack")), Tier::Text, "still found");
            let ranked = rank(&q, records(vec![sleef("spack"), sleef("guix"), code.clone(), named.clone()]));
            let names: Vec<&str> = ranked.iter().map(|(_, r)| &*r.name).collect();
            assert_eq!(names, ["atom-dft", "octopus", "sleef", "sleef"], "{q:?}: in a name it counts in full");
        }
        // Spelled out, the acronym beside its phrase counts as before.
        let spelled =
            described("spack", "integratorxx", "integratorxx", "Density functional theory (DFT) grid library.", "", 0);
        assert_eq!(topic_cover(&understand("dft").unwrap(), &RankRecord::of(&spelled)), (1, 5));
    }

    #[test]
    fn software_several_ecosystems_package_weighs_more() {
        let mut qe = described(
            "spack",
            "quantum-espresso",
            "quantum-espresso",
            "Quantum ESPRESSO is an integrated suite of codes for electronic-structure calculations.",
            "It is based on density-functional theory, plane waves, and pseudopotentials.",
            0,
        );
        let libxc = described(
            "spack",
            "libxc",
            "libxc",
            "Libxc is a library of exchange-correlation functionals for density-functional theory.",
            "",
            27,
        );
        let q = understand("dft").unwrap();
        let first = |docs: Vec<SearchDocument>| rank(&q, records(docs))[0].1.name.to_string();
        assert_eq!(first(vec![qe.clone(), libxc.clone()]), "libxc", "packaged once: the library relied upon");
        // Packaged by Spack, Guix and Nix (whose synopses do not say DFT).
        qe.ecosystems = 3;
        assert_eq!(first(vec![qe, libxc.clone()]), "quantum-espresso");
        // Software with dependents weighs by them, however many package it.
        let group = |d: &SearchDocument| crate::search::rank::explain(&q, records(vec![d.clone()]))[0].group;
        let mut everywhere = libxc.clone();
        everywhere.ecosystems = 3;
        assert_eq!(group(&everywhere), group(&libxc));
    }

    #[test]
    fn a_language_extension_weighs_less_than_a_program_saying_the_same() {
        let program = described("spack", "meshgen", "meshgen", "Mesh generation tool.", "", 3);
        let extension = described("spack", "r-meshgen2", "meshgen2", "Mesh generation tool.", "", 3);
        let ranked = rank(&understand("mesh generation").unwrap(), records(vec![extension.clone(), program]));
        assert_eq!(&*ranked[0].1.name, "meshgen");
        // Its name still finds it first.
        let ranked = rank(&understand("r-meshgen2").unwrap(), records(vec![extension]));
        assert_eq!(ranked[0].0, Tier::Exact);
    }
}
