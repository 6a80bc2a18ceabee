//! Platforms and the hardware-support matrix: systems, CPU
//! micro-architectures (archspec, with ancestry), GPU targets, HPC sites with
//! their machines and partitions (`sites`), the sites' attestations
//! (`attest`), the cells of the matrix and their provenance (`cells`), the
//! matrix as pages and exports show it (`matrix`, `export`), and the demo.
pub mod attest;
pub mod cells;
pub mod columns;
pub mod demo;
pub mod export;
pub mod matrix;
pub mod microarch;
pub mod read;
pub mod sites;

/// The systems the matrix has a column for.
pub const SYSTEMS: [&str; 5] = ["x86_64-linux", "aarch64-linux", "powerpc64le-linux", "riscv64-linux", "i686-linux"];

/// The platform search facet's values: the systems of [`SYSTEMS`] and the GPU
/// vendors `nvidia` and `amd`.
pub const FACET_VALUES: [&str; 7] =
    ["x86_64-linux", "aarch64-linux", "powerpc64le-linux", "riscv64-linux", "i686-linux", "nvidia", "amd"];

/// The SQL expression of a package's platforms for the search facet, for the
/// package id expression given: a sorted `text[]` of [`FACET_VALUES`]. A
/// system when Nix `meta.platforms` lists it, a latest build there
/// succeeded (platform_builds, where the service names the system: Guix,
/// Nix) or a site's current attestation at a partition of that system says
/// `works` or `partial`; `nvidia` / `amd` when the recipe has a CUDA / ROCm
/// variant (its GPU facts) or such an attestation is at a partition with
/// that vendor's GPUs. The search documents and the degraded search use it;
/// migration 0011 records the packages whose builds or attestations change.
#[macro_export]
macro_rules! platforms_sql {
    ($id:literal) => {
        concat!(
            "(SELECT COALESCE(array_agg(DISTINCT t.v ORDER BY t.v), '{}'::text[]) FROM (",
            "SELECT unnest(pp.platforms) AS v FROM packages pp WHERE pp.id = ",
            $id,
            " UNION ALL SELECT g.v FROM packages pp, (VALUES ('cuda', 'nvidia'), ('rocm', 'amd')) AS g (model, v) ",
            "WHERE pp.id = ",
            $id,
            " AND jsonb_typeof(pp.extra->'gpu') = 'object' AND pp.extra->'gpu'->>g.model = 'true'",
            " UNION ALL SELECT pb.system FROM platform_builds pb WHERE pb.package_id = ",
            $id,
            " AND pb.status = 'succeeded'",
            " UNION ALL SELECT x.v FROM (SELECT DISTINCT ON (a.partition_id) a.status, pa.system, pa.gpu_vendor ",
            "FROM attestations a JOIN partitions pa ON pa.id = a.partition_id WHERE a.package_id = ",
            $id,
            " ORDER BY a.partition_id, a.attested_on DESC, a.id DESC) cur, LATERAL (VALUES (cur.system), (cur.gpu_vendor)) ",
            "AS x (v) WHERE cur.status IN ('works', 'partial')",
            ") t WHERE t.v IN ('x86_64-linux', 'aarch64-linux', 'powerpc64le-linux', 'riscv64-linux', 'i686-linux', ",
            "'nvidia', 'amd'))"
        )
    };
}

/// Micro-architectures the matrix always shows (archspec names), besides
/// those of the sites' partitions.
pub const MICROARCHS: [&str; 9] =
    ["x86_64_v3", "x86_64_v4", "zen3", "zen4", "sapphirerapids", "neoverse_v1", "neoverse_v2", "a64fx", "power9le"];

/// GPU targets the matrix always shows, besides those of the sites' partitions.
pub const GPU_TARGETS: [&str; 5] = ["sm_70", "sm_80", "sm_90", "gfx90a", "gfx942"];

/// The vendor of a GPU target: CUDA's `sm_XX` are NVIDIA's, ROCm's `gfxXXX` AMD's.
pub fn gpu_vendor(target: &str) -> Option<&'static str> {
    if target.strip_prefix("sm_").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric())) {
        Some("nvidia")
    } else if target.strip_prefix("gfx").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        Some("amd")
    } else {
        None
    }
}

/// A GPU target as Spack's variants spell it: `sm_80` is `cuda_arch=80`,
/// `gfx90a` is `amdgpu_target=gfx90a`.
pub fn spack_gpu_variant(target: &str) -> Option<String> {
    match gpu_vendor(target)? {
        "nvidia" => Some(format!("cuda_arch={}", &target[3..])),
        _ => Some(format!("amdgpu_target={target}")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_facet_sql_knows_every_facet_value() {
        let sql = crate::platforms_sql!("p.id");
        for v in super::FACET_VALUES {
            assert!(sql.contains(&format!("'{v}'")), "{v}");
        }
        assert!(super::SYSTEMS.iter().all(|s| super::FACET_VALUES.contains(s)));
    }
}
