//! JSON output as iproute2's json_writer prints it: compact by default, and
//! with `-p` its own pretty style (4-space indent per level, arrays inline as
//! `[ a,b ]`, objects in arrays joined as `},{`).

use serde_json::Value;

/// Marks a string that [`raw`] made: its text is a number printed as is.
const RAW: char = '\u{F8FF}';

/// A number as json_writer prints it with a format of its own
/// (jsonw_float_fmt's `%.2f` for timers: `0.00`), which serde_json's
/// numbers cannot carry.
pub fn raw(text: &str) -> Value {
    Value::String(format!("{RAW}{text}"))
}

struct Writer {
    out: String,
    depth: usize,
    sep: Option<char>,
    pretty: bool,
}

impl Writer {
    fn eol(&mut self) {
        if self.pretty {
            self.out.push('\n');
            self.out.push_str(&" ".repeat(self.depth * 4));
        }
    }
    fn eor(&mut self) {
        if let Some(c) = self.sep {
            self.out.push(c);
        }
        self.sep = Some(',');
    }
    fn begin(&mut self, c: char) {
        self.eor();
        self.out.push(c);
        self.depth += 1;
        self.sep = None;
    }
    fn end(&mut self, c: char) {
        self.depth -= 1;
        if self.sep.is_some() {
            self.eol();
        }
        self.out.push(c);
        self.sep = Some(',');
    }
    fn value(&mut self, v: &Value) {
        match v {
            Value::Array(a) => {
                self.begin('[');
                if self.pretty {
                    self.out.push(' ');
                }
                for x in a {
                    self.value(x);
                }
                if self.pretty && self.sep.is_some() {
                    self.out.push(' ');
                }
                self.sep = None;
                self.depth -= 1;
                self.out.push(']');
                self.sep = Some(',');
            }
            Value::Object(m) => {
                self.begin('{');
                for (k, x) in m {
                    self.eor();
                    self.eol();
                    self.sep = None;
                    self.out.push_str(&serde_json::to_string(k).unwrap());
                    self.out.push(':');
                    if self.pretty {
                        self.out.push(' ');
                    }
                    self.value(x);
                }
                self.end('}');
            }
            Value::String(t) if t.starts_with(RAW) => {
                self.eor();
                self.out.push_str(&t[RAW.len_utf8()..]);
            }
            other => {
                self.eor();
                self.out.push_str(&serde_json::to_string(other).unwrap());
            }
        }
    }
}

/// Renders `v` (without a trailing newline).
pub fn render(v: &Value, pretty: bool) -> String {
    let mut w = Writer {
        out: String::new(),
        depth: 0,
        sep: None,
        pretty,
    };
    w.value(v);
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pretty_matches_iproute2_layout() {
        let v = json!([{"ifindex": 1, "flags": ["LOOPBACK", "UP"], "addr_info": [{"family": "inet"}, {"family": "inet6"}]}]);
        let want = "[ {\n        \"ifindex\": 1,\n        \"flags\": [ \"LOOPBACK\",\"UP\" ],\n        \"addr_info\": [ {\n                \"family\": \"inet\"\n            },{\n                \"family\": \"inet6\"\n            } ]\n    } ]";
        assert_eq!(render(&v, true), want);
    }

    #[test]
    fn raw_numbers_print_as_given() {
        let v = json!({"hello_timer": raw("0.00")});
        assert_eq!(render(&v, false), "{\"hello_timer\":0.00}");
    }

    #[test]
    fn compact_has_no_spaces() {
        let v = json!([{"a": [], "b": "x"}]);
        assert_eq!(render(&v, false), "[{\"a\":[],\"b\":\"x\"}]");
    }
}
