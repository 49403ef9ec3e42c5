//! `ip [-force] -batch FILE` (ip.c's batch(), utils.c's getcmdline() and
//! makeargs()): one `ip` command per line, read from FILE or, for `-`,
//! from stdin, with the global options of the command line.

use super::{Error, Opts, Res};
use crate::{Cmd, Failure};

/// MAX_ARGS of ip.c: a line's words, the last slot kept for the NULL.
const MAX_ARGS: usize = 512;

/// getcmdline(): the logical lines (a `\` before the newline joins the
/// next line; everything from `#` on is a comment), each with the number
/// of the last physical line it took.
fn cmdlines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut lines = text.split_inclusive('\n');
    let mut no = 0;
    while let Some(first) = lines.next() {
        no += 1;
        let mut line = strip_comment(first).to_string();
        while line.contains("\\\n") {
            // The continuation and its newline give way to the next line.
            let at = line.find("\\\n").unwrap_or(0);
            line.truncate(at);
            match lines.next() {
                Some(next) => {
                    no += 1;
                    line.push_str(strip_comment(next));
                }
                None => break,
            }
        }
        out.push((no, line));
    }
    out
}

fn strip_comment(l: &str) -> &str {
    match l.find('#') {
        Some(i) => &l[..i],
        None => l,
    }
}

/// makeargs(): words split at blanks; a word that starts with a quote runs
/// to the same quote (which goes). Errors end `ip` with exit 1.
fn makeargs(line: &str) -> Res<Vec<String>> {
    const WS: &[char] = &[' ', '\t', '\r', '\n'];
    let mut words = Vec::new();
    let mut rest = line;
    loop {
        rest = rest.trim_start_matches(WS);
        if rest.is_empty() {
            break;
        }
        if words.len() >= MAX_ARGS - 1 {
            return Err(Error::Status("Too many arguments to command\n".into(), 1));
        }
        let first = rest.chars().next().unwrap_or(' ');
        if first == '\'' || first == '"' {
            let body = &rest[1..];
            let Some(end) = body.find(first) else {
                return Err(Error::Status("Unterminated quoted string\n".into(), 1));
            };
            words.push(body[..end].to_string());
            rest = &body[end + 1..];
        } else {
            let end = rest.find(WS).unwrap_or(rest.len());
            words.push(rest[..end].to_string());
            rest = &rest[end..];
            if rest.is_empty() {
                break;
            }
            // The blank that ended the word is consumed with it.
            rest = &rest[1..];
        }
    }
    Ok(words)
}

/// batch(): every line in turn; a failing one prints `Command failed
/// NAME:LINE` and, without `-force`, ends the batch; status 1 if any
/// failed. What iproute2 gives up on with exit() (usage, invalid
/// arguments: status 255) ends `ip` at once, as it does there.
pub fn run(c: &mut Cmd, o: &Opts, name: &str, force: bool) -> Res<i32> {
    let input = if name == "-" {
        c.stdin.take().unwrap_or_default()
    } else {
        match c.read_file(name) {
            Ok(d) => d,
            Err(e) => {
                return Err(Error::Failed(format!(
                    "Cannot open file \"{name}\" for reading: {}\n",
                    vnet_fs::strerror(&e)
                )))
            }
        }
    };
    let text = String::from_utf8_lossy(&input).into_owned();
    let mut status = 0;
    // ipaddress.c's do_link: set by the first `link show`, never reset, so
    // that later `address show` lines of the batch list links only.
    let mut do_link = false;
    for (no, line) in cmdlines(&text) {
        let mut argv = makeargs(&line)?;
        if argv.is_empty() {
            continue;
        }
        let m = |w: &str, of: &str| crate::args::matches(w, of);
        let listing = argv
            .get(1)
            .is_none_or(|w| m(w, "show") || m(w, "list") || w == "lst");
        if listing && m(&argv[0], "link") {
            do_link = true;
        } else if listing && do_link && m(&argv[0], "address") {
            argv[0] = "link".into();
        }
        // preferred_family comes back to the command line's for each line.
        let failed = match super::dispatch(c, o, &argv) {
            Ok(0) => false,
            Ok(_) => true,
            Err(e) if e.status() == 255 => return Err(e),
            Err(e) => {
                c.eprint(&e.to_string());
                true
            }
        };
        if failed {
            c.eprint(&format!("Command failed {name}:{no}\n"));
            status = 1;
            if !force {
                break;
            }
        }
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makeargs_splits_blanks_and_quotes() {
        let w = makeargs("  link set v1 alias \"to the lab\" up\n").unwrap();
        assert_eq!(w, ["link", "set", "v1", "alias", "to the lab", "up"]);
        let w = makeargs("a 'b c'd e").unwrap();
        // The closing quote ends the word; what follows starts the next.
        assert_eq!(w, ["a", "b c", "d", "e"]);
        assert!(makeargs("a \"b").is_err());
        assert!(makeargs(" \t\r\n").unwrap().is_empty());
    }

    #[test]
    fn cmdlines_strip_comments_and_join_continuations() {
        let l = cmdlines("# c\nlink show \\\n  lo # x\n\naddr");
        let got: Vec<(usize, &str)> = l.iter().map(|(n, s)| (*n, s.as_str())).collect();
        assert_eq!(
            got,
            [(1, ""), (3, "link show   lo "), (4, "\n"), (5, "addr")]
        );
    }
}
