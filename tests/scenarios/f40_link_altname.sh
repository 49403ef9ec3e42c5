# area: link
# Alternative interface names (ip-link(8) "property add ... altname"), as
# systemd-udev's predictable names and long names use them: listing, the
# lookup by altname everywhere a device is named, errors.
ip link add veth0 type veth peer name veth1
ip link property add dev veth0 altname uplink0
ip link show veth0
ip link show uplink0
ip link property add dev veth0 altname a-very-long-alternative-interface-name-0
ip link show dev uplink0
ip -o link show veth0
ip link set uplink0 up
ip addr add 10.1.0.1/24 dev uplink0
ip addr show dev uplink0
ip route add 10.2.0.0/24 dev uplink0
ip route show
ip -j link show veth0
echo
ip link property add dev veth0 altname uplink0
echo "rc=$?"
ip link property add dev veth1 altname uplink0
echo "rc=$?"
ip link property add dev veth1 altname veth0
echo "rc=$?"
ip link property add dev veth1 altname 1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890
echo "rc=$?"
ip link add uplink0 type veth peer name foo0
echo "rc=$?"
ip link set veth1 name uplink0
echo "rc=$?"
ip link property del dev veth0 altname nosuch
echo "rc=$?"
ip link property del dev uplink0 altname uplink0
echo "rc=$?"
ip link show veth0
ip link property add dev veth0
echo "rc=$?"
ip link property
echo "rc=$?"
ip link property add dev nosuch altname x
echo "rc=$?"
ip link property add dev veth1 altname y1 altname y2
ip link show veth1
cat /sys/class/net/veth1/ifindex
ip link del y2
ip link show
