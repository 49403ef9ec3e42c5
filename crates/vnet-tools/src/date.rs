//! `date` (coreutils 9.1) on the simulated clock: virtual time 0 is
//! [`crate::tcpdump::EPOCH_SECS`] (2026-01-01 00:00:00 UTC), the epoch
//! tcpdump's timestamps and iptables-save's dates count from too. The
//! machine's time zone is UTC. Setting the clock is not simulated.

use crate::getopt::{self, Arg, Long};
use crate::Cmd;

/// A moment: seconds since 1970 and nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    pub secs: i64,
    pub nanos: u32,
}

/// The broken-down time of a moment (UTC).
struct Tm {
    year: i64,
    mon: u32,
    mday: u32,
    hour: u32,
    min: u32,
    sec: u32,
    /// 0 = Sunday.
    wday: u32,
    /// 0-based.
    yday: u32,
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn tm(secs: i64) -> Tm {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400) as u32;
    let (year, mon, mday) = civil_from_days(days);
    Tm {
        year,
        mon,
        mday,
        hour: rem / 3600,
        min: rem / 60 % 60,
        sec: rem % 60,
        wday: (days + 4).rem_euclid(7) as u32,
        yday: (days - days_from_civil(year, 1, 1)) as u32,
    }
}

/// ISO 8601 week-based year and week (%G, %V).
fn iso_week(t: &Tm) -> (i64, u32) {
    let wday = (t.wday + 6) % 7; // Monday = 0
    let yday = i64::from(t.yday);
    let week = (yday - i64::from(wday) + 10) / 7;
    let weeks_in = |y: i64| {
        let jan1 = (days_from_civil(y, 1, 1) + 4).rem_euclid(7); // 0 = Sunday
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if jan1 == 4 || (leap && jan1 == 3) {
            53
        } else {
            52
        }
    };
    if week < 1 {
        (t.year - 1, weeks_in(t.year - 1))
    } else if week > i64::from(weeks_in(t.year)) {
        (t.year + 1, 1)
    } else {
        (t.year, week as u32)
    }
}

/// strftime(3) with GNU's flags (`-_0^#`), widths and `%N`, in UTC and
/// the C locale.
pub fn strftime(fmt: &str, m: Moment) -> String {
    let t = tm(m.secs);
    let mut out = String::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let (mut flag, mut upper, mut swap) = (None, false, false);
        while let Some(&f) = chars.get(i).filter(|c| "-_0^#".contains(**c)) {
            match f {
                '^' => upper = true,
                '#' => swap = true,
                f => flag = Some(f),
            }
            i += 1;
        }
        let mut width = None;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            width = Some(
                width
                    .unwrap_or(0usize)
                    .saturating_mul(10)
                    .saturating_add(d as usize)
                    .min(1024),
            );
            i += 1;
        }
        let mut colons = 0;
        while chars.get(i) == Some(&':') && colons < 3 {
            colons += 1;
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.extend(&chars[start..]);
            break;
        };
        i += 1;
        if colons > 0 && conv != 'z' {
            out.extend(&chars[start..i]);
            continue;
        }
        // (text, natural width, numeric padding: '0', ' ', or none for text)
        let num = |v: i64, w: usize| (format!("{v}"), w, Some('0'));
        let spc = |v: i64, w: usize| (format!("{v}"), w, Some(' '));
        let txt = |s: &str| (s.to_string(), 0, None);
        let hour12 = |h: u32| if h.is_multiple_of(12) { 12 } else { h % 12 };
        let (text, natural, pad) = match conv {
            'a' => txt(&DAYS[t.wday as usize][..3]),
            'A' => txt(DAYS[t.wday as usize]),
            'b' | 'h' => txt(&MONTHS[t.mon as usize - 1][..3]),
            'B' => txt(MONTHS[t.mon as usize - 1]),
            'c' => txt(&strftime("%a %b %e %H:%M:%S %Y", m)),
            'C' => num(t.year.div_euclid(100), 2),
            'd' => num(i64::from(t.mday), 2),
            'D' | 'x' => txt(&strftime("%m/%d/%y", m)),
            'e' => spc(i64::from(t.mday), 2),
            'F' => txt(&strftime("%Y-%m-%d", m)),
            'g' => num(iso_week(&t).0.rem_euclid(100), 2),
            'G' => num(iso_week(&t).0, 4),
            'H' => num(i64::from(t.hour), 2),
            'I' => num(i64::from(hour12(t.hour)), 2),
            'j' => num(i64::from(t.yday) + 1, 3),
            'k' => spc(i64::from(t.hour), 2),
            'l' => spc(i64::from(hour12(t.hour)), 2),
            'm' => num(i64::from(t.mon), 2),
            'M' => num(i64::from(t.min), 2),
            'n' => txt("\n"),
            'N' => {
                let digits = format!("{:09}", m.nanos);
                let w = width.take().unwrap_or(9);
                let mut s: String = digits.chars().take(w).collect();
                while s.len() < w {
                    s.push('0');
                }
                txt(&s)
            }
            'p' => txt(if t.hour < 12 { "AM" } else { "PM" }),
            'P' => txt(if t.hour < 12 { "am" } else { "pm" }),
            'q' => num(i64::from((t.mon - 1) / 3 + 1), 1),
            'r' => txt(&strftime("%I:%M:%S %p", m)),
            'R' => txt(&strftime("%H:%M", m)),
            's' => num(m.secs, 1),
            'S' => num(i64::from(t.sec), 2),
            't' => txt("\t"),
            'T' | 'X' => txt(&strftime("%H:%M:%S", m)),
            'u' => num(i64::from((t.wday + 6) % 7 + 1), 1),
            'U' => num(i64::from((t.yday + 7 - t.wday) / 7), 2),
            'V' => num(i64::from(iso_week(&t).1), 2),
            'w' => num(i64::from(t.wday), 1),
            'W' => num(i64::from((t.yday + 7 - (t.wday + 6) % 7) / 7), 2),
            'y' => num(t.year.rem_euclid(100), 2),
            'Y' => num(t.year, 4),
            'z' => txt(match colons {
                0 => "+0000",
                1 => "+00:00",
                2 => "+00:00:00",
                _ => "+00",
            }),
            'Z' => txt("UTC"),
            '%' => txt("%"),
            _ => {
                out.extend(&chars[start..i]);
                continue;
            }
        };
        let mut text = text;
        if upper {
            text = text.to_uppercase();
        } else if swap {
            // `#`: names in upper case, %p and %Z in lower case.
            text = match conv {
                'p' | 'Z' => text.to_lowercase(),
                _ => text.to_uppercase(),
            };
        }
        let (digits, neg) = match text.strip_prefix('-').filter(|_| pad.is_some()) {
            Some(d) => (d.to_string(), true),
            None => (text, false),
        };
        let pad_char = match (flag, pad) {
            (Some('-'), _) => None,
            (Some('_'), _) => Some(' '),
            (Some('0'), _) => Some('0'),
            (_, Some(p)) => Some(p),
            (_, None) => Some(' '),
        };
        let goal = width.unwrap_or(if pad.is_some() { natural } else { 0 });
        let len = digits.chars().count() + usize::from(neg);
        let fill = match pad_char {
            Some(p) if goal > len => p.to_string().repeat(goal - len),
            _ => String::new(),
        };
        if neg {
            if pad_char == Some('0') {
                out.push('-');
                out.push_str(&fill);
            } else {
                out.push_str(&fill);
                out.push('-');
            }
        } else {
            out.push_str(&fill);
        }
        out.push_str(&digits);
    }
    out
}

/// The simulated clock now.
pub fn now(c: &Cmd) -> Moment {
    let ns = c.m.world.now().0;
    Moment {
        secs: crate::tcpdump::EPOCH_SECS as i64 + (ns / 1_000_000_000) as i64,
        nanos: (ns % 1_000_000_000) as u32,
    }
}

/// The `-d` strings vnet understands: `@SECONDS[.FRACTION]`, `now`,
/// `today`, `yesterday`, `tomorrow`, `YYYY-MM-DD[( |T)HH:MM[:SS]][Z|UTC]`,
/// and relative items (`1 hour ago`, `+2 days`, `3 min`). An empty string
/// is today's midnight.
pub fn parse_date(s: &str, now: Moment) -> Option<Moment> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('@') {
        let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let secs: i64 = int.trim().parse().ok()?;
        if !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut f = frac.to_string();
        f.truncate(9);
        while f.len() < 9 {
            f.push('0');
        }
        let nanos: u32 = f.parse().ok()?;
        return Some(Moment { secs, nanos });
    }
    let midnight = now.secs - now.secs.rem_euclid(86400);
    let lower = s.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut base = now;
    let mut rest = words.as_slice();
    match rest.first().copied() {
        None => {
            return Some(Moment {
                secs: midnight,
                nanos: 0,
            })
        }
        Some("now") => rest = &rest[1..],
        Some("today") => rest = &rest[1..],
        Some("yesterday") => {
            base.secs -= 86400;
            rest = &rest[1..];
        }
        Some("tomorrow") => {
            base.secs += 86400;
            rest = &rest[1..];
        }
        Some(w) if w.as_bytes().first().is_some_and(u8::is_ascii_digit) && w.contains('-') => {
            let (date, time) = match w.split_once('t') {
                Some((d, t)) => (d, Some(t)),
                None => match rest.get(1) {
                    Some(t) if t.contains(':') => {
                        rest = &rest[1..];
                        (w, Some(*t))
                    }
                    _ => (w, None),
                },
            };
            rest = &rest[1..];
            let mut p = date.split('-');
            let y: i64 = p.next()?.parse().ok()?;
            let mo: u32 = p.next()?.parse().ok()?;
            let d: u32 = p.next()?.parse().ok()?;
            if p.next().is_some() || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
                return None;
            }
            let mut secs = days_from_civil(y, mo, d) * 86400;
            if let Some(t) = time {
                let t = t.trim_end_matches('z');
                let mut p = t.split(':');
                let h: i64 = p.next()?.parse().ok()?;
                let mi: i64 = p.next()?.parse().ok()?;
                let se: i64 = match p.next() {
                    Some(x) => x.parse().ok()?,
                    None => 0,
                };
                if p.next().is_some() || h > 23 || mi > 59 || se > 60 {
                    return None;
                }
                secs += h * 3600 + mi * 60 + se;
            }
            if rest.first().is_some_and(|w| *w == "utc" || *w == "z") {
                rest = &rest[1..];
            }
            base = Moment { secs, nanos: 0 };
        }
        _ => {}
    }
    // Relative items: [+-]N UNIT [ago], or UNIT alone (one of it).
    while let Some(w) = rest.first() {
        let (n, unit_at): (i64, usize) = match w.parse::<i64>() {
            Ok(n) => (n, 1),
            Err(_) => (1, 0),
        };
        let unit = rest.get(unit_at)?;
        let mult = match unit.trim_end_matches('s') {
            "sec" | "second" => 1,
            "min" | "minute" => 60,
            "hour" => 3600,
            "day" => 86400,
            "week" => 7 * 86400,
            "fortnight" => 14 * 86400,
            _ => return None,
        };
        rest = &rest[unit_at + 1..];
        let sign = if rest.first() == Some(&"ago") {
            rest = &rest[1..];
            -1
        } else {
            1
        };
        base.secs = base.secs.checked_add(sign * n.checked_mul(mult)?)?;
    }
    // Keep years strftime can print.
    (base.secs.abs() < 1 << 40).then_some(base)
}

const LONG: &[Long] = &[
    ("date", Arg::Req, 'd'),
    ("debug", Arg::No, 'D'),
    ("file", Arg::Req, 'f'),
    ("iso-8601", Arg::Opt, 'I'),
    ("reference", Arg::Req, 'r'),
    ("resolution", Arg::No, 'E'),
    ("rfc-email", Arg::No, 'R'),
    ("rfc-822", Arg::No, 'R'),
    ("rfc-2822", Arg::No, 'R'),
    ("rfc-3339", Arg::Req, '3'),
    ("set", Arg::Req, 's'),
    ("uct", Arg::No, 'u'),
    ("utc", Arg::No, 'u'),
    ("universal", Arg::No, 'u'),
    ("help", Arg::No, 'h'),
    ("version", Arg::No, 'V'),
];

fn usage(c: &mut Cmd, msg: &str) -> i32 {
    c.eprint(&format!(
        "date: {msg}\nTry 'date --help' for more information.\n"
    ));
    1
}

/// The argument of `-I` or `--rfc-3339` among its choices (a unique
/// prefix will do, as argmatch allows).
fn choose<'a>(arg: &str, choices: &[&'a str]) -> Option<&'a str> {
    if let Some(c) = choices.iter().find(|c| **c == arg) {
        return Some(c);
    }
    let m: Vec<&&str> = choices.iter().filter(|c| c.starts_with(arg)).collect();
    match m.as_slice() {
        [one] if !arg.is_empty() => Some(one),
        _ => None,
    }
}

fn bad_choice(c: &mut Cmd, arg: &str, opt: &str, choices: &[&str]) -> i32 {
    let ambiguous = !arg.is_empty() && choices.iter().filter(|c| c.starts_with(arg)).count() > 1;
    let what = if ambiguous { "ambiguous" } else { "invalid" };
    let list: String = choices.iter().map(|c| format!("  - '{c}'\n")).collect();
    c.eprint(&format!(
        "date: {what} argument '{arg}' for '--{opt}'\nValid arguments are:\n{list}Try 'date --help' for more information.\n"
    ));
    1
}

pub fn date(c: &mut Cmd, args: &[String]) -> i32 {
    let (opts, operands) = match getopt::parse(args, "d:f:I::r:Rs:u", LONG, false) {
        Ok(r) => r,
        Err(e) => return usage(c, &e),
    };
    let mut when = None;
    let mut format: Option<String> = None;
    let mut formats = 0;
    for (o, arg) in opts {
        let arg = arg.unwrap_or_default();
        match o {
            'd' => when = Some(arg),
            'u' | 'D' => {}
            'R' => {
                format = Some("%a, %d %b %Y %H:%M:%S %z".into());
                formats += 1;
            }
            'I' => {
                const ISO: &[&str] = &["hours", "minutes", "date", "seconds", "ns"];
                let pick = if arg.is_empty() {
                    "date"
                } else {
                    match choose(&arg, ISO) {
                        Some(p) => p,
                        None => return bad_choice(c, &arg, "iso-8601", ISO),
                    }
                };
                format = Some(
                    match pick {
                        "hours" => "%Y-%m-%dT%H%:z",
                        "minutes" => "%Y-%m-%dT%H:%M%:z",
                        "seconds" => "%Y-%m-%dT%H:%M:%S%:z",
                        "ns" => "%Y-%m-%dT%H:%M:%S,%N%:z",
                        _ => "%Y-%m-%d",
                    }
                    .into(),
                );
                formats += 1;
            }
            '3' => {
                const RFC: &[&str] = &["date", "seconds", "ns"];
                let Some(pick) = choose(&arg, RFC) else {
                    return bad_choice(c, &arg, "rfc-3339", RFC);
                };
                format = Some(
                    match pick {
                        "seconds" => "%Y-%m-%d %H:%M:%S%:z",
                        "ns" => "%Y-%m-%d %H:%M:%S.%N%:z",
                        _ => "%Y-%m-%d",
                    }
                    .into(),
                );
                formats += 1;
            }
            'h' => {
                c.print(include_str!("help/date.txt"));
                return 0;
            }
            'V' => {
                c.print(&crate::sysinfo::version("date", "David MacKenzie"));
                return 0;
            }
            's' => {
                c.eprint(&crate::unsimulated::message("setting the clock (date -s)"));
                return crate::unsimulated::STATUS;
            }
            'E' => {
                c.print("0.000000001\n");
                return 0;
            }
            _ => {
                c.eprint(&crate::unsimulated::message(&format!("date -{o}")));
                return crate::unsimulated::STATUS;
            }
        }
    }
    if let Some(extra) = operands.get(1) {
        return usage(c, &format!("extra operand '{extra}'"));
    }
    if let Some(op) = operands.first() {
        match op.strip_prefix('+') {
            Some(f) => {
                if formats > 0 {
                    c.eprint("date: multiple output formats specified\n");
                    return 1;
                }
                format = Some(f.to_string());
            }
            None if when.is_none() && op.bytes().all(|b| b.is_ascii_digit()) && op.len() >= 8 => {
                c.eprint(&crate::unsimulated::message(
                    "setting the clock (date MMDDhhmm)",
                ));
                return crate::unsimulated::STATUS;
            }
            None => {
                c.eprint(&format!("date: invalid date '{op}'\n"));
                return 1;
            }
        }
    } else if formats > 1 {
        c.eprint("date: multiple output formats specified\n");
        return 1;
    }
    let now = now(c);
    let at = match &when {
        Some(d) => match parse_date(d, now) {
            // struct tm's year is an int counted from 1900.
            Some(m) if !(-2_147_481_748..=2_147_485_547).contains(&tm(m.secs).year) => {
                let what = d.trim().trim_start_matches('@');
                c.eprint(&format!("date: time '{what}' is out of range\n"));
                return 1;
            }
            Some(m) => m,
            None => {
                c.eprint(&format!("date: invalid date '{d}'\n"));
                return 1;
            }
        },
        None => now,
    };
    let fmt = format.unwrap_or_else(|| "%a %b %e %H:%M:%S %Z %Y".into());
    c.print(&format!("{}\n", strftime(&fmt, at)));
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Moment {
        Moment { secs, nanos: 0 }
    }

    #[test]
    fn formats_as_coreutils_in_the_c_locale() {
        // Outputs of the real date -d @0 / @1767225600 (TZ=UTC, LC_ALL=C).
        assert_eq!(
            strftime("%a %b %e %H:%M:%S %Z %Y", at(1_767_225_600)),
            "Thu Jan  1 00:00:00 UTC 2026"
        );
        assert_eq!(
            strftime(
                "%Q|%|%5a|%-5d|%_5d|%05e|%^B|%#Z|%#p|%10N|%-j|%:|%:::z|%k|%-k|%l|%G|%g|%V|%U|%W",
                at(0)
            ),
            "%Q|%|  Thu|1|    1|00001|JANUARY|utc|am|0000000000|1|%:|+00| 0|0|12|1970|70|01|00|00"
        );
        assert_eq!(
            strftime("%c %C %D %F %j %r %R %T %u %w %x %X %y %z %:z %::z %s", at(1_767_225_600)),
            "Thu Jan  1 00:00:00 2026 20 01/01/26 2026-01-01 001 12:00:00 AM 00:00 00:00:00 4 4 01/01/26 00:00:00 26 +0000 +00:00 +00:00:00 1767225600"
        );
        assert_eq!(
            strftime("%a %b %e %T %Y", at(-86401)),
            "Tue Dec 30 23:59:59 1969"
        );
    }

    #[test]
    fn parses_the_common_date_strings() {
        let now = Moment {
            secs: 1_767_225_600 + 3600,
            nanos: 5,
        };
        assert_eq!(
            parse_date("@1.5", now),
            Some(Moment {
                secs: 1,
                nanos: 500_000_000
            })
        );
        assert_eq!(parse_date("now", now), Some(now));
        assert_eq!(parse_date("", now), Some(at(1_767_225_600)));
        assert_eq!(
            parse_date("1 hour ago", now).map(|m| m.secs),
            Some(1_767_225_600)
        );
        assert_eq!(
            parse_date("2026-03-04 05:06:07", now),
            Some(at(days_from_civil(2026, 3, 4) * 86400
                + 5 * 3600
                + 6 * 60
                + 7))
        );
        assert_eq!(parse_date("foo", now), None);
        assert_eq!(parse_date("@x", now), None);
    }
}
