# commands that run programs: shells, builtin-backed programs, stdin passing
seq 3 | xargs -I{} sh -c 'echo item {}; sleep 0.1'
echo "b a c" | xargs -n1 | sort -r
printf '%s\n' x y | xargs printf '<%s>\n'
echo 5 | xargs -I{} [ {} -gt 3 ]; echo "st=$?"
timeout 1 cat <<'X'
here
X
echo hi | timeout 1 tr a-z A-Z
echo hi | env tr a-z A-Z
env echo -e 'a\tb'
xargs -I{} echo {} <<'X'
line one
line two
X
export V=1; env | grep -c '^V=1$'
env -i PATH=/bin sh -c 'echo $V:$PATH'
echo x | xargs -t -I{} sh -c 'echo {}; exit 2'; echo "st=$?"
timeout 2 bash -c 'for i in 1 2 3; do echo $i; sleep 0.5; done'; echo "st=$?"
timeout 1 bash -c 'until false; do sleep 0.3; done; echo not'; echo "st=$?"
