//! CPU micro-architectures from archspec (the `archspec` crate's data): their
//! ancestry (zen4 ⊇ x86_64_v4 ⊇ x86_64_v3…), family and system, and Spack's
//! `target=` constraints over them.
use archspec::cpu::Microarchitecture;

fn known(name: &str) -> Option<&'static Microarchitecture> {
    Microarchitecture::known_targets().get(name).map(|m| m.as_ref())
}

/// Whether archspec knows `name`.
pub fn is_known(name: &str) -> bool {
    known(name).is_some()
}

/// The names of `name`'s ancestors (nearest first), or `None` when archspec does not know it.
pub fn ancestors(name: &str) -> Option<Vec<String>> {
    known(name).map(|m| m.ancestors().iter().map(|a| a.name().to_string()).collect())
}

/// Whether code built for `built` runs on `host`: the same target, or one of
/// `host`'s ancestors (built for x86_64_v3 ⇒ runs on zen4).
pub fn runs_on(built: &str, host: &str) -> bool {
    built == host || known(host).is_some_and(|h| h.ancestors().iter().any(|a| a.name() == built))
}

/// The root of `name`'s family: x86_64, aarch64, ppc64le, riscv64, x86…
pub fn family(name: &str) -> Option<&'static str> {
    known(name).map(|m| m.family().name())
}

/// The system (Nix/Guix spelling) of a family's code, where it is a Linux one.
pub fn system_of_family(family: &str) -> Option<&'static str> {
    match family {
        "x86_64" => Some("x86_64-linux"),
        "aarch64" => Some("aarch64-linux"),
        "ppc64le" => Some("powerpc64le-linux"),
        "riscv64" => Some("riscv64-linux"),
        "x86" => Some("i686-linux"),
        _ => None,
    }
}

/// The family root of a system's code: the generic target every build for it runs on.
pub fn family_of_system(system: &str) -> Option<&'static str> {
    match system {
        "x86_64-linux" => Some("x86_64"),
        "aarch64-linux" => Some("aarch64"),
        "powerpc64le-linux" => Some("ppc64le"),
        "riscv64-linux" => Some("riscv64"),
        "i686-linux" => Some("x86"),
        _ => None,
    }
}

/// The system of target `name` (x86_64_v3 → x86_64-linux).
pub fn system_of(name: &str) -> Option<&'static str> {
    family(name).and_then(system_of_family)
}

/// Whether a Spack `target=` constraint (`zen2`, `zen2:`, `:zen4`, `x86_64:zen4`,
/// several joined by `,`) admits `target`: a range `a:b` holds the targets
/// descending from (or equal to) `a` of which `b` descends (or is `b`).
pub fn constraint_admits(constraint: &str, target: &str) -> bool {
    constraint.split(',').map(str::trim).filter(|c| !c.is_empty()).any(|c| match c.split_once(':') {
        None => c == target,
        Some((low, high)) => (low.is_empty() || runs_on(low, target)) && (high.is_empty() || runs_on(target, high)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestry_comes_from_archspec() {
        let zen4 = ancestors("zen4").unwrap();
        assert!(zen4.iter().any(|a| a == "x86_64_v4"), "{zen4:?}");
        assert!(zen4.iter().any(|a| a == "x86_64_v3"));
        assert!(zen4.iter().any(|a| a == "zen3"));
        assert!(!zen4.iter().any(|a| a == "aarch64"));
        assert!(ancestors("no-such-cpu").is_none());
        assert!(runs_on("x86_64_v3", "zen4"));
        assert!(runs_on("zen4", "zen4"));
        assert!(!runs_on("zen4", "x86_64_v3"), "a zen4 build needs zen4");
        assert!(!runs_on("x86_64_v3", "neoverse_v2"));
        assert!(runs_on("aarch64", "a64fx"));
        assert_eq!(family("sapphirerapids"), Some("x86_64"));
        assert_eq!(system_of("power9le"), Some("powerpc64le-linux"));
        assert_eq!(system_of("neoverse_v2"), Some("aarch64-linux"));
    }

    #[test]
    fn spack_target_ranges() {
        assert!(constraint_admits("x86_64:", "zen4"));
        assert!(constraint_admits("zen2:", "zen4"));
        assert!(!constraint_admits("zen2:", "x86_64_v3"));
        assert!(constraint_admits(":zen3", "zen2"));
        assert!(!constraint_admits(":zen3", "zen4"));
        assert!(constraint_admits("aarch64:,ppc64le:", "power9le"));
        assert!(!constraint_admits("aarch64:", "zen4"));
        assert!(constraint_admits("a64fx", "a64fx"));
    }
}
