//! `tdiff EXPECTED ACTUAL`: compare two transcript files modulo
//! normalisation; prints the differing commands, exits 1 if any.
//! `tdiff --normalise FILE`: print FILE normalised.
use std::process::ExitCode;

fn read(p: &str) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| {
        eprintln!("tdiff: {p}: {e}");
        std::process::exit(2)
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, f] if flag == "--normalise" => {
            print!("{}", vnet_transcript::normalise(&read(f)));
            ExitCode::SUCCESS
        }
        [a, b] => {
            let diffs = vnet_transcript::diff(
                &vnet_transcript::parse(&read(a)),
                &vnet_transcript::parse(&read(b)),
            );
            for d in &diffs {
                print!("{d}");
            }
            if diffs.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("usage: tdiff EXPECTED ACTUAL | tdiff --normalise FILE");
            ExitCode::from(2)
        }
    }
}
