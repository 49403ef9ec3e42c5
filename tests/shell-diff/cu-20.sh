{ echo a; echo a; echo b; echo a; echo c; echo c; } > f
uniq f
uniq -c f
uniq -d f
uniq -u f
uniq -D f
