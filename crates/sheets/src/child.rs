//! Parsing in a child process with memory and CPU limits, so that a parser abort (calamine
//! aborts instead of panicking on some hostile files) costs one failed attempt, not the
//! server.
//!
//! Protocol on the child's stdin: one line of JSON (the limits), then the file's bytes to
//! EOF. On stdout: frames (see [`crate::wire`]): the header, one frame per row as it is
//! read, and an end frame with the row count or the refusal. Exit code 0 when parsed, 2 when
//! refused. Only that refusal (end frame and exit code 2) blames the file; anything else (a
//! signal, a memory or CPU limit, a timeout, a broken stream) means the check did not
//! complete, which says nothing about the file. The parent hands rows on while the child
//! still reads, and voids them if the end is not a clean success.

use std::io::{BufRead, BufWriter, Read, Write};

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use rlimit::Resource;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::errors::FileRejection;
use crate::limits::UploadLimits;
use crate::read::read_insured_upload_into;
use crate::salary_read::{SalarySink, read_salary_upload_into};
use crate::upload::{CollectUpload, ParsedUpload, UploadSink};
use crate::wire::{self, Frame, FrameWriter};

/// Exit code of a child that parsed the file.
pub const EXIT_PARSED: u8 = 0;
/// Exit code of a child that refused the file (the rejection is on stdout).
pub const EXIT_REFUSED: u8 = 2;
/// Exit code of a child that got no usable request or could not limit itself.
pub const EXIT_BAD_REQUEST: u8 = 3;

/// The request line is small; a longer one is not ours.
const MAX_REQUEST_LINE: u64 = 64 * 1024;

/// Bounds of one isolated parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsolationLimits {
    /// What the reader accepts.
    pub upload: UploadLimits,
    /// Address space of the child (`RLIMIT_AS`), the binary and its libraries included.
    pub memory_bytes: u64,
    /// CPU time of the child (`RLIMIT_CPU`); the kernel stops it past this.
    pub cpu_seconds: u64,
    /// Wall-clock time the parent waits before it kills the child.
    pub wall_clock: Duration,
}

impl Default for IsolationLimits {
    fn default() -> Self {
        IsolationLimits {
            upload: UploadLimits::default(),
            memory_bytes: 1024 * 1024 * 1024,
            cpu_seconds: 20,
            wall_clock: Duration::from_secs(30),
        }
    }
}

/// How an isolated parse ended without an answer: the child's fate, not the file's.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChildFailure {
    #[error("the parser could not be started: {0}")]
    Spawn(std::io::ErrorKind),
    /// Killed from outside (the OOM killer, an operator), or by its own limits: `RLIMIT_CPU`
    /// ends in SIGXCPU/SIGKILL, an allocation past `RLIMIT_AS` in an abort.
    #[error("the parser was stopped by signal {0}")]
    Signal(i32),
    #[error("the parser exited with code {0}")]
    Exit(i32),
    #[error("the parser did not finish within {0:?}")]
    Timeout(Duration),
    /// It exited as if done, but its frames did not add up.
    #[error("the parser's output broke the protocol")]
    Protocol,
}

/// Why an isolated parse gave no rows.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IsolatedError {
    /// The file is at fault: the child's verdict, or a refusal that needed no child.
    #[error("file refused: {0}")]
    Refused(#[from] FileRejection),
    /// The check did not complete; trying again may well succeed.
    #[error("check not completed: {0}")]
    Incomplete(#[source] ChildFailure),
}

#[derive(Serialize, Deserialize)]
struct Request {
    upload: UploadLimits,
    memory_bytes: u64,
    cpu_seconds: u64,
    /// Which list the file is; absent in requests of older parents: the overview.
    #[serde(default)]
    kind: UploadKind,
}

/// Which kind of list an upload is, so the child reads it with the right columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadKind {
    /// "Overzicht verzekerden" (business e-mail addresses).
    #[default]
    InsuredOverview,
    /// "Invullijst salarissen".
    SalaryList,
}

/// The child side: `ebdesk sheets-parse` calls this and exits with its code. Rows go out
/// as they are read.
pub fn serve_stdio() -> ExitCode {
    serve(|bytes, limits, kind, out| match kind {
        UploadKind::InsuredOverview => read_insured_upload_into(bytes, limits, out),
        UploadKind::SalaryList => read_salary_upload_into(bytes, limits, out),
    })
}

/// [`serve_stdio`] with another parser, so tests can make the child crash, hang or hog.
pub fn serve_stdio_with(
    parse: impl FnOnce(&[u8], &UploadLimits) -> Result<ParsedUpload, FileRejection>,
) -> ExitCode {
    serve(|bytes, limits, _, sink| {
        let upload = parse(bytes, limits)?;
        UploadSink::header(sink, upload.header());
        for row in upload.rows {
            UploadSink::row(sink, row);
        }
        Ok(())
    })
}

/// Where the child writes its frames.
type Out = FrameWriter<BufWriter<std::io::StdoutLock<'static>>>;

fn serve(
    parse: impl FnOnce(&[u8], &UploadLimits, UploadKind, &mut Out) -> Result<(), FileRejection>,
) -> ExitCode {
    let mut input = std::io::stdin().lock();
    let mut line = Vec::new();
    if input
        .by_ref()
        .take(MAX_REQUEST_LINE)
        .read_until(b'\n', &mut line)
        .is_err()
    {
        return ExitCode::from(EXIT_BAD_REQUEST);
    }
    let Ok(request) = serde_json::from_slice::<Request>(&line) else {
        return ExitCode::from(EXIT_BAD_REQUEST);
    };
    // Limits first: nothing of the file is touched without them. No core dump either: it
    // would hold the upload's personal data.
    let limited = rlimit::setrlimit(Resource::CORE, 0, 0)
        .and_then(|()| rlimit::setrlimit(Resource::AS, request.memory_bytes, request.memory_bytes))
        .and_then(|()| {
            rlimit::setrlimit(
                Resource::CPU,
                request.cpu_seconds,
                request.cpu_seconds.saturating_add(1),
            )
        });
    if limited.is_err() {
        return ExitCode::from(EXIT_BAD_REQUEST);
    }
    let mut bytes = Vec::new();
    if input
        .take(request.upload.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .is_err()
    {
        return ExitCode::from(EXIT_BAD_REQUEST);
    }
    let mut out = FrameWriter::new(BufWriter::with_capacity(
        256 * 1024,
        std::io::stdout().lock(),
    ));
    let result = parse(&bytes, &request.upload, request.kind, &mut out);
    drop(bytes);
    let code = if result.is_ok() {
        EXIT_PARSED
    } else {
        EXIT_REFUSED
    };
    let rows = out.rows();
    if out.finish(result.map(|()| rows)).is_err() {
        return ExitCode::from(EXIT_BAD_REQUEST);
    }
    ExitCode::from(code)
}

/// The parent side: runs `exe args…` as the child and feeds it `bytes`. The child's refusal
/// is [`IsolatedError::Refused`]; whatever else happens to it (abort, signal, memory or CPU
/// limit, timeout) is [`IsolatedError::Incomplete`].
pub fn parse_isolated(
    exe: &Path,
    args: &[&str],
    bytes: &[u8],
    limits: &IsolationLimits,
) -> Result<ParsedUpload, IsolatedError> {
    let mut collect = CollectUpload::default();
    parse_isolated_into(exe, args, bytes, limits, &mut collect)?;
    collect
        .finish()
        .ok_or(IsolatedError::Incomplete(ChildFailure::Protocol))
}

/// [`parse_isolated`] that hands the header and each row to `sink` as the child sends them,
/// so the caller works while the child still reads. What the sink got is void unless this
/// answers `Ok`: a refusal or a failure can come after rows.
pub fn parse_isolated_into(
    exe: &Path,
    args: &[&str],
    bytes: &[u8],
    limits: &IsolationLimits,
    sink: &mut (dyn UploadSink + Send),
) -> Result<(), IsolatedError> {
    let mut frames = InsuredFrames(sink);
    run_isolated(
        exe,
        args,
        bytes,
        limits,
        UploadKind::InsuredOverview,
        &mut frames,
    )
}

/// [`parse_isolated_into`] for a salary list.
pub fn parse_salary_isolated_into(
    exe: &Path,
    args: &[&str],
    bytes: &[u8],
    limits: &IsolationLimits,
    sink: &mut (dyn SalarySink + Send),
) -> Result<(), IsolatedError> {
    let mut frames = SalaryFrames(sink);
    run_isolated(
        exe,
        args,
        bytes,
        limits,
        UploadKind::SalaryList,
        &mut frames,
    )
}

/// Takes the header and row frames of one kind of list; false for a frame of another kind.
trait FrameSink: Send {
    fn take(&mut self, frame: Frame) -> bool;
}

struct InsuredFrames<'a>(&'a mut (dyn UploadSink + Send));

impl FrameSink for InsuredFrames<'_> {
    fn take(&mut self, frame: Frame) -> bool {
        match frame {
            Frame::Header(h) => self.0.header(h),
            Frame::Row(r) => self.0.row(r),
            _ => return false,
        }
        true
    }
}

struct SalaryFrames<'a>(&'a mut (dyn SalarySink + Send));

impl FrameSink for SalaryFrames<'_> {
    fn take(&mut self, frame: Frame) -> bool {
        match frame {
            Frame::SalaryHeader(h) => self.0.header(h),
            Frame::SalaryRow(r) => self.0.row(r),
            _ => return false,
        }
        true
    }
}

fn run_isolated(
    exe: &Path,
    args: &[&str],
    bytes: &[u8],
    limits: &IsolationLimits,
    kind: UploadKind,
    sink: &mut dyn FrameSink,
) -> Result<(), IsolatedError> {
    // Cheap refusals need no process.
    if bytes.is_empty() {
        return Err(FileRejection::Empty.into());
    }
    if bytes.len() as u64 > limits.upload.max_file_bytes {
        return Err(FileRejection::TooLarge {
            max_bytes: limits.upload.max_file_bytes,
        }
        .into());
    }
    let mut request = serde_json::to_vec(&Request {
        upload: limits.upload.clone(),
        memory_bytes: limits.memory_bytes,
        cpu_seconds: limits.cpu_seconds,
        kind,
    })
    .map_err(|_| IsolatedError::Incomplete(ChildFailure::Protocol))?;
    request.push(b'\n');

    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| IsolatedError::Incomplete(ChildFailure::Spawn(e.kind())))?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(IsolatedError::Incomplete(ChildFailure::Spawn(
            std::io::ErrorKind::BrokenPipe,
        )));
    };
    // The output cannot sensibly be larger than the child's memory.
    let max_output = limits.memory_bytes.saturating_mul(2);
    let max_rows = limits.upload.max_rows;
    let (status, end) = std::thread::scope(|scope| {
        scope.spawn(move || {
            // A child that dies early closes the pipe: the error means nothing more.
            let _ = stdin
                .write_all(&request)
                .and_then(|()| stdin.write_all(bytes));
        });
        let reader = scope.spawn(move || {
            let mut input = std::io::BufReader::with_capacity(256 * 1024, stdout.take(max_output));
            relay(&mut input, sink, max_rows)
        });
        let status = wait_with_deadline(&mut child, limits.wall_clock);
        (status, reader.join())
    });
    let Some(status) = status else {
        return Err(IsolatedError::Incomplete(ChildFailure::Timeout(
            limits.wall_clock,
        )));
    };
    verdict(status, end.ok().flatten())
}

/// Only a clean end frame with its exit code is an answer about the file; how the child
/// ended otherwise is said first, since a killed child's frames are cut anywhere.
fn verdict(
    status: ExitStatus,
    end: Option<Result<(), FileRejection>>,
) -> Result<(), IsolatedError> {
    let code = status.code();
    match (end, code.and_then(|c| u8::try_from(c).ok())) {
        (Some(Ok(())), Some(EXIT_PARSED)) => Ok(()),
        (Some(Err(rejection)), Some(EXIT_REFUSED)) => Err(IsolatedError::Refused(rejection)),
        _ => Err(IsolatedError::Incomplete(match (status.signal(), code) {
            (Some(signal), _) => ChildFailure::Signal(signal),
            (None, Some(code))
                if code != i32::from(EXIT_PARSED) && code != i32::from(EXIT_REFUSED) =>
            {
                ChildFailure::Exit(code)
            }
            _ => ChildFailure::Protocol,
        })),
    }
}

/// Reads the child's frames into `sink` up to the end frame. `None` when the output breaks
/// the protocol (anything before the header, more rows than allowed, a row count that does
/// not match, bytes after the end).
fn relay(
    input: &mut impl BufRead,
    sink: &mut dyn FrameSink,
    max_rows: u32,
) -> Option<Result<(), FileRejection>> {
    let mut header = false;
    let mut rows: u64 = 0;
    loop {
        match wire::read_frame(input).ok()? {
            Frame::End(end) => {
                let mut rest = [0u8; 1];
                if input.read(&mut rest).ok()? != 0 {
                    return None;
                }
                return match end {
                    Ok(count) if header && count == rows => Some(Ok(())),
                    Ok(_) => None,
                    Err(rejection) => Some(Err(rejection)),
                };
            }
            frame @ (Frame::Header(_) | Frame::SalaryHeader(_)) if !header => {
                header = true;
                if !sink.take(frame) {
                    return None;
                }
            }
            frame @ (Frame::Row(_) | Frame::SalaryRow(_))
                if header && rows < u64::from(max_rows) =>
            {
                rows += 1;
                if !sink.take(frame) {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// Waits for the child; past the deadline it is killed and `None` returned.
fn wait_with_deadline(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}
