//! `~/.pgpass` (or `$PGPASSFILE`) lookup, as libpq does it, for our own connections; `pg_dump`
//! reads the file itself.
//!
//! Format: `hostname:port:database:username:password`, `*` matches anything, `\:` and `\\`
//! escape. Like libpq, a file that group or others can read is ignored (with a warning).

use std::path::PathBuf;

/// The password for `(host, port, dbname, user)`, if a line matches.
pub fn lookup(host: &str, port: u16, dbname: &str, user: &str) -> Option<String> {
    let path = match std::env::var_os("PGPASSFILE") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".pgpass"),
    };
    let meta = std::fs::metadata(&path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(
                "password file {} has group or world access; ignoring it (chmod 600 it)",
                path.display()
            );
            return None;
        }
    }
    let _ = meta;
    let text = std::fs::read_to_string(&path).ok()?;
    find(&text, host, &port.to_string(), dbname, user)
}

/// The first matching line's password.
pub fn find(text: &str, host: &str, port: &str, dbname: &str, user: &str) -> Option<String> {
    // libpq: a unix-socket host in the default directory matches `localhost`.
    let host = if host.starts_with('/') {
        "localhost"
    } else {
        host
    };
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split(line);
        if fields.len() < 5 {
            continue;
        }
        let want = [host, port, dbname, user];
        if fields[..4]
            .iter()
            .zip(want)
            .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4..].join(":"));
        }
    }
    None
}

fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    fields.last_mut().expect("non-empty").push(n);
                }
            }
            ':' => fields.push(String::new()),
            c => fields.last_mut().expect("non-empty").push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_like_libpq() {
        let text = "# comment\nother:5432:*:u:no\n*:5432:db:u:pa\\:ss\nlocalhost:*:*:*:sock\n";
        assert_eq!(find(text, "h", "5432", "db", "u").as_deref(), Some("pa:ss"));
        assert_eq!(find(text, "h", "5433", "db", "u"), None);
        assert_eq!(
            find(text, "/var/run/postgresql", "5433", "x", "y").as_deref(),
            Some("sock")
        );
    }
}
