//! arp (net-tools 2.10): the neighbour table as /proc/net/arp shows it.
//! Only listing (`arp`, `-n`, `-a`, `-e`, `-i IF`); changes go through `ip neigh`.

use crate::Cmd;
use vnet_core::neigh::NudState;

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let mut bsd = false;
    let mut iface: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-n" | "--numeric" | "-e" | "-v" => {}
            "-a" | "--all" => bsd = true,
            "-an" | "-na" => bsd = true,
            "-i" | "--device" => {
                i += 1;
                iface = args.get(i).cloned();
            }
            a if a.starts_with('-') => {
                c.eprint(&format!(
                    "arp: invalid option -- '{}'\n",
                    a.trim_start_matches('-')
                ));
                return 255;
            }
            _ => {}
        }
        i += 1;
    }
    let n = c.m.world.ns(c.ns);
    // /proc/net/arp walks the hash table; entries come out oldest first here.
    let mut entries: Vec<_> = n.neigh.iter().collect();
    entries.reverse();
    let rows: Vec<(String, Option<String>, bool, String)> = entries
        .into_iter()
        .filter(|(_, _, e)| e.state != NudState::Noarp)
        .filter(|(ifx, _, _)| {
            iface
                .as_ref()
                .is_none_or(|f| n.dev(*ifx).is_some_and(|d| &d.name == f))
        })
        .map(|(ifx, ip, e)| {
            let mac = e.lladdr.filter(|_| e.state.valid()).map(|m| m.to_string());
            let dev = n.dev(ifx).map(|d| d.name.clone()).unwrap_or_default();
            (ip.to_string(), mac, e.state == NudState::Permanent, dev)
        })
        .collect();
    let mut out = String::new();
    if bsd {
        for (ip, mac, perm, dev) in rows {
            match mac {
                Some(m) => out.push_str(&format!(
                    "? ({ip}) at {m} [ether] {}on {dev}\n",
                    if perm { "PERM " } else { "" }
                )),
                None => out.push_str(&format!("? ({ip}) at <incomplete> on {dev}\n")),
            }
        }
    } else if !rows.is_empty() {
        out.push_str(
            "Address                  HWtype  HWaddress           Flags Mask            Iface\n",
        );
        for (ip, mac, perm, dev) in rows {
            match mac {
                Some(m) => out.push_str(&format!(
                    "{ip:<25}{:<8}{m:<20}{:<6}{:<16}{dev}\n",
                    "ether",
                    if perm { "CM" } else { "C" },
                    ""
                )),
                None => out.push_str(&format!(
                    "{ip:<25}{:<8}{:<20}{:<6}{:<16}{dev}\n",
                    "", "(incomplete)", "", ""
                )),
            }
        }
    }
    c.print(&out);
    0
}
