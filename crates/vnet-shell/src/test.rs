//! `test` / `[` as bash evaluates them (its `test.c`: the POSIX rules by
//! argument count, then a recursive parser for `-a`, `-o`, `!` and
//! parentheses) and the file and string operators that `[[ … ]]` shares.
//! Errors are returned as bash's text (`a: integer expression expected`);
//! the caller prefixes `[: ` or `test: ` and returns 2.

use vnet_fs::Kind;

use crate::{Shell, System};

/// How deep `!` and `(` may nest in one `test` (each level is a few
/// stack frames).
const MAX_TEST_DEPTH: usize = 200;

type TestResult = Result<bool, String>;

impl Shell {
    /// `test ARGS…` (for `[`, the caller has removed the closing `]`).
    /// `bracket`: called as `[` (messages then see the `]`).
    pub(crate) fn test_args(
        &mut self,
        args: &[String],
        bracket: bool,
        sys: &mut dyn System,
    ) -> TestResult {
        let mut t = Test {
            args,
            pos: 0,
            depth: 0,
            bracket,
        };
        let value = match args.len() {
            0 => false,
            1 => !args[0].is_empty(),
            2 => t.two(self, sys)?,
            3 => t.three(self, sys)?,
            4 if args[0] == "!" => {
                t.pos = 1;
                !t.three(self, sys)?
            }
            4 if args[0] == "(" && args[3] == ")" => {
                t.pos = 1;
                t.two(self, sys)?
            }
            _ => {
                let v = t.or(self, sys)?;
                if t.pos < args.len() {
                    return Err("too many arguments".into());
                }
                v
            }
        };
        Ok(value)
    }

    /// A unary operator of `test` and `[[`: files, strings, variables.
    pub(crate) fn unary_test(&mut self, op: &str, arg: &str, sys: &mut dyn System) -> bool {
        let meta = |sys: &mut dyn System| sys.metadata(arg).ok();
        match op {
            "-n" => !arg.is_empty(),
            "-z" => arg.is_empty(),
            "-e" | "-a" => meta(sys).is_some(),
            "-f" => meta(sys).is_some_and(|m| m.kind == Kind::File),
            "-d" => meta(sys).is_some_and(|m| m.kind == Kind::Dir),
            "-c" => meta(sys).is_some_and(|m| m.kind == Kind::CharDev),
            "-h" | "-L" => meta(sys).is_some_and(|m| m.kind == Kind::Symlink),
            "-s" => meta(sys).is_some_and(|m| m.len > 0),
            // The simulated user is root: it may read and write anything,
            // and execute what has an execute bit (or is a directory).
            "-r" | "-w" | "-O" | "-G" | "-N" => meta(sys).is_some(),
            "-x" => meta(sys).is_some_and(|m| m.kind == Kind::Dir || m.mode & 0o111 != 0),
            "-u" => meta(sys).is_some_and(|m| m.mode & 0o4000 != 0),
            "-g" => meta(sys).is_some_and(|m| m.mode & 0o2000 != 0),
            "-k" => meta(sys).is_some_and(|m| m.mode & 0o1000 != 0),
            "-v" => self.is_set(arg),
            "-o" => self.option_on(arg),
            // No block devices, pipes, sockets or terminals.
            _ => false,
        }
    }
}

/// `test`'s integer: blanks around, an optional sign, decimal digits.
pub(crate) fn test_int(s: &str) -> Result<i64, String> {
    let t = s.trim_matches([' ', '\t', '\n']);
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{s}: integer expression expected"));
    }
    t.parse::<i64>()
        .map_err(|_| format!("{s}: integer expression expected"))
}

/// The binary operators `test` knows.
fn is_binop(s: &str) -> bool {
    matches!(
        s,
        "=" | "=="
            | "!="
            | "<"
            | ">"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
    )
}

fn is_unop(s: &str) -> bool {
    s.len() == 2 && s.starts_with('-') && "abcdefghknoprstuvwxzGLNOS".contains(&s[1..])
}

/// Compares two strings or integers by a binary operator.
pub(crate) fn binary_test(a: &str, op: &str, b: &str) -> TestResult {
    let int = || -> Result<(i64, i64), String> { Ok((test_int(a)?, test_int(b)?)) };
    Ok(match op {
        "=" | "==" => a == b,
        "!=" => a != b,
        "<" => a < b,
        ">" => a > b,
        "-eq" => int().map(|(x, y)| x == y)?,
        "-ne" => int().map(|(x, y)| x != y)?,
        "-lt" => int().map(|(x, y)| x < y)?,
        "-le" => int().map(|(x, y)| x <= y)?,
        "-gt" => int().map(|(x, y)| x > y)?,
        "-ge" => int().map(|(x, y)| x >= y)?,
        // No modification times or inode numbers in the file view.
        _ => false,
    })
}

struct Test<'a> {
    args: &'a [String],
    pos: usize,
    depth: usize,
    bracket: bool,
}

impl Test<'_> {
    fn arg(&self, i: usize) -> &str {
        self.args.get(self.pos + i).map_or("", String::as_str)
    }

    fn two(&mut self, sh: &mut Shell, sys: &mut dyn System) -> TestResult {
        let (a, b) = (self.arg(0).to_string(), self.arg(1).to_string());
        self.pos += 2;
        if a == "!" {
            return Ok(b.is_empty());
        }
        if is_unop(&a) {
            return Ok(sh.unary_test(&a, &b, sys));
        }
        Err(format!("{a}: unary operator expected"))
    }

    fn three(&mut self, sh: &mut Shell, sys: &mut dyn System) -> TestResult {
        let (a, op, b) = (
            self.arg(0).to_string(),
            self.arg(1).to_string(),
            self.arg(2).to_string(),
        );
        if is_binop(&op) {
            self.pos += 3;
            return binary_test(&a, &op, &b);
        }
        if op == "-a" || op == "-o" {
            self.pos += 3;
            return Ok(match op.as_str() {
                "-a" => !a.is_empty() && !b.is_empty(),
                _ => !a.is_empty() || !b.is_empty(),
            });
        }
        if a == "!" {
            self.pos += 1;
            return Ok(!self.two(sh, sys)?);
        }
        if a == "(" && b == ")" {
            self.pos += 3;
            return Ok(!op.is_empty());
        }
        Err(format!("{op}: binary operator expected"))
    }

    fn or(&mut self, sh: &mut Shell, sys: &mut dyn System) -> TestResult {
        let lhs = self.and(sh, sys)?;
        if self.arg(0) == "-o" && self.pos < self.args.len() {
            self.pos += 1;
            let rhs = self.or(sh, sys)?;
            return Ok(lhs || rhs);
        }
        Ok(lhs)
    }

    fn and(&mut self, sh: &mut Shell, sys: &mut dyn System) -> TestResult {
        let lhs = self.term(sh, sys)?;
        if self.arg(0) == "-a" && self.pos < self.args.len() {
            self.pos += 1;
            let rhs = self.and(sh, sys)?;
            return Ok(lhs && rhs);
        }
        Ok(lhs)
    }

    fn term(&mut self, sh: &mut Shell, sys: &mut dyn System) -> TestResult {
        if self.pos >= self.args.len() {
            let last = self.args.last().map_or("", String::as_str);
            return Err(format!("{last}: argument expected"));
        }
        if self.depth > MAX_TEST_DEPTH || crate::stack::exhausted() {
            return Err("expression nested too deeply".into());
        }
        let a = self.arg(0).to_string();
        if a == "!" {
            self.pos += 1;
            self.depth += 1;
            let v = self.term(sh, sys);
            self.depth -= 1;
            return Ok(!v?);
        }
        if a == "(" {
            self.pos += 1;
            self.depth += 1;
            let v = self.or(sh, sys);
            self.depth -= 1;
            let v = v?;
            if self.arg(0) != ")" || self.pos >= self.args.len() {
                return Err(match (self.args.get(self.pos), self.bracket) {
                    (Some(found), _) => format!("`)' expected, found {found}"),
                    (None, true) => "`)' expected, found ]".into(),
                    (None, false) => "`)' expected".into(),
                });
            }
            self.pos += 1;
            return Ok(v);
        }
        if self.pos + 3 <= self.args.len() && is_binop(self.arg(1)) {
            let (op, b) = (self.arg(1).to_string(), self.arg(2).to_string());
            self.pos += 3;
            return binary_test(&a, &op, &b);
        }
        if is_unop(&a) {
            if self.pos + 1 >= self.args.len() {
                return Err(format!("{a}: argument expected"));
            }
            let b = self.arg(1).to_string();
            self.pos += 2;
            return Ok(sh.unary_test(&a, &b, sys));
        }
        self.pos += 1;
        Ok(!a.is_empty())
    }
}
