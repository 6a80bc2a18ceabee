//! Ranking a topic query (`Understood::topic`): how a package covers the
//! topic's concepts, and how its software (the packages of one folded base
//! name across ecosystems) is scored by coverage and by how much it is
//! relied upon.
use std::{collections::HashMap, sync::Arc};

use super::{
    query::{canon, Understood},
    rank::Tier,
    record::RankRecord,
};

/// For a topic query, each software's (folded base name's) group score:
/// its coverage, over the ecosystems packaging it among the candidates read
/// as text, the sum of the best coverage of the topic by one of its packages
/// there (a package saying only part of it counts for that part), weighed by
/// how much the software is relied upon: × (1 + log2(1 + dependents) / 4),
/// dependents counted across channels (the most of its packages). Software
/// several ecosystems describe by the topic, and that others build on, ranks
/// before a package that mentions it once.
pub(super) fn topic_groups(ranked: &[(Tier, u32, Arc<RankRecord>)]) -> HashMap<Box<str>, u32> {
    let mut best: HashMap<(&str, &str), u32> = HashMap::new();
    let mut relied: HashMap<&str, i64> = HashMap::new();
    for (t, level, r) in ranked {
        if matches!(t, Tier::Text | Tier::Partial) {
            let e = best.entry((&*r.folded_base, &*r.ecosystem)).or_default();
            *e = (*e).max(*level);
            let d = relied.entry(&*r.folded_base).or_default();
            *d = (*d).max(r.dependents);
        }
    }
    let mut coverage: HashMap<&str, u32> = HashMap::new();
    for ((base, _), level) in best {
        *coverage.entry(base).or_default() += level;
    }
    coverage
        .into_iter()
        .map(|(base, c)| {
            let d = relied.get(base).copied().unwrap_or(0).max(0) as f64;
            let weight = 1.0 + (1.0 + d).log2() / PRIOR_SCALE;
            // In hundredths, so that groups compare as integers.
            (base.into(), (f64::from(c) * weight * 100.0).round() as u32)
        })
        .collect()
}

/// How strongly dependents weigh in a topic's group score: a software with
/// 2^PRIOR_SCALE - 1 dependents weighs twice one with none.
const PRIOR_SCALE: f64 = 4.0;

/// Whether `word` is among `words`, compared singular (`canon`); as the
/// start of one when `prefix`.
fn has_word<'a>(mut words: impl Iterator<Item = &'a str>, word: &str, prefix: bool) -> bool {
    let c = canon(word);
    words.any(|t| canon(t) == c || (prefix && word.len() >= 2 && t.starts_with(word)))
}

/// How a record covers a topic query's concepts: how many are found, and
/// the sum of their levels, as `field_score` weighs words (doubled): a
/// form's words all in the name or the virtuals provided 6, at best in the
/// synopsis 4, in the description or variants 2 (a form weighs its least
/// found word). Text words also match by English stem ("aligner" for
/// "alignment"), names only as written. A form of three words or more may
/// miss one of them, for one level less (SUNDIALS says "differential
/// equation solvers", not "ordinary"); so does the table's acronym alone
/// in a text.
pub(super) fn topic_cover(q: &Understood, r: &RankRecord) -> (usize, u32) {
    let name = || r.name_words.iter().map(|w| &**w).chain(r.provides.iter().map(|p| &**p));
    let synopsis = || RankRecord::words(&r.synopsis_text);
    let rest = || RankRecord::words(&r.description_text).chain(RankRecord::words(&r.variants_text));
    let stem_in = |text: &str, s: &str| RankRecord::words(text).any(|t| t == s);
    let n = q.concepts.len();
    let mut found = 0;
    let mut total = 0;
    for (i, c) in q.concepts.iter().enumerate() {
        let prefix = !c.known && i + 1 == n && q.last_word_is_prefix;
        // An acronym with another meaning in the field does not count in a
        // text that spells that other meaning (FFTW's "discrete Fourier
        // transform (DFT)" is no density functional theory).
        let other_meaning = c.unless.as_deref().is_some_and(|u| {
            has_word(name(), u, false) || has_word(synopsis(), u, false) || has_word(rest(), u, false)
        });
        let level = c
            .forms
            .iter()
            .zip(&c.stems)
            .filter(|(form, _)| !(other_meaning && form.len() == 1))
            .map(|(form, stems)| {
                let mut levels: Vec<u32> = form
                    .iter()
                    .zip(stems)
                    .map(|(w, s)| {
                        if has_word(name(), w, prefix) {
                            6
                        } else if has_word(synopsis(), w, prefix) || stem_in(&r.synopsis_stems, s) {
                            4
                        } else if has_word(rest(), w, prefix) || stem_in(&r.rest_stems, s) {
                            2
                        } else {
                            0
                        }
                    })
                    .collect();
                levels.sort_unstable();
                // An acronym alone in a text may stand for something else
                // in another field: one level less than its phrase.
                let least = levels.first().copied().unwrap_or(0);
                let acronym = c.known && form.len() == 1 && least < 6;
                let all = least.saturating_sub(u32::from(acronym && least > 0));
                // All but its least found word, one level less.
                let most = if levels.len() >= 3 { levels[1].saturating_sub(1) } else { 0 };
                all.max(most)
            })
            .max()
            .unwrap_or(0);
        if level > 0 {
            found += 1;
            total += level;
        }
    }
    (found, total)
}
