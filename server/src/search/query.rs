//! Query understanding, shared by every engine: what the user typed, read as
//! a package name (with the ecosystems' spellings folded away), a Spack spec
//! (`hdf5+mpi`, `gcc@13`, `openmpi@4.1.5 %gcc`), or words of a topic.
//! The engines only retrieve candidates for it; `rank` orders them.
use app::api::search::{SearchParams, MAX_FACET_VALUES, MAX_FACET_VALUE_BYTES, MAX_PAGE};

pub use super::distance::{edit_distance, typo_budget, within_typos};
use crate::catalog::names::fold;

/// Longest query accepted, in characters (a clear 400 beyond).
pub const MAX_QUERY_CHARS: usize = 256;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Understood {
    /// The text as typed, trimmed, control characters removed.
    pub text: String,
    /// Lower-cased words (spec sigils removed), in order.
    pub words: Vec<String>,
    /// The name the user means, folded (`deal.ii` → `dealii`, `open mpi` →
    /// `openmpi`); empty for an empty query.
    pub folded: String,
    /// The package named by a Spack spec, when the query is one.
    pub spec: Option<Spec>,
    /// Whether the last word may be the start of a longer word (search as you type).
    pub last_word_is_prefix: bool,
    /// The query read as concepts: each acronym or phrase of the field's
    /// table (`SYNONYMS`) is one concept matched by any of its forms, every
    /// other word is a concept of its own. Empty for a spec.
    pub concepts: Vec<Concept>,
    /// Whether a concept came from the table, or the query has several
    /// concepts: a topic query (`fem`, `molecular dynamics simulation`,
    /// `sequence alignment`), ranked by topic (`rank`).
    pub topic: bool,
}

/// What one part of a query means: any of its forms, each a list of
/// lower-case words all of which must be found (compared singular, `canon`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Concept {
    pub forms: Vec<Vec<String>>,
    /// The English stems (`stem::stem`) of each form's words, in the same
    /// places: text fields are also matched by stem ("alignment" meets
    /// "aligner"), names never.
    pub stems: Vec<Vec<String>>,
    /// From the table (complete words: never read as a prefix nor with typos).
    pub known: bool,
    /// A word that, in a text, means the acronym stands for something else
    /// there (`AMBIGUOUS`).
    pub unless: Option<String>,
    /// The hashes (`word_index::hash`) of the forms' words compared
    /// singular (`canon`), of their stems, and of `unless` (singular): a
    /// search hashes them once, not once per candidate.
    pub canon_hashes: Vec<Vec<u64>>,
    pub stem_hashes: Vec<Vec<u64>>,
    pub unless_hash: Option<u64>,
}

impl Concept {
    fn new(forms: Vec<Vec<String>>, known: bool, unless: Option<String>) -> Self {
        use super::word_index::hash;
        let stems: Vec<Vec<String>> =
            forms.iter().map(|f| f.iter().map(|w| super::stem::stem(w).into_owned()).collect()).collect();
        let hashes = |words: &Vec<Vec<String>>, f: fn(&str) -> &str| -> Vec<Vec<u64>> {
            words.iter().map(|form| form.iter().map(|w| hash(f(w))).collect()).collect()
        };
        Self {
            canon_hashes: hashes(&forms, canon),
            stem_hashes: hashes(&stems, |w| w),
            unless_hash: unless.as_deref().map(|u| hash(canon(u))),
            forms,
            stems,
            known,
            unless,
        }
    }
}

/// Acronyms of the table with another meaning in the field, and the word
/// that tells it: a text with that word does not count the acronym alone
/// (FFTW: "the discrete Fourier transform (DFT)").
pub const AMBIGUOUS: &[(&str, &str)] = &[("dft", "fourier"), ("md", "markdown"), ("ode", "rigid")];

/// Acronyms of scientific computing and the phrases they stand for, both
/// ways: a query naming any form of a line is read as all of them (`fft`
/// finds "fast Fourier transform", "message passing interface" finds `MPI`).
/// The first form is the acronym; words are compared singular (`canon`).
/// One meaning per acronym, the one of this catalog's field (`dft` is
/// density functional theory, not the discrete Fourier transform).
pub const SYNONYMS: &[&[&str]] = &[
    &["fft", "fast fourier transform", "fourier transform"],
    &["mpi", "message passing interface", "message passing"],
    &["blas", "basic linear algebra subprograms", "basic linear algebra"],
    &["lapack", "linear algebra package"],
    &["pde", "partial differential equation"],
    &["ode", "ordinary differential equation"],
    &["dae", "differential algebraic equation"],
    &["md", "molecular dynamics"],
    &["dft", "density functional theory", "density functional"],
    &["cfd", "computational fluid dynamics"],
    &["fem", "finite element method", "finite element"],
    &["fvm", "finite volume method", "finite volume"],
    &["amr", "adaptive mesh refinement"],
    &["qmmm", "qm mm", "quantum mechanics molecular mechanics"],
    &["qmc", "quantum monte carlo"],
    &["mcmc", "markov chain monte carlo"],
    &["hpc", "high performance computing"],
    &["gpu", "graphics processing unit"],
    &["sph", "smoothed particle hydrodynamics"],
    &["lbm", "lattice boltzmann method", "lattice boltzmann"],
    &["svd", "singular value decomposition"],
    &["fmm", "fast multipole method"],
    &["hmm", "hidden markov model"],
    &["ngs", "next generation sequencing"],
    &["snp", "single nucleotide polymorphism"],
    &["ml", "machine learning"],
];

/// A word compared singular, without allocating: a trailing `s` (not of
/// `ss`, `us`, `is`) goes, then a trailing `ie` or `y` (`libraries` and
/// `library` both read `librar`, `equations` `equation`, `PDEs` `pde`).
/// Words of three letters or fewer are kept as they are.
pub fn canon(w: &str) -> &str {
    let mut w = w;
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w = &w[..w.len() - 1];
    }
    if w.len() > 4 && w.ends_with("ie") {
        w = &w[..w.len() - 2];
    } else if w.len() > 3 && w.ends_with('y') {
        w = &w[..w.len() - 1];
    }
    w
}

/// `SYNONYMS` cut into canonical words, once.
static TABLE: std::sync::LazyLock<Vec<Vec<Vec<String>>>> =
    std::sync::LazyLock::new(|| SYNONYMS.iter().map(|line| line.iter().map(|form| tokens(form)).collect()).collect());

/// The spellings of a word an index may hold, singular and plural
/// (`density`: `densities`; `equations`: `equation`), for engines that
/// match words exactly.
pub fn spellings(w: &str) -> Vec<String> {
    let c = canon(w);
    let mut out = vec![w.to_string()];
    for s in [c.to_string(), format!("{c}s"), format!("{c}y"), format!("{c}ies"), format!("{c}es")] {
        if canon(&s) == c && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Lower-case alphanumeric words of a text.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_lowercase).collect()
}

/// The query's words as concepts (see `Understood::concepts`): at each
/// place the longest phrase of the table, else the word itself.
fn concepts(words: &[String]) -> (Vec<Concept>, bool) {
    let toks: Vec<String> = words.iter().flat_map(|w| tokens(w)).collect();
    let canon_toks: Vec<&str> = toks.iter().map(|t| canon(t)).collect();
    let table = &*TABLE;
    let mut out = Vec::new();
    let mut topic = false;
    let mut i = 0;
    while i < toks.len() {
        let mut best: Option<(usize, usize)> = None;
        for (l, line) in table.iter().enumerate() {
            for form in line {
                let len = form.len();
                if i + len <= toks.len()
                    && form.iter().zip(&canon_toks[i..i + len]).all(|(a, b)| canon(a) == *b)
                    && best.is_none_or(|(_, b)| len > b)
                {
                    best = Some((l, len));
                }
            }
        }
        match best {
            Some((l, len)) => {
                let acronym = table[l][0].join(" ");
                let unless = AMBIGUOUS.iter().find(|(a, _)| *a == acronym).map(|(_, u)| u.to_string());
                out.push(Concept::new(table[l].clone(), true, unless));
                topic = true;
                i += len;
            }
            None => {
                out.push(Concept::new(vec![vec![toks[i].clone()]], false, None));
                i += 1;
            }
        }
    }
    (out, topic)
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spec {
    pub name: String,
    pub version: Option<String>,
    /// `+mpi` → ("mpi", true), `~shared` → ("shared", false), `api=v114` → ("api", true).
    pub variants: Vec<(String, bool)>,
    pub compiler: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum QueryError {
    #[error("the query is longer than {MAX_QUERY_CHARS} characters")]
    TooLong,
    #[error("at most {MAX_FACET_VALUES} `{0}` values may be given")]
    TooManyValues(&'static str),
    #[error("a `{0}` value is longer than {MAX_FACET_VALUE_BYTES} bytes")]
    ValueTooLong(&'static str),
    #[error("page {0} is past the last page a search shows ({MAX_PAGE})")]
    PageTooFar(u32),
}

impl QueryError {
    /// What is wrong, for pages to say in the reader's language.
    pub fn problem(&self) -> app::api::search::SearchProblem {
        use app::api::search::SearchProblem as P;
        let max = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        match self {
            QueryError::TooLong => P::QueryTooLong { max: max(MAX_QUERY_CHARS) },
            QueryError::TooManyValues(f) => P::TooManyValues { facet: f.to_string(), max: max(MAX_FACET_VALUES) },
            QueryError::ValueTooLong(f) => P::ValueTooLong { facet: f.to_string(), max: max(MAX_FACET_VALUE_BYTES) },
            QueryError::PageTooFar(_) => P::PageTooFar { max: MAX_PAGE },
        }
    }
}

/// Refuses requests past the bounds: facet value counts and lengths, the
/// page number (the query's length is checked by `understand`).
pub fn check(params: &SearchParams) -> Result<(), QueryError> {
    for (facet, values) in params.facets() {
        if values.len() > MAX_FACET_VALUES {
            return Err(QueryError::TooManyValues(facet));
        }
        if values.iter().any(|v| v.len() > MAX_FACET_VALUE_BYTES) {
            return Err(QueryError::ValueTooLong(facet));
        }
    }
    if params.page > MAX_PAGE {
        return Err(QueryError::PageTooFar(params.page));
    }
    Ok(())
}

pub fn understand(raw: &str) -> Result<Understood, QueryError> {
    if raw.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let text: String = raw.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let spec = parse_spec(&text);
    let words: Vec<String> = match &spec {
        Some(s) => vec![s.name.clone()],
        None => text
            .split(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        ',' | ';' | '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | '\\' | '*' | '?' | '!'
                    )
            })
            .map(str::to_lowercase)
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '+').to_string())
            .filter(|w| !w.is_empty())
            .collect(),
    };
    let folded = match &spec {
        Some(s) => fold(&s.name),
        None => fold(&words.join("")),
    };
    let (concepts, topic) = if spec.is_none() { concepts(&words) } else { (Vec::new(), false) };
    // Several words that name no package are a topic too ("sequence
    // alignment", "mesh generation"): read as concepts, ranked by topic.
    let topic = topic || concepts.len() >= 2;
    Ok(Understood {
        last_word_is_prefix: spec.is_none() && !text.ends_with(' ') && !words.is_empty(),
        text,
        words,
        folded,
        spec,
        concepts,
        topic,
    })
}

/// A Spack spec: a package name followed by `@version`, `+variant`,
/// `~variant`, `key=value` or `%compiler` parts. A name ending in `+`
/// (`gtk+`) is a name, not a spec.
fn parse_spec(text: &str) -> Option<Spec> {
    let mut tokens = text.split_whitespace();
    let first = tokens.next()?;
    let name_end = first.find(['@', '+', '~', '%']).unwrap_or(first.len());
    let name = &first[..name_end];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return None;
    }
    let mut spec = Spec { name: name.to_lowercase(), ..Spec::default() };
    let mut is_spec = false;
    let mut rest = first[name_end..].to_string();
    for t in tokens {
        rest.push(' ');
        rest.push_str(t);
    }
    if rest.trim().is_empty() {
        return None;
    }
    // Split the remainder into sigil-led parts.
    let mut part = String::new();
    let mut parts = Vec::new();
    for c in rest.chars() {
        if matches!(c, '@' | '+' | '~' | '%' | ' ') {
            if !part.is_empty() {
                parts.push(std::mem::take(&mut part));
            }
            if c != ' ' {
                part.push(c);
            }
        } else {
            part.push(c);
        }
    }
    if !part.is_empty() {
        parts.push(part);
    }
    for p in parts {
        let (sigil, body) = p.split_at(p.chars().next().map_or(0, char::len_utf8));
        match sigil {
            "@" if !body.is_empty() => {
                spec.version = Some(body.to_string());
                is_spec = true;
            }
            "+" if !body.is_empty() => {
                spec.variants.push((body.to_lowercase(), true));
                is_spec = true;
            }
            "~" if !body.is_empty() => {
                spec.variants.push((body.to_lowercase(), false));
                is_spec = true;
            }
            "%" if !body.is_empty() => {
                spec.compiler = Some(body.to_lowercase());
                is_spec = true;
            }
            _ if p.contains('=') => {
                let (k, _) = p.split_once('=').unwrap_or_default();
                spec.variants.push((k.to_lowercase(), true));
                is_spec = true;
            }
            // A lone `+` (gtk+) or a plain second word: not a spec.
            _ => return None,
        }
    }
    is_spec.then_some(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_and_separators() {
        assert_eq!(understand("PETSc").unwrap().folded, "petsc");
        assert_eq!(understand("deal.ii").unwrap().folded, "dealii");
        assert_eq!(understand("open mpi").unwrap().folded, "openmpi");
        assert_eq!(understand("quantum espresso").unwrap().folded, "quantumespresso");
        assert_eq!(understand("  numpy ").unwrap().words, ["numpy"]);
    }

    #[test]
    fn acronyms_and_their_phrases_are_one_concept_both_ways() {
        let forms = |q: &str| -> Vec<Vec<Vec<String>>> {
            understand(q).unwrap().concepts.into_iter().map(|c| c.forms).collect()
        };
        let fft = vec![
            vec!["fft".to_string()],
            vec!["fast".into(), "fourier".into(), "transform".into()],
            vec!["fourier".into(), "transform".into()],
        ];
        assert_eq!(forms("FFT"), std::slice::from_ref(&fft));
        assert_eq!(forms("fast Fourier transforms"), [fft], "plural folded");
        let q = understand("fft library").unwrap();
        assert!(q.topic);
        assert_eq!(q.concepts.len(), 2);
        assert_eq!(q.concepts[1].forms, [vec!["library".to_string()]]);
        assert!(q.concepts[0].known && !q.concepts[1].known);
        // The longest phrase wins: "finite element method" is one concept.
        assert_eq!(understand("finite element method").unwrap().concepts.len(), 1);
        assert_eq!(understand("Partial Differential Equations").unwrap().concepts[0].forms[0], ["pde"]);
        assert_eq!(understand("QM/MM").unwrap().concepts[0].forms[0], ["qmmm"]);
        assert!(!understand("numpy").unwrap().topic);
        assert!(understand("hdf5+mpi").unwrap().concepts.is_empty(), "a spec is no topic");
    }

    #[test]
    fn words_compare_singular() {
        assert_eq!(canon("equations"), "equation");
        assert_eq!(canon("libraries"), canon("library"));
        assert_eq!(canon("PDEs".to_lowercase().as_str()), "pde");
        assert_eq!(canon("dynamics"), canon("dynamic"));
        assert_eq!(canon("analysis"), "analysis");
        assert_eq!(canon("gas"), "gas");
        assert!(spellings("density").contains(&"densities".to_string()));
        assert!(spellings("equations").contains(&"equation".to_string()));
    }

    #[test]
    fn spack_specs_are_understood() {
        let q = understand("hdf5+mpi").unwrap();
        let s = q.spec.unwrap();
        assert_eq!(s.name, "hdf5");
        assert_eq!(s.variants, [("mpi".to_string(), true)]);
        assert_eq!(q.words, ["hdf5"]);

        let s = understand("gcc@13").unwrap().spec.unwrap();
        assert_eq!((s.name.as_str(), s.version.as_deref()), ("gcc", Some("13")));

        let s = understand("openmpi@4.1.5 %gcc").unwrap().spec.unwrap();
        assert_eq!(s.name, "openmpi");
        assert_eq!(s.version.as_deref(), Some("4.1.5"));
        assert_eq!(s.compiler.as_deref(), Some("gcc"));

        let s = understand("hdf5 +mpi ~shared api=v114").unwrap().spec.unwrap();
        assert_eq!(s.variants, [("mpi".to_string(), true), ("shared".to_string(), false), ("api".to_string(), true)]);
    }

    #[test]
    fn plain_words_and_plus_names_are_not_specs() {
        assert_eq!(understand("gtk+").unwrap().spec, None);
        assert_eq!(understand("mpi fortran").unwrap().spec, None);
        assert_eq!(understand("mpi fortran").unwrap().words, ["mpi", "fortran"]);
        assert_eq!(understand("numpy").unwrap().spec, None);
    }

    #[test]
    fn hostile_input_is_harmless() {
        let q = understand(r#""<script>alert(1)</script>" \ "#).unwrap();
        assert!(q.words.iter().all(|w| !w.contains('<') && !w.contains('"') && !w.contains('\\')));
        assert_eq!(understand(&"a".repeat(10_000)), Err(QueryError::TooLong));
        assert_eq!(understand("\u{0}numpy\u{7}").unwrap().words, ["numpy"]);
        assert_eq!(understand("").unwrap().folded, "");
    }

    #[test]
    fn facet_values_and_pages_are_bounded() {
        let ok = SearchParams {
            ecosystem: vec!["spack".into(); 20],
            channel: vec!["c".repeat(100)],
            page: MAX_PAGE,
            ..Default::default()
        };
        assert_eq!(check(&ok), Ok(()));
        let many = SearchParams { license: vec!["MIT".into(); 21], ..ok.clone() };
        assert_eq!(check(&many), Err(QueryError::TooManyValues("license")));
        let long = SearchParams { channel: vec!["é".repeat(51)], ..ok.clone() };
        assert_eq!(check(&long), Err(QueryError::ValueTooLong("channel")));
        let far = SearchParams { page: u32::MAX, ..ok };
        assert_eq!(check(&far), Err(QueryError::PageTooFar(u32::MAX)));
    }

    #[test]
    fn typo_budgets_and_distances() {
        assert_eq!(typo_budget("mpi"), 0);
        assert_eq!(typo_budget("numpy"), 1);
        assert_eq!(typo_budget("tensorflow"), 2);
        assert_eq!(edit_distance("numpy", "nmupy", 1), Some(1), "a transposition is one edit");
        assert_eq!(edit_distance("numpy", "numpyy", 1), Some(1));
        assert_eq!(edit_distance("petsc", "pets", 1), Some(1));
        assert_eq!(edit_distance("petsc", "slepc", 1), None);
        assert_eq!(edit_distance("tensorflow", "tensorflwo", 2), Some(1));
        assert_eq!(edit_distance("", "ab", 2), Some(2));
        assert_eq!(edit_distance("abcd", "wxyz", 2), None, "no letter in common");
        assert_eq!(edit_distance("abcd", "abyz", 2), Some(2), "two substitutions: four letters differ");
        assert_eq!(edit_distance("ab", "", 1), None);
        assert!(within_typos("petcs", "petsc", 1) && !within_typos("setcs", "petcs", 1), "a first-letter typo is two");
        for term in ["densorflwo", "ensorflwo", "xtensorflwo", "etnsorflwo", "tensorflow"] {
            assert!(within_typos("tensorflwo", term, 2), "{term}");
        }
        assert!(!within_typos("tensorflwo", "densorflow", 2), "a first-letter typo and another are three");
        assert_eq!(edit_distance("ñandú", "ñadnú", 1), Some(1), "non-ASCII by characters");
        let long = "x".repeat(100);
        assert_eq!(edit_distance(&long, &format!("{long}y"), 1), Some(1), "long words too");
    }
}
