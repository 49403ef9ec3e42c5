//! `modprobe`, `lsmod`, `modinfo` (kmod 30, Debian 12) on the simulated
//! kernel. The reference sandbox has no /lib/modules, so these pin kmod's
//! formats (tools/lsmod.c, tools/modinfo.c, tools/modprobe.c and its log
//! prefixes) and the module set of the simulated 6.1.0-vnet kernel.

mod common;
use common::Lab;
use vnet_tools::modules::KERNEL_RELEASE;

#[test]
fn modinfo_prints_fields_padded_to_sixteen_columns() {
    let mut lab = Lab::new();
    let e = lab.run("modinfo tun");
    assert_eq!((e.exit, e.stderr.as_str()), (0, ""));
    assert_eq!(
        e.stdout,
        format!(
            "filename:       /lib/modules/{KERNEL_RELEASE}/kernel/drivers/net/tun.ko\n\
             alias:          devname:net/tun\n\
             alias:          char-major-10-200\n\
             license:        GPL\n\
             author:         (C) 1999-2004 Max Krasnyansky <maxk@qualcomm.com>\n\
             description:    Universal TUN/TAP device driver\n\
             depends:        \n\
             retpoline:      Y\n\
             intree:         Y\n\
             name:           tun\n\
             vermagic:       {KERNEL_RELEASE} SMP preempt mod_unload modversions \n"
        )
    );
    let e = lab.run("modinfo -F alias tun");
    assert_eq!(
        (e.exit, e.stdout.as_str()),
        (0, "devname:net/tun\nchar-major-10-200\n")
    );
    assert_eq!(
        lab.run("modinfo -n char-major-10-200").stdout,
        format!("/lib/modules/{KERNEL_RELEASE}/kernel/drivers/net/tun.ko\n")
    );
    assert_eq!(lab.run("modinfo -F depends bridge").stdout, "stp,llc\n");
}

#[test]
fn unknown_modules_fail_with_kmods_messages() {
    let mut lab = Lab::new();
    let e = lab.run("modinfo nosuchmodule");
    assert_eq!(
        (e.exit, e.stdout.as_str(), e.stderr.as_str()),
        (1, "", "modinfo: ERROR: Module nosuchmodule not found.\n")
    );
    let e = lab.run("modprobe nosuch");
    assert_eq!(e.exit, 1);
    assert_eq!(
        e.stderr,
        format!(
            "modprobe: FATAL: Module nosuch not found in directory /lib/modules/{KERNEL_RELEASE}\n"
        )
    );
    assert_eq!(lab.run("modprobe -q nosuch").exit, 1);
    assert_eq!(lab.run("modprobe -q nosuch").stderr, "");
    let e = lab.run("modprobe");
    assert_eq!(
        (e.exit, e.stderr.as_str()),
        (1, "modprobe: ERROR: missing parameters. See -h.\n")
    );
    let e = lab.run("modinfo");
    assert_eq!(
        (e.exit, e.stderr.as_str()),
        (1, "modinfo: ERROR: missing module or filename.\n")
    );
}

#[test]
fn lsmod_lists_newest_first_with_holders() {
    let mut lab = Lab::new();
    assert_eq!(
        lab.run("lsmod").stdout,
        "Module                  Size  Used by\n"
    );
    assert_eq!(lab.run("modprobe ipip").exit, 0);
    assert_eq!(lab.run("modprobe sit").exit, 0);
    // Already loaded: nothing to do.
    assert_eq!(lab.run("modprobe -v ipip").stdout, "");
    let e = lab.run("lsmod");
    assert_eq!(e.exit, 0);
    assert_eq!(
        e.stdout,
        "Module                  Size  Used by\n\
         sit                    36864  0\n\
         ipip                   20480  0\n\
         tunnel4                16384  2 ipip,sit\n\
         ip_tunnel              36864  2 ipip,sit\n"
    );
    assert_eq!(lab.run("lsmod x").stderr, "Usage: lsmod\n");
}

#[test]
fn devices_load_their_modules_and_keep_them_in_use() {
    let mut lab = Lab::new();
    assert_eq!(lab.run("ip link add br0 type bridge").exit, 0);
    assert_eq!(
        lab.run("lsmod").stdout,
        "Module                  Size  Used by\n\
         bridge                311296  0\n\
         stp                    16384  1 bridge\n\
         llc                    16384  2 bridge,stp\n"
    );
    let e = lab.run("modprobe -r bridge");
    assert_eq!(
        (e.exit, e.stderr.as_str()),
        (1, "modprobe: FATAL: Module bridge is in use.\n")
    );
    assert_eq!(
        lab.run("modprobe -v br_netfilter").stdout,
        format!("insmod /lib/modules/{KERNEL_RELEASE}/kernel/net/bridge/br_netfilter.ko \n")
    );
    assert!(lab
        .run("lsmod")
        .stdout
        .contains("\nbridge                311296  1 br_netfilter\n"));
    // Removing a module takes the dependencies nobody else needs along.
    assert_eq!(
        lab.run("modprobe -r -v br_netfilter").stdout,
        "rmmod br_netfilter\n"
    );
    assert_eq!(lab.run("ip link del br0").exit, 0);
    assert_eq!(
        lab.run("modprobe -r -v bridge").stdout,
        "rmmod bridge\nrmmod stp\nrmmod llc\n"
    );
    assert_eq!(
        lab.run("lsmod").stdout,
        "Module                  Size  Used by\n"
    );
}

#[test]
fn open_tun_devices_count_as_users() {
    let mut lab = Lab::new();
    assert_eq!(lab.run("ip tuntap add dev tap0 mode tap").exit, 0);
    let i = lab.m.world.ns(0).ifindex_of("tap0").unwrap();
    lab.m.world.tun_attach(0, i, true).unwrap();
    lab.m.world.tun_attach(0, i, true).unwrap();
    assert!(lab
        .run("lsmod")
        .stdout
        .contains("\ntun                    61440  2\n"));
}
