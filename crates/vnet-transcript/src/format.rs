//! The transcript text format written by `scripts/transcript.sh`:
//!
//! ```text
//! $ <command as written>
//! <stdout, verbatim>
//! [stderr]
//! <stderr, verbatim>
//! [exit N]
//! ```
//!
//! `[stderr]` and its block appear only when stderr is non-empty, `[exit N]`
//! only when N != 0, and a block that does not end in a newline gets one.
//! A command written with backslash-newline continuations spans several
//! lines; every line but the last ends in `\`. The other lines of a
//! command that spans several (a loop, a function, a here-document) are
//! shown as bash's second prompt shows them, after `> `.

/// One command of a transcript and what it printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// The command line as written in the scenario (continuations included).
    pub command: String,
    /// Everything the command wrote to stdout.
    pub stdout: String,
    /// Everything the command wrote to stderr.
    pub stderr: String,
    /// The exit status (0 = success).
    pub exit: i32,
}

impl Entry {
    /// A successful command with the given stdout and no stderr.
    pub fn ok(command: &str, stdout: &str) -> Entry {
        Entry {
            command: command.to_string(),
            stdout: stdout.to_string(),
            stderr: String::new(),
            exit: 0,
        }
    }

    /// Renders the part of this entry after the `$` line (stdout, stderr
    /// marker and block, exit marker).
    pub fn render_output(&self) -> String {
        let mut s = String::new();
        push_block(&mut s, &self.stdout);
        if !self.stderr.is_empty() {
            s.push_str("[stderr]\n");
            push_block(&mut s, &self.stderr);
        }
        if self.exit != 0 {
            s.push_str(&format!("[exit {}]\n", self.exit));
        }
        s
    }
}

fn push_block(s: &mut String, block: &str) {
    s.push_str(block);
    if !block.is_empty() && !block.ends_with('\n') {
        s.push('\n');
    }
}

/// Renders entries in the transcript format. Inverse of [`parse`] for entries
/// whose blocks are empty or end in a newline and contain no line that looks
/// like a marker (`$ ...`, `[stderr]`, `[exit N]`).
pub fn render(entries: &[Entry]) -> String {
    let mut s = String::new();
    for e in entries {
        s.push_str("$ ");
        s.push_str(&command_lines(&e.command));
        s.push('\n');
        s.push_str(&e.render_output());
    }
    s
}

/// A command's lines as the transcript shows them: after the first, `> `
/// unless the line before ended in a backslash.
fn command_lines(cmd: &str) -> String {
    let mut s = String::new();
    let mut prev: Option<&str> = None;
    for l in cmd.split('\n') {
        match prev {
            None => {}
            Some(p) if p.ends_with('\\') => s.push('\n'),
            Some(_) => s.push_str("\n> "),
        }
        s.push_str(l);
        prev = Some(l);
    }
    s
}

fn exit_marker(line: &str) -> Option<i32> {
    line.strip_prefix("[exit ")?.strip_suffix(']')?.parse().ok()
}

/// Parses a transcript. Text before the first `$ ` line is ignored.
pub fn parse(text: &str) -> Vec<Entry> {
    #[derive(PartialEq)]
    enum State {
        Stdout,
        Stderr,
        Done,
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut lines = text.split_inclusive('\n').peekable();
    let mut state = State::Done;
    while let Some(raw) = lines.next() {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        if let Some(cmd) = line.strip_prefix("$ ") {
            let mut command = cmd.to_string();
            // Continuation lines of a multi-line command: after a
            // backslash, or shown after bash's `> ` prompt.
            loop {
                let cont = command.ends_with('\\');
                let Some(next) = lines.peek() else { break };
                let next = next.strip_suffix('\n').unwrap_or(next);
                if cont {
                    command.push('\n');
                    command.push_str(next);
                } else if let Some(rest) = next.strip_prefix("> ") {
                    command.push('\n');
                    command.push_str(rest);
                } else {
                    break;
                }
                lines.next();
            }
            entries.push(Entry {
                command,
                ..Entry::default()
            });
            state = State::Stdout;
            continue;
        }
        let Some(cur) = entries.last_mut() else {
            continue;
        };
        if state != State::Done {
            if let Some(n) = exit_marker(line) {
                cur.exit = n;
                state = State::Done;
                continue;
            }
        }
        match state {
            State::Stdout if line == "[stderr]" => state = State::Stderr,
            State::Stdout => cur.stdout.push_str(raw),
            State::Stderr => cur.stderr.push_str(raw),
            State::Done => {}
        }
    }
    entries
}
