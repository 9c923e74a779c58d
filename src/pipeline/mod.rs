//! The pipeline: the only place that wires reader → policy → transforms → risk → sink.
//!
//! One pass over the dump. DDL statements teach the schema; at the first data statement the
//! policy is resolved against it (so every column is classified before any row is written);
//! COPY blocks and INSERTs go through their table's row plan; everything else is copied byte
//! for byte. At the end the risk verdict decides whether the sink may commit; before it, a
//! file input may be read a second time for leak checks one pass cannot do (`second_read`).

pub mod copy;
pub mod insert;
pub mod large_objects;
mod progress;
mod second_read;
pub mod sequences;
mod summary;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::dump::ident::{parse_column_list, parse_qualified_prefix, QualifiedName};
use crate::dump::reader::{statement_body, DumpReader, Event};
use crate::dump::schema::Schema;
use crate::dump::{ddl, input};
use crate::error::{Error, ErrorKind, Where};
use crate::key::MasterKey;
use crate::policy::file::{self, LargeObjects, PolicyFile};
use crate::policy::resolve::{self, ResolvedPolicy};
use crate::risk::checker::Checker;
use crate::risk::{self, Verdict};
use crate::sink::{Sink, TargetOptions};
use crate::source::{self, SourceOptions};

use copy::RowPlan;
use large_objects::LoStatement;
pub use progress::Progress;
pub use summary::{Durations, Summary, TableSummary};

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The policy file.
    pub policy: PathBuf,
    /// The dump (`-` for stdin).
    pub input: PathBuf,
    /// Where to write (`-` for stdout).
    pub output: PathBuf,
    /// A schema-only dump giving the types for a data-only input.
    pub schema_from: Option<PathBuf>,
    /// How far a compressed input may expand.
    pub max_expanded_size: u64,
    /// Commit whatever the risk verdict says.
    pub dangerously_skip_risk_gate: bool,
    /// Write the risk report here (format from the extension: .json, .md, .html).
    pub report: Option<PathBuf>,
    /// Bound the detectors' and linkage checks' samples to this many values per column.
    pub sample: Option<usize>,
    /// Run every check but write no output (`preflight`).
    pub discard_output: bool,
    /// Read a live database instead of `input` (`--source`).
    pub source: Option<SourceOptions>,
    /// Write into a database instead of `output` (`--target`).
    pub target: Option<TargetOptions>,
    /// Refuse (exit 4) unless `POLICY.approved` matches the policy and the schema read
    /// (`--require-approved`); checked before the output is opened or any row is read.
    pub require_approved: bool,
}

/// Runs the whole job: read, resolve, transform, check, write, commit.
pub fn run(
    opts: &RunOptions,
    key: &MasterKey,
    on_progress: &dyn Fn(&Progress<'_>),
) -> Result<Summary, Error> {
    let started = Instant::now();
    let policy =
        file::load(&opts.policy).map_err(|p| Error::new(ErrorKind::Policy(p), Where::default()))?;
    // The schema must be complete before the first row: pg_dump writes PRIMARY KEY, UNIQUE and
    // FOREIGN KEY constraints after the data. A file input is therefore read once for its DDL
    // (COPY data is skipped at memchr speed); stdin cannot be read twice, so there the key
    // checks run when the constraints arrive, before the output is committed.
    // A live source (`--source`) gives its whole schema up front, from pg_dump on its snapshot.
    let live = opts.source.as_ref().map(source::open).transpose()?;
    let schema_path = opts
        .schema_from
        .as_deref()
        .or_else(|| (opts.input.as_os_str() != "-").then_some(opts.input.as_path()));
    let (schema, schema_complete) = match (&live, schema_path) {
        (Some(live), _) => (
            schema_from_reader(live.input.name.clone(), &live.schema_ddl[..])?,
            true,
        ),
        (None, Some(path)) => (schema_from(path, opts.max_expanded_size)?, true),
        (None, None) => (Schema::new(), false),
    };
    if opts.require_approved {
        // Here rather than before the run: for a live source this is the schema of the very
        // snapshot whose rows are read, so nothing can change between the check and the data.
        // The source's table workers have started by now; on refusal their rows are dropped
        // with the stream, before any reaches the pipeline or a sink.
        if !schema_complete {
            return Err(Error::input(
                "--require-approved checks the schema before reading data, so it needs a file --input, --schema-from or --source (stdin cannot be read twice)",
                Where::default(),
            ));
        }
        crate::policy::approve::check(&policy, &schema)?;
    }
    let learn_ddl = opts.schema_from.is_none() && !schema_complete;
    let expected_rows = live
        .as_ref()
        .map(|l| l.expected_rows.clone())
        .unwrap_or_default();
    // Leak pairs one pass cannot check are checked by reading a regular file again; stdin, a
    // pipe and a live source are read once, and their report lists the pairs instead.
    let rereadable = live
        .is_none()
        .then(|| second_read::Rereadable::of(&opts.input))
        .flatten();
    let input = match live {
        Some(live) => live.input,
        None => input::open(&opts.input, opts.max_expanded_size)?,
    };
    let total = match input.compression {
        input::Compression::None => input.size,
        _ => None,
    };
    let name = input.name.clone();
    let mut sink = if opts.discard_output {
        Sink::File(crate::sink::FileSink::discard())
    } else {
        Sink::open(&opts.output, opts.target.as_ref())?
    };
    let output_name = sink.name(&opts.output);
    let mut job = Job {
        policy: &policy,
        key,
        schema,
        resolved: None,
        input: name.clone(),
        utf8: false,
        data_started: false,
        data_started_at: None,
        connects: 0,
        copy: None,
        learn_ddl,
        insert_cache: None,
        seen: HashSet::new(),
        stats: BTreeMap::new(),
        expected_rows,
        large_objects: 0,
        scratch: Vec::new(),
        sequences: sequences::Owners::default(),
        checker: None,
        pending_passthrough: Vec::new(),
        pending_truncated: false,
        // With the gate skipped and no report asked for, nobody would read the analysis.
        analyse: !(opts.dangerously_skip_risk_gate && opts.report.is_none()),
        sample: opts.sample,
    };
    let mut reader = DumpReader::new(input.reader);
    let mut rows_total = 0u64;
    while let Some(event) = reader.next_event().map_err(|e| read_error(e, &name))? {
        match event {
            Event::Verbatim(text) => sink.write(text)?,
            Event::Meta { text, line } => {
                job.meta(text, line)?;
                sink.write(text)?;
            }
            Event::Statement {
                text,
                line,
                copy_from_stdin,
            } => job.statement(text, line, copy_from_stdin, &mut sink)?,
            Event::CopyData {
                data,
                first_line,
                crlf,
            } => {
                let lines = job.copy_data(data, first_line, crlf, &mut sink)?;
                reader.copy_lines(lines);
                rows_total += lines;
                on_progress(&job.progress(reader.bytes_read(), total, rows_total, started));
            }
            Event::CopyEnd { text, .. } => {
                job.end_copy();
                sink.write(text)?;
            }
        }
    }
    let input_done = Instant::now();
    if let Some(file) = &rereadable {
        job.second_read(file, opts.max_expanded_size)?;
    }
    let resolved = job.finish()?;
    let mut extra = checked_columns(&job.schema, &resolved);
    if job.utf8_unknown() {
        extra.push(
            "the dump does not declare client_encoding UTF8: cell encoding was not validated"
                .into(),
        );
    }
    if opts.dangerously_skip_risk_gate {
        extra.push(
            "--dangerously-skip-risk-gate: the output was committed whatever this verdict says"
                .into(),
        );
    }
    let verdict = match job.take_checker() {
        Some(checker) => {
            let mut report = checker.finish();
            report.warnings.extend(extra);
            if let Some(path) = &opts.report {
                // Written whatever the verdict: a refused run is exactly when people need it.
                risk::report::write_report(&report, path)?;
            }
            report.verdict()
        }
        None => {
            let (_coverage, mut warnings) = risk::coverage::coverage(&resolved);
            warnings.extend(extra);
            Verdict {
                reasons: Vec::new(),
                warnings,
            }
        }
    };
    let token = if opts.dangerously_skip_risk_gate {
        tracing::warn!(
            "--dangerously-skip-risk-gate: committing without honouring the risk verdict ({})",
            verdict.label()
        );
        risk::dangerously_skip_gate()
    } else {
        verdict.accept()?
    };
    let checked = Instant::now();
    let bytes_out = sink.finish(token)?;
    let data_started = job.data_started_at.unwrap_or(input_done);
    let durations = Durations {
        prepare_seconds: (data_started - started).as_secs_f64(),
        data_seconds: (input_done - data_started).as_secs_f64(),
        risk_seconds: (checked - input_done).as_secs_f64(),
        commit_seconds: checked.elapsed().as_secs_f64(),
    };
    Ok(Summary::new(
        &name,
        Path::new(&output_name),
        job.stats,
        reader.bytes_read(),
        bytes_out,
        durations,
        key,
        &verdict,
        opts.dangerously_skip_risk_gate,
    ))
}

/// CHECK constraints on columns whose values change: a reviewer should see them, since the new
/// values must still pass the check on restore.
fn checked_columns(schema: &Schema, resolved: &ResolvedPolicy) -> Vec<String> {
    let mut out = Vec::new();
    for plan in resolved.tables() {
        let Some(table) = schema.table(&plan.name) else {
            continue;
        };
        for c in plan.columns.iter().filter(|c| c.transform.is_some()) {
            if table.column(&c.name).is_some_and(|col| col.has_check) {
                out.push(format!(
                    "{}.{} has a CHECK constraint and rule `{}` changes its values: the restore checks them again",
                    plan.name,
                    crate::dump::ident::quote_ident(&c.name),
                    c.rule.name()
                ));
            }
        }
    }
    out.sort();
    out
}

/// Learns a schema from a dump's DDL, skipping its data (`--schema-from`, `policy` commands).
pub fn schema_from(path: &Path, max_expanded: u64) -> Result<Schema, Error> {
    // This pass runs before every file-input run, over the whole file; counting the lines of
    // every COPY block only so that an error can name its line cost a tenth of a keep-all run.
    // So it skips that count, and an error (rare, and the same on every read) reads the file
    // again with line numbers to say where.
    let input = input::open(path, max_expanded)?;
    let fast = DumpReader::new(input.reader).without_data_line_numbers();
    match schema_from_events(input.name, fast) {
        Ok(schema) => Ok(schema),
        Err(_) => {
            let input = input::open(path, max_expanded)?;
            schema_from_events(input.name, DumpReader::new(input.reader))
        }
    }
}

/// Learns a schema from the statements of a dump stream (a live source's pg_dump DDL).
pub fn schema_from_reader(name: String, input: impl std::io::Read) -> Result<Schema, Error> {
    schema_from_events(name, DumpReader::new(input))
}

fn schema_from_events<R: std::io::Read>(
    name: String,
    mut reader: DumpReader<R>,
) -> Result<Schema, Error> {
    let mut schema = Schema::new();
    while let Some(event) = reader.next_event().map_err(|e| read_error(e, &name))? {
        if let Event::Statement { text, line, .. } = event {
            apply_ddl(&mut schema, text, line, &name)?;
        }
        // Only statements matter here; COPY data is skipped without being looked at.
    }
    Ok(schema)
}

/// Applies one DDL statement; returns the table whose keys changed, if any.
fn apply_ddl(
    schema: &mut Schema,
    text: &[u8],
    line: u64,
    input: &str,
) -> Result<Option<QualifiedName>, Error> {
    let body = statement_body(text);
    if !(starts_with_ci(body, b"create") || starts_with_ci(body, b"alter")) {
        return Ok(None);
    }
    let Ok(sql) = std::str::from_utf8(text) else {
        return Err(Error::input(
            "a CREATE/ALTER statement is not valid UTF-8",
            Where::at(input, line),
        ));
    };
    match ddl::apply_statement(schema, sql, line) {
        Ok(ddl::DdlOutcome::ConstraintAdded(name)) => Ok(Some(name)),
        Ok(_) => Ok(None),
        Err(e) => Err(Error::input(e.to_string(), Where::at(input, line))),
    }
}

fn read_error(e: crate::dump::reader::ReadError, input: &str) -> Error {
    use crate::dump::reader::ReadError;
    let line = match &e {
        ReadError::Unterminated { line, .. } | ReadError::TruncatedCopy { line } => Some(*line),
        ReadError::Io(_) => None,
    };
    let mut at = Where {
        input: Some(input.to_owned()),
        ..Where::default()
    };
    at.line = line;
    Error::input(e.to_string(), at)
}

fn starts_with_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// How much pre-data SQL waits for the checker (comments, function bodies, views).
const PENDING_PASSTHROUGH: usize = 64 << 20;

/// The COPY block being read.
struct CopyState {
    plan: Arc<RowPlan>,
    name: QualifiedName,
    /// When the block's COPY statement arrived (for the table's duration).
    started: Instant,
}

/// Per-run state of the pipeline.
struct Job<'a> {
    policy: &'a PolicyFile,
    key: &'a MasterKey,
    schema: Schema,
    resolved: Option<ResolvedPolicy>,
    input: String,
    /// Whether the dump declared `client_encoding = 'UTF8'` (cells are then validated).
    utf8: bool,
    data_started: bool,
    /// When the first data statement arrived (the end of the run's preparation).
    data_started_at: Option<Instant>,
    connects: u32,
    copy: Option<CopyState>,
    /// Whether DDL in the input teaches the schema (false when it was read beforehand).
    learn_ddl: bool,
    /// The last INSERT's row plan: pg_dump writes one table's INSERTs together.
    insert_cache: Option<(QualifiedName, bool, Arc<RowPlan>)>,
    seen: HashSet<QualifiedName>,
    stats: BTreeMap<String, TableSummary>,
    /// Rows each table is expected to hold (a live source's estimates), for progress.
    expected_rows: HashMap<QualifiedName, u64>,
    large_objects: u64,
    scratch: Vec<u8>,
    /// Which column owns which sequence (for `integer_id`'s `setval` rewrite).
    sequences: sequences::Owners,
    /// The risk checker, unless the analysis is skipped.
    checker: Option<Checker>,
    pending_passthrough: Vec<u8>,
    pending_truncated: bool,
    analyse: bool,
    sample: Option<usize>,
}

impl Job<'_> {
    fn at(&self, line: u64) -> Where {
        Where::at(&self.input, line)
    }

    /// A `setval` for a sequence whose column `integer_id` permutes, moved to the top of the
    /// permutation's range so that ids inserted on staging never collide.
    fn setval(&self, text: &[u8]) -> Option<Vec<u8>> {
        let (sequence, digits) = sequences::setval(text)?;
        let (table, column) = self.sequences.owner(&sequence)?;
        let floor = self
            .resolved
            .as_ref()?
            .table(table)?
            .column(column)?
            .sequence_floor?;
        let mut out = Vec::with_capacity(text.len() + 20);
        out.extend_from_slice(&text[..digits.start]);
        out.extend_from_slice(floor.to_string().as_bytes());
        out.extend_from_slice(&text[digits.end..]);
        Some(out)
    }

    fn take_checker(&mut self) -> Option<Checker> {
        let mut checker = self.checker.take()?;
        if !self.pending_passthrough.is_empty() {
            checker.passthrough(&self.pending_passthrough);
        }
        Some(checker)
    }

    /// Verbatim statements go to the checker's detectors; before the checker exists (it needs
    /// the resolved policy) they wait in a bounded buffer.
    fn passthrough(&mut self, text: &[u8]) {
        if !self.analyse {
            return;
        }
        match self.checker.as_mut() {
            Some(checker) => {
                if !self.pending_passthrough.is_empty() {
                    checker.passthrough(&std::mem::take(&mut self.pending_passthrough));
                }
                checker.passthrough(text);
            }
            None if self.pending_passthrough.len() + text.len() <= PENDING_PASSTHROUGH => {
                self.pending_passthrough.extend_from_slice(text);
                self.pending_passthrough.push(b'\n');
            }
            None => {
                if !self.pending_truncated {
                    tracing::warn!("more than {PENDING_PASSTHROUGH} bytes of statements before the first data: the rest of them is not scanned for personal data");
                    self.pending_truncated = true;
                }
            }
        }
    }

    fn utf8_unknown(&self) -> bool {
        !self.utf8
    }

    fn meta(&mut self, text: &[u8], line: u64) -> Result<(), Error> {
        let command: Vec<u8> = text[1..]
            .iter()
            .copied()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .collect();
        match command.as_slice() {
            b"restrict" | b"unrestrict" => Ok(()),
            b"connect" | b"c" => {
                // `pg_dump --create` connects once, to the database it just created. A second
                // connect (or one after data) means several databases, which one policy cannot
                // describe.
                self.connects += 1;
                if self.connects > 1 || self.data_started {
                    return Err(Error::input(
                        "the dump connects to another database (\\connect); one policy describes one database, so split the dump per database",
                        self.at(line),
                    ));
                }
                Ok(())
            }
            _ => Err(Error::input(
                format!(
                    "unsupported psql meta-command \\{}; understudy passes through only \\restrict, \\unrestrict and one \\connect",
                    String::from_utf8_lossy(&command)
                ),
                self.at(line),
            )),
        }
    }

    fn statement(
        &mut self,
        text: &[u8],
        line: u64,
        copy_from_stdin: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        if copy_from_stdin {
            self.start_copy(text, line)?;
            return sink.write(text);
        }
        let body = statement_body(text);
        if starts_with_ci(body, b"insert") {
            return self.insert(text, line, sink);
        }
        if let Some(kind) = large_objects::classify(text) {
            return self.large_object(kind, text, line, sink);
        }
        if starts_with_ci(body, b"alter") {
            self.sequences.learn(text);
        }
        if starts_with_ci(body, b"select") {
            if let Some(rewritten) = self.setval(text) {
                self.passthrough(text);
                return sink.write(&rewritten);
            }
        }
        if starts_with_ci(body, b"set ") {
            if let Some(encoding) = client_encoding(body) {
                self.utf8 =
                    encoding.eq_ignore_ascii_case("utf8") || encoding.eq_ignore_ascii_case("utf-8");
            }
        }
        if self.learn_ddl {
            if let Some(changed) = apply_ddl(&mut self.schema, text, line, &self.input)? {
                self.recheck(&changed)?;
            }
        }
        self.passthrough(text);
        sink.write(text)
    }

    /// A key constraint that arrives after resolution (stdin input: post-data DDL) is checked
    /// against the rules already in force.
    fn recheck(&mut self, table: &QualifiedName) -> Result<(), Error> {
        let Some(resolved) = &self.resolved else {
            return Ok(());
        };
        let problems = resolved.recheck_table(self.policy, &self.schema, table, self.key);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::Policy(problems), Where::default()))
        }
    }

    /// Resolves the policy at the first data statement, when the DDL has been seen.
    fn resolved(&mut self) -> Result<&mut ResolvedPolicy, Error> {
        self.data_started = true;
        self.data_started_at.get_or_insert_with(Instant::now);
        if self.resolved.is_none() {
            let r = resolve::resolve(self.policy, &self.schema, self.key)
                .map_err(|p| Error::new(ErrorKind::Policy(p), Where::default()))?;
            if self.analyse {
                let checker = Checker::new(self.policy, &r, self.key, self.sample)
                    .map_err(|p| Error::new(ErrorKind::Policy(p), Where::default()))?;
                self.checker = Some(checker);
            }
            self.resolved = Some(r);
        }
        Ok(self.resolved.as_mut().expect("resolved above"))
    }

    /// Builds the row plan for a data statement on `name` listing `columns` (or all data columns).
    ///
    /// Without a column list, COPY lists the columns that carry data, while an INSERT has a
    /// value for every column (pg_dump writes `DEFAULT` for generated ones), hence `with_generated`.
    fn row_plan(
        &mut self,
        name: &QualifiedName,
        columns: Option<Vec<String>>,
        with_generated: bool,
        line: u64,
    ) -> Result<Arc<RowPlan>, Error> {
        let at = self.at(line).table(name);
        let (policy, key) = (self.policy, self.key);
        // Resolve against the full schema first; only then borrow it apart from the plan.
        self.resolved()?;
        let mut schema = std::mem::take(&mut self.schema);
        let resolved = self.resolved.as_mut().expect("resolved above");
        let mut checker = self.checker.as_mut();
        let result = (|| {
            if let Some(problems) = resolved.deferred_problems(name) {
                return Err(Error::new(
                    ErrorKind::Policy(problems.to_vec()),
                    Where::default(),
                ));
            }
            if resolved.table(name).is_none() {
                let cols = match (&columns, schema.table(name)) {
                    (_, Some(t)) => t.columns.iter().filter(|c| !c.generated).map(|c| c.name.clone()).collect(),
                    (Some(c), None) => c.clone(),
                    (None, None) => {
                        return Err(Error::input(
                            "data for a table that the dump never declares and whose columns the statement does not list",
                            at.clone(),
                        ))
                    }
                };
                let plan = resolved
                    .add_table(policy, &mut schema, name, &cols, key)
                    .map_err(|p| Error::new(ErrorKind::Policy(p), Where::default()))?;
                if let Some(checker) = checker.as_mut() {
                    let jointly = policy
                        .tables
                        .iter()
                        .find(|t| t.name == *name)
                        .map(|t| t.jointly_known.clone());
                    checker.add_table(plan, jointly.unwrap_or_default());
                }
            }
            let plan = resolved.table(name).expect("added above");
            let columns: Vec<String> = match (columns, schema.table(name)) {
                (Some(c), _) => c,
                (None, Some(t)) => t
                    .columns
                    .iter()
                    .filter(|c| with_generated || !c.generated)
                    .map(|c| c.name.clone())
                    .collect(),
                (None, None) => plan.columns.iter().map(|c| c.name.clone()).collect(),
            };
            let mut cells = Vec::with_capacity(columns.len());
            for column in &columns {
                let generated = schema
                    .table(name)
                    .and_then(|t| t.column(column))
                    .is_some_and(|c| c.generated);
                if generated {
                    // No data: the value is `DEFAULT` and passes through.
                    cells.push(None);
                    continue;
                }
                let Some(cp) = plan.column(column) else {
                    return Err(Error::input(
                        "the data statement lists a column that the table's plan does not have",
                        at.clone().column(column.clone()),
                    ));
                };
                if cp.partition_key && cp.transform.is_some() && plan.is_partition {
                    return Err(Error::input(
                        format!(
                            "rule `{}` would change a partition-key column, so restored rows would land in the wrong partition; dump with --load-via-partition-root or keep this column",
                            cp.rule.name()
                        ),
                        at.clone().column(column.clone()),
                    ));
                }
                cells.push(match &cp.transform {
                    None => None,
                    Some(t) => Some(copy::CellPlan {
                        transform: t.clone(),
                        entity: index_of(&columns, cp.entity.as_deref(), &at)?,
                        when: match &cp.when {
                            None => None,
                            Some(w) => {
                                index_of(&columns, Some(&w.column), &at)?.map(|i| (i, w.clone()))
                            }
                        },
                        on_error: cp.on_error.clone(),
                    }),
                });
            }
            let needs = checker
                .as_ref()
                .map(|c| c.needs(name, &columns))
                .filter(|n| !n.is_empty());
            Ok(Arc::new(RowPlan {
                table: name.to_string(),
                columns,
                cells,
                needs,
            }))
        })();
        self.schema = schema;
        self.seen.insert(name.clone());
        self.stats
            .entry(name.to_string())
            .or_insert_with(|| TableSummary::new(name.to_string()));
        result
    }

    fn start_copy(&mut self, text: &[u8], line: u64) -> Result<(), Error> {
        let body = statement_body(text);
        let offset = text.len() - body.len();
        let CopyHeader {
            name,
            columns,
            rest,
        } = parse_copy_header(body).ok_or_else(|| {
            Error::input("a COPY statement understudy cannot parse", self.at(line))
        })?;
        let _ = offset;
        if !copy_options_are_default(rest) {
            return Err(Error::input(
                "COPY with options (CSV, BINARY, DELIMITER, ...) is not supported; pg_dump writes the default text format",
                self.at(line).table(&name),
            ));
        }
        let plan = self.row_plan(&name, columns, false, line)?;
        self.copy = Some(CopyState {
            plan,
            name,
            started: Instant::now(),
        });
        Ok(())
    }

    fn copy_data(
        &mut self,
        data: &[u8],
        first_line: u64,
        crlf: bool,
        sink: &mut Sink,
    ) -> Result<u64, Error> {
        let Some(state) = &self.copy else {
            return Err(Error::input(
                "COPY data outside a COPY block",
                self.at(first_line),
            ));
        };
        let template = self
            .checker
            .as_ref()
            .map(|checker| checker.accumulator(&state.name, &state.plan.columns));
        let (plan, utf8) = (&state.plan, self.utf8);
        let result = match self.checker.as_mut() {
            // The previous block is merged into the checker on this thread while the pool
            // processes this one (see `Checker::queue`).
            Some(checker) => {
                let mut result = None;
                rayon::in_place_scope(|scope| {
                    scope.spawn(|_| {
                        result = Some(copy::process_block(
                            plan,
                            data,
                            crlf,
                            utf8,
                            template.as_ref(),
                        ));
                    });
                    checker.merge_queued();
                });
                result.expect("the scope ran the block")
            }
            None => copy::process_block(plan, data, crlf, utf8, None),
        };
        let lines;
        let written;
        match result {
            Ok(copy::Processed {
                outputs,
                rows,
                accumulators: accs,
            }) => {
                lines = rows;
                match outputs {
                    None => {
                        sink.write(data)?;
                        written = data.len();
                    }
                    Some(slices) => {
                        for s in &slices {
                            sink.write(s)?;
                        }
                        written = slices.iter().map(|s| s.len()).sum();
                    }
                }
                if let Some(checker) = self.checker.as_mut() {
                    checker.queue(accs);
                }
            }
            Err(e) => {
                let mut at = self.at(first_line + e.line).table(&state.name);
                if let Some(column) = e.field.and_then(|f| state.plan.columns.get(f)) {
                    at = at.column(column.clone());
                }
                return Err(Error::input(e.message, at));
            }
        }
        if let Some(s) = self.stats.get_mut(&state.plan.table) {
            s.rows += lines;
            s.bytes_in += data.len() as u64;
            s.bytes_out += written as u64;
        }
        Ok(lines)
    }

    /// Progress within the current COPY block.
    fn progress(
        &self,
        bytes_read: u64,
        total: Option<u64>,
        rows: u64,
        started: Instant,
    ) -> Progress<'_> {
        let copy = self.copy.as_ref();
        let stats = copy.and_then(|c| self.stats.get(&c.plan.table));
        Progress {
            bytes_read,
            total,
            rows,
            seconds: started.elapsed().as_secs_f64(),
            table: copy.map_or("", |c| c.plan.table.as_str()),
            table_rows: stats.map_or(0, |s| s.rows),
            table_bytes: stats.map_or(0, |s| s.bytes_in),
            table_seconds: copy.map_or(0.0, |c| c.started.elapsed().as_secs_f64()),
            table_expected_rows: copy.and_then(|c| self.expected_rows.get(&c.name).copied()),
        }
    }

    /// The end of a COPY block: its time goes to its table.
    fn end_copy(&mut self) {
        if let Some(state) = self.copy.take() {
            if let Some(s) = self.stats.get_mut(&state.plan.table) {
                s.duration_seconds += state.started.elapsed().as_secs_f64();
            }
        }
    }

    fn insert(&mut self, text: &[u8], line: u64, sink: &mut Sink) -> Result<(), Error> {
        let started = Instant::now();
        let header = insert::parse_header(text).ok_or_else(|| {
            Error::input(
                "an INSERT that is not of pg_dump's `INSERT INTO table [(columns)] VALUES (...)` shape; its values cannot be checked",
                self.at(line),
            )
        })?;
        if self.utf8 {
            if let Err(e) = simdutf8::compat::from_utf8(text) {
                let line =
                    line + memchr::memchr_iter(b'\n', &text[..e.valid_up_to()]).count() as u64;
                return Err(Error::input(
                    "the statement is not valid UTF-8",
                    self.at(line).table(&header.table),
                ));
            }
        }
        if memchr::memchr(0, text).is_some() {
            return Err(Error::input(
                "the statement contains a NUL byte",
                self.at(line).table(&header.table),
            ));
        }
        let has_columns = header.columns.is_some();
        let plan = match &self.insert_cache {
            Some((name, cols, plan)) if *name == header.table && *cols == has_columns => {
                plan.clone()
            }
            _ => {
                let plan = self.row_plan(&header.table, header.columns.clone(), true, line)?;
                self.insert_cache = Some((header.table.clone(), has_columns, plan.clone()));
                plan
            }
        };
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        let result = insert::rewrite(&plan, text, header.values_at, self.utf8, &mut out);
        let rows = match result {
            Ok(rows) => rows,
            Err(e) => {
                let line = line
                    + memchr::memchr_iter(b'\n', &text[..e.offset.min(text.len())]).count() as u64;
                let mut at = self.at(line).table(&header.table);
                if let Some(column) = e.field.and_then(|f| plan.columns.get(f)) {
                    at = at.column(column.clone());
                }
                return Err(Error::input(e.message, at));
            }
        };
        if let Some(s) = self.stats.get_mut(&plan.table) {
            s.rows += rows;
            s.bytes_in += text.len() as u64;
            s.bytes_out += out.len() as u64;
        }
        if let (Some(checker), Some(needs)) = (self.checker.as_mut(), plan.needs.as_ref()) {
            let mut acc = checker.accumulator(&header.table, &plan.columns);
            insert::observe(text, &out, header.values_at, needs, &mut acc);
            checker.merge(acc);
        }
        let written = sink.write(&out);
        self.scratch = out;
        if let Some(s) = self.stats.get_mut(&plan.table) {
            s.duration_seconds += started.elapsed().as_secs_f64();
        }
        written
    }

    fn large_object(
        &mut self,
        kind: LoStatement,
        text: &[u8],
        line: u64,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        self.large_objects += 1;
        match self.policy.large_objects.as_ref() {
            None => Err(Error::input(
                "the dump holds large objects, and the policy does not say what becomes of them; add [large_objects] with transform = \"null\" or \"keep\" and a reason",
                self.at(line),
            )),
            Some(LargeObjects::Keep { .. }) => {
                if kind == LoStatement::Write {
                    let bytes = large_objects::written_bytes(text);
                    self.passthrough(&bytes);
                }
                sink.write(text)
            }
            Some(LargeObjects::Null) => match kind {
                LoStatement::Structure => sink.write(text),
                // The object stays (so references to its OID still resolve) but gets no bytes.
                LoStatement::Write => Ok(()),
            },
        }
    }

    /// End of input: resolves a policy that never met data, and reports rules for tables a
    /// data-only dump never showed.
    fn finish(&mut self) -> Result<ResolvedPolicy, Error> {
        self.resolved()?;
        let unseen = resolve::unseen_targets(self.policy, &self.seen, &self.schema);
        if !unseen.is_empty() {
            return Err(Error::new(ErrorKind::Policy(unseen), Where::default()));
        }
        Ok(self.resolved.take().expect("resolved above"))
    }
}

/// The index of `column` in a data statement's column list; an error when the rule needs a
/// column the statement does not carry.
fn index_of(columns: &[String], column: Option<&str>, at: &Where) -> Result<Option<usize>, Error> {
    let Some(column) = column else {
        return Ok(None);
    };
    match columns.iter().position(|c| c == column) {
        Some(i) => Ok(Some(i)),
        None => Err(Error::input(
            "a rule needs another column of the row (`when` or `per`) that this data statement does not carry",
            at.clone().column(column.to_owned()),
        )),
    }
}

/// `SET client_encoding = 'X'` → `X`.
fn client_encoding(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let lower = text.to_ascii_lowercase();
    let rest = lower.strip_prefix("set")?.trim_start();
    let rest = rest.strip_prefix("client_encoding")?.trim_start();
    let rest = rest.strip_prefix('=').or_else(|| rest.strip_prefix("to"))?;
    let value: String = rest
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Some(value)
}

/// The parts of `COPY name [(columns)] FROM stdin ...`.
struct CopyHeader<'a> {
    name: QualifiedName,
    columns: Option<Vec<String>>,
    /// The text after `stdin` (options, then `;`).
    rest: &'a [u8],
}

/// Parses a COPY statement's header.
fn parse_copy_header(body: &[u8]) -> Option<CopyHeader<'_>> {
    let rest = body.get(4..)?.trim_ascii_start();
    let (name, n) = parse_qualified_prefix(rest)?;
    let mut rest = rest[n..].trim_ascii_start();
    let mut columns = None;
    if rest.first() == Some(&b'(') {
        let (cols, n) = parse_column_list(rest)?;
        columns = Some(cols);
        rest = rest[n..].trim_ascii_start();
    }
    let rest = rest
        .get(4..)
        .filter(|_| starts_with_ci(rest, b"from"))?
        .trim_ascii_start();
    let rest = rest.get(5..).filter(|_| starts_with_ci(rest, b"stdin"))?;
    Some(CopyHeader {
        name,
        columns,
        rest,
    })
}

fn copy_options_are_default(rest: &[u8]) -> bool {
    rest.trim_ascii() == b";"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_copy_headers_with_odd_names() {
        let CopyHeader {
            name,
            columns: cols,
            rest,
        } = parse_copy_header(
            b"COPY public.\"we\"\"ird.na me\" (\"col\nnl\", \"a.b\") FROM stdin;",
        )
        .unwrap();
        assert_eq!(name.name, "we\"ird.na me");
        assert_eq!(
            cols.unwrap(),
            vec!["col\nnl".to_string(), "a.b".to_string()]
        );
        assert!(copy_options_are_default(rest));
        let CopyHeader {
            columns: cols,
            rest,
            ..
        } = parse_copy_header(b"COPY t FROM stdin WITH (FORMAT csv);").unwrap();
        assert!(cols.is_none());
        assert!(!copy_options_are_default(rest));
    }

    #[test]
    fn reads_client_encoding() {
        assert_eq!(
            client_encoding(b"SET client_encoding = 'UTF8';").as_deref(),
            Some("utf8")
        );
        assert_eq!(
            client_encoding(b"SET client_encoding TO 'LATIN1';").as_deref(),
            Some("latin1")
        );
        assert_eq!(client_encoding(b"SET lock_timeout = 0;"), None);
    }
}
