//! Running the server's own `pg_dump` for the schema, on the exported snapshot, so the DDL is
//! exactly what a file dump would hold and the schema model is the one files get.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use crate::error::Error;
use crate::pg::ConnSpec;

/// The `pg_dump` to run: `$UNDERSTUDY_PG_DUMP`, else the newest of the Debian/Ubuntu
/// `/usr/lib/postgresql/*/bin/pg_dump` (it must be at least the server's version), else `PATH`.
pub fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("UNDERSTUDY_PG_DUMP") {
        return PathBuf::from(p);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let p = e.path().join("bin/pg_dump");
            p.is_file().then_some((v, p))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, p)| p)
        .unwrap_or_else(|| PathBuf::from("pg_dump"))
}

fn command(conn: &ConnSpec, snapshot: &str, section: &str) -> (PathBuf, Command) {
    let bin = binary();
    let mut cmd = Command::new(&bin);
    cmd.arg(format!("--dbname={}", conn.libpq_string()))
        .arg(format!("--snapshot={snapshot}"))
        .arg(format!("--section={section}"))
        .args(["--encoding=UTF8", "--format=plain", "--no-password"])
        .stdin(Stdio::null());
    (bin, cmd)
}

/// `pg_dump --section=data` without any table's data: the large objects (`lo_open`,
/// `lowrite`, ...), streamed from the child's stdout.
pub fn large_objects(conn: &ConnSpec, snapshot: &str) -> Result<Child, Error> {
    let (bin, mut cmd) = command(conn, snapshot, "data");
    cmd.arg("--exclude-table-data=*.*")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io(format!("running {}", bin.display()), e))
}

/// Describes a failed pg_dump from its status and the last lines of its stderr.
pub fn failure(
    what: &str,
    conn: &ConnSpec,
    status: std::process::ExitStatus,
    stderr: &[u8],
) -> String {
    // pg_dump's messages name hosts, databases and objects, never passwords or rows.
    let stderr = String::from_utf8_lossy(stderr);
    let last: Vec<&str> = stderr.lines().rev().take(4).collect();
    let last: Vec<&str> = last.into_iter().rev().collect();
    format!(
        "pg_dump {what} of {conn} failed ({status}): {}",
        last.join(" / ")
    )
}

/// `pg_dump --section=SECTION --snapshot=SNAPSHOT` of `conn`, plain format, UTF8 (the encoding
/// our COPY connections read the rows in).
pub fn section(conn: &ConnSpec, snapshot: &str, section: &str) -> Result<Vec<u8>, Error> {
    let (bin, mut cmd) = command(conn, snapshot, section);
    let out = cmd
        .output()
        .map_err(|e| Error::io(format!("running {}", bin.display()), e))?;
    if !out.status.success() {
        return Err(Error::input(
            failure(
                &format!("--section={section}"),
                conn,
                out.status,
                &out.stderr,
            ),
            Default::default(),
        ));
    }
    Ok(out.stdout)
}
