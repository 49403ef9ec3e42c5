printf '%s\n' '2: eth0: <UP> mtu 1500' '    inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0' '    inet6 fe80::1/64 scope link' | grep -oP '(?<=inet )\d+(\.\d+){3}'
printf '%s\n' '    inet 192.168.1.7/24' | grep -oP 'inet \K[0-9.]+'
