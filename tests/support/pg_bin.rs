//! Locating the PostgreSQL programs the harness runs (`psql`, `pg_dump`, `initdb`, `pg_ctl`).
//!
//! Client programs are looked up, in order, in `$UNDERSTUDY_PG_BINDIR`, in the newest
//! `/usr/lib/postgresql/<major>/bin`, then on `PATH`. The newest installed major comes before
//! `PATH` because `pg_dump` refuses to dump a server newer than itself, and Debian's `PATH`
//! wrappers may pick an older one. Server programs (`initdb`, `pg_ctl`) are never on `PATH` on
//! Debian, so only the first two places are searched for them. Nothing here starts anything.

use std::path::{Path, PathBuf};

/// The directory set by the user, if any. A set but wrong value is an error, not a fallback.
fn user_bindir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("UNDERSTUDY_PG_BINDIR")?);
    assert!(
        dir.is_dir(),
        "UNDERSTUDY_PG_BINDIR={} is not a directory",
        dir.display()
    );
    Some(dir)
}

/// `/usr/lib/postgresql/<major>/bin` with the highest numeric major, if any is installed.
pub fn newest_debian_bindir() -> Option<PathBuf> {
    let entries = std::fs::read_dir("/usr/lib/postgresql").ok()?;
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let major: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.is_dir().then_some((major, bin))
        })
        .max_by_key(|(major, _)| *major)
        .map(|(_, bin)| bin)
}

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Finds a PostgreSQL client program, or `None` if it is installed nowhere we look.
pub fn find_client(program: &str) -> Option<PathBuf> {
    let in_dir = |dir: PathBuf| Some(dir.join(program)).filter(|p| is_executable(p));
    user_bindir()
        .and_then(in_dir)
        .or_else(|| newest_debian_bindir().and_then(in_dir))
        .or_else(|| on_path(program))
}

/// Finds a PostgreSQL client program or panics saying how to install one.
pub fn client(program: &str) -> PathBuf {
    find_client(program).unwrap_or_else(|| {
        panic!(
            "cannot find the PostgreSQL client program `{program}`: install it \
             (Debian: `apt-get install postgresql-client`) or set UNDERSTUDY_PG_BINDIR \
             to the directory that holds it"
        )
    })
}

/// The directory holding `initdb` and `pg_ctl`, if the server binaries are installed.
pub fn server_bindir() -> Option<PathBuf> {
    user_bindir()
        .or_else(newest_debian_bindir)
        .filter(|dir| is_executable(&dir.join("initdb")) && is_executable(&dir.join("pg_ctl")))
}
