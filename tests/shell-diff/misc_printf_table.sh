printf '%-6s %5s\n' name value
printf '%-6s %5d\n' eth0 1500 lo 65536
