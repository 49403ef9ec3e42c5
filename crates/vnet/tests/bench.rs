//! `vnet bench --json` prints one JSON array with the documented keys.
//! Figures are measured, never asserted: only shape and counts are checked.

use std::process::Command;

fn bench_json(args: &[&str]) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .args(["bench", "--json", "--runs", "1"])
        .args(args)
        .env("VNET_BENCH_PACKETS", "2000")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("stdout is one JSON value")
}

#[test]
fn packet_cases_report_packets_pps_and_ns_per_packet() {
    let v = bench_json(&["veth", "route", "rules-100"]);
    let a = v.as_array().expect("an array");
    assert_eq!(a.len(), 3);
    for (r, name) in a.iter().zip(["veth", "route", "rules-100"]) {
        let o = r.as_object().unwrap();
        let mut keys: Vec<&str> = o.keys().map(|k| k.as_str()).collect();
        keys.sort();
        assert_eq!(keys, ["case", "ns_per_packet", "packets", "pps"]);
        assert_eq!(r["case"], name);
        // Every packet sent must have crossed the topology.
        assert_eq!(r["packets"], 2000);
        let (pps, ns) = (
            r["pps"].as_f64().unwrap(),
            r["ns_per_packet"].as_f64().unwrap(),
        );
        assert!(pps > 0.0 && ns > 0.0);
        assert!(
            (pps * ns / 1e9 - 1.0).abs() < 0.01,
            "ns_per_packet is 1/pps"
        );
    }
}

#[test]
fn netns_case_reports_seconds_and_bytes_per_netns() {
    let v = bench_json(&["netns-1k"]);
    let r = &v[0];
    assert_eq!(r["case"], "netns-1k");
    assert_eq!(r["namespaces"], 1000);
    assert!(r["seconds"].as_f64().unwrap() >= 0.0);
    // The counting allocator is installed: a namespace costs some heap.
    assert!(r["bytes_per_netns"].as_f64().unwrap() > 0.0);
}

#[test]
fn unknown_case_is_an_error_naming_the_cases() {
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .args(["bench", "--json", "nosuch"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("unknown case nosuch") && e.contains("rules-100k"),
        "{e}"
    );
    assert!(o.stdout.is_empty());
}
