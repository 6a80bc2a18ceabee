//! `GET /build/<id>` (Cuirass' "Build information", Hydra's `Build` in
//! `hydra-api.yaml`): one build as a JSON object, with the fields list
//! answers may lack (`nixname`, `system`, times, `jobsetevals`). Fetched a
//! few at a time, each with the client's timeout and retries.
use futures_util::{stream, StreamExt, TryStreamExt};
use serde_json::{Map, Value};

use super::fetch::Client;

/// The fields a build needs to become a row; a list answer lacking one of
/// them is completed from `/build/<id>`.
const NEEDED: [&str; 3] = ["job", "nixname", "system"];

/// Whether `value` (a build of a list answer) lacks a field `/build/<id>` gives.
pub fn lacks_details(value: &Value) -> bool {
    value.is_object() && value.get("id").is_some_and(Value::is_i64) && NEEDED.iter().any(|f| is_missing(value, f))
}

fn is_missing(value: &Value, field: &str) -> bool {
    matches!(value.get(field), None | Some(Value::Null))
}

/// The build `id` of `service` at `base`, as `/build/<id>` says it; `None`
/// when the service answers 404 (it does not know the build).
pub async fn fetch(client: &Client, service: &str, base: &str, id: i64) -> anyhow::Result<Option<Map<String, Value>>> {
    let url = format!("{base}/build/{id}");
    let body = match client.get(&url).await {
        Ok(body) => body,
        Err(e) if e.status == Some(404) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => {
            if map.get("id").and_then(Value::as_i64).is_some_and(|got| got != id) {
                anyhow::bail!("{service}: GET {url}: build {id}: field `id`: the answer is about another build");
            }
            Ok(Some(map))
        }
        Ok(other) => anyhow::bail!("{service}: GET {url}: build {id}: not a JSON object: {}", kind(&other)),
        Err(e) => anyhow::bail!("{service}: GET {url}: build {id}: not JSON: {e}"),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Object(_) => "an object",
    }
}

/// Completes the builds of `values` that lack details with `/build/<id>`
/// (at most `concurrency` requests at a time): fields the list answer has
/// are kept, the others taken from the build's own answer; a build the
/// service does not know (404) is left as the list gave it, for validation
/// to say what it lacks. Returns how many builds were fetched.
pub async fn fill(
    client: &Client,
    service: &str,
    base: &str,
    values: &mut [Value],
    concurrency: usize,
) -> anyhow::Result<usize> {
    let wanted: Vec<(usize, i64)> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| lacks_details(v))
        .filter_map(|(i, v)| v.get("id").and_then(Value::as_i64).map(|id| (i, id)))
        .collect();
    let fetched: Vec<(usize, Option<Map<String, Value>>)> = stream::iter(wanted)
        .map(|(i, id)| async move { fetch(client, service, base, id).await.map(|m| (i, m)) })
        .buffered(concurrency.max(1))
        .try_collect()
        .await?;
    let n = fetched.len();
    for (i, details) in fetched {
        let Some(details) = details else { continue };
        if let Value::Object(row) = &mut values[i] {
            for (k, v) in details {
                if matches!(row.get(&k), None | Some(Value::Null)) {
                    row.insert(k, v);
                }
            }
        }
    }
    Ok(n)
}
