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
