//! Facet counts over every match of an embedded search, from a table built
//! once per index segment: each document's facet ordinals of the six facet
//! fields in memory (the single-valued ones as one row per document), and
//! each ordinal's value. Counting a match is then a few array reads, where tantivy's `FacetCollector` (one per
//! field) decodes six columns per match: a broad query ("mpi", "hdf" on
//! 159,000 documents) counts tens of thousands of matches. The counts are
//! the same (a value counted once per document).
use std::{
    collections::{BTreeMap, HashMap, HashSet},
    sync::{Arc, Mutex},
};

use tantivy::{
    collector::{Collector, SegmentCollector},
    index::SegmentId,
    schema::Facet,
    DocId, Searcher, SegmentOrdinal, SegmentReader,
};

/// The facets counted: (name in `FacetCounts`, facet field).
pub(super) const FACETS: [(&str, &str); 6] = [
    ("ecosystem", "f_ecosystem"),
    ("channel", "f_channel"),
    ("license", "f_license"),
    ("ci", "f_ci"),
    ("archival", "f_archival"),
    ("platform", "f_platform"),
];

/// One facet field of one segment, as read from the index: the ordinals of
/// document `d` are `ords[starts[d]..starts[d + 1]]` (distinct), ordinal
/// `o` is `values[o]`.
struct Column {
    starts: Vec<u32>,
    ords: Vec<u32>,
    values: Vec<String>,
}

impl Column {
    fn of(segment: &SegmentReader, field: &str) -> tantivy::Result<Self> {
        let max_doc = segment.max_doc();
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut ords = Vec::new();
        let mut values = Vec::new();
        starts.push(0);
        if let Ok(reader) = segment.facet_reader(field) {
            for doc in 0..max_doc {
                let from = ords.len();
                for o in reader.facet_ords(doc) {
                    let o = o as u32;
                    if !ords[from..].contains(&o) {
                        ords.push(o);
                    }
                }
                starts.push(ords.len() as u32);
            }
            let mut facet = Facet::root();
            for o in 0..reader.num_facets() as u64 {
                reader.facet_from_ord(o, &mut facet)?;
                // Facet paths may not hold `/`: the index writes `∕` for it.
                values.push(facet.to_path_string().trim_start_matches('/').replace('∕', "/"));
            }
        } else {
            starts.resize(max_doc as usize + 1, 0);
        }
        Ok(Self { starts, ords, values })
    }

    /// At most one value per document, and few enough values for a `u16`.
    fn single_valued(&self) -> bool {
        self.values.len() < usize::from(NONE) && self.starts.windows(2).all(|w| w[1] - w[0] <= 1)
    }
}

/// No value (in a row of single-valued facets).
const NONE: u16 = u16::MAX;

/// The facets of one segment, laid out for counting: the facets with at
/// most one value per document (ecosystem, channel, CI, archival) as one
/// row of `u16` ordinals per document, read in one go; the others (licences,
/// platforms) as their columns. `base[k]` is where facet `k`'s counts start
/// in a flat array of counts.
struct SegmentTable {
    values: Vec<Vec<String>>,
    base: Vec<usize>,
    /// The facets (indexes into `FACETS`) of a row, and the rows.
    single: Vec<usize>,
    rows: Vec<u16>,
    /// The other facets and their columns (values moved out).
    multi: Vec<(usize, Column)>,
}

impl SegmentTable {
    fn of(segment: &SegmentReader) -> tantivy::Result<Self> {
        let columns =
            FACETS.iter().map(|(_, field)| Column::of(segment, field)).collect::<tantivy::Result<Vec<_>>>()?;
        let mut base = Vec::with_capacity(columns.len());
        let mut next = 0;
        for c in &columns {
            base.push(next);
            next += c.values.len();
        }
        let single: Vec<usize> = (0..columns.len()).filter(|&k| columns[k].single_valued()).collect();
        let max_doc = segment.max_doc() as usize;
        let mut rows = Vec::with_capacity(max_doc * single.len());
        for d in 0..max_doc {
            for &k in &single {
                let c = &columns[k];
                let (from, to) = (c.starts[d] as usize, c.starts[d + 1] as usize);
                rows.push(if from == to { NONE } else { c.ords[from] as u16 });
            }
        }
        let mut values = Vec::with_capacity(columns.len());
        let mut multi = Vec::new();
        for (k, mut c) in columns.into_iter().enumerate() {
            values.push(std::mem::take(&mut c.values));
            if !single.contains(&k) {
                multi.push((k, c));
            }
        }
        Ok(Self { values, base, single, rows, multi })
    }

    fn count_slots(&self) -> usize {
        self.values.iter().map(Vec::len).sum()
    }
}

/// The tables of the index's segments, built on first use and dropped once
/// their segment is gone (merged or deleted).
#[derive(Default)]
pub(super) struct FacetTables {
    tables: Mutex<HashMap<SegmentId, Arc<SegmentTable>>>,
}

impl FacetTables {
    fn table(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentTable>> {
        let id = segment.segment_id();
        if let Some(t) = self.lock().get(&id) {
            return Ok(t.clone());
        }
        let table = Arc::new(SegmentTable::of(segment)?);
        self.lock().insert(id, table.clone());
        Ok(table)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentTable>>> {
        self.tables.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Builds the tables of the searcher's new segments (after a commit),
    /// and forgets those of segments it no longer has.
    pub(super) fn prepare(&self, searcher: &Searcher) -> tantivy::Result<()> {
        let live: HashSet<SegmentId> = searcher.segment_readers().iter().map(|s| s.segment_id()).collect();
        self.lock().retain(|id, _| live.contains(id));
        for segment in searcher.segment_readers() {
            self.table(segment)?;
        }
        Ok(())
    }

    /// A collector counting every facet value of the matches.
    pub(super) fn counter(&self) -> FacetCounter<'_> {
        FacetCounter { tables: self }
    }
}

pub(super) struct FacetCounter<'a> {
    tables: &'a FacetTables,
}

/// Facet name → value → count.
pub(super) type Counts = BTreeMap<&'static str, BTreeMap<String, u64>>;

pub(super) struct SegmentCounter {
    table: Arc<SegmentTable>,
    /// Facet `k`'s value `o` counted at `table.base[k] + o`.
    counts: Vec<u32>,
    /// `table.base` of the row's facets, in row order.
    row_base: Vec<usize>,
}

impl Collector for FacetCounter<'_> {
    type Fruit = Counts;
    type Child = SegmentCounter;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentCounter> {
        let table = self.tables.table(segment)?;
        let counts = vec![0; table.count_slots()];
        let row_base = table.single.iter().map(|&k| table.base[k]).collect();
        Ok(SegmentCounter { table, counts, row_base })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut out: Counts = FACETS.iter().map(|(name, _)| (*name, BTreeMap::new())).collect();
        for fruit in fruits {
            for (name, values) in fruit {
                let merged = out.entry(name).or_default();
                for (value, n) in values {
                    *merged.entry(value).or_default() += n;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: tantivy::Score) {
        let d = doc as usize;
        let n = self.row_base.len();
        if let Some(row) = self.table.rows.get(d * n..d * n + n) {
            for (&o, &base) in row.iter().zip(&self.row_base) {
                if o != NONE {
                    self.counts[base + usize::from(o)] += 1;
                }
            }
        }
        for (k, column) in &self.table.multi {
            let (from, to) = (column.starts[d] as usize, column.starts[d + 1] as usize);
            let base = self.table.base[*k];
            for &o in &column.ords[from..to] {
                self.counts[base + o as usize] += 1;
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut out = Counts::new();
        for (k, (name, _)) in FACETS.iter().enumerate() {
            let values = &self.table.values[k];
            let counts = &self.counts[self.table.base[k]..self.table.base[k] + values.len()];
            let found = counts
                .iter()
                .zip(values)
                .filter(|(n, _)| **n > 0)
                .map(|(n, value)| (value.clone(), u64::from(*n)))
                .collect();
            out.insert(*name, found);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use tantivy::{
        collector::{Count, FacetCollector},
        query::AllQuery,
        Index,
    };

    use super::*;
    use crate::search::{
        tantivy_doc::{schema, to_tantivy},
        SearchDocument,
    };

    fn doc(id: u32, eco: &str, licenses: &[&str], platforms: &[&str]) -> SearchDocument {
        SearchDocument {
            id: id.to_string(),
            name: format!("p{id}"),
            ecosystem: eco.into(),
            channel: format!("{eco}/main"),
            licenses: licenses.iter().map(|l| l.to_string()).collect(),
            platforms: platforms.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn counts_are_those_of_tantivys_facet_collector() {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        let mut writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
        let docs = [
            doc(1, "spack", &["MIT", "MIT"], &["x86_64-linux", "nvidia"]),
            doc(2, "guix", &["GPL-3.0-or-later"], &[]),
            doc(3, "spack", &[], &["x86_64-linux"]),
        ];
        for d in &docs[..2] {
            writer.add_document(to_tantivy(&fields, d).unwrap()).unwrap();
        }
        writer.commit().unwrap();
        // A second segment, and a deleted document.
        writer.add_document(to_tantivy(&fields, &docs[2]).unwrap()).unwrap();
        writer.delete_term(tantivy::Term::from_field_text(fields.id, "2"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let tables = FacetTables::default();
        tables.prepare(&searcher).unwrap();
        let (n, counts) = searcher.search(&AllQuery, &(Count, tables.counter())).unwrap();
        assert_eq!(n, 2);
        for (name, field) in FACETS {
            let mut collector = FacetCollector::for_field(field);
            collector.add_facet("/");
            let expected: BTreeMap<String, u64> = searcher
                .search(&AllQuery, &collector)
                .unwrap()
                .get("/")
                .map(|(f, n)| (f.to_path_string().trim_start_matches('/').replace('∕', "/"), n))
                .collect();
            assert_eq!(counts[name], expected, "{name}");
        }
        assert_eq!(counts["channel"]["spack/main"], 2, "a `/` in a value is read back");
        assert_eq!(counts["license"]["MIT"], 1, "a value counted once per document");
        assert_eq!(counts["platform"]["x86_64-linux"], 2);
        assert!(!counts["ecosystem"].contains_key("guix"), "deleted documents are not counted");
    }
}
