//! Bad lines: malformed or longer than `--max-document-bytes`, or cut short by a damaged
//! compressed stream; and bad text inputs, not UTF-8 or longer than `--max-document-bytes`.
//! Each is the run's end or, with `--skip-bad-lines`, a count in the report, a warning on
//! stderr (the first few) and in the `--rejects` file a verbatim copy (of a line) or a JSON line
//! naming it (a text input: `{"path": …, "error": …}`).

use crate::error::{Error, Result};
use crate::json::{self, LineError};
use crate::plan::{Destination, Plan};
use crate::progress::Progress;
use crate::read::LongLine;
use crate::report::InputCounts;

use super::sink::{Sink, Staged};

/// Malformed lines shown on stderr before the rest are only counted.
const WARNINGS: u64 = 10;

/// What becomes of bad lines, and the `--rejects` file they are copied to.
pub struct Rejects<'r> {
    plan: &'r Plan,
    progress: &'r Progress,
    sink: Option<Sink>,
    /// Malformed lines reported on stderr so far.
    warned: u64,
}

impl<'r> Rejects<'r> {
    /// Opens the `--rejects` file, if the plan names one.
    ///
    /// # Errors
    ///
    /// The file cannot be created.
    pub fn create(plan: &'r Plan, progress: &'r Progress) -> Result<Rejects<'r>> {
        let sink = plan
            .rejects
            .as_deref()
            .map(|path| Sink::create(&Destination::File(path.to_owned()), plan.compression_level))
            .transpose()?;
        Ok(Rejects {
            plan,
            progress,
            sink,
            warned: 0,
        })
    }

    /// A malformed line of the input `name`: the run's end, or (with `--skip-bad-lines`) a
    /// count, a warning and a copy in the rejects file.
    ///
    /// # Errors
    ///
    /// The line, without `--skip-bad-lines`; or the rejects file cannot be written.
    pub fn line(
        &mut self,
        name: &str,
        number: u64,
        problem: &LineError,
        line: &[u8],
        counts: &mut InputCounts,
    ) -> Result<()> {
        self.count_line(name, number, problem, counts)?;
        if let Some(rejects) = &mut self.sink {
            let buf = rejects.buffer();
            buf.extend_from_slice(line);
            if !line.ends_with(b"\n") {
                buf.push(b'\n');
            }
            rejects.flush_if_full()?;
        }
        Ok(())
    }

    /// A line of the input `name` longer than `--max-document-bytes`: the run's end, or (with
    /// `--skip-bad-lines`) a bad line like any other, the rest of it read through in pieces
    /// (and copied to the rejects file) without ever holding it whole.
    ///
    /// # Errors
    ///
    /// The line, without `--skip-bad-lines`; or the input cannot be read, or the rejects file
    /// written.
    pub fn long_line(
        &mut self,
        name: &str,
        line: LongLine<'_>,
        counts: &mut InputCounts,
    ) -> Result<()> {
        let problem = LineError::whole(format!(
            "the line is longer than the document limit of {} bytes (--max-document-bytes), so \
             its {:?} field was not read",
            self.plan.max_document, self.plan.text_field
        ));
        self.count_line(name, line.number, &problem, counts)?;
        if let Some(rejects) = &mut self.sink {
            rejects.buffer().extend_from_slice(line.head);
            rejects.flush_if_full()?;
        }
        let sink = &mut self.sink;
        let read_newline = line.read_through(|piece| {
            if let Some(rejects) = sink {
                rejects.buffer().extend_from_slice(piece);
                rejects.flush_if_full()?;
            }
            Ok(())
        })?;
        if !read_newline {
            if let Some(rejects) = &mut self.sink {
                if !rejects.buffer().ends_with(b"\n") {
                    rejects.buffer().push(b'\n');
                }
            }
        }
        Ok(())
    }

    /// Documents left out whole (`--max-removed-fraction`), their lines verbatim, each ending
    /// with a line break: copied to the rejects file, if there is one.
    ///
    /// # Errors
    ///
    /// The rejects file cannot be written.
    pub fn documents(&mut self, lines: &[u8]) -> Result<()> {
        if let Some(rejects) = &mut self.sink {
            rejects.buffer().extend_from_slice(lines);
            rejects.flush_if_full()?;
        }
        Ok(())
    }

    /// A text input that is no document (`problem` says why, naming the line where it can):
    /// the run's end, or (with `--skip-bad-lines`) a bad line, counted and warned of, and in
    /// the rejects file a JSON line naming it, since the file itself may be neither UTF-8 nor
    /// one line.
    ///
    /// # Errors
    ///
    /// The document, without `--skip-bad-lines`; or the rejects file cannot be written.
    pub fn document(&mut self, name: &str, problem: &str, counts: &mut InputCounts) -> Result<()> {
        self.count(&format!("{name}: {problem}"), counts)?;
        if let Some(rejects) = &mut self.sink {
            let buf = rejects.buffer();
            buf.extend_from_slice(b"{\"path\":");
            json::push_string(name, buf);
            buf.extend_from_slice(b",\"error\":");
            json::push_string(problem, buf);
            buf.extend_from_slice(b"}\n");
            rejects.flush_if_full()?;
        }
        Ok(())
    }

    /// The run's end at a malformed line, or (with `--skip-bad-lines`) a count and a warning.
    fn count_line(
        &mut self,
        name: &str,
        number: u64,
        problem: &LineError,
        counts: &mut InputCounts,
    ) -> Result<()> {
        self.count(&format!("{name}: line {number}: {problem}"), counts)
    }

    /// The run's end at a bad line or document (`what` names it and says what is wrong), or
    /// (with `--skip-bad-lines`) a count and a warning.
    fn count(&mut self, what: &str, counts: &mut InputCounts) -> Result<()> {
        if !self.plan.skip_bad_lines {
            return Err(Error::runtime(what));
        }
        counts.bad_lines += 1;
        if !self.plan.quiet {
            if self.warned < WARNINGS {
                self.progress
                    .println(format!("paradedup: {what} (skipped)"));
            } else if self.warned == WARNINGS {
                self.progress
                    .println("paradedup: more malformed lines are skipped and counted, not shown");
            }
        }
        self.warned += 1;
        Ok(())
    }

    /// Ends the rejects file: complete, under its temporary name.
    ///
    /// # Errors
    ///
    /// The file cannot be written.
    pub fn finish(&mut self) -> Result<Option<Staged>> {
        match self.sink.take() {
            Some(sink) => sink.finish(),
            None => Ok(None),
        }
    }
}
