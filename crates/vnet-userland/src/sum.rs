//! md5sum, sha1sum, sha256sum: `HASH  NAME` lines, and `-c` to check
//! them. The digests are written out here (RFC 1321, FIPS 180-4): they
//! are short, and the crate keeps to no dependencies but vnet-fs.

use crate::args::{self, Has, Spec};
use crate::input::{self, errtext, quotef};
use crate::Ctx;

/// Pads as MD5 and SHA do: 0x80, zeros, the bit length (LE for MD5).
fn padded(data: &[u8], little: bool) -> Vec<u8> {
    let mut m = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    m.push(0x80);
    while m.len() % 64 != 56 {
        m.push(0);
    }
    m.extend_from_slice(&if little {
        bits.to_le_bytes()
    } else {
        bits.to_be_bytes()
    });
    m
}

pub fn md5(data: &[u8]) -> Vec<u8> {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    let k: Vec<u32> = (0..64)
        .map(|i| ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32)
        .collect();
    let mut h: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    for chunk in padded(data, true).chunks(64) {
        let w: Vec<u32> = chunk
            .chunks(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let t = d;
            d = c;
            c = b;
            b = b.wrapping_add(
                a.wrapping_add(f)
                    .wrapping_add(k[i])
                    .wrapping_add(w[g])
                    .rotate_left(S[i]),
            );
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub fn sha1(data: &[u8]) -> Vec<u8> {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    for chunk in padded(data, false).chunks(64) {
        let mut w = [0u32; 80];
        for (i, b) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i / 20 {
                0 => ((b & c) | (!b & d), 0x5a82_7999),
                1 => (b ^ c ^ d, 0x6ed9_eba1),
                2 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
                _ => (b ^ c ^ d, 0xca62_c1d6u32),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().flat_map(|x| x.to_be_bytes()).collect()
}

pub fn sha256(data: &[u8]) -> Vec<u8> {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    for chunk in padded(data, false).chunks(64) {
        let mut w = [0u32; 64];
        for (i, b) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let [a, b, c, d, e, f, g, hh] = v;
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().flat_map(|x| x.to_be_bytes()).collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The three tools differ by name and digest only.
fn sum_main(c: &mut Ctx, argv: &[String], prog: &str, digest: fn(&[u8]) -> Vec<u8>) -> i32 {
    let spec = Spec {
        prog,
        short: "bctwz",
        long: &[
            ("binary", Has::No, 'b'),
            ("check", Has::No, 'c'),
            ("ignore-missing", Has::No, 'I'),
            ("quiet", Has::No, 'q'),
            ("status", Has::No, 's'),
            ("strict", Has::No, 'S'),
            ("tag", Has::No, 'T'),
            ("text", Has::No, 't'),
            ("warn", Has::No, 'w'),
            ("zero", Has::No, 'z'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    if p.has('c') && p.has('T') {
        c.eprint(&format!(
            "{prog}: the --tag option is meaningless when verifying checksums\n"
        ));
        return args::try_help(c, prog, 1);
    }
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    let mut rc = 0;
    let hexlen = digest(b"").len() * 2;
    for f in &files {
        let data = match input::read(c, f) {
            Ok(d) => d,
            Err(e) => {
                c.eprint(&format!("{prog}: {}: {}\n", quotef(f), errtext(&e)));
                rc = 1;
                continue;
            }
        };
        if !p.has('c') {
            if p.has('T') {
                let tag = match prog {
                    "md5sum" => "MD5",
                    "sha1sum" => "SHA1",
                    _ => "SHA256",
                };
                c.print(&format!("{tag} ({f}) = {}\n", hex(&digest(&data))));
            } else {
                let mark = if p.has('b') { '*' } else { ' ' };
                c.print(&format!("{} {mark}{f}\n", hex(&digest(&data))));
            }
            continue;
        }
        // -c: lines of `HASH  NAME` (or `HASH *NAME`).
        let (mut bad, mut missing, mut malformed, mut ok_any) = (0, 0, 0, false);
        let text = String::from_utf8_lossy(&data).into_owned();
        for line in text.lines() {
            let parsed = line.split_at_checked(hexlen).and_then(|(h, rest)| {
                let name = rest
                    .strip_prefix("  ")
                    .or_else(|| rest.strip_prefix(" *"))?;
                h.bytes()
                    .all(|b| b.is_ascii_hexdigit())
                    .then(|| (h.to_ascii_lowercase(), name.to_string()))
            });
            let Some((want, name)) = parsed else {
                malformed += 1;
                continue;
            };
            match input::read(c, &name) {
                Ok(d) => {
                    ok_any = true;
                    let good = hex(&digest(&d)) == want;
                    if !good {
                        bad += 1;
                    }
                    let quiet = p.has('s') || (good && p.has('q'));
                    if !quiet {
                        c.print(&format!("{name}: {}\n", if good { "OK" } else { "FAILED" }));
                    }
                }
                Err(e) => {
                    if p.has('I') {
                        continue;
                    }
                    missing += 1;
                    c.eprint(&format!("{prog}: {name}: {}\n", errtext(&e)));
                    if !p.has('s') {
                        c.print(&format!("{name}: FAILED open or read\n"));
                    }
                }
            }
        }
        let shown = if f == "-" { "standard input" } else { f };
        if !ok_any && missing == 0 && bad == 0 {
            c.eprint(&format!(
                "{prog}: {shown}: no properly formatted checksum lines found\n"
            ));
            rc = 1;
            continue;
        }
        if !p.has('s') {
            let plural = |n: i32, one: &str, many: &str| {
                if n == 1 {
                    one.to_string()
                } else {
                    many.to_string()
                }
            };
            if malformed > 0 {
                c.eprint(&format!(
                    "{prog}: WARNING: {malformed} {} improperly formatted\n",
                    plural(malformed, "line is", "lines are")
                ));
            }
            if missing > 0 {
                c.eprint(&format!(
                    "{prog}: WARNING: {missing} listed {} could not be read\n",
                    plural(missing, "file", "files")
                ));
            }
            if bad > 0 {
                c.eprint(&format!(
                    "{prog}: WARNING: {bad} computed {} did NOT match\n",
                    plural(bad, "checksum", "checksums")
                ));
            }
        }
        if bad > 0 || missing > 0 || (malformed > 0 && p.has('S')) {
            rc = 1;
        }
    }
    rc
}

pub fn md5sum(c: &mut Ctx, argv: &[String]) -> i32 {
    sum_main(c, argv, "md5sum", md5)
}

pub fn sha1sum(c: &mut Ctx, argv: &[String]) -> i32 {
    sum_main(c, argv, "sha1sum", sha1)
}

pub fn sha256sum(c: &mut Ctx, argv: &[String]) -> i32 {
    sum_main(c, argv, "sha256sum", sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(hex(&md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(&md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let long = vec![b'a'; 1000];
        assert_eq!(hex(&md5(&long)), "cabe45dcc9ae5b66ba86600cca6b8ba8");
    }
}
