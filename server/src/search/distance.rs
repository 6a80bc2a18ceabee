//! How far a typed word is from a term: the typo budget of a word
//! (Meilisearch's defaults), the typo rule (a first-letter typo counts two)
//! and the edit distance behind it, as the ranking and the tests read them
//! (the embedded engine's automata, `typo`, match the same terms).

/// How many typing errors a word of this length may carry (Meilisearch's
/// defaults: none below 5 letters, one from 5, two from 9).
pub fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Whether `term` is within `budget` typos of `word`, a typo on the first
/// letter counting as two (Meilisearch's rule, which the embedded engine's
/// automata follow too): the first letters equal and the rests within the
/// budget, or, allowed two, only the first letter replaced, dropped, added
/// before, or swapped with the second.
pub fn within_typos(word: &str, term: &str, budget: u8) -> bool {
    let (Some(a), Some(b)) = (word.chars().next(), term.chars().next()) else {
        return edit_distance(word, term, budget).is_some();
    };
    let (word_rest, term_rest) = (&word[a.len_utf8()..], &term[b.len_utf8()..]);
    if a == b {
        return edit_distance(word_rest, term_rest, budget).is_some();
    }
    budget >= 2 && {
        let swapped = {
            let mut w = word_rest.chars();
            let mut t = term_rest.chars();
            w.next() == Some(b) && t.next() == Some(a) && w.as_str() == t.as_str()
        };
        term_rest == word_rest || term == word_rest || term_rest == word || swapped
    }
}

/// Damerau–Levenshtein (optimal string alignment) distance, stopping early
/// once it exceeds `max`. ASCII words (nearly all) are compared as bytes,
/// without allocating for words up to 64 letters.
pub fn edit_distance(a: &str, b: &str, max: u8) -> Option<u8> {
    if a.is_ascii() && b.is_ascii() {
        // Each edit changes the set of letters used by at most two: words
        // whose letter sets differ more are too far apart (cheap to tell).
        let letters = |s: &str| s.bytes().fold(0u64, |m, c| m | 1 << (c & 63));
        if (letters(a) ^ letters(b)).count_ones() > 2 * u32::from(max) {
            return None;
        }
        return osa(a.as_bytes(), b.as_bytes(), max);
    }
    // Most words compared are too long or too short: tell before allocating.
    if a.chars().count().abs_diff(b.chars().count()) > usize::from(max) {
        return None;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    osa(&a, &b, max)
}

fn osa<T: PartialEq>(a: &[T], b: &[T], max: u8) -> Option<u8> {
    let max = usize::from(max);
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let n = b.len() + 1;
    let mut stack = [0usize; 3 * 65];
    let mut heap = Vec::new();
    let rows: &mut [usize] = if n <= 65 {
        &mut stack[..3 * n]
    } else {
        heap.resize(3 * n, 0);
        &mut heap
    };
    let (mut prev2, rest) = rows.split_at_mut(n);
    let (mut prev, mut cur) = rest.split_at_mut(n);
    for (j, p) in prev.iter_mut().enumerate() {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[n - 1];
    (d <= max).then_some(d as u8)
}
