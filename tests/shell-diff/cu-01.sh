{ echo one; echo two; echo three; } > f
head -n 2 f
head -n -1 f
head -c 5 f; echo
head -2 f
