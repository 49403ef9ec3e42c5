//! Running a parsed iptables command against a copy of its table, and the
//! checks the kernel makes when the table is committed (jump loops, the
//! hooks and tables each target and match may be used in).

use super::parse::{opt, Spec, TargetB};
use super::print::{self, ListFmt};
use super::{option_check, parse_args, prog, Fail, Op, Parsed, VERSION};
use crate::Cmd;
use vnet_core::netfilter::rule::{IpSpec, RejectWith, Rule};
use vnet_core::netfilter::{Chain, Counters, Family, Hook, Match, Policy, Table, TableId, Target};

/// xshared's do_parse(): DROP is refused in the nat table, as policy or target.
fn nat_drop() -> Fail {
    Fail::Param(
        "\nThe \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n".into(),
    )
}

fn bad_rule() -> Fail {
    Fail::Kernel("Bad rule (does a matching rule exist in that chain?).".into())
}

fn no_chain() -> Fail {
    Fail::Kernel("No chain/target/match by that name.".into())
}

/// `iptables`.
pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    main_in(c, args, Family::Ipv4)
}

/// `ip6tables`: the same commands on the namespace's IPv6 tables.
pub fn main6(c: &mut Cmd, args: &[String]) -> i32 {
    main_in(c, args, Family::Ipv6)
}

fn main_in(c: &mut Cmd, args: &[String], fam: Family) -> i32 {
    match run(c, args, fam) {
        Ok(()) => 0,
        Err(f) => {
            c.eprint(&f.text(prog(fam)));
            f.status()
        }
    }
}

/// The checks between parsing and running (shared with iptables-restore).
pub fn precheck(p: &Parsed) -> Result<Op, Fail> {
    let Some(&op) = p.ops.first() else {
        return Err(Fail::Param("no command specified".into()));
    };
    p.spec.final_checks()?;
    if p.table == "nat" && matches!(p.spec.target, Some(TargetB::Std(Target::Drop))) {
        return Err(nat_drop());
    }
    if matches!(
        op,
        Op::Append | Op::Delete | Op::Insert | Op::Replace | Op::Check
    ) {
        let chain = p.chain.as_deref().unwrap_or("");
        if p.options & opt::VIA_OUT != 0 && (chain == "PREROUTING" || chain == "INPUT") {
            return Err(Fail::Param(format!("Can't use -o with {chain}\n")));
        }
        if p.options & opt::VIA_IN != 0 && (chain == "POSTROUTING" || chain == "OUTPUT") {
            return Err(Fail::Param(format!("Can't use -i with {chain}\n")));
        }
    }
    option_check(p)?;
    Ok(op)
}

pub fn table_id(name: &str, fam: Family) -> Result<TableId, Fail> {
    TableId::from_name(name).ok_or_else(|| {
        Fail::Plain(
            format!(
                "table '{name}' does not exist\nPerhaps {} or your kernel needs to be upgraded.",
                prog(fam)
            ),
            3,
        )
    })
}

/// A `-j NAME` that is no target must name an existing chain.
pub fn check_jump(spec: &Spec, t: &Table) -> Result<(), Fail> {
    if let Some(TargetB::Chain(name, _)) = &spec.target {
        if t.chain(name).is_none() {
            return Err(Fail::Param(format!("Chain '{name}' does not exist")));
        }
    }
    Ok(())
}

fn run(c: &mut Cmd, args: &[String], fam: Family) -> Result<(), Fail> {
    let p = parse_args(args, fam)?;
    let prog = prog(fam);
    if p.help {
        c.print(&format!(
            "{prog} {VERSION}\n\nUsage: {prog} -[ACD] chain rule-specification [options]\n"
        ));
        return Ok(());
    }
    if p.version {
        c.print(&format!("{prog} {VERSION}\n"));
        return Ok(());
    }
    let op = precheck(&p)?;
    let tid = table_id(&p.table, fam)?;
    if op == Op::Append && p.options & opt::VERBOSE == 0 && append_in_place(c, &p, fam, tid)? {
        return Ok(());
    }
    let existing = c.m.world.ns(c.ns).nf().table_in(fam, tid).cloned();
    let mut t = existing.clone().unwrap_or_else(|| Table::new_in(fam, tid));
    check_jump(&p.spec, &t)?;
    let f = ListFmt {
        numeric: p.options & opt::NUMERIC != 0,
        verbose: p.options & opt::VERBOSE != 0,
        exact: p.options & opt::EXACT != 0,
        line_numbers: p.options & opt::LINENUMBERS != 0,
    };
    let mut out = String::new();
    let changed = execute(&mut out, &p, op, &mut t, f)?;
    t.number_rules();
    c.print(&out);
    if changed && (existing.is_none() || existing.as_ref() != Some(&t)) {
        c.m.world.nf_replace_table(c.ns, t);
    }
    Ok(())
}

/// `-A` of rules that jump nowhere and are allowed from every hook, to a
/// chain that exists: the table's check cannot change, so they are
/// appended in place, at a cost that does not grow with the table (a copy
/// of a 100,000-rule table per command made appends quadratic). False
/// when the command needs the general path (which then also reports any
/// error the same way).
fn append_in_place(c: &mut Cmd, p: &Parsed, fam: Family, tid: TableId) -> Result<bool, Fail> {
    let Some(t) = c.m.world.ns(c.ns).nf().table_in(fam, tid) else {
        return Ok(false);
    };
    check_jump(&p.spec, t)?;
    let Some(ci) = t.chain_index(p.chain.as_deref().unwrap_or_default()) else {
        return Ok(false);
    };
    let rules = expand(&p.spec);
    let every_hook = Hook::ALL.iter().fold(0u8, |m, h| m | 1 << *h as u8);
    if rules
        .iter()
        .any(|r| r.target.chain().is_some() || !rule_allowed(tid, every_hook, r))
    {
        return Ok(false);
    }
    Ok(c.m.world.nf_append_rules(c.ns, fam, tid, ci, rules))
}

/// Whether a rule may sit where it is reached from (the table and hook
/// limits of xt_check_target and xt_check_match).
fn rule_allowed(table: TableId, hooks: u8, r: &Rule) -> bool {
    use Hook::*;
    let only = |allowed: &[Hook]| {
        let mask: u8 = allowed.iter().map(|h| 1u8 << *h as u8).sum();
        hooks & !mask == 0
    };
    for m in &r.matches {
        let ok = match m {
            Match::Mac { .. } => only(&[PreRouting, LocalIn, Forward]),
            // xt_match's .proto: icmp6 only for -p ipv6-icmp.
            Match::Icmp6 { .. } => r.ip.proto == 58 && r.ip.inv & IpSpec::INV_PROTO == 0,
            Match::Tcpmss { .. } => r.ip.proto == 6 && r.ip.inv & IpSpec::INV_PROTO == 0,
            Match::Addrtype {
                limit_in,
                limit_out,
                ..
            } => {
                (!limit_in || only(&[PreRouting, LocalIn, Forward]))
                    && (!limit_out || only(&[PostRouting, LocalOut, Forward]))
            }
            _ => true,
        };
        if !ok {
            return false;
        }
    }
    match &r.target {
        Target::Reject(w) => {
            (*w != RejectWith::TcpReset || (r.ip.proto == 6 && r.ip.inv & IpSpec::INV_PROTO == 0))
                && only(&[LocalIn, Forward, LocalOut])
        }
        Target::Dnat(_) | Target::Redirect(_) => {
            table == TableId::Nat && only(&[PreRouting, LocalOut])
        }
        Target::Snat(_) => table == TableId::Nat && only(&[PostRouting, LocalIn]),
        Target::Masquerade(_) => table == TableId::Nat && only(&[PostRouting]),
        Target::Netmap { .. } => table == TableId::Nat,
        Target::Ttl { .. } | Target::Tos { .. } | Target::Dscp(_) => table == TableId::Mangle,
        // tcpmss_tg4_check(): clamping needs the route, so only where the
        // packet has one; xt_check_target(): TCP only (nft_compat skips
        // the SYN-match check).
        Target::Tcpmss { mss } => {
            r.ip.proto == 6
                && r.ip.inv & IpSpec::INV_PROTO == 0
                && (*mss != vnet_core::netfilter::rule::TCPMSS_CLAMP_PMTU
                    || only(&[Forward, LocalOut, PostRouting]))
        }
        Target::Notrack | Target::NotrackAlias | Target::CtZone(_) | Target::NotrackZone(_) => {
            table == TableId::Raw
        }
        _ => true,
    }
}

/// Checks a table as the kernel does on commit: Ok, or the errno's text.
pub fn validate(t: &Table) -> Result<(), &'static str> {
    let hooks = vnet_core::netfilter::validate::chain_hooks(t).ok_or("Too many links")?;
    for (i, c) in t.chains.iter().enumerate() {
        if c.rules.iter().any(|r| !rule_allowed(t.id, hooks[i], r)) {
            return Err("Invalid argument");
        }
    }
    Ok(())
}

/// The rules a spec stands for (one per source × destination address).
pub fn expand(spec: &Spec) -> Vec<Rule> {
    let u = vnet_core::netfilter::rule::unspecified(spec.family == Family::Ipv6);
    let any = vec![(u, u)];
    let srcs = if spec.srcs.is_empty() {
        &any
    } else {
        &spec.srcs
    };
    let dsts = if spec.dsts.is_empty() {
        &any
    } else {
        &spec.dsts
    };
    let target = spec.build_target();
    // ip6tables-nft 1.8.9 sends IPv6 rules without their `-c`/`[p:b]`
    // counters (policy counters it does send).
    let counters = spec
        .counters
        .filter(|_| spec.family == Family::Ipv4)
        .map(|(pkts, bytes)| Counters { pkts, bytes })
        .unwrap_or_default();
    let mut v = Vec::new();
    for s in srcs {
        for d in dsts {
            let mut ip = spec.ip.clone();
            (ip.src, ip.smsk, ip.dst, ip.dmsk) = (s.0, s.1, d.0, d.1);
            v.push(Rule {
                ip,
                matches: spec.matches.iter().map(|m| m.m.clone()).collect(),
                target: target.clone(),
                counters,
                handle: 0,
            });
        }
    }
    v
}

/// Inserts a user chain, keeping user chains sorted by name as iptables-nft lists them.
pub fn add_user_chain(t: &mut Table, c: Chain) {
    let pos = t
        .chains
        .iter()
        .position(|x| x.hook.is_none() && x.name.as_bytes() > c.name.as_bytes())
        .unwrap_or(t.chains.len());
    t.chains.insert(pos, c);
}

/// Runs one command against a table copy, appending its output to `out`;
/// returns whether the table is to be installed. A rule added is checked
/// as the kernel checks the table ([`validate`]).
pub fn execute(
    out: &mut String,
    p: &Parsed,
    op: Op,
    t: &mut Table,
    f: ListFmt,
) -> Result<bool, Fail> {
    execute_in(out, p, op, t, f, true)
}

/// [`execute`], with the check of the table after a rule is added only
/// when `check` (a restore checks the whole batch once, at COMMIT).
pub fn execute_in(
    out: &mut String,
    p: &Parsed,
    op: Op,
    t: &mut Table,
    f: ListFmt,
    check: bool,
) -> Result<bool, Fail> {
    let chain = p.chain.clone().unwrap_or_default();
    let need_chain = |t: &Table, name: &str| t.chain_index(name).ok_or_else(no_chain);
    match op {
        Op::Append | Op::Insert | Op::Replace => {
            let ci = need_chain(t, &chain)?;
            // A rule to replace is looked up in a chain nf_tables has not made.
            if op == Op::Replace && t.chains[ci].hook.is_some() && t.chains[ci].handle == 0 {
                return Err(no_chain());
            }
            t.create_chain(ci);
            let rules = expand(&p.spec);
            let len = t.chains[ci].rules.len();
            let what = match op {
                Op::Append => {
                    t.chains[ci].rules.extend(rules);
                    "RULE_APPEND"
                }
                Op::Insert => {
                    let n = p.rulenum.unwrap_or(1);
                    if n > len + 1 {
                        return Err(Fail::Kernel("Index of insertion too big.".into()));
                    }
                    for r in rules {
                        t.chains[ci].rules.insert(n - 1, r);
                    }
                    "RULE_INSERT"
                }
                _ => {
                    let n = p.rulenum.unwrap_or(1);
                    if n > len {
                        return Err(Fail::Kernel("Index of replacement too big.".into()));
                    }
                    let [mut r] = <[Rule; 1]>::try_from(rules).map_err(|_| {
                        Fail::Param("Replacement rule does not specify a unique address".into())
                    })?;
                    // NFT_MSG_NEWRULE with NLM_F_REPLACE: the rule keeps its handle.
                    r.handle = t.chains[ci].rules[n - 1].handle;
                    t.chains[ci].rules[n - 1] = r;
                    "RULE_REPLACE"
                }
            };
            if check {
                validate(t).map_err(|e| {
                    Fail::Plain(format!(" {what} failed ({e}): rule in chain {chain}"), 4)
                })?;
            }
            Ok(true)
        }
        Op::Delete | Op::Check => {
            let ci = need_chain(t, &chain)?;
            if let Some(n) = p.rulenum.filter(|_| op == Op::Delete) {
                // The rule is looked up in a chain nf_tables has not made.
                if t.chains[ci].hook.is_some() && t.chains[ci].handle == 0 {
                    return Err(no_chain());
                }
                if n > t.chains[ci].rules.len() {
                    return Err(Fail::Kernel("Index of deletion too big.".into()));
                }
                t.chains[ci].rules.remove(n - 1);
                return Ok(true);
            }
            for r in expand(&p.spec) {
                match t.chains[ci].rules.iter().position(|x| x.same_spec(&r)) {
                    Some(k) if op == Op::Delete => {
                        t.chains[ci].rules.remove(k);
                    }
                    Some(_) => {}
                    None => return Err(bad_rule()),
                }
            }
            Ok(op == Op::Delete)
        }
        Op::List | Op::ListRules => {
            let sel = p.chain.as_deref();
            if let Some(name) = sel {
                if t.chain(name).is_none() {
                    return Err(Fail::Plain(
                        format!(
                            "chain `{name}' in table `{}' is incompatible, use 'nft' tool.",
                            t.id.name()
                        ),
                        1,
                    ));
                }
            }
            if op == Op::List {
                *out += &list(t, sel, p.rulenum, f);
            } else {
                *out += &list_rules(t, sel, p.rulenum, f.verbose);
            }
            if p.ops.contains(&Op::Zero) {
                zero(t, sel, None)?;
                if let Some(name) = sel {
                    *out += &format!("Zeroing chain `{name}'\n");
                }
                return Ok(true);
            }
            Ok(false)
        }
        Op::Zero => {
            zero(t, p.chain.as_deref(), p.rulenum)?;
            Ok(true)
        }
        Op::Flush => {
            match &p.chain {
                Some(name) => {
                    let ci = need_chain(t, name)?;
                    t.create_chain(ci);
                    t.chains[ci].rules.clear();
                }
                None => t.chains.iter_mut().for_each(|c| c.rules.clear()),
            }
            Ok(true)
        }
        Op::NewChain => {
            if t.chain(&chain).is_some() {
                return Err(Fail::Kernel("Chain already exists.".into()));
            }
            add_user_chain(t, Chain::user(&chain));
            let ci = need_chain(t, &chain)?;
            t.create_chain(ci);
            Ok(true)
        }
        Op::DeleteChain => {
            let busy = |name: &str| {
                Fail::Plain(
                    format!(" CHAIN_DEL failed (Device or resource busy): chain {name}"),
                    4,
                )
            };
            match &p.chain {
                Some(name) => {
                    let ci = need_chain(t, name)?;
                    let c = &mut t.chains[ci];
                    if c.hook.is_some() {
                        // iptables-nft deletes an empty base chain with
                        // policy ACCEPT (nf_tables refuses the others);
                        // one it does not have yet is not found.
                        if c.handle == 0 {
                            return Err(no_chain());
                        }
                        if c.policy == Policy::Drop {
                            return Err(Fail::Kernel("Directory not empty.".into()));
                        }
                        if !c.rules.is_empty() {
                            return Err(busy(name));
                        }
                        c.handle = 0;
                        c.counters = Default::default();
                        c.policy_counted = false;
                        return Ok(true);
                    }
                    // NLM_F_NONREC: nf_tables refuses a chain with rules.
                    if !t.chains[ci].rules.is_empty() || t.references(name) > 0 {
                        return Err(busy(name));
                    }
                    t.chains.remove(ci);
                }
                None => {
                    // One batch of CHAIN_DELs in creation (handle) order,
                    // each refused while the chain has rules or a built-in
                    // chain jumps to it; the first refusal aborts them all.
                    let mut user: Vec<&Chain> =
                        t.chains.iter().filter(|c| c.hook.is_none()).collect();
                    user.sort_by_key(|c| c.handle);
                    for c in user {
                        let from_builtin = t
                            .chains
                            .iter()
                            .filter(|x| x.hook.is_some())
                            .flat_map(|x| &x.rules)
                            .any(|r| r.target.chain() == Some(c.name.as_str()));
                        if from_builtin || !c.rules.is_empty() {
                            return Err(busy(&c.name));
                        }
                    }
                    t.chains.retain(|c| c.hook.is_some());
                    // iptables-nft also deletes the base chains that are
                    // empty with policy ACCEPT: they count no more until a
                    // command recreates them and a -Z or -P adds a counter.
                    for c in t.chains.iter_mut() {
                        if c.rules.is_empty() && c.policy == Policy::Accept {
                            c.handle = 0;
                            c.counters = Default::default();
                            c.policy_counted = false;
                        }
                    }
                }
            }
            Ok(true)
        }
        Op::Rename => {
            let new = p.arg2.clone().unwrap_or_default();
            super::check_chain_name(&new)?;
            let ci = need_chain(t, &chain)?;
            if t.chain(&new).is_some() {
                return Err(Fail::Kernel("File exists.".into()));
            }
            if t.chains[ci].hook.is_some() {
                return Err(Fail::Kernel("Invalid argument.".into()));
            }
            let mut ch = t.chains.remove(ci);
            ch.name = new.clone();
            for c in &mut t.chains {
                for r in &mut c.rules {
                    if let Target::Jump(n) | Target::Goto(n) = &mut r.target {
                        if *n == chain {
                            *n = new.clone();
                        }
                    }
                }
            }
            add_user_chain(t, ch);
            Ok(true)
        }
        Op::Policy => {
            let pol = p.arg2.clone().unwrap_or_default();
            let Some(ci) = t
                .chain_index(&chain)
                .filter(|ci| t.chains[*ci].hook.is_some())
            else {
                return Err(Fail::Kernel("Bad built-in chain name.".into()));
            };
            let policy = match pol.as_str() {
                "ACCEPT" => Policy::Accept,
                "DROP" if t.id == TableId::Nat => return Err(nat_drop()),
                "DROP" => Policy::Drop,
                _ => {
                    return Err(Fail::Kernel(
                        "Bad policy name. Run `dmesg' for more information.".into(),
                    ))
                }
            };
            t.create_chain(ci);
            t.chains[ci].policy = policy;
            // iptables-nft gives the base chain its policy counter now,
            // from zero (or -c's values).
            t.chains[ci].policy_counted = true;
            let (pkts, bytes) = p.spec.counters.unwrap_or_default();
            t.chains[ci].counters = Counters { pkts, bytes };
            Ok(true)
        }
    }
}

fn zero(t: &mut Table, chain: Option<&str>, rulenum: Option<usize>) -> Result<(), Fail> {
    let clear = |c: &mut Chain| {
        c.counters = Counters::default();
        // Zeroing a base chain gives its policy a counter (iptables-nft).
        c.policy_counted |= c.hook.is_some();
        c.rules
            .iter_mut()
            .for_each(|r| r.counters = Counters::default());
    };
    match chain {
        Some(name) => {
            let ci = t.chain_index(name).ok_or_else(no_chain)?;
            match rulenum {
                Some(n) => {
                    let r = t.chains[ci].rules.get_mut(n - 1).ok_or_else(bad_rule)?;
                    r.counters = Counters::default();
                }
                None => clear(&mut t.chains[ci]),
            }
        }
        None => t.chains.iter_mut().for_each(clear),
    }
    Ok(())
}

/// `-L`: every chain (blank lines between), one chain, or one rule.
pub fn list(t: &Table, chain: Option<&str>, rulenum: Option<usize>, f: ListFmt) -> String {
    if let (Some(name), Some(n)) = (chain, rulenum) {
        return t
            .chain(name)
            .and_then(|c| c.rules.get(n - 1))
            .map(|r| print::rule_line(r, f, None) + "\n")
            .unwrap_or_default();
    }
    let parts: Vec<String> = t
        .chains
        .iter()
        .filter(|c| chain.is_none_or(|n| n == c.name))
        .map(|c| print::chain_list(c, t.references(&c.name), f))
        .collect();
    parts.join("\n")
}

/// `-S`: policies and user chains, then the rules.
pub fn list_rules(
    t: &Table,
    chain: Option<&str>,
    rulenum: Option<usize>,
    counters: bool,
) -> String {
    let mut s = String::new();
    if let (Some(name), Some(n)) = (chain, rulenum) {
        if let Some(r) = t.chain(name).and_then(|c| c.rules.get(n - 1)) {
            s += &format!("-A {name}{}\n", print::rule_save(r, counters));
        }
        return s;
    }
    let sel = |c: &&Chain| chain.is_none_or(|n| n == c.name);
    for c in t.chains.iter().filter(sel) {
        match c.hook {
            Some(_) => {
                s += &format!("-P {} {}", c.name, print::policy_name(c.policy));
                if counters {
                    s += &format!(" -c {} {}", c.counters.pkts, c.counters.bytes);
                }
                s.push('\n');
            }
            None => s += &format!("-N {}\n", c.name),
        }
    }
    for c in t.chains.iter().filter(sel) {
        for r in &c.rules {
            s += &format!("-A {}{}\n", c.name, print::rule_save(r, counters));
        }
    }
    s
}
