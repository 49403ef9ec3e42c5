//! Per-command comparison of two transcripts after normalisation.

use crate::format::{parse, render, Entry};
use crate::normalise::normalise;

/// One command whose normalised output differs between the expected and the
/// actual transcript (or that exists in only one of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandDiff {
    /// Position of the command in the transcripts (0-based).
    pub index: usize,
    /// The command line (the expected one, or the actual one when the
    /// expected transcript has fewer commands).
    pub command: String,
    /// A unified-style line diff of the command's output (stdout, `[stderr]`
    /// block, `[exit N]`): lines prefixed with ` `, `-` (expected only) or
    /// `+` (actual only). For a command-line mismatch, the two command lines.
    pub diff: String,
}

impl std::fmt::Display for CommandDiff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "@@ command {}: $ {}", self.index + 1, self.command)?;
        f.write_str(&self.diff)
    }
}

/// Normalises each transcript as a whole, then splits it back into entries.
pub fn normalise_entries(entries: &[Entry]) -> Vec<Entry> {
    parse(&normalise(&render(entries)))
}

/// Compares two transcripts command by command, after normalising each one
/// (so `MAC1` in one matches `MAC1` in the other). Returns one
/// [`CommandDiff`] per command whose output differs; empty when they agree.
pub fn diff(expected: &[Entry], actual: &[Entry]) -> Vec<CommandDiff> {
    let exp = normalise_entries(expected);
    let act = normalise_entries(actual);
    let mut out = Vec::new();
    for i in 0..exp.len().max(act.len()) {
        match (exp.get(i), act.get(i)) {
            (Some(e), Some(a)) if e.command != a.command => out.push(CommandDiff {
                index: i,
                command: e.command.clone(),
                diff: format!("-$ {}\n+$ {}\n", e.command, a.command),
            }),
            (Some(e), Some(a)) => {
                let (eo, ao) = (e.render_output(), a.render_output());
                if eo != ao {
                    out.push(CommandDiff {
                        index: i,
                        command: e.command.clone(),
                        diff: line_diff(&eo, &ao),
                    });
                }
            }
            (Some(e), None) => out.push(CommandDiff {
                index: i,
                command: e.command.clone(),
                diff: format!(
                    "-$ {}\n{}",
                    e.command,
                    prefix_lines(&e.render_output(), '-')
                ),
            }),
            (None, Some(a)) => out.push(CommandDiff {
                index: i,
                command: a.command.clone(),
                diff: format!(
                    "+$ {}\n{}",
                    a.command,
                    prefix_lines(&a.render_output(), '+')
                ),
            }),
            (None, None) => unreachable!(),
        }
    }
    out
}

fn prefix_lines(text: &str, p: char) -> String {
    text.lines().map(|l| format!("{p}{l}\n")).collect()
}

/// A line diff of two texts (longest common subsequence), every line
/// prefixed with ` `, `-` (only in `a`) or `+` (only in `b`). When exactly
/// one non-empty text lacks a final newline, a `\ No newline at end of file`
/// line is added.
pub fn line_diff(a: &str, b: &str) -> String {
    let al: Vec<&str> = a.lines().collect();
    let bl: Vec<&str> = b.lines().collect();
    let (n, m) = (al.len(), bl.len());
    // lcs[i][j] = LCS length of al[i..] and bl[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if al[i] == bl[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && al[i] == bl[j] {
            out.push_str(&format!(" {}\n", al[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("-{}\n", al[i]));
            i += 1;
        } else {
            out.push_str(&format!("+{}\n", bl[j]));
            j += 1;
        }
    }
    let unterminated = |t: &str| !t.is_empty() && !t.ends_with('\n');
    if unterminated(a) != unterminated(b) {
        out.push_str("\\ No newline at end of file\n");
    }
    out
}
