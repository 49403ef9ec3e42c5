//! Receive queues are bounded as the kernel bounds them: by sk_rcvbuf in
//! truesize bytes (net.core.rmem_default), with the refusals counted where
//! the kernel counts them; and frames in flight by netdev_max_backlog.

use std::net::{Ipv4Addr, SocketAddrV4};
use vnet_core::snmp::Mib;
use vnet_core::sock::{truesize, Socket, RMEM_DEFAULT};
use vnet_core::{Time, World};

fn lo(port: u16) -> SocketAddrV4 {
    SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)
}

#[test]
fn truesize_is_the_kernels_for_small_and_full_frames() {
    assert_eq!(truesize(60), 768);
    assert_eq!(truesize(1514), 2304);
    assert_eq!(truesize(9000), 12288 + 256);
}

#[test]
fn udp_queue_nobody_reads_stops_at_rcvbuf_and_counts_rcvbuf_errors() {
    let mut w = World::new(1);
    let rx = w.udp_socket(0);
    w.udp_bind(rx, lo(5000)).unwrap();
    let tx = w.udp_socket(0);
    for _ in 0..1000 {
        w.udp_sendto(tx, Some(lo(5000)), &[7; 32]).unwrap();
        let t = w.now() + Time::from_millis(1);
        w.advance(t);
    }
    let mut queued = 0;
    let mut buf = Vec::new();
    while let Ok(Some(_)) = w.udp_recv_into(rx, &mut buf) {
        queued += 1;
    }
    // Refused once more than rmem_default is queued: 212992 / 768 + 1.
    let per = truesize(32 + 42);
    assert_eq!(per, 768);
    assert_eq!(queued, RMEM_DEFAULT / per + 1);
    let snmp = w.ns(0).snmp();
    assert_eq!(snmp.get(Mib::UdpRcvbufErrors), 1000 - queued as u64);
    assert_eq!(snmp.get(Mib::UdpInErrors), 1000 - queued as u64);
    assert_eq!(snmp.get(Mib::UdpInDatagrams), queued as u64);
    assert_eq!(w.sock_drops(rx), 1000 - queued as u64);
    // Read, the queue takes datagrams again.
    w.udp_sendto(tx, Some(lo(5000)), b"again").unwrap();
    let t = w.now() + Time::from_millis(1);
    w.advance(t);
    assert!(w.udp_recv_into(rx, &mut buf).unwrap().is_some());
    assert_eq!(buf, b"again");
}

#[test]
fn packet_socket_nobody_reads_counts_tp_drops() {
    let mut w = World::new(1);
    let cap = w.socket_add(Socket::packet(0, Some(1)));
    w.set_rcvbuf(cap, 4096, false);
    assert_eq!(w.rcvbuf(cap), Some(8192));
    let tx = w.udp_socket(0);
    for _ in 0..100 {
        w.udp_sendto(tx, Some(lo(9)), &[0; 32]).unwrap();
        let t = w.now() + Time::from_millis(1);
        w.advance(t);
    }
    // Each datagram is seen leaving and arriving on lo; ICMP port
    // unreachable answers too. 8192 bytes hold 11 small frames (768 each).
    let got = w.packet_recv_all(cap).unwrap().len();
    assert_eq!(got, 8192usize.div_ceil(768));
    assert!(w.sock_drops(cap) > 300, "{}", w.sock_drops(cap));
}
