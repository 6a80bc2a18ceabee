//! Which packages of one project are one software, for the dependents a
//! search document carries. The catalog links packages into a project by
//! their folded base name, across ecosystems: Spack's `r-ape` (the R
//! package for phylogenetics) and `ape` (a pseudopotential generator) share
//! one, as do `py-tensorflow`, Guix's `tensorflow` and `r-tensorflow`. A
//! language's extension (its name is its base name behind a language
//! prefix) counts as the same software as the project's programs (named by
//! the base name itself) only when something says so: the same homepage
//! host (not a shared forge or registry), a content word their synopses
//! share, or the extension's synopsis calling itself bindings, an interface
//! or a wrapper of the base name. Programs stay together (the same program
//! packaged by several ecosystems is often described in other words), and
//! so do the extensions left alone (an R package in Spack and Guix).
use std::collections::{HashMap, HashSet};

use crate::catalog::names::fold;

/// A package, as the split reads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Member {
    pub id: i64,
    pub project: Option<i64>,
    pub ecosystem: String,
    pub name: String,
    pub base_name: String,
    pub homepage_host: Option<String>,
    pub synopsis: Option<String>,
    /// The packages depending on this one, in its channel.
    pub dependents: i64,
}

/// What a package's software amounts to: its members' dependents summed,
/// and how many ecosystems package it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Software {
    pub dependents: i64,
    pub ecosystems: u32,
}

/// Hosts many unrelated projects share: the same host says nothing.
const SHARED_HOSTS: &[&str] = &[
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "sourceforge.net",
    "codeberg.org",
    "sr.ht",
    "git.sr.ht",
    "notabug.org",
    "gitee.com",
    "launchpad.net",
    "savannah.gnu.org",
    "savannah.nongnu.org",
    "web.archive.org",
    "pypi.org",
    "pypi.python.org",
    "cran.r-project.org",
    "cloud.r-project.org",
    "bioconductor.org",
    "hackage.haskell.org",
    "metacpan.org",
    "search.cpan.org",
    "crates.io",
    "docs.rs",
    "rubygems.org",
    "npmjs.com",
    "pkg.go.dev",
    "opam.ocaml.org",
    "elpa.gnu.org",
    "melpa.org",
    "juliahub.com",
];

/// Words that tell nothing of what a software is about.
const STOP: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "for",
    "to",
    "in",
    "on",
    "with",
    "within",
    "by",
    "from",
    "using",
    "via",
    "based",
    "that",
    "which",
    "is",
    "are",
    "be",
    "as",
    "at",
    "into",
    "its",
    "it",
    "this",
    "these",
    "your",
    "not",
    "no",
    "library",
    "libraries",
    "tool",
    "tools",
    "package",
    "packages",
    "software",
    "program",
    "programs",
    "module",
    "modules",
    "binding",
    "bindings",
    "interface",
    "interfaces",
    "wrapper",
    "wrappers",
    "python",
    "perl",
    "ruby",
    "rust",
    "haskell",
    "lua",
    "julia",
    "octave",
    "go",
    "r",
    "api",
    "implementation",
    "simple",
    "fast",
    "small",
    "high",
    "performance",
    "open",
    "source",
    "framework",
    "utility",
    "utilities",
    "support",
    "collection",
    "set",
];

/// Words by which an extension says it gives access to another software.
const BINDING: &[&str] =
    &["binding", "bindings", "interface", "interfaces", "wrapper", "wrappers", "wrapping", "wraps", "bridge", "port"];

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// Whether a package is a language's extension: its name is not its base name.
pub fn is_extension(name: &str, base_name: &str) -> bool {
    fold(name) != fold(base_name)
}

/// The content stems of a synopsis: no stop word, not the base name.
fn content(synopsis: Option<&str>, base: &str) -> HashSet<String> {
    words(synopsis.unwrap_or(""))
        .filter(|w| w.len() > 1 && !STOP.contains(&w.as_str()) && fold(w) != base)
        .map(|w| super::stem::stem(&w).into_owned())
        .collect()
}

/// Whether extension `e` is the same software as program `p` (see the module).
fn same_software(e: &Member, p: &Member) -> bool {
    if let (Some(a), Some(b)) = (&e.homepage_host, &p.homepage_host) {
        if a == b && !SHARED_HOSTS.contains(&a.as_str()) {
            return true;
        }
    }
    let base = fold(&p.base_name);
    if !content(e.synopsis.as_deref(), &base).is_disjoint(&content(p.synopsis.as_deref(), &base)) {
        return true;
    }
    let ws: Vec<String> = words(e.synopsis.as_deref().unwrap_or("")).collect();
    ws.iter().any(|w| BINDING.contains(&w.as_str())) && ws.iter().any(|w| fold(w) == base)
}

/// Each member's software (by member id): the members of one project that
/// are one software (see the module), or the member alone without a project.
pub fn software(members: &[Member]) -> HashMap<i64, Software> {
    let mut projects: HashMap<i64, Vec<&Member>> = HashMap::new();
    let mut out = HashMap::with_capacity(members.len());
    for m in members {
        match m.project {
            Some(p) => projects.entry(p).or_default().push(m),
            None => {
                out.insert(m.id, Software { dependents: m.dependents, ecosystems: 1 });
            }
        }
    }
    for members in projects.values() {
        let (programs, extensions): (Vec<&Member>, Vec<&Member>) =
            members.iter().partition(|m| !is_extension(&m.name, &m.base_name));
        let (joined, alone): (Vec<&Member>, Vec<&Member>) = if programs.is_empty() {
            (extensions, Vec::new())
        } else {
            extensions.into_iter().partition(|e| programs.iter().any(|p| same_software(e, p)))
        };
        for group in [programs.into_iter().chain(joined).collect::<Vec<_>>(), alone] {
            let dependents = group.iter().map(|m| m.dependents).sum();
            let ecosystems = group.iter().map(|m| m.ecosystem.as_str()).collect::<HashSet<_>>().len() as u32;
            for m in &group {
                out.insert(m.id, Software { dependents, ecosystems });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: i64, eco: &str, name: &str, base: &str, host: &str, synopsis: &str, dependents: i64) -> Member {
        Member {
            id,
            project: Some(1),
            ecosystem: eco.into(),
            name: name.into(),
            base_name: base.into(),
            homepage_host: (!host.is_empty()).then(|| host.into()),
            synopsis: Some(synopsis.into()),
            dependents,
        }
    }

    #[test]
    fn an_extension_of_another_software_sharing_the_base_name_is_apart() {
        let ape = member(
            1,
            "spack",
            "ape",
            "ape",
            "tddft.org",
            "A tool for generating atomic pseudopotentials within a Density-Functional Theory framework",
            0,
        );
        let r_ape =
            member(2, "spack", "r-ape", "ape", "cloud.r-project.org", "Analyses of Phylogenetics and Evolution.", 24);
        let guix =
            member(3, "guix", "r-ape", "ape", "ape-package.ird.fr", "Analyses of phylogenetics and evolution", 17);
        let s = software(&[ape, r_ape, guix]);
        assert_eq!(s[&1], Software { dependents: 0, ecosystems: 1 }, "the pseudopotential generator borrows nothing");
        assert_eq!(s[&2], Software { dependents: 41, ecosystems: 2 }, "the R package, in Spack and Guix");
        assert_eq!(s[&3], s[&2]);
    }

    #[test]
    fn an_extension_of_the_same_software_stays_with_it() {
        let program = member(1, "guix", "tensorflow", "tensorflow", "tensorflow.org", "Machine learning framework", 5);
        let py = member(
            2,
            "spack",
            "py-tensorflow",
            "tensorflow",
            "tensorflow.org",
            "TensorFlow is an open source machine learning framework for everyone.",
            17,
        );
        let r = member(3, "guix", "r-tensorflow", "tensorflow", "github.com", "R interface to TensorFlow", 1);
        let words = member(4, "guix", "python-yajl", "yajl", "github.com", "Yajl JSON encoder/decoder", 0);
        let yajl = member(5, "spack", "yajl", "yajl", "lloyd.github.io", "Yet Another JSON Library (YAJL)", 4);
        let mut words = words;
        words.project = Some(2);
        let mut yajl = yajl;
        yajl.project = Some(2);
        let s = software(&[program, py, r, words, yajl]);
        for id in [1, 2, 3] {
            assert_eq!(s[&id], Software { dependents: 23, ecosystems: 2 }, "{id}: same host, bindings");
        }
        assert_eq!(s[&4].dependents, 4, "a content word in common (json)");
        let alone = Member { id: 9, project: None, dependents: 3, ..Default::default() };
        assert_eq!(software(&[alone])[&9], Software { dependents: 3, ecosystems: 1 });
    }
}
