//! Typed JSON decoding with errors that name the file, the record (index and
//! name) and the JSON path and line of the fault.
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use super::{input::Input, IngestError};

/// Decodes the whole of `input` as `T`.
pub fn decode<T: DeserializeOwned>(input: &Input) -> Result<T, IngestError> {
    let mut de = serde_json::Deserializer::from_slice(&input.bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path: Vec<Segment> = e.path().iter().cloned().collect();
        let inner = e.into_inner();
        located(input, &path, &inner)
    })?;
    de.end().map_err(|e| located(input, &[], &e))?;
    Ok(value)
}

fn located(input: &Input, path: &[Segment], e: &serde_json::Error) -> IngestError {
    let mut message = strip_position(&e.to_string());
    if message.contains("invalid unicode code point") {
        message = "invalid UTF-8 in a string (invalid unicode code point)".into();
    }
    IngestError::Record {
        file: input.name.clone(),
        record: record_of(input, path),
        path: json_path(path),
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// serde_json appends " at line L column C"; we print the place ourselves.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// `$.packages[12].versions[0].sha256`
pub fn json_path(path: &[Segment]) -> String {
    let mut out = String::from("$");
    for seg in path {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !key.is_empty() {
                    out.push('.');
                    out.push_str(key);
                } else {
                    out.push_str(&format!("[{key:?}]"));
                }
            }
            Segment::Enum { variant } => out.push_str(&format!("<{variant}>")),
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

/// The record the fault is in: "record 12 (hdf5)" for list-shaped inputs,
/// "record python312Packages.numpy" for map-shaped ones.
fn record_of(input: &Input, path: &[Segment]) -> Option<String> {
    let (list_key, at) = match path {
        [Segment::Seq { index }, ..] => (None, *index),
        [Segment::Map { key }, Segment::Seq { index }, ..] => (Some(key.as_str()), *index),
        [Segment::Map { .. }, Segment::Map { key }, ..] => return Some(format!("record {key}")),
        _ => return None,
    };
    // Best effort: the record's name, when the document is syntactically valid.
    let name = serde_json::from_slice::<serde_json::Value>(&input.bytes).ok().and_then(|doc| {
        let list = match list_key {
            Some(k) => doc.get(k)?.clone(),
            None => doc,
        };
        list.get(at)?.get("name")?.as_str().map(str::to_string)
    });
    Some(match name {
        Some(n) => format!("record {at} ({n})"),
        None => format!("record {at}"),
    })
}

/// Checks a package name from the input: non-empty, bounded, printable.
pub fn check_name(input: &Input, record: String, name: &str) -> Result<(), IngestError> {
    let problem = if name.trim().is_empty() {
        Some("the package name is empty")
    } else if name.len() > 256 {
        Some("the package name is longer than 256 bytes")
    } else if name.chars().any(char::is_control) {
        Some("the package name contains control characters")
    } else {
        None
    };
    match problem {
        Some(p) => Err(IngestError::Record {
            file: input.name.clone(),
            record: Some(record),
            path: "$.name".into(),
            line: 0,
            column: 0,
            message: p.into(),
        }),
        None => Ok(()),
    }
}

/// A value that channels give as a boolean or (unevaluated) text.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum BoolOrText {
    Bool(bool),
    Text(String),
}

impl BoolOrText {
    /// `true` only for a literal true (text is an unevaluated condition).
    pub fn is_true(&self) -> bool {
        matches!(self, BoolOrText::Bool(true)) || matches!(self, BoolOrText::Text(t) if t == "True")
    }
}

/// One string or a list of strings (Nix homepages, Guix licences).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

/// PostgreSQL text cannot hold U+0000: refuse a record that has one, naming
/// the record and the field (in Pacatlas' reading of it), instead of failing
/// later in the database with no place given.
pub fn check_no_nul(
    input: &Input,
    records: &[crate::catalog::model::PackageRecord],
    by_name: bool,
) -> Result<(), IngestError> {
    fn find(v: &serde_json::Value, path: &mut String) -> bool {
        match v {
            serde_json::Value::String(s) => s.contains('\0'),
            serde_json::Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = find(item, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            serde_json::Value::Object(map) => map.iter().any(|(k, item)| {
                let len = path.len();
                path.push_str(&format!(".{k}"));
                let found = k.contains('\0') || find(item, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            _ => false,
        }
    }
    // JSON can only carry U+0000 as the escape `\u0000`: most inputs have none.
    if memchr::memmem::find(&input.bytes, b"\\u0000").is_none() {
        return Ok(());
    }
    for (i, record) in records.iter().enumerate() {
        // Fast path: serde_json writes U+0000 as the escape `\u0000`.
        if !serde_json::to_string(record).expect("a package record serialises").contains("\\u0000") {
            continue;
        }
        let value = serde_json::to_value(record).expect("a package record serialises");
        let mut path = String::from("$");
        if find(&value, &mut path) {
            return Err(IngestError::Record {
                file: input.name.clone(),
                record: Some(if by_name {
                    format!("record {}", record.name)
                } else {
                    format!("record {i} ({})", record.name)
                }),
                path,
                line: 0,
                column: 0,
                message: "contains a NUL character (U+0000), which cannot be stored".into(),
            });
        }
    }
    Ok(())
}
