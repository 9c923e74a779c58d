//! The `policy` subcommands and `run --require-approved`: glue between flags and
//! `understudy::policy`. Findings and documents go to stdout, messages to stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use understudy::pg::ConnSpec;
use understudy::policy::schema_source::SchemaSource;
use understudy::policy::{approve, diff, explain, file, init, lint};
use understudy::{Error, ErrorKind, Where};

use crate::cli::{ExplainFormat, PolicyCommand};

/// Compressed inputs may expand this far (as `run`'s default).
const MAX_EXPANDED: u64 = 1 << 40;

fn load(path: &std::path::Path) -> Result<file::PolicyFile, Error> {
    file::load(path).map_err(|p| Error::new(ErrorKind::Policy(p), Where::default()))
}

/// `--input FILE` or `--source URL` (clap lets through at most one).
fn schema_source(
    input: Option<PathBuf>,
    source: Option<String>,
) -> Result<Option<SchemaSource>, Error> {
    Ok(match (input, source) {
        (_, Some(url)) => Some(SchemaSource::Live(Box::new(ConnSpec::parse(&url)?))),
        (Some(path), None) => Some(SchemaSource::Dump(path)),
        (None, None) => None,
    })
}

/// The schema of `--input` or `--source`, if one was given.
fn schema_of(
    input: Option<PathBuf>,
    source: Option<String>,
) -> Result<Option<understudy::dump::schema::Schema>, Error> {
    schema_source(input, source)?
        .map(|s| s.schema(MAX_EXPANDED))
        .transpose()
}

/// For the commands that need one of `--input` or `--source` (clap requires it).
fn required(input: Option<PathBuf>, source: Option<String>) -> Result<SchemaSource, Error> {
    schema_source(input, source)?
        .ok_or_else(|| Error::input("give --input DUMP or --source URL", Where::default()))
}

pub fn main(cmd: PolicyCommand) -> ExitCode {
    match cmd {
        PolicyCommand::Init {
            input,
            source,
            sample,
        } => crate::exit_with((|| {
            let from = required(input, source)?;
            let draft = init::draft(&from, sample, MAX_EXPANDED)?;
            print!("{draft}");
            let flag = match &from {
                SchemaSource::Dump(path) => format!("--input {}", path.display()),
                SchemaSource::Live(_) => "--source URL".to_owned(),
            };
            eprintln!("understudy: draft written; review every rule, then `understudy policy lint POLICY {flag}`");
            Ok(())
        })()),
        PolicyCommand::Lint {
            policy,
            input,
            source,
        } => {
            let schema = match schema_of(input, source) {
                Ok(s) => s,
                Err(e) => return crate::exit_with(Err(e.into())),
            };
            let findings = lint::lint(&policy, schema.as_ref());
            for f in &findings {
                println!("{f}");
            }
            let errors = findings
                .iter()
                .filter(|f| f.severity == lint::Severity::Error)
                .count();
            eprintln!(
                "understudy: {errors} error(s), {} warning(s)",
                findings.len() - errors
            );
            if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        PolicyCommand::Explain {
            policy,
            input,
            source,
            format,
        } => crate::exit_with((|| {
            let policy = load(&policy)?;
            let schema = schema_of(input, source)?;
            let format = match format {
                ExplainFormat::Text => explain::Format::Text,
                ExplainFormat::Markdown => explain::Format::Markdown,
            };
            print!(
                "{}",
                explain::render(&explain::rows(&policy, schema.as_ref()), format)
            );
            Ok(())
        })()),
        PolicyCommand::Diff { old, new } => crate::exit_with((|| {
            let (old, new) = (load(&old)?, load(&new)?);
            print!("{}", diff::render(&diff::diff(&old, &new)));
            Ok(())
        })()),
        PolicyCommand::Approve {
            policy,
            input,
            source,
        } => crate::exit_with((|| {
            let from = required(input, source)?;
            let schema = from.schema(MAX_EXPANDED)?;
            let findings = lint::lint(&policy, Some(&schema));
            let errors: Vec<_> = findings
                .into_iter()
                .filter(|f| f.severity == lint::Severity::Error)
                .map(|f| f.problem)
                .collect();
            if !errors.is_empty() {
                anyhow::bail!(Error::new(ErrorKind::Policy(errors), Where::default()));
            }
            let policy = load(&policy)?;
            let path = approve::write_approval(&policy, &schema)?;
            eprintln!(
                "understudy: approved {} for the {} tables of {}; wrote {}",
                policy.path.display(),
                schema.len(),
                from.describe(),
                path.display()
            );
            Ok(())
        })()),
    }
}
