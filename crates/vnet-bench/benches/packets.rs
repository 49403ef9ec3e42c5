//! `cargo bench -p vnet-bench`: one packet through each standard topology
//! per iteration (divan reports time per packet).

use vnet_bench::PacketBench;

fn main() {
    divan::main();
}

#[divan::bench(args = ["veth", "bridge4", "route", "nat-1", "nat-1k", "nat-100k", "rules-0", "rules-100", "rules-10k", "rules-100k"])]
fn packet(bencher: divan::Bencher, case: &str) {
    let mut b = PacketBench::new(case).expect("packet case");
    for _ in 0..200_000 {
        b.send();
    }
    b.finish();
    bencher.bench_local(|| b.send());
}
