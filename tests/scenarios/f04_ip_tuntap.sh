# ip tuntap: tap and tun devices, listings, deletion.
ip tuntap help
ip tuntap add mode tap tap0
ip tuntap add dev tap1 mode tap
ip tuntap add mode tun tun0
ip tuntap add dev tun1 mode tun user 4242 group 4343
ip tuntap add mode tap multi_queue tapmq
ip tuntap add mode tun pi one_queue vnet_hdr tun2
ip tuntap list
ip tuntap show
ip link
ip -br link
ip -o link show tun0
ip -d link show tun0
ip -d link show tun1
ip -d link show tapmq
ip -d link show tun2
ip -j link show tun0
ifconfig -a
ip addr add 10.1.0.1/24 dev tun0
ip addr add 10.2.0.1 peer 10.2.0.2 dev tun1
ip link set tun0 up
ip link set tun1 up
ip addr show tun0
ip addr show tun1
ip -br addr
ip route
route -n
ifconfig tun0
ifconfig tun1
ip tuntap del mode tap tap0
ip tuntap del dev tun0 mode tun
ip tuntap del tun1 mode tun
ip tuntap list
ip tuntap add tap9
ip tuntap del mode tap nosuch
ip link del tap1
ip tuntap list
