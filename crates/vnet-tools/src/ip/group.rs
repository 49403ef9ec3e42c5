//! Device group names (iproute2's rt_names.c: `rtnl_group_a2n()`,
//! `rtnl_group_n2a()`), read from `/etc/iproute2/group` as iproute2 6.1
//! reads its CONFDIR; group 0 is "default" without the file.

use super::{Error, Res};
use crate::Cmd;

/// The `ID NAME` lines of `/etc/iproute2/group` (rtnl_hash_initialize():
/// `#` comments and blank lines skipped, ids in decimal or `0x` hex, lines
/// it cannot read ignored), after the built-in `0 default`.
fn table(c: &mut Cmd) -> Vec<(u32, String)> {
    let mut t = vec![(0, "default".to_string())];
    let Ok(text) = c.read_file("/etc/iproute2/group") else {
        return t;
    };
    for line in String::from_utf8_lossy(&text).lines() {
        let mut w = line.split_whitespace();
        let (Some(id), Some(name)) = (w.next(), w.next()) else {
            continue;
        };
        if id.starts_with('#') || name.starts_with('#') {
            continue;
        }
        let id = match id.strip_prefix("0x") {
            Some(h) => u32::from_str_radix(h, 16).ok(),
            None => id.parse::<u32>().ok(),
        };
        if let Some(id) = id {
            // A later line for the same id is found first (it heads the chain).
            t.insert(0, (id, name.to_string()));
        }
    }
    t
}

/// rtnl_group_n2a(): the name of group `id`, else its number.
pub fn name(c: &mut Cmd, id: u32) -> String {
    // Debian's file names 0 "default" too; not reading it for every
    // device in a listing keeps listings cheap.
    if id == 0 {
        return "default".into();
    }
    table(c)
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, n)| n)
        .unwrap_or_else(|| id.to_string())
}

/// rtnl_group_a2n(): a name from the table, else a number strtol() reads
/// whole (base 0) that fits a non-negative int.
pub fn number(c: &mut Cmd, arg: &str) -> Option<u32> {
    if let Some((id, _)) = table(c).into_iter().find(|(_, n)| n == arg) {
        return Some(id);
    }
    let (digits, radix) = if let Some(h) = arg.strip_prefix("0x").or(arg.strip_prefix("0X")) {
        (h, 16)
    } else if arg.len() > 1 && arg.starts_with('0') {
        (&arg[1..], 8)
    } else {
        (arg, 10)
    };
    let digits = digits.strip_prefix('+').unwrap_or(digits);
    if digits.is_empty() || !digits.chars().all(|ch| ch.is_digit(radix)) {
        return None;
    }
    i32::from_str_radix(digits, radix)
        .ok()
        .filter(|v| *v >= 0)
        .map(|v| v as u32)
}

/// `group GROUP` as iplink_parse() reads it: invarg() when unknown.
pub fn parse(c: &mut Cmd, arg: &str) -> Res<u32> {
    number(c, arg).ok_or_else(|| Error::invarg("Invalid \"group\" value\n", arg))
}
