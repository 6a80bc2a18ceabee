//! The embedded engine's tantivy side: its schema, how a search document
//! becomes a tantivy document, and how an understood query becomes a
//! tantivy query.

use tantivy::{
    query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery},
    schema::{Facet, FacetOptions, Field, IndexRecordOption, Schema, FAST, STORED, STRING, TEXT},
    Searcher, TantivyDocument, Term,
};

use super::{
    query::{spellings, typo_budget},
    stem::stems_text,
    typo::Automata,
    Retrieval, SearchDocument, SearchError,
};

fn err(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

pub(super) struct Fields {
    pub(super) id: Field,
    pub(super) json: Field,
    pub(super) folded_base: Field,
    pub(super) folded_name: Field,
    /// The prefixes of `folded_base` and of `folded_name` (from 2 to
    /// `MAX_PREFIX` characters): a name prefix is one term to read, not
    /// every name starting so (6,250 of the 150,000 generated Nix names
    /// start with `hdf`).
    pub(super) base_prefix: Field,
    pub(super) name_prefix: Field,
    pub(super) name_text: Field,
    pub(super) body: Field,
    /// English stems of the synopsis, description and variants (`stem`).
    pub(super) stems: Field,
    pub(super) provides: Field,
    pub(super) ecosystem: Field,
    pub(super) channel: Field,
    pub(super) license: Field,
    pub(super) f_ecosystem: Field,
    pub(super) f_channel: Field,
    pub(super) f_license: Field,
    /// CI status (passing, failing, unknown): filter and facet.
    pub(super) ci: Field,
    pub(super) f_ci: Field,
    /// Archival status (archived, partly, not, unknown): filter and facet.
    pub(super) archival: Field,
    pub(super) f_archival: Field,
    /// Platforms (systems, GPU vendors; several a document): filter and facet.
    pub(super) platform: Field,
    pub(super) f_platform: Field,
    pub(super) dependents: Field,
    /// The package id (the document id as a number): finds its ranking record.
    pub(super) pid: Field,
}

pub(super) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        json: b.add_text_field("json", STORED),
        folded_base: b.add_text_field("folded_base", STRING),
        folded_name: b.add_text_field("folded_name", STRING),
        base_prefix: b.add_text_field("base_prefix", STRING),
        name_prefix: b.add_text_field("name_prefix", STRING),
        name_text: b.add_text_field("name_text", TEXT),
        body: b.add_text_field("body", TEXT),
        stems: b.add_text_field("stems", TEXT),
        provides: b.add_text_field("provides", STRING),
        ecosystem: b.add_text_field("ecosystem", STRING),
        channel: b.add_text_field("channel", STRING),
        license: b.add_text_field("license", STRING),
        f_ecosystem: b.add_facet_field("f_ecosystem", FacetOptions::default()),
        f_channel: b.add_facet_field("f_channel", FacetOptions::default()),
        f_license: b.add_facet_field("f_license", FacetOptions::default()),
        ci: b.add_text_field("ci", STRING),
        f_ci: b.add_facet_field("f_ci", FacetOptions::default()),
        archival: b.add_text_field("archival", STRING),
        f_archival: b.add_facet_field("f_archival", FacetOptions::default()),
        platform: b.add_text_field("platform", STRING),
        f_platform: b.add_facet_field("f_platform", FacetOptions::default()),
        dependents: b.add_u64_field("dependents", FAST),
        pid: b.add_u64_field("pid", FAST),
    };
    (b.build(), fields)
}

/// Facet paths may not contain `/`.
fn facet(value: &str) -> Facet {
    Facet::from_path([value.replace('/', "∕")])
}

pub(super) fn to_tantivy(f: &Fields, d: &SearchDocument) -> Result<TantivyDocument, SearchError> {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &d.id);
    doc.add_text(f.json, serde_json::to_string(d).map_err(err)?);
    doc.add_text(f.folded_base, &d.folded_base);
    doc.add_text(f.folded_name, &d.folded_name);
    for p in prefixes(&d.folded_base) {
        doc.add_text(f.base_prefix, p);
    }
    for p in prefixes(&d.folded_name) {
        doc.add_text(f.name_prefix, p);
    }
    doc.add_text(f.name_text, &d.name);
    doc.add_text(f.name_text, &d.base_name);
    for a in &d.aliases {
        doc.add_text(f.name_text, a);
    }
    for t in [&d.synopsis, &d.description].into_iter().flatten() {
        doc.add_text(f.body, t);
    }
    for p in &d.provides {
        doc.add_text(f.provides, p);
        doc.add_text(f.body, p);
    }
    // Spack variants are words people search by ("hdf5 fortran", "mpi cuda").
    for v in &d.variants {
        doc.add_text(f.body, v);
    }
    let texts = [&d.synopsis, &d.description].into_iter().flatten().map(String::as_str);
    doc.add_text(f.stems, &*stems_text(texts.chain(d.variants.iter().map(String::as_str))));
    doc.add_text(f.ecosystem, &d.ecosystem);
    doc.add_text(f.channel, &d.channel);
    doc.add_facet(f.f_ecosystem, facet(&d.ecosystem));
    doc.add_facet(f.f_channel, facet(&d.channel));
    for l in &d.licenses {
        doc.add_text(f.license, l);
        doc.add_facet(f.f_license, facet(l));
    }
    let ci = super::ci_value(d);
    doc.add_text(f.ci, ci);
    doc.add_facet(f.f_ci, facet(ci));
    let archival = super::archival_value(d);
    doc.add_text(f.archival, archival);
    doc.add_facet(f.f_archival, facet(archival));
    for p in &d.platforms {
        doc.add_text(f.platform, p);
        doc.add_facet(f.f_platform, facet(p));
    }
    doc.add_u64(f.dependents, d.dependents.max(0) as u64);
    if let Ok(pid) = d.id.parse::<u64>() {
        doc.add_u64(f.pid, pid);
    }
    Ok(doc)
}

/// The longest name prefix indexed, in characters: a longer query looks
/// for names starting with it through the term dictionary.
const MAX_PREFIX: usize = 24;

/// The prefixes of a folded name from 2 to `MAX_PREFIX` characters (the
/// whole name when shorter).
fn prefixes(folded: &str) -> impl Iterator<Item = &str> {
    folded.char_indices().skip(1).take(MAX_PREFIX - 1).map(move |(i, c)| &folded[..i + c.len_utf8()])
}

fn boosted(q: impl Query + 'static, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(q), boost))
}

pub(super) fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

/// The query for a retrieval, over the index `searcher` reads. A term
/// no document holds (most of a word's plural and singular spellings) is
/// left out: it would match nothing and add nothing to a score, but its
/// clause would still be weighed and given a scorer in every segment.
pub(super) fn build_query(f: &Fields, r: &Retrieval, searcher: &Searcher) -> Box<dyn Query> {
    let q = &r.query;
    let mut automata = Automata::default();
    let held = |t: &Term| searcher.doc_freq(t).map_or(true, |n| n > 0);
    // A term's clause, when some document holds the term.
    let term_clause = |field: Field, text: &str, record: IndexRecordOption, boost: f32| {
        let t = term(field, text);
        held(&t).then(|| (Occur::Should, boosted(TermQuery::new(t, record), boost)))
    };
    let main: Box<dyn Query> = if q.folded.is_empty() {
        Box::new(AllQuery)
    } else {
        let mut should: Vec<(Occur, Box<dyn Query>)> = [f.folded_base, f.folded_name]
            .into_iter()
            .filter_map(|field| term_clause(field, &q.folded, IndexRecordOption::Basic, 20.0))
            .collect();
        // Names starting with it (scored as a constant, as a regex would).
        let chars = q.folded.chars().count();
        if (2..=MAX_PREFIX).contains(&chars) {
            for field in [f.base_prefix, f.name_prefix] {
                let t = term(field, &q.folded);
                if held(&t) {
                    let term = TermQuery::new(t, IndexRecordOption::Basic);
                    should.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(term), 8.0))));
                }
            }
        } else if q.folded.len() >= 2 {
            for field in [f.folded_base, f.folded_name] {
                if let Some(starting) = automata.starting_with(field, &q.folded) {
                    should.push((Occur::Should, boosted(starting, 8.0)));
                }
            }
        }
        let budget = typo_budget(&q.folded);
        if budget > 0 {
            if let Some(fuzzy) = automata.query(f.folded_base, &q.folded, budget, false) {
                should.push((Occur::Should, boosted(fuzzy, 5.0)));
            }
        }
        if q.spec.is_none() && q.words.len() == 1 {
            should.extend(term_clause(f.provides, &q.words[0], IndexRecordOption::Basic, 10.0));
        }
        // Every word somewhere (name or text), with typos, the last as a prefix.
        let n = q.words.len();
        let mut all_words: Vec<Box<dyn Query>> = Vec::new();
        if q.topic {
            // A topic: every concept, by any of its forms (all of a form's
            // words, singular or plural); words outside the table as below.
            let m = q.concepts.len();
            for (i, c) in q.concepts.iter().enumerate() {
                let last = !c.known && i + 1 == m && q.last_word_is_prefix;
                let forms: Vec<(Occur, Box<dyn Query>)> = c
                    .forms
                    .iter()
                    .zip(&c.stems)
                    .map(|(form, stems)| {
                        let words: Vec<Box<dyn Query>> = form
                            .iter()
                            .zip(stems)
                            .map(|(w, stem)| {
                                let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                                for (field, weight) in [(f.name_text, 3.0), (f.body, 1.0)] {
                                    for s in spellings(w) {
                                        alternatives.extend(term_clause(
                                            field,
                                            &s,
                                            IndexRecordOption::WithFreqs,
                                            weight,
                                        ));
                                    }
                                    let b = if c.known { 0 } else { typo_budget(w) };
                                    if b > 0 {
                                        if let Some(fuzzy) = automata.query(field, w, b, false) {
                                            alternatives.push((Occur::Should, boosted(fuzzy, weight * 0.5)));
                                        }
                                    }
                                    if last && w.len() >= 2 {
                                        if let Some(prefix) = automata.query(field, w, 0, true) {
                                            alternatives.push((Occur::Should, boosted(prefix, weight * 0.7)));
                                        }
                                    }
                                }
                                // Other forms of the word in the texts ("aligner" for "alignment").
                                alternatives.extend(term_clause(f.stems, stem, IndexRecordOption::WithFreqs, 0.8));
                                Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>
                            })
                            .collect();
                        // Every word of a form; all but one of a form of three words or more.
                        (Occur::Should, all_or_all_but_one(words))
                    })
                    .collect();
                all_words.push(Box::new(BooleanQuery::new(forms)));
            }
        }
        for (i, word) in q.words.iter().enumerate().filter(|_| !q.topic) {
            let tokens: Vec<String> =
                word.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_lowercase).collect();
            for (k, token) in tokens.iter().enumerate() {
                let last = i + 1 == n && k + 1 == tokens.len() && q.last_word_is_prefix;
                let b = typo_budget(token);
                let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (field, weight) in [(f.name_text, 3.0), (f.body, 1.0)] {
                    alternatives.extend(term_clause(field, token, IndexRecordOption::WithFreqs, weight));
                    if b > 0 {
                        if let Some(fuzzy) = automata.query(field, token, b, false) {
                            alternatives.push((Occur::Should, boosted(fuzzy, weight * 0.5)));
                        }
                    }
                    if last && token.len() >= 2 {
                        if let Some(prefix) = automata.query(field, token, 0, true) {
                            alternatives.push((Occur::Should, boosted(prefix, weight * 0.7)));
                        }
                    }
                }
                all_words.push(Box::new(BooleanQuery::new(alternatives)));
            }
        }
        // Every word; all but one for three words or more (as `rank` reads them).
        if !all_words.is_empty() {
            should.push((Occur::Should, all_or_all_but_one(all_words)));
        }
        Box::new(BooleanQuery::new(should))
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    for (field, values) in [
        (f.ecosystem, &r.filters.ecosystem),
        (f.channel, &r.filters.channel),
        (f.license, &r.filters.license),
        (f.ci, &r.filters.ci),
        (f.archival, &r.filters.archival),
        (f.platform, &r.filters.platform),
    ] {
        if values.is_empty() {
            continue;
        }
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| {
                (Occur::Should, Box::new(TermQuery::new(term(field, v), IndexRecordOption::Basic)) as Box<dyn Query>)
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Up to this many clauses, "all but one" is a union of conjunctions.
const MAX_EXPANDED: usize = 6;

/// Documents matching every clause, or all but one of three or more.
///
/// "All but one" is written as the union of the conjunctions leaving one
/// clause out: each conjunction is led by its rarest clause and seeks the
/// others, where tantivy's minimum-match disjunction walks every posting of
/// every clause ("linear algebra package" read all 159,000 documents holding
/// "package"). A document matching every clause is in each conjunction and
/// scores higher than one missing a word, which is the order wanted.
fn all_or_all_but_one(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    let k = clauses.len();
    let must = |qs: Vec<Box<dyn Query>>| -> Box<dyn Query> {
        Box::new(BooleanQuery::new(qs.into_iter().map(|q| (Occur::Must, q)).collect()))
    };
    if k < 3 {
        return must(clauses);
    }
    if k > MAX_EXPANDED {
        let any = clauses.into_iter().map(|q| (Occur::Should, q)).collect();
        return Box::new(BooleanQuery::with_minimum_required_clauses(any, k - 1));
    }
    let options = (0..k)
        .map(|left_out| {
            let rest = clauses.iter().enumerate().filter(|(i, _)| *i != left_out).map(|(_, q)| q.box_clone()).collect();
            (Occur::Should, must(rest))
        })
        .collect();
    Box::new(BooleanQuery::new(options))
}

#[cfg(test)]
mod tests {
    use tantivy::{
        collector::{DocSetCollector, TopDocs},
        query::RegexQuery,
        Index,
    };

    use super::*;

    fn regex_escape(s: &str) -> String {
        let mut out = String::with_capacity(s.len() * 2);
        for c in s.chars() {
            if c.is_alphanumeric() {
                out.push(c);
            } else {
                out.push('\\');
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn a_name_prefix_is_one_term_matching_what_the_regex_matched() {
        assert_eq!(prefixes("hdf5").collect::<Vec<_>>(), ["hd", "hdf", "hdf5"]);
        assert_eq!(prefixes("x").count(), 0);
        assert_eq!(prefixes("ñandú").next(), Some("ña"), "by characters");
        assert_eq!(prefixes(&"a".repeat(40)).last().map(str::len), Some(MAX_PREFIX));

        let (schema, f) = schema();
        let index = Index::create_in_ram(schema);
        let mut writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
        let long = "averyveryverylongpackagenamebeyondtheprefixes";
        for (i, (name, base)) in
            [("hdf5", "hdf5"), ("pyhdf5", "hdf5"), ("hdfview", "hdfview"), (long, long), ("ñandú", "ñandú")]
                .iter()
                .enumerate()
        {
            let d = SearchDocument {
                id: i.to_string(),
                folded_name: name.to_string(),
                folded_base: base.to_string(),
                ..Default::default()
            };
            writer.add_document(to_tantivy(&f, &d).unwrap()).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        for q in ["hd", "hdf", "hdf5", "pyh", "averyveryverylongpackage", &long[..30], "ña", "zz"] {
            for (prefix_field, field) in [(f.base_prefix, f.folded_base), (f.name_prefix, f.folded_name)] {
                let regex = RegexQuery::from_pattern(&format!("{}.*", regex_escape(q)), field).unwrap();
                let expected = searcher.search(&regex, &DocSetCollector).unwrap();
                if q.chars().count() <= MAX_PREFIX {
                    let term = TermQuery::new(term(prefix_field, q), IndexRecordOption::Basic);
                    assert_eq!(searcher.search(&term, &DocSetCollector).unwrap(), expected, "{q}");
                }
            }
        }
    }

    #[test]
    fn all_but_one_matches_what_the_minimum_match_disjunction_matches_and_ranks_full_matches_first() {
        let (schema, f) = schema();
        let index = Index::create_in_ram(schema);
        let mut writer = index.writer(15_000_000).unwrap();
        let texts = [
            "linear algebra package",
            "linear algebra",
            "algebra package",
            "linear package",
            "package",
            "a b c d e f g",
        ];
        for (i, text) in texts.iter().enumerate() {
            let d = SearchDocument { id: i.to_string(), synopsis: Some(text.to_string()), ..Default::default() };
            writer.add_document(to_tantivy(&f, &d).unwrap()).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let words = |ws: &[&str]| -> Vec<Box<dyn Query>> {
            ws.iter()
                .map(|w| Box::new(TermQuery::new(term(f.body, w), IndexRecordOption::WithFreqs)) as Box<dyn Query>)
                .collect()
        };
        let reference = |ws: &[&str], need: usize| {
            let any = words(ws).into_iter().map(|q| (Occur::Should, q)).collect();
            searcher.search(&BooleanQuery::with_minimum_required_clauses(any, need), &DocSetCollector).unwrap()
        };
        for ws in [&["linear", "algebra", "package"][..], &["linear", "algebra"], &["package"], &["a", "b", "c", "d"]] {
            let need = if ws.len() >= 3 { ws.len() - 1 } else { ws.len() };
            let got = searcher.search(&*all_or_all_but_one(words(ws)), &DocSetCollector).unwrap();
            assert_eq!(got, reference(ws, need), "{ws:?}");
        }
        assert_eq!(
            searcher
                .search(&*all_or_all_but_one(words(&["linear", "algebra", "package"])), &DocSetCollector)
                .unwrap()
                .len(),
            4
        );
        // Past MAX_EXPANDED clauses, the disjunction itself.
        let seven = ["a", "b", "c", "d", "e", "f", "g"];
        assert_eq!(
            searcher.search(&*all_or_all_but_one(words(&seven)), &DocSetCollector).unwrap(),
            reference(&seven, 6)
        );
        let top = searcher
            .search(
                &*all_or_all_but_one(words(&["linear", "algebra", "package"])),
                &TopDocs::with_limit(1).order_by_score(),
            )
            .unwrap();
        let stored: TantivyDocument = searcher.doc(top[0].1).unwrap();
        assert_eq!(
            stored.get_first(f.id).and_then(|v| tantivy::schema::Value::as_str(&v)),
            Some("0"),
            "every word first"
        );
    }
}
