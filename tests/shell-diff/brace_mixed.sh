echo {a..c}{1..2}
echo pre{,-mid}-post
echo $((1+1)){a,b}
