//! comm: lines only in FILE1, only in FILE2, in both, as three
//! tab-indented columns; with coreutils' order check (by default only
//! once an unpairable line has been seen).

use crate::args::{self, Has, Spec};
use crate::input::{self, errtext, quote_c, quotef};
use crate::Ctx;

pub fn comm(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "comm",
        short: "123z",
        long: &[
            ("check-order", Has::No, 'C'),
            ("nocheck-order", Has::No, 'N'),
            ("output-delimiter", Has::Req, 'o'),
            ("total", Has::No, 'T'),
            ("zero-terminated", Has::No, 'z'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let ops = &p.operands;
    if ops.len() < 2 {
        if ops.is_empty() {
            return args::missing_operand(c, "comm", 1);
        }
        c.eprint(&format!(
            "comm: missing operand after {}\n",
            quote_c(&ops[0])
        ));
        return args::try_help(c, "comm", 1);
    }
    if ops.len() > 2 {
        c.eprint(&format!("comm: extra operand {}\n", quote_c(&ops[2])));
        return args::try_help(c, "comm", 1);
    }
    let delims: Vec<&str> = p
        .opts
        .iter()
        .filter(|o| o.0 == 'o')
        .filter_map(|o| o.1.as_deref())
        .collect();
    if delims.windows(2).any(|w| w[0] != w[1]) {
        c.eprint("comm: multiple output delimiters specified\n");
        return 1;
    }
    let delim = delims.first().copied().unwrap_or("\t");
    let delim = if delim.is_empty() { "\0" } else { delim };
    let eol = if p.has('z') { 0 } else { b'\n' };
    let mut data = vec![];
    for f in ops.iter().take(2) {
        match input::read(c, f) {
            Ok(d) => data.push(d),
            Err(e) => {
                c.eprint(&format!("comm: {}: {}\n", quotef(f), errtext(&e)));
                return 1;
            }
        }
    }
    let files = [input::lines(&data[0], eol), input::lines(&data[1], eol)];
    let show = [!p.has('1'), !p.has('2'), !p.has('3')];
    let check = if p.has('N') {
        Some(false)
    } else if p.has('C') {
        Some(true)
    } else {
        None
    };
    let mut idx = [0usize; 2];
    let mut total = [0u64; 3];
    let mut warned = [false; 2];
    let mut unpairable = false;
    let mut out = Vec::new();
    loop {
        let (a, b) = (files[0].get(idx[0]), files[1].get(idx[1]));
        let order = match (a, b) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(y),
        };
        let col = match order {
            std::cmp::Ordering::Equal => 2,
            std::cmp::Ordering::Less => 0,
            std::cmp::Ordering::Greater => 1,
        };
        if col != 2 {
            unpairable = true;
        }
        total[col] += 1;
        if show[col] {
            let indent = show[..col].iter().filter(|s| **s).count();
            out.extend_from_slice(delim.repeat(indent).as_bytes());
            out.extend_from_slice(if col == 0 { a } else { b }.copied().unwrap_or_default());
            out.push(eol);
        }
        for f in 0..2 {
            let used = col == 2 || col == f;
            if !used {
                continue;
            }
            // Reading the next line checks the last two lines read (at the
            // end of the file, the file's last two), as comm.c does.
            idx[f] += 1;
            let n = idx[f].min(files[f].len().saturating_sub(1));
            let checking = check.unwrap_or(unpairable);
            if checking && !warned[f] && n > 0 && files[f][n - 1] > files[f][n] {
                c.out.append(&mut out);
                c.eprint(&format!("comm: file {} is not in sorted order\n", f + 1));
                if check == Some(true) {
                    return 1;
                }
                warned[f] = true;
            }
        }
    }
    if p.has('T') {
        let d = delim;
        out.extend_from_slice(
            format!("{}{d}{}{d}{}{d}total", total[0], total[1], total[2]).as_bytes(),
        );
        out.push(eol);
    }
    c.out.append(&mut out);
    if warned[0] || warned[1] {
        c.eprint("comm: input is not in sorted order\n");
        return 1;
    }
    0
}
