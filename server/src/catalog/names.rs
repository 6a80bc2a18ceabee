//! Names and URLs: the software's own name behind an ecosystem's spelling
//! (py-numpy, python-numpy, python312Packages.numpy → numpy), hosts of
//! homepages and forges. Shared by the catalog (projects) and search.
use super::Ecosystem;

/// Language prefixes each ecosystem puts in front of the software's name.
const SPACK_PREFIXES: &[&str] = &["py-", "r-", "perl-", "lua-", "julia-", "octave-", "rust-", "go-"];
const GUIX_PREFIXES: &[&str] = &[
    "python-", "r-", "perl-", "ghc-", "rust-", "go-", "ocaml-", "emacs-", "julia-", "texlive-", "node-", "guile-",
    "sbcl-", "cl-", "ecl-", "lua-", "java-", "ruby-", "crystal-",
];

/// The software's name with the ecosystem's language prefix (or Nix package
/// set) removed, lower-cased: `py-numpy` → `numpy`, `python312Packages.numpy`
/// → `numpy`, `rPackages.ggplot2` → `ggplot2`.
pub fn base_name(ecosystem: Ecosystem, name: &str) -> String {
    let lower = name.to_lowercase();
    let stripped = match ecosystem {
        Ecosystem::Spack => strip_prefix(&lower, SPACK_PREFIXES),
        Ecosystem::Guix => strip_prefix(&lower, GUIX_PREFIXES),
        Ecosystem::Nix => match name.rsplit_once('.') {
            Some((_, attr)) => attr.to_lowercase(),
            None => lower.clone(),
        },
    };
    stripped
}

fn strip_prefix(name: &str, prefixes: &[&str]) -> String {
    for p in prefixes {
        if let Some(rest) = name.strip_prefix(p) {
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    name.to_string()
}

/// Case and separators removed: `deal.II` → `dealii`, `Open MPI` → `openmpi`,
/// `quantum-espresso` → `quantumespresso`. Used for project keys and matching.
pub fn fold(name: &str) -> String {
    name.chars().filter(|c| !matches!(c, '-' | '_' | '.' | ' ' | '+')).flat_map(char::to_lowercase).collect()
}

/// The key that groups the same software across ecosystems.
pub fn project_key(ecosystem: Ecosystem, name: &str) -> String {
    fold(&base_name(ecosystem, name))
}

/// The host of a URL, lower-case, without `www.`: `https://www.open-mpi.org/x` → `open-mpi.org`.
pub fn host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// The forge a source comes from: the host of its URL, for `git+https://`,
/// `ssh://git@` and scp-like `git@host:path` URLs too.
pub fn forge_host(url: &str) -> Option<String> {
    let url = url.trim();
    if let Some(rest) = url.strip_prefix("git@") {
        return rest.split(':').next().map(|h| h.to_ascii_lowercase());
    }
    let url = url.strip_prefix("git+").unwrap_or(url);
    host(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_names_drop_language_prefixes() {
        assert_eq!(base_name(Ecosystem::Spack, "py-numpy"), "numpy");
        assert_eq!(base_name(Ecosystem::Spack, "r-ggplot2"), "ggplot2");
        assert_eq!(base_name(Ecosystem::Spack, "r"), "r");
        assert_eq!(base_name(Ecosystem::Spack, "hdf5"), "hdf5");
        assert_eq!(base_name(Ecosystem::Guix, "python-numpy"), "numpy");
        assert_eq!(base_name(Ecosystem::Guix, "python"), "python");
        assert_eq!(base_name(Ecosystem::Guix, "ghc-aeson"), "aeson");
        assert_eq!(base_name(Ecosystem::Nix, "python312Packages.numpy"), "numpy");
        assert_eq!(base_name(Ecosystem::Nix, "rPackages.ggplot2"), "ggplot2");
        assert_eq!(base_name(Ecosystem::Nix, "openmpi"), "openmpi");
    }

    #[test]
    fn fold_ignores_case_and_separators() {
        assert_eq!(fold("deal.II"), "dealii");
        assert_eq!(fold("Open MPI"), "openmpi");
        assert_eq!(fold("quantum-espresso"), fold("Quantum_Espresso"));
        assert_eq!(project_key(Ecosystem::Spack, "py-numpy"), project_key(Ecosystem::Guix, "python-numpy"));
    }

    #[test]
    fn hosts_and_forges() {
        assert_eq!(host("https://www.open-mpi.org/software/").as_deref(), Some("open-mpi.org"));
        assert_eq!(forge_host("https://github.com/numpy/numpy.git").as_deref(), Some("github.com"));
        assert_eq!(forge_host("git@gitlab.inria.fr:solverstack/chameleon.git").as_deref(), Some("gitlab.inria.fr"));
        assert_eq!(forge_host("git+https://GitLab.com/a/b").as_deref(), Some("gitlab.com"));
        assert_eq!(forge_host("not a url"), None);
    }
}
