//! Which function parameters are arrays, for passing an unset variable
//! by reference (`function fill(a) { a[1] = 1 } BEGIN { fill(x) }`).

use super::ast::*;

/// Which function parameters are used as arrays (directly, or by passing
/// them on to a parameter that is), to pass an unset variable by reference.
pub fn param_arrays(prog: &Program) -> Vec<Vec<bool>> {
    let mut pa: Vec<Vec<bool>> = prog.funcs.iter().map(|f| vec![false; f.nparams]).collect();
    loop {
        let mut changed = false;
        for (fi, f) in prog.funcs.iter().enumerate() {
            let mut uses = vec![false; f.nparams];
            for s in &f.body {
                scan_stmt(s, &pa, &mut uses);
            }
            for (i, u) in uses.into_iter().enumerate() {
                if u && !pa[fi][i] {
                    pa[fi][i] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            return pa;
        }
    }
}

fn mark(v: &Var, uses: &mut [bool]) {
    if let Var::Local(i) = v {
        if let Some(u) = uses.get_mut(*i) {
            *u = true;
        }
    }
}

fn scan_stmt(s: &Stmt, pa: &[Vec<bool>], uses: &mut [bool]) {
    match s {
        Stmt::Expr(e) => scan_expr(e, pa, uses),
        Stmt::Print(a, d) | Stmt::Printf(a, d) => {
            a.iter().for_each(|e| scan_expr(e, pa, uses));
            if let Some((_, e)) = d {
                scan_expr(e, pa, uses);
            }
        }
        Stmt::If(c, a, b) => {
            scan_expr(c, pa, uses);
            scan_stmt(a, pa, uses);
            if let Some(b) = b {
                scan_stmt(b, pa, uses);
            }
        }
        Stmt::While(c, b) | Stmt::Do(b, c) => {
            scan_expr(c, pa, uses);
            scan_stmt(b, pa, uses);
        }
        Stmt::For(i, c, n, b) => {
            if let Some(i) = i {
                scan_stmt(i, pa, uses);
            }
            if let Some(c) = c {
                scan_expr(c, pa, uses);
            }
            if let Some(n) = n {
                scan_stmt(n, pa, uses);
            }
            scan_stmt(b, pa, uses);
        }
        Stmt::ForIn(_, a, b) => {
            mark(a, uses);
            scan_stmt(b, pa, uses);
        }
        Stmt::Block(b) => b.iter().for_each(|s| scan_stmt(s, pa, uses)),
        Stmt::Exit(Some(e)) | Stmt::Return(Some(e)) => scan_expr(e, pa, uses),
        Stmt::Delete(a, subs) => {
            mark(a, uses);
            if let Some(s) = subs {
                s.iter().for_each(|e| scan_expr(e, pa, uses));
            }
        }
        _ => {}
    }
}

fn scan_lv(lv: &LValue, pa: &[Vec<bool>], uses: &mut [bool]) {
    match lv {
        LValue::Var(_) => {}
        LValue::Index(v, subs) => {
            mark(v, uses);
            subs.iter().for_each(|e| scan_expr(e, pa, uses));
        }
        LValue::Field(e) => scan_expr(e, pa, uses),
    }
}

fn scan_expr(e: &Expr, pa: &[Vec<bool>], uses: &mut [bool]) {
    match e {
        Expr::Lv(lv) => scan_lv(lv, pa, uses),
        Expr::Assign(_, lv, r) => {
            scan_lv(lv, pa, uses);
            scan_expr(r, pa, uses);
        }
        Expr::IncDec { lv, .. } => scan_lv(lv, pa, uses),
        Expr::Cond(a, b, c) => {
            scan_expr(a, pa, uses);
            scan_expr(b, pa, uses);
            scan_expr(c, pa, uses);
        }
        Expr::And(a, b)
        | Expr::Or(a, b)
        | Expr::Bin(_, a, b)
        | Expr::Cmp(_, a, b)
        | Expr::Concat(a, b)
        | Expr::Match(_, a, b) => {
            scan_expr(a, pa, uses);
            scan_expr(b, pa, uses);
        }
        Expr::Not(a) | Expr::Neg(a) | Expr::UPlus(a) | Expr::Group(a) => scan_expr(a, pa, uses),
        Expr::In(subs, a) => {
            mark(a, uses);
            subs.iter().for_each(|e| scan_expr(e, pa, uses));
        }
        Expr::Call(fi, args) => {
            for (j, a) in args.iter().enumerate() {
                if let Expr::Lv(LValue::Var(v)) = a {
                    if pa.get(*fi).and_then(|p| p.get(j)).copied().unwrap_or(false) {
                        mark(v, uses);
                    }
                } else {
                    scan_expr(a, pa, uses);
                }
            }
        }
        Expr::Builtin(b, args) => {
            if *b == Builtin::Split {
                if let Some(Expr::Lv(LValue::Var(v))) = args.get(1) {
                    mark(v, uses);
                }
            }
            args.iter().for_each(|e| scan_expr(e, pa, uses));
        }
        Expr::Getline(src, lv) => {
            if let GetlineSrc::File(f) | GetlineSrc::Cmd(f) = src {
                scan_expr(f, pa, uses);
            }
            if let Some(lv) = lv {
                scan_lv(lv, pa, uses);
            }
        }
        Expr::Num(_) | Expr::Str(_) | Expr::Regex(_) => {}
    }
}
