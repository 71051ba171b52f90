//! Parsing in a child process with memory and CPU limits, so that a parser abort (calamine
//! aborts instead of panicking on some hostile files) costs one failed upload, not the server.
//!
//! Protocol on the child's stdin: one line of JSON (the limits), then the file's bytes to
//! EOF. On stdout: the JSON of `Result<ParsedUpload, FileRejection>`. Exit code 0 when
//! parsed, 2 when refused; anything else, a signal or a timeout means the parse failed.

use std::io::{BufRead, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use rlimit::Resource;
use serde::{Deserialize, Serialize};

use crate::errors::FileRejection;
use crate::limits::UploadLimits;
use crate::read::read_insured_upload;
use crate::upload::ParsedUpload;

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

#[derive(Serialize, Deserialize)]
struct Request {
    upload: UploadLimits,
    memory_bytes: u64,
    cpu_seconds: u64,
}

/// The child side: `ebdesk sheets-parse` calls this and exits with its code.
pub fn serve_stdio() -> ExitCode {
    serve_stdio_with(read_insured_upload)
}

/// [`serve_stdio`] with another parser, so tests can make the child crash, hang or hog.
pub fn serve_stdio_with(
    parse: impl FnOnce(&[u8], &UploadLimits) -> Result<ParsedUpload, FileRejection>,
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
    let result = parse(&bytes, &request.upload);
    drop(bytes);
    let code = if result.is_ok() {
        EXIT_PARSED
    } else {
        EXIT_REFUSED
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    if serde_json::to_writer(&mut out, &result).is_err() || out.flush().is_err() {
        return ExitCode::from(EXIT_BAD_REQUEST);
    }
    ExitCode::from(code)
}

/// The parent side: runs `exe args…` as the child, feeds it `bytes`, and turns whatever
/// happens to it (abort, signal, memory or CPU limit, timeout) into
/// [`FileRejection::ReadFailed`].
pub fn parse_isolated(
    exe: &Path,
    args: &[&str],
    bytes: &[u8],
    limits: &IsolationLimits,
) -> Result<ParsedUpload, FileRejection> {
    // Cheap refusals need no process.
    if bytes.is_empty() {
        return Err(FileRejection::Empty);
    }
    if bytes.len() as u64 > limits.upload.max_file_bytes {
        return Err(FileRejection::TooLarge {
            max_bytes: limits.upload.max_file_bytes,
        });
    }
    let mut request = serde_json::to_vec(&Request {
        upload: limits.upload.clone(),
        memory_bytes: limits.memory_bytes,
        cpu_seconds: limits.cpu_seconds,
    })
    .map_err(|_| FileRejection::ReadFailed)?;
    request.push(b'\n');

    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|_| FileRejection::ReadFailed)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(FileRejection::ReadFailed);
    };
    // The output cannot sensibly be larger than the child's memory.
    let max_output = limits.memory_bytes.saturating_mul(2);
    let (status, output) = std::thread::scope(|scope| {
        scope.spawn(move || {
            // A child that dies early closes the pipe: the error means nothing more.
            let _ = stdin
                .write_all(&request)
                .and_then(|()| stdin.write_all(bytes));
        });
        let reader = scope.spawn(move || {
            let mut out = Vec::new();
            stdout.take(max_output).read_to_end(&mut out).map(|_| out)
        });
        let status = wait_with_deadline(&mut child, limits.wall_clock);
        (status, reader.join())
    });
    let (Some(status), Ok(Ok(output))) = (status, output) else {
        return Err(FileRejection::ReadFailed);
    };
    let expected = matches!(
        status.code().and_then(|c| u8::try_from(c).ok()),
        Some(EXIT_PARSED | EXIT_REFUSED)
    );
    if !expected {
        return Err(FileRejection::ReadFailed);
    }
    match serde_json::from_slice::<Result<ParsedUpload, FileRejection>>(&output) {
        Ok(Ok(upload)) if status.code() == Some(i32::from(EXIT_PARSED)) => Ok(upload),
        Ok(Err(rejection)) if status.code() == Some(i32::from(EXIT_REFUSED)) => Err(rejection),
        _ => Err(FileRejection::ReadFailed),
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
