//! The main job: print every image URL of a repair-results response, one a
//! line.
//!
//! ```text
//! cargo run --example urls              # the bundled sample response
//! cargo run --example urls -- body.json # a response in a file
//! curl ... | cargo run --example urls -- -
//! ```
//!
//! On bad input the URLs before the fault are printed, then a one-line error
//! naming the byte offset and level goes to stderr and the exit status is 1.

use std::io::{self, Read, Write};
use std::process::ExitCode;

const SAMPLE: &[u8] = include_bytes!("../tests/fixtures/sample_response.json");

fn main() -> ExitCode {
    let input = match std::env::args_os().nth(1) {
        None => SAMPLE.to_vec(),
        Some(arg) if arg == "-" => {
            let mut buf = Vec::new();
            if let Err(e) = io::stdin().read_to_end(&mut buf) {
                eprintln!("urls: reading stdin: {e}");
                return ExitCode::FAILURE;
            }
            buf
        }
        Some(path) => match std::fs::read(&path) {
            Ok(buf) => buf,
            Err(e) => {
                eprintln!("urls: reading {}: {e}", path.to_string_lossy());
                return ExitCode::FAILURE;
            }
        },
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = print_urls(&input, &mut out);
    // Whatever was found before a fault is printed before the error.
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Err(Failure::Decode(e)), _) => {
            let (line, col) = e.line_col(&input);
            eprintln!("urls: {e} (line {line}, column {col})");
            ExitCode::FAILURE
        }
        (Err(Failure::Io(e)), _) | (_, Err(e)) => {
            if e.kind() != io::ErrorKind::BrokenPipe {
                eprintln!("urls: writing: {e}");
            }
            ExitCode::FAILURE
        }
    }
}

enum Failure {
    Decode(handfoot::Error),
    Io(io::Error),
}

fn print_urls(input: &[u8], out: &mut impl Write) -> Result<(), Failure> {
    let response = handfoot::Response::parse(input).map_err(Failure::Decode)?;
    for url in response.image_urls() {
        let url = url.map_err(Failure::Decode)?;
        writeln!(out, "{url}").map_err(Failure::Io)?;
    }
    Ok(())
}
