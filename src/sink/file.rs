//! The file/stdout sink: atomic for regular files, direct for everything else.
//!
//! A regular file is written to a temporary file beside it and renamed into place only in
//! [`FileSink::finish`], after the risk gate has allowed it: an error, a refused verdict or a
//! crash leaves no partial file and never destroys an earlier good one. `-` (stdout) and existing
//! non-regular files (`/dev/null`, a pipe) cannot be replaced atomically and are written directly.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::RiskAccepted;
use crate::error::Error;

const BUFFER: usize = 1 << 20;

/// Writes the output dump.
pub struct FileSink {
    out: BufWriter<Box<dyn Write + Send>>,
    /// `(temporary, destination)` when writing atomically.
    rename: Option<(PathBuf, PathBuf)>,
    finished: bool,
    written: u64,
    name: String,
}

impl FileSink {
    /// Opens `path` for writing; `-` is stdout.
    pub fn create(path: &Path) -> Result<FileSink, Error> {
        let name = path.display().to_string();
        if name == "-" {
            return Ok(Self::direct(Box::new(io::stdout()), name));
        }
        if let Ok(meta) = fs::metadata(path) {
            if !meta.is_file() {
                let file = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| Error::io(format!("opening {name}"), e))?;
                return Ok(Self::direct(Box::new(file), name));
            }
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let file_name = path.file_name().ok_or_else(|| {
            Error::io(
                format!("{name} is not a file path"),
                io::ErrorKind::InvalidInput.into(),
            )
        })?;
        let mut nonce = [0u8; 6];
        getrandom::fill(&mut nonce).map_err(|e| {
            Error::io(
                "creating a temporary file name",
                io::Error::other(e.to_string()),
            )
        })?;
        let suffix: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
        let tmp = dir.join(format!(
            ".{}.understudy-tmp-{suffix}",
            file_name.to_string_lossy()
        ));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| Error::io(format!("creating a temporary file beside {name}"), e))?;
        Ok(FileSink {
            out: BufWriter::with_capacity(BUFFER, Box::new(file)),
            rename: Some((tmp, path.to_path_buf())),
            finished: false,
            written: 0,
            name,
        })
    }

    /// A sink that keeps nothing (`preflight`: every check runs, no output is written).
    pub fn discard() -> FileSink {
        Self::direct(Box::new(io::sink()), "(no output)".into())
    }

    fn direct(out: Box<dyn Write + Send>, name: String) -> FileSink {
        FileSink {
            out: BufWriter::with_capacity(BUFFER, out),
            rename: None,
            finished: false,
            written: 0,
            name,
        }
    }

    /// Whether the output appears atomically (a regular file) or is streamed (stdout, a pipe).
    pub fn is_atomic(&self) -> bool {
        self.rename.is_some()
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Appends bytes.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.written += bytes.len() as u64;
        self.out
            .write_all(bytes)
            .map_err(|e| Error::io(format!("writing {}", self.name), e))
    }

    /// Flushes, syncs and renames the output into place. Needs the risk gate's token.
    pub fn finish(mut self, _accepted: RiskAccepted) -> Result<u64, Error> {
        self.out
            .flush()
            .map_err(|e| Error::io(format!("writing {}", self.name), e))?;
        if let Some((tmp, dest)) = &self.rename {
            // Sync before rename so a crash cannot leave a renamed but empty file.
            let file =
                File::open(tmp).map_err(|e| Error::io(format!("syncing {}", self.name), e))?;
            file.sync_all()
                .map_err(|e| Error::io(format!("syncing {}", self.name), e))?;
            fs::rename(tmp, dest)
                .map_err(|e| Error::io(format!("renaming the output into {}", self.name), e))?;
        }
        self.finished = true;
        Ok(self.written)
    }
}

impl Drop for FileSink {
    fn drop(&mut self) {
        if !self.finished {
            if let Some((tmp, _)) = &self.rename {
                // Abort: the partial output must not survive. Errors here have nowhere to go.
                let _ = fs::remove_file(tmp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::RiskAccepted;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("understudy-sink-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_dropped_sink_leaves_no_file_and_keeps_the_old_one() {
        let dir = scratch("drop");
        let dest = dir.join("out.sql");
        fs::write(&dest, "old good output").unwrap();
        {
            let mut sink = FileSink::create(&dest).unwrap();
            assert!(sink.is_atomic());
            sink.write(b"half of a new dump").unwrap();
        }
        assert_eq!(fs::read_to_string(&dest).unwrap(), "old good output");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "temporary file left behind"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn finish_renames_into_place() {
        let dir = scratch("finish");
        let dest = dir.join("out.sql");
        let mut sink = FileSink::create(&dest).unwrap();
        sink.write(b"new").unwrap();
        assert_eq!(sink.finish(RiskAccepted::for_tests()).unwrap(), 3);
        assert_eq!(fs::read_to_string(&dest).unwrap(), "new");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn non_regular_files_are_written_directly() {
        let sink = FileSink::create(Path::new("/dev/null")).unwrap();
        assert!(!sink.is_atomic());
    }
}
