//! Folding the records of one channel revision: one record per package
//! name, each version once.
use crate::catalog::{model::PackageRecord, versions};

/// One record per name: Guix lists a name once per version (gcc 11, 12, 13):
/// those become one package with several versions, described by its newest.
/// The same name and version twice is folded into one, with a warning; so is
/// a version listed twice within one record.
pub fn fold(records: Vec<PackageRecord>) -> (Vec<PackageRecord>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out: Vec<PackageRecord> = Vec::with_capacity(records.len());
    let mut merged: Vec<bool> = Vec::new();
    for mut rec in records {
        dedup_versions(&mut rec, &mut warnings);
        match index.get(&rec.name) {
            None => {
                index.insert(rec.name.clone(), out.len());
                out.push(rec);
                merged.push(false);
            }
            Some(&i) => {
                let target = &mut out[i];
                merged[i] = true;
                let newer = versions::compare(
                    rec.latest_version.as_deref().unwrap_or(""),
                    target.latest_version.as_deref().unwrap_or(""),
                )
                .is_gt();
                let incoming = std::mem::take(&mut rec.versions);
                if newer {
                    // The newest entry describes the package; versions accumulate.
                    let versions = std::mem::take(&mut target.versions);
                    let deps = std::mem::take(&mut target.dependencies);
                    *target = rec;
                    target.versions = versions;
                    if target.dependencies.is_empty() {
                        target.dependencies = deps;
                    }
                }
                for v in incoming {
                    if target.versions.iter().any(|t| t.version == v.version) {
                        warnings.push(format!("{}@{} is listed twice; folded into one", target.name, v.version));
                    } else {
                        target.versions.push(v);
                    }
                }
            }
        }
    }
    for (rec, was_merged) in out.iter_mut().zip(merged) {
        if was_merged {
            rec.versions.sort_by(|a, b| versions::compare(&b.version, &a.version));
            rec.latest_version = rec.versions.first().map(|v| v.version.clone());
        }
    }
    (out, warnings)
}

fn dedup_versions(rec: &mut PackageRecord, warnings: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    let before = rec.versions.len();
    let mut kept = Vec::with_capacity(before);
    for v in rec.versions.drain(..) {
        if seen.insert(v.version.clone()) {
            kept.push(v);
        } else {
            warnings.push(format!("{}@{} is listed twice; folded into one", rec.name, v.version));
        }
    }
    rec.versions = kept;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::VersionRecord;

    fn rec(name: &str, version: &str) -> PackageRecord {
        PackageRecord {
            name: name.into(),
            latest_version: Some(version.into()),
            synopsis: Some(format!("{name} {version}")),
            versions: vec![VersionRecord { version: version.into(), ..Default::default() }],
            ..Default::default()
        }
    }

    #[test]
    fn one_name_with_several_versions_is_one_package() {
        let (out, warnings) =
            fold(vec![rec("gcc", "11.5.0"), rec("gcc", "14.2.0"), rec("gcc", "7.5.0"), rec("zlib", "1.3")]);
        assert_eq!(out.len(), 2);
        let gcc = &out[0];
        assert_eq!(gcc.latest_version.as_deref(), Some("14.2.0"));
        assert_eq!(gcc.synopsis.as_deref(), Some("gcc 14.2.0"), "described by its newest entry");
        let vs: Vec<&str> = gcc.versions.iter().map(|v| v.version.as_str()).collect();
        assert_eq!(vs, ["14.2.0", "11.5.0", "7.5.0"]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn same_name_and_version_twice_is_folded_with_a_warning() {
        let (out, warnings) = fold(vec![rec("hdf5", "1.14.5"), rec("hdf5", "1.14.5")]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].versions.len(), 1);
        assert_eq!(warnings, ["hdf5@1.14.5 is listed twice; folded into one"]);
    }
}
