printf '%s\n' a b | sed -n '1d;0,/b/p'
printf '%s\n' 1 2 3 4 | sed -n '2,~2p'
echo x | sed -n '/x/{bL};p;:L'
