//! igmp_print (tcpdump's print-igmp.c): queries, v1/v2 reports, leaves and
//! IGMPv3 reports with their group records.

use super::{be16, be32, in_cksum, v4, P};
use std::fmt::Write;

/// igmpv3report2str.
fn record_type(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "is_in",
        2 => "is_ex",
        3 => "to_in",
        4 => "to_ex",
        5 => "allow",
        6 => "block",
        _ => return None,
    })
}

/// unsigned_relts_print(): "1m40s" for 100 seconds.
fn relts(mut secs: u32) -> String {
    const UNITS: [(u32, char); 6] = [
        (31_536_000, 'y'),
        (604_800, 'w'),
        (86_400, 'd'),
        (3_600, 'h'),
        (60, 'm'),
        (1, 's'),
    ];
    if secs == 0 {
        return "0s".into();
    }
    let mut s = String::new();
    for (n, u) in UNITS {
        if secs >= n {
            let _ = write!(s, "{}{u}", secs / n);
            secs %= n;
        }
    }
    s
}

impl P<'_> {
    pub(super) fn igmp(&mut self, d: &[u8], len: usize) {
        if self.o.qflag {
            self.p("igmp");
            return;
        }
        let Some(&t) = d.first() else {
            self.p(" [|igmp]");
            return;
        };
        let group = |s: &mut Self, what: &str| -> bool {
            if d.len() < 8 {
                s.p(" [|igmp]");
                return false;
            }
            let _ = write!(s.s, "{what} {}", v4(d, 4));
            true
        };
        match t {
            0x11 => {
                self.p("igmp query");
                if len >= 12 {
                    self.igmpv3_query(d, len);
                } else {
                    match d.get(1) {
                        Some(0) => self.p(" v1"),
                        Some(&m) => {
                            self.p(" v2");
                            if m != 100 {
                                let _ = write!(self.s, " [max resp time {m}]");
                            }
                        }
                        None => return self.p(" [|igmp]"),
                    }
                    match be32(d, 4) {
                        Some(0) => {}
                        Some(_) => {
                            let _ = write!(self.s, " [gaddr {}]", v4(d, 4));
                        }
                        None => return self.p(" [|igmp]"),
                    }
                    if len != 8 {
                        let _ = write!(self.s, " [len {len}]");
                    }
                }
            }
            0x12 => {
                if !group(self, "igmp v1 report") {
                    return;
                }
                if len != 8 {
                    let _ = write!(self.s, " [len {len}]");
                }
            }
            0x16 => {
                if !group(self, "igmp v2 report") {
                    return;
                }
            }
            0x17 => {
                if !group(self, "igmp leave") {
                    return;
                }
            }
            0x22 => {
                self.p("igmp v3 report");
                self.igmpv3_report(d, len);
            }
            _ => {
                let _ = write!(self.s, "igmp-{t}");
            }
        }
        if self.o.vflag > 0 && d.len() >= len && in_cksum(&[&d[..len]]) != 0 {
            let _ = write!(self.s, " bad igmp cksum {:x}!", be16(d, 2).unwrap_or(0));
        }
    }

    /// print_igmpv3_report.
    fn igmpv3_report(&mut self, d: &[u8], len: usize) {
        if len < 16 || len & 3 != 0 {
            let _ = write!(self.s, " [invalid len {len}]");
            return;
        }
        let Some(ngroups) = be16(d, 6) else {
            return self.p(" [|igmp]");
        };
        let _ = write!(self.s, ", {ngroups} group record(s)");
        if self.o.vflag == 0 {
            return;
        }
        let mut g = 8;
        for _ in 0..ngroups {
            if len < g + 8 {
                return self.p(" [invalid number of groups]");
            }
            if d.len() < g + 8 {
                return self.p(" [|igmp]");
            }
            let _ = write!(self.s, " [gaddr {}", v4(d, g + 4));
            match record_type(d[g]) {
                Some(n) => {
                    let _ = write!(self.s, " {n}");
                }
                None => {
                    let _ = write!(self.s, "  [v3-report-#{}]", d[g]);
                }
            }
            let nsrcs = usize::from(be16(d, g + 2).unwrap_or(0));
            if len < g + 8 + (nsrcs << 2) {
                let _ = write!(self.s, " [invalid number of sources {nsrcs}]");
                return;
            }
            if self.o.vflag == 1 {
                let _ = write!(self.s, ", {nsrcs} source(s)");
            } else {
                self.p(" {");
                for j in 0..nsrcs {
                    if d.len() < g + 12 + 4 * j {
                        return self.p(" [|igmp]");
                    }
                    let _ = write!(self.s, " {}", v4(d, g + 8 + 4 * j));
                }
                self.p(" }");
            }
            g += 8 + (nsrcs << 2);
            self.p("]");
        }
    }

    /// print_igmpv3_query.
    fn igmpv3_query(&mut self, d: &[u8], len: usize) {
        self.p(" v3");
        if len < 12 || len & 3 != 0 {
            let _ = write!(self.s, " [invalid len {len}]");
            return;
        }
        let Some(&mrc) = d.get(1) else {
            return self.p(" [|igmp]");
        };
        let mrt: u32 = if mrc < 128 {
            u32::from(mrc)
        } else {
            (u32::from(mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3)
        };
        if mrc != 100 {
            self.p(" [max resp time ");
            if mrt < 600 {
                let _ = write!(self.s, "{:.1}s", f64::from(mrt) * 0.1);
            } else {
                let r = relts(mrt / 10);
                self.p(&r);
            }
            self.p("]");
        }
        match be32(d, 4) {
            Some(0) => return,
            Some(_) => {}
            None => return self.p(" [|igmp]"),
        }
        let _ = write!(self.s, " [gaddr {}", v4(d, 4));
        let nsrcs = usize::from(be16(d, 10).unwrap_or(0));
        if nsrcs > 0 {
            if len < 12 + (nsrcs << 2) {
                self.p(" [invalid number of sources]");
            } else if self.o.vflag > 1 {
                self.p(" {");
                for i in 0..nsrcs {
                    if d.len() < 16 + 4 * i {
                        return self.p(" [|igmp]");
                    }
                    let _ = write!(self.s, " {}", v4(d, 12 + 4 * i));
                }
                self.p(" }");
            } else {
                let _ = write!(self.s, ", {nsrcs} source(s)");
            }
        }
        self.p("]");
    }
}

#[cfg(test)]
mod tests {
    use super::relts;

    #[test]
    fn relative_times_as_tcpdump_writes_them() {
        assert_eq!(relts(0), "0s");
        assert_eq!(relts(100), "1m40s");
        assert_eq!(relts(3_661), "1h1m1s");
    }
}
