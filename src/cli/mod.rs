//! Command-line flags and their help text. Parsing only: no I/O, no business logic.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "EXIT CODES:
  0  success
  1  an error in the input, the policy, the key or I/O (nothing is written)
  2  command-line usage
  3  the risk gate refused the output (nothing is committed)
  4  the policy is not approved for this schema";

/// understudy: turn a production pg_dump into a safe staging copy.
#[derive(Debug, Parser)]
#[command(name = "understudy", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Stream a plain-format pg_dump through a policy and write a sanitized dump.
    ///
    /// Reads `--input` (a file or `-` for stdin; plain SQL, gzip or zstd), applies the policy's
    /// rule to every column, and writes a dump that psql restores. A regular output file appears
    /// only when the whole run succeeded and the risk gate allowed it.
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// Run every check of `run` without writing any output: the pre-flight risk report.
    ///
    /// Exits 0 when the risk verdict passes and 3 when it fails, so a nightly job can use it as
    /// its gate. The report (`--report`, format from the extension: .json, .md, .html) is written
    /// whatever the verdict.
    #[command(after_help = EXIT_CODES)]
    Preflight(PreflightArgs),
    /// Draft, lint, explain, diff and approve policies.
    #[command(subcommand)]
    Policy(PolicyCommand),

    /// Turn a token back into the original value, for incident tracing.
    ///
    /// Rebuilds the rule as `run` bound it (same key, domain, parameters and column type) and
    /// inverts it. Works for card_number, email, encrypt, iban, integer_id, ip, phone, tokenize
    /// and uuid. Prints the original value on stdout.
    #[command(after_help = EXIT_CODES)]
    Reveal(RevealArgs),
}

/// `understudy policy ...`: the security team's workflow.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print a draft policy (TOML, on stdout) for every table and column of a dump, each rule
    /// suggested from the column's keys, type, name and a sample of its content.
    #[command(group(clap::ArgGroup::new("from").required(true).args(["input", "source"])))]
    Init {
        /// The plain-format pg_dump to read (a file: it is read twice).
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
        /// Read a live database instead: the schema through the server's pg_dump on one
        /// snapshot, and at most --sample rows per table (a `postgres://` URL or a libpq
        /// `key=value` string, as for `run --source`).
        #[arg(long, value_name = "URL", conflicts_with = "input")]
        source: Option<String>,
        /// Rows sampled per table.
        #[arg(long, value_name = "N", default_value_t = 1000)]
        sample: usize,
    },
    /// Report every problem of a policy with file:line; exit 1 when there are errors.
    Lint {
        /// The policy file.
        policy: PathBuf,
        /// Check against this dump's schema too (coverage, types, NOT NULL, domains).
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
        /// Check against this live database's schema instead (read with its pg_dump).
        #[arg(long, value_name = "URL", conflicts_with = "input")]
        source: Option<String>,
    },
    /// Print a review table: what happens to every column, and why.
    Explain {
        /// The policy file.
        policy: PathBuf,
        /// List every column of this dump's schema (types, origins, gaps).
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
        /// List every column of this live database's schema instead.
        #[arg(long, value_name = "URL", conflicts_with = "input")]
        source: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ExplainFormat,
    },
    /// Show the semantic change between two versions of a policy, loosening changes first.
    Diff {
        /// The old version.
        old: PathBuf,
        /// The new version.
        new: PathBuf,
    },
    /// Record that POLICY is approved for the schema of DUMP or of a live database (writes
    /// POLICY.approved). Either gives the same fingerprint for the same schema.
    #[command(group(clap::ArgGroup::new("from").required(true).args(["input", "source"])))]
    Approve {
        /// The policy file.
        policy: PathBuf,
        /// The dump whose schema the policy was reviewed against.
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
        /// The live database whose schema the policy was reviewed against.
        #[arg(long, value_name = "URL", conflicts_with = "input")]
        source: Option<String>,
    },
}

/// `policy explain --format`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Aligned columns.
    Text,
    /// A Markdown table.
    Markdown,
}

/// Flags of `understudy reveal`.
#[derive(Debug, Args)]
pub struct RevealArgs {
    /// The rule's key domain: its `domain` parameter, or by default the column's qualified
    /// name as `run` reports it, e.g. `public.customers.email`.
    #[arg(long, value_name = "DOMAIN")]
    pub domain: String,

    /// The transform that made the token.
    #[arg(long, value_name = "NAME", default_value = "encrypt")]
    pub transform: String,

    /// A rule parameter as in the policy, e.g. `--param domain_mode=reserved` (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,

    /// The column's type as the dump declares it (matters for `integer_id`'s default range and
    /// for `char(n)` padding).
    #[arg(long = "type", value_name = "TYPE", default_value = "text")]
    pub column_type: String,

    /// Read the master key from this file (mode 600) instead of $UNDERSTUDY_KEY.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,

    /// The token to reveal.
    pub value: String,
}

/// Parses `key=value`.
fn parse_param(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .ok_or_else(|| format!("expected KEY=VALUE, got {s:?}"))
}

/// Flags of `understudy run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The policy file (TOML).
    #[arg(long, value_name = "FILE")]
    pub policy: PathBuf,

    /// The plain-format pg_dump to read; `-` reads stdin. Custom/directory archives: pipe
    /// through `pg_restore -f - ARCHIVE`.
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    pub input: PathBuf,

    /// Where to write the sanitized dump; `-` writes stdout. A regular file is replaced
    /// atomically.
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    pub output: PathBuf,

    /// A schema-only dump that supplies column types for a data-only `--input`.
    #[arg(long, value_name = "FILE")]
    pub schema_from: Option<PathBuf>,

    /// Read the master key from this file (mode 600) instead of $UNDERSTUDY_KEY. The key is 64
    /// hex digits or base64 of at least 32 bytes.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,

    /// Write the run summary as JSON to this file.
    #[arg(long, value_name = "PATH")]
    pub summary: Option<PathBuf>,

    /// Refuse a compressed input that expands past this many bytes (suffixes K, M, G, T).
    #[arg(long, value_name = "SIZE", default_value = "1T", value_parser = parse_size)]
    pub max_expanded_size: u64,

    /// Read a live PostgreSQL database instead of a dump: a `postgres://` URL or a libpq
    /// `key=value` string; PG* variables fill what it leaves out. Give the password through
    /// PGPASSWORD or ~/.pgpass, not in the URL (command lines are visible to other users). One
    /// REPEATABLE READ snapshot covers the schema (the server's pg_dump) and every table's rows.
    #[arg(long, value_name = "URL", conflicts_with_all = ["input", "schema_from"])]
    pub source: Option<String>,

    /// Connections reading tables of --source in parallel, all on the same snapshot; and, with
    /// --target in swap mode, connections building the target's indexes and checking its
    /// foreign keys side by side once the rows are loaded (as pg_restore --jobs does).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,

    /// Read a --source table whose heap is larger than SIZE in block ranges of about SIZE,
    /// on several connections, joined back into one COPY block in the table's order
    /// (PostgreSQL 14+, --jobs 2 or more; 0 never splits). Each range in flight may be buffered whole, so memory
    /// grows to about 2 × --jobs × min(SIZE, 64M); 64M keeps that to 256 MB at the default
    /// --jobs 2 while a range's own cost (one statement, one TID range scan) stays negligible.
    /// Reading a 1.7 GB source at --jobs 2 was 1.35× faster with it (README, "Performance").
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size, requires = "source")]
    pub split_threshold: u64,

    /// Load the sanitized dump into this PostgreSQL database instead of writing --output. The
    /// database is replaced only when the whole run succeeded and the risk gate allowed it.
    #[arg(long, value_name = "URL", conflicts_with = "output")]
    pub target: Option<String>,

    /// How --target is replaced: `swap` builds `<name>__understudy_new` and renames it into
    /// place; `replace` drops and reloads the objects in one transaction.
    #[arg(long, value_enum, default_value_t = TargetMode::Swap, requires = "target")]
    pub target_mode: TargetMode,

    /// At swap time, end other sessions on the target (pg_terminate_backend) instead of
    /// waiting up to 60 s for them to leave.
    #[arg(long, requires = "target")]
    pub terminate_connections: bool,

    /// Let --target replace a non-empty database that is not understudy's staging copy.
    #[arg(long, requires = "target")]
    pub dangerously_overwrite_target: bool,

    /// Commit the output whatever the risk verdict says (recorded in the summary and report).
    /// Without `--report`, the analysis is skipped entirely.
    #[arg(long)]
    pub dangerously_skip_risk_gate: bool,

    /// Write the risk report here; the format follows the extension (.json, .md, .html).
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,

    /// Values per column the PII detectors and linkage checks look at (quasi-identifier
    /// metrics always use every row).
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,

    /// Refuse to run (exit 4, nothing written) unless POLICY.approved matches this policy and
    /// the schema read (of the file --input, --schema-from, or --source's snapshot); prints the
    /// drift. Stdin needs --schema-from.
    #[arg(long)]
    pub require_approved: bool,

    /// No progress bar and no summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Flags of `understudy preflight`.
#[derive(Debug, Args)]
pub struct PreflightArgs {
    /// The policy file (TOML).
    #[arg(long, value_name = "FILE")]
    pub policy: PathBuf,

    /// The plain-format pg_dump to check; `-` reads stdin.
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    pub input: PathBuf,

    /// Write the risk report here; the format follows the extension (.json, .md, .html).
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,

    /// Values per column the PII detectors and linkage checks look at (quasi-identifier
    /// metrics always use every row).
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,

    /// A schema-only dump that supplies column types for a data-only `--input`.
    #[arg(long, value_name = "FILE")]
    pub schema_from: Option<PathBuf>,

    /// Read the master key from this file (mode 600) instead of $UNDERSTUDY_KEY.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,

    /// Refuse a compressed input that expands past this many bytes (suffixes K, M, G, T).
    #[arg(long, value_name = "SIZE", default_value = "1T", value_parser = parse_size)]
    pub max_expanded_size: u64,

    /// No summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

/// How `--target` is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TargetMode {
    /// Build a new database beside the target and rename it into place.
    Swap,
    /// Drop and reload the target's objects in one transaction.
    Replace,
}

/// Parses `10G`-style sizes.
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = digits.parse().map_err(|_| format!("not a size: {s:?}"))?;
    let mult: u64 = match unit.to_ascii_uppercase().trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return Err(format!("unknown size unit in {s:?} (use K, M, G or T)")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("size too large: {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10"), Ok(10));
        assert_eq!(parse_size("2K"), Ok(2048));
        assert_eq!(parse_size("1GB"), Ok(1 << 30));
        assert!(parse_size("x").is_err());
    }

    #[test]
    fn init_and_approve_take_exactly_one_of_input_and_source() {
        let parse = |args: &[&str]| {
            Cli::try_parse_from([&["understudy", "policy"][..], args].concat()).map(|_| ())
        };
        for cmd in [&["init"][..], &["approve", "p.toml"][..]] {
            assert!(parse(cmd).is_err(), "{cmd:?} without a schema");
            assert!(parse(&[cmd, &["--input", "d.sql"]].concat()).is_ok());
            assert!(parse(&[cmd, &["--source", "postgres:///db"]].concat()).is_ok());
            let both = [cmd, &["--input", "d.sql", "--source", "postgres:///db"]].concat();
            assert!(parse(&both).is_err(), "{cmd:?} with both");
        }
        assert!(parse(&["lint", "p.toml"]).is_ok(), "lint needs no schema");
        assert!(parse(&["explain", "p.toml", "--source", "postgres:///db"]).is_ok());
    }

    #[test]
    fn clap_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
