//! Opening a dump: a file or stdin, plain or compressed, recognised by its first bytes.
//!
//! Compression is detected by magic bytes, never by file name, so `pg_dump | gzip | understudy`
//! works. pg_dump's archive formats (custom `PGDMP`, directory `toc.dat`, tar) are recognised and
//! refused with the `pg_restore -f -` pipeline that turns them into plain SQL, because their data
//! blocks are compressed per table and their TOC would need rewriting too. Decompressed input is
//! capped (a zip-bomb guard) at a limit the caller chooses.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use crate::error::{Error, ErrorKind, Where};

/// Compression detected on the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain SQL text.
    None,
    /// gzip (`1f 8b`).
    Gzip,
    /// Zstandard (`28 b5 2f fd`).
    Zstd,
}

/// An opened input: a byte stream of plain SQL plus what was detected.
pub struct Input {
    /// The decompressed stream.
    pub reader: Box<dyn Read + Send>,
    /// The compression that was detected.
    pub compression: Compression,
    /// A name for messages: the path, or `-`.
    pub name: String,
    /// The size of the input file when known (for progress), compressed size if compressed.
    pub size: Option<u64>,
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

fn archive_refusal(name: &str, what: &str) -> Error {
    let archive = if name == "<stdin>" { "ARCHIVE" } else { name };
    Error::new(
        ErrorKind::Archive(format!(
            "{name} is a pg_dump {what}, not a plain SQL dump; convert it on the fly with\n    pg_restore -f - {archive} | understudy run --input - --policy POLICY --output OUT"
        )),
        Where::default(),
    )
}

/// Opens `path` (`-` for stdin), detects compression and refuses archive formats.
/// `max_expanded` caps how many bytes a compressed input may expand to.
pub fn open(path: &Path, max_expanded: u64) -> Result<Input, Error> {
    let name = path.display().to_string();
    if name == "-" {
        return detect(Box::new(io::stdin()), "<stdin>".into(), None, max_expanded);
    }
    if path.is_dir() {
        if path.join("toc.dat").exists() {
            return Err(archive_refusal(&name, "directory-format archive"));
        }
        return Err(Error::input(
            format!("{name} is a directory, not a dump"),
            Where::default(),
        ));
    }
    let file = File::open(path).map_err(|e| Error::io(format!("opening {name}"), e))?;
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    detect(Box::new(file), name, size, max_expanded)
}

fn detect(
    raw: Box<dyn Read + Send>,
    name: String,
    size: Option<u64>,
    max_expanded: u64,
) -> Result<Input, Error> {
    let (head, raw) = peek(raw, 512).map_err(|e| Error::io(format!("reading {name}"), e))?;
    let compression = if head.starts_with(GZIP_MAGIC) {
        Compression::Gzip
    } else if head.starts_with(ZSTD_MAGIC) {
        Compression::Zstd
    } else {
        refuse_archives(&head, &name)?;
        return Ok(Input {
            reader: raw,
            compression: Compression::None,
            name,
            size,
        });
    };
    let raw = BufReader::with_capacity(1 << 16, raw);
    let decoded: Box<dyn Read + Send> = match compression {
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(raw)),
        Compression::Zstd => zstd_decoder(raw, &name)?,
        Compression::None => unreachable!("handled above"),
    };
    let limited: Box<dyn Read + Send> = Box::new(Limited::new(decoded, max_expanded, name.clone()));
    let (head, reader) =
        peek(limited, 512).map_err(|e| Error::io(format!("decompressing {name}"), e))?;
    refuse_archives(&head, &name)?;
    Ok(Input {
        reader,
        compression,
        name,
        size,
    })
}

#[cfg(feature = "zstd")]
fn zstd_decoder(
    inner: BufReader<Box<dyn Read + Send>>,
    name: &str,
) -> Result<Box<dyn Read + Send>, Error> {
    let decoder = zstd::stream::read::Decoder::with_buffer(inner)
        .map_err(|e| Error::io(format!("starting zstd decompression of {name}"), e))?;
    Ok(Box::new(decoder))
}

#[cfg(not(feature = "zstd"))]
fn zstd_decoder(
    _inner: BufReader<Box<dyn Read + Send>>,
    name: &str,
) -> Result<Box<dyn Read + Send>, Error> {
    Err(Error::input(
        format!("{name} is zstd-compressed, but this build has no zstd support (rebuild with the `zstd` feature, or pipe through `zstd -dc`)"),
        Where::default(),
    ))
}

fn refuse_archives(head: &[u8], name: &str) -> Result<(), Error> {
    if head.starts_with(b"PGDMP") {
        return Err(archive_refusal(name, "custom-format archive"));
    }
    // A tar archive carries "ustar" at offset 257; pg_dump's tar format holds toc.dat first.
    if head.len() > 262 && &head[257..262] == b"ustar" {
        return Err(archive_refusal(name, "tar-format archive"));
    }
    Ok(())
}

/// Reads up to `n` bytes (fewer only at end of input) and gives them back in front of the rest.
/// A pipe may deliver the head in pieces, so one `read` is not enough to see the magic bytes.
fn peek(mut reader: Box<dyn Read + Send>, n: usize) -> io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut head = Vec::with_capacity(n);
    (&mut reader).take(n as u64).read_to_end(&mut head)?;
    let rest: Box<dyn Read + Send> = Box::new(io::Cursor::new(head.clone()).chain(reader));
    Ok((head, rest))
}

/// Stops a decompressor with an error once it has produced more than `limit` bytes.
struct Limited<R> {
    inner: R,
    remaining: u64,
    limit: u64,
    name: String,
}

impl<R> Limited<R> {
    fn new(inner: R, limit: u64, name: String) -> Self {
        Limited {
            inner,
            remaining: limit,
            limit,
            name,
        }
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.remaining {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} expands past the limit of {} bytes (raise it with --max-expanded-size if this dump is genuine)",
                    self.name, self.limit
                ),
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn open_bytes(bytes: Vec<u8>, limit: u64) -> Result<(Compression, Vec<u8>), Error> {
        let mut input = detect(
            Box::new(io::Cursor::new(bytes)),
            "test.sql".into(),
            None,
            limit,
        )?;
        let mut out = Vec::new();
        input
            .reader
            .read_to_end(&mut out)
            .map_err(|e| Error::io("reading", e))?;
        Ok((input.compression, out))
    }

    #[test]
    fn plain_gzip_and_zstd_are_detected_by_magic() {
        let sql = b"SET client_encoding = 'UTF8';\n".repeat(100);
        assert_eq!(
            open_bytes(sql.clone(), u64::MAX).unwrap(),
            (Compression::None, sql.clone())
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&sql).unwrap();
        assert_eq!(
            open_bytes(gz.finish().unwrap(), u64::MAX).unwrap(),
            (Compression::Gzip, sql.clone())
        );
        #[cfg(feature = "zstd")]
        {
            let zs = zstd::encode_all(&sql[..], 1).unwrap();
            assert_eq!(open_bytes(zs, u64::MAX).unwrap(), (Compression::Zstd, sql));
        }
    }

    #[test]
    fn custom_archives_are_refused_with_the_pg_restore_pipeline() {
        let err = open_bytes(b"PGDMP\x01\x0e\x00".to_vec(), u64::MAX)
            .unwrap_err()
            .to_string();
        assert!(err.contains("custom-format archive"), "{err}");
        assert!(
            err.contains("pg_restore -f - test.sql | understudy run"),
            "{err}"
        );
    }

    #[test]
    fn a_compressed_input_that_expands_past_the_limit_is_refused() {
        let sql = vec![b'-'; 1 << 20];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&sql).unwrap();
        let err = open_bytes(gz.finish().unwrap(), 1000)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("expands past the limit of 1000 bytes"),
            "{err}"
        );
    }
}
