//! GNU getopt_long as coreutils and findutils call it: short options from
//! a spec (`"k:s:v"`, `:` an argument, `::` an optional one), long options
//! that may be abbreviated to a unique prefix, `--name=value`, `--`, and
//! glibc's messages. With `stop` (a `+` spec) parsing ends at the first
//! operand, as for commands that run a command (env, timeout, xargs);
//! otherwise options and operands may mix.

/// Whether a long option takes an argument.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    No,
    Required,
    Optional,
}

/// A long option: its name, whether it takes an argument, and the short
/// option (or private code) it stands for.
pub type Long = (&'static str, Arg, char);

/// One option found: its code and its argument.
pub type Found = (char, Option<String>);

/// Parses `args`: the options in order, and the operands. Err: glibc's
/// message for the first bad option (without the program name and the
/// newline).
pub fn parse(
    args: &[String],
    short: &str,
    long: &[Long],
    stop: bool,
) -> Result<(Vec<Found>, Vec<String>), String> {
    let mut found = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            operands.extend_from_slice(&args[i..]);
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let opt = find_long(long, name)?;
            let arg = match (opt.1, value) {
                (Arg::No, Some(_)) => {
                    return Err(format!("option '--{}' doesn't allow an argument", opt.0))
                }
                (Arg::No, None) => None,
                (Arg::Optional, v) => v,
                (Arg::Required, Some(v)) => Some(v),
                (Arg::Required, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        Some(v.clone())
                    }
                    None => return Err(format!("option '--{}' requires an argument", opt.0)),
                },
            };
            found.push((opt.2, arg));
            continue;
        }
        let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) else {
            if stop {
                operands.extend_from_slice(&args[i - 1..]);
                break;
            }
            operands.push(a.clone());
            continue;
        };
        for (at, ch) in cluster.char_indices() {
            let Some(pos) = short.find(ch).filter(|_| ch != ':' && ch != '+') else {
                return Err(format!("invalid option -- '{ch}'"));
            };
            let spec = &short[pos + ch.len_utf8()..];
            let rest = &cluster[at + ch.len_utf8()..];
            if spec.starts_with("::") {
                found.push((ch, (!rest.is_empty()).then(|| rest.to_string())));
                break;
            }
            if spec.starts_with(':') {
                let arg = if !rest.is_empty() {
                    rest.to_string()
                } else if let Some(v) = args.get(i) {
                    i += 1;
                    v.clone()
                } else {
                    return Err(format!("option requires an argument -- '{ch}'"));
                };
                found.push((ch, Some(arg)));
                break;
            }
            found.push((ch, None));
        }
    }
    Ok((found, operands))
}

/// The long option `name` names: exactly, or as the one option it is a
/// prefix of.
fn find_long<'a>(long: &'a [Long], name: &str) -> Result<&'a Long, String> {
    if let Some(o) = long.iter().find(|o| o.0 == name) {
        return Ok(o);
    }
    let cands: Vec<&Long> = long
        .iter()
        .filter(|o| !name.is_empty() && o.0.starts_with(name))
        .collect();
    match cands.as_slice() {
        [one] => Ok(one),
        [] => Err(format!("unrecognized option '--{name}'")),
        many => Err(format!(
            "option '--{name}' is ambiguous; possibilities:{}",
            many.iter()
                .map(|o| format!(" '--{}'", o.0))
                .collect::<String>()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    const LONG: &[Long] = &[
        ("signal", Arg::Required, 's'),
        ("verbose", Arg::No, 'v'),
        ("version", Arg::No, 'V'),
    ];

    #[test]
    fn clusters_arguments_and_stop_at_the_first_operand() {
        let (f, ops) = parse(&v(&["-vsINT", "1", "ping", "-c", "1"]), "s:v", LONG, true).unwrap();
        assert_eq!(f, vec![('v', None), ('s', Some("INT".into()))]);
        assert_eq!(ops, v(&["1", "ping", "-c", "1"]));
    }

    #[test]
    fn long_options_abbreviate_unless_ambiguous() {
        let (f, _) = parse(&v(&["--sig=KILL", "--verb"]), "", LONG, false).unwrap();
        assert_eq!(f, vec![('s', Some("KILL".into())), ('v', None)]);
        assert_eq!(
            parse(&v(&["--ver"]), "", LONG, false).unwrap_err(),
            "option '--ver' is ambiguous; possibilities: '--verbose' '--version'"
        );
        assert_eq!(
            parse(&v(&["-x"]), "s:v", LONG, false).unwrap_err(),
            "invalid option -- 'x'"
        );
        assert_eq!(
            parse(&v(&["-s"]), "s:v", LONG, false).unwrap_err(),
            "option requires an argument -- 's'"
        );
    }
}
