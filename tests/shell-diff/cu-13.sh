{ echo 1K; echo 512; echo 2M; echo 1G; echo 3k; } | sort -h
{ echo 1e2; echo 50; echo 0x10; echo -inf; echo x; } | sort -g
{ echo a10; echo a2; echo a1.5; echo a1; } | sort -V
