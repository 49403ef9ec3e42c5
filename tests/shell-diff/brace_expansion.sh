echo {1..5}
echo a{b,c,d}e
echo {a..e} {5..1} {0..10..3} {01..03}
echo x{1,2}{a,b}
echo {a,{b,c}} "{x,y}" {z} {}
for i in {1..3}; do echo "n$i"; done
v=1; echo {$v,2}
