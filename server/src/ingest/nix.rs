//! Nix: the channel `packages.json`, version 2:
//! `{"version":2,"packages":{attr:{name,pname,version,system,meta:{…}}}}`.
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{
    input::Input,
    json::{check_name, decode, OneOrMany},
    IngestError,
};
use crate::catalog::{
    licenses,
    model::{LicenseRecord, MaintainerRecord, PackageRecord, VersionRecord},
};

#[derive(Deserialize)]
struct Document {
    version: u32,
    packages: BTreeMap<String, NixPackage>,
}

#[derive(Deserialize)]
struct NixPackage {
    name: Option<String>,
    pname: Option<String>,
    version: Option<String>,
    system: Option<String>,
    #[serde(default)]
    meta: Meta,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Meta {
    description: Option<String>,
    long_description: Option<String>,
    homepage: Option<OneOrMany<String>>,
    license: Option<OneOrMany<License>>,
    #[serde(default)]
    maintainers: Vec<Maintainer>,
    #[serde(default)]
    platforms: Vec<Value>,
    position: Option<String>,
    broken: Option<bool>,
    unfree: Option<bool>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum License {
    Name(String),
    Attrs {
        #[serde(rename = "spdxId")]
        spdx_id: Option<String>,
        #[serde(rename = "shortName")]
        short_name: Option<String>,
        #[serde(rename = "fullName")]
        full_name: Option<String>,
    },
}

#[derive(Deserialize)]
struct Maintainer {
    github: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

pub fn parse(input: &Input) -> Result<Vec<PackageRecord>, IngestError> {
    let doc: Document = decode(input)?;
    if doc.version != 2 {
        return Err(IngestError::Record {
            file: input.name.clone(),
            record: None,
            path: "$.version".into(),
            line: 0,
            column: 0,
            message: format!("packages.json version {} is not supported (expected 2)", doc.version),
        });
    }
    let mut out = Vec::with_capacity(doc.packages.len());
    for (attr, p) in doc.packages {
        check_name(input, format!("record {attr}"), &attr)?;
        out.push(record(attr, p));
    }
    Ok(out)
}

fn record(attr: String, p: NixPackage) -> PackageRecord {
    let m = p.meta;
    let mut extra = serde_json::Map::new();
    if let Some(name) = p.name {
        extra.insert("name".into(), name.into());
    }
    if let Some(system) = p.system {
        extra.insert("system".into(), system.into());
    }
    if let Some(broken) = m.broken {
        extra.insert("broken".into(), broken.into());
    }
    if let Some(unfree) = m.unfree {
        extra.insert("unfree".into(), unfree.into());
    }
    let homepages = m.homepage.map(OneOrMany::into_vec).unwrap_or_default();
    if homepages.len() > 1 {
        extra.insert("homepages".into(), homepages.clone().into());
    }
    let licenses = m
        .license
        .map(OneOrMany::into_vec)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|l| match l {
            License::Name(n) => Some(licenses::record(&n, None)),
            License::Attrs { spdx_id, short_name, full_name } => {
                let raw = spdx_id.clone().or(short_name).or(full_name)?;
                let spdx = spdx_id.as_deref().and_then(licenses::to_spdx);
                Some(LicenseRecord { raw, spdx, condition: None })
            }
        })
        .collect();
    let mut maintainers: Vec<MaintainerRecord> = m
        .maintainers
        .into_iter()
        .filter_map(|mt| match (mt.github, mt.email) {
            (Some(h), _) if !h.is_empty() => {
                Some(MaintainerRecord { forge: "github".into(), handle: h, name: mt.name })
            }
            (_, Some(e)) if !e.is_empty() => Some(MaintainerRecord { forge: "email".into(), handle: e, name: mt.name }),
            _ => None,
        })
        .collect();
    crate::catalog::model::dedup_maintainers(&mut maintainers);
    PackageRecord {
        pname: p.pname,
        latest_version: p.version.clone().filter(|v| !v.is_empty()),
        synopsis: m.description.filter(|s| !s.trim().is_empty()),
        description: m.long_description.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        homepage: homepages.into_iter().next(),
        location: m.position,
        platforms: m.platforms.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        licenses,
        maintainers,
        versions: p
            .version
            .filter(|v| !v.is_empty())
            .map(|version| vec![VersionRecord { version, ..VersionRecord::default() }])
            .unwrap_or_default(),
        extra,
        name: attr,
        ..PackageRecord::default()
    }
}
