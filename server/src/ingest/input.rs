//! Reading an input: a file path or an http(s) URL, decompressed when its
//! first bytes say gzip or zstd (or when it decodes as brotli, which has no
//! magic number), bounded by a size limit, hashed for the ingest record.
use std::io::Read;

use sha2::{Digest, Sha256};

use super::IngestError;

/// One input file, decompressed, with the hash of the bytes as given.
pub struct Input {
    /// The path or URL, as given: every error names it.
    pub name: String,
    pub bytes: Vec<u8>,
    /// sha256 (hex) of the input as read, before decompression.
    pub sha256: String,
    pub raw_len: u64,
}

/// Reads `source` (path or URL) completely, refusing more than `max_bytes`.
pub async fn read(source: &str, max_bytes: u64, read_timeout: std::time::Duration) -> Result<Input, IngestError> {
    let raw = if source.starts_with("http://") || source.starts_with("https://") {
        fetch(source, max_bytes, read_timeout).await?
    } else {
        let path = source.to_string();
        let limit = max_bytes;
        tokio::task::spawn_blocking(move || read_file(&path, limit))
            .await
            .map_err(|e| IngestError::input(source, format!("reader failed: {e}")))??
    };
    let sha256 = hex::encode(Sha256::digest(&raw));
    let raw_len = raw.len() as u64;
    let bytes = decompress(source, raw, max_bytes)?;
    Ok(Input { name: source.to_string(), bytes, sha256, raw_len })
}

/// How an input is named in the ingest history: a file's name (never its
/// directory on the server), or a URL without credentials, query or fragment.
pub fn display_name(source: &str) -> String {
    if source.contains("://") {
        return match url::Url::parse(source) {
            Ok(mut u) => {
                let _ = u.set_username("");
                let _ = u.set_password(None);
                u.set_query(None);
                u.set_fragment(None);
                u.to_string()
            }
            Err(_) => "(URL)".to_string(),
        };
    }
    std::path::Path::new(source)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.to_string())
}

/// Time limits on a download: connecting and the whole transfer (each read
/// is bounded by `Limits::read_timeout`).
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);
const TOTAL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// An input already in memory (embedded data, tests), decompressed as a file would be.
pub fn from_bytes(name: &str, raw: Vec<u8>, max_bytes: u64) -> Result<Input, IngestError> {
    too_large(name, raw.len() as u64, max_bytes)?;
    let sha256 = hex::encode(Sha256::digest(&raw));
    let raw_len = raw.len() as u64;
    let bytes = decompress(name, raw, max_bytes)?;
    Ok(Input { name: name.to_string(), bytes, sha256, raw_len })
}

fn read_file(path: &str, max_bytes: u64) -> Result<Vec<u8>, IngestError> {
    let file = std::fs::File::open(path).map_err(|e| IngestError::input(path, format!("cannot open: {e}")))?;
    let mut bytes = Vec::new();
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::input(path, format!("cannot read: {e}")))?;
    too_large(path, bytes.len() as u64, max_bytes)?;
    Ok(bytes)
}

async fn fetch(url: &str, max_bytes: u64, read_timeout: std::time::Duration) -> Result<Vec<u8>, IngestError> {
    use futures_util::StreamExt;
    let client = reqwest::Client::builder()
        .user_agent(concat!("pacatlas/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(read_timeout)
        .timeout(TOTAL_TIMEOUT)
        .build()
        .map_err(|e| IngestError::input(url, format!("HTTP client: {e}")))?;
    let response =
        client.get(url).send().await.map_err(|e| IngestError::input(url, format!("download failed: {e}")))?;
    if !response.status().is_success() {
        return Err(IngestError::input(url, format!("download failed: HTTP {}", response.status())));
    }
    if let Some(len) = response.content_length() {
        too_large(url, len, max_bytes)?;
    }
    let mut bytes = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| IngestError::input(url, format!("download interrupted: {e}")))?;
        bytes.extend_from_slice(&chunk);
        too_large(url, bytes.len() as u64, max_bytes)?;
    }
    Ok(bytes)
}

fn too_large(name: &str, len: u64, max: u64) -> Result<(), IngestError> {
    if len > max {
        return Err(IngestError::input(name, format!("larger than the limit of {max} bytes (ingest_max_bytes)")));
    }
    Ok(())
}

const GZIP: [u8; 2] = [0x1f, 0x8b];
const ZSTD: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Plain JSON starts (after optional BOM/white space) with `{` or `[`.
fn looks_like_json(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    bytes.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| *b == b'{' || *b == b'[')
}

fn decompress(name: &str, raw: Vec<u8>, max_bytes: u64) -> Result<Vec<u8>, IngestError> {
    let bounded = |reader: Box<dyn Read + '_>, what: &str| -> Result<Vec<u8>, IngestError> {
        let mut out = Vec::new();
        reader
            .take(max_bytes + 1)
            .read_to_end(&mut out)
            .map_err(|e| IngestError::input(name, format!("invalid {what} data: {e}")))?;
        if out.len() as u64 > max_bytes {
            return Err(IngestError::input(
                name,
                format!("decompresses to more than the limit of {max_bytes} bytes (ingest_max_bytes)"),
            ));
        }
        Ok(out)
    };
    if raw.starts_with(&GZIP) {
        return bounded(Box::new(flate2::read::MultiGzDecoder::new(&raw[..])), "gzip");
    }
    if raw.starts_with(&ZSTD) {
        let decoder = ruzstd::decoding::StreamingDecoder::new(&raw[..])
            .map_err(|e| IngestError::input(name, format!("invalid zstd data: {e}")))?;
        return bounded(Box::new(decoder), "zstd");
    }
    if looks_like_json(&raw) || raw.is_empty() {
        return Ok(raw);
    }
    // Brotli has no magic number: try it, and say plainly what was expected if it fails.
    let decoder = brotli_decompressor::Decompressor::new(&raw[..], 64 * 1024);
    match bounded(Box::new(decoder), "brotli") {
        Ok(out) if looks_like_json(&out) => Ok(out),
        Ok(_) | Err(_) if raw.iter().take(64).all(|b| !b.is_ascii_control() || b.is_ascii_whitespace()) => {
            // Text that is not JSON: let the JSON parser name the place.
            Ok(raw)
        }
        Ok(_) | Err(_) => {
            Err(IngestError::input(name, "is neither JSON nor gzip, zstd or brotli compressed JSON".to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const JSON: &[u8] = br#"{"version": 2, "packages": {}}"#;

    #[test]
    fn plain_gzip_zstd_brotli_are_recognised() {
        assert_eq!(decompress("x", JSON.to_vec(), 1 << 20).unwrap(), JSON);

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(JSON).unwrap();
        assert_eq!(decompress("x.gz", gz.finish().unwrap(), 1 << 20).unwrap(), JSON);

        let zst = ruzstd::encoding::compress_to_vec(JSON, ruzstd::encoding::CompressionLevel::Fastest);
        assert_eq!(decompress("x.zst", zst, 1 << 20).unwrap(), JSON);

        let mut br = Vec::new();
        {
            let mut w = brotli_writer(&mut br);
            w.write_all(JSON).unwrap();
        }
        assert_eq!(decompress("x.br", br, 1 << 20).unwrap(), JSON);
    }

    fn brotli_writer(out: &mut Vec<u8>) -> impl Write + '_ {
        // brotli-decompressor has no encoder; a stored (uncompressed) brotli
        // stream is simple to write: WBITS=16 header, one uncompressed meta-block, last empty block.
        struct Stored<'a>(&'a mut Vec<u8>, Vec<u8>);
        impl Write for Stored<'_> {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.1.extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        impl Drop for Stored<'_> {
            fn drop(&mut self) {
                *self.0 = stored_brotli(&self.1);
            }
        }
        Stored(out, Vec::new())
    }

    /// A brotli stream holding `data` in one uncompressed meta-block (RFC 7932 §9.2).
    fn stored_brotli(data: &[u8]) -> Vec<u8> {
        let mut bits: Vec<bool> = Vec::new();
        let put = |v: u64, n: usize, bits: &mut Vec<bool>| (0..n).for_each(|i| bits.push(v >> i & 1 == 1));
        put(0, 1, &mut bits); // WBITS = 16
        put(0, 1, &mut bits); // ISLAST = 0
        put(0, 2, &mut bits); // MNIBBLES = 4
        put((data.len() - 1) as u64, 16, &mut bits); // MLEN - 1
        put(1, 1, &mut bits); // ISUNCOMPRESSED
        while !bits.len().is_multiple_of(8) {
            bits.push(false);
        }
        let mut out: Vec<u8> =
            bits.chunks(8).map(|c| c.iter().enumerate().fold(0u8, |a, (i, b)| a | (u8::from(*b) << i))).collect();
        out.extend_from_slice(data);
        out.push(0b0000_0011); // ISLAST = 1, ISLASTEMPTY = 1
        out
    }

    #[test]
    fn size_limits_apply_before_and_after_decompression() {
        let err = decompress("big.json", vec![b' '; 100], 10);
        assert!(err.is_ok(), "plain input is checked at read time");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b' '; 10_000]).unwrap();
        let err = decompress("bomb.json.gz", gz.finish().unwrap(), 1000).unwrap_err().to_string();
        assert!(err.contains("bomb.json.gz") && err.contains("limit"), "{err}");
    }

    #[test]
    fn binary_garbage_is_named() {
        let err = decompress("junk.bin", vec![0, 1, 2, 3, 0xff, 0xfe], 1 << 20).unwrap_err().to_string();
        assert!(err.contains("junk.bin") && err.contains("neither JSON"), "{err}");
    }
}
