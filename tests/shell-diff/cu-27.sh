echo '  10.0.0.1  dev eth0' | cut -d' ' -f3
echo 'inet 10.0.0.1/24 brd 10.0.0.255' | cut -d' ' -f2 | cut -d/ -f1
