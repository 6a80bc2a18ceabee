//! A ranking record's words as sorted hashes, built once when the document
//! is indexed: whether a query word is among a record's words (and in which
//! of its fields) is a binary search instead of a scan of its texts. A
//! search ranks up to 400 records, each against every word and form of the
//! query; the scans were most of a search's time over HTTP.
//!
//! Hashes are 64-bit (foldhash with a fixed seed): two different words of
//! one record sharing a hash is improbable enough (about one lookup in
//! 10^17) to be ignored.
use std::hash::BuildHasher;

use foldhash::fast::FixedState;

/// The seed of every word hash (records and queries must agree).
const SEED: u64 = 0x7061_6361_746c_6173;

/// A word's hash.
pub fn hash(word: &str) -> u64 {
    FixedState::with_seed(SEED).hash_one(word)
}

/// The fields of a record a word is in, as bits.
pub mod field {
    /// A word of the package's own name.
    pub const NAME: u8 = 1;
    /// A word of the name or of an alias.
    pub const NAME_WORDS: u8 = 2;
    /// A virtual package it provides (whole: `mpi`, `fftw-api`).
    pub const PROVIDES: u8 = 4;
    pub const SYNOPSIS: u8 = 8;
    pub const DESCRIPTION: u8 = 16;
    pub const VARIANTS: u8 = 32;
}

/// Words (by hash) and the fields each is in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WordIndex {
    hashes: Box<[u64]>,
    fields: Box<[u8]>,
}

impl WordIndex {
    /// The index of `words`, each with the field it was found in (a word
    /// found in several fields has all their bits).
    pub fn new<'a>(words: impl IntoIterator<Item = (&'a str, u8)>) -> Self {
        let mut all: Vec<(u64, u8)> = words.into_iter().map(|(w, f)| (hash(w), f)).collect();
        all.sort_unstable_by_key(|(h, _)| *h);
        let mut hashes = Vec::with_capacity(all.len());
        let mut fields: Vec<u8> = Vec::with_capacity(all.len());
        for (h, f) in all {
            if hashes.last() == Some(&h) {
                if let Some(last) = fields.last_mut() {
                    *last |= f;
                }
            } else {
                hashes.push(h);
                fields.push(f);
            }
        }
        Self { hashes: hashes.into(), fields: fields.into() }
    }

    /// The fields the word hashed `h` is in (0: none).
    pub fn fields(&self, h: u64) -> u8 {
        self.hashes.binary_search(&h).map_or(0, |i| self.fields[i])
    }

    /// How many distinct words it holds.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::{field::*, *};

    #[test]
    fn a_word_is_found_with_every_field_it_is_in() {
        let index = WordIndex::new([("mpi", PROVIDES), ("hdf5", NAME), ("mpi", VARIANTS), ("parallel", SYNOPSIS)]);
        assert_eq!(index.len(), 3);
        assert_eq!(index.fields(hash("mpi")), PROVIDES | VARIANTS);
        assert_eq!(index.fields(hash("hdf5")), NAME);
        assert_eq!(index.fields(hash("parallel")), SYNOPSIS);
        assert_eq!(index.fields(hash("hdf")), 0, "not a prefix");
        assert_eq!(index.fields(hash("")), 0);
        assert!(WordIndex::new([]).is_empty());
        assert_eq!(WordIndex::new([]).fields(hash("mpi")), 0);
    }
}
