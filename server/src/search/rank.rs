//! Ranking, shared by every engine: the engines retrieve candidates, this
//! orders them. Tiers first (exact name, provider of the virtual named,
//! name prefix, name words, name with typos, text), then how much the
//! software is depended upon, then the shorter name. Never by ecosystem.
use app::api::search::{SearchHit, Segment};

use std::sync::Arc;

use super::{
    query::{typo_budget, within_typos, Understood},
    record::RankRecord,
    topic::{topic_cover, topic_groups},
    word_index::{field, hash},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The name (or the name without its language prefix) is what was typed.
    Exact = 0,
    /// It provides the virtual package typed (mpi, blas).
    Provides = 1,
    /// The virtual package itself (Spack's placeholder without versions),
    /// after the packages that provide it.
    Virtual = 2,
    /// The name starts with what was typed.
    Prefix = 3,
    /// Every word typed is a word of the name.
    NameWords = 4,
    /// The name is what was typed, within the typo budget.
    Typo = 5,
    /// Every word is in the name, synopsis, description or variants (the last
    /// as a prefix); all but one for a query of three words or more.
    Text = 6,
    /// Some words match.
    Partial = 7,
    /// An empty query: browse by importance.
    Browse = 8,
}

impl Tier {
    pub fn reason(self) -> &'static str {
        match self {
            Tier::Exact => "name",
            Tier::Provides => "provides",
            Tier::Virtual => "virtual",
            Tier::Prefix => "prefix",
            Tier::NameWords => "words",
            Tier::Typo => "typo",
            Tier::Text => "text",
            Tier::Partial => "partial",
            Tier::Browse => "browse",
        }
    }
}

/// Whether `word` (hashed `h`) is a word of `fields` of the record, as
/// written, or the start of one when `prefix`.
fn in_fields(r: &RankRecord, word: &str, h: u64, fields: u8, prefix: bool) -> bool {
    r.holds(&r.words, h, word, fields, prefix)
}

/// Every field a word may be found in.
const TEXT: u8 = field::NAME_WORDS | field::SYNOPSIS | field::DESCRIPTION | field::PROVIDES | field::VARIANTS;

pub fn tier(q: &Understood, r: &RankRecord) -> Tier {
    classify(q, r, &word_hashes(q)).0
}

/// The query's words' hashes (`word_index::hash`), once per search.
fn word_hashes(q: &Understood) -> Vec<u64> {
    q.words.iter().map(|w| hash(w)).collect()
}

/// The tier, and within the text tiers the field score (0 above them).
fn classify(q: &Understood, r: &RankRecord, hashes: &[u64]) -> (Tier, u32) {
    let tier = |t: Tier| (t, 0);
    if q.folded.is_empty() {
        return tier(Tier::Browse);
    }
    let target = q.folded.as_str();
    if &*r.folded_base == target || &*r.folded_name == target || r.folded_aliases.iter().any(|a| &**a == target) {
        return tier(Tier::Exact);
    }
    if q.spec.is_none() && q.words.len() == 1 && r.provides.iter().any(|p| **p == q.words[0]) {
        return tier(Tier::Provides);
    }
    if q.topic {
        // A topic is read as text: its acronyms are complete words (`fem` is
        // not the start of `femtolisp`), its phrases are concepts.
        let (found, level) = topic_cover(q, r);
        let n = q.concepts.len();
        let t = if found == n || (n >= 3 && found + 1 == n) { Tier::Text } else { Tier::Partial };
        return (t, level);
    }
    if target.len() >= 2 && (r.folded_base.starts_with(target) || r.folded_name.starts_with(target)) {
        return tier(Tier::Prefix);
    }
    let name_words = || r.name_words.iter().map(|w| &**w);
    let n = q.words.len();
    let is_last_prefix = |i: usize| i + 1 == n && q.last_word_is_prefix;
    if n > 0
        && q.words.iter().enumerate().all(|(i, w)| in_fields(r, w, hashes[i], field::NAME_WORDS, is_last_prefix(i)))
    {
        return tier(Tier::NameWords);
    }
    let budget = typo_budget(target);
    if budget > 0
        && (within_typos(target, &r.folded_base, budget)
            || within_typos(target, &r.folded_name, budget)
            || name_words().any(|w| w.len() >= 5 && within_typos(target, w, budget)))
    {
        return tier(Tier::Typo);
    }
    let found = q
        .words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            in_fields(r, w, hashes[*i], TEXT, is_last_prefix(*i))
                || match typo_budget(w) {
                    0 => false,
                    budget => r.words_of(TEXT).any(|t| within_typos(w, t, budget)),
                }
        })
        .count();
    let score = field_score(q, r, hashes);
    // A long query (three words or more) may miss one word.
    if n > 0 && (found == n || (n >= 3 && found + 1 == n)) {
        (Tier::Text, score)
    } else {
        (Tier::Partial, score)
    }
}

/// Orders candidates; returns them with their tier.
pub fn rank(q: &Understood, records: Vec<Arc<RankRecord>>) -> Vec<(Tier, Arc<RankRecord>)> {
    explain(q, records).into_iter().map(|e| (e.tier, e.record)).collect()
}

/// A ranked candidate and why it stands where it does (benchmarks print it).
pub struct Explained {
    pub tier: Tier,
    /// Within the text tiers: the field score, or a topic's coverage level.
    pub score: u32,
    /// A topic's group score (its software's, in hundredths; 0 otherwise).
    pub group: u32,
    pub record: Arc<RankRecord>,
}

/// `rank`, with each candidate's scores.
pub fn explain(q: &Understood, records: Vec<Arc<RankRecord>>) -> Vec<Explained> {
    let hashes = word_hashes(q);
    let mut ranked: Vec<(Tier, u32, Arc<RankRecord>)> = records
        .into_iter()
        .map(|r| {
            let (t, score) = classify(q, &r, &hashes);
            (t, score, r)
        })
        .collect();
    // "mpi" lists the providers of MPI first, then the virtual package itself.
    if ranked.iter().any(|(t, _, _)| *t == Tier::Provides) {
        for (t, _, r) in ranked.iter_mut() {
            if *t == Tier::Exact && r.versions.is_empty() {
                *t = Tier::Virtual;
            }
        }
    }
    // A topic: the software whose packages, across ecosystems, say most of
    // it and that the most packages rely on first (its group score),
    // placeholders without versions last.
    let groups = if q.topic { topic_groups(&ranked) } else { vec![0; ranked.len()] };
    let mut explained: Vec<Explained> = ranked
        .into_iter()
        .zip(groups)
        .map(|((tier, score, record), group)| Explained { tier, score, group, record })
        .collect();
    let placeholder = |r: &RankRecord| q.topic && r.versions.is_empty();
    explained.sort_by(|x, y| {
        let (a, b) = (&x.record, &y.record);
        x.tier
            .cmp(&y.tier)
            .then(placeholder(a).cmp(&placeholder(b)))
            .then(y.group.cmp(&x.group))
            .then(y.score.cmp(&x.score))
            .then(b.dependents.cmp(&a.dependents))
            .then(a.name.len().cmp(&b.name.len()))
            .then(a.name.cmp(&b.name))
            .then(a.channel.cmp(&b.channel))
    });
    explained
}

/// Within the text tiers: where the words were found, as Meilisearch's
/// `attribute` rule does. A word in the name or among the virtuals the package
/// provides weighs 3, in the synopsis 2, in the description or a variant 1.
fn field_score(q: &Understood, r: &RankRecord, hashes: &[u64]) -> u32 {
    let n = q.words.len();
    q.words
        .iter()
        .zip(hashes)
        .enumerate()
        .map(|(i, (w, h))| {
            let prefix = i + 1 == n && q.last_word_is_prefix;
            if in_fields(r, w, *h, field::NAME | field::PROVIDES, prefix) {
                3
            } else if in_fields(r, w, *h, field::SYNOPSIS, prefix) {
                2
            } else if in_fields(r, w, *h, field::DESCRIPTION | field::VARIANTS, prefix) {
                1
            } else {
                0
            }
        })
        .sum()
}

/// The synopsis cut into pieces, those matching a query word marked.
pub fn highlight(text: &str, q: &Understood) -> Vec<Segment> {
    let words: Vec<&str> = q.words.iter().map(String::as_str).filter(|w| w.len() >= 2).collect();
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |s: &str, hit: bool| match out.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(s),
        _ if !s.is_empty() => out.push(Segment { text: s.to_string(), hit }),
        _ => {}
    };
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c.is_alphanumeric() {
            let mut j = i;
            while j < chars.len() && chars[j].1.is_alphanumeric() {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |(p, _)| *p);
            let word = &text[pos..end];
            // The query word's length in the text's word (an ASCII word,
            // nearly all, is compared without lower-casing it into a copy).
            let matched = if word.is_ascii() {
                words
                    .iter()
                    .find(|w| word.len() >= w.len() && word.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes()))
                    .map(|w| w.len())
            } else {
                let lower = word.to_lowercase();
                words
                    .iter()
                    .find(|w| lower.starts_with(**w))
                    .map(|w| word.char_indices().nth(w.chars().count()).map_or(word.len(), |(p, _)| p))
            };
            if let Some(len) = matched {
                push(&text[start..pos], false);
                let cut = pos + len;
                push(&text[pos..cut], true);
                start = cut;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push(&text[start..], false);
    out
}

/// The hit for a ranked document, with the version/variants a spec asked for.
pub fn hit(q: &Understood, tier: Tier, r: &RankRecord) -> SearchHit {
    let (matched_version, matched_variants) = match &q.spec {
        Some(spec) if tier == Tier::Exact => {
            let version = spec.version.as_ref().and_then(|want| {
                r.versions
                    .iter()
                    .map(|v| &**v)
                    .find(|v| {
                        *v == want.as_str()
                            || v.strip_prefix(want.as_str())
                                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('-'))
                    })
                    .map(|v| v.to_string())
            });
            let variants = spec
                .variants
                .iter()
                .filter(|(name, _)| r.variants.iter().any(|v| **v == **name))
                .map(|(name, on)| format!("{}{name}", if *on { "+" } else { "~" }))
                .collect();
            (version, variants)
        }
        _ => (None, Vec::new()),
    };
    SearchHit {
        ecosystem: r.ecosystem.to_string(),
        channel: r.channel.to_string(),
        name: r.name.to_string(),
        version: r.latest_version.as_deref().map(str::to_string),
        synopsis: r.synopsis.as_deref().map(|s| highlight(s, q)).unwrap_or_default(),
        matched_version,
        matched_variants,
        reason: tier.reason().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        catalog::names::fold,
        search::{query::understand, SearchDocument},
    };

    fn records(docs: Vec<SearchDocument>) -> Vec<Arc<RankRecord>> {
        docs.iter().map(|d| Arc::new(RankRecord::of(d))).collect()
    }

    fn tier_of(q: &Understood, d: &SearchDocument) -> Tier {
        tier(q, &RankRecord::of(d))
    }

    pub fn doc(eco: &str, name: &str, base: &str, dependents: i64) -> SearchDocument {
        SearchDocument {
            id: format!("{eco}/{name}"),
            name: name.into(),
            base_name: base.into(),
            folded_name: fold(name),
            folded_base: fold(base),
            aliases: vec![],
            provides: vec![],
            synopsis: None,
            description: None,
            ecosystem: eco.into(),
            channel: eco.into(),
            licenses: vec![],
            maintainers: vec![],
            versions: vec![],
            latest_version: None,
            variants: vec![],
            homepage_host: None,
            dependents,
            ecosystems: 1,
            platforms: vec![],
            ci_status: None,
            archival_status: None,
            maintained: None,
            funded: None,
        }
    }

    #[test]
    fn exact_base_name_first_then_prefix_ties_by_dependents() {
        let q = understand("numpy").unwrap();
        let ranked = rank(
            &q,
            records(vec![
                doc("spack", "py-numpydoc", "numpydoc", 50),
                doc("guix", "python-numpy", "numpy", 300),
                doc("spack", "py-numpy", "numpy", 900),
            ]),
        );
        let names: Vec<&str> = ranked.iter().map(|(_, d)| &*d.name).collect();
        assert_eq!(names, ["py-numpy", "python-numpy", "py-numpydoc"]);
        assert_eq!(ranked[0].0, Tier::Exact);
        assert_eq!(ranked[2].0, Tier::Prefix);
    }

    #[test]
    fn a_virtual_lists_its_providers_before_itself() {
        let q = understand("mpi").unwrap();
        let mut virtual_mpi = doc("spack", "mpi", "mpi", 5000);
        virtual_mpi.synopsis = Some("Virtual package for the Message Passing Interface.".into());
        let mut openmpi = doc("spack", "openmpi", "openmpi", 10);
        openmpi.provides = vec!["mpi".into()];
        openmpi.versions = vec!["5.0.8".into()];
        let mut mpich = doc("spack", "mpich", "mpich", 20);
        mpich.provides = vec!["mpi".into()];
        mpich.versions = vec!["4.3.0".into()];
        let mpip = doc("spack", "mpip", "mpip", 100);
        let ranked = rank(&q, records(vec![virtual_mpi, openmpi, mpip, mpich]));
        let names: Vec<&str> = ranked.iter().map(|(_, d)| &*d.name).collect();
        assert_eq!(names, ["mpich", "openmpi", "mpi", "mpip"]);
        assert_eq!(ranked[2].0, Tier::Virtual);

        // Without providers among the candidates, a name without versions is still exact.
        let ranked = rank(&q, records(vec![doc("spack", "mpi", "mpi", 1)]));
        assert_eq!(ranked[0].0, Tier::Exact);
    }

    #[test]
    fn within_the_text_tier_where_words_are_found_counts_before_dependents() {
        let q = understand("mpi fortran").unwrap();
        let mut hdf5 = doc("spack", "hdf5", "hdf5", 900);
        hdf5.variants = vec!["fortran".into(), "mpi".into()];
        let mut openmpi = doc("spack", "openmpi", "openmpi", 10);
        openmpi.provides = vec!["mpi".into()];
        openmpi.variants = vec!["fortran".into()];
        let ranked = rank(&q, records(vec![hdf5, openmpi]));
        assert_eq!((ranked[0].0, ranked[1].0), (Tier::Text, Tier::Text));
        let names: Vec<&str> = ranked.iter().map(|(_, d)| &*d.name).collect();
        assert_eq!(names, ["openmpi", "hdf5"]);
    }

    #[test]
    fn a_long_query_may_miss_one_word() {
        let mut d = doc("spack", "sundials", "sundials", 1);
        d.synopsis = Some("Solvers for ordinary differential equation systems.".into());
        let t = |q: &str| tier_of(&understand(q).unwrap(), &d);
        assert_eq!(t("ordinary differential equation"), Tier::Text);
        assert_eq!(t("ordinary quantum equation"), Tier::Text, "one word of three missing");
        assert_eq!(t("ordinary quantum graphene equation"), Tier::Partial, "two missing");
        assert_eq!(t("quantum equation"), Tier::Partial, "two words: both needed");
    }

    #[test]
    fn a_topic_ranks_the_software_several_ecosystems_describe_by_it_first() {
        let with = |eco: &str, name: &str, synopsis: &str, dependents: i64| {
            let mut d = doc(eco, name, name, dependents);
            d.synopsis = Some(synopsis.into());
            d.versions = vec!["1.0".into()];
            d
        };
        let docs = vec![
            with("spack", "metis", "Partitioning graphs, partitioning finite element meshes.", 80),
            with("spack", "femtolisp", "A lightweight Lisp.", 1),
            with("spack", "dealii", "C++ finite element library.", 3),
            with("guix", "dealii", "Finite element library", 3),
            with("nix", "dealii", "C++ finite element library", 3),
        ];
        for q in ["fem", "finite element", "finite elements method"] {
            let ranked = rank(&understand(q).unwrap(), records(docs.clone()));
            let names: Vec<&str> = ranked.iter().map(|(_, d)| &*d.name).collect();
            assert_eq!(names[..4], ["dealii", "dealii", "dealii", "metis"], "{q}");
            assert_eq!(ranked[4].0, Tier::Partial, "{q}: femtolisp is no finite element code");
        }
    }

    #[test]
    fn an_acronym_spelling_another_meaning_does_not_count() {
        let mut fftw = doc("spack", "fftw", "fftw", 180);
        fftw.synopsis = Some("Computing the discrete Fourier transform (DFT).".into());
        let mut qe = doc("spack", "quantum-espresso", "quantum-espresso", 0);
        qe.synopsis = Some("Electronic structure based on density functional theory (DFT).".into());
        for q in ["dft", "density functional theory"] {
            let q = understand(q).unwrap();
            assert_eq!(tier_of(&q, &fftw), Tier::Partial);
            assert_eq!(tier_of(&q, &qe), Tier::Text);
        }
        assert_eq!(tier_of(&understand("fft").unwrap(), &fftw), Tier::Text);
    }

    #[test]
    fn text_words_match_by_stem_names_do_not() {
        let mut bwa = doc("guix", "bwa", "bwa", 5);
        bwa.synopsis = Some("Burrows-Wheeler sequence aligner".into());
        let q = understand("sequence alignment").unwrap();
        assert!(q.topic, "several words naming no package are a topic");
        assert_eq!(tier_of(&q, &bwa), Tier::Text, "aligner meets alignment");
        let named = doc("spack", "aligner", "aligner", 1);
        assert_eq!(tier_of(&q, &named), Tier::Partial, "names are not stemmed");
    }

    #[test]
    fn a_long_phrase_may_miss_one_word_an_acronym_with_another_meaning_does_not_count() {
        let mut sundials = doc("guix", "sundials", "sundials", 40);
        sundials.synopsis = Some("Suite of nonlinear and differential/algebraic equation solvers".into());
        sundials.versions = vec!["6.1".into()];
        let mut ode = doc("guix", "ode", "ode", 2);
        ode.synopsis = Some("High performance library for simulating rigid body dynamics".into());
        ode.versions = vec!["0.16".into()];
        let q = understand("ordinary differential equations").unwrap();
        assert_eq!(tier_of(&q, &ode), Tier::Partial, "the Open Dynamics Engine is no ODE solver");
        assert_eq!(tier_of(&understand("ode").unwrap(), &ode), Tier::Exact, "but it is named so");
        assert_eq!(tier_of(&q, &sundials), Tier::Text);
        let ranked = rank(&q, records(vec![ode, sundials]));
        assert_eq!(&*ranked[0].1.name, "sundials");
    }

    #[test]
    fn variants_are_searchable_words() {
        let q = understand("hdf5 fortran").unwrap();
        let mut hdf5 = doc("spack", "hdf5", "hdf5", 1);
        assert_eq!(tier_of(&q, &hdf5), Tier::Partial);
        hdf5.variants = vec!["fortran".into(), "mpi".into()];
        assert_eq!(tier_of(&q, &hdf5), Tier::Text);
    }

    #[test]
    fn typos_and_highlights() {
        let q = understand("nmupy").unwrap();
        assert_eq!(tier_of(&q, &doc("spack", "py-numpy", "numpy", 1)), Tier::Typo);
        let q = understand("mpi fortran").unwrap();
        let segs = highlight("MPI bindings for Fortran 2008", &q);
        let hits: Vec<&str> = segs.iter().filter(|s| s.hit).map(|s| s.text.as_str()).collect();
        assert_eq!(hits, ["MPI", "Fortran"]);
        let text: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(text, "MPI bindings for Fortran 2008");
    }
}
