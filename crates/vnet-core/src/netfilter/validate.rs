//! The check nf_tables makes of a table when a rule arrives
//! (nft_table_validate → nft_chain_validate): every chain that a base chain
//! reaches, by jumps and gotos, is visited with the hooks it is reached
//! from, one level deeper per jump; a chain at level NFT_JUMP_STACK_SIZE
//! (a base chain is level 0) is refused with EMLINK ("Too many links").
//! A loop reached from a base chain is such a path, so it is refused the
//! same way; chains no base chain reaches are not checked at all (a loop
//! among them is accepted, as on the kernel).
//!
//! The kernel walks every path, which is exponential in chains that jump
//! twice to the next; this visits each chain and each jump once (a
//! depth-first walk that finds the loops, then the longest paths in
//! topological order), so it is linear in the rules.

use super::Table;
use std::collections::HashMap;

/// The kernel's jump stack: the deepest level a chain may be reached at is one less.
pub const NFT_JUMP_STACK_SIZE: usize = 16;

/// The hooks each chain of `t` is reached from (bit `1 << hook` per base
/// chain hook; 0 for chains no base chain reaches), or `None` where the
/// kernel answers EMLINK: a chain reached at level NFT_JUMP_STACK_SIZE or
/// deeper, or a loop reached from a base chain.
pub fn chain_hooks(t: &Table) -> Option<Vec<u8>> {
    let n = t.chains.len();
    let by_name: HashMap<&str, usize> = t
        .chains
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    let jumps: Vec<Vec<usize>> = t
        .chains
        .iter()
        .map(|c| {
            c.rules
                .iter()
                .filter_map(|r| r.target.chain().and_then(|d| by_name.get(d).copied()))
                .collect()
        })
        .collect();
    // Depth-first from each base chain, without recursion: colour 1 is "on
    // the current path" (reaching it again is a loop), 2 is "done".
    let mut colour = vec![0u8; n];
    let mut postorder = Vec::with_capacity(n);
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in (0..n).filter(|&i| t.chains[i].hook.is_some()) {
        if colour[root] != 0 {
            continue;
        }
        colour[root] = 1;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (i, next) = *top;
            if let Some(&j) = jumps[i].get(next) {
                top.1 += 1;
                match colour[j] {
                    0 => {
                        colour[j] = 1;
                        stack.push((j, 0));
                    }
                    1 => return None,
                    _ => {}
                }
            } else {
                colour[i] = 2;
                postorder.push(i);
                stack.pop();
            }
        }
    }
    // Reverse postorder is a topological order of what the bases reach:
    // each chain's level is final before its jumps are followed.
    let mut level = vec![0usize; n];
    let mut hooks = vec![0u8; n];
    for (i, c) in t.chains.iter().enumerate() {
        if let Some(h) = c.hook {
            hooks[i] = 1 << h as u8;
        }
    }
    for &i in postorder.iter().rev() {
        for &j in &jumps[i] {
            level[j] = level[j].max(level[i] + 1);
            if level[j] >= NFT_JUMP_STACK_SIZE {
                return None;
            }
            hooks[j] |= hooks[i];
        }
    }
    Some(hooks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netfilter::{Chain, Hook, Rule, TableId, Target};

    fn jump(to: &str) -> Rule {
        Rule {
            ip: Default::default(),
            matches: Vec::new(),
            target: Target::Jump(to.into()),
            counters: Default::default(),
            handle: 1,
        }
    }

    /// filter with user chains c1..=cn, each jumping to the next.
    fn ladder(n: usize) -> Table {
        let mut t = Table::new(TableId::Filter);
        for i in 1..=n {
            let mut c = Chain::user(&format!("c{i}"));
            if i < n {
                c.rules.push(jump(&format!("c{}", i + 1)));
            }
            t.chains.push(c);
        }
        t
    }

    fn from_input(t: &mut Table, to: &str) {
        let i = t.chain_index("INPUT").unwrap();
        t.chains[i].rules.push(jump(to));
    }

    #[test]
    fn fifteen_levels_pass_and_sixteen_are_too_many_links() {
        // As on the kernel: OUTPUT -j c6 over c6..c20 passes, -j c5 does not.
        let mut t = ladder(20);
        from_input(&mut t, "c6");
        let hooks = chain_hooks(&t).expect("15 levels");
        let c20 = t.chain_index("c20").unwrap();
        assert_eq!(hooks[c20], 1 << Hook::LocalIn as u8);
        assert_eq!(hooks[t.chain_index("c1").unwrap()], 0);
        let mut t = ladder(20);
        from_input(&mut t, "c5");
        assert_eq!(chain_hooks(&t), None);
    }

    #[test]
    fn loops_fail_only_where_a_base_chain_reaches_them() {
        let mut t = ladder(3);
        let c3 = t.chain_index("c3").unwrap();
        t.chains[c3].rules.push(jump("c1"));
        assert!(chain_hooks(&t).is_some(), "an unreached loop is accepted");
        from_input(&mut t, "c2");
        assert_eq!(chain_hooks(&t), None);
    }

    #[test]
    fn chains_jumping_twice_to_the_next_are_linear() {
        // 2^14 and 2^27 paths: a walk of every path would not finish.
        let mut t = ladder(15);
        for i in 1..15 {
            let ci = t.chain_index(&format!("c{i}")).unwrap();
            t.chains[ci].rules.push(jump(&format!("c{}", i + 1)));
        }
        from_input(&mut t, "c1");
        assert!(chain_hooks(&t).is_some());
        let mut t = ladder(28);
        for i in 1..28 {
            let ci = t.chain_index(&format!("c{i}")).unwrap();
            t.chains[ci].rules.push(jump(&format!("c{}", i + 1)));
        }
        from_input(&mut t, "c1");
        assert_eq!(chain_hooks(&t), None);
    }
}
